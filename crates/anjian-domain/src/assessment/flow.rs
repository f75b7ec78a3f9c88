//! The two loops of the assessment: an evaluation is computed live while a draft and frozen
//! when the 安委办 approves it (审定); a unit's objection (复核申请) on an item is accepted
//! (with the item's new score) or rejected (with the reason) by the 安委办.

use crate::ValidationErrors;
use crate::scope::Permission;
use crate::workflow::{Actor, TransitionError, Workflow};

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
pub enum EvaluationState {
    /// 计算中: scores follow the records.
    #[default]
    Draft,
    /// 已审定: values, scores and the records behind each deduction are frozen.
    Approved,
}

pub const EVALUATION_STATES: [EvaluationState; 2] =
    [EvaluationState::Draft, EvaluationState::Approved];

impl EvaluationState {
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationState::Draft => "draft",
            EvaluationState::Approved => "approved",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        EVALUATION_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            EvaluationState::Draft => "未审定（按当前记录计算）",
            EvaluationState::Approved => "已审定",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvaluationAction {
    /// 审定: freeze the scores.
    Approve,
}

pub const EVALUATION_ACTIONS: [EvaluationAction; 1] = [EvaluationAction::Approve];

impl EvaluationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationAction::Approve => "approve",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        EVALUATION_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            EvaluationAction::Approve => "审定考核结果",
        }
    }
}

/// What the evaluation loop looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationFacts {
    pub state: EvaluationState,
    /// Hand-scored items not yet scored, as "单位：项目".
    pub unscored: Vec<String>,
}

pub struct EvaluationFlow;

impl Workflow for EvaluationFlow {
    type State = EvaluationState;
    type Action = EvaluationAction;
    type Facts = EvaluationFacts;
    const ACTIONS: &'static [EvaluationAction] = &EVALUATION_ACTIONS;

    fn state(f: &EvaluationFacts) -> EvaluationState {
        f.state
    }

    fn next(f: &EvaluationFacts, a: EvaluationAction) -> Option<EvaluationState> {
        match (f.state, a) {
            (EvaluationState::Draft, EvaluationAction::Approve) => Some(EvaluationState::Approved),
            _ => None,
        }
    }

    /// The 安委办 approves.
    fn may(_f: &EvaluationFacts, _a: EvaluationAction, who: &Actor) -> bool {
        who.may(Permission::DecideAsCountyOffice)
    }

    /// Every hand-scored item has its score.
    fn gate(f: &EvaluationFacts, _a: EvaluationAction) -> Result<(), TransitionError> {
        if f.unscored.is_empty() {
            return Ok(());
        }
        let shown: Vec<&str> = f.unscored.iter().take(5).map(String::as_str).collect();
        Err(TransitionError::Unmet(ValidationErrors::single(
            "scores",
            format!(
                "还有{}项人工评分未完成（{}{}），请评分后再审定",
                f.unscored.len(),
                shown.join("、"),
                if f.unscored.len() > shown.len() {
                    "等"
                } else {
                    ""
                }
            ),
        )))
    }
}

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
pub enum ObjectionState {
    /// 待答复
    #[default]
    Filed,
    /// 已采纳（重新评分）
    Accepted,
    /// 不予采纳
    Rejected,
}

pub const OBJECTION_STATES: [ObjectionState; 3] = [
    ObjectionState::Filed,
    ObjectionState::Accepted,
    ObjectionState::Rejected,
];

impl ObjectionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectionState::Filed => "filed",
            ObjectionState::Accepted => "accepted",
            ObjectionState::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        OBJECTION_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ObjectionState::Filed => "待答复",
            ObjectionState::Accepted => "已采纳",
            ObjectionState::Rejected => "不予采纳",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectionAction {
    /// 采纳: the item is scored anew.
    Accept,
    /// 不予采纳, with the reason.
    Reject,
}

pub const OBJECTION_ACTIONS: [ObjectionAction; 2] =
    [ObjectionAction::Accept, ObjectionAction::Reject];

impl ObjectionAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectionAction::Accept => "accept",
            ObjectionAction::Reject => "reject",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        OBJECTION_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ObjectionAction::Accept => "采纳并重新评分",
            ObjectionAction::Reject => "不予采纳",
        }
    }
}

crate::impl_step!(
    EvaluationState,
    EvaluationAction,
    ObjectionState,
    ObjectionAction
);

/// What the objection loop looks at: the answer as given with the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectionFacts {
    pub state: ObjectionState,
    /// The answer's text is not empty.
    pub answered: bool,
    /// A new score within the item's points is given.
    pub rescored: bool,
}

impl ObjectionFacts {
    /// The facts of a stored objection, for the steps a page offers (the answer comes with
    /// the step).
    pub fn offered(state: ObjectionState) -> Self {
        Self {
            state,
            answered: true,
            rescored: true,
        }
    }
}

pub struct ObjectionFlow;

impl Workflow for ObjectionFlow {
    type State = ObjectionState;
    type Action = ObjectionAction;
    type Facts = ObjectionFacts;
    const ACTIONS: &'static [ObjectionAction] = &OBJECTION_ACTIONS;

    fn state(f: &ObjectionFacts) -> ObjectionState {
        f.state
    }

    fn next(f: &ObjectionFacts, a: ObjectionAction) -> Option<ObjectionState> {
        match (f.state, a) {
            (ObjectionState::Filed, ObjectionAction::Accept) => Some(ObjectionState::Accepted),
            (ObjectionState::Filed, ObjectionAction::Reject) => Some(ObjectionState::Rejected),
            _ => None,
        }
    }

    /// The 安委办 answers.
    fn may(_f: &ObjectionFacts, _a: ObjectionAction, who: &Actor) -> bool {
        who.may(Permission::DecideAsCountyOffice)
    }

    /// An acceptance carries the new score, a rejection its reason.
    fn gate(f: &ObjectionFacts, a: ObjectionAction) -> Result<(), TransitionError> {
        match a {
            ObjectionAction::Accept if !f.rescored => Err(TransitionError::Unmet(
                ValidationErrors::single("score", "采纳复核申请请填写重新评定的得分"),
            )),
            ObjectionAction::Reject if !f.answered => Err(TransitionError::Unmet(
                ValidationErrors::single("answer", "不予采纳请填写理由"),
            )),
            _ => Ok(()),
        }
    }
}
