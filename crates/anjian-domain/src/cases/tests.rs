//! The penalty-case rules, table-tested.

use super::*;
use crate::scope::{ALL_ROLES, Role};

fn actor(role: Role, writable: bool) -> Actor {
    Actor::new(role, writable, None, None)
}

#[test]
fn xingzheng_chufa_fa_arts_44_45_no_heavier_decision_than_notified() {
    assert!(!heavier_than_notified(2_000_000, "fine", 2_000_000, "fine"));
    assert!(!heavier_than_notified(
        2_000_000,
        "fine,stop_production",
        1_000_000,
        "fine"
    ));
    assert!(heavier_than_notified(2_000_000, "fine", 2_000_001, "fine"));
    assert!(heavier_than_notified(
        2_000_000,
        "fine",
        2_000_000,
        "fine,stop_production"
    ));
}

#[test]
fn xingzheng_chufa_fa_art_58_2_legal_review_after_a_hearing() {
    let f = CaseFacts {
        status: CaseStatus::Heard,
        major: false,
        legal_review_passed: false,
        discussed: false,
        examined: true,
        notice_period_over: true,
    };
    let who = Actor::new(crate::scope::Role::Inspector, true, None, None);
    assert_eq!(
        transition(&f, CaseAction::Decide, &who),
        Err(review_required())
    );
    let reviewed = CaseFacts {
        legal_review_passed: true,
        ..f
    };
    assert_eq!(
        transition(&reviewed, CaseAction::Decide, &who),
        Ok(CaseStatus::Decided)
    );
}

#[test]
fn simple_procedure_limits_include_the_limit() {
    // 行政处罚法 art. 51: 200 CNY (person) and 3,000 CNY (organisation), inclusive.
    assert!(check_simple(PartyKind::Person, yuan_to_fen(200.0).unwrap_or(-1)).is_ok());
    assert!(check_simple(PartyKind::Person, yuan_to_fen(200.01).unwrap_or(-1)).is_err());
    assert!(check_simple(PartyKind::Organisation, yuan_to_fen(3000.0).unwrap_or(-1)).is_ok());
    let err = check_simple(PartyKind::Organisation, yuan_to_fen(3000.01).unwrap_or(-1))
        .err()
        .unwrap_or_default();
    assert!(err.contains("3000元") && err.contains("普通程序"), "{err}");
    assert!(check_simple(PartyKind::Person, 0).is_ok(), "a warning");
}

#[test]
fn money_parsing() {
    assert_eq!(yuan_to_fen(200.01), Ok(20001));
    assert_eq!(yuan_to_fen(0.1 + 0.2), Ok(30));
    assert!(yuan_to_fen(-1.0).is_err());
    assert!(yuan_to_fen(1.005).is_err());
    assert!(yuan_to_fen(f64::NAN).is_err());
    assert_eq!(fen_text(20001), "200.01元");
}

#[test]
fn late_surcharge_is_capped_at_the_fine() {
    // 行政处罚法 art. 72: 3 % a day, not more than the fine.
    assert_eq!(late_surcharge(1_000_000, 1), 30_000);
    assert_eq!(late_surcharge(1_000_000, 10), 300_000);
    assert_eq!(late_surcharge(1_000_000, 40), 1_000_000);
    assert_eq!(late_surcharge(1_000_000, 0), 0);
}

#[test]
fn every_case_transition_for_every_role() {
    use CaseAction as A;
    use CaseStatus as S;
    for s in CASE_STATUSES {
        for a in CASE_ACTIONS {
            for r in ALL_ROLES {
                let f = CaseFacts {
                    status: s,
                    major: false,
                    legal_review_passed: false,
                    discussed: false,
                    examined: true,
                    notice_period_over: true,
                };
                let writable = !matches!(r, Role::Leader | Role::Supervisor);
                let officer = matches!(r, Role::Admin | Role::Department | Role::Inspector);
                let want = match (s, a) {
                    (S::Registered, A::Investigate) => Some(S::Investigating),
                    (S::Investigating, A::Examine) => Some(S::Investigating),
                    (S::Investigating, A::Notify) => Some(S::Notified),
                    (S::Notified, A::RequestHearing) => Some(S::HearingRequested),
                    (S::HearingRequested, A::Hear) => Some(S::Heard),
                    (S::Notified | S::Heard, A::LegalReview | A::Discuss) => Some(s),
                    (
                        S::Registered
                        | S::Investigating
                        | S::Notified
                        | S::HearingRequested
                        | S::Heard,
                        A::Extend,
                    ) => Some(s),
                    // After a hearing the 法制审核 comes first (art. 58(2)); these
                    // facts have none.
                    (S::Notified, A::Decide) => Some(S::Decided),
                    (S::Decided, A::Serve) => Some(S::Served),
                    (S::Served, A::Execute) => Some(S::Executed),
                    (S::Executed, A::Close) => Some(S::Closed),
                    (
                        S::Registered
                        | S::Investigating
                        | S::Notified
                        | S::HearingRequested
                        | S::Heard,
                        A::Terminate,
                    ) => Some(S::Terminated),
                    _ => None,
                }
                .filter(|_| officer);
                assert_eq!(
                    transition(&f, a, &actor(r, writable)).ok(),
                    want,
                    "{s:?} {a:?} {r:?}"
                );
            }
        }
    }
}

#[test]
fn major_decisions_need_legal_review_discussion_and_the_notice_period() {
    let f = CaseFacts {
        status: CaseStatus::Notified,
        major: true,
        legal_review_passed: false,
        discussed: false,
        examined: true,
        notice_period_over: true,
    };
    assert_eq!(
        transition(
            &CaseFacts {
                status: CaseStatus::Investigating,
                examined: false,
                ..f
            },
            CaseAction::Notify,
            &actor(Role::Department, true)
        ),
        Err(examination_required())
    );
    assert_eq!(
        transition(&f, CaseAction::Decide, &actor(Role::Department, true)),
        Err(review_required())
    );
    let f = CaseFacts {
        legal_review_passed: true,
        ..f
    };
    assert_eq!(
        transition(&f, CaseAction::Decide, &actor(Role::Department, true)),
        Err(discussion_required())
    );
    let f = CaseFacts {
        discussed: true,
        ..f
    };
    assert_eq!(
        transition(&f, CaseAction::Decide, &actor(Role::Department, true)),
        Ok(CaseStatus::Decided)
    );
    let f = CaseFacts {
        notice_period_over: false,
        ..f
    };
    assert_eq!(
        transition(&f, CaseAction::Decide, &actor(Role::Department, true)),
        Err(notice_period_running())
    );
}
