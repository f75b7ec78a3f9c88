//! An XLSX import reports exactly the bad rows and writes nothing.

use super::*;

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
    assert!(demo_in(&t, None).status.success());
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

/// A clerk's sheet: a synonym header (法人代表), a column the import does not know (联系人),
/// a region code typed as a number (12 digits: exact) and an ID number typed as a number.
#[test]
fn xlsx_columns_are_mapped_or_confirmed_and_codes_typed_as_numbers_are_refused() {
    let t = TempDir::new("columns");
    let db = t.db();
    assert!(demo_in(&t, None).status.success());
    let file = t.0.join("clerk.xlsx");
    let headers = [
        "企业名称",
        "统一社会信用代码",
        "所属区划代码",
        "行业领域",
        "法人代表",
        "主要负责人身份证号",
        "联系人",
    ];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, id_as_number) in [(1u32, false), (2, true)] {
        ws.write_string(r, 0, format!("列名测试企业{r}有限公司"))
            .unwrap();
        ws.write_string(r, 1, uscc(900_000 + r)).unwrap();
        ws.write_number(r, 2, 360_982_100_000.0).unwrap();
        ws.write_string(r, 3, "消防").unwrap();
        ws.write_string(r, 4, format!("法人甲{r}")).unwrap();
        if id_as_number {
            ws.write_number(r, 5, 360_982_198_506_151_239.0).unwrap();
        } else {
            ws.write_string(r, 5, "360982198506151239").unwrap();
        }
        ws.write_string(r, 6, "李四").unwrap();
    }
    wb.save(&file).unwrap();
    let f = file.to_string_lossy().to_string();
    let o = anjian(&t.0, &["import", "enterprises", &f, "--db", &db]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("联系人（G列）") && out(&o).contains("--ignore-columns"),
        "{}",
        out(&o)
    );
    let o = anjian(
        &t.0,
        &["import", "enterprises", &f, "--db", &db, "--ignore-columns"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("第3行：主要负责人身份证号：该单元格为数值格式，请将该列设为文本后重新输入"),
        "{text}"
    );
    assert!(!text.contains("第2行"), "{text}");
    assert!(text.contains("未导入的列：联系人（G列）"), "{text}");
    let o = anjian(
        &t.0,
        &[
            "import",
            "enterprises",
            &f,
            "--db",
            &db,
            "--ignore-columns",
            "--skip-invalid",
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("写入 1 行"), "{}", out(&o));
    // 法人代表 was read as 法定代表人.
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
    assert!(text.contains("法人甲1"), "the synonym column was imported");
}
