//! The binary end to end: demo, audit verification after tampering, imports
//! with row reports, user creation, region import.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_domain::Scope;
use anjian_store::{Store, StoreUrl};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        // Test names are unique within the binary, and the process id separates concurrent runs.
        let p = std::env::temp_dir().join(format!("anjian-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        let _ = std::fs::create_dir_all(&p);
        Self(p)
    }
    fn db(&self) -> String {
        format!("sqlite://{}", self.0.join("a.sqlite").display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn anjian(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(args)
        .current_dir(dir)
        .env_remove("ANJIAN_DB")
        .output()
        .unwrap_or_else(|e| panic!("cannot run anjian: {e}"))
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn store(t: &TempDir) -> Store {
    Store::open(&StoreUrl::Sqlite(t.0.join("a.sqlite"))).unwrap()
}

#[test]
fn help_lists_the_subcommands() {
    let t = TempDir::new("help");
    let o = anjian(&t.0, &["--help"]);
    assert!(o.status.success());
    let text = out(&o);
    for cmd in [
        "serve", "migrate", "demo", "import", "export", "user", "audit",
    ] {
        assert!(text.contains(cmd), "help lacks {cmd}");
    }
}

#[test]
fn audit_verify_names_an_edited_or_deleted_row() {
    let t = TempDir::new("audit");
    let db = t.db();
    let o = anjian(&t.0, &["demo", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("admin"), "demo prints the accounts");
    let o = anjian(&t.0, &["audit", "verify", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    let s = store(&t);
    assert_eq!(
        s.raw_execute(
            "UPDATE audit_log SET after_json = '{\"name\":\"篡改\"}' WHERE seq = 1234",
            &[]
        )
        .ok(),
        Some(1)
    );
    drop(s);
    let o = anjian(&t.0, &["audit", "verify", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("第 1234 条审计记录"), "{text}");
    assert_eq!(
        text.matches("条审计记录：").count(),
        1,
        "only the edited row is named: {text}"
    );
    let s = store(&t);
    assert_eq!(
        s.raw_execute("DELETE FROM audit_log WHERE seq = 77", &[])
            .ok(),
        Some(1)
    );
    drop(s);
    let text = out(&anjian(&t.0, &["audit", "verify", "--db", &db]));
    assert!(
        text.contains("第 77 条审计记录") && text.contains("第 1234 条审计记录"),
        "{text}"
    );
}

const HEADERS: [&str; 8] = [
    "企业名称",
    "统一社会信用代码",
    "所属区划代码",
    "地址",
    "行业领域",
    "重点企业",
    "主要负责人",
    "主要负责人身份证号",
];

fn uscc(n: u32) -> String {
    anjian_domain::uscc::Uscc::complete(&format!("91360982MB{n:07}"))
        .map(|u| u.to_string())
        .unwrap_or_default()
}

fn write_xlsx(path: &Path, rows: u32, bad: &[(u32, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..rows {
        let r = i + 1; // spreadsheet row r + 1
        let sheet_row = r + 1;
        let mut cells = [
            format!("导入测试企业{i}有限公司"),
            uscc(i),
            "360982100000".to_string(),
            "临江镇测试路".to_string(),
            if i % 2 == 0 {
                "消防".to_string()
            } else {
                "hazchem".to_string()
            },
            if i % 7 == 0 {
                "是".to_string()
            } else {
                "否".to_string()
            },
            "张三".to_string(),
            "360982198506151239".to_string(),
        ];
        for (row, what) in bad {
            if *row == sheet_row {
                match *what {
                    "uscc" => cells[1] = "911100001000013410".into(),
                    "region" => cells[2] = "360982599000".into(),
                    "idcard" => cells[7] = "360982198506151230".into(),
                    _ => {}
                }
            }
        }
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn xlsx_import_reports_exactly_the_bad_rows_and_writes_nothing() {
    let t = TempDir::new("import");
    let db = t.db();
    assert!(anjian(&t.0, &["demo", "--db", &db]).status.success());
    let before = store(&t)
        .count_enterprises(&Scope::system(), &Default::default())
        .unwrap_or(-1);
    let file = t.0.join("enterprises.xlsx");
    write_xlsx(
        &file,
        10_000,
        &[(101, "uscc"), (5002, "region"), (9999, "idcard")],
    );
    let f = file.to_string_lossy().to_string();
    let o = anjian(&t.0, &["import", "enterprises", &f, "--db", &db]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let text = out(&o);
    let reported: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('第') && l.contains("行："))
        .collect();
    assert_eq!(reported.len(), 3, "{text}");
    assert!(
        reported[0].starts_with("第101行") && reported[0].contains("统一社会信用代码"),
        "{text}"
    );
    assert!(
        reported[1].starts_with("第5002行") && reported[1].contains("所属区划"),
        "{text}"
    );
    assert!(
        reported[2].starts_with("第9999行") && reported[2].contains("身份证"),
        "{text}"
    );
    assert!(text.contains("未写入任何数据"));
    assert_eq!(
        store(&t)
            .count_enterprises(&Scope::system(), &Default::default())
            .unwrap_or(-1),
        before
    );
    let o = anjian(
        &t.0,
        &["import", "enterprises", &f, "--db", &db, "--skip-invalid"],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("写入 9997 行"), "{}", out(&o));
    assert_eq!(
        store(&t)
            .count_enterprises(&Scope::system(), &Default::default())
            .unwrap_or(-1),
        before + 9997
    );
    // Importing the same file again: every row is now a duplicate.
    let o = anjian(&t.0, &["import", "enterprises", &f, "--db", &db]);
    assert_eq!(o.status.code(), Some(2));
    // The export reads back as an import file with the same columns.
    let csv = t.0.join("out.csv");
    let o = anjian(
        &t.0,
        &[
            "export",
            "enterprises",
            "--format",
            "csv",
            "--out",
            &csv.to_string_lossy(),
            "--db",
            &db,
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let text = std::fs::read_to_string(&csv).unwrap_or_default();
    assert!(text.starts_with("\u{feff}企业名称,统一社会信用代码"));
    assert_eq!(text.lines().count() as i64, before + 9997 + 1);
}

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

#[test]
fn draw_verify_reproduces_the_demo_draw_and_flags_any_changed_input() {
    let t = TempDir::new("draw");
    let db = t.db();
    let o = anjian(&t.0, &["demo", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(&t.0, &["draw", "verify", "1", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("一致（match）"), "{}", out(&o));
    // Change one published input: the pool of the second stratum loses its first member.
    let s = store(&t);
    let inputs = s
        .get_draw(&anjian_domain::Scope::system(), 1)
        .map(|(d, _)| d.inputs)
        .unwrap_or_default();
    let mut v: serde_json::Value = serde_json::from_str(&inputs).unwrap_or_default();
    let removed = v["strata"][1]["pool"]
        .as_array_mut()
        .map(|p| p.remove(0))
        .is_some();
    assert!(removed, "{inputs}");
    assert_eq!(
        s.raw_execute(
            "UPDATE draws SET inputs = ? WHERE id = 1",
            &[v.to_string().into()]
        )
        .ok(),
        Some(1)
    );
    drop(s);
    let o = anjian(&t.0, &["draw", "verify", "1", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("不一致（mismatch）"), "{}", out(&o));
    // Restore the inputs but change the public entropy: also a mismatch.
    let s = store(&t);
    assert_eq!(
        s.raw_execute(
            "UPDATE draws SET inputs = ?, entropy = entropy || '1' WHERE id = 1",
            &[inputs.clone().into()]
        )
        .ok(),
        Some(1)
    );
    drop(s);
    let o = anjian(&t.0, &["draw", "verify", "1", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let o = anjian(&t.0, &["draw", "verify", "99", "--db", &db]);
    assert!(!o.status.success());
}

#[test]
fn the_same_seed_gives_the_same_store() {
    let (a, b, c) = (
        TempDir::new("seed-a"),
        TempDir::new("seed-b"),
        TempDir::new("seed-c"),
    );
    for (t, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let o = anjian(&t.0, &["demo", "--seed", seed, "--db", &t.db()]);
        assert!(o.status.success(), "{}", out(&o));
    }
    let digest = |t: &TempDir| store(t).content_digest().unwrap();
    assert_eq!(digest(&a), digest(&b), "two runs of demo --seed 7");
    assert_ne!(digest(&a), digest(&c), "another seed, another county");
    // The digest sees every record: one changed character changes it.
    store(&b)
        .raw_execute(
            "UPDATE hazards SET description = description || '。' WHERE id = 1",
            &[],
        )
        .unwrap();
    assert_ne!(digest(&a), digest(&b));
    // The report of the seeded county is the same too.
    let report = |t: &TempDir| {
        let o = anjian(
            &t.0,
            &[
                "report",
                "annual",
                "--year",
                "2022",
                "--format",
                "md",
                "--db",
                &t.db(),
            ],
        );
        assert!(o.status.success(), "{}", out(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    assert_eq!(
        report(&a),
        report(&b),
        "a description change leaves the figures alone"
    );
    assert!(report(&a).contains("清江市2022年安全生产工作总结"));
}

/// Both stores, one behaviour: the seeded county written to PostgreSQL has the same content
/// digest as the one written to SQLite (every table, every row), and the same annual report.
#[test]
fn the_seeded_county_is_the_same_on_postgresql_as_on_sqlite() {
    let Some(pg) = anjian_store::testing::TestStore::postgres() else {
        eprintln!("ANJIAN_TEST_PG is not set: the PostgreSQL run is skipped");
        return;
    };
    let pg = pg.unwrap();
    let StoreUrl::Postgres(pg_url) = pg.url() else {
        panic!("not a PostgreSQL store");
    };
    let t = TempDir::new("seed-pg");
    let o = anjian(&t.0, &["demo", "--seed", "7", "--db", &t.db()]);
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(&t.0, &["demo", "--seed", "7", "--db", &pg_url]);
    assert!(o.status.success(), "{}", out(&o));
    let lite = store(&t).content_digest().unwrap();
    let postgres = pg.store.content_digest().unwrap();
    assert_eq!(lite, postgres, "demo --seed 7 on SQLite and on PostgreSQL");
    let report = |db: &str| {
        let o = anjian(
            &t.0,
            &[
                "report", "annual", "--year", "2022", "--format", "md", "--db", db,
            ],
        );
        assert!(o.status.success(), "{}", out(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    assert_eq!(report(&t.db()), report(&pg_url));
}

#[test]
fn reports_for_a_year_a_half_and_bad_periods() {
    let t = TempDir::new("report-periods");
    let o = anjian(&t.0, &["demo", "--db", &t.db()]);
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(
        &t.0,
        &[
            "report",
            "annual",
            "--year",
            "2022",
            "--format",
            "json",
            "--db",
            &t.db(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    let metrics = v["metrics"].as_array().cloned().unwrap_or_default();
    assert!(metrics.len() > 100, "every metric listed");
    assert!(
        metrics
            .iter()
            .all(|m| m["id"].is_string() && m["label"].is_string() && m["unit"].is_string())
    );
    let year_found = metrics
        .iter()
        .find(|m| m["id"] == "hazards.found")
        .map(|m| m["raw"].clone());
    let o = anjian(
        &t.0,
        &[
            "report",
            "period",
            "--period",
            "2022-H1",
            "--format",
            "json",
            "--db",
            &t.db(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let h: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(h["period_name"], "2022年上半年");
    let half_found = h["metrics"].as_array().and_then(|a| {
        a.iter()
            .find(|m| m["id"] == "hazards.found")
            .map(|m| m["raw"].clone())
    });
    assert!(
        half_found.as_ref().and_then(|v| v.as_i64()) < year_found.as_ref().and_then(|v| v.as_i64())
    );
    let o = anjian(
        &t.0,
        &["report", "period", "--period", "2022-Q5", "--db", &t.db()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("--period"));
    let docx = t.0.join("r.docx");
    let o = anjian(
        &t.0,
        &[
            "report",
            "annual",
            "--year",
            "2022",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap_or_default(),
            "--db",
            &t.db(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(std::fs::read(&docx).unwrap_or_default().starts_with(b"PK"));
}
