//! 行刑衔接 (国务院令第310号, 应急〔2019〕54号): the transfer of a suspected crime to public
//! security. The officers report; the head of the agency decides within 3 days whether to
//! transfer; an approved transfer goes to the police; the police decision is recorded.

use crate::scope::Permission;
use crate::workflow::{self, Actor, TransitionError, Workflow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    #[default]
    Reported,
    Rejected,
    Approved,
    Transferred,
    Filed,
    NotFiled,
}

pub const TRANSFER_STATES: [TransferState; 6] = [
    TransferState::Reported,
    TransferState::Rejected,
    TransferState::Approved,
    TransferState::Transferred,
    TransferState::Filed,
    TransferState::NotFiled,
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferAction {
    Approve,
    Reject,
    Transfer,
    PoliceFiled,
    PoliceNotFiled,
}

pub const TRANSFER_ACTIONS: [TransferAction; 5] = [
    TransferAction::Approve,
    TransferAction::Reject,
    TransferAction::Transfer,
    TransferAction::PoliceFiled,
    TransferAction::PoliceNotFiled,
];

impl TransferAction {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferAction::Approve => "approve",
            TransferAction::Reject => "reject",
            TransferAction::Transfer => "transfer",
            TransferAction::PoliceFiled => "police_filed",
            TransferAction::PoliceNotFiled => "police_not_filed",
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
            TransferAction::PoliceFiled => "登记公安机关立案",
            TransferAction::PoliceNotFiled => "登记公安机关不予立案",
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
    type Facts = TransferState;
    const ACTIONS: &'static [TransferAction] = &TRANSFER_ACTIONS;

    fn state(f: &TransferState) -> TransferState {
        *f
    }

    fn next(f: &TransferState, action: TransferAction) -> Option<TransferState> {
        use TransferAction as A;
        use TransferState as S;
        Some(match (f, action) {
            (S::Reported, A::Approve) => S::Approved,
            (S::Reported, A::Reject) => S::Rejected,
            (S::Approved, A::Transfer) => S::Transferred,
            (S::Transferred, A::PoliceFiled) => S::Filed,
            (S::Transferred, A::PoliceNotFiled) => S::NotFiled,
            _ => return None,
        })
    }

    /// The head of the agency decides; the enforcement officers transfer and record the
    /// police decision.
    fn may(_f: &TransferState, action: TransferAction, who: &Actor) -> bool {
        match action {
            TransferAction::Approve | TransferAction::Reject => who.may(Permission::DecideAsAgency),
            _ => who.may(Permission::Enforce),
        }
    }
}

/// The next state, or why not.
pub fn transition(
    f: &TransferState,
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
                    let want = match (s, a) {
                        (S::Reported, A::Approve) if head => Some(S::Approved),
                        (S::Reported, A::Reject) if head => Some(S::Rejected),
                        (S::Approved, A::Transfer) if officer => Some(S::Transferred),
                        (S::Transferred, A::PoliceFiled) if officer => Some(S::Filed),
                        (S::Transferred, A::PoliceNotFiled) if officer => Some(S::NotFiled),
                        _ => None,
                    };
                    let who = Actor::new(r, true, None, None);
                    assert_eq!(transition(&s, a, &who).ok(), want, "{s:?} {a:?} {r:?}");
                    let outside = Actor::new(r, false, None, None);
                    assert!(transition(&s, a, &outside).is_err());
                }
            }
        }
        for s in TRANSFER_STATES {
            assert_eq!(TransferState::parse(s.as_str()), Some(s));
        }
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
