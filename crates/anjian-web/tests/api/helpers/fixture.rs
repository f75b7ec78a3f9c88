//! The small fixture county every test starts from: regions, sectors, departments,
//! enterprises and one user per role.

use super::*;

pub(super) fn seed(app: &App) -> Ids {
    let p = |e: anjian_app::AppError| -> ! { panic!("seed: {e:?}") };
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    anjian_app::catalogue::ensure_defaults(app).unwrap_or_else(|e| p(e));
    let rc = |s: &str| anjian_domain::RegionCode::parse(s).unwrap();
    let regions = vec![
        RegionInput {
            code: rc(COUNTY),
            name: "测试市".into(),
            parent_code: None,
        },
        RegionInput {
            code: rc(TOWN_A),
            name: "临江镇".into(),
            parent_code: Some(rc(COUNTY)),
        },
        RegionInput {
            code: rc(TOWN_B),
            name: "永泰镇".into(),
            parent_code: Some(rc(COUNTY)),
        },
        RegionInput {
            code: rc(VILLAGE_A1),
            name: "枫林村".into(),
            parent_code: Some(rc(TOWN_A)),
        },
        RegionInput {
            code: rc(VILLAGE_B1),
            name: "石塘村".into(),
            parent_code: Some(rc(TOWN_B)),
        },
    ];
    app.store_for_tests().upsert_regions(&ch, &regions).unwrap();
    app.store_for_tests()
        .set_setting(
            &ch,
            anjian_app::testing::store::settings::ROOT_REGION,
            COUNTY,
        )
        .unwrap();
    // The departments hold their sectors as a store converted by migration 0038 does: duty
    // items from 1900-01-01 titled 原行业领域分工 (the old undated assignments), so the
    // clock may go back before the fixture's day and the sectors are still theirs.
    let dep = |name: &str, sectors: &[(&str, &str)]| {
        let id = app
            .store_for_tests()
            .create_department(
                &ch,
                &DepartmentInput {
                    region_code: COUNTY.into(),
                    name: name.into(),
                    short_name: name.into(),
                    is_member_unit: true,
                    has_supervision_duty: true,
                    is_industry_authority: true,
                    sort_order: 0,
                    sectors: vec![],
                },
            )
            .unwrap();
        let items: Vec<DutyInput> = sectors
            .iter()
            .map(|(code, name)| DutyInput {
                county_code: COUNTY.into(),
                department_id: id,
                content: anjian_domain::duty::sector_duty_text(name),
                doc_kind: anjian_domain::duty::DocKind::Other,
                doc_title: "原行业领域分工".into(),
                doc_no: String::new(),
                decided_on: None,
                sector_code: Some(code.to_string()),
                valid_from: chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
                valid_to: None,
            })
            .collect();
        app.store_for_tests().create_duties(&ch, &items).unwrap();
        id
    };
    let dept_yj = dep(
        "测试市应急管理局",
        &[("hazchem", "危险化学品"), ("mines", "非煤矿山")],
    );
    let dept_fire = dep("测试市消防救援大队", &[("fire", "消防")]);
    let mk = |n: u32, region: &str, sector: &str| {
        let input: EnterpriseInput =
            serde_json::from_value(enterprise_json(n, region, sector)).unwrap();
        let v = input.validate(app.clock.today()).unwrap();
        app.store_for_tests().create_enterprise(&ch, &v).unwrap()
    };
    let ids = Ids {
        a_haz: mk(1, VILLAGE_A1, "hazchem"),
        a_fire: mk(2, TOWN_A, "fire"),
        b_haz: mk(3, VILLAGE_B1, "hazchem"),
        b_fire: mk(4, VILLAGE_B1, "fire"),
        dept_fire,
    };
    // The officers' certificates (执法证): 应急局's department user and inspector, so an
    // enforcement inspection of the department has its two officers; the township's.
    let certificate = |username: &str| match username {
        "yingji" => Some(("赣36098201001", CERT_VALID_UNTIL)),
        "zhifa" => Some(("赣36098201002", CERT_VALID_UNTIL)),
        "town_a" => Some(("赣36098210001", CERT_VALID_UNTIL)),
        _ => None,
    };
    let user = |username: &str,
                role: &str,
                region: Option<&str>,
                dept: Option<i64>,
                ent: Option<i64>,
                sites: Vec<i64>| NewUser {
        username: username.into(),
        display_name: format!("{username}用户"),
        role: role.into(),
        password: Some(PASSWORD.into()),
        region_code: region.map(str::to_string),
        department_id: dept,
        enterprise_id: ent,
        phone: None,
        active: true,
        site_ids: sites,
        cert_no: certificate(username).map(|c| c.0.to_string()),
        cert_valid_until: certificate(username).map(|c| c.1.to_string()),
        version: None,
    };
    for u in [
        user("admin", "admin", None, None, None, vec![]),
        user("leader", "leader", None, None, None, vec![]),
        user("yingji", "department", None, Some(dept_yj), None, vec![]),
        user("zhifa", "inspector", None, Some(dept_yj), None, vec![]),
        user("town_a", "township", Some(TOWN_A), None, None, vec![]),
        user("qiye", "enterprise", None, None, Some(ids.a_haz), vec![]),
        user("paizhu", "supervisor", None, None, None, vec![ids.a_fire]),
    ] {
        app.add_user_system("test", &u).unwrap_or_else(|e| p(e));
    }
    ids
}
