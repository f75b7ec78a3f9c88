//! Grassroots emergency capability (乡村应急能力创建): a checklist per level (a township's
//! "六有", a village's "三有", as the county configures them), a yearly self-assessment of
//! each township and village, submitted by the township, and the county's acceptance
//! (验收: 达标 or 未达标) by the 安委办.
//!
//! The loop: 草稿 → 已提交 → 已验收 (达标/未达标), or back from 已提交 to 已退回 with the
//! reasons, after which the township revises and submits again. An accepted assessment is
//! final for its year.

use crate::ValidationErrors;
use crate::scope::Permission;
use crate::workflow::{Actor, TransitionError, Workflow};
use serde::{Deserialize, Serialize};

/// Which checklist applies: a township's or a village's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = CapabilityLevel)]
pub enum Level {
    #[default]
    Township,
    Village,
}

pub const LEVELS: [Level; 2] = [Level::Township, Level::Village];

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Township => "township",
            Level::Village => "village",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        LEVELS.into_iter().find(|l| l.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Level::Township => "乡镇（街道）",
            Level::Village => "村（社区）",
        }
    }
    /// The checklist's usual name.
    pub fn checklist_name(self) -> &'static str {
        match self {
            Level::Township => "“六有”",
            Level::Village => "“三有”",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CapabilityState {
    #[default]
    Draft,
    Submitted,
    Accepted,
    Returned,
}

pub const CAPABILITY_STATES: [CapabilityState; 4] = [
    CapabilityState::Draft,
    CapabilityState::Submitted,
    CapabilityState::Accepted,
    CapabilityState::Returned,
];

impl CapabilityState {
    pub fn as_str(self) -> &'static str {
        match self {
            CapabilityState::Draft => "draft",
            CapabilityState::Submitted => "submitted",
            CapabilityState::Accepted => "accepted",
            CapabilityState::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CAPABILITY_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CapabilityState::Draft => "自评中",
            CapabilityState::Submitted => "已提交验收",
            CapabilityState::Accepted => "已验收",
            CapabilityState::Returned => "已退回",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapabilityAction {
    /// Save the self-assessment (a draft, or one returned for revision).
    Save,
    /// Submit it for the county's acceptance.
    Submit,
    /// Record the acceptance: 达标 or 未达标, the day and the inspectors.
    Accept,
    /// Return it to the township with the reasons.
    Return,
}

pub const CAPABILITY_ACTIONS: [CapabilityAction; 4] = [
    CapabilityAction::Save,
    CapabilityAction::Submit,
    CapabilityAction::Accept,
    CapabilityAction::Return,
];

impl CapabilityAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CapabilityAction::Save => "save",
            CapabilityAction::Submit => "submit",
            CapabilityAction::Accept => "accept",
            CapabilityAction::Return => "return",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CAPABILITY_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CapabilityAction::Save => "保存自评",
            CapabilityAction::Submit => "提交验收",
            CapabilityAction::Accept => "登记验收结果",
            CapabilityAction::Return => "退回修改",
        }
    }
}

crate::impl_step!(CapabilityState, CapabilityAction);

/// The county's acceptance result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceResult {
    /// 达标
    Pass,
    /// 未达标
    Fail,
}

impl AcceptanceResult {
    pub fn as_str(self) -> &'static str {
        match self {
            AcceptanceResult::Pass => "pass",
            AcceptanceResult::Fail => "fail",
        }
    }
    /// The code or the word (达标, 未达标).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "pass" | "达标" => Some(AcceptanceResult::Pass),
            "fail" | "未达标" | "不达标" => Some(AcceptanceResult::Fail),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AcceptanceResult::Pass => "达标",
            AcceptanceResult::Fail => "未达标",
        }
    }
}

/// One checklist item's self-assessment, as stored with the assessment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemCheck {
    /// The checklist item's code.
    pub code: String,
    /// Its name when assessed (the checklist may be renamed later).
    pub name: String,
    /// Met (是) or not (否); `None` while not yet assessed.
    pub met: Option<bool>,
    pub note: String,
    /// The evidence files (attachment ids).
    #[serde(default)]
    pub evidence: Vec<i64>,
}

/// What the capability loop looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapabilityFacts {
    pub state: CapabilityState,
    /// The actor is the assessed place's own township (its users), or the 安委办 entering
    /// the self-assessment for it.
    pub actor_acts_for_township: bool,
    /// Items of the checklist not yet answered (met or not).
    pub unanswered: usize,
}

/// The capability loop.
pub struct CapabilityFlow;

impl Workflow for CapabilityFlow {
    type State = CapabilityState;
    type Action = CapabilityAction;
    type Facts = CapabilityFacts;
    const ACTIONS: &'static [CapabilityAction] = &CAPABILITY_ACTIONS;

