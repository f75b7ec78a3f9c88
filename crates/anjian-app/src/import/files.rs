//! Reading a table from a CSV or XLSX file.

use super::*;

/// Reads `.csv` (UTF-8, with or without BOM) or `.xlsx`/`.xls` (first sheet).
pub fn read_table(path: &Path) -> Result<Table> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let bytes = std::fs::read(path)
        .map_err(|e| AppError::BadRequest(format!("无法读取文件 {}：{e}", path.display())))?;
    read_table_bytes(&ext, &bytes)
}

pub fn read_table_bytes(ext: &str, bytes: &[u8]) -> Result<Table> {
    match ext {
        "csv" | "txt" => read_csv(bytes),
        "xlsx" | "xlsm" | "xls" => read_xlsx(bytes),
        other => Err(AppError::BadRequest(format!(
            "不支持的文件类型“{other}”，请使用 CSV 或 XLSX"
        ))),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::BadRequest("CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”后重试".into())
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| AppError::BadRequest(format!("CSV 表头无法解析：{e}")))?
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    // Newlines are counted incrementally from the previous record (linear in the file).
    let (mut seen_at, mut seen_lines) = (0usize, 1usize);
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            AppError::BadRequest(format!(
                "CSV 第{}行无法解析：{e}",
                e.position().map(|p| p.line() as usize).unwrap_or(i + 2)
            ))
        })?;
        // Line numbers from the byte offset: the csv reader skips blank lines without counting them.
        let line = rec
            .position()
            .map(|p| {
                let bytes = text.as_bytes();
                let mut at = p.byte() as usize;
                while bytes.get(at).is_some_and(|c| *c == b'\n' || *c == b'\r') {
                    at += 1;
                }
                match bytes.get(seen_at.min(at)..at) {
                    Some(b) => {
                        seen_lines += b.iter().filter(|c| **c == b'\n').count();
                        seen_at = at;
                        seen_lines
                    }
                    None => i + 2,
                }
            })
            .unwrap_or(i + 2);
        let cells: Vec<String> = rec.iter().map(|s| s.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push((line, cells));
    }
    Ok(Table { headers, rows })
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Data::DateTime(d) => {
            let serial = d.as_f64();
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| {
                    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
                })
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(e) => format!("#ERR {e:?}"),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    use calamine::Reader;
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut wb = calamine::open_workbook_auto_from_rs(cursor)
        .map_err(|e| AppError::BadRequest(format!("无法打开 Excel 文件：{e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::BadRequest("Excel 文件中没有工作表".into()))?
        .map_err(|e| AppError::BadRequest(format!("无法读取工作表：{e}")))?;
    let mut it = range.rows();
    let headers = it
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    let start = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut rows = Vec::new();
    for (i, r) in it.enumerate() {
        let cells: Vec<String> = r.iter().map(cell_text).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push((start + i + 2, cells));
    }
    Ok(Table { headers, rows })
}
