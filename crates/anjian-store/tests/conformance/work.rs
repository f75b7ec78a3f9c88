use crate::*;
use anjian_store::StoreError;
use anjian_store::work::{Campaign, WorkFilter, WorkItemType, WorkRecord};

fn item(code: &str, topic: &str, sector: Option<&str>) -> WorkItemType {
    WorkItemType {
        code: code.into(),
        name: format!("{code}事项"),
        unit: "次".into(),
        sector: sector.map(str::to_string),
        topic: topic.into(),
        active: true,
        ..Default::default()
    }
}

fn record(
    region: &str,
    sector: Option<&str>,
    enterprise: Option<i64>,
    item: &str,
    done_on: &str,
) -> WorkRecord {
    WorkRecord {
        region_code: region.into(),
        sector: sector.map(str::to_string),
        enterprise_id: enterprise,
        item_code: item.into(),
        done_on: day(done_on),
        quantity: 1,
        ..Default::default()
    }
}

fn campaign(county: &str, code: &str, starts_on: &str) -> Campaign {
    Campaign {
        county_code: county.into(),
        code: code.into(),
        name: format!("{code}专项行动"),
        starts_on: day(starts_on),
        ends_on: day("2022-12-31"),
        units: "应急管理局\n消防救援大队".into(),
        ..Default::default()
    }
}

