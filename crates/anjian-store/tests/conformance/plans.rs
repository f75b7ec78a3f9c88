use crate::*;
use anjian_store::StoreError;
use anjian_store::plans::Plan;

#[test]
fn plans_draft_approve_and_progress() {
    each(|s| {
        let (dep, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let draft = Plan {
            region_code: COUNTY.into(),
            department_id: dep,
            year: 2022,
            title: "计划".into(),
            lines: Vec::new(),
            key_enterprise_ids: Vec::new(),
            random_share_percent: 70,
            version: 1,
            ..Default::default()
        };
        let p = s.save_plan(&ch, &draft).unwrap();
        assert_eq!((p.status.as_str(), p.version), ("draft", 1));
        let p2 = s.save_plan(&ch, &draft).unwrap();
        assert_eq!((p2.id, p2.version), (p.id, 2));
        assert!(
            matches!(s.save_plan(&ch, &draft), Err(StoreError::Conflict(_))),
            "stale version"
        );
        let a = s
            .approve_plan(&ch, p.id, 2, "人民政府", day("2022-03-01"), "府字1号")
            .unwrap();
        assert_eq!(a.status.as_str(), "approved");
        let mut again = draft.clone();
        again.version = 3;
        assert!(matches!(
            s.save_plan(&ch, &again),
            Err(StoreError::Conflict(_))
        ));
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.get_plan(&town_b, p.id),
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.list_plans(&county, Some(2022)).unwrap_or_default().len(),
            1
        );
        assert!(
            s.list_plans(&county, Some(2021))
                .unwrap_or_default()
                .is_empty()
        );
        let (done, covered) = s.plan_progress(dep, 2022).unwrap_or_default();
        assert!(done.is_empty() && covered.is_empty());
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
