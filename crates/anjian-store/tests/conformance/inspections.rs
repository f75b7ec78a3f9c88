use crate::*;
use anjian_store::StoreError;
use anjian_store::audit::AuditFilter;
use anjian_store::hazards::HazardFilter;
use anjian_store::inspections::{NewInspection, Template};

fn inspection(
    region: &str,
    enterprise: Option<i64>,
    sector: &str,
    on: &str,
    findings: &[(&str, &str)],
) -> NewInspection {
    NewInspection {
        region_code: region.into(),
        enterprise_id: enterprise,
        site: String::new(),
        department_id: None,
        sector: sector.into(),
        kind: "routine".into(),
        enforcement: false,
        inspected_on: day(on),
        inspectors: "[\"甲\",\"乙\"]".into(),
        officers: vec![],
        template_id: None,
        checklist: "[]".into(),
        summary: "检查情况".into(),
        campaign: None,
        findings: findings
            .iter()
            .map(|(c, d)| (c.to_string(), d.to_string()))
            .collect(),
    }
}

#[test]
fn checklist_templates_are_saved_by_sector_and_name() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        assert_eq!(s.list_templates(None).ok(), Some(vec![]));
        let items = r#"[{"code":"1.1","text":"配电箱接地","basis":"GB 50054"}]"#;
        let t1 = s
            .save_template(&ch, "hazchem", "危化品检查表", items)
            .unwrap();
        let expected = Template {
            id: t1.id,
            sector: "hazchem".into(),
            name: "危化品检查表".into(),
            items: items.into(),
            version: 1,
        };
        assert_eq!(t1, expected);
        assert_eq!(s.get_template(t1.id).ok(), Some(t1.clone()));
        let fire = s.save_template(&ch, "fire", "消防检查表", "[]").unwrap();
        let t2 = s
            .save_template(&ch, "hazchem", "危化品专项检查表", "[]")
            .unwrap();
        // The same sector and name replace the items of the same template.
        let items2 = r#"[{"code":"1.2","text":"静电接地","basis":""}]"#;
        let t1b = s
            .save_template(&ch, "hazchem", "危化品检查表", items2)
            .unwrap();
        assert_eq!(
            t1b,
            Template {
                items: items2.into(),
                version: 2,
                ..t1.clone()
            }
        );
        assert_eq!(s.get_template(t1.id).ok(), Some(t1b.clone()));
        // All of them by sector, then as created; or one sector's.
        assert_eq!(
            s.list_templates(None).ok(),
            Some(vec![fire.clone(), t1b.clone(), t2.clone()])
        );
        assert_eq!(
            s.list_templates(Some("hazchem")).ok(),
            Some(vec![t1b.clone(), t2.clone()])
        );
        assert_eq!(s.list_templates(Some("mines")).ok(), Some(vec![]));
        assert_eq!(s.get_template(999_999).err(), Some(StoreError::NotFound));
        // A read-only scope changes nothing.
        let reader = county.clone().read_only();
        assert_eq!(
            s.save_template(&sys(&reader), "hazchem", "危化品检查表", "[]")
                .err(),
            Some(StoreError::Forbidden)
        );
        assert_eq!(s.get_template(t1.id).ok(), Some(t1b));
        // Each save is audited, the replacement with the template before it.
        let f = AuditFilter {
            entity: Some("checklist_template".into()),
            entity_id: Some(t1.id.to_string()),
            limit: 10,
            ..Default::default()
        };
        let audit = s.list_audit(&county, &f).unwrap_or_default();
        assert_eq!(
            audit.iter().map(|a| a.before.is_some()).collect::<Vec<_>>(),
            vec![true, false]
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn inspections_read_back_in_scope_and_findings_become_hazards_once() {
    each(|s| {
        let (dep_a, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let e2 = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_A1, "hazchem"))
            .unwrap();
        let t = s
            .save_template(&ch, "hazchem", "危化品检查表", "[]")
            .unwrap();
        let mut n1 = inspection(
            VILLAGE_A1,
            Some(e1),
            "hazchem",
            "2022-05-20",
            &[("1.1", "配电箱未接地"), ("2.3", "安全出口堵塞")],
        );
        n1.template_id = Some(t.id);
        n1.department_id = Some(dep_a);
        n1.enforcement = true;
        n1.campaign = Some("百日攻坚".into());
        let create = |n: &NewInspection| s.create_inspection(&ch, n).unwrap();
        let i1 = create(&n1);
        let i2 = create(&inspection(
            VILLAGE_B1,
            None,
            "fire",
            "2022-05-21",
            &[("3.1", "灭火器过期")],
        ));
        let i3 = create(&inspection(
            VILLAGE_A1,
            Some(e2),
            "hazchem",
            "2022-05-22",
            &[],
        ));

        // Read back whole, with the findings in order.
        let (got, findings) = s.get_inspection(&county, i1.id).unwrap();
        assert_eq!(got, i1);
        assert_eq!(
            (
                got.county_code.as_str(),
                got.region_name.as_str(),
                got.enterprise_name.as_deref(),
                got.department_id,
                got.template_id,
                got.enforcement,
                got.inspected_on,
                got.campaign.as_deref()
            ),
            (
                COUNTY,
                "枫林村",
                Some("测试企业1有限公司"),
                Some(dep_a),
                Some(t.id),
                true,
                day("2022-05-20"),
                Some("百日攻坚")
            )
        );
        let found = |id: i64| s.get_inspection(&county, id).map(|(_, f)| f).unwrap();
        let summary = |id: i64| {
            found(id)
                .into_iter()
                .map(|f| (f.inspection_id, f.item_code, f.description, f.hazard_id))
                .collect::<Vec<_>>()
        };
        let row = |i: i64, c: &str, d: &str, h: Option<i64>| (i, c.to_string(), d.to_string(), h);
        assert_eq!(
            summary(i1.id),
            vec![
                row(i1.id, "1.1", "配电箱未接地", None),
                row(i1.id, "2.3", "安全出口堵塞", None)
            ]
        );
        assert!(findings[0].id < findings[1].id);
        assert_eq!(summary(i3.id), vec![]);

        // Outside the scope exactly like missing.
        let town_b = Scope::region(&rc(TOWN_B), true);
        let fire = Scope {
            sectors: Some(vec!["fire".into()]),
            ..county_scope()
        };
        assert_eq!(
            s.get_inspection(&town_b, i1.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.get_inspection(&fire, i1.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.get_inspection(&county, 999_999).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.get_inspection(&fire, i2.id).ok().map(|(i, _)| i),
            Some(i2.clone())
        );

        // Lists: newest first, in scope, by enterprise, limited.
        let ids = |scope: &Scope, e: Option<i64>, limit: i64| {
            s.list_inspections(scope, e, &anjian_store::paging::Keyset::first(limit))
                .map(|p| p.items)
                .unwrap()
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&county, None, 100), vec![i3.id, i2.id, i1.id]);
        assert_eq!(ids(&county, Some(e1), 100), vec![i1.id]);
        assert_eq!(ids(&county, None, 2), vec![i3.id, i2.id]);
        assert_eq!(
            ids(&Scope::region(&rc(TOWN_A), false), None, 100),
            vec![i3.id, i1.id]
        );
        assert_eq!(ids(&fire, None, 100), vec![i2.id]);
        let own = Scope {
            enterprise_ids: Some(vec![e2]),
            ..county_scope()
        };
        assert_eq!(ids(&own, None, 100), vec![i3.id]);
        assert_eq!(
            s.list_inspections(&county, None, &anjian_store::paging::Keyset::first(100))
                .map(|p| p.items)
                .ok()
                .map(|v| v[2].clone()),
            Some(i1.clone())
        );

        // A finding becomes a hazard: the hazard, its first event and the link together.
        let mut f = hazard_fields(
            VILLAGE_A1,
            Some(e1),
            "hazchem",
            "2022-05-20",
            Some("2022-06-20"),
        );
        f.description = findings[0].description.clone();
        let h = s
            .hazard_from_finding(&ch, i1.id, findings[0].id, &f, &event("create"))
            .unwrap();
        assert_eq!(h.fields(), f);
        assert_eq!(s.get_hazard(&county, h.id).ok(), Some(h.clone()));
        assert_eq!(
            s.hazard_events(&county, h.id)
                .unwrap_or_default()
                .iter()
                .map(|e| (e.action.as_str(), e.to_status.as_str()))
                .collect::<Vec<_>>(),
            vec![("create", "registered")]
        );
        assert_eq!(
            summary(i1.id),
            vec![
                row(i1.id, "1.1", "配电箱未接地", Some(h.id)),
                row(i1.id, "2.3", "安全出口堵塞", None)
            ]
        );
        let hazards = || {
            s.count_hazards(
                &county,
                &HazardFilter {
                    today: day("2022-06-01"),
                    limit: 50,
                    ..Default::default()
                },
            )
            .unwrap_or(-1)
        };
        assert_eq!(hazards(), 1);
        // Once only, and only a finding of that inspection: no hazard is left behind.
        let ev = event("create");
        assert!(matches!(
            s.hazard_from_finding(&ch, i1.id, findings[0].id, &f, &ev),
            Err(StoreError::Conflict(_))
        ));
        let other = found(i2.id)[0].id;
        assert!(matches!(
            s.hazard_from_finding(&ch, i1.id, other, &f, &ev),
            Err(StoreError::Conflict(_))
        ));
        // An inspection outside the scope is not found; a hazard outside it is refused.
        let fb = hazard_fields(VILLAGE_B1, None, "fire", "2022-05-20", None);
        assert_eq!(
            s.hazard_from_finding(&sys(&town_b), i1.id, findings[1].id, &fb, &ev)
                .err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.hazard_from_finding(&sys(&fire), i1.id, findings[1].id, &f, &ev)
                .err(),
            Some(StoreError::Forbidden)
        );
        let reader = county.clone().read_only();
        assert_eq!(
            s.hazard_from_finding(&sys(&reader), i1.id, findings[1].id, &f, &ev)
                .err(),
            Some(StoreError::Forbidden)
        );
        assert_eq!(hazards(), 1);
        assert_eq!(found(i1.id)[1].hazard_id, None);
        assert_eq!(found(i2.id)[0].hazard_id, None);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn inspection_officers_are_kept_as_recorded_and_older_rows_read_without_them() {
    use anjian_store::inspections::Officer;
    each(|s| {
        let (dep_a, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let officers = vec![
            Officer {
                id: 7,
                name: "杨帆".into(),
                cert_no: "赣36098201001".into(),
                cert_valid_until: Some(day("2025-12-31")),
            },
            Officer {
                id: 9,
                name: "钟敏".into(),
                cert_no: "赣36098201002".into(),
                cert_valid_until: Some(day("2024-06-30")),
            },
        ];
        let mut n = inspection(VILLAGE_A1, Some(e1), "hazchem", "2022-05-20", &[]);
        n.enforcement = true;
        n.department_id = Some(dep_a);
        n.inspectors = "[\"专家 王工\"]".into();
        n.officers = officers.clone();
        let i = s.create_inspection(&ch, &n).unwrap();
        assert_eq!(i.officers, officers);
        assert_eq!(i.inspectors, "[\"专家 王工\"]");
        assert_eq!(
            s.get_inspection(&county, i.id)
                .map(|(x, _)| x.officers)
                .ok(),
            Some(officers.clone())
        );
        let listed = s
            .list_inspections(&county, None, &anjian_store::paging::Keyset::first(10))
            .map(|p| p.items)
            .unwrap();
        assert_eq!(listed[0].officers, officers);
        // The snapshot is the audit entry's too.
        let f = AuditFilter {
            entity: Some("inspection".into()),
            entity_id: Some(i.id.to_string()),
            limit: 10,
            ..Default::default()
        };
        let audit = s.list_audit(&county, &f).unwrap_or_default();
        let after = audit[0].after.clone().unwrap_or_default();
        assert!(after.contains("赣36098201002"), "{after}");

        // A row written before migration 0030 names no officers and still reads.
        s.raw_execute(
            "INSERT INTO inspections (county_code, region_code, enterprise_id, site, sector, kind, enforcement, inspected_on, inspectors, checklist, summary, created_at) \
             VALUES (?, ?, ?, '', 'hazchem', 'random', ?, '2021-03-01', '[\"甲\",\"乙\"]', '[]', '', '2021-03-01T02:00:00.000Z')",
            &[COUNTY.into(), VILLAGE_A1.into(), e1.into(), true.into()],
        )
        .unwrap();
        let old = s
            .list_inspections(&county, None, &anjian_store::paging::Keyset::first(10))
            .map(|p| p.items)
            .unwrap();
        assert_eq!(old.len(), 2);
        assert_eq!(old[0].officers, vec![]);
        assert_eq!(old[0].inspectors, "[\"甲\",\"乙\"]");
    });
}
