use crate::*;
use anjian_store::StoreError;

#[test]
fn migrations_are_applied_once() {
    each(|s| {
        assert_eq!(
            s.schema_version().ok(),
            Some(Store::latest_schema_version())
        );
        assert!(Store::latest_schema_version() >= 2);
        assert_eq!(s.migrate().ok(), Some(vec![]));
        assert!(s.ping().is_ok());
    });
}

#[test]
fn regions_upsert_list_and_scope() {
    each(|s| {
        seed_org(s);
        let all = s
            .list_regions(&county_scope(), None, None)
            .unwrap_or_default();
        assert_eq!(all.len(), 5);
        assert_eq!(all[0].code, COUNTY);
        assert_eq!(all[0].level, "county");
        let town = Scope::region(&rc(TOWN_A), false);
        let mine: Vec<String> = s
            .list_regions(&town, None, None)
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.code)
            .collect();
        assert_eq!(mine, vec![TOWN_A.to_string(), VILLAGE_A1.to_string()]);
        // A township may read its county's name but not a sibling township.
        assert!(s.get_region(&town, COUNTY).is_ok());
        assert_eq!(s.get_region(&town, TOWN_B), Err(StoreError::NotFound));
        // Level filter.
        let towns = s
            .list_regions(&county_scope(), Some(COUNTY), Some("township"))
            .unwrap_or_default();
        assert_eq!(towns.len(), 3);
        // Re-upserting the same data changes nothing; a rename updates.
        let scope = county_scope();
        let ch = sys(&scope);
        let same = vec![anjian_store::regions::RegionInput {
            code: rc(TOWN_A),
            name: "临江镇".into(),
            parent_code: Some(rc(COUNTY)),
        }];
        assert_eq!(
            s.upsert_regions(&ch, &same).map(|c| c.unchanged).ok(),
            Some(1)
        );
        let renamed = vec![anjian_store::regions::RegionInput {
            code: rc(TOWN_A),
            name: "临江街道".into(),
            parent_code: Some(rc(COUNTY)),
        }];
        assert_eq!(
            s.upsert_regions(&ch, &renamed).map(|c| c.updated).ok(),
            Some(1)
        );
        // Writing outside the scope is refused.
        let town_w = Scope::region(&rc(TOWN_A), true);
        let ch2 = sys(&town_w);
        let other = vec![anjian_store::regions::RegionInput {
            code: rc(TOWN_B),
            name: "x".into(),
            parent_code: Some(rc(COUNTY)),
        }];
        assert_eq!(s.upsert_regions(&ch2, &other), Err(StoreError::Forbidden));
        assert!(s.region_exists(VILLAGE_B1).unwrap_or(false));
        assert!(!s.region_exists("360982102000").unwrap_or(true));
    });
}

#[test]
fn sectors_are_saved_and_updated() {
    each(|s| {
        seed_org(s);
        let scope = county_scope();
        let mut list = s.list_sectors().unwrap_or_default();
        assert_eq!(list.len(), 3);
        list[0].name = "非煤矿山（含尾矿库）".into();
        assert!(s.save_sector(&sys(&scope), &list[0]).is_ok());
        assert_eq!(
            s.list_sectors().unwrap_or_default()[0].name,
            "非煤矿山（含尾矿库）"
        );
        // Read-only scopes cannot write.
        let ro = scope.clone().read_only();
        assert_eq!(
            s.save_sector(&sys(&ro), &list[0]),
            Err(StoreError::Forbidden)
        );
    });
}

