use crate::*;
use anjian_store::StoreError;
use anjian_store::hazards::{EventInput, HazardFields, HazardFilter};

pub(crate) fn fields(
    region: &str,
    enterprise: Option<i64>,
    sector: &str,
    deadline: Option<&str>,
) -> HazardFields {
    HazardFields {
        region_code: region.into(),
        enterprise_id: enterprise,
        department_id: None,
        sector: sector.into(),
        level: anjian_domain::hazard::Level::parse("general").unwrap(),
        source: anjian_domain::hazard::Source::parse("inspection").unwrap(),
        description: "配电箱未接地".into(),
        location: "一号车间".into(),
        found_on: day("2022-06-01"),
        deadline: deadline.map(day),
        deadline_basis: deadline.map(|_| "date".to_string()),
        deadline_rule: String::new(),
        status: anjian_domain::hazard::Status::parse("registered").unwrap(),
        responsible_unit: String::new(),
        responsible_person: String::new(),
        measures: String::new(),
        funds_planned: None,
        funds_spent: None,
        emergency_plan: String::new(),
        campaign: Some("百日攻坚".into()),
        closed_on: None,
    }
}

pub(crate) fn ev(action: &str) -> EventInput {
    EventInput {
        action: action.into(),
        note: String::new(),
        data: None,
    }
}

pub(crate) fn filter(today: &str) -> HazardFilter {
    HazardFilter {
        today: day(today),
        limit: 50,
        ..Default::default()
    }
}

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

/// A scope's region prefix of up to six digits is evaluated on `county_code`, longer ones
/// on `region_code`: every level sees exactly the hazards below it, in lists, counts and
/// by id.
#[test]
fn hazard_scopes_at_every_level_see_exactly_their_subtree() {
    each(|s| {
        seed_org(s);
        let province = Scope::region(&rc("360000000000"), true);
        let ch = sys(&province);
        // A second county in another city, with a village.
        let more = [
            ("360000000000", "江西省", None),
            ("360900000000", "宜春市", Some("360000000000")),
            ("361000000000", "抚州市", Some("360000000000")),
            ("361021000000", "南城县", Some("361000000000")),
            ("361021100000", "建昌镇", Some("361021000000")),
            ("361021100200", "城东村", Some("361021100000")),
        ];
        add_regions(s, &ch, &more);
        let mut ids = std::collections::BTreeMap::new();
        for v in [VILLAGE_A1, VILLAGE_B1, "361021100200"] {
            let h = s
                .create_hazard(&ch, &fields(v, None, "fire", None), &ev("create"))
                .unwrap();
            ids.insert(v, h.id);
        }
        let cases: [(&str, Vec<&str>); 6] = [
            ("360000000000", vec![VILLAGE_A1, VILLAGE_B1, "361021100200"]),
            ("360900000000", vec![VILLAGE_A1, VILLAGE_B1]),
            ("361000000000", vec!["361021100200"]),
            (COUNTY, vec![VILLAGE_A1, VILLAGE_B1]),
            ("361021000000", vec!["361021100200"]),
            (TOWN_A, vec![VILLAGE_A1]),
        ];
        for (region, expect) in cases {
            let scope = Scope::region(&rc(region), false);
            let mut want: Vec<i64> = expect.iter().map(|v| ids[v]).collect();
            want.sort_unstable_by(|a, b| b.cmp(a));
            let got: Vec<i64> = s
                .list_hazards(&scope, &filter("2022-06-11"))
                .map(|p| p.items.iter().map(|h| h.id).collect())
                .unwrap();
            assert_eq!(got, want, "list in {region}");
            assert_eq!(
                s.count_hazards(&scope, &filter("2022-06-11")).ok(),
                Some(want.len() as i64),
                "count in {region}"
            );
            for (v, id) in &ids {
                assert_eq!(
                    s.get_hazard(&scope, *id).is_ok(),
                    expect.contains(v),
                    "hazard in {v} seen from {region}"
                );
            }
        }
    });
}

