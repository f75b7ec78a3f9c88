use crate::*;
use anjian_store::StoreError;
use anjian_store::reports::Report;

#[test]
fn reports_round_trip_scope_and_first_reporter() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let new = |name: &str| Report {
            region_code: VILLAGE_A1.into(),
            sector: "hazchem".into(),
            channel: "12350热线".into(),
            received_on: day("2022-06-01"),
            anonymous: false,
            reporter_name: name.into(),
            reporter_phone: "13907951234".into(),
            category: "major_hazard".into(),
            content: "报警器关闭".into(),
            ..Default::default()
        };
        let a = s.create_report(&ch, &new("李某")).unwrap();
        let b = s.create_report(&ch, &new("张某")).unwrap();
        assert_eq!((a.status.as_str(), a.anonymous), ("received", false));
        let mut v = a.clone();
        v.status = anjian_domain::report::ReportState::Verified;
        v.verified_on = Some(day("2022-06-02"));
        v.reward_fen = Some(300_000);
        let saved = s.update_report(&ch, &v, "verify").unwrap();
        assert_eq!((saved.version, saved.reward_fen), (2, Some(300_000)));
        assert!(matches!(
            s.update_report(&ch, &v, "verify"),
            Err(StoreError::Conflict(_))
        ));
        // Earlier verified reports are found only when they share a hazard or case.
        assert_eq!(s.earlier_report_on_matter(&b).unwrap_or_default(), None);
        // Scope: other townships and enterprise-bound scopes see nothing.
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.get_report(&town_b, a.id),
            Err(StoreError::NotFound)
        ));
        let ent = anjian_domain::Scope {
            enterprise_ids: Some(vec![1]),
            ..county_scope()
        };
        assert!(
            s.list_reports(&ent, &anjian_store::paging::Keyset::first(1000))
                .map(|p| p.items)
                .unwrap_or_default()
                .is_empty()
        );
        assert!(matches!(
            s.create_report(&sys(&ent), &new("x")),
            Err(StoreError::Forbidden)
        ));
        assert_eq!(
            s.list_reports(&county, &anjian_store::paging::Keyset::first(1000))
                .map(|p| p.items)
                .unwrap_or_default()
                .len(),
            2
        );
        // An earlier open report on the same enterprise and category stands in the way; a
        // later one never does.
        let mut e1 = new("王某");
        e1.enterprise_id = Some(
            s.create_enterprise(&ch, &crate::enterprise(1, VILLAGE_A1, "hazchem"))
                .unwrap(),
        );
        let e1 = s.create_report(&ch, &e1).unwrap();
        let mut e2 = new("赵某");
        e2.enterprise_id = e1.enterprise_id;
        let e2 = s.create_report(&ch, &e2).unwrap();
        assert_eq!(
            s.earlier_report_on_matter(&e2).unwrap_or_default(),
            Some((e1.id, anjian_domain::report::ReportState::Received))
        );
        assert_eq!(s.earlier_report_on_matter(&e1).unwrap_or_default(), None);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
