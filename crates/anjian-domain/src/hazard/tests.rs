//! The hazard rules, table-tested.

use super::*;
use crate::scope::{ALL_ROLES, Role};

fn facts(status: Status, level: Level, source: Source, has_enterprise: bool, five: bool) -> Facts {
    Facts {
        status,
        level,
        source,
        has_enterprise,
        five: Five::all(five),
    }
}

/// The expected outcome for every (state, action, role) of an enterprise's hazard found
/// by inspection, with the actor owning it where that makes sense.
fn expected(status: Status, action: Action, role: Role) -> Option<Status> {
    use Action::*;
    use Status::*;
    let regulator = matches!(
        role,
        Role::Admin | Role::Department | Role::Inspector | Role::Township
    );
    let enterprise = role == Role::Enterprise;
    match (status, action) {
        (Registered, Order) if regulator => Some(Ordered),
        (Registered, FixOnSite) if regulator => Some(Reported),
        (Ordered, Start) if regulator || enterprise => Some(Rectifying),
        (Rectifying, Report) if enterprise => Some(Reported),
        (Reported, Pass) if regulator => Some(Closed),
        (Reported, Reject) if regulator => Some(Rectifying),
        (Ordered | Rectifying, Extend) if regulator => Some(status),
        (Registered | Ordered | Rectifying | Reported, Note) if regulator || enterprise => {
            Some(status)
        }
        _ => None,
    }
}

#[test]
fn every_transition_for_every_role() {
    // Table-driven: 5 states × 8 actions × 7 roles, inspection hazard of an enterprise.
    for status in STATUSES {
        for action in ACTIONS {
            for role in ALL_ROLES {
                let who = Actor {
                    role,
                    in_writable_scope: !matches!(role, Role::Leader | Role::Supervisor),
                    is_owner_enterprise: role == Role::Enterprise,
                };
                let got = transition(
                    &facts(status, Level::General, Source::Inspection, true, false),
                    action,
                    &who,
                )
                .ok();
                assert_eq!(
                    got,
                    expected(status, action, role),
                    "{status:?} {action:?} {role:?}"
                );
            }
        }
    }
}

#[test]
fn read_only_and_foreign_actors_can_do_nothing() {
    for status in STATUSES {
        for action in ACTIONS {
            for role in ALL_ROLES {
                let outside = Actor {
                    role,
                    in_writable_scope: false,
                    is_owner_enterprise: false,
                };
                assert!(
                    transition(
                        &facts(status, Level::General, Source::SelfCheck, true, true),
                        action,
                        &outside
                    )
                    .is_err()
                );
            }
            // Another enterprise (in scope by mistake) is not the owner.
            let other = Actor {
                role: Role::Enterprise,
                in_writable_scope: true,
                is_owner_enterprise: false,
            };
            assert!(
                transition(
                    &facts(status, Level::General, Source::SelfCheck, true, true),
                    action,
                    &other
                )
                .is_err()
            );
        }
    }
}

#[test]
fn self_check_hazards_are_run_by_the_enterprise() {
    let ent = Actor {
        role: Role::Enterprise,
        in_writable_scope: true,
        is_owner_enterprise: true,
    };
    let f = |s| facts(s, Level::General, Source::SelfCheck, true, false);
    assert_eq!(
        transition(&f(Status::Registered), Action::Start, &ent),
        Ok(Status::Rectifying)
    );
    assert_eq!(
        transition(&f(Status::Rectifying), Action::Report, &ent),
        Ok(Status::Reported)
    );
    assert_eq!(
        transition(&f(Status::Reported), Action::Pass, &ent),
        Ok(Status::Closed)
    );
    // A major self-check hazard is closed by a regulator only.
    let major = facts(
        Status::Reported,
        Level::Major,
        Source::SelfCheck,
        true,
        true,
    );
    assert!(transition(&major, Action::Pass, &ent).is_err());
    let insp = Actor {
        role: Role::Inspector,
        in_writable_scope: true,
        is_owner_enterprise: false,
    };
    assert_eq!(transition(&major, Action::Pass, &insp), Ok(Status::Closed));
}

