//! Major hazards under "一单四制" (domain.md 1.2–1.3): determination (研究认定), the
//! list (清单) per tier, 交办 (assignment letter), remediation with the 五落实, ledger
//! entries (台账), extensions, close-out request → acceptance → 销号 (or back to
//! remediation), and downgrade to a general hazard as a recorded decision. Overdue
//! items are reported in periodic 通报.

use crate::hazard::Status;
use crate::scope::Permission;
use crate::workflow::{self, Workflow};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 研究认定中.
    UnderDetermination,
    /// 列入清单.
    Listed,
    /// 已交办.
    Assigned,
    /// 整改中 (the 五落实 are in place).
    InRemediation,
    /// 申请延期.
    ExtensionRequested,
    /// 申请销号 (evidence attached), awaiting acceptance.
    CloseoutRequested,
    /// 已销号.
    Closed,
    /// 经认定降为一般隐患.
    Downgraded,
}

pub const CASE_STATES: [CaseState; 8] = [
    CaseState::UnderDetermination,
    CaseState::Listed,
    CaseState::Assigned,
    CaseState::InRemediation,
    CaseState::ExtensionRequested,
    CaseState::CloseoutRequested,
    CaseState::Closed,
    CaseState::Downgraded,
];

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::UnderDetermination => "under_determination",
            CaseState::Listed => "listed",
            CaseState::Assigned => "assigned",
            CaseState::InRemediation => "in_remediation",
            CaseState::ExtensionRequested => "extension_requested",
            CaseState::CloseoutRequested => "closeout_requested",
            CaseState::Closed => "closed",
            CaseState::Downgraded => "downgraded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CASE_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseState::UnderDetermination => "研究认定中",
            CaseState::Listed => "已列入清单",
            CaseState::Assigned => "已交办",
            CaseState::InRemediation => "整改中",
            CaseState::ExtensionRequested => "申请延期",
            CaseState::CloseoutRequested => "申请销号",
            CaseState::Closed => "已销号",
            CaseState::Downgraded => "已降为一般隐患",
        }
    }
    /// Still on the list and not finished.
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::Closed | CaseState::Downgraded)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    /// 认定为重大隐患并列入清单 (basis standard and clause required).
    List,
    /// 认定为一般隐患 (reason required).
    Downgrade,
    /// 交办 (letter number, responsible unit, coordinating supervisor, deadline).
    Assign,
    /// 开始整改 (requires the 五落实).
    Start,
    /// 台账登记 (progress entry).
    Ledger,
    /// 申请延期.
    RequestExtension,
    /// 批准延期 (new deadline).
    ApproveExtension,
    /// 不予延期.
    DenyExtension,
    /// 申请销号.
    RequestCloseout,
    /// 验收合格，销号.
    Accept,
    /// 验收不合格，退回整改 (reason required).
    Fail,
}

pub const CASE_ACTIONS: [CaseAction; 11] = [
    CaseAction::List,
    CaseAction::Downgrade,
    CaseAction::Assign,
    CaseAction::Start,
    CaseAction::Ledger,
    CaseAction::RequestExtension,
    CaseAction::ApproveExtension,
    CaseAction::DenyExtension,
    CaseAction::RequestCloseout,
    CaseAction::Accept,
    CaseAction::Fail,
];

impl CaseAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::List => "list",
            CaseAction::Downgrade => "downgrade",
            CaseAction::Assign => "assign",
            CaseAction::Start => "start",
            CaseAction::Ledger => "ledger",
            CaseAction::RequestExtension => "request_extension",
            CaseAction::ApproveExtension => "approve_extension",
            CaseAction::DenyExtension => "deny_extension",
            CaseAction::RequestCloseout => "request_closeout",
            CaseAction::Accept => "accept",
            CaseAction::Fail => "fail",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CASE_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseAction::List => "认定并列入清单",
            CaseAction::Downgrade => "认定为一般隐患",
            CaseAction::Assign => "交办",
            CaseAction::Start => "落实五落实并开始整改",
            CaseAction::Ledger => "登记整改台账",
            CaseAction::RequestExtension => "申请延期",
            CaseAction::ApproveExtension => "批准延期",
            CaseAction::DenyExtension => "不予延期",
            CaseAction::RequestCloseout => "申请销号",
            CaseAction::Accept => "验收合格销号",
            CaseAction::Fail => "验收不合格退回",
        }
    }
    /// The general hazard status this action moves the underlying hazard to, if any.
    pub fn hazard_status(self) -> Option<Status> {
        match self {
            CaseAction::Assign => Some(Status::Ordered),
            CaseAction::Start | CaseAction::Fail => Some(Status::Rectifying),
            CaseAction::RequestCloseout => Some(Status::Reported),
            CaseAction::Accept => Some(Status::Closed),
            _ => None,
        }
    }
}

