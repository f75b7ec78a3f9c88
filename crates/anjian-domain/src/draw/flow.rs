//! The draw's loop: committed → drawn → published, and who may take each step.

use super::*;

/// Where a draw stands: committed (inputs and commitment published, secret kept), drawn (secret
/// revealed, tasks made; publicity due within the set working days), published (公示 done).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DrawState {
    #[default]
    Committed,
    Drawn,
    Published,
}

pub const DRAW_STATES: [DrawState; 3] =
    [DrawState::Committed, DrawState::Drawn, DrawState::Published];

impl DrawState {
    pub fn as_str(self) -> &'static str {
        match self {
            DrawState::Committed => "committed",
            DrawState::Drawn => "drawn",
            DrawState::Published => "published",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        DRAW_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            DrawState::Committed => "已公布承诺值，待抽取",
            DrawState::Drawn => "已抽取，待公示",
            DrawState::Published => "已公示",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawAction {
    /// Reveal the secret and draw with the public entropy.
    Draw,
    /// Record the publicity (公示) of the result.
    Publish,
}

pub const DRAW_ACTIONS: [DrawAction; 2] = [DrawAction::Draw, DrawAction::Publish];

impl DrawAction {
    pub fn as_str(self) -> &'static str {
        match self {
            DrawAction::Draw => "draw",
            DrawAction::Publish => "publish",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        DRAW_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            DrawAction::Draw => "抽取",
            DrawAction::Publish => "登记公示",
        }
    }
}

crate::impl_step!(DrawState, DrawAction);

/// What the draw loop looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawFacts {
    pub state: DrawState,
    /// The actor acts for the draw's organiser (its own department, or any for the 安委办).
    pub actor_acts_for_organiser: bool,
}

/// The draw loop: a draw is drawn once (never re-drawn) and published once.
pub struct DrawFlow;

impl crate::workflow::Workflow for DrawFlow {
    type State = DrawState;
    type Action = DrawAction;
    type Facts = DrawFacts;
    const ACTIONS: &'static [DrawAction] = &DRAW_ACTIONS;

    fn state(f: &DrawFacts) -> DrawState {
        f.state
    }

    fn next(f: &DrawFacts, action: DrawAction) -> Option<DrawState> {
        match (f.state, action) {
            (DrawState::Committed, DrawAction::Draw) => Some(DrawState::Drawn),
            (DrawState::Drawn, DrawAction::Publish) => Some(DrawState::Published),
            _ => None,
        }
    }

    /// The agency that organised the draw (安委办, a department) draws and publishes.
    fn may(f: &DrawFacts, _action: DrawAction, who: &crate::workflow::Actor) -> bool {
        f.actor_acts_for_organiser && who.may(crate::scope::Permission::DecideAsAgency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draw_loop_draws_once_and_publishes_once() {
        use crate::scope::Role;
        use crate::workflow::{Actor, TransitionError, offered, transition};
        let dept = Actor::new(Role::Department, true, None, None);
        let inspector = Actor::new(Role::Inspector, true, None, None);
        let at = |state| DrawFacts {
            state,
            actor_acts_for_organiser: true,
        };
        assert_eq!(
            transition::<DrawFlow>(&at(DrawState::Committed), DrawAction::Draw, &dept),
            Ok(DrawState::Drawn)
        );
        assert_eq!(
            transition::<DrawFlow>(&at(DrawState::Drawn), DrawAction::Draw, &dept),
            Err(TransitionError::NotInThisState {
                state: "已抽取，待公示",
                action: "抽取"
            })
        );
        assert_eq!(
            transition::<DrawFlow>(&at(DrawState::Drawn), DrawAction::Publish, &inspector),
            Err(TransitionError::NotYourAction("登记公示"))
        );
        assert_eq!(
            offered::<DrawFlow>(&at(DrawState::Drawn), &dept),
            vec![DrawAction::Publish]
        );
        assert!(offered::<DrawFlow>(&at(DrawState::Published), &dept).is_empty());
        let others = DrawFacts {
            state: DrawState::Committed,
            actor_acts_for_organiser: false,
        };
        assert_eq!(
            transition::<DrawFlow>(&others, DrawAction::Draw, &dept),
            Err(TransitionError::NotYourAction("抽取"))
        );
        for s in DRAW_STATES {
            assert_eq!(DrawState::parse(s.as_str()), Some(s));
        }
    }
}
