//! Hazards (隐患) and their closed loop (domain.md 2.3):
//! registered → rectification ordered → rectifying → rectification reported →
//! re-inspected → closed, with rejection back to rectifying. Overdue is derived
//! from the deadline and the clock, never stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValidationErrors;
use crate::scope::Permission;
use crate::workflow::{self, Workflow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    General,
    Major,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::General => "general",
            Level::Major => "major",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "general" | "一般" => Some(Level::General),
            "major" | "重大" => Some(Level::Major),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Level::General => "一般隐患",
            Level::Major => "重大隐患",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Inspection,
    SelfCheck,
    PublicReport,
    Media,
    Transfer,
    HigherAssignment,
    LowerReport,
}

pub const SOURCES: [Source; 7] = [
    Source::Inspection,
    Source::SelfCheck,
    Source::PublicReport,
    Source::Media,
    Source::Transfer,
    Source::HigherAssignment,
    Source::LowerReport,
];

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Inspection => "inspection",
            Source::SelfCheck => "self_check",
            Source::PublicReport => "public_report",
            Source::Media => "media",
            Source::Transfer => "transfer",
            Source::HigherAssignment => "higher_assignment",
            Source::LowerReport => "lower_report",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        SOURCES
            .into_iter()
            .find(|x| x.as_str() == s || x.label() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Source::Inspection => "监督检查",
            Source::SelfCheck => "企业自查",
            Source::PublicReport => "群众举报",
            Source::Media => "媒体曝光",
            Source::Transfer => "部门移送",
            Source::HigherAssignment => "上级交办",
            Source::LowerReport => "下级报告",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Registered,
    Ordered,
    Rectifying,
    Reported,
    Closed,
}

pub const STATUSES: [Status; 5] = [
    Status::Registered,
    Status::Ordered,
    Status::Rectifying,
    Status::Reported,
    Status::Closed,
];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Ordered => "ordered",
            Status::Rectifying => "rectifying",
            Status::Reported => "reported",
            Status::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        STATUSES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Registered => "已登记",
            Status::Ordered => "已责令整改",
            Status::Rectifying => "整改中",
            Status::Reported => "待复查",
            Status::Closed => "已销号",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 责令限期整改 (sets the deadline).
    Order,
    /// 当场整改 (fixed on the spot; awaits verification).
    FixOnSite,
    /// 开始整改 (for major hazards requires the 五落实).
    Start,
    /// 报告整改完成 / 申请复查.
    Report,
    /// 复查合格，销号.
    Pass,
    /// 复查不合格，退回整改 (reason required).
    Reject,
    /// 调整整改期限 (reason required).
    Extend,
    /// 台账记录 (progress note; no state change).
    Note,
}

pub const ACTIONS: [Action; 8] = [
    Action::Order,
    Action::FixOnSite,
    Action::Start,
    Action::Report,
    Action::Pass,
    Action::Reject,
    Action::Extend,
    Action::Note,
];

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Order => "order",
            Action::FixOnSite => "fix_on_site",
            Action::Start => "start",
            Action::Report => "report",
            Action::Pass => "pass",
            Action::Reject => "reject",
            Action::Extend => "extend",
            Action::Note => "note",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Action::Order => "责令限期整改",
            Action::FixOnSite => "当场整改",
            Action::Start => "开始整改",
            Action::Report => "报告整改完成",
            Action::Pass => "复查合格销号",
            Action::Reject => "复查不合格退回",
            Action::Extend => "调整整改期限",
            Action::Note => "记录整改进展",
        }
    }
}

pub use crate::workflow::Actor;
pub use crate::workflow::TransitionError;

/// The 五落实 of a major hazard: which of the five are recorded (responsibility as unit and
/// person, measures, funds, time limit, emergency plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Five {
    pub responsible_unit: bool,
    pub responsible_person: bool,
    pub measures: bool,
    pub funds: bool,
    pub deadline: bool,
    pub emergency_plan: bool,
}

impl Five {
    /// All five recorded, or none.
    pub fn all(v: bool) -> Self {
        Self {
            responsible_unit: v,
            responsible_person: v,
            measures: v,
            funds: v,
            deadline: v,
            emergency_plan: v,
        }
    }

    pub fn in_place(&self) -> bool {
        self.missing().is_empty()
    }

