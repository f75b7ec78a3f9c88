use crate::*;
use anjian_domain::enterprise::EnterpriseStatus;
use anjian_store::StoreError;
use anjian_store::draws::{DrawOutcome, NewDraw, PoolFilter};
use anjian_store::inspections::NewInspection;

#[test]
fn draw_pools_lifecycle_and_scope() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let mk = |n: u32, region: &str, sector: &str, key: bool, status: EnterpriseStatus| {
            let mut e = enterprise(n, region, sector);
            e.is_key = key;
            e.status = status;
            s.create_enterprise(&ch, &e).unwrap()
        };
        let key_a = mk(1, VILLAGE_A1, "hazchem", true, EnterpriseStatus::Operating);
        let plain_a = mk(2, VILLAGE_A1, "hazchem", false, EnterpriseStatus::Operating);
        let _closed = mk(3, VILLAGE_A1, "hazchem", false, EnterpriseStatus::Closed);
        let plain_b = mk(4, VILLAGE_B1, "hazchem", false, EnterpriseStatus::Suspended);
        let fire_b = mk(5, VILLAGE_B1, "fire", false, EnterpriseStatus::Operating);
        let pool = |f: PoolFilter| s.draw_pool(&county, &f).unwrap_or_default();
        let haz = || PoolFilter {
            sector: Some("hazchem".into()),
            ..Default::default()
        };
        assert_eq!(
            pool(haz()),
            vec![key_a, plain_a, plain_b],
            "closed ones never"
        );
        assert_eq!(
            pool(PoolFilter {
                key_only: true,
                ..haz()
            }),
            vec![key_a]
        );
        assert_eq!(
            pool(PoolFilter {
                region_prefix: Some(rc(TOWN_B).subtree_prefix().to_string()),
                ..Default::default()
            }),
            vec![plain_b, fire_b]
        );
        // Recently inspected enterprises drop out.
        s.create_inspection(
            &ch,
            &NewInspection {
                region_code: VILLAGE_A1.into(),
                enterprise_id: Some(plain_a),
                site: String::new(),
                department_id: None,
                sector: "hazchem".into(),
                kind: "routine".into(),
                enforcement: false,
                inspected_on: day("2022-05-20"),
                inspectors: "[\"甲\",\"乙\"]".into(),
                officers: vec![],
                template_id: None,
                checklist: "[]".into(),
                summary: String::new(),
                campaign: None,
                findings: vec![],
            },
        )
        .unwrap();
        assert_eq!(
            pool(PoolFilter {
                inspected_since: Some("2022-05-01".into()),
                ..haz()
            }),
            vec![key_a, plain_b]
        );
        assert_eq!(
            pool(PoolFilter {
                inspected_since: Some("2022-05-21".into()),
                ..haz()
            }),
            vec![key_a, plain_a, plain_b]
        );
        // A department scope sees only its sectors.
        let fire_scope = anjian_domain::Scope {
            sectors: Some(vec!["fire".into()]),
            ..county_scope()
        };
        assert_eq!(
            s.draw_pool(&fire_scope, &PoolFilter::default())
                .unwrap_or_default(),
            vec![fire_b]
        );

        let d = s
            .create_draw(
                &ch,
                &NewDraw {
                    region_code: COUNTY.into(),
                    department_id: None,
                    title: "抽查".into(),
                    criteria: "{}".into(),
                    inputs: "{}".into(),
                    commitment: "c".into(),
                    secret: "s".into(),
                },
            )
            .unwrap();
        assert_eq!(d.secret, None, "hidden until drawn");
        assert_eq!(s.draw_secret(&county, d.id).unwrap_or_default(), "s");
        let outcome = DrawOutcome {
            entropy: "e".into(),
            result: "[]".into(),
            drawn_on: day("2022-06-01"),
            publish_due: day("2022-06-30"),
            tasks: vec![("重点".into(), key_a, "[1,2]".into())],
        };
        let drawn = s.complete_draw(&ch, d.id, &outcome).unwrap();
        assert_eq!(drawn.secret.as_deref(), Some("s"));
        assert!(matches!(
            s.complete_draw(&ch, d.id, &outcome),
            Err(StoreError::Conflict(_))
        ));
        let (_, tasks) = s.get_draw(&county, d.id).unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].enterprise_name, "测试企业1有限公司");
        assert_eq!(tasks[0].region_code, VILLAGE_A1);
        let p = s
            .publish_draw(&ch, d.id, day("2022-06-10"), "政府网站")
            .unwrap();
        assert_eq!(p.status.as_str(), "published");
        assert!(
            s.publish_draw(&ch, d.id, day("2022-06-10"), "政府网站")
                .is_err()
        );
        assert_eq!(p.published_on, Some(day("2022-06-10")));

        // A stored date that is not a date is an error naming the table, row and column.
        s.raw_execute(
            "UPDATE draws SET published_on = ? WHERE id = ?",
            &["2022-13-45".into(), d.id.into()],
        )
        .unwrap();
        assert_eq!(
            s.get_draw(&county, d.id).unwrap_err(),
            StoreError::Corrupt {
                table: "draws",
                row: d.id,
                column: "published_on",
                value: "2022-13-45".into()
            }
        );
        s.raw_execute(
            "UPDATE draws SET published_on = ? WHERE id = ?",
            &["2022-06-10".into(), d.id.into()],
        )
        .unwrap();

        // A township sees no county draw; an enterprise scope sees none at all.
        let town = anjian_domain::Scope::region(&rc(TOWN_A), true);
        assert!(matches!(s.get_draw(&town, d.id), Err(StoreError::NotFound)));
        let ent = anjian_domain::Scope {
            enterprise_ids: Some(vec![key_a]),
            ..county_scope()
        };
        assert!(
            s.list_draws(&ent, &anjian_store::paging::Keyset::first(1000))
                .map(|p| p.items)
                .unwrap_or_default()
                .is_empty()
        );
        assert!(matches!(
            s.create_draw(
                &sys(&ent),
                &NewDraw {
                    region_code: COUNTY.into(),
                    department_id: None,
                    title: "x".into(),
                    criteria: "{}".into(),
                    inputs: "{}".into(),
                    commitment: "c".into(),
                    secret: "s".into(),
                }
            ),
            Err(StoreError::Forbidden)
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn inspector_conflicts_are_recorded_once_in_scope() {
    each(|s| {
        let (dep_a, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &crate::enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let e2 = s
            .create_enterprise(&ch, &crate::enterprise(2, VILLAGE_B1, "hazchem"))
            .unwrap();
        let inspector = |name: &str| {
            let u = anjian_store::users::UserInput {
                username: name.into(),
                display_name: name.into(),
                role: "inspector".into(),
                region_code: COUNTY.into(),
                department_id: Some(dep_a),
                enterprise_id: None,
                phone: None,
                active: true,
                site_ids: vec![],
                cert_no: None,
                cert_valid_until: None,
            };
            s.create_user(&ch, &u, "h").unwrap()
        };
        let (u1, u2, u3) = (inspector("甲"), inspector("乙"), inspector("丙"));
        assert_eq!(s.inspector_conflicts(&[u1, u2]).ok(), Some(vec![]));
        // Recorded in any order, read back by inspector, then enterprise.
        for (u, e) in [(u2, e1), (u1, e2), (u1, e1)] {
            s.add_inspector_conflict(&ch, u, e, "近亲属任职").unwrap();
        }
        assert_eq!(
            s.inspector_conflicts(&[u1]).ok(),
            Some(vec![(u1, e1), (u1, e2)])
        );
        assert_eq!(
            s.inspector_conflicts(&[u2, u1]).ok(),
            Some(vec![(u1, e1), (u1, e2), (u2, e1)])
        );
        assert_eq!(s.inspector_conflicts(&[u3]).ok(), Some(vec![]));
        assert_eq!(s.inspector_conflicts(&[]).ok(), Some(vec![]));
        // Once per pair; only enterprises in the writable scope, like missing ones.
        assert!(matches!(
            s.add_inspector_conflict(&ch, u1, e1, "again"),
            Err(StoreError::Duplicate(_))
        ));
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.add_inspector_conflict(&sys(&town_b), u3, e1, "x").err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.add_inspector_conflict(&ch, u3, 999_999, "x").err(),
            Some(StoreError::NotFound)
        );
        let reader = county.clone().read_only();
        assert_eq!(
            s.add_inspector_conflict(&sys(&reader), u3, e2, "x").err(),
            Some(StoreError::Forbidden)
        );
        assert_eq!(s.inspector_conflicts(&[u3]).ok(), Some(vec![]));
        let f = anjian_store::audit::AuditFilter {
            action_prefix: Some("draw.conflict".into()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(s.list_audit(&county, &f).map(|v| v.len()).ok(), Some(3));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
