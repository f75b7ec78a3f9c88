//! A region import sets the root, and users can be added.

use super::*;

#[test]
fn regions_import_sets_the_root_and_users_can_be_added() {
    let t = TempDir::new("regions");
    let db = t.db();
    let streets = t.0.join("streets.json");
    std::fs::write(
        &streets,
        r#"[{"code":"360982100","name":"临江镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"},
            {"code":"360982101","name":"永泰镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"},
            {"code":"360983100","name":"邻县某镇","areaCode":"360983","cityCode":"3609","provinceCode":"36"}]"#,
    )
    .unwrap();
    let villages = t.0.join("villages.json");
    std::fs::write(&villages, r#"[{"code":"360982100200","name":"枫林村委会","streetCode":"360982100"},{"code":"360982100999","name":"坏代码","streetCode":"360982100"}]"#)
        .unwrap();
    // Without a county name the county cannot be created.
    let o = anjian(
        &t.0,
        &[
            "import",
            "regions",
            &streets.to_string_lossy(),
            "--county",
            "360982",
            "--db",
            &db,
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let o = anjian(
        &t.0,
        &[
            "import",
            "regions",
            &streets.to_string_lossy(),
            "--county",
            "360982",
            "--county-name",
            "樟树市",
            "--db",
            &db,
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("新增 3 个"), "{}", out(&o));
    let o = anjian(
        &t.0,
        &[
            "import",
            "regions",
            &villages.to_string_lossy(),
            "--county",
            "360982",
            "--db",
            &db,
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "the bad village code is reported: {}",
        out(&o)
    );
    assert!(out(&o).contains("第3行"), "{}", out(&o));
    let o = anjian(
        &t.0,
        &[
            "import",
            "regions",
            &villages.to_string_lossy(),
            "--county",
            "360982",
            "--db",
            &db,
            "--skip-invalid",
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(
        &t.0,
        &[
            "user",
            "add",
            "--username",
            "chief",
            "--password",
            "Chief2022",
            "--role",
            "admin",
            "--db",
            &db,
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(
        &t.0,
        &[
            "user",
            "add",
            "--username",
            "x",
            "--password",
            "short",
            "--role",
            "king",
            "--db",
            &db,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let text = out(&o);
    assert!(
        text.contains("密码至少8位") && text.contains("角色应为"),
        "{text}"
    );
    let s = store(&t);
    let (u, _) = s
        .user_for_login("chief")
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("user"));
    assert_eq!(u.region_code, "360982000000");
    assert_eq!(
        s.list_regions(&Scope::system(), None, None)
            .map(|v| v.len())
            .ok(),
        Some(4)
    );
}

/// The first run of a real county: `init --county 430181` on an empty store gives 浏阳市 with
/// its 32 townships and 326 villages from the shipped division codes, the county as the root
/// and the instance's name; then the first administrator can be added. A second init is
/// refused, as is an unknown code.
#[test]
fn init_starts_liuyang_with_its_townships_and_villages_then_the_first_admin() {
    let t = TempDir::new("init");
    let db = t.db();
    let o = anjian(&t.0, &["init", "--county", "430199", "--db", &db]);
    assert!(!o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("没有区划 430199000000"), "{}", out(&o));
    // Before init there is no root region: the admin cannot be placed.
    let add = [
        "user",
        "add",
        "--role",
        "admin",
        "--username",
        "admin",
        "--display-name",
        "安委办管理员",
        "--password",
        "Liuyang2026!",
        "--db",
        &db,
    ];
    let o = anjian(&t.0, &add);
    assert!(!o.status.success(), "{}", out(&o));
    let o = anjian(&t.0, &["init", "--county", "430181", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("湖南省长沙市浏阳市")
            && out(&o).contains("乡镇（街道）32 个、村（社区）326 个"),
        "{}",
        out(&o)
    );
    let s = store(&t);
    let sys = Scope::system();
    let county = s.get_region(&sys, "430181000000").unwrap();
    assert_eq!(county.name, "浏阳市");
    assert_eq!(
        s.setting(anjian_store::settings::ROOT_REGION)
            .unwrap()
            .as_deref(),
        Some("430181000000")
    );
    assert_eq!(
        s.setting(anjian_store::settings::INSTANCE_NAME)
            .unwrap()
            .as_deref(),
        Some("浏阳市")
    );
    assert_eq!(s.get_region(&sys, "430181001000").unwrap().name, "淮川街道");
    drop(s);
    let o = anjian(&t.0, &add);
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(&t.0, &["init", "--county", "430181", "--db", &db]);
    assert!(!o.status.success(), "a second init: {}", out(&o));
    assert!(out(&o).contains("已初始化"), "{}", out(&o));
}

#[test]
fn boundaries_import_from_geojson_is_all_or_nothing() {
    let t = TempDir::new("boundaries");
    let db = t.db();
    let streets = t.0.join("streets.json");
    std::fs::write(
        &streets,
        r#"[{"code":"360982100","name":"临江镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"},
            {"code":"360982101","name":"永泰镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"}]"#,
    )
    .unwrap();
    let o = anjian(
        &t.0,
        &[
            "import",
            "regions",
            &streets.to_string_lossy(),
            "--county",
            "360982",
            "--county-name",
            "樟树市",
            "--db",
            &db,
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let square = |x: f64| {
        format!(
            "[[[{x},28.0],[{},28.0],[{},28.1],[{x},28.1],[{x},28.0]]]",
            x + 0.1,
            x + 0.1
        )
    };
    let good = format!(
        r#"{{"type":"FeatureCollection","features":[
  {{"type":"Feature","properties":{{"adcode":"360982100","name":"临江镇"}},"geometry":{{"type":"MultiPolygon","coordinates":[{}]}}}},
  {{"type":"Feature","properties":{{"乡镇":"永泰镇"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}
]}}"#,
        square(115.4),
        square(115.5)
    );
    let bad = good
        .replace("永泰镇", "白沙乡")
        .replace("[115.4,28.0]]]", "[115.4,28.05]]]");
    let file = t.0.join("towns.geojson");
    std::fs::write(&file, bad).unwrap();
    let o = anjian(
        &t.0,
        &["import", "boundaries", &file.to_string_lossy(), "--db", &db],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("第1个要素（临江镇）") && out(&o).contains("未闭合"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("第2个要素（白沙乡）") && out(&o).contains("不是本县的乡镇"),
        "{}",
        out(&o)
    );
    std::fs::write(&file, good).unwrap();
    let o = anjian(
        &t.0,
        &["import", "boundaries", &file.to_string_lossy(), "--db", &db],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("已导入 2 个"), "{}", out(&o));
}

/// `import hazards` reads the file twice from disk, row by row: a bad row is reported by
/// its number and keeps every row out (exit 2); `--skip-invalid` writes the valid ones.
#[test]
fn hazards_import_from_the_console_reports_bad_rows_then_skips_them() {
    let t = TempDir::new("hazimport");
    let db = t.db();
    init_county(&t.0, &db);
    let village = a_village(&store(&t));
    let file = t.0.join("hazards.csv");
    std::fs::write(
        &file,
        format!(
            "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期,整改期限\n\
             {village},消防,一般隐患,监督检查,疏散通道堵塞,2022-05-10,2022-05-20\n\
             {village},消防,一般隐患,监督检查,灭火器过期,2022-15-01,\n\
             {village},消防,一般隐患,监督检查,安全出口上锁,2022-05-11,2022-06-11\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let f = file.to_string_lossy().to_string();
    let o = anjian(&t.0, &["import", "hazards", &f, "--db", &db]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("第3行：发现日期"), "{}", out(&o));
    assert_eq!(store(&t).max_hazard_id().ok(), Some(0), "nothing written");
    let o = anjian(
        &t.0,
        &["import", "hazards", &f, "--db", &db, "--skip-invalid"],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(store(&t).max_hazard_id().ok(), Some(2));
}