#[test]
fn departments_with_sectors_and_versions() {
    each(|s| {
        let (a, _) = seed_org(s);
        let scope = county_scope();
        let deps = s.list_departments(&scope, today()).unwrap_or_default();
        assert_eq!(deps.len(), 2);
        let d = s.get_department(&scope, a, today()).unwrap();
        assert_eq!(
            d.sectors
                .iter()
                .map(|x| x.sector_code.as_str())
                .collect::<Vec<_>>(),
            vec!["mines", "hazchem"]
        );
        // Township users see their county's departments.
        assert_eq!(
            s.list_departments(&Scope::region(&rc(TOWN_A), false), today())
                .map(|v| v.len())
                .ok(),
            Some(2)
        );
        // Assign a new industry with its decision; then a stale version conflicts.
        let mut input = DepartmentInput {
            region_code: d.region_code.clone(),
            name: d.name.clone(),
            short_name: "应急局".into(),
            is_member_unit: true,
            has_supervision_duty: true,
            is_industry_authority: true,
            sort_order: 1,
            sectors: d.sectors.clone(),
        };
        input.sectors.push(SectorAssignment {
            sector_code: "fire".into(),
            decision_no: Some("樟府办字〔2022〕12号".into()),
            decided_on: Some(day("2022-03-01")),
            note: "电子礼炮".into(),
        });
        assert!(
            s.update_department(&sys(&scope), a, d.version, &input)
                .is_ok()
        );
        let d2 = s.get_department(&scope, a, today()).unwrap();
        assert_eq!(d2.version, d.version + 1);
        assert_eq!(d2.sectors.len(), 3);
        assert_eq!(
            d2.sectors
                .iter()
                .find(|x| x.sector_code == "fire")
                .and_then(|x| x.decided_on),
            Some(day("2022-03-01"))
        );
        assert!(matches!(
            s.update_department(&sys(&scope), a, d.version, &input),
            Err(StoreError::Conflict(_))
        ));
        // Duplicate name in the same county.
        input.name = "消防救援大队".into();
        assert!(matches!(
            s.create_department(&sys(&scope), &input),
            Err(StoreError::Duplicate(_))
        ));
    });
}

#[test]
fn settings_round_trip() {
    each(|s| {
        let scope = Scope::system();
        assert_eq!(s.setting("root_region").ok(), Some(None));
        assert!(s.set_setting(&sys(&scope), "root_region", COUNTY).is_ok());
        assert!(s.set_setting(&sys(&scope), "root_region", TOWN_A).is_ok());
        assert_eq!(
            s.setting("root_region").ok().flatten().as_deref(),
            Some(TOWN_A)
        );
    });
}

/// Region and sector lists (kept between unchanged reads on SQLite) follow a rename
/// made through another handle on the same database at once.
#[test]
fn region_and_sector_lists_follow_writes_of_any_handle() {
    each_with_another_handle(|s, other| {
        let county = county_scope();
        let ch = sys(&county);
        let town_a_name = |store: &Store| {
            store
                .list_regions(&county, None, Some("township"))
                .unwrap()
                .into_iter()
                .find(|r| r.code == TOWN_A)
                .map(|r| r.name)
        };
        let before = town_a_name(s);
        assert!(before.is_some());
        assert_eq!(town_a_name(s), before);
        add_regions(other, &ch, &[(TOWN_A, "新名镇", Some(COUNTY))]);
        assert_eq!(town_a_name(s).as_deref(), Some("新名镇"));

        let sectors = s.list_sectors().unwrap();
        assert_eq!(s.list_sectors().ok().as_ref(), Some(&sectors));
        let mut first = sectors
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("seeded sectors"));
        first.name = "改名后的行业".into();
        other.save_sector(&ch, &first).unwrap();
        let after = s.list_sectors().unwrap();
        assert!(after.iter().any(|x| x.name == "改名后的行业"));
    });
}

/// The small configuration reads a page makes (a setting, several settings, the work-item
/// catalogue; kept while nothing is committed) follow a write made through another handle
/// on the same database at once, and the handle's own writes too.
#[test]
fn kept_settings_and_catalogue_follow_writes_of_any_handle() {
    each_with_another_handle(|s, other| {
        let county = county_scope();
        let ch = sys(&county);
        const KEY: &str = "public_url";
        let one = |store: &Store| store.setting(KEY).unwrap();
        let many = |store: &Store| store.settings_in(&[KEY, "instance_name"]).unwrap();
        assert_eq!(one(s), one(s));
        s.set_setting(&ch, KEY, "https://a.example").unwrap();
        assert_eq!(one(s).as_deref(), Some("https://a.example"));
        assert!(many(s).contains(&(KEY.to_string(), "https://a.example".to_string())));
        other.set_setting(&ch, KEY, "https://b.example").unwrap();
        assert_eq!(one(s).as_deref(), Some("https://b.example"));
        assert!(many(s).contains(&(KEY.to_string(), "https://b.example".to_string())));

        let names = |store: &Store| -> Vec<String> {
            store
                .list_work_item_types()
                .unwrap()
                .into_iter()
                .map(|t| t.name)
                .collect()
        };
        let before = names(s);
        assert_eq!(names(s), before);
        let t = anjian_store::work::WorkItemType {
            code: "kept_check".into(),
            name: "另一句柄新增的事项".into(),
            unit: "次".into(),
            topic: "inspection".into(),
            active: true,
            ..Default::default()
        };
        other.save_work_item_type(&ch, &t).unwrap();
        assert!(names(s).iter().any(|n| n == "另一句柄新增的事项"));
    });
}