#[test]
fn work_records_read_back_in_scope_filtered_and_paged() {
    each(|s| {
        let (dep_a, dep_b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        for t in [
            item("patrol", "打非治违", None),
            item("training", "宣传教育", Some("fire")),
        ] {
            s.save_work_item_type(&ch, &t).unwrap();
        }
        let e = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let w1 = WorkRecord {
            department_id: Some(dep_a),
            quantity: 3,
            campaign: Some("baichi".into()),
            place: "枫林村".into(),
            note: "夜查".into(),
            ..record(VILLAGE_A1, Some("hazchem"), Some(e), "patrol", "2022-05-01")
        };
        let create = |w: &WorkRecord| s.create_work_record(&ch, w).unwrap();
        let r1 = create(&w1);
        assert_eq!(
            r1,
            WorkRecord {
                id: r1.id,
                county_code: COUNTY.into(),
                created_at: anjian_store::ts(now()),
                ..w1.clone()
            }
        );
        assert_eq!(s.get_work_record(&county, r1.id).ok(), Some(r1.clone()));
        let r2 = create(&WorkRecord {
            department_id: Some(dep_b),
            ..record(VILLAGE_B1, Some("fire"), None, "training", "2022-05-15")
        });
        let r3 = create(&record(VILLAGE_A1, None, None, "patrol", "2022-06-01"));

        // Outside the scope exactly like missing: region, sector (a record without one is
        // not a sector's), enterprise.
        let town_b = Scope::region(&rc(TOWN_B), true);
        let fire = Scope {
            sectors: Some(vec!["fire".into()]),
            ..county_scope()
        };
        let own = Scope {
            enterprise_ids: Some(vec![e]),
            ..county_scope()
        };
        let get = |scope: &Scope, id: i64| s.get_work_record(scope, id);
        assert_eq!(get(&town_b, r1.id).err(), Some(StoreError::NotFound));
        assert_eq!(get(&county, 999_999).err(), Some(StoreError::NotFound));
        assert_eq!(get(&fire, r2.id).ok(), Some(r2.clone()));
        assert_eq!(get(&fire, r1.id).err(), Some(StoreError::NotFound));
        assert_eq!(get(&fire, r3.id).err(), Some(StoreError::NotFound));
        assert_eq!(get(&own, r1.id).ok(), Some(r1.clone()));
        assert_eq!(get(&own, r3.id).err(), Some(StoreError::NotFound));

        // Writes: only inside the writable scope; a sector-bound scope names its sector.
        let refused = |scope: &Scope, w: &WorkRecord| s.create_work_record(&sys(scope), w).err();
        let forbidden = Some(StoreError::Forbidden);
        assert_eq!(
            refused(
                &fire,
                &record(VILLAGE_A1, None, None, "patrol", "2022-06-01")
            ),
            forbidden
        );
        assert_eq!(
            refused(
                &fire,
                &record(VILLAGE_A1, Some("hazchem"), None, "patrol", "2022-06-01")
            ),
            forbidden
        );
        assert_eq!(
            refused(
                &town_b,
                &record(VILLAGE_A1, None, None, "patrol", "2022-06-01")
            ),
            forbidden
        );
        assert_eq!(refused(&county.clone().read_only(), &w1), forbidden);

        // The list: newest first, each filter on its own, keyset pages.
        let all = || WorkFilter {
            limit: 50,
            ..Default::default()
        };
        let ids = |scope: &Scope, f: WorkFilter| {
            s.list_work_records(scope, &f)
                .unwrap()
                .items
                .iter()
                .map(|w| w.id)
                .collect::<Vec<_>>()
        };
        let some = |v: &str| Some(v.to_string());
        assert_eq!(ids(&county, all()), vec![r3.id, r2.id, r1.id]);
        assert_eq!(
            s.list_work_records(&county, &all())
                .ok()
                .map(|p| p.items[2].clone()),
            Some(r1.clone())
        );
        assert_eq!(ids(&fire, all()), vec![r2.id]);
        assert_eq!(ids(&own, all()), vec![r1.id]);
        assert_eq!(ids(&town_b, all()), vec![r2.id]);
        let town_a = rc(TOWN_A).subtree_prefix().to_string();
        assert_eq!(
            ids(
                &county,
                WorkFilter {
                    region_prefix: Some(town_a),
                    ..all()
                }
            ),
            vec![r3.id, r1.id]
        );
        assert_eq!(
            ids(
                &county,
                WorkFilter {
                    item_code: some("patrol"),
                    ..all()
                }
            ),
            vec![r3.id, r1.id]
        );
        assert_eq!(
            ids(
                &county,
                WorkFilter {
                    topic: some("宣传教育"),
                    ..all()
                }
            ),
            vec![r2.id]
        );
        assert_eq!(
            ids(
                &county,
                WorkFilter {
                    department_id: Some(dep_a),
                    ..all()
                }
            ),
            vec![r1.id]
        );
        assert_eq!(
            ids(
                &county,
                WorkFilter {
                    campaign: some("baichi"),
                    ..all()
                }
            ),
            vec![r1.id]
        );
        assert_eq!(
            ids(
                &county,
                WorkFilter {
                    from: Some(day("2022-05-15")),
                    ..all()
                }
            ),
            vec![r3.id, r2.id]
        );
        assert_eq!(
            ids(
                &county,
                WorkFilter {
                    to: Some(day("2022-05-15")),
                    ..all()
                }
            ),
            vec![r2.id, r1.id]
        );
        let window = WorkFilter {
            from: Some(day("2022-05-02")),
            to: Some(day("2022-05-31")),
            ..all()
        };
        assert_eq!(ids(&county, window), vec![r2.id]);
        let p1 = s
            .list_work_records(&county, &WorkFilter { limit: 2, ..all() })
            .unwrap();
        assert_eq!(
            p1.items.iter().map(|w| w.id).collect::<Vec<_>>(),
            vec![r3.id, r2.id]
        );
        assert_eq!(p1.next, Some(r2.id.to_string()));
        let after = p1.next.and_then(|n| n.parse().ok());
        let p2 = s
            .list_work_records(
                &county,
                &WorkFilter {
                    limit: 2,
                    after,
                    ..all()
                },
            )
            .unwrap();
        assert_eq!(
            (p2.items.iter().map(|w| w.id).collect::<Vec<_>>(), p2.next),
            (vec![r1.id], None)
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn campaigns_are_read_by_every_user_of_their_county() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let system = Scope::system();
        let other = "360983000000";
        let c1 = s
            .create_campaign(&ch, &campaign(COUNTY, "baichi", "2022-04-01"))
            .unwrap();
        let c2 = s
            .create_campaign(&ch, &campaign(COUNTY, "xiaofang", "2022-05-01"))
            .unwrap();
        let c3 = s
            .create_campaign(&sys(&system), &campaign(other, "gaoan", "2022-05-15"))
            .unwrap();
        let c4 = s
            .create_campaign(&ch, &campaign(COUNTY, "anquanyue", "2022-04-01"))
            .unwrap();
        assert_eq!(
            (c1.county_code.as_str(), c1.code.as_str(), c1.units.as_str()),
            (COUNTY, "baichi", "应急管理局\n消防救援大队")
        );
        // Latest start first; on the same day, the later one first.
        let list = |scope: &Scope| s.list_campaigns(scope).unwrap();
        let mine = vec![c2.clone(), c4.clone(), c1.clone()];
        assert_eq!(list(&county), mine);
        assert_eq!(list(&Scope::region(&rc(TOWN_A), false)), mine);
        assert_eq!(list(&Scope::region(&rc(VILLAGE_B1), false)), mine);
        let fire = Scope {
            sectors: Some(vec!["fire".into()]),
            ..county_scope()
        };
        assert_eq!(list(&fire), mine);
        assert_eq!(list(&Scope::region(&rc(other), false)), vec![c3.clone()]);
        assert_eq!(list(&system), vec![c3, c2, c4, c1]);
        assert!(list(&Scope::nothing()).is_empty());
    });
}
