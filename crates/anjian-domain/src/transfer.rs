//! 行刑衔接 (国务院令第310号, 应急〔2019〕54号): the transfer of a suspected crime to public
//! security. The officers report; the head of the agency decides within 3 days whether to
//! transfer; an approved transfer goes to the police within 24 hours with its 移送书 (copied to
//! the procuratorate); the police decide on 立案 within their limit; after 不予立案 the agency
//! may ask for reconsideration and the procuratorate's supervision (国务院令第310号 as revised
//! 2020, arts. 5–9).

use crate::scope::Permission;
use crate::workflow::{self, Actor, TransitionError, Workflow};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    #[default]
    Reported,
    Rejected,
    Approved,
    Transferred,
    Filed,
    NotFiled,
    /// The agency asked the police to reconsider their 不予立案 (art. 9).
    Reconsidering,
    /// The agency asked the procuratorate to supervise the police's decision (art. 9).
    Supervising,
}

pub const TRANSFER_STATES: [TransferState; 8] = [
    TransferState::Reported,
    TransferState::Rejected,
    TransferState::Approved,
    TransferState::Transferred,
    TransferState::Filed,
    TransferState::NotFiled,
    TransferState::Reconsidering,
    TransferState::Supervising,
];

impl TransferState {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferState::Reported => "reported",
            TransferState::Rejected => "rejected",
            TransferState::Approved => "approved",
            TransferState::Transferred => "transferred",
            TransferState::Filed => "filed",
            TransferState::NotFiled => "not_filed",
            TransferState::Reconsidering => "reconsidering",
            TransferState::Supervising => "supervising",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        TRANSFER_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            TransferState::Reported => "已报告，待负责人决定",
            TransferState::Rejected => "决定不移送",
            TransferState::Approved => "批准移送，待移送",
            TransferState::Transferred => "已移送公安机关",
            TransferState::Filed => "公安机关已立案",
            TransferState::NotFiled => "公安机关不予立案",
            TransferState::Reconsidering => "已提请复议，待公安机关复议决定",
            TransferState::Supervising => "已建议人民检察院立案监督",
        }
    }
    /// The case has left the agency (counted as transferred in the figures).
    pub fn is_transferred(self) -> bool {
        matches!(
            self,
            TransferState::Transferred
                | TransferState::Filed
                | TransferState::NotFiled
                | TransferState::Reconsidering
                | TransferState::Supervising
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferAction {
    Approve,
    Reject,
    Transfer,
    /// The police take a longer limit to decide on 立案 (7 or 30 days).
    PoliceLimit,
    PoliceFiled,
    PoliceNotFiled,
    Reconsider,
    Supervise,
}

pub const TRANSFER_ACTIONS: [TransferAction; 8] = [
    TransferAction::Approve,
    TransferAction::Reject,
    TransferAction::Transfer,
    TransferAction::PoliceLimit,
    TransferAction::PoliceFiled,
    TransferAction::PoliceNotFiled,
    TransferAction::Reconsider,
    TransferAction::Supervise,
];

impl TransferAction {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferAction::Approve => "approve",
            TransferAction::Reject => "reject",
            TransferAction::Transfer => "transfer",
            TransferAction::PoliceLimit => "police_limit",
            TransferAction::PoliceFiled => "police_filed",
            TransferAction::PoliceNotFiled => "police_not_filed",
            TransferAction::Reconsider => "reconsider",
            TransferAction::Supervise => "supervise",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        TRANSFER_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            TransferAction::Approve => "批准移送",
            TransferAction::Reject => "决定不移送",
            TransferAction::Transfer => "移送公安机关",
            TransferAction::PoliceLimit => "登记公安机关延长立案审查期限",
            TransferAction::PoliceFiled => "登记公安机关立案",
            TransferAction::PoliceNotFiled => "登记公安机关不予立案",
            TransferAction::Reconsider => "提请公安机关复议",
            TransferAction::Supervise => "建议人民检察院立案监督",
        }
    }
}

/// How long the police take to decide on 立案 after accepting a transferred case
/// (应急〔2019〕54号, following 公安机关受理行政执法机关移送涉嫌犯罪案件规定: 3 days; 7 where
/// the leads must be verified; 30 for a major, difficult or complex case with the approval of
/// a head of a police organ at county level or above).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PoliceLimit {
    #[default]
    Standard,
    Verify,
    Complex,
}

