use super::*;

use crate::scope::{ALL_ROLES, Role};

fn actor(role: Role) -> CaseActor {
    CaseActor {
        role,
        in_writable_scope: !matches!(role, Role::Leader | Role::Supervisor),
        is_owner_enterprise: role == Role::Enterprise,
    }
}

fn expected(state: CaseState, action: CaseAction, role: Role) -> Option<CaseState> {
    use CaseAction as A;
    use CaseState as S;
    let sup = matches!(role, Role::Admin | Role::Department | Role::Township);
    let ent = role == Role::Enterprise;
    match (state, action) {
        (S::UnderDetermination, A::List) if sup => Some(S::Listed),
        (S::UnderDetermination | S::Listed, A::Downgrade) if sup => Some(S::Downgraded),
        (S::Listed, A::Assign) if sup => Some(S::Assigned),
        (S::Assigned, A::Start) if ent => Some(S::InRemediation),
        (S::Assigned | S::InRemediation | S::ExtensionRequested, A::Ledger)
            if sup || ent || role == Role::Inspector =>
        {
            Some(state)
        }
        (S::InRemediation, A::RequestExtension) if ent => Some(S::ExtensionRequested),
        (S::ExtensionRequested, A::ApproveExtension | A::DenyExtension) if sup => {
            Some(S::InRemediation)
        }
        (S::InRemediation, A::RequestCloseout) if ent => Some(S::CloseoutRequested),
        (S::CloseoutRequested, A::Accept) if sup => Some(S::Closed),
        (S::CloseoutRequested, A::Fail) if sup => Some(S::InRemediation),
        _ => None,
    }
}

#[test]
fn every_case_transition_for_every_role() {
    // 8 states × 11 actions × 7 roles, for an enterprise's major hazard.
    for s in CASE_STATES {
        for a in CASE_ACTIONS {
            for r in ALL_ROLES {
                assert_eq!(
                    transition(
                        &CaseFacts {
                            state: s,
                            has_enterprise: true
                        },
                        a,
                        &actor(r)
                    )
                    .ok(),
                    expected(s, a, r),
                    "{s:?} {a:?} {r:?}"
                );
            }
        }
    }
}

#[test]
fn public_major_hazards_are_remediated_under_the_supervisor() {
    let town = actor(Role::Township);
    assert_eq!(
        transition(
            &CaseFacts {
                state: CaseState::Assigned,
                has_enterprise: false
            },
            CaseAction::Start,
            &town
        ),
        Ok(CaseState::InRemediation)
    );
    assert!(
        transition(
            &CaseFacts {
                state: CaseState::Assigned,
                has_enterprise: true
            },
            CaseAction::Start,
            &town
        )
        .is_err()
    );
}

#[test]
fn outsiders_and_foreign_enterprises_cannot_act() {
    let foreign = CaseActor {
        role: Role::Enterprise,
        in_writable_scope: true,
        is_owner_enterprise: false,
    };
    let outside = CaseActor {
        role: Role::Admin,
        in_writable_scope: false,
        is_owner_enterprise: false,
    };
    for s in CASE_STATES {
        for a in CASE_ACTIONS {
            assert!(
                transition(
                    &CaseFacts {
                        state: s,
                        has_enterprise: true
                    },
                    a,
                    &foreign
                )
                .is_err()
            );
            assert!(
                transition(
                    &CaseFacts {
                        state: s,
                        has_enterprise: true
                    },
                    a,
                    &outside
                )
                .is_err()
            );
        }
    }
}

#[test]
fn major_hazards_open_cases_that_follow_their_loop() {
    assert!(opens_case(crate::hazard::Level::Major));
    assert!(!opens_case(crate::hazard::Level::General));
    for (status, state) in [
        (Status::Registered, CaseState::Listed),
        (Status::Ordered, CaseState::Assigned),
        (Status::Rectifying, CaseState::InRemediation),
        (Status::Reported, CaseState::CloseoutRequested),
        (Status::Closed, CaseState::Closed),
    ] {
        assert_eq!(CaseState::of_loaded_hazard(status), state);
    }
}
