//! The publicity (公示) of administrative penalty decisions (行政处罚法 art. 48: decisions with
//! a certain social impact are published; a decision revoked, changed or confirmed unlawful
//! is withdrawn from publicity within three working days). A decided case's publicity is
//! recorded once, and withdrawn once.

use crate::scope::Permission;
use crate::workflow::{Actor, Workflow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicityState {
    Published,
    Withdrawn,
}

impl PublicityState {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicityState::Published => "published",
            PublicityState::Withdrawn => "withdrawn",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PublicityState::Published => "公示中",
            PublicityState::Withdrawn => "已撤下",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicityAction {
    /// Withdraw from publicity (the decision was revoked or changed).
    Withdraw,
}

impl PublicityAction {
    pub fn as_str(self) -> &'static str {
        "withdraw"
    }
    pub fn label(self) -> &'static str {
        "撤下公示"
    }
}

crate::impl_step!(PublicityState, PublicityAction);

/// The publicity loop, after the record is made.
pub struct PublicityFlow;

impl Workflow for PublicityFlow {
    type State = PublicityState;
    type Action = PublicityAction;
    type Facts = PublicityState;
    const ACTIONS: &'static [PublicityAction] = &[PublicityAction::Withdraw];

    fn state(f: &PublicityState) -> PublicityState {
        *f
    }

    fn next(f: &PublicityState, _action: PublicityAction) -> Option<PublicityState> {
        (*f == PublicityState::Published).then_some(PublicityState::Withdrawn)
    }

    /// The enforcement agency that decided withdraws.
    fn may(_f: &PublicityState, _action: PublicityAction, who: &Actor) -> bool {
        who.may(Permission::Enforce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Role;
    use crate::workflow::{TransitionError, transition};

    #[test]
    fn publicity_is_withdrawn_once_by_the_enforcers() {
        let officer = Actor::new(Role::Inspector, true, None, None);
        let town = Actor::new(Role::Township, true, None, None);
        assert_eq!(
            transition::<PublicityFlow>(
                &PublicityState::Published,
                PublicityAction::Withdraw,
                &officer
            ),
            Ok(PublicityState::Withdrawn)
        );
        assert_eq!(
            transition::<PublicityFlow>(
                &PublicityState::Withdrawn,
                PublicityAction::Withdraw,
                &officer
            ),
            Err(TransitionError::NotInThisState {
                state: "已撤下",
                action: "撤下公示"
            })
        );
        assert_eq!(
            transition::<PublicityFlow>(
                &PublicityState::Published,
                PublicityAction::Withdraw,
                &town
            ),
            Err(TransitionError::NotYourAction("撤下公示"))
        );
    }
}
