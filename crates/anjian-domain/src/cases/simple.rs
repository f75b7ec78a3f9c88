//! The simple procedure (当场处罚, 行政处罚法 arts. 51–52): decided and served on the spot,
//! then executed and closed; a review, deferral or overturned decision as in the general one.

use super::{CASE_ACTIONS, CaseAction, CaseError, CaseFacts, CaseStatus, GeneralCase};
use crate::scope::Permission;
use crate::workflow::{Actor, Workflow};

/// What the rules of a simple-procedure (当场处罚) case look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimpleFacts {
    pub status: CaseStatus,
    /// Opened by a township under a 委托执法 commission.
    pub commissioned: bool,
    /// As in [`CaseFacts`]: a 复议/诉讼/deferral period may start, one is open, the
    /// decision was overturned.
    pub may_stay: bool,
    pub may_resume: bool,
    pub overturned: bool,
}

/// A simple-procedure case: decided and served on the spot, then executed and closed by the
/// enforcers, or by the township officers of a commissioned case.
pub struct SimpleCase;

impl Workflow for SimpleCase {
    type State = CaseStatus;
    type Action = CaseAction;
    type Facts = SimpleFacts;
    const ACTIONS: &'static [CaseAction] = &CASE_ACTIONS;

    fn state(f: &SimpleFacts) -> CaseStatus {
        f.status
    }

    fn next(f: &SimpleFacts, action: CaseAction) -> Option<CaseStatus> {
        use CaseAction as A;
        use CaseStatus as S;
        match (f.status, action) {
            (S::Served, A::Execute) => Some(S::Executed),
            (S::Executed, A::Close) => Some(S::Closed),
            (S::Served, A::Stay | A::Resume) => Some(S::Served),
            (S::Served | S::Executed | S::Closed, A::Overturn) => Some(f.status),
            _ => None,
        }
    }

    /// A commissioned township executes and closes its own cases; a review, a deferral or an
    /// overturned decision is the commissioning agency's business.
    fn may(f: &SimpleFacts, action: CaseAction, who: &Actor) -> bool {
        who.may(Permission::Enforce)
            || (f.commissioned
                && who.may(Permission::OpenCases)
                && matches!(action, CaseAction::Execute | CaseAction::Close))
    }

    fn gate(f: &SimpleFacts, action: CaseAction) -> Result<(), CaseError> {
        GeneralCase::gate(
            &CaseFacts {
                status: f.status,
                may_stay: f.may_stay,
                may_resume: f.may_resume,
                overturned: f.overturned,
                examined: true,
                ..Default::default()
            },
            action,
        )
    }
}
