//! Administrative penalty cases (行政处罚案件), 行政处罚法 2021 and domain.md 4.4–4.5.
//!
//! Money is kept in fen (分) as integers. Statutory counting rules: "以下" in art. 51 is
//! inclusive (the general rule of Chinese law; the law defines no other meaning), and
//! art. 85 makes its 5- and 7-day periods working days.

use crate::ValidationErrors;
use crate::scope::Permission;
use crate::workflow::{self, Actor, Workflow};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// 简易程序（当场处罚）.
    Simple,
    /// 普通程序.
    General,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// 公民.
    Person,
    /// 法人或者其他组织.
    Organisation,
}

impl PartyKind {
    pub fn label(self) -> &'static str {
        match self {
            PartyKind::Person => "公民",
            PartyKind::Organisation => "法人或者其他组织",
        }
    }
}

/// 行政处罚法 art. 51: on-the-spot decisions only for a warning or a fine of at most
/// 200 CNY (citizen) / 3,000 CNY (organisation); "以下" includes the limit.
pub const SIMPLE_LIMIT_PERSON_FEN: i64 = 200 * 100;
pub const SIMPLE_LIMIT_ORGANISATION_FEN: i64 = 3_000 * 100;

/// Yuan as entered (a JSON number) to fen; rejects negative, non-finite and sub-fen amounts.
pub fn yuan_to_fen(yuan: f64) -> Result<i64, String> {
    if !yuan.is_finite() || yuan < 0.0 {
        return Err("罚款金额应为非负数（元）".into());
    }
    if yuan > 1e12 {
        return Err("罚款金额过大".into());
    }
    let fen = (yuan * 100.0).round();
    if ((yuan * 100.0) - fen).abs() > 1e-6 {
        return Err("罚款金额最小单位为分".into());
    }
    Ok(fen as i64)
}

pub fn fen_text(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{}元", fen / 100)
    } else {
        format!("{}.{:02}元", fen / 100, fen % 100)
    }
}

/// Whether the simple procedure may be used (行政处罚法 art. 51).
pub fn check_simple(party: PartyKind, fine_fen: i64) -> Result<(), String> {
    let limit = match party {
        PartyKind::Person => SIMPLE_LIMIT_PERSON_FEN,
        PartyKind::Organisation => SIMPLE_LIMIT_ORGANISATION_FEN,
    };
    if fine_fen > limit {
        return Err(format!(
            "简易程序（当场处罚）只适用于警告或对{}处以{}以下罚款（《行政处罚法》第五十一条）；本案罚款{}，请改用普通程序",
            party.label(),
            fen_text(limit),
            fen_text(fine_fen)
        ));
    }
    Ok(())
}

/// Late-payment surcharge (行政处罚法 art. 72): 3 % of the fine per day, at most the fine.
pub fn late_surcharge(fine_fen: i64, days_late: i64) -> i64 {
    if days_late <= 0 {
        return 0;
    }
    (fine_fen.saturating_mul(3).saturating_mul(days_late) / 100).min(fine_fen)
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    #[default]
    /// 已立案.
    Registered,
    /// 调查取证.
    Investigating,
    /// 已告知（陈述申辩、听证期间）.
    Notified,
    /// 已申请听证.
    HearingRequested,
    /// 已听证.
    Heard,
    /// 已作出决定.
    Decided,
    /// 已送达.
    Served,
    /// 已执行.
    Executed,
    /// 已结案.
    Closed,
    /// 已终止（撤销）.
    Terminated,
}

pub const CASE_STATUSES: [CaseStatus; 10] = [
    CaseStatus::Registered,
    CaseStatus::Investigating,
    CaseStatus::Notified,
    CaseStatus::HearingRequested,
    CaseStatus::Heard,
    CaseStatus::Decided,
    CaseStatus::Served,
    CaseStatus::Executed,
    CaseStatus::Closed,
    CaseStatus::Terminated,
];

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Registered => "registered",
            CaseStatus::Investigating => "investigating",
            CaseStatus::Notified => "notified",
            CaseStatus::HearingRequested => "hearing_requested",
            CaseStatus::Heard => "heard",
            CaseStatus::Decided => "decided",
            CaseStatus::Served => "served",
            CaseStatus::Executed => "executed",
            CaseStatus::Closed => "closed",
            CaseStatus::Terminated => "terminated",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CASE_STATUSES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Registered => "已立案",
            CaseStatus::Investigating => "调查取证",
            CaseStatus::Notified => "已告知",
            CaseStatus::HearingRequested => "已申请听证",
            CaseStatus::Heard => "已听证",
            CaseStatus::Decided => "已决定",
            CaseStatus::Served => "已送达",
            CaseStatus::Executed => "已执行",
            CaseStatus::Closed => "已结案",
            CaseStatus::Terminated => "已终止",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    Investigate,
    Examine,
    Notify,
    RequestHearing,
    Hear,
    LegalReview,
    Discuss,
    Extend,
    Decide,
    Serve,
    Execute,
    Close,
    Terminate,
    ScheduleHearing,
    Waive,
    WithdrawHearing,
    HearingAbsent,
    Suspend,
    Stay,
    Resume,
    Overturn,
}

