//! Hazards created and updated, their events, and every list filter.

use super::*;

#[test]
fn hazards_create_update_events_and_filters() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap_or_default();
        let h1 = s
            .create_hazard(
                &ch,
                &fields(VILLAGE_A1, Some(e), "hazchem", Some("2022-06-10")),
                &ev("create"),
            )
            .unwrap();
        let h2 = s
            .create_hazard(&ch, &fields(VILLAGE_B1, None, "fire", None), &ev("create"))
            .unwrap();
        assert_eq!(h1.county_code, COUNTY);
        assert_eq!(h1.enterprise_name.as_deref(), Some("测试企业1有限公司"));
        assert_eq!(h1.region_name, "枫林村");
        // The hazard the registration answers with is the one read back (on PostgreSQL the
        // insert reads its row with the names in the same statement).
        for h in [&h1, &h2] {
            assert_eq!(s.get_hazard(&county, h.id).as_ref().ok(), Some(h));
        }
        // Overdue is derived from the deadline and the day asked about.
        let count = |f: HazardFilter| s.count_hazards(&county, &f).unwrap_or(-1);
        assert_eq!(
            count(HazardFilter {
                overdue: Some(true),
                ..filter("2022-06-10")
            }),
            0
        );
        assert_eq!(
            count(HazardFilter {
                overdue: Some(true),
                ..filter("2022-06-11")
            }),
            1
        );
        assert_eq!(
            count(HazardFilter {
                overdue: Some(false),
                ..filter("2022-06-11")
            }),
            1
        );
        // The ledger's two totals in one pass agree with the two counts.
        for (day, overdue) in [("2022-06-10", 0), ("2022-06-11", 1)] {
            assert_eq!(
                s.count_hazards_and_overdue(&county, &filter(day)).ok(),
                Some((2, overdue))
            );
        }
        let mut fire = county.clone();
        fire.sectors = Some(vec!["hazchem".into()]);
        assert_eq!(
            s.count_hazards_and_overdue(&fire, &filter("2022-06-11"))
                .ok(),
            Some((1, 1))
        );
        assert_eq!(
            count(HazardFilter {
                campaign: Some("百日攻坚".into()),
                ..filter("2022-06-11")
            }),
            2
        );
        assert_eq!(
            count(HazardFilter {
                region_prefix: Some("360982101".into()),
                ..filter("2022-06-11")
            }),
            1
        );
        assert_eq!(
            count(HazardFilter {
                q: Some("接地".into()),
                ..filter("2022-06-11")
            }),
            2
        );
        // Scope: township B sees only its hazard; the enterprise only its own.
        let town_b = Scope::region(&rc(TOWN_B), true);
        let ids: Vec<i64> = s
            .list_hazards(&town_b, &filter("2022-06-11"))
            .map(|p| p.items.iter().map(|h| h.id).collect())
            .unwrap_or_default();
        assert_eq!(ids, vec![h2.id]);
        assert_eq!(
            s.get_hazard(&town_b, h1.id).err(),
            Some(StoreError::NotFound)
        );
        let mut own = county.clone();
        own.enterprise_ids = Some(vec![e]);
        assert_eq!(s.count_hazards(&own, &filter("2022-06-11")).ok(), Some(1));
        let mut fire = county.clone();
        fire.sectors = Some(vec!["fire".into()]);
        assert_eq!(s.count_hazards(&fire, &filter("2022-06-11")).ok(), Some(1));
        // A transition: hazard, event and audit together; stale versions conflict.
        let mut f = h1.fields();
        f.status = anjian_domain::hazard::Status::parse("ordered").unwrap();
        let after = s
            .update_hazard(&ch, h1.id, h1.version, &f, &ev("order"))
            .unwrap();
        assert_eq!((after.status.as_str(), after.version), ("ordered", 2));
        assert!(matches!(
            s.update_hazard(&ch, h1.id, h1.version, &f, &ev("order")),
            Err(StoreError::Conflict(_))
        ));
        // Township B cannot change township A's hazard, nor move its own into A.
        let chb = sys(&town_b);
        assert_eq!(
            s.update_hazard(&chb, h1.id, 2, &f, &ev("note")).err(),
            Some(StoreError::Forbidden)
        );
        let mut moved = h2.fields();
        moved.region_code = VILLAGE_A1.into();
        assert_eq!(
            s.update_hazard(&chb, h2.id, 1, &moved, &ev("note")).err(),
            Some(StoreError::Forbidden)
        );
        let events = s.hazard_events(&county, h1.id).unwrap_or_default();
        assert_eq!(
            events
                .iter()
                .map(|e| (e.action.as_str(), e.to_status.as_str()))
                .collect::<Vec<_>>(),
            vec![("create", "registered"), ("order", "ordered")]
        );
        assert_eq!(events[1].from_status.as_deref(), Some("registered"));
        // The hazard with its timeline in one statement: the same hazard a plain read
        // answers and the same events in order; out of scope or missing, not found.
        let (joined, timeline) = s.hazard_with_events(&county, h1.id).unwrap();
        assert_eq!(Some(joined), s.get_hazard(&county, h1.id).ok());
        assert_eq!(timeline, events);
        assert_eq!(
            s.hazard_with_events(&town_b, h1.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.hazard_with_events(&county, h1.id + 1_000_000).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.hazard_events(&town_b, h1.id).err(),
            Some(StoreError::NotFound)
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
        // Keyset pages.
        let p1 = s
            .list_hazards(
                &county,
                &HazardFilter {
                    limit: 1,
                    ..filter("2022-06-11")
                },
            )
            .unwrap();
        assert_eq!(p1.items[0].id, h2.id);
        let after_id = p1.next.and_then(|n| n.parse().ok());
        let p2 = s
            .list_hazards(
                &county,
                &HazardFilter {
                    limit: 1,
                    after: after_id,
                    ..filter("2022-06-11")
                },
            )
            .unwrap();
        assert_eq!((p2.items[0].id, p2.next), (h1.id, None));
    });
}
