use crate::*;
use anjian_store::StoreError;
use anjian_store::commissions::Commission;

#[test]
fn commissions_and_commissioned_cases() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let c = s
            .create_commission(
                &ch,
                &Commission {
                    region_code: TOWN_A.into(),
                    agency: "交警大队".into(),
                    agreement_no: "协议1".into(),
                    items: "[]".into(),
                    valid_from: day("2022-01-01"),
                    valid_to: day("2022-12-31"),
                    ..Default::default()
                },
            )
            .unwrap();
        let town_a = anjian_domain::Scope::region(&rc(TOWN_A), true);
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.get_commission(&town_a, c.id)
                .map(|x| x.agency)
                .ok()
                .as_deref(),
            Some("交警大队")
        );
        assert!(matches!(
            s.get_commission(&town_b, c.id),
            Err(StoreError::NotFound)
        ));
        let case = anjian_store::cases::Case {
            id: 0,
            county_code: COUNTY.into(),
            region_code: VILLAGE_A1.into(),
            department_id: None,
            enterprise_id: None,
            sector: "hazchem".into(),
            procedure: "simple".into(),
            party_kind: "person".into(),
            party_name: "刘某".into(),
            facts: String::new(),
            legal_basis: String::new(),
            fine_fen: 10_000,
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
        let saved = s
            .create_case_with(
                &sys(&town_a),
                &case,
                "simple_decision",
                Some((c.id, "JT-01", "交警大队")),
            )
            .unwrap();
        assert_eq!(
            s.case_commission(saved.id).unwrap_or_default(),
            Some((c.id, "JT-01".to_string(), "交警大队".to_string()))
        );
        assert_eq!(
            s.commission_counts(&county).unwrap_or_default(),
            vec![("交警大队".to_string(), "JT-01".to_string(), 1)]
        );
        assert!(s.commission_counts(&town_b).unwrap_or_default().is_empty());
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
