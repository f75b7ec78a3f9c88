//! 挂牌督办 (listing for government supervision) and 摘牌 (de-listing), domain.md 1.4:
//! proposed → approved → listed (announced) → [extended]* → de-listing requested →
//! verified → de-listed (announced). A listing may span years: one listed in 2021 and
//! de-listed in 2022 counts in 2022's de-listed figure.

use crate::scope::Permission;
use crate::workflow::{self, Actor, Workflow};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListingState {
    Proposed,
    Approved,
    Listed,
    DelistRequested,
    Verified,
    Delisted,
}

pub const LISTING_STATES: [ListingState; 6] = [
    ListingState::Proposed,
    ListingState::Approved,
    ListingState::Listed,
    ListingState::DelistRequested,
    ListingState::Verified,
    ListingState::Delisted,
];

impl ListingState {
    pub fn as_str(self) -> &'static str {
        match self {
            ListingState::Proposed => "proposed",
            ListingState::Approved => "approved",
            ListingState::Listed => "listed",
            ListingState::DelistRequested => "delist_requested",
            ListingState::Verified => "verified",
            ListingState::Delisted => "delisted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        LISTING_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ListingState::Proposed => "提请挂牌",
            ListingState::Approved => "已批准挂牌",
            ListingState::Listed => "挂牌督办中",
            ListingState::DelistRequested => "申请摘牌",
            ListingState::Verified => "已验收",
            ListingState::Delisted => "已摘牌销案",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingAction {
    /// 批准挂牌 (安委会负责人).
    Approve,
    /// 挂牌 with document number and announcement.
    List,
    /// 延期 (new deadline, reason).
    Extend,
    /// 申请摘牌 (after remediation, with evaluation).
    RequestDelist,
    /// 现场核查合格.
    Verify,
    /// 核查不合格，继续督办 (reason).
    Reject,
    /// 摘牌销案 with its announcement.
    Delist,
}

pub const LISTING_ACTIONS: [ListingAction; 7] = [
    ListingAction::Approve,
    ListingAction::List,
    ListingAction::Extend,
    ListingAction::RequestDelist,
    ListingAction::Verify,
    ListingAction::Reject,
    ListingAction::Delist,
];

impl ListingAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ListingAction::Approve => "approve",
            ListingAction::List => "list",
            ListingAction::Extend => "extend",
            ListingAction::RequestDelist => "request_delist",
            ListingAction::Verify => "verify",
            ListingAction::Reject => "reject",
            ListingAction::Delist => "delist",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        LISTING_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ListingAction::Approve => "批准挂牌",
            ListingAction::List => "挂牌并公告",
            ListingAction::Extend => "延期",
            ListingAction::RequestDelist => "申请摘牌",
            ListingAction::Verify => "核查合格",
            ListingAction::Reject => "核查不合格",
            ListingAction::Delist => "摘牌销案并公告",
        }
    }
}

pub use crate::workflow::TransitionError as ListingError;

/// What the rules of a listing look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingFacts {
    pub state: ListingState,
    pub has_enterprise: bool,
}

crate::impl_step!(ListingState, ListingAction);

/// 挂牌督办. The 安委办 approves, lists, extends and de-lists; departments verify; the
/// responsible enterprise (or the supervising side for a listing without an enterprise)
/// requests de-listing.
pub struct ListingFlow;

impl Workflow for ListingFlow {
    type State = ListingState;
    type Action = ListingAction;
    type Facts = ListingFacts;
    const ACTIONS: &'static [ListingAction] = &LISTING_ACTIONS;

    fn state(f: &ListingFacts) -> ListingState {
        f.state
    }

    fn next(f: &ListingFacts, action: ListingAction) -> Option<ListingState> {
        use ListingAction as A;
        use ListingState as S;
        Some(match (f.state, action) {
            (S::Proposed, A::Approve) => S::Approved,
            (S::Approved, A::List) => S::Listed,
            (S::Listed, A::Extend) => S::Listed,
            (S::Listed, A::RequestDelist) => S::DelistRequested,
            (S::DelistRequested, A::Verify) => S::Verified,
            (S::DelistRequested, A::Reject) => S::Listed,
            (S::Verified, A::Delist) => S::Delisted,
            _ => return None,
        })
    }

    fn may(f: &ListingFacts, action: ListingAction, who: &Actor) -> bool {
        use ListingAction as A;
        let responsible = (who.may(Permission::WorkOwnHazards) && who.is_owner_enterprise)
            || (!f.has_enterprise && who.may(Permission::DirectRemediation));
        match action {
            A::Approve | A::List | A::Extend | A::Delist => {
                who.may(Permission::DecideAsCountyOffice)
            }
            A::Verify | A::Reject => who.may(Permission::DecideAsAgency),
            A::RequestDelist => responsible,
        }
    }
}

/// The next state, or why not.
pub fn transition(
    f: &ListingFacts,
    action: ListingAction,
    who: &Actor,
) -> Result<ListingState, ListingError> {
    workflow::transition::<ListingFlow>(f, action, who)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{ALL_ROLES, Role};

    fn facts(state: ListingState) -> ListingFacts {
        ListingFacts {
            state,
            has_enterprise: true,
        }
    }

    #[test]
    fn every_listing_transition_for_every_role() {
        use ListingAction as A;
        use ListingState as S;
        for s in LISTING_STATES {
            for a in LISTING_ACTIONS {
                for r in ALL_ROLES {
                    let writable = !matches!(r, Role::Leader | Role::Supervisor);
                    let got = transition(
                        &facts(s),
                        a,
                        &Actor {
                            role: r,
                            in_writable_scope: writable,
                            is_owner_enterprise: r == Role::Enterprise,
                        },
                    )
                    .ok();
                    let admin = r == Role::Admin;
                    let checker = matches!(r, Role::Admin | Role::Department);
                    let want = match (s, a) {
                        (S::Proposed, A::Approve) if admin => Some(S::Approved),
                        (S::Approved, A::List) if admin => Some(S::Listed),
                        (S::Listed, A::Extend) if admin => Some(S::Listed),
                        (S::Listed, A::RequestDelist) if r == Role::Enterprise => {
                            Some(S::DelistRequested)
                        }
                        (S::DelistRequested, A::Verify) if checker => Some(S::Verified),
                        (S::DelistRequested, A::Reject) if checker => Some(S::Listed),
                        (S::Verified, A::Delist) if admin => Some(S::Delisted),
                        _ => None,
                    };
                    assert_eq!(got, want, "{s:?} {a:?} {r:?}");
                }
            }
        }
    }

    #[test]
    fn outside_the_scope_nobody_acts() {
        for s in LISTING_STATES {
            for a in LISTING_ACTIONS {
                assert!(
                    transition(
                        &facts(s),
                        a,
                        &Actor {
                            role: Role::Admin,
                            in_writable_scope: false,
                            is_owner_enterprise: false
                        }
                    )
                    .is_err()
                );
            }
        }
    }
}
