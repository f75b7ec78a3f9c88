//! The case's loop: the state graph, who may take each step, and the one transition.

use super::*;

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
