//! Hazards (隐患) and their closed loop (domain.md 2.3):
//! registered → rectification ordered → rectifying → rectification reported →
//! re-inspected → closed, with rejection back to rectifying. Overdue is derived
//! from the deadline and the clock, never stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValidationErrors;
use crate::scope::Permission;
use crate::workflow::{self, Workflow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
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
///
/// Generic over how a day is held: `NaiveDate` in the records, text in the table test.
pub fn reported_on_after<D: ToOwned + ?Sized>(
    before: Status,
    before_reported_on: Option<&D>,
    after: Status,
    today: &D,
) -> Option<D::Owned> {
    match (before, after) {
        (Status::Reported, Status::Reported) | (Status::Reported, Status::Closed) => {
            Some(before_reported_on.unwrap_or(today).to_owned())
        }
        (Status::Closed, Status::Closed) => before_reported_on.map(ToOwned::to_owned),
        (_, Status::Reported) => Some(today.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