    /// The missing ones, as field errors naming the field that records each.
    pub fn missing(&self) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        for (ok, field, msg) in [
            (
                self.responsible_unit,
                "responsible_unit",
                "责任：请填写整改责任单位",
            ),
            (
                self.responsible_person,
                "responsible_person",
                "责任：请填写整改责任人",
            ),
            (self.measures, "measures", "措施：请填写整改措施"),
            (self.funds, "funds_planned", "资金：请填写整改资金（元）"),
            (self.deadline, "deadline", "时限：请设置整改期限"),
            (
                self.emergency_plan,
                "emergency_plan",
                "预案：请填写应急预案",
            ),
        ] {
            if !ok {
                e.add(
                    field,
                    format!("重大隐患须落实“五落实”后方可开始整改——{msg}"),
                );
            }
        }
        e
    }
}

/// What a hazard looks like to the transition rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub status: Status,
    pub level: Level,
    pub source: Source,
    pub has_enterprise: bool,
    /// Which of the 五落实 are recorded.
    pub five: Five,
}

/// The general hazard loop: 登记 → 责令整改 → 整改中 → 报告整改完成 → 复查销号.
pub struct HazardFlow;

crate::impl_step!(Status, Action);

impl Workflow for HazardFlow {
    type State = Status;
    type Action = Action;
    type Facts = Facts;
    const ACTIONS: &'static [Action] = &ACTIONS;

    fn state(f: &Facts) -> Status {
        f.status
    }

    fn next(f: &Facts, action: Action) -> Option<Status> {
        use Action::*;
        use Status::*;
        Some(match (f.status, action) {
            (Registered, Order) => Ordered,
            (Registered, FixOnSite) if f.level == Level::General => Reported,
            (Registered, Start) if f.source == Source::SelfCheck => Rectifying,
            (Ordered, Start) => Rectifying,
            (Rectifying, Report) => Reported,
            (Reported, Pass) => Closed,
            (Reported, Reject) => Rectifying,
            (Ordered | Rectifying, Extend) => f.status,
            (Registered | Ordered | Rectifying | Reported, Note) => f.status,
            _ => return None,
        })
    }

    /// Who owns each step: regulators order, verify and close; the enterprise rectifies and
    /// reports its own hazards. A public hazard (no enterprise) is rectified under the
    /// regulator. An enterprise closes its own general self-check hazards (自行验收).
    fn may(f: &Facts, action: Action, who: &Actor) -> bool {
        use Action::*;
        let regulator = who.may(Permission::Supervise);
        let enterprise = who.may(Permission::WorkOwnHazards) && who.is_owner_enterprise;
        match action {
            Order | FixOnSite | Reject | Extend => regulator,
            Start | Report => {
                enterprise
                    || (regulator
                        && (!f.has_enterprise || action == Start && f.source != Source::SelfCheck))
            }
            Pass => {
                regulator
                    || (enterprise && f.source == Source::SelfCheck && f.level == Level::General)
            }
            Note => regulator || enterprise,
        }
    }

    fn gate(f: &Facts, action: Action) -> Result<(), TransitionError> {
        if action == Action::Start && f.level == Level::Major && !f.five.in_place() {
            return Err(TransitionError::Unmet(f.five.missing()));
        }
        Ok(())
    }
}

/// The next status after `action`, or why it is not allowed.
pub fn transition(f: &Facts, action: Action, who: &Actor) -> Result<Status, TransitionError> {
    workflow::transition::<HazardFlow>(f, action, who)
}

/// Overdue (逾期未整改): open, with a deadline before today, and not awaiting review after
/// a rectification reported by its deadline. A hazard reported done in time waits on the
/// regulator's 复查, not on the party: it is not "逾期未整改" whatever the date (its review
/// has its own limit, [`review_due`]). Reported after the deadline, it stays overdue.
pub fn is_overdue(
    status: Status,
    deadline: Option<NaiveDate>,
    reported_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    status != Status::Closed
        && deadline.is_some_and(|d| d < today)
        && !reported_in_time(status, deadline, reported_on)
}

/// Awaiting review (待复查) after a report made on or before the deadline.
pub fn reported_in_time(
    status: Status,
    deadline: Option<NaiveDate>,
    reported_on: Option<NaiveDate>,
) -> bool {
    status == Status::Reported
        && match (reported_on, deadline) {
            (Some(r), Some(d)) => r <= d,
            (Some(_), None) => true,
            (None, _) => false,
        }
}

/// Working days after the report within which the regulator re-inspects (复查): 10, by
/// 《安全生产执法程序规定》(安监总政法〔2016〕72号) — "自收到整改完毕报告之日起10个工作日内进行复查".
/// The county may change it (setting `hazard_review_working_days`).
pub const REVIEW_WORKING_DAYS: u32 = 10;

