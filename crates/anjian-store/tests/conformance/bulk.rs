use crate::*;
use anjian_store::StoreError;
use anjian_store::audit::AuditFilter;
use anjian_store::bulk::BulkHazard;
use anjian_store::hazards::HazardFilter;
use std::collections::BTreeMap;

/// Generated hazard `i`: even ones in village A1 (hazchem), odd ones in B1 (fire); every
/// third closed, every tenth major.
fn bulk(i: usize) -> BulkHazard {
    let closed = i.is_multiple_of(3);
    BulkHazard {
        region_code: if i.is_multiple_of(2) {
            VILLAGE_A1
        } else {
            VILLAGE_B1
        }
        .into(),
        enterprise_id: None,
        sector: if i.is_multiple_of(2) {
            "hazchem"
        } else {
            "fire"
        },
        level: if i.is_multiple_of(10) {
            "major"
        } else {
            "general"
        },
        source: "inspection",
        description: format!("第{i}号隐患"),
        found_on: day(&format!("2022-05-{:02}", 1 + i % 28)),
        deadline: day("2022-06-30"),
        status: if closed {
            "closed"
        } else if i % 3 == 1 {
            "registered"
        } else {
            "rectifying"
        },
        funds_spent: closed.then_some(100),
        campaign: closed.then(|| "百日攻坚".to_string()),
        closed_on: closed.then(|| day("2022-06-01")),
    }
}

fn statuses(items: impl Iterator<Item = &'static str>) -> Vec<(String, i64)> {
    let mut m: BTreeMap<String, i64> = BTreeMap::new();
    for s in items {
        *m.entry(s.to_string()).or_default() += 1;
    }
    m.into_iter().collect()
}

fn count(s: &Store, scope: &Scope) -> i64 {
    let f = HazardFilter {
        today: day("2022-06-01"),
        limit: 50,
        ..Default::default()
    };
    s.count_hazards(scope, &f).unwrap_or(-1)
}