pub const CASE_ACTIONS: [CaseAction; 21] = [
    CaseAction::Investigate,
    CaseAction::Examine,
    CaseAction::Notify,
    CaseAction::RequestHearing,
    CaseAction::Hear,
    CaseAction::LegalReview,
    CaseAction::Discuss,
    CaseAction::Extend,
    CaseAction::Decide,
    CaseAction::Serve,
    CaseAction::Execute,
    CaseAction::Close,
    CaseAction::Terminate,
    CaseAction::ScheduleHearing,
    CaseAction::Waive,
    CaseAction::WithdrawHearing,
    CaseAction::HearingAbsent,
    CaseAction::Suspend,
    CaseAction::Stay,
    CaseAction::Resume,
    CaseAction::Overturn,
];

impl CaseAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::Investigate => "investigate",
            CaseAction::Examine => "examine",
            CaseAction::Notify => "notify",
            CaseAction::RequestHearing => "request_hearing",
            CaseAction::Hear => "hear",
            CaseAction::LegalReview => "legal_review",
            CaseAction::Discuss => "discuss",
            CaseAction::Extend => "extend",
            CaseAction::Decide => "decide",
            CaseAction::Serve => "serve",
            CaseAction::Execute => "execute",
            CaseAction::Close => "close",
            CaseAction::Terminate => "terminate",
            CaseAction::ScheduleHearing => "schedule_hearing",
            CaseAction::Waive => "waive",
            CaseAction::WithdrawHearing => "withdraw_hearing",
            CaseAction::HearingAbsent => "hearing_absent",
            CaseAction::Suspend => "suspend",
            CaseAction::Stay => "stay",
            CaseAction::Resume => "resume",
            CaseAction::Overturn => "overturn",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CASE_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseAction::Investigate => "调查取证",
            CaseAction::Examine => "案件审理",
            CaseAction::Notify => "送达行政处罚告知书",
            CaseAction::RequestHearing => "申请听证",
            CaseAction::Hear => "举行听证",
            CaseAction::LegalReview => "法制审核",
            CaseAction::Discuss => "负责人集体讨论",
            CaseAction::Extend => "延长办案期限",
            CaseAction::Decide => "作出处罚决定",
            CaseAction::Serve => "送达决定书",
            CaseAction::Execute => "执行完毕",
            CaseAction::Close => "结案",
            CaseAction::Terminate => "终止（撤销）案件",
            CaseAction::ScheduleHearing => "送达听证通知",
            CaseAction::Waive => "当事人放弃陈述申辩和听证",
            CaseAction::WithdrawHearing => "当事人撤回听证申请",
            CaseAction::HearingAbsent => "当事人拒不出席听证",
            CaseAction::Suspend => "办案期限中止（鉴定、检测、公告）",
            CaseAction::Stay => "停止计算加处罚款（复议、诉讼、暂缓或分期缴纳）",
            CaseAction::Resume => "恢复计算期限",
            CaseAction::Overturn => "处罚决定被变更或撤销",
        }
    }
}