/// A major hazard is handled under 一单四制: registering one opens its case (研究认定).
pub fn opens_case(level: crate::hazard::Level) -> bool {
    level == crate::hazard::Level::Major
}

impl CaseState {
    /// The state of the case of a major hazard brought in with its history (an import of
    /// earlier years' records): the case stands where the hazard's own loop stands.
    pub fn of_loaded_hazard(status: Status) -> CaseState {
        match status {
            Status::Registered => CaseState::Listed,
            Status::Ordered => CaseState::Assigned,
            Status::Rectifying => CaseState::InRemediation,
            Status::Reported => CaseState::CloseoutRequested,
            Status::Closed => CaseState::Closed,
        }
    }
}

pub use crate::workflow::TransitionError as CaseError;
/// Who acts on a case.
pub type CaseActor = crate::workflow::Actor;

/// What the rules of a 一单四制 case look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub state: CaseState,
    pub has_enterprise: bool,
}

/// The 一单四制 loop of a major hazard.
pub struct MajorFlow;

crate::impl_step!(CaseState, CaseAction);

impl Workflow for MajorFlow {
    type State = CaseState;
    type Action = CaseAction;
    type Facts = CaseFacts;
    const ACTIONS: &'static [CaseAction] = &CASE_ACTIONS;

    fn state(f: &CaseFacts) -> CaseState {
        f.state
    }

    fn next(f: &CaseFacts, action: CaseAction) -> Option<CaseState> {
        use CaseAction as A;
        use CaseState as S;
        let state = f.state;
        Some(match (state, action) {
            (S::UnderDetermination, A::List) => S::Listed,
            (S::UnderDetermination | S::Listed, A::Downgrade) => S::Downgraded,
            (S::Listed, A::Assign) => S::Assigned,
            (S::Assigned, A::Start) => S::InRemediation,
            (S::Assigned | S::InRemediation | S::ExtensionRequested, A::Ledger) => state,
            (S::InRemediation, A::RequestExtension) => S::ExtensionRequested,
            (S::ExtensionRequested, A::ApproveExtension | A::DenyExtension) => S::InRemediation,
            (S::InRemediation, A::RequestCloseout) => S::CloseoutRequested,
            (S::CloseoutRequested, A::Accept) => S::Closed,
            (S::CloseoutRequested, A::Fail) => S::InRemediation,
            _ => return None,
        })
    }

    /// Determination, listing, assignment, extension decisions and acceptance belong to the
    /// supervising side (安委办 and departments; townships for the hazards of their
    /// territory); remediation steps to the responsible enterprise, or to the supervising
    /// side for a hazard without one.
    fn may(f: &CaseFacts, action: CaseAction, who: &CaseActor) -> bool {
        use CaseAction as A;
        let supervisor = who.may(Permission::DirectRemediation);
        let responsible = (who.may(Permission::WorkOwnHazards) && who.is_owner_enterprise)
            || (!f.has_enterprise && supervisor);
        match action {
            A::List
            | A::Downgrade
            | A::Assign
            | A::ApproveExtension
            | A::DenyExtension
            | A::Accept
            | A::Fail => supervisor,
            A::Start | A::RequestExtension | A::RequestCloseout => responsible,
            A::Ledger => responsible || who.may(Permission::Supervise),
        }
    }
}

