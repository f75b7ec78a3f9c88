use crate::*;
use anjian_store::StoreError;
use anjian_store::enterprises::EnterpriseFilter;

fn filter() -> EnterpriseFilter {
    EnterpriseFilter {
        limit: 50,
        ..Default::default()
    }
}

#[test]
fn create_get_and_children() {
    each(|s| {
        let (a, _) = seed_org(s);
        let scope = county_scope();
        let mut e = enterprise(1, VILLAGE_A1, "hazchem");
        e.sectors.push("fire".into());
        e.department_ids = vec![a];
        e.licences = vec![anjian_domain::enterprise::Licence {
            kind: "危险化学品经营许可证".into(),
            number: "赣樟危化经字〔2022〕001".into(),
            issuer: Some("樟树市应急管理局".into()),
            valid_from: NaiveDate::from_ymd_opt(2022, 1, 1),
            valid_to: NaiveDate::from_ymd_opt(2025, 1, 1),
        }];
        let id = s.create_enterprise(&sys(&scope), &e).unwrap();
        let got = s.get_enterprise(&scope, id).unwrap();
        assert_eq!(got.name, e.name);
        assert_eq!(got.county_code, COUNTY);
        assert_eq!(got.region_name, "枫林村");
        assert_eq!(got.sectors, vec!["hazchem", "fire"]);
        assert_eq!(got.department_ids, vec![a]);
        assert_eq!(got.licences.len(), 1);
        assert_eq!(
            got.licences[0].valid_to,
            NaiveDate::from_ymd_opt(2025, 1, 1)
        );
        assert_eq!(s.enterprise_id_by_uscc(&e.uscc).ok().flatten(), Some(id));
        assert_eq!(
            s.enterprise_usccs()
                .ok()
                .and_then(|m| m.get(&e.uscc).copied()),
            Some(id)
        );
        // The same USCC again is a duplicate, and nothing more is written.
        assert!(matches!(
            s.create_enterprise(&sys(&scope), &e),
            Err(StoreError::Duplicate(_))
        ));
        assert_eq!(s.count_enterprises(&scope, &filter()).ok(), Some(1));
    });
}

/// A licence's stored date that is not a date is an error naming the licence and the column,
/// not a licence without its date.
#[test]
fn a_bad_stored_licence_date_names_table_row_and_column() {
    each(|s| {
        seed_org(s);
        let scope = county_scope();
        let mut e = enterprise(1, VILLAGE_A1, "hazchem");
        e.licences = vec![anjian_domain::enterprise::Licence {
            kind: "危险化学品经营许可证".into(),
            number: "赣樟危化经字〔2022〕002".into(),
            issuer: None,
            valid_from: NaiveDate::from_ymd_opt(2022, 1, 1),
            valid_to: None,
        }];
        let id = s.create_enterprise(&sys(&scope), &e).unwrap();
        s.raw_execute(
            "UPDATE licences SET valid_to = '2025-02-30' WHERE enterprise_id = ?",
            &[id.into()],
        )
        .unwrap();
        match s.get_enterprise(&scope, id) {
            Err(StoreError::Corrupt {
                table,
                row,
                column,
                value,
            }) => {
                assert_eq!(
                    (table, column, value.as_str()),
                    ("licences", "valid_to", "2025-02-30")
                );
                assert!(row > 0);
            }
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn scope_limits_reads_and_writes() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let a1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap_or_default();
        let b1 = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_B1, "fire"))
            .unwrap_or_default();
        let a2 = s
            .create_enterprise(&ch, &enterprise(3, TOWN_A, "fire"))
            .unwrap_or_default();

        let town_a = Scope::region(&rc(TOWN_A), true);
        let ids = |sc: &Scope| -> Vec<i64> {
            s.list_enterprises(sc, &filter())
                .map(|p| p.items.into_iter().map(|e| e.id).collect())
                .unwrap_or_default()
        };
        assert_eq!(ids(&town_a), vec![a2, a1]);
        assert_eq!(s.count_enterprises(&town_a, &filter()).ok(), Some(2));
        assert_eq!(
            s.get_enterprise(&town_a, b1).err(),
            Some(StoreError::NotFound)
        );

        let mut fire_dept = county.clone();
        fire_dept.sectors = Some(vec!["fire".into()]);
        assert_eq!(ids(&fire_dept), vec![a2, b1]);

        let mut own = county.clone();
        own.enterprise_ids = Some(vec![b1]);
        assert_eq!(ids(&own), vec![b1]);
        assert_eq!(ids(&Scope::nothing()), Vec::<i64>::new());

        // Township A cannot register in township B, nor move its enterprise there.
        let ch_a = sys(&town_a);
        assert_eq!(
            s.create_enterprise(&ch_a, &enterprise(4, VILLAGE_B1, "fire"))
                .err(),
            Some(StoreError::Forbidden)
        );
        let cur = s.get_enterprise(&town_a, a1).unwrap();
        let mut moved = enterprise(1, VILLAGE_B1, "hazchem");
        moved.uscc = cur.uscc.clone();
        assert_eq!(
            s.update_enterprise(&ch_a, a1, cur.version, &moved).err(),
            Some(StoreError::Forbidden)
        );
        // ...nor edit township B's enterprise (it does not exist for A).
        let b_input = enterprise(2, VILLAGE_B1, "fire");
        let town_b_as_a = s.update_enterprise(&ch_a, b1, 1, &b_input).err();
        assert!(matches!(
            town_b_as_a,
            Some(StoreError::Forbidden) | Some(StoreError::NotFound)
        ));
        // Read-only scopes change nothing.
        let ro = county.clone().read_only();
        assert_eq!(
            s.create_enterprise(&sys(&ro), &enterprise(5, VILLAGE_A1, "fire"))
                .err(),
            Some(StoreError::Forbidden)
        );
        assert_eq!(s.count_enterprises(&county, &filter()).ok(), Some(3));
    });
}

