//! 包片包线: leaders, dated assignments with their handover, scope, import.

use crate::*;
use anjian_domain::leader::AreaKind;
use anjian_store::StoreError;
use anjian_store::leaders::{AssignmentFilter, AssignmentInput, ImportedAssignment, LeaderInput};

fn leader(name: &str) -> LeaderInput {
    LeaderInput {
        county_code: COUNTY.into(),
        name: name.into(),
        post: "副市长".into(),
        phone: Some("13800000000".into()),
        user_id: None,
        sort_order: 1,
        active: true,
    }
}

fn assignment(leader_id: i64, kind: AreaKind, target: &str, from: &str) -> AssignmentInput {
    AssignmentInput {
        county_code: COUNTY.into(),
        leader_id,
        kind,
        target: target.into(),
        basis: "《樟树市安全生产包片包线责任制》".into(),
        valid_from: day(from),
        valid_to: None,
    }
}

#[test]
fn a_new_assignment_ends_the_current_one_the_day_before() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let li = s.create_leader(&ch, &leader("李明")).unwrap();
        let zh = s.create_leader(&ch, &leader("张华")).unwrap();
        let first = s
            .assign_leader(
                &ch,
                &assignment(li.id, AreaKind::Township, TOWN_A, "2022-01-01"),
            )
            .unwrap();
        s.assign_leader(
            &ch,
            &assignment(li.id, AreaKind::Sector, "mines", "2022-01-01"),
        )
        .unwrap();
        let second = s
            .assign_leader(
                &ch,
                &assignment(zh.id, AreaKind::Township, TOWN_A, "2022-07-01"),
            )
            .unwrap();
        let on = |d: &str| {
            s.list_assignments(
                &county,
                &AssignmentFilter {
                    kind: Some(AreaKind::Township),
                    target: Some(TOWN_A.into()),
                    as_of: Some(day(d)),
                    ..Default::default()
                },
            )
            .unwrap()
            .into_iter()
            .map(|a| a.leader_id)
            .collect::<Vec<_>>()
        };
        assert_eq!(on("2022-06-30"), vec![li.id], "before the change");
        assert_eq!(on("2022-07-01"), vec![zh.id], "from the change");
        assert_eq!(on("2021-12-31"), Vec::<i64>::new());
        let ended = s.get_assignment(&county, first.id).unwrap();
        assert_eq!(ended.valid_to, Some(day("2022-06-30")), "history kept");
        assert_eq!(second.valid_to, None);
        // The sector assignment was not touched by the township's handover.
        let mines = s
            .list_assignments(
                &county,
                &AssignmentFilter {
                    kind: Some(AreaKind::Sector),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(mines.len(), 1);
        assert_eq!(mines[0].valid_to, None);
        // An assignment starting on or before the latest one's first day is refused.
        assert!(matches!(
            s.assign_leader(
                &ch,
                &assignment(li.id, AreaKind::Township, TOWN_A, "2022-07-01")
            ),
            Err(StoreError::Conflict(_))
        ));
        // Ending one.
        let end = s.end_assignment(&ch, second.id, day("2022-12-31")).unwrap();
        assert_eq!(end.valid_to, Some(day("2022-12-31")));
        assert!(matches!(
            s.end_assignment(&ch, second.id, day("2022-01-01")),
            Err(StoreError::Invalid(_))
        ));
        // Leaders: update with the version read, a stale one is refused.
        let upd = LeaderInput {
            post: "市委常委、常务副市长".into(),
            ..leader("李明")
        };
        let saved = s.update_leader(&ch, li.id, li.version, &upd).unwrap();
        assert_eq!(saved.post, "市委常委、常务副市长");
        assert!(matches!(
            s.update_leader(&ch, li.id, li.version, &upd),
            Err(StoreError::Conflict(_))
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn leaders_are_the_countys_own_and_read_only_scopes_change_nothing() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let l = s.create_leader(&ch, &leader("李明")).unwrap();
        s.assign_leader(
            &ch,
            &assignment(l.id, AreaKind::Township, TOWN_B, "2022-01-01"),
        )
        .unwrap();
        // A township sees its county's leaders and assignments.
        let town_a = anjian_domain::Scope::region(&rc(TOWN_A), true);
        assert_eq!(s.list_leaders(&town_a).unwrap().len(), 1);
        assert_eq!(
            s.list_assignments(&town_a, &AssignmentFilter::default())
                .unwrap()
                .len(),
            1
        );
        // Another county sees none; an enterprise-bound scope sees none.
        let other = anjian_domain::Scope::region(&rc("360983000000"), true);
        assert!(s.list_leaders(&other).unwrap().is_empty());
        assert!(matches!(
            s.get_leader(&other, l.id),
            Err(StoreError::NotFound)
        ));
        let enterprise = anjian_domain::Scope {
            enterprise_ids: Some(vec![1]),
            ..county_scope()
        };
        assert!(s.list_leaders(&enterprise).unwrap().is_empty());
        // Read-only and township scopes change nothing of the county's.
        let read_only = anjian_domain::Scope::region(&rc(COUNTY), false);
        assert!(matches!(
            s.create_leader(&sys(&read_only), &leader("王五")),
            Err(StoreError::Forbidden)
        ));
        assert!(matches!(
            s.create_leader(&sys(&town_a), &leader("王五")),
            Err(StoreError::Forbidden)
        ));
        // The leader linked to a user.
        assert_eq!(s.leader_of_user(&county, 99).unwrap(), None);
    });
}

#[test]
fn an_import_adds_leaders_by_name_and_hands_over_in_file_order() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let existing = s.create_leader(&ch, &leader("李明")).unwrap();
        let row = |name: &str, target: &str, from: &str| ImportedAssignment {
            leader: leader(name),
            assignment: assignment(0, AreaKind::Township, target, from),
        };
        let n = s
            .import_assignments(
                &ch,
                &[
                    row("李明", TOWN_A, "2022-01-01"),
                    row("赵强", TOWN_A, "2022-05-01"),
                    row("赵强", TOWN_B, "2022-01-01"),
                ],
            )
            .unwrap();
        assert_eq!(n, 3);
        let leaders = s.list_leaders(&county).unwrap();
        assert_eq!(leaders.len(), 2, "李明 found by name, 赵强 added once");
        let zhao = leaders.iter().find(|l| l.name == "赵强").unwrap();
        let a = s
            .list_assignments(
                &county,
                &AssignmentFilter {
                    target: Some(TOWN_A.into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            a.iter()
                .map(|x| (x.leader_id, x.valid_to))
                .collect::<Vec<_>>(),
            vec![(existing.id, Some(day("2022-04-30"))), (zhao.id, None)]
        );
        // A refused row writes nothing of the file.
        let before = s
            .list_assignments(&county, &AssignmentFilter::default())
            .unwrap();
        assert!(
            s.import_assignments(
                &ch,
                &[
                    row("孙丽", TOWN_B, "2022-09-01"),
                    row("孙丽", TOWN_B, "2022-02-01"),
                ],
            )
            .is_err()
        );
        assert_eq!(
            s.list_assignments(&county, &AssignmentFilter::default())
                .unwrap(),
            before
        );
        assert_eq!(s.list_leaders(&county).unwrap().len(), 2);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
