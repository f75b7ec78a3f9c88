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