    fn state(f: &CapabilityFacts) -> CapabilityState {
        f.state
    }

    fn next(f: &CapabilityFacts, action: CapabilityAction) -> Option<CapabilityState> {
        use CapabilityAction as A;
        use CapabilityState as S;
        match (f.state, action) {
            (S::Draft | S::Returned, A::Save) => Some(S::Draft),
            (S::Draft | S::Returned, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Accept) => Some(S::Accepted),
            (S::Submitted, A::Return) => Some(S::Returned),
            _ => None,
        }
    }

    /// The township assesses itself and its villages (the 安委办 may enter it for them);
    /// the 安委办 accepts or returns.
    fn may(f: &CapabilityFacts, action: CapabilityAction, who: &Actor) -> bool {
        match action {
            CapabilityAction::Save | CapabilityAction::Submit => {
                f.actor_acts_for_township && who.may(Permission::Supervise)
            }
            CapabilityAction::Accept | CapabilityAction::Return => {
                who.may(Permission::DecideAsCountyOffice)
            }
        }
    }

    /// Every item is answered before the assessment goes to the county.
    fn gate(f: &CapabilityFacts, action: CapabilityAction) -> Result<(), TransitionError> {
        if action == CapabilityAction::Submit && f.unanswered > 0 {
            return Err(TransitionError::Unmet(ValidationErrors::single(
                "items",
                format!("还有{}项未填写自评结果（是否达到）", f.unanswered),
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Role;
    use crate::workflow::{offered, transition};

    fn actor(role: Role) -> Actor {
        Actor::new(role, true, None, None)
    }

    #[test]
    fn capability_graph_duties_and_gate() {
        use CapabilityAction as A;
        use CapabilityState as S;
        let own = |state, unanswered| CapabilityFacts {
            state,
            actor_acts_for_township: true,
            unanswered,
        };
        let cases = [
            (S::Draft, A::Save, Role::Township, 3, Ok(S::Draft)),
            (S::Draft, A::Submit, Role::Township, 0, Ok(S::Submitted)),
            (S::Returned, A::Save, Role::Township, 0, Ok(S::Draft)),
            (S::Returned, A::Submit, Role::Township, 0, Ok(S::Submitted)),
            (S::Submitted, A::Accept, Role::Admin, 0, Ok(S::Accepted)),
            (S::Submitted, A::Return, Role::Admin, 0, Ok(S::Returned)),
            (
                S::Submitted,
                A::Accept,
                Role::Township,
                0,
                Err(TransitionError::NotYourAction("登记验收结果")),
            ),
            (
                S::Draft,
                A::Save,
                Role::Leader,
                0,
                Err(TransitionError::NotYourAction("保存自评")),
            ),
            (
                S::Accepted,
                A::Save,
                Role::Township,
                0,
                Err(TransitionError::NotInThisState {
                    state: "已验收",
                    action: "保存自评",
                }),
            ),
            (
                S::Submitted,
                A::Submit,
                Role::Township,
                0,
                Err(TransitionError::NotInThisState {
                    state: "已提交验收",
                    action: "提交验收",
                }),
            ),
        ];
        for (state, action, role, unanswered, want) in cases {
            assert_eq!(
                transition::<CapabilityFlow>(&own(state, unanswered), action, &actor(role)),
                want,
                "{state:?} {action:?} {role:?}"
            );
        }
        // Unanswered items hold the submission back, naming the items.
        match transition::<CapabilityFlow>(&own(S::Draft, 2), A::Submit, &actor(Role::Township)) {
            Err(TransitionError::Unmet(v)) => assert!(v.fields.contains_key("items")),
            other => panic!("{other:?}"),
        }
        // A department is not the township.
        let other = CapabilityFacts {
            state: S::Draft,
            actor_acts_for_township: false,
            unanswered: 0,
        };
        assert_eq!(
            transition::<CapabilityFlow>(&other, A::Save, &actor(Role::Department)),
            Err(TransitionError::NotYourAction("保存自评"))
        );
        assert_eq!(
            offered::<CapabilityFlow>(&own(S::Submitted, 0), &actor(Role::Admin)),
            vec![A::Accept, A::Return]
        );
        assert!(offered::<CapabilityFlow>(&own(S::Accepted, 0), &actor(Role::Admin)).is_empty());
        for s in CAPABILITY_STATES {
            assert_eq!(CapabilityState::parse(s.as_str()), Some(s));
        }
        for a in CAPABILITY_ACTIONS {
            assert_eq!(CapabilityAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(
            AcceptanceResult::parse("达标"),
            Some(AcceptanceResult::Pass)
        );
        assert_eq!(Level::parse("village"), Some(Level::Village));
    }
}
