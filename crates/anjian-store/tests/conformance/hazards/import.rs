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