#[test]
fn filters_and_keyset_pages() {
    each(|s| {
        let (a, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let mut batch = Vec::new();
        for n in 0..25u32 {
            let mut e = enterprise(
                100 + n,
                if n % 2 == 0 { VILLAGE_A1 } else { VILLAGE_B1 },
                if n % 3 == 0 { "mines" } else { "fire" },
            );
            e.is_key = n % 5 == 0;
            e.above_scale = n % 4 == 0;
            if n % 3 == 0 {
                e.department_ids = vec![a];
            }
            if n == 7 {
                e.name = "樟树市鑫源化工有限公司".into();
            }
            batch.push(e);
        }
        let ids = s
            .create_enterprises(&ch, &batch, |_| {})
            .unwrap_or_default();
        assert_eq!(ids.len(), 25);
        let mut f = filter();
        f.limit = 10;
        let mut seen = Vec::new();
        loop {
            let page = s.list_enterprises(&county, &f).unwrap();
            seen.extend(page.items.iter().map(|e| e.id));
            match page.next {
                Some(n) => f.after = n.parse().ok(),
                None => break,
            }
        }
        let mut expected = ids.clone();
        expected.reverse();
        assert_eq!(seen, expected);
        let count = |f: EnterpriseFilter| s.count_enterprises(&county, &f).unwrap_or(-1);
        assert_eq!(
            count(EnterpriseFilter {
                region_prefix: Some("360982100".into()),
                ..filter()
            }),
            13
        );
        assert_eq!(
            count(EnterpriseFilter {
                sector: Some("mines".into()),
                ..filter()
            }),
            9
        );
        assert_eq!(
            count(EnterpriseFilter {
                is_key: Some(true),
                ..filter()
            }),
            5
        );
        assert_eq!(
            count(EnterpriseFilter {
                above_scale: Some(true),
                ..filter()
            }),
            7
        );
        assert_eq!(
            count(EnterpriseFilter {
                department_id: Some(a),
                ..filter()
            }),
            9
        );
        assert_eq!(
            count(EnterpriseFilter {
                q: Some("鑫源".into()),
                ..filter()
            }),
            1
        );
        assert_eq!(
            count(EnterpriseFilter {
                q: Some("%".into()),
                ..filter()
            }),
            0
        );
        assert_eq!(
            count(EnterpriseFilter {
                status: Some("closed".into()),
                ..filter()
            }),
            0
        );
        // Counted together (the home page), each count equals its own, in the county
        // and in a township's narrower scope.
        let filters: Vec<EnterpriseFilter> = [
            filter(),
            EnterpriseFilter {
                sector: Some("mines".into()),
                ..filter()
            },
            EnterpriseFilter {
                is_key: Some(true),
                ..filter()
            },
            EnterpriseFilter {
                above_scale: Some(true),
                ..filter()
            },
            EnterpriseFilter {
                q: Some("鑫源".into()),
                ..filter()
            },
            EnterpriseFilter {
                status: Some("closed".into()),
                ..filter()
            },
        ]
        .into();
        let township = Scope::region(&rc("360982100000"), false);
        for scope in [&county, &township] {
            let each: Vec<i64> = filters
                .iter()
                .map(|f| s.count_enterprises(scope, f).unwrap_or(-1))
                .collect();
            assert_eq!(s.count_enterprises_each(scope, &filters).ok(), Some(each));
        }
        assert_eq!(
            s.count_enterprises_each(&county, &filters).ok(),
            Some(vec![25, 9, 5, 7, 1, 0])
        );
        assert_eq!(
            s.count_enterprises_each(&county, &[]).ok(),
            Some(Vec::new())
        );
        // List rows carry sectors.
        let page = s
            .list_enterprises(
                &county,
                &EnterpriseFilter {
                    sector: Some("mines".into()),
                    ..filter()
                },
            )
            .unwrap();
        assert!(page.items.iter().all(|e| e.sectors == vec!["mines"]));
    });
}

#[test]
fn bulk_create_is_all_or_nothing() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let batch = vec![
            enterprise(1, VILLAGE_A1, "fire"),
            enterprise(2, VILLAGE_A1, "fire"),
            enterprise(1, VILLAGE_B1, "fire"),
        ];
        assert!(matches!(
            s.create_enterprises(&sys(&county), &batch, |_| {}),
            Err(StoreError::Duplicate(_))
        ));
        assert_eq!(s.count_enterprises(&county, &filter()).ok(), Some(0));
        // Nothing of the failed batch reached the audit trail either.
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn update_checks_version_and_records_history() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let id = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "fire"))
            .unwrap_or_default();
        let mut e = enterprise(1, VILLAGE_A1, "fire");
        e.name = "改名后的企业".into();
        e.status = anjian_domain::enterprise::EnterpriseStatus::Suspended;
        let after = s.update_enterprise(&ch, id, 1, &e).unwrap();
        assert_eq!(after.version, 2);
        assert_eq!(after.status, "suspended");
        assert!(matches!(
            s.update_enterprise(&ch, id, 1, &e),
            Err(StoreError::Conflict(_))
        ));
        let hist = s
            .list_audit(
                &county,
                &anjian_store::audit::AuditFilter {
                    entity: Some("enterprise".into()),
                    entity_id: Some(id.to_string()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .unwrap_or_default();
        assert_eq!(
            hist.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(),
            vec!["enterprise.update", "enterprise.create"]
        );
        assert!(
            hist[0]
                .before
                .as_deref()
                .unwrap_or("")
                .contains("测试企业1有限公司")
        );
        assert!(
            hist[0]
                .after
                .as_deref()
                .unwrap_or("")
                .contains("改名后的企业")
        );
    });
}

