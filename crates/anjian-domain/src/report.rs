//! 举报 from the public (安全生产领域举报奖励办法, 安监总财〔2018〕19号): received, assigned for
//! verification, verified or found unfounded, a reward approved for a verified real-name
//! report, and paid.

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
pub enum ReportState {
    #[default]
    Received,
    Assigned,
    Verified,
    Unfounded,
    Approved,
    Paid,
}

pub const REPORT_STATES: [ReportState; 6] = [
    ReportState::Received,
    ReportState::Assigned,
    ReportState::Verified,
    ReportState::Unfounded,
    ReportState::Approved,
    ReportState::Paid,
];

impl ReportState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::Received => "received",
            ReportState::Assigned => "assigned",
            ReportState::Verified => "verified",
            ReportState::Unfounded => "unfounded",
            ReportState::Approved => "approved",
            ReportState::Paid => "paid",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        REPORT_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ReportState::Received => "已受理",
            ReportState::Assigned => "已交办核查",
            ReportState::Verified => "查证属实",
            ReportState::Unfounded => "查无实据",
            ReportState::Approved => "奖励已批准",
            ReportState::Paid => "奖励已发放",
        }
    }
}

/// The steps of a report. `Verify` and `Dismiss` are the two outcomes of one verification
/// (the API's `verify` with outcome `verified` or `unfounded`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    Assign,
    Verify,
    Dismiss,
    Reward,
    Pay,
}

pub const REPORT_ACTIONS: [ReportAction; 5] = [
    ReportAction::Assign,
    ReportAction::Verify,
    ReportAction::Dismiss,
    ReportAction::Reward,
    ReportAction::Pay,
];

impl ReportAction {
    /// The action's code in the API (both outcomes of verification are `verify`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReportAction::Assign => "assign",
            ReportAction::Verify | ReportAction::Dismiss => "verify",
            ReportAction::Reward => "reward",
            ReportAction::Pay => "pay",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReportAction::Assign => "交办核查",
            ReportAction::Verify => "查证属实",
            ReportAction::Dismiss => "查无实据",
            ReportAction::Reward => "批准奖励",
            ReportAction::Pay => "发放奖励",
        }
    }
}

crate::impl_step!(ReportState, ReportAction);

/// What the rules of a report look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportFacts {
    pub state: ReportState,
    /// Anonymous reports are verified but not rewarded (no one to pay).
    pub anonymous: bool,
    /// A report on the same matter received earlier: `Some(true)` while it is still open,
    /// `Some(false)` once verified (安监总财〔2018〕19号: only the first valid reporter of a
    /// matter, by time of receipt, is rewarded).
    pub earlier_on_matter: Option<bool>,
}

/// The 举报 loop.
pub struct ReportFlow;

impl Workflow for ReportFlow {
    type State = ReportState;
    type Action = ReportAction;
    type Facts = ReportFacts;
    const ACTIONS: &'static [ReportAction] = &REPORT_ACTIONS;

    fn state(f: &ReportFacts) -> ReportState {
        f.state
    }

    fn next(f: &ReportFacts, action: ReportAction) -> Option<ReportState> {
        use ReportAction as A;
        use ReportState as S;
        Some(match (f.state, action) {
            (S::Received, A::Assign) => S::Assigned,
            (S::Received | S::Assigned, A::Verify) => S::Verified,
            (S::Received | S::Assigned, A::Dismiss) => S::Unfounded,
            (S::Verified, A::Reward) => S::Approved,
            (S::Approved, A::Pay) => S::Paid,
            _ => return None,
        })
    }

    /// Only the first valid reporter of a matter is rewarded, whatever order the reports
    /// were verified in.
    fn gate(f: &ReportFacts, action: ReportAction) -> Result<(), TransitionError> {
        match (action, f.earlier_on_matter) {
            (ReportAction::Reward, Some(true)) => Err(TransitionError::NotYet(
                "同一事项有受理在先的举报尚在核查，待其办结后再评定奖励",
            )),
            (ReportAction::Reward, Some(false)) => Err(TransitionError::NotYet(
                "同一事项已有受理在先的举报查实，只奖励首位有效举报人（安监总财〔2018〕19号）",
            )),
            _ => Ok(()),
        }
    }

    /// The 安委办 assigns; whoever supervises verifies; the head of an agency approves and
    /// pays rewards.
    fn may(f: &ReportFacts, action: ReportAction, who: &Actor) -> bool {
        use ReportAction as A;
        match action {
            A::Assign => who.may(Permission::DecideAsCountyOffice),
            A::Verify | A::Dismiss => who.may(Permission::Supervise),
            // Nobody can be rewarded for an anonymous report.
            A::Reward => who.may(Permission::DecideAsAgency) && !f.anonymous,
            A::Pay => who.may(Permission::DecideAsAgency),
        }
    }
}

/// The next state, or why not.
pub fn transition(
    f: &ReportFacts,
    action: ReportAction,
    who: &Actor,
) -> Result<ReportState, TransitionError> {
    workflow::transition::<ReportFlow>(f, action, who)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{ALL_ROLES, Role};

    #[test]
    fn every_report_step_for_every_role_under_reward_measures_2018_19() {
        // 安监总财〔2018〕19号: reports are verified by the supervising departments; a reward goes
        // to a real-name reporter of a verified report (anonymous ones cannot be paid).
        use ReportAction as A;
        use ReportState as S;
        for s in REPORT_STATES {
            for a in REPORT_ACTIONS {
                for r in ALL_ROLES {
                    for anonymous in [false, true] {
                        let staff = matches!(
                            r,
                            Role::Admin | Role::Department | Role::Inspector | Role::Township
                        );
                        let head = matches!(r, Role::Admin | Role::Department);
                        let want = match (s, a) {
                            (S::Received, A::Assign) if r == Role::Admin => Some(S::Assigned),
                            (S::Received | S::Assigned, A::Verify) if staff => Some(S::Verified),
                            (S::Received | S::Assigned, A::Dismiss) if staff => Some(S::Unfounded),
                            (S::Verified, A::Reward) if head && !anonymous => Some(S::Approved),
                            (S::Approved, A::Pay) if head => Some(S::Paid),
                            _ => None,
                        };
                        let f = ReportFacts {
                            earlier_on_matter: None,
                            state: s,
                            anonymous,
                        };
                        let who = Actor::new(r, true, None, None);
                        assert_eq!(transition(&f, a, &who).ok(), want, "{s:?} {a:?} {r:?}");
                        assert!(transition(&f, a, &Actor::new(r, false, None, None)).is_err());
                    }
                }
            }
        }
    }
}