#[test]
fn bulk_loads_fill_empty_and_non_empty_tables() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        assert_eq!(s.max_hazard_id().ok(), Some(0));
        assert_eq!(s.scan_hazard_statuses().ok(), Some(vec![]));
        // Only a writable scope bound by nothing but regions loads.
        let fire = Scope {
            sectors: Some(vec!["fire".into()]),
            ..county_scope()
        };
        for scope in [fire, county.clone().read_only()] {
            let r = s.bulk_load_hazards(&sys(&scope), 10, 5, || Some(bulk(1)), |_| {});
            assert_eq!(r, Err(StoreError::Forbidden));
        }
        assert_eq!(s.max_hazard_id().ok(), Some(0));

        let schema = s.schema_description().unwrap();
        let mut i = 0;
        let mut progress = Vec::new();
        let n = s
            .bulk_load_hazards(
                &ch,
                150,
                40,
                || {
                    i += 1;
                    Some(bulk(i))
                },
                |done| progress.push(done),
            )
            .unwrap();
        assert_eq!((n, progress), (150, vec![40, 80, 120, 150]));
        assert_eq!(s.max_hazard_id().ok(), Some(150));
        assert_eq!(
            s.scan_hazard_statuses().ok(),
            Some(statuses((1..=150).map(|i| bulk(i).status)))
        );
        assert_eq!(count(s, &county), 150);
        assert_eq!(count(s, &Scope::region(&rc(TOWN_B), false)), 75);
        // The rows are the generated hazards, in their final state, with their events.
        let h = s.get_hazard(&county, 3).unwrap();
        assert_eq!(
            (
                h.county_code.as_str(),
                h.region_code.as_str(),
                h.sector.as_str(),
                h.status.as_str(),
                h.description.as_str(),
                h.found_on,
                h.deadline,
                h.deadline_basis.as_deref(),
                h.closed_on,
                h.funds_spent,
                h.campaign.as_deref(),
                h.version
            ),
            (
                COUNTY,
                VILLAGE_B1,
                "fire",
                "closed",
                "第3号隐患",
                day("2022-05-04"),
                Some(day("2022-06-30")),
                Some("date"),
                Some(day("2022-06-01")),
                Some(100),
                Some("百日攻坚"),
                1
            )
        );
        assert_eq!(
            (h.created_at.as_str(), h.updated_at.as_str()),
            ("2022-05-04T01:00:00.000Z", "2022-06-01T09:00:00.000Z")
        );
        let timeline = |id: i64| {
            s.hazard_events(&county, id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.action, e.from_status, e.to_status))
                .collect::<Vec<_>>()
        };
        let step = |a: &str, from: Option<&str>, to: &str| {
            (a.to_string(), from.map(str::to_string), to.to_string())
        };
        assert_eq!(
            timeline(3),
            vec![
                step("create", None, "registered"),
                step("close", Some("reported"), "closed")
            ]
        );
        assert_eq!(timeline(4), vec![step("create", None, "registered")]);
        // Major ones have their case: open ones in remediation, closed ones closed.
        let case = |id: i64| {
            s.get_major_case(&county, id)
                .map(|(c, _)| (c.case_no, c.state, c.closed_on))
                .unwrap()
        };
        assert_eq!(
            case(10),
            (
                "ZD000000010".into(),
                anjian_domain::major::CaseState::parse("in_remediation").unwrap(),
                None
            )
        );
        assert_eq!(
            case(30),
            (
                "ZD000000030".into(),
                anjian_domain::major::CaseState::parse("closed").unwrap(),
                Some(day("2022-06-01"))
            )
        );
        assert_eq!(
            s.get_major_case(&county, 11).err(),
            Some(StoreError::NotFound)
        );
        // The indexes dropped for the load are back, the same.
        assert_eq!(s.schema_description().ok(), Some(schema.clone()));
        // One audit entry for the whole load.
        let f = AuditFilter {
            action_prefix: Some("hazard.bulk_load".into()),
            limit: 10,
            ..Default::default()
        };
        let audit = s.list_audit(&Scope::system(), &f).unwrap_or_default();
        assert_eq!(
            audit
                .iter()
                .map(|a| a.entity_id.as_str())
                .collect::<Vec<_>>(),
            vec!["1-150"]
        );

        // Into a non-empty table: ids go on, and a source running dry ends the load.
        let mut j = 150;
        let n = s
            .bulk_load_hazards(
                &ch,
                100,
                7,
                || {
                    j += 1;
                    (j <= 160).then(|| bulk(j))
                },
                |_| {},
            )
            .unwrap();
        assert_eq!((n, s.max_hazard_id().ok()), (10, Some(160)));
        assert_eq!(
            s.get_hazard(&county, 160).map(|h| h.description).ok(),
            Some("第160号隐患".into())
        );
        assert_eq!(s.schema_description().ok(), Some(schema));
        // The store goes on: the next hazard registered gets the next id.
        let next = s
            .create_hazard(
                &ch,
                &hazard_fields(VILLAGE_A1, None, "hazchem", "2022-06-01", None),
                &event("create"),
            )
            .unwrap();
        assert_eq!(next.id, 161);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn baseline_inserts_write_plain_rows_and_scans_count_them() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let first = s
            .create_hazard(
                &ch,
                &hazard_fields(VILLAGE_A1, None, "hazchem", "2022-05-01", None),
                &event("create"),
            )
            .unwrap();
        assert_eq!(s.max_hazard_id().ok(), Some(first.id));
        let head = || {
            let f = AuditFilter {
                limit: 1,
                ..Default::default()
            };
            s.list_audit(&Scope::system(), &f)
                .ok()
                .and_then(|v| v.first().map(|a| a.seq))
        };
        let seq = head();

        // One by one: each row in its own transaction, no event, no audit entry.
        let n = s
            .insert_hazards_one_by_one(&ch, (1..=3).map(bulk).collect())
            .unwrap();
        assert_eq!((n, s.max_hazard_id().ok()), (3, Some(first.id + 3)));
        let h = s.get_hazard(&county, first.id + 3).unwrap();
        assert_eq!(
            (
                h.description.as_str(),
                h.status.as_str(),
                h.region_code.as_str(),
                h.county_code.as_str()
            ),
            ("第3号隐患", "closed", VILLAGE_B1, COUNTY)
        );
        assert_eq!(
            (h.created_at.clone(), h.version),
            (anjian_store::ts(now()), 1)
        );
        assert_eq!(s.hazard_events(&county, h.id).ok(), Some(vec![]));

        // Batched: `batch` rows per transaction, ids after the highest.
        let n = s.insert_hazards_batched(&ch, 2, (4..=8).map(bulk)).unwrap();
        assert_eq!((n, s.max_hazard_id().ok()), (5, Some(first.id + 8)));
        let descriptions: Vec<String> = (first.id + 1..=first.id + 8)
            .map(|id| {
                s.get_hazard(&county, id)
                    .map(|h| h.description)
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            descriptions,
            (1..=8).map(|i| format!("第{i}号隐患")).collect::<Vec<_>>()
        );
        assert_eq!(head(), seq, "no audit entries");
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
        assert_eq!(count(s, &county), 9);
        // Each batch tallied its rows once, and the triggers are back.
        assert!(s.check_rollups().unwrap().iter().all(|c| c.differing == 0));
        // The scan counts every row by status.
        let all = std::iter::once("registered").chain((1..=8).map(|i| bulk(i).status));
        assert_eq!(s.scan_hazard_statuses().ok(), Some(statuses(all)));

        // A read-only scope inserts nothing.
        let reader = county.clone().read_only();
        assert_eq!(
            s.insert_hazards_one_by_one(&sys(&reader), vec![bulk(9)]),
            Err(StoreError::Forbidden)
        );
        assert_eq!(
            s.insert_hazards_batched(&sys(&reader), 2, vec![bulk(9)]),
            Err(StoreError::Forbidden)
        );
        assert_eq!(s.max_hazard_id().ok(), Some(first.id + 8));
    });
}

/// After the batched baseline (which writes the ids itself) the store hands out the next id.
#[test]
fn hazards_registered_after_a_batched_insert_get_fresh_ids() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let n = s
            .insert_hazards_batched(&ch, 10, (1..=5).map(bulk))
            .unwrap();
        assert_eq!((n, s.max_hazard_id().ok()), (5, Some(5)));
        let h = s
            .create_hazard(
                &ch,
                &hazard_fields(VILLAGE_A1, None, "hazchem", "2022-06-01", None),
                &event("create"),
            )
            .unwrap_or_else(|e| panic!("create after a batched insert: {e}"));
        assert_eq!(h.id, 6);
        let more = s
            .insert_hazards_one_by_one(&ch, vec![bulk(7)])
            .unwrap_or_else(|e| panic!("one by one after a batched insert: {e}"));
        assert_eq!((more, s.max_hazard_id().ok()), (1, Some(7)));
    });
}