#[test]
fn public_hazards_are_rectified_under_the_regulator() {
    let town = Actor {
        role: Role::Township,
        in_writable_scope: true,
        is_owner_enterprise: false,
    };
    let f = |s| facts(s, Level::General, Source::PublicReport, false, false);
    assert_eq!(
        transition(&f(Status::Ordered), Action::Start, &town),
        Ok(Status::Rectifying)
    );
    assert_eq!(
        transition(&f(Status::Rectifying), Action::Report, &town),
        Ok(Status::Reported)
    );
}

#[test]
fn major_hazards_need_the_five_in_place() {
    let ent = Actor {
        role: Role::Enterprise,
        in_writable_scope: true,
        is_owner_enterprise: true,
    };
    let missing = facts(
        Status::Ordered,
        Level::Major,
        Source::Inspection,
        true,
        false,
    );
    assert!(matches!(
        transition(&missing, Action::Start, &ent),
        Err(TransitionError::Unmet(_))
    ));
    let ready = facts(
        Status::Ordered,
        Level::Major,
        Source::Inspection,
        true,
        true,
    );
    assert_eq!(
        transition(&ready, Action::Start, &ent),
        Ok(Status::Rectifying)
    );
    // No on-the-spot fix for a major hazard.
    let insp = Actor {
        role: Role::Inspector,
        in_writable_scope: true,
        is_owner_enterprise: false,
    };
    assert!(
        transition(
            &facts(
                Status::Registered,
                Level::Major,
                Source::Inspection,
                true,
                true
            ),
            Action::FixOnSite,
            &insp
        )
        .is_err()
    );
}

#[test]
fn overdue_is_derived() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let due = d("2022-06-10");
    let day = |s: &str| d(s).unwrap_or_default();
    assert!(!is_overdue(
        Status::Rectifying,
        due,
        None,
        day("2022-06-10")
    ));
    assert!(is_overdue(Status::Rectifying, due, None, day("2022-06-11")));
    assert!(!is_overdue(Status::Closed, due, None, day("2022-06-11")));
    assert!(!is_overdue(
        Status::Rectifying,
        None,
        None,
        day("2030-01-01")
    ));
}

/// 安全生产执法程序规定 (安监总政法〔2016〕72号): once the party reports the rectification
/// done, the regulator re-inspects within 10 working days; the hazard waits on the
/// review, it is not 逾期未整改. A report after the deadline leaves it overdue.
#[test]
fn zhi_fa_cheng_xu_reported_in_time_awaits_review_not_overdue() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let due = d("2022-06-10");
    let later = d("2022-07-01").unwrap_or_default();
    assert!(!is_overdue(Status::Reported, due, d("2022-06-10"), later));
    assert!(!is_overdue(Status::Reported, due, d("2022-06-01"), later));
    assert!(is_overdue(Status::Reported, due, d("2022-06-11"), later));
    // A report date is only what the hazard waits on while it waits: sent back, overdue.
    assert!(is_overdue(Status::Rectifying, due, d("2022-06-01"), later));
    assert_eq!(REVIEW_WORKING_DAYS, 10);
}

#[test]
fn the_report_date_follows_the_status() {
    use Status::*;
    let t = "2022-06-05";
    assert_eq!(
        reported_on_after(Rectifying, None, Reported, t).as_deref(),
        Some(t)
    );
    assert_eq!(
        reported_on_after(Registered, None, Reported, t).as_deref(),
        Some(t)
    );
    // A note while waiting keeps the first report's date; closing keeps it too.
    let first = Some("2022-06-01");
    assert_eq!(
        reported_on_after(Reported, first, Reported, t),
        first.map(String::from)
    );
    assert_eq!(
        reported_on_after(Reported, first, Closed, t),
        first.map(String::from)
    );
    assert_eq!(
        reported_on_after(Closed, first, Closed, t),
        first.map(String::from)
    );
    // Sent back by the review: no longer waiting.
    assert_eq!(reported_on_after(Reported, first, Rectifying, t), None);
    assert_eq!(reported_on_after(Ordered, None, Closed, t), None);
}
