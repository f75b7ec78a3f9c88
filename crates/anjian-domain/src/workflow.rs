//! The one shape of every closed loop (hazard, 一单四制 case, 挂牌督办 listing, penalty case,
//! 行刑衔接 transfer, 举报 report, plan, draw, and the ones to come).
//!
//! A workflow declares three things about a record, from its facts:
//! - [`Workflow::next`]: the state graph (which action leads where from the current state);
//! - [`Workflow::may`]: who may take the action (a predicate over the [`Actor`] and the facts,
//!   built from [`crate::scope::Permission`]s, never from a role list written out elsewhere);
//! - [`Workflow::gate`]: the legal preconditions of a step (五落实, 法制审核 ...).
//!
//! [`transition`] asks them in that order and answers the next state or one
//! [`TransitionError`]; [`offered`] lists the actions a caller would be allowed, so a page
//! shows exactly what the use case accepts because both ask the same function.

use crate::ValidationErrors;
use crate::scope::Role;

/// Who is acting, relative to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// The record lies in the actor's scope and the actor may change records there.
    pub in_writable_scope: bool,
    /// The actor is the enterprise the record belongs to.
    pub is_owner_enterprise: bool,
}

impl Actor {
    /// The actor with this role (and scope test) owns the record's enterprise when the actor is
    /// an enterprise user of the same enterprise.
    pub fn new(
        role: Role,
        in_writable_scope: bool,
        own_enterprise: Option<i64>,
        record_enterprise: Option<i64>,
    ) -> Self {
        Self {
            role,
            in_writable_scope,
            is_owner_enterprise: role == Role::Enterprise
                && record_enterprise.is_some()
                && record_enterprise == own_enterprise,
        }
    }

    /// The role has the permission and the record is in the actor's writable scope.
    pub fn may(&self, p: crate::scope::Permission) -> bool {
        self.in_writable_scope && self.role.can(p)
    }
}

/// Why a step is refused. The application maps it once: a step not possible in this state is
/// a conflict, a step that is not the actor's is forbidden, an unmet precondition is a
/// validation error naming the fields that record it, and a step taken too early is a conflict.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("当前环节“{state}”不能执行“{action}”")]
    NotInThisState {
        state: &'static str,
        action: &'static str,
    },
    #[error("您的角色无权执行“{0}”")]
    NotYourAction(&'static str),
    /// A legal precondition is missing; each entry names the field that would record it.
    #[error("{}", first_message(.0))]
    Unmet(ValidationErrors),
    /// The step may not be taken yet (a legal period is still running).
    #[error("{0}")]
    NotYet(&'static str),
}

fn first_message(v: &ValidationErrors) -> String {
    v.fields
        .values()
        .flatten()
        .next()
        .cloned()
        .unwrap_or_default()
}

/// A state or an action: its stored code and its label as officials say it.
pub trait Step: Copy + Eq + std::fmt::Debug + 'static {
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
}

/// One closed loop.
pub trait Workflow {
    type State: Step;
    type Action: Step;
    /// What the rules look at: the state and whatever else of the record matters.
    type Facts;
    /// Every action, in the order pages offer them.
    const ACTIONS: &'static [Self::Action];

    fn state(f: &Self::Facts) -> Self::State;
    /// The state after `action`, if the state graph has the edge.
    fn next(f: &Self::Facts, action: Self::Action) -> Option<Self::State>;
    /// Whether the actor may take the action on this record.
    fn may(f: &Self::Facts, action: Self::Action, who: &Actor) -> bool;
    /// The legal preconditions of the step, checked after the graph and the actor.
    fn gate(_f: &Self::Facts, _action: Self::Action) -> Result<(), TransitionError> {
        Ok(())
    }
}

/// The next state, or why not: the graph first, then the actor, then the preconditions.
pub fn transition<W: Workflow>(
    f: &W::Facts,
    action: W::Action,
    who: &Actor,
) -> Result<W::State, TransitionError> {
    let next = W::next(f, action).ok_or_else(|| TransitionError::NotInThisState {
        state: W::state(f).label(),
        action: action.label(),
    })?;
    if !W::may(f, action, who) {
        return Err(TransitionError::NotYourAction(action.label()));
    }
    W::gate(f, action)?;
    Ok(next)
}

/// The actions the actor could take now (those [`transition`] accepts), in catalogue order.
pub fn offered<W: Workflow>(f: &W::Facts, who: &Actor) -> Vec<W::Action> {
    W::ACTIONS
        .iter()
        .copied()
        .filter(|a| transition::<W>(f, *a, who).is_ok())
        .collect()
}

/// Implements [`Step`] for an enum that has `as_str` and `label`.
#[macro_export]
macro_rules! impl_step {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::workflow::Step for $t {
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn label(self) -> &'static str {
                <$t>::label(self)
            }
        }
    )+};
}
