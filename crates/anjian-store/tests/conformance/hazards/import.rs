//! An import audits every hazard and keeps the chain.

use super::*;

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

/// An import whose rows stop coming part-way (the file could not be read to its end)
/// after several INSERTs' worth were written: the error is answered as it is, none of its
/// hazards, events or audit entries stay, and the audit chain's thread has let go: the
/// next import numbers on from the head as it was, the chain intact.
#[test]
fn an_import_failing_part_way_leaves_nothing_and_the_next_one_chains_on() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.create_hazard(&ch, &fields(VILLAGE_A1, None, "fire", None), &ev("create"))
            .unwrap();
        let before = s.verify_audit().unwrap().head_seq;
        let max_before = s.max_hazard_id().unwrap();
        let r = s.create_hazards_with(&ch, &ev("create"), true, |imp| {
            for _ in 0..1_100 {
                imp.push(fields(VILLAGE_B1, None, "fire", None))?;
            }
            assert!(imp.written() >= 1_024, "several writes went out");
            Err(StoreError::Backend("第1102行读取失败".into()))
        });
        match r {
            Err(StoreError::Backend(m)) => assert_eq!(m, "第1102行读取失败"),
            other => panic!("{other:?}"),
        }
        assert_eq!(s.max_hazard_id().unwrap(), max_before);
        let r = s.verify_audit().unwrap();
        assert!(r.ok(), "{:?}", r.problems);
        assert_eq!(r.head_seq, before);

        // Rows kept back by `fill` (false) are not written either.
        let ids = s
            .create_hazards_with(&ch, &ev("create"), false, |imp| {
                imp.push(fields(VILLAGE_B1, None, "fire", None))?;
                Ok::<_, StoreError>(false)
            })
            .unwrap();
        assert!(ids.is_empty());

        let ids = s
            .create_hazards(
                &ch,
                &vec![fields(VILLAGE_A1, None, "fire", None); 40],
                &ev("create"),
                |_| {},
            )
            .unwrap();
        assert_eq!(ids.len(), 40);
        let r = s.verify_audit().unwrap();
        assert!(r.ok(), "{:?}", r.problems);
        assert_eq!(r.head_seq, before + 40);
    });
}

/// A write of an import fails (here a hazard naming no enterprise on record, refused by the
/// foreign key) and the caller goes on pushing as if it had not: every later push and the
/// import itself fail, so no audit entry is ever written beside the wrong hazard. Nothing
/// of the import stays and the chain is whole.
#[test]
fn after_a_failed_write_an_import_takes_no_more_rows() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let before = s.verify_audit().unwrap().head_seq;
        let max_before = s.max_hazard_id().unwrap();
        let mut refused = 0;
        let r = s.create_hazards_with(&ch, &ev("create"), true, |imp| {
            for i in 0..1_600 {
                let enterprise = (i == 700).then_some(9_999_999);
                if imp
                    .push(fields(VILLAGE_B1, enterprise, "fire", None))
                    .is_err()
                {
                    refused += 1;
                }
            }
            Ok::<_, StoreError>(true)
        });
        assert!(r.is_err(), "{r:?}");
        assert!(
            refused >= 500,
            "the pushes after the failure are refused: {refused}"
        );
        assert_eq!(s.max_hazard_id().unwrap(), max_before);
        let v = s.verify_audit().unwrap();
        assert!(v.ok(), "{:?}", v.problems);
        assert_eq!(v.head_seq, before);
    });
}