/// What the rules of a general-procedure step look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseFacts {
    pub status: CaseStatus,
    /// A major decision (large fine, shutdown, licence revocation): 法制审核 is mandatory.
    pub major: bool,
    pub legal_review_passed: bool,
    /// The heads of the department discussed the case collectively (art. 57).
    pub discussed: bool,
    /// The case-handling body examined the investigation's results (案件审理).
    pub examined: bool,
    /// The statement and hearing-request period after the notice has ended (or was waived).
    pub notice_period_over: bool,
    /// The case is complex (art. 58(3)): 法制审核 and 集体讨论 (art. 57) before the decision.
    pub complex: bool,
    /// The case involves a major public interest (art. 58(1)): 法制审核 before the decision.
    pub public_interest: bool,
    /// The party waived 陈述申辩 and the hearing, withdrew its request or failed to appear.
    pub rights_waived: bool,
    /// The 5 working days to ask for a hearing after the notice have run out (art. 64(1)).
    pub hearing_request_late: bool,
    /// The hearing notice is not out, or the hearing day has not come (art. 64(2)).
    pub hearing_not_due: bool,
    /// A 鉴定/检测 or 公告 period may be started (one of those kinds is not open).
    pub may_suspend: bool,
    /// A 复议, 诉讼, deferral or instalment period may be started (one of them is not open).
    pub may_stay: bool,
    /// A period that does not count, started by hand, is open.
    pub may_resume: bool,
    /// The decision was already recorded as changed or revoked.
    pub overturned: bool,
}

pub use crate::workflow::TransitionError as CaseError;

/// 法制审核 missing before a major decision.
pub fn review_required() -> CaseError {
    CaseError::Unmet(ValidationErrors::single(
        "legal_review",
        "重大执法决定须先经法制审核（《行政处罚法》第五十八条）",
    ))
}

/// Whether a decision is heavier than what the notice (告知书) proposed: a larger fine, or a
/// measure the notice did not name. 行政处罚法 arts. 44–45: the party is told the proposed
/// penalty and heard on it; a heavier decision needs a new notice and a new statement period.
pub fn heavier_than_notified(
    notified_fine_fen: i64,
    notified_measures: &str,
    fine_fen: i64,
    measures: &str,
) -> bool {
    let named: Vec<&str> = notified_measures
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    fine_fen > notified_fine_fen
        || measures
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .any(|m| !named.contains(&m))
}

/// 集体讨论 missing before a major decision.
pub fn discussion_required() -> CaseError {
    CaseError::Unmet(ValidationErrors::single(
        "discussion",
        "对情节复杂或者重大违法行为给予处罚，须经负责人集体讨论决定（《行政处罚法》第五十七条）",
    ))
}

/// 案件审理 missing before the notice.
pub fn examination_required() -> CaseError {
    CaseError::Unmet(ValidationErrors::single(
        "examination",
        "调查终结后须先进行案件审理，再告知当事人",
    ))
}

/// The statement and hearing-request period is still running.
pub fn notice_period_running() -> CaseError {
    CaseError::NotYet(
        "陈述申辩和申请听证的期限尚未届满，不能作出决定（《行政处罚法》第四十四、四十五、六十四条）",
    )
}

/// Working days the party has after the notice to state its case or ask for a hearing, before
/// a decision may be made (《行政处罚法》第四十四、四十五、六十四条).
pub const STATEMENT_PERIOD_WORKING_DAYS: u32 = 5;

/// Whether the statement period after the notice no longer holds the decision up: it has run
/// out, the hearing was held, there was no notice, or the calendar cannot date it.
pub fn statement_period_over(
    status: CaseStatus,
    notified_on: Option<chrono::NaiveDate>,
    calendar: Option<&crate::calendar::Calendar>,
    today: chrono::NaiveDate,
) -> bool {
    match notified_on {
        Some(n) => {
            calendar
                .and_then(|cal| cal.add_working_days(n, STATEMENT_PERIOD_WORKING_DAYS))
                .is_none_or(|due| today > due)
                || status == CaseStatus::Heard
        }
        None => true,
    }
}

crate::impl_step!(CaseStatus, CaseAction);

/// A general-procedure case. Officers of the department (department users and inspectors)
/// and the 安委办 run the case; the party's hearing request is recorded by them.
pub struct GeneralCase;

impl Workflow for GeneralCase {
    type State = CaseStatus;
    type Action = CaseAction;
    type Facts = CaseFacts;
    const ACTIONS: &'static [CaseAction] = &CASE_ACTIONS;

    fn state(f: &CaseFacts) -> CaseStatus {
        f.status
    }

