use crate::*;
use anjian_store::StoreError;
use anjian_store::transfers::Transfer;

#[test]
fn transfers_and_decision_publicity_round_trip() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let eid = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap_or_default();
        let t = s
            .create_transfer(
                &ch,
                &Transfer {
                    region_code: VILLAGE_A1.into(),
                    sector: "hazchem".into(),
                    enterprise_id: Some(eid),
                    subject: "王某".into(),
                    crime_type: "dangerous_operation".into(),
                    facts: "事实".into(),
                    officers: "[\"甲\",\"乙\"]".into(),
                    report_on: day("2022-06-01"),
                    persons: 1,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!((t.status.as_str(), t.version), ("reported", 1));
        assert_eq!(t.county_code, COUNTY);
        let mut next = t.clone();
        next.status = anjian_domain::transfer::TransferState::Approved;
        next.decided_on = Some(day("2022-06-02"));
        let saved = s.update_transfer(&ch, &next, "approve").unwrap();
        assert_eq!((saved.status.as_str(), saved.version), ("approved", 2));
        assert!(matches!(
            s.update_transfer(&ch, &next, "approve"),
            Err(StoreError::Conflict(_))
        ));
        // What the record keeps after it leaves the agency reads back as written, typed.
        let police = Transfer {
            status: anjian_domain::transfer::TransferState::Reconsidering,
            transferred_on: Some(day("2022-06-02")),
            police_unit: "测试市公安局".into(),
            copied_to: "测试市人民检察院".into(),
            copied_on: Some(day("2022-06-02")),
            accepted_on: Some(day("2022-06-03")),
            police_limit: anjian_domain::transfer::PoliceLimit::Verify,
            police_limit_reason: "线索需要查证".into(),
            police_decided_on: Some(day("2022-06-08")),
            notified_on: Some(day("2022-06-09")),
            reconsider_on: Some(day("2022-06-10")),
            ..saved.clone()
        };
        let back = s.update_transfer(&ch, &police, "reconsider").unwrap();
        assert_eq!(
            Transfer {
                version: back.version,
                ..police
            },
            back
        );
        assert_eq!(back.persons, 1);
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.get_transfer(&town_b, t.id),
            Err(StoreError::NotFound)
        ));
        assert!(
            s.list_transfers(&town_b, &anjian_store::paging::Keyset::first(1000))
                .map(|p| p.items)
                .unwrap_or_default()
                .is_empty()
        );
        assert_eq!(
            s.list_transfers(&county, &anjian_store::paging::Keyset::first(1000))
                .map(|p| p.items)
                .unwrap_or_default()
                .len(),
            1
        );

        // Publicity of a decision: once, then withdrawn once.
        let c = anjian_store::cases::Case {
            id: 0,
            county_code: COUNTY.into(),
            region_code: VILLAGE_A1.into(),
            department_id: None,
            enterprise_id: Some(eid),
            sector: "hazchem".into(),
            procedure: "simple".into(),
            party_kind: "organisation".into(),
            party_name: "测试企业1有限公司".into(),
            facts: String::new(),
            legal_basis: String::new(),
            fine_fen: 100_000,
            measures: "fine".into(),
            major: false,
            status: anjian_domain::cases::CaseStatus::parse("served").unwrap(),
            registered_on: day("2022-06-01"),
            notified_on: None,
            legal_review: String::new(),
            legal_reviewed_on: None,
            decided_on: Some(day("2022-06-01")),
            served_on: Some(day("2022-06-01")),
            executed_on: None,
            closed_on: None,
            hazard_id: None,
            inspection_id: None,
            campaign: None,
            discussed_on: None,
            extension_days: 0,
            examined_on: None,
            version: 1,
            ..Default::default()
        };
        let case = s.create_case(&ch, &c, "simple").unwrap();
        let p = s
            .publish_decision(&ch, case.id, day("2022-06-02"), "政府网站", "")
            .unwrap();
        assert_eq!(p.withdrawn_on, None);
        assert!(matches!(
            s.publish_decision(&ch, case.id, day("2022-06-02"), "政府网站", ""),
            Err(StoreError::Duplicate(_))
        ));
        let w = s
            .withdraw_publicity(&ch, case.id, day("2022-06-05"), "决定变更")
            .unwrap();
        assert_eq!(w.withdrawn_on, Some(day("2022-06-05")));
        assert!(
            s.withdraw_publicity(&ch, case.id, day("2022-06-05"), "x")
                .is_err()
        );
        assert_eq!(s.publicity_of(&[case.id]).unwrap_or_default(), vec![w]);
        assert!(matches!(
            s.publish_decision(&sys(&town_b), case.id, day("2022-06-02"), "x", ""),
            Err(StoreError::NotFound)
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