/// The day the rectification report of a hazard dates from after a change of status: set on
/// entering 待复查 (报告整改完成, 当场整改, 申请销号), kept while it waits and when it is
/// closed (so that a closed hazard still tells when it was reported), cleared when the
/// review sends it back (复查不合格) or any other way out of 待复查.
pub fn reported_on_after(
    before: Status,
    before_reported_on: Option<&str>,
    after: Status,
    today: &str,
) -> Option<String> {
    match (before, after) {
        (Status::Reported, Status::Reported) | (Status::Reported, Status::Closed) => Some(
            before_reported_on
                .map(str::to_string)
                .unwrap_or_else(|| today.to_string()),
        ),
        (Status::Closed, Status::Closed) => before_reported_on.map(str::to_string),
        (_, Status::Reported) => Some(today.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{ALL_ROLES, Role};

    fn facts(
        status: Status,
        level: Level,
        source: Source,
        has_enterprise: bool,
        five: bool,
    ) -> Facts {
        Facts {
            status,
            level,
            source,
            has_enterprise,
            five: Five::all(five),
        }
    }

    /// The expected outcome for every (state, action, role) of an enterprise's hazard found
    /// by inspection, with the actor owning it where that makes sense.
    fn expected(status: Status, action: Action, role: Role) -> Option<Status> {
        use Action::*;
        use Status::*;
        let regulator = matches!(
            role,
            Role::Admin | Role::Department | Role::Inspector | Role::Township
        );
        let enterprise = role == Role::Enterprise;
        match (status, action) {
            (Registered, Order) if regulator => Some(Ordered),
            (Registered, FixOnSite) if regulator => Some(Reported),
            (Ordered, Start) if regulator || enterprise => Some(Rectifying),
            (Rectifying, Report) if enterprise => Some(Reported),
            (Reported, Pass) if regulator => Some(Closed),
            (Reported, Reject) if regulator => Some(Rectifying),
            (Ordered | Rectifying, Extend) if regulator => Some(status),
            (Registered | Ordered | Rectifying | Reported, Note) if regulator || enterprise => {
                Some(status)
            }
            _ => None,
        }
    }

    #[test]
    fn every_transition_for_every_role() {
        // Table-driven: 5 states × 8 actions × 7 roles, inspection hazard of an enterprise.
        for status in STATUSES {
            for action in ACTIONS {
                for role in ALL_ROLES {
                    let who = Actor {
                        role,
                        in_writable_scope: !matches!(role, Role::Leader | Role::Supervisor),
                        is_owner_enterprise: role == Role::Enterprise,
                    };
                    let got = transition(
                        &facts(status, Level::General, Source::Inspection, true, false),
                        action,
                        &who,
                    )
                    .ok();
                    assert_eq!(
                        got,
                        expected(status, action, role),
                        "{status:?} {action:?} {role:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn read_only_and_foreign_actors_can_do_nothing() {
        for status in STATUSES {
            for action in ACTIONS {
                for role in ALL_ROLES {
                    let outside = Actor {
                        role,
                        in_writable_scope: false,
                        is_owner_enterprise: false,
                    };
                    assert!(
                        transition(
                            &facts(status, Level::General, Source::SelfCheck, true, true),
                            action,
                            &outside
                        )
                        .is_err()
                    );
                }
                // Another enterprise (in scope by mistake) is not the owner.
                let other = Actor {
                    role: Role::Enterprise,
                    in_writable_scope: true,
                    is_owner_enterprise: false,
                };
                assert!(
                    transition(
                        &facts(status, Level::General, Source::SelfCheck, true, true),
                        action,
                        &other
                    )
                    .is_err()
                );
            }
        }
    }

    #[test]
    fn self_check_hazards_are_run_by_the_enterprise() {
        let ent = Actor {
            role: Role::Enterprise,
            in_writable_scope: true,
            is_owner_enterprise: true,
        };
        let f = |s| facts(s, Level::General, Source::SelfCheck, true, false);
        assert_eq!(
            transition(&f(Status::Registered), Action::Start, &ent),
            Ok(Status::Rectifying)
        );
        assert_eq!(
            transition(&f(Status::Rectifying), Action::Report, &ent),
            Ok(Status::Reported)
        );
        assert_eq!(
            transition(&f(Status::Reported), Action::Pass, &ent),
            Ok(Status::Closed)
        );
        // A major self-check hazard is closed by a regulator only.
        let major = facts(
            Status::Reported,
            Level::Major,
            Source::SelfCheck,
            true,
            true,
        );
        assert!(transition(&major, Action::Pass, &ent).is_err());
        let insp = Actor {
            role: Role::Inspector,
            in_writable_scope: true,
            is_owner_enterprise: false,
        };
        assert_eq!(transition(&major, Action::Pass, &insp), Ok(Status::Closed));
    }

    #[test]
    fn public_hazards_are_rectified_under_the_regulator() {
        let town = Actor {
            role: Role::Township,
            in_writable_scope: true,
            is_owner_enterprise: false,
        };
        let f = |s| facts(s, Level::General, Source::PublicReport, false, false);
        assert_eq!(
            transition(&f(Status::Ordered), Action::Start, &town),
            Ok(Status::Rectifying)
        );
        assert_eq!(
            transition(&f(Status::Rectifying), Action::Report, &town),
            Ok(Status::Reported)
        );
    }

    #[test]
    fn major_hazards_need_the_five_in_place() {
        let ent = Actor {
            role: Role::Enterprise,
            in_writable_scope: true,
            is_owner_enterprise: true,
        };
        let missing = facts(
            Status::Ordered,
            Level::Major,
            Source::Inspection,
            true,
            false,
        );
        assert!(matches!(
            transition(&missing, Action::Start, &ent),
            Err(TransitionError::Unmet(_))
        ));
        let ready = facts(
            Status::Ordered,
            Level::Major,
            Source::Inspection,
            true,
            true,
        );
        assert_eq!(
            transition(&ready, Action::Start, &ent),
            Ok(Status::Rectifying)
        );
        // No on-the-spot fix for a major hazard.
        let insp = Actor {
            role: Role::Inspector,
            in_writable_scope: true,
            is_owner_enterprise: false,
        };
        assert!(
            transition(
                &facts(
                    Status::Registered,
                    Level::Major,
                    Source::Inspection,
                    true,
                    true
                ),
                Action::FixOnSite,
                &insp
            )
            .is_err()
        );
    }

    #[test]
    fn overdue_is_derived() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let due = d("2022-06-10");
        let day = |s: &str| d(s).unwrap_or_default();
        assert!(!is_overdue(
            Status::Rectifying,
            due,
            None,
            day("2022-06-10")
        ));
        assert!(is_overdue(Status::Rectifying, due, None, day("2022-06-11")));
        assert!(!is_overdue(Status::Closed, due, None, day("2022-06-11")));
        assert!(!is_overdue(
            Status::Rectifying,
            None,
            None,
            day("2030-01-01")
        ));
    }

    /// 安全生产执法程序规定 (安监总政法〔2016〕72号): once the party reports the rectification
    /// done, the regulator re-inspects within 10 working days; the hazard waits on the
    /// review, it is not 逾期未整改. A report after the deadline leaves it overdue.
    #[test]
    fn zhi_fa_cheng_xu_reported_in_time_awaits_review_not_overdue() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let due = d("2022-06-10");
        let later = d("2022-07-01").unwrap_or_default();
        assert!(!is_overdue(Status::Reported, due, d("2022-06-10"), later));
        assert!(!is_overdue(Status::Reported, due, d("2022-06-01"), later));
        assert!(is_overdue(Status::Reported, due, d("2022-06-11"), later));
        // A report date is only what the hazard waits on while it waits: sent back, overdue.
        assert!(is_overdue(Status::Rectifying, due, d("2022-06-01"), later));
        assert_eq!(REVIEW_WORKING_DAYS, 10);
    }

    #[test]
    fn the_report_date_follows_the_status() {
        use Status::*;
        let t = "2022-06-05";
        assert_eq!(
            reported_on_after(Rectifying, None, Reported, t).as_deref(),
            Some(t)
        );
        assert_eq!(
            reported_on_after(Registered, None, Reported, t).as_deref(),
            Some(t)
        );
        // A note while waiting keeps the first report's date; closing keeps it too.
        let first = Some("2022-06-01");
        assert_eq!(
            reported_on_after(Reported, first, Reported, t),
            first.map(String::from)
        );
        assert_eq!(
            reported_on_after(Reported, first, Closed, t),
            first.map(String::from)
        );
        assert_eq!(
            reported_on_after(Closed, first, Closed, t),
            first.map(String::from)
        );
        // Sent back by the review: no longer waiting.
        assert_eq!(reported_on_after(Reported, first, Rectifying, t), None);
        assert_eq!(reported_on_after(Ordered, None, Closed, t), None);
    }
}