/// The next state, or why not.
pub fn transition(
    f: &CaseFacts,
    action: CaseAction,
    who: &CaseActor,
) -> Result<CaseState, CaseError> {
    workflow::transition::<MajorFlow>(f, action, who)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{ALL_ROLES, Role};

    fn actor(role: Role) -> CaseActor {
        CaseActor {
            role,
            in_writable_scope: !matches!(role, Role::Leader | Role::Supervisor),
            is_owner_enterprise: role == Role::Enterprise,
        }
    }

    fn expected(state: CaseState, action: CaseAction, role: Role) -> Option<CaseState> {
        use CaseAction as A;
        use CaseState as S;
        let sup = matches!(role, Role::Admin | Role::Department | Role::Township);
        let ent = role == Role::Enterprise;
        match (state, action) {
            (S::UnderDetermination, A::List) if sup => Some(S::Listed),
            (S::UnderDetermination | S::Listed, A::Downgrade) if sup => Some(S::Downgraded),
            (S::Listed, A::Assign) if sup => Some(S::Assigned),
            (S::Assigned, A::Start) if ent => Some(S::InRemediation),
            (S::Assigned | S::InRemediation | S::ExtensionRequested, A::Ledger)
                if sup || ent || role == Role::Inspector =>
            {
                Some(state)
            }
            (S::InRemediation, A::RequestExtension) if ent => Some(S::ExtensionRequested),
            (S::ExtensionRequested, A::ApproveExtension | A::DenyExtension) if sup => {
                Some(S::InRemediation)
            }
            (S::InRemediation, A::RequestCloseout) if ent => Some(S::CloseoutRequested),
            (S::CloseoutRequested, A::Accept) if sup => Some(S::Closed),
            (S::CloseoutRequested, A::Fail) if sup => Some(S::InRemediation),
            _ => None,
        }
    }

    #[test]
    fn every_case_transition_for_every_role() {
        // 8 states × 11 actions × 7 roles, for an enterprise's major hazard.
        for s in CASE_STATES {
            for a in CASE_ACTIONS {
                for r in ALL_ROLES {
                    assert_eq!(
                        transition(
                            &CaseFacts {
                                state: s,
                                has_enterprise: true
                            },
                            a,
                            &actor(r)
                        )
                        .ok(),
                        expected(s, a, r),
                        "{s:?} {a:?} {r:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn public_major_hazards_are_remediated_under_the_supervisor() {
        let town = actor(Role::Township);
        assert_eq!(
            transition(
                &CaseFacts {
                    state: CaseState::Assigned,
                    has_enterprise: false
                },
                CaseAction::Start,
                &town
            ),
            Ok(CaseState::InRemediation)
        );
        assert!(
            transition(
                &CaseFacts {
                    state: CaseState::Assigned,
                    has_enterprise: true
                },
                CaseAction::Start,
                &town
            )
            .is_err()
        );
    }

    #[test]
    fn outsiders_and_foreign_enterprises_cannot_act() {
        let foreign = CaseActor {
            role: Role::Enterprise,
            in_writable_scope: true,
            is_owner_enterprise: false,
        };
        let outside = CaseActor {
            role: Role::Admin,
            in_writable_scope: false,
            is_owner_enterprise: false,
        };
        for s in CASE_STATES {
            for a in CASE_ACTIONS {
                assert!(
                    transition(
                        &CaseFacts {
                            state: s,
                            has_enterprise: true
                        },
                        a,
                        &foreign
                    )
                    .is_err()
                );
                assert!(
                    transition(
                        &CaseFacts {
                            state: s,
                            has_enterprise: true
                        },
                        a,
                        &outside
                    )
                    .is_err()
                );
            }
        }
    }

    #[test]
    fn major_hazards_open_cases_that_follow_their_loop() {
        assert!(opens_case(crate::hazard::Level::Major));
        assert!(!opens_case(crate::hazard::Level::General));
        for (status, state) in [
            (Status::Registered, CaseState::Listed),
            (Status::Ordered, CaseState::Assigned),
            (Status::Rectifying, CaseState::InRemediation),
            (Status::Reported, CaseState::CloseoutRequested),
            (Status::Closed, CaseState::Closed),
        ] {
            assert_eq!(CaseState::of_loaded_hazard(status), state);
        }
    }
}
