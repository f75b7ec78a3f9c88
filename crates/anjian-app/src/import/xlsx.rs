//! Reading the first sheet of an .xlsx within the limits: the zip is measured before the
//! spreadsheet reader opens it (declared sizes first, then inflated into nothing with a
//! cap, so a zip bomb is refused before it is inflated into memory), then the sheet is
//! read cell by cell, never as a dense range.

use super::files::RowBuilder;
use super::*;
use std::io::{Read, Seek, SeekFrom};

/// Shared strings allowed per data row allowed (the reader keeps them all in memory).
const SHARED_STRINGS_PER_ROW: usize = 20;

pub(super) fn scan_xlsx<R: Read + Seek>(
    mut reader: R,
    limits: &ImportLimits,
    b: &mut RowBuilder<'_>,
) -> Result<()> {
    measure_zip(&mut reader, limits)?;
    reader.seek(SeekFrom::Start(0)).map_err(|e| {
        Refusal::unreadable("import_unreadable", format!("无法读取 Excel 文件：{e}"))
    })?;
    use calamine::Reader;
    let unreadable = |e: calamine::XlsxError| {
        Refusal::unreadable("import_unreadable", format!("无法读取 Excel 文件：{e}"))
    };
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(reader).map_err(unreadable)?;
    let Some(name) = wb.sheet_names().first().cloned() else {
        return Err(Refusal::unreadable(
            "import_unreadable",
            "Excel 文件中没有工作表",
        ));
    };
    let mut cells = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut row: Vec<String> = Vec::new();
    let mut numeric: Vec<usize> = Vec::new();
    let mut at: Option<usize> = None;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize + 1, c as usize);
        let (text, is_number) = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if at != Some(r) {
            if let Some(prev) = at {
                b.push(prev, std::mem::take(&mut row), &numeric)?;
                numeric.clear();
            }
            at = Some(r);
        }
        b.check_cell(r, c, &text)?;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        if let Some(slot) = row.get_mut(c) {
            *slot = text;
        }
        if is_number {
            numeric.push(c);
        }
    }
    if let Some(prev) = at {
        b.push(prev, row, &numeric)?;
    }
    Ok(())
}

/// The text of a cell, and whether the spreadsheet stored it as a number.
fn cell_text(c: &calamine::DataRef<'_>) -> (String, bool) {
    use calamine::DataRef;
    match c {
        DataRef::Empty => (String::new(), false),
        DataRef::String(s) => (s.trim().to_string(), false),
        DataRef::SharedString(s) => (s.trim().to_string(), false),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (format!("{}", *f as i64), true),
        DataRef::Float(f) => (f.to_string(), true),
        DataRef::Int(i) => (i.to_string(), true),
        DataRef::Bool(b) => ((if *b { "是" } else { "否" }).to_string(), false),
        DataRef::DateTime(d) => {
            let serial = d.as_f64();
            let text = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| {
                    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
                })
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            (text, false)
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.chars().take(10).collect(), false),
        DataRef::Error(e) => (format!("#ERR {e:?}"), false),
    }
}

/// Measures the zip before anything reads it: the sizes its directory declares, then every
/// part inflated into nothing with a cap (a directory can lie), counting shared strings.
fn measure_zip<R: Read + Seek>(reader: &mut R, limits: &ImportLimits) -> Result<()> {
    let max = limits.max_unzipped_bytes;
    let too_large = || {
        Refusal::too_large(
            "import_unzipped_too_large",
            MAX_UNZIPPED_MB_SETTING,
            format!(
                "Excel 文件解压后超过 {} MB 上限（设置 {MAX_UNZIPPED_MB_SETTING}），请分批导入",
                max >> 20
            ),
        )
    };
    let mut zip = zip::ZipArchive::new(reader).map_err(|_| {
        Refusal::unreadable(
            "import_unreadable",
            "无法读取 Excel 文件：不是有效的 .xlsx 文件",
        )
    })?;
    if zip.len() > 10_000 {
        return Err(too_large());
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|_| {
            Refusal::unreadable("import_unreadable", "无法读取 Excel 文件：压缩包已损坏")
        })?;
        declared = declared.saturating_add(f.size());
    }
    if declared > max {
        return Err(too_large());
    }
    let max_strings = limits.max_rows.saturating_mul(SHARED_STRINGS_PER_ROW);
    let mut inflated: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|_| {
            Refusal::unreadable("import_unreadable", "无法读取 Excel 文件：压缩包已损坏")
        })?;
        let strings = f.name().ends_with("sharedStrings.xml");
        let mut count = 0usize;
        let mut tail = [0u8; 2];
        loop {
            let n = match f.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => {
                    return Err(Refusal::unreadable(
                        "import_unreadable",
                        "无法读取 Excel 文件：压缩内容已损坏",
                    ));
                }
            };
            inflated = inflated.saturating_add(n as u64);
            if inflated > max {
                return Err(too_large());
            }
            if strings {
                let chunk = buf.get(..n).unwrap_or_default();
                count += count_string_ends(&tail, chunk);
                if count > max_strings.saturating_mul(2) {
                    return Err(Refusal::too_large(
                        "import_too_many_rows",
                        MAX_ROWS_SETTING,
                        format!(
                            "Excel 文件中的文字单元格过多，超出 {} 行数据的上限（设置 {MAX_ROWS_SETTING}），请分批导入",
                            limits.max_rows
                        ),
                    ));
                }
                tail = match chunk {
                    [.., a, b] => [*a, *b],
                    [b] => [tail[1], *b],
                    [] => tail,
                };
            }
        }
    }
    Ok(())
}

/// Counts `si>` preceded by `/` or `:` (the end of each shared string, `</si>` or
/// `</x:si>`, and the start of a prefixed one: at most twice per string), across chunks.
fn count_string_ends(tail: &[u8; 2], chunk: &[u8]) -> usize {
    let mut joined = Vec::with_capacity(chunk.len().min(8) + 2);
    joined.extend_from_slice(tail);
    joined.extend_from_slice(chunk.get(..chunk.len().min(3)).unwrap_or_default());
    let edge = joined
        .windows(4)
        .take(2)
        .filter(|w| w[1..] == *b"si>" && (w[0] == b'/' || w[0] == b':'))
        .count();
    edge + chunk
        .windows(4)
        .filter(|w| w[1..] == *b"si>" && (w[0] == b'/' || w[0] == b':'))
        .count()
}
