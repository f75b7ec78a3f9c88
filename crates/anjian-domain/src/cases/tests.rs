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
        ..Default::default()
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
                    ..Default::default()
                };
                let writable = !matches!(r, Role::Leader | Role::Supervisor);
                let officer = matches!(r, Role::Admin | Role::Department | Role::Inspector);
                let want = match (s, a) {
                    (S::Registered, A::Investigate) => Some(S::Investigating),
                    (S::Investigating, A::Examine) => Some(S::Investigating),
                    (S::Investigating, A::Notify) => Some(S::Notified),
                    (S::Notified, A::RequestHearing) => Some(S::HearingRequested),
                    (S::HearingRequested, A::Hear) => Some(S::Heard),
                    (S::HearingRequested, A::ScheduleHearing) => Some(s),
                    (S::Notified, A::Waive) => Some(s),
                    (S::HearingRequested, A::WithdrawHearing | A::HearingAbsent) => {
                        Some(S::Notified)
                    }
                    // These facts have no period to start or end.
                    (_, A::Suspend | A::Stay | A::Resume) => None,
                    (S::Decided | S::Served | S::Executed | S::Closed, A::Overturn) => Some(s),
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
        ..Default::default()
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

fn notified() -> CaseFacts {
    CaseFacts {
        status: CaseStatus::Notified,
        examined: true,
        ..Default::default()
    }
}

#[test]
fn xingzheng_chufa_fa_art_58_1_and_3_complex_or_public_interest_cases_are_reviewed_first() {
    let officer = actor(Role::Department, true);
    for f in [
        CaseFacts {
            complex: true,
            discussed: true,
            notice_period_over: true,
            ..notified()
        },
        CaseFacts {
            public_interest: true,
            notice_period_over: true,
            ..notified()
        },
    ] {
        assert_eq!(
            transition(&f, CaseAction::Decide, &officer),
            Err(review_required())
        );
        let reviewed = CaseFacts {
            legal_review_passed: true,
            ..f
        };
        assert_eq!(
            transition(&reviewed, CaseAction::Decide, &officer),
            Ok(CaseStatus::Decided)
        );
    }
    // A complex case is also discussed by the heads collectively (art. 57).
    let complex = CaseFacts {
        complex: true,
        legal_review_passed: true,
        notice_period_over: true,
        ..notified()
    };
    assert_eq!(
        transition(&complex, CaseAction::Decide, &officer),
        Err(discussion_required())
    );
}

#[test]
fn xingzheng_chufa_fa_art_64_8_waiver_withdrawal_and_absence_move_the_case_on() {
    let officer = actor(Role::Department, true);
    // Waived: the decision need not wait for the statement period.
    let f = notified();
    assert_eq!(
        transition(&f, CaseAction::Decide, &officer),
        Err(notice_period_running())
    );
    assert_eq!(
        transition(&f, CaseAction::Waive, &officer),
        Ok(CaseStatus::Notified)
    );
    let waived = CaseFacts {
        rights_waived: true,
        ..f
    };
    assert_eq!(
        transition(&waived, CaseAction::Decide, &officer),
        Ok(CaseStatus::Decided)
    );
    assert!(transition(&waived, CaseAction::Waive, &officer).is_err());
    assert!(transition(&waived, CaseAction::RequestHearing, &officer).is_err());
    // A withdrawn request, or absence from the hearing, ends the hearing.
    let requested = CaseFacts {
        status: CaseStatus::HearingRequested,
        ..f
    };
    assert_eq!(
        transition(&requested, CaseAction::WithdrawHearing, &officer),
        Ok(CaseStatus::Notified)
    );
    assert_eq!(
        transition(&requested, CaseAction::HearingAbsent, &officer),
        Ok(CaseStatus::Notified)
    );
    assert!(transition(&requested, CaseAction::Decide, &officer).is_err());
}

#[test]
fn xingzheng_chufa_fa_art_64_hearing_asked_within_5_days_and_noticed_7_days_before() {
    let officer = actor(Role::Department, true);
    let late = CaseFacts {
        hearing_request_late: true,
        ..notified()
    };
    assert!(matches!(
        transition(&late, CaseAction::RequestHearing, &officer),
        Err(CaseError::NotYet(_))
    ));
    let requested = CaseFacts {
        status: CaseStatus::HearingRequested,
        hearing_not_due: true,
        ..notified()
    };
    assert!(transition(&requested, CaseAction::Hear, &officer).is_err());
    assert!(transition(&requested, CaseAction::HearingAbsent, &officer).is_err());
    assert_eq!(
        transition(&requested, CaseAction::ScheduleHearing, &officer),
        Ok(CaseStatus::HearingRequested)
    );
    let due = CaseFacts {
        hearing_not_due: false,
        ..requested
    };
    assert_eq!(
        transition(&due, CaseAction::Hear, &officer),
        Ok(CaseStatus::Heard)
    );
}

#[test]
fn a_decision_is_recorded_as_changed_or_revoked_once() {
    let officer = actor(Role::Department, true);
    let served = CaseFacts {
        status: CaseStatus::Served,
        ..Default::default()
    };
    assert_eq!(
        transition(&served, CaseAction::Overturn, &officer),
        Ok(CaseStatus::Served)
    );
    let done = CaseFacts {
        overturned: true,
        ..served
    };
    assert!(transition(&done, CaseAction::Overturn, &officer).is_err());
    assert!(transition(&notified(), CaseAction::Overturn, &officer).is_err());
}

#[test]
fn periods_that_do_not_count_are_started_in_their_phase() {
    let officer = actor(Role::Department, true);
    let before = CaseFacts {
        may_suspend: true,
        may_stay: true,
        ..notified()
    };
    assert_eq!(
        transition(&before, CaseAction::Suspend, &officer),
        Ok(CaseStatus::Notified)
    );
    assert!(transition(&before, CaseAction::Stay, &officer).is_err());
    let served = CaseFacts {
        status: CaseStatus::Served,
        ..before
    };
    assert!(transition(&served, CaseAction::Suspend, &officer).is_err());
    assert_eq!(
        transition(&served, CaseAction::Stay, &officer),
        Ok(CaseStatus::Served)
    );
    assert!(transition(&served, CaseAction::Resume, &officer).is_err());
    let open = CaseFacts {
        may_resume: true,
        ..served
    };
    assert_eq!(
        transition(&open, CaseAction::Resume, &officer),
        Ok(CaseStatus::Served)
    );
}