impl PoliceLimit {
    pub fn as_str(self) -> &'static str {
        match self {
            PoliceLimit::Standard => "",
            PoliceLimit::Verify => "verify",
            PoliceLimit::Complex => "complex",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            PoliceLimit::Standard,
            PoliceLimit::Verify,
            PoliceLimit::Complex,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
    pub fn days(self) -> u32 {
        match self {
            PoliceLimit::Standard => 3,
            PoliceLimit::Verify => 7,
            PoliceLimit::Complex => 30,
        }
    }
    pub fn rule(self) -> &'static str {
        match self {
            PoliceLimit::Standard => "公安机关自接受移送之日起3日内决定是否立案",
            PoliceLimit::Verify => "涉嫌犯罪线索需要查证的，自接受移送之日起7日内决定是否立案",
            PoliceLimit::Complex => {
                "重大、疑难、复杂案件经县级以上公安机关负责人批准，自接受移送之日起30日内决定是否立案"
            }
        }
    }
}

/// 国务院令第310号 art. 9: the agency may ask for reconsideration within 3 days of receiving
/// the notice of 不予立案; the police decide within 3 days of receiving the request; after a
/// refused reconsideration the agency may ask the procuratorate to supervise within 3 days.
pub const RECONSIDER_WITHIN_DAYS: u32 = 3;
pub const RECONSIDERATION_DECIDED_WITHIN_DAYS: u32 = 3;
pub const SUPERVISION_WITHIN_DAYS: u32 = 3;

/// What the transfer loop looks at: the state and what has been done before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TransferFacts {
    pub state: TransferState,
    /// The 涉嫌犯罪案件移送书 has been issued (the case goes to the police with it, art. 6).
    pub has_letter: bool,
    /// The police already answered a reconsideration request.
    pub reconsidered: bool,
    /// The procuratorate was already asked to supervise.
    pub supervised: bool,
}

impl TransferFacts {
    pub fn of(state: TransferState) -> Self {
        Self {
            state,
            ..Self::default()
        }
    }
}

crate::impl_step!(TransferState, TransferAction);

/// 国务院令第310号 art. 5: the head decides within 3 days of receiving the transfer report.
pub const DECIDE_WITHIN_DAYS: u32 = 3;
/// 国务院令第310号 art. 5: an approved transfer goes to the police within 24 hours. A limit in
/// hours is counted in hours from the recorded time, never rolled over days off.
pub const TRANSFER_WITHIN_HOURS: i64 = 24;

/// When an approved transfer is due at the police: [`TRANSFER_WITHIN_HOURS`] after the
/// decision, to the minute.
pub fn transfer_due(decided_at: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    decided_at + chrono::Duration::hours(TRANSFER_WITHIN_HOURS)
}

/// In what capacity the approver acted: only the agency's principal head (正职负责人) or
/// the deputy presiding over its work (主持工作的负责人) may approve (国务院令第310号 art. 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Principal,
    Presiding,
}

impl Capacity {
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Principal => "principal",
            Capacity::Presiding => "presiding",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Capacity::Principal, Capacity::Presiding]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Capacity::Principal => "正职负责人",
            Capacity::Presiding => "主持工作的负责人",
        }
    }
}

/// The transfer loop.
pub struct TransferFlow;

impl Workflow for TransferFlow {
    type State = TransferState;
    type Action = TransferAction;
    type Facts = TransferFacts;
    const ACTIONS: &'static [TransferAction] = &TRANSFER_ACTIONS;

    fn state(f: &TransferFacts) -> TransferState {
        f.state
    }

    fn next(f: &TransferFacts, action: TransferAction) -> Option<TransferState> {
        use TransferAction as A;
        use TransferState as S;
        Some(match (f.state, action) {
            (S::Reported, A::Approve) => S::Approved,
            (S::Reported, A::Reject) => S::Rejected,
            (S::Approved, A::Transfer) => S::Transferred,
            (S::Transferred, A::PoliceLimit) => S::Transferred,
            // The first decision, the decision on reconsideration, or the police's decision
            // after the procuratorate's supervision.
            (S::Transferred | S::Reconsidering | S::Supervising, A::PoliceFiled) => S::Filed,
            (S::Transferred | S::Reconsidering | S::Supervising, A::PoliceNotFiled) => S::NotFiled,
            (S::NotFiled, A::Reconsider) if !f.reconsidered && !f.supervised => S::Reconsidering,
            (S::NotFiled, A::Supervise) if !f.supervised => S::Supervising,
            _ => return None,
        })
    }

    /// The head of the agency decides; the enforcement officers transfer and record the
    /// police decision.
    fn may(_f: &TransferFacts, action: TransferAction, who: &Actor) -> bool {
        match action {
            TransferAction::Approve | TransferAction::Reject => who.may(Permission::DecideAsAgency),
            _ => who.may(Permission::Enforce),
        }
    }

    /// 国务院令第310号 art. 6: the case goes to the police with its 涉嫌犯罪案件移送书.
    fn gate(f: &TransferFacts, action: TransferAction) -> Result<(), TransitionError> {
        if action == TransferAction::Transfer && !f.has_letter {
            return Err(TransitionError::Unmet(crate::ValidationErrors::single(
                "letter",
                "请先制发《涉嫌犯罪案件移送书》，再登记移送",
            )));
        }
        Ok(())
    }
}

