//! The review loop of a risk point:
//!
//! 草稿 (draft) —assess/edit→ 草稿 —submit→ 待审核 (submitted) —accept→ 已确认 (accepted, the
//! point's grade becomes the submitted assessment's) or —return→ 已退回 (returned, with the
//! reason), revised and submitted again. An accepted point is re-assessed (with the reason)
//! and goes round again, keeping its accepted grade until the new one is accepted. Any point
//! may be retired (注销, with the reason); it is never deleted once accepted.
//!
//! Who: the enterprise registers, assesses and submits its own points; a township its public
//! sites. The department supervising the enterprise's sector (or the 安委办) reviews an
//! enterprise's point; the 安委办 a township's public site. Either side may retire a point.

use crate::ValidationErrors;
use crate::scope::Permission;
use crate::workflow::{Actor, TransitionError, Workflow};

coded! {
    /// 风险点状态.
    RiskState {
        /// 草稿 (registered or being assessed, not yet submitted)
        Draft = "draft", "待提交" | "草稿";
        /// 待审核
        Submitted = "submitted", "待审核" | "已提交";
        /// 已确认
        Accepted = "accepted", "已确认" | "审核通过";
        /// 已退回
        Returned = "returned", "已退回" | "退回";
        /// 已注销
        Retired = "retired", "已注销" | "注销";
    }
}

coded! {
    /// A step of the loop.
    RiskAction {
        /// Edit the point's description.
        Edit = "edit", "修改";
        /// (Re-)assess it by LEC or LS.
        Assess = "assess", "风险评价";
        /// Submit the latest assessment for review.
        Submit = "submit", "提交审核";
        /// Accept it: the point's grade becomes the assessment's.
        Accept = "accept", "审核确认";
        /// Return it with the reason.
        Return = "return", "退回";
        /// Retire the point (it no longer exists), with the reason.
        Retire = "retire", "注销";
    }
}

crate::impl_step!(RiskState, RiskAction);

coded! {
    /// Where one assessment stands in the review.
    #[schema(as = RiskAssessmentStatus)]
    AssessmentStatus {
        /// Not yet submitted.
        Pending = "pending", "待提交";
        /// Submitted, waiting for review.
        Submitted = "submitted", "待审核";
        /// Accepted: the point's grade.
        Accepted = "accepted", "已确认";
        /// Returned with the reason.
        Returned = "returned", "已退回";
        /// Replaced by a later assessment before it was reviewed.
        Superseded = "superseded", "已重新评价";
    }
}

/// What the loop looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskFacts {
    pub state: RiskState,
    /// A township's public site (no enterprise).
    pub public_site: bool,
    /// The actor is the township the public site belongs to.
    pub actor_is_site_township: bool,
    /// An assessment not yet reviewed waits to be submitted.
    pub has_pending_assessment: bool,
}

/// The risk point loop.
pub struct RiskFlow;

impl RiskFlow {
    /// The point's owner: the enterprise itself, or the township for its public site.
    fn owner(f: &RiskFacts, who: &Actor) -> bool {
        if f.public_site {
            f.actor_is_site_township && who.may(Permission::Supervise)
        } else {
            who.in_writable_scope && who.is_owner_enterprise
        }
    }

    /// The reviewer: the supervising department or the 安委办 for an enterprise's point, the
    /// 安委办 for a public site.
    fn reviewer(f: &RiskFacts, who: &Actor) -> bool {
        if f.public_site {
            who.may(Permission::DecideAsCountyOffice)
        } else {
            who.may(Permission::DecideAsAgency)
        }
    }
}

impl Workflow for RiskFlow {
    type State = RiskState;
    type Action = RiskAction;
    type Facts = RiskFacts;
    const ACTIONS: &'static [RiskAction] = RiskAction::ALL;

    fn state(f: &RiskFacts) -> RiskState {
        f.state
    }

    fn next(f: &RiskFacts, action: RiskAction) -> Option<RiskState> {
        use RiskAction as A;
        use RiskState as S;
        match (f.state, action) {
            (S::Draft | S::Returned, A::Edit) => Some(S::Draft),
            (S::Accepted, A::Edit) => Some(S::Accepted),
            (S::Draft | S::Returned | S::Accepted, A::Assess) => Some(S::Draft),
            (S::Draft | S::Returned, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Accept) => Some(S::Accepted),
            (S::Submitted, A::Return) => Some(S::Returned),
            (S::Draft | S::Submitted | S::Accepted | S::Returned, A::Retire) => Some(S::Retired),
            _ => None,
        }
    }

    fn may(f: &RiskFacts, action: RiskAction, who: &Actor) -> bool {
        match action {
            RiskAction::Edit | RiskAction::Assess | RiskAction::Submit => Self::owner(f, who),
            RiskAction::Accept | RiskAction::Return => Self::reviewer(f, who),
            RiskAction::Retire => Self::owner(f, who) || Self::reviewer(f, who),
        }
    }