/// An import writes its audit entries in one batch: one `hazard.create` entry per hazard,
/// numbered on from the head, the chain intact, and entries written before and after
/// (single registrations) chain on to them.
#[test]
fn an_import_audits_every_hazard_and_keeps_the_chain() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.create_hazard(&ch, &fields(VILLAGE_A1, None, "fire", None), &ev("create"))
            .unwrap();
        let before = s.verify_audit().map(|r| r.head_seq).unwrap_or(0);
        let mut items: Vec<HazardFields> = (0..150)
            .map(|i| {
                fields(
                    if i % 2 == 0 { VILLAGE_A1 } else { VILLAGE_B1 },
                    None,
                    "fire",
                    None,
                )
            })
            .collect();
        items[7].level = anjian_domain::hazard::Level::parse("major").unwrap();
        let ids = s
            .create_hazards(&ch, &items, &ev("create"), |_| {})
            .unwrap();
        assert_eq!(ids.len(), 150);
        // Each entry records the hazard exactly as stored, and its first event is there;
        // the major one has its case.
        for id in [ids[0], ids[7], ids[149]] {
            let (h, events) = s.hazard_with_events(&county, id).unwrap();
            assert_eq!(
                h.region_name,
                if id == ids[0] {
                    "枫林村"
                } else {
                    "石塘村"
                }
            );
            let entries = s
                .list_audit(
                    &county,
                    &anjian_store::audit::AuditFilter {
                        entity: Some("hazard".into()),
                        entity_id: Some(id.to_string()),
                        limit: 10,
                        ..Default::default()
                    },
                )
                .unwrap();
            assert_eq!(entries.len(), 1);
            let after: serde_json::Value =
                serde_json::from_str(entries[0].after.as_deref().unwrap_or("null"))
                    .unwrap_or_default();
            assert_eq!(after, serde_json::to_value(&h).unwrap_or_default());
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].to_status, "registered");
        }
        assert!(s.get_major_case(&county, ids[7]).is_ok());
        s.create_hazard(&ch, &fields(VILLAGE_B1, None, "fire", None), &ev("create"))
            .unwrap();
        let r = s.verify_audit().unwrap();
        assert!(r.ok(), "{:?}", r.problems);
        assert_eq!(r.head_seq, before + 151);
        assert_eq!(r.checked, r.head_seq);
    });
}

/// The ledger's totals follow every commit, whether made through the same store or
/// through another handle on the same database (another process); on SQLite they are
/// kept between unchanged reads (so this test exercises the kept path), on PostgreSQL
/// never.
#[test]
fn ledger_totals_follow_writes_of_any_handle() {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        let s = &ts.store;
        seed_org(s);
        let other = ts.second_handle().unwrap();
        let county = county_scope();
        let ch = sys(&county);
        let totals = || {
            s.count_hazards_and_overdue(&county, &filter("2022-06-11"))
                .unwrap()
        };
        let create = |store: &anjian_store::Store, deadline: Option<&str>| {
            store
                .create_hazard(
                    &ch,
                    &fields(VILLAGE_A1, None, "fire", deadline),
                    &ev("create"),
                )
                .unwrap()
        };
        assert_eq!(totals(), (0, 0));
        create(s, Some("2022-06-10"));
        // Asked repeatedly, as a page reloaded: the same answer, kept on SQLite.
        for _ in 0..3 {
            assert_eq!(totals(), (1, 1));
        }
        let kept = s.kept_ledger_totals();
        match s.dialect() {
            anjian_store::db::Dialect::Sqlite => assert!(kept > 0),
            anjian_store::db::Dialect::Postgres => assert_eq!(kept, 0),
        }
        // A commit by another handle is seen at once, and so is the next one of this
        // store, including an edit that moves only the overdue total.
        let h = create(&other, None);
        assert_eq!(totals(), (2, 1));
        assert_eq!(totals(), (2, 1));
        create(s, Some("2022-06-30"));
        assert_eq!(totals(), (3, 1));
        let f = fields(VILLAGE_A1, None, "fire", Some("2022-06-01"));
        other
            .update_hazard(&ch, h.id, h.version, &f, &ev("edit"))
            .unwrap();
        assert_eq!(totals(), (3, 2));
        // Another day is another question.
        assert_eq!(
            s.count_hazards_and_overdue(&county, &filter("2022-07-01"))
                .ok(),
            Some((3, 3))
        );
        // Another scope is another question: a township sees its own hazards only.
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.count_hazards_and_overdue(&town_b, &filter("2022-06-11"))
                .ok(),
            Some((0, 0))
        );
    }
}