/// The next state, or why not.
pub fn transition(
    f: &TransferFacts,
    action: TransferAction,
    who: &Actor,
) -> Result<TransferState, TransitionError> {
    workflow::transition::<TransferFlow>(f, action, who)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{ALL_ROLES, Role};

    #[test]
    fn every_transfer_step_for_every_role_follows_310_art_5_and_8() {
        // 国务院令第310号 art. 5: the head decides within 3 days of the report; an approved
        // transfer is made within 24 hours; art. 8/9: the police decision is recorded.
        use TransferAction as A;
        use TransferState as S;
        for s in TRANSFER_STATES {
            for a in TRANSFER_ACTIONS {
                for r in ALL_ROLES {
                    let head = matches!(r, Role::Admin | Role::Department);
                    let officer = matches!(r, Role::Admin | Role::Department | Role::Inspector);
                    let want =
                        match (s, a) {
                            (S::Reported, A::Approve) if head => Some(S::Approved),
                            (S::Reported, A::Reject) if head => Some(S::Rejected),
                            (S::Approved, A::Transfer) if officer => Some(S::Transferred),
                            (S::Transferred, A::PoliceLimit) if officer => Some(S::Transferred),
                            (
                                S::Transferred | S::Reconsidering | S::Supervising,
                                A::PoliceFiled,
                            ) if officer => Some(S::Filed),
                            (
                                S::Transferred | S::Reconsidering | S::Supervising,
                                A::PoliceNotFiled,
                            ) if officer => Some(S::NotFiled),
                            (S::NotFiled, A::Reconsider) if officer => Some(S::Reconsidering),
                            (S::NotFiled, A::Supervise) if officer => Some(S::Supervising),
                            _ => None,
                        };
                    let f = TransferFacts {
                        has_letter: true,
                        ..TransferFacts::of(s)
                    };
                    let who = Actor::new(r, true, None, None);
                    assert_eq!(transition(&f, a, &who).ok(), want, "{s:?} {a:?} {r:?}");
                    let outside = Actor::new(r, false, None, None);
                    assert!(transition(&f, a, &outside).is_err());
                }
            }
        }
        for s in TRANSFER_STATES {
            assert_eq!(TransferState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn guowuyuan_ling_310_art_6_no_transfer_without_its_letter() {
        let officer = Actor::new(Role::Inspector, true, None, None);
        let f = TransferFacts::of(TransferState::Approved);
        assert!(matches!(
            transition(&f, TransferAction::Transfer, &officer),
            Err(TransitionError::Unmet(_))
        ));
        let f = TransferFacts {
            has_letter: true,
            ..f
        };
        assert_eq!(
            transition(&f, TransferAction::Transfer, &officer),
            Ok(TransferState::Transferred)
        );
    }

    #[test]
    fn guowuyuan_ling_310_art_9_reconsideration_once_then_procuratorate_supervision() {
        use TransferAction as A;
        use TransferState as S;
        let officer = Actor::new(Role::Inspector, true, None, None);
        let not_filed = TransferFacts::of(S::NotFiled);
        assert_eq!(
            transition(&not_filed, A::Reconsider, &officer),
            Ok(S::Reconsidering)
        );
        // Supervision may be asked directly, or after the reconsideration was refused.
        assert_eq!(
            transition(&not_filed, A::Supervise, &officer),
            Ok(S::Supervising)
        );
        let after_review = TransferFacts {
            reconsidered: true,
            ..not_filed
        };
        assert!(transition(&after_review, A::Reconsider, &officer).is_err());
        assert_eq!(
            transition(&after_review, A::Supervise, &officer),
            Ok(S::Supervising)
        );
        let after_supervision = TransferFacts {
            supervised: true,
            ..after_review
        };
        assert!(transition(&after_supervision, A::Supervise, &officer).is_err());
        assert!(transition(&after_supervision, A::Reconsider, &officer).is_err());
        assert_eq!(PoliceLimit::Verify.days(), 7);
        assert_eq!(PoliceLimit::Complex.days(), 30);
        assert_eq!(PoliceLimit::parse(""), Some(PoliceLimit::Standard));
        assert!(S::Supervising.is_transferred() && !S::Approved.is_transferred());
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;

    fn at(s: &str) -> chrono::NaiveDateTime {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn guowuyuan_ling_310_art_5_transfer_within_24_hours_counted_in_hours() {
        // A Friday-afternoon decision is due on Saturday afternoon: hours are not rolled
        // forward over the weekend or a holiday.
        assert_eq!(transfer_due(at("2022-09-30 15:30")), at("2022-10-01 15:30"));
        assert_eq!(transfer_due(at("2022-06-01 23:59")), at("2022-06-02 23:59"));
        assert_eq!(Capacity::parse("presiding"), Some(Capacity::Presiding));
        assert_eq!(Capacity::parse("deputy"), None);
    }
}