    /// A point is submitted with an assessment not yet reviewed.
    fn gate(f: &RiskFacts, action: RiskAction) -> Result<(), TransitionError> {
        if action == RiskAction::Submit && !f.has_pending_assessment {
            return Err(TransitionError::Unmet(ValidationErrors::single(
                "assessment",
                "请先进行风险评价再提交审核",
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

    fn facts(state: RiskState, public_site: bool) -> RiskFacts {
        RiskFacts {
            state,
            public_site,
            actor_is_site_township: public_site,
            has_pending_assessment: true,
        }
    }

    fn owner() -> Actor {
        Actor::new(Role::Enterprise, true, Some(7), Some(7))
    }

    #[test]
    fn the_enterprise_assesses_and_the_department_reviews() {
        use RiskAction as A;
        use RiskState as S;
        let dept = Actor::new(Role::Department, true, None, Some(7));
        let cases = [
            (S::Draft, A::Assess, owner(), Ok(S::Draft)),
            (S::Draft, A::Submit, owner(), Ok(S::Submitted)),
            (S::Submitted, A::Accept, dept, Ok(S::Accepted)),
            (S::Submitted, A::Return, dept, Ok(S::Returned)),
            (S::Returned, A::Submit, owner(), Ok(S::Submitted)),
            (S::Accepted, A::Assess, owner(), Ok(S::Draft)),
            (S::Accepted, A::Retire, dept, Ok(S::Retired)),
            (
                S::Submitted,
                A::Accept,
                owner(),
                Err(TransitionError::NotYourAction("审核确认")),
            ),
            (
                S::Draft,
                A::Assess,
                dept,
                Err(TransitionError::NotYourAction("风险评价")),
            ),
            (
                S::Submitted,
                A::Assess,
                owner(),
                Err(TransitionError::NotInThisState {
                    state: "待审核",
                    action: "风险评价",
                }),
            ),
            (
                S::Retired,
                A::Retire,
                dept,
                Err(TransitionError::NotInThisState {
                    state: "已注销",
                    action: "注销",
                }),
            ),
        ];
        for (state, action, who, want) in cases {
            assert_eq!(
                transition::<RiskFlow>(&facts(state, false), action, &who),
                want,
                "{state:?} {action:?} {who:?}"
            );
        }
        // Another enterprise is not the owner; an inspector does not review.
        let other = Actor::new(Role::Enterprise, true, Some(8), Some(7));
        assert!(transition::<RiskFlow>(&facts(S::Draft, false), A::Assess, &other).is_err());
        let inspector = Actor::new(Role::Inspector, true, None, Some(7));
        assert!(
            transition::<RiskFlow>(&facts(S::Submitted, false), A::Accept, &inspector).is_err()
        );
        // Nothing to submit without an assessment.
        let bare = RiskFacts {
            has_pending_assessment: false,
            ..facts(S::Draft, false)
        };
        match transition::<RiskFlow>(&bare, A::Submit, &owner()) {
            Err(TransitionError::Unmet(v)) => assert!(v.fields.contains_key("assessment")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            offered::<RiskFlow>(&facts(S::Submitted, false), &dept),
            vec![A::Accept, A::Return, A::Retire]
        );
        assert_eq!(
            offered::<RiskFlow>(&facts(S::Draft, false), &owner()),
            vec![A::Edit, A::Assess, A::Submit, A::Retire]
        );
    }

    #[test]
    fn a_township_grades_its_public_sites_and_the_county_office_reviews() {
        use RiskAction as A;
        use RiskState as S;
        let township = Actor::new(Role::Township, true, None, None);
        let admin = Actor::new(Role::Admin, true, None, None);
        let dept = Actor::new(Role::Department, true, None, None);
        assert_eq!(
            transition::<RiskFlow>(&facts(S::Draft, true), A::Submit, &township),
            Ok(S::Submitted)
        );
        assert_eq!(
            transition::<RiskFlow>(&facts(S::Submitted, true), A::Accept, &admin),
            Ok(S::Accepted)
        );
        assert!(transition::<RiskFlow>(&facts(S::Submitted, true), A::Accept, &dept).is_err());
        assert!(transition::<RiskFlow>(&facts(S::Submitted, true), A::Accept, &township).is_err());
        // Another township is not the site's.
        let not_mine = RiskFacts {
            actor_is_site_township: false,
            ..facts(S::Draft, true)
        };
        assert!(transition::<RiskFlow>(&not_mine, A::Assess, &township).is_err());
        for s in RiskState::ALL {
            assert_eq!(RiskState::parse(s.as_str()), Some(*s));
        }
    }
}