    fn next(f: &CaseFacts, action: CaseAction) -> Option<CaseStatus> {
        use CaseAction as A;
        use CaseStatus as S;
        Some(match (f.status, action) {
            (S::Registered, A::Investigate) => S::Investigating,
            (S::Investigating, A::Examine) => S::Investigating,
            (S::Investigating, A::Notify) => S::Notified,
            (S::Notified, A::RequestHearing) => S::HearingRequested,
            (S::HearingRequested, A::ScheduleHearing) => S::HearingRequested,
            (S::HearingRequested, A::Hear) => S::Heard,
            (S::Notified, A::Waive) => S::Notified,
            // 行政处罚法 art. 64(8): withdrawn, or absent without good reason: the hearing
            // ends and the case goes on as if none had been asked for.
            (S::HearingRequested, A::WithdrawHearing | A::HearingAbsent) => S::Notified,
            (
                S::Registered | S::Investigating | S::Notified | S::HearingRequested | S::Heard,
                A::Suspend,
            ) => f.status,
            (S::Decided | S::Served, A::Stay) => f.status,
            (
                S::Registered
                | S::Investigating
                | S::Notified
                | S::HearingRequested
                | S::Heard
                | S::Decided
                | S::Served,
                A::Resume,
            ) => f.status,
            (S::Decided | S::Served | S::Executed | S::Closed, A::Overturn) => f.status,
            (S::Notified | S::Heard, A::LegalReview | A::Discuss) => f.status,
            (
                S::Registered | S::Investigating | S::Notified | S::HearingRequested | S::Heard,
                A::Extend,
            ) => f.status,
            (S::Notified | S::Heard, A::Decide) => S::Decided,
            (S::Decided, A::Serve) => S::Served,
            (S::Served, A::Execute) => S::Executed,
            (S::Executed, A::Close) => S::Closed,
            (
                S::Registered | S::Investigating | S::Notified | S::HearingRequested | S::Heard,
                A::Terminate,
            ) => S::Terminated,
            _ => return None,
        })
    }

    fn may(_f: &CaseFacts, _action: CaseAction, who: &Actor) -> bool {
        who.may(Permission::Enforce)
    }

    fn gate(f: &CaseFacts, action: CaseAction) -> Result<(), CaseError> {
        use CaseAction as A;
        match action {
            A::Notify if !f.examined => Err(examination_required()),
            A::Decide => {
                if f.status == CaseStatus::Notified && !f.notice_period_over && !f.rights_waived {
                    return Err(notice_period_running());
                }
                // 行政处罚法 art. 58: a major decision, one after a hearing (58(2)), and one in
                // a complex case (58(3)) or of major public interest (58(1)) is reviewed first.
                if (f.major || f.complex || f.public_interest || f.status == CaseStatus::Heard)
                    && !f.legal_review_passed
                {
                    return Err(review_required());
                }
                if (f.major || f.complex) && !f.discussed {
                    return Err(discussion_required());
                }
                Ok(())
            }
            A::RequestHearing if f.hearing_request_late || f.rights_waived => {
                Err(CaseError::NotYet(
                    "当事人应在告知后五个工作日内提出听证要求，期限已过或已放弃（《行政处罚法》第六十四条第一项、第八十五条）",
                ))
            }
            A::Waive if f.rights_waived => Err(CaseError::NotYet("当事人已放弃陈述申辩和听证")),
            A::Hear | A::HearingAbsent if f.hearing_not_due => Err(CaseError::NotYet(
                "须在举行听证的七个工作日前送达听证通知，并到听证之日方可举行（《行政处罚法》第六十四条第二项、第八十五条）",
            )),
            A::Suspend if !f.may_suspend => {
                Err(CaseError::NotYet("鉴定、检测和公告期间均已在计算中"))
            }
            A::Stay if !f.may_stay => Err(CaseError::NotYet(
                "复议、诉讼、暂缓和分期缴纳期间均已在计算中",
            )),
            A::Resume if !f.may_resume => Err(CaseError::NotYet("没有正在计算的不计入期间")),
            A::Overturn if f.overturned => Err(CaseError::NotYet("该处罚决定已登记为变更或撤销")),
            _ => Ok(()),
        }
    }
}

/// The next status of a general-procedure case.
pub fn transition(f: &CaseFacts, action: CaseAction, who: &Actor) -> Result<CaseStatus, CaseError> {
    workflow::transition::<GeneralCase>(f, action, who)
}

mod codes;
pub mod pause;
mod simple;
pub use codes::{OVERTURNS, Overturn, RIGHTS_WAIVED, RightsWaived};
pub use simple::{SimpleCase, SimpleFacts};

#[cfg(test)]
mod tests;