#[test]
fn an_import_of_updates_and_new_enterprises_is_all_or_nothing() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let id = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "fire"))
            .unwrap_or_default();
        let mut changed = enterprise(1, VILLAGE_A1, "fire");
        changed.legal_rep = Some("李四".into());
        let update = |version| anjian_store::enterprises::EnterpriseUpdate {
            id,
            version,
            record: changed.clone(),
        };
        let audit_before = audit_count(s);
        // A stale version refuses the whole import: the new enterprise is not written either.
        assert!(matches!(
            s.import_enterprises(
                &ch,
                &[enterprise(2, VILLAGE_A1, "fire")],
                &[update(7)],
                |_| {}
            ),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.count_enterprises(&county, &filter()).ok(), Some(1));
        assert_eq!(audit_count(s), audit_before);
        let ids = s
            .import_enterprises(
                &ch,
                &[enterprise(2, VILLAGE_A1, "fire")],
                &[update(1)],
                |_| {},
            )
            .unwrap();
        assert_eq!(ids.len(), 1);
        let got = s.get_enterprise(&county, id).unwrap();
        assert_eq!((got.version, got.legal_rep.as_deref()), (2, Some("李四")));
        // One entry per record: the update with before and after, the registration.
        assert_eq!(audit_count(s), audit_before + 2);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

fn audit_count(s: &anjian_store::Store) -> i64 {
    s.verify_audit().map(|r| r.checked).unwrap_or(-1)
}
