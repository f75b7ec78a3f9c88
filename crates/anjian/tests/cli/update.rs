//! anjian import enterprises --mode upsert: an edited export updates the enterprise and
//! prints the change report.

use super::*;

#[test]
fn an_edited_export_updates_the_enterprise_and_prints_the_change_report() {
    let t = TempDir::new("update");
    let db = t.db();
    assert!(demo_in(&t, None).status.success());
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
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    // One row of the ledger (one without quoted cells), its legal representative changed.
    let mut row: Vec<String> = lines
        .find(|l| !l.contains('"'))
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    let lr = header.iter().position(|h| h == "法定代表人").unwrap();
    let old = row[lr].clone();
    row[lr] = "赵六".into();
    let file = t.0.join("edited.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, cells) in [&header, &row].iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    wb.save(&file).unwrap();
    let f = file.to_string_lossy().to_string();
    let o = anjian(
        &t.0,
        &["import", "enterprises", &f, "--db", &db, "--mode", "upsert"],
    );
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("新增 0 行，更新 1 行，未变 0 行。"), "{text}");
    assert!(
        text.contains(&format!(
            "第2行 更新：{}（{}）法定代表人：“{old}”→“赵六”",
            row[0], row[1]
        )),
        "{text}"
    );
    assert!(text.contains("写入 1 行"), "{text}");
    // The same file again: unchanged, nothing written.
    let o = anjian(
        &t.0,
        &["import", "enterprises", &f, "--db", &db, "--mode", "upsert"],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("新增 0 行，更新 0 行，未变 1 行。"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("写入 0 行"), "{}", out(&o));
}
