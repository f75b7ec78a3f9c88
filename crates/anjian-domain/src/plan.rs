//! Annual enforcement plans (年度监督检查计划): a department drafts its plan and revises the
//! draft; the government approves it, after which it is fixed (a new plan year starts a new
//! draft).

use crate::scope::Permission;
use crate::workflow::{Actor, Workflow};

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
pub enum PlanState {
    #[default]
    Draft,
    Approved,
}

pub const PLAN_STATES: [PlanState; 2] = [PlanState::Draft, PlanState::Approved];

impl PlanState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Approved => "approved",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        PLAN_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "草稿",
            PlanState::Approved => "已批准",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanAction {
    /// Save a new version of the draft.
    Revise,
    /// Record the government's approval.
    Approve,
}

pub const PLAN_ACTIONS: [PlanAction; 2] = [PlanAction::Revise, PlanAction::Approve];

impl PlanAction {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanAction::Revise => "revise",
            PlanAction::Approve => "approve",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        PLAN_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            PlanAction::Revise => "修改计划",
            PlanAction::Approve => "登记批准",
        }
    }
}

crate::impl_step!(PlanState, PlanAction);

/// A plan line's enterprise category.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PlanCategory {
    /// 重点检查: every key enterprise, fully covered.
    Key,
    /// 一般检查: by 双随机.
    General,
}

impl PlanCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanCategory::Key => "key",
            PlanCategory::General => "general",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [PlanCategory::Key, PlanCategory::General]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            PlanCategory::Key => "重点检查",
            PlanCategory::General => "一般检查",
        }
    }
}

/// One line of a plan: inspections planned in a month, by sector and category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PlanLine {
    pub sector: String,
    pub category: PlanCategory,
    pub month: u32,
    pub planned: u32,
}

/// What the plan loop looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanFacts {
    pub state: PlanState,
    /// The actor acts for the plan's department (its own, or any for the 安委办).
    pub actor_acts_for_department: bool,
}

/// The plan loop.
pub struct PlanFlow;

impl Workflow for PlanFlow {
    type State = PlanState;
    type Action = PlanAction;
    type Facts = PlanFacts;
    const ACTIONS: &'static [PlanAction] = &PLAN_ACTIONS;

    fn state(f: &PlanFacts) -> PlanState {
        f.state
    }

    fn next(f: &PlanFacts, action: PlanAction) -> Option<PlanState> {
        match (f.state, action) {
            (PlanState::Draft, PlanAction::Revise) => Some(PlanState::Draft),
            (PlanState::Draft, PlanAction::Approve) => Some(PlanState::Approved),
            _ => None,
        }
    }

    /// A department with supervision duty drafts its own plan; the 安委办 records the approval.
    fn may(f: &PlanFacts, action: PlanAction, who: &Actor) -> bool {
        match action {
            PlanAction::Revise => {
                f.actor_acts_for_department && who.may(Permission::DecideAsAgency)
            }
            PlanAction::Approve => who.may(Permission::ManageOrganisation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Role;
    use crate::workflow::{TransitionError, offered, transition};

    fn actor(role: Role) -> Actor {
        Actor::new(role, true, None, None)
    }

    #[test]
    fn plan_graph_and_duties() {
        use PlanAction as A;
        use PlanState as S;
        let own = |state| PlanFacts {
            state,
            actor_acts_for_department: true,
        };
        let cases = [
            (S::Draft, A::Revise, Role::Department, Ok(S::Draft)),
            (S::Draft, A::Approve, Role::Admin, Ok(S::Approved)),
            (
                S::Draft,
                A::Approve,
                Role::Department,
                Err(TransitionError::NotYourAction("登记批准")),
            ),
            (
                S::Draft,
                A::Revise,
                Role::Township,
                Err(TransitionError::NotYourAction("修改计划")),
            ),
            (
                S::Approved,
                A::Revise,
                Role::Admin,
                Err(TransitionError::NotInThisState {
                    state: "已批准",
                    action: "修改计划",
                }),
            ),
            (
                S::Approved,
                A::Approve,
                Role::Admin,
                Err(TransitionError::NotInThisState {
                    state: "已批准",
                    action: "登记批准",
                }),
            ),
        ];
        for (state, action, role, want) in cases {
            assert_eq!(
                transition::<PlanFlow>(&own(state), action, &actor(role)),
                want,
                "{state:?} {action:?} {role:?}"
            );
        }
        assert_eq!(
            offered::<PlanFlow>(&own(S::Draft), &actor(Role::Admin)),
            vec![A::Revise, A::Approve]
        );
        assert!(offered::<PlanFlow>(&own(S::Approved), &actor(Role::Admin)).is_empty());
        // Another department's plan is not this department's to revise.
        let other = PlanFacts {
            state: S::Draft,
            actor_acts_for_department: false,
        };
        assert_eq!(
            transition::<PlanFlow>(&other, A::Revise, &actor(Role::Department)),
            Err(TransitionError::NotYourAction("修改计划"))
        );
        for s in PLAN_STATES {
            assert_eq!(PlanState::parse(s.as_str()), Some(s));
        }
        assert_eq!(PlanCategory::parse("key"), Some(PlanCategory::Key));
        assert_eq!(PlanCategory::parse("其他"), None);
    }
}
