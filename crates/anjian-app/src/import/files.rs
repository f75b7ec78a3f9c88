//! Reading a table from a CSV or XLSX file, within the import limits: each cell and each
//! row is checked as it is read, so a file past a limit is refused without being kept.

use super::*;

/// Reads with the default limits (tests, and exports read back).
pub fn read_table_bytes(ext: &str, bytes: &[u8]) -> Result<Table> {
    read_table_limited(ext, bytes, &ImportLimits::default())
}

/// Reads a ledger written by [`crate::export::render`] back as its records: the title row
/// and the 序号 column of an XLSX ledger are dropped, so `headers` is the ledger's header and
/// each row holds the record's cells in the same order (a CSV ledger has neither).
pub fn read_ledger_bytes(ext: &str, bytes: &[u8]) -> Result<Table> {
    let mut t = read_table_bytes(ext, bytes)?;
    let titled = t.headers.iter().filter(|h| !h.is_empty()).count() == 1
        && t.rows
            .first()
            .is_some_and(|(_, r)| r.first().is_some_and(|c| c == "序号"));
    if titled {
        let (row, mut header) = t.rows.remove(0);
        header.remove(0);
        t.headers = header;
        t.header_row = row;
        for (_, r) in &mut t.rows {
            if !r.is_empty() {
                r.remove(0);
            }
        }
    }
    Ok(t)
}

/// Reads `.csv` (UTF-8, with or without BOM) or `.xlsx` (first sheet) within `limits`.
pub fn read_table_limited(ext: &str, bytes: &[u8], limits: &ImportLimits) -> Result<Table> {
    match ext {
        "csv" | "txt" => read_csv(bytes, limits),
        "xlsx" | "xlsm" => super::xlsx::read_xlsx(bytes, limits),
        "xls" => Err(Refusal::unreadable(
            "import_unsupported_type",
            "不支持 Excel 97-2003 格式（.xls），请在 Excel 中另存为 .xlsx 后重新导入",
        )),
        other => Err(Refusal::unreadable(
            "import_unsupported_type",
            format!("不支持的文件类型“{other}”，请使用 CSV 或 XLSX"),
        )),
    }
}

/// The spreadsheet name of a 0-based column: A … Z, AA …
pub fn column_letter(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (c % 26) as u8));
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Builds a table row by row, refusing at the first limit passed.
pub(super) struct RowBuilder<'l> {
    limits: &'l ImportLimits,
    table: Table,
    header: bool,
}

impl<'l> RowBuilder<'l> {
    pub(super) fn new(limits: &'l ImportLimits) -> Self {
        Self {
            limits,
            table: Table::default(),
            header: false,
        }
    }

    /// A non-empty cell: within the columns and its size.
    pub(super) fn check_cell(&self, row: usize, col: usize, text: &str) -> Result<()> {
        if col >= self.limits.max_columns {
            return Err(Refusal::too_large(
                "import_too_many_columns",
                MAX_COLUMNS_SETTING,
                format!(
                    "第{row}行{}列有内容，超出 {} 列的上限（设置 {MAX_COLUMNS_SETTING}）",
                    column_letter(col),
                    self.limits.max_columns
                ),
            ));
        }
        let max = self.limits.max_cell_chars;
        if text.len() > max && text.chars().count() > max {
            return Err(Refusal::too_large(
                "import_cell_too_large",
                MAX_CELL_CHARS_SETTING,
                format!(
                    "第{row}行{}列的内容超过单元格 {max} 个字的上限（设置 {MAX_CELL_CHARS_SETTING}）",
                    column_letter(col)
                ),
            ));
        }
        Ok(())
    }

    /// A row with at least one non-empty cell (checked by `check_cell`); the first is the
    /// header. `numeric` lists the columns whose cells were numbers.
    pub(super) fn push(
        &mut self,
        row: usize,
        mut cells: Vec<String>,
        numeric: &[usize],
    ) -> Result<()> {
        if !self.header {
            self.header = true;
            self.table.header_row = row;
            self.table.headers = cells;
            return Ok(());
        }
        if self.table.rows.len() >= self.limits.max_rows {
            return Err(Refusal::too_large(
                "import_too_many_rows",
                MAX_ROWS_SETTING,
                format!(
                    "文件的数据超过 {} 行的上限（设置 {MAX_ROWS_SETTING}），请分批导入",
                    self.limits.max_rows
                ),
            ));
        }
        if cells.len() < self.table.headers.len() {
            cells.resize(self.table.headers.len(), String::new());
        }
        for c in numeric {
            self.table.numeric.insert((row as u32, *c as u32));
        }
        self.table.rows.push((row, cells));
        Ok(())
    }

    pub(super) fn finish(self) -> Table {
        self.table
    }
}

fn read_csv(bytes: &[u8], limits: &ImportLimits) -> Result<Table> {
    if bytes.len() as u64 > limits.max_unzipped_bytes {
        return Err(Refusal::too_large(
            "import_file_too_large",
            MAX_UNZIPPED_MB_SETTING,
            format!(
                "文件大小超过 {} MB 上限（设置 {MAX_UNZIPPED_MB_SETTING}）",
                limits.max_unzipped_bytes >> 20
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Refusal::unreadable(
            "import_not_utf8",
            "CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”后重试",
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut b = RowBuilder::new(limits);
    // Newlines are counted incrementally from the previous record (linear in the file).
    let (mut seen_at, mut seen_lines) = (0usize, 1usize);
    let mut rec = csv::StringRecord::new();
    let mut i = 0usize;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(Refusal::unreadable(
                    "import_unreadable",
                    format!(
                        "CSV 第{}行无法解析：{e}",
                        e.position().map(|p| p.line() as usize).unwrap_or(i + 1)
                    ),
                ));
            }
        }
        i += 1;
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
                    None => i,
                }
            })
            .unwrap_or(i);
        let Some(last) = (0..rec.len())
            .rev()
            .find(|i| rec.get(*i).is_some_and(|s| !s.trim().is_empty()))
        else {
            continue;
        };
        for (c, s) in rec.iter().enumerate().take(last + 1) {
            let s = s.trim();
            if !s.is_empty() {
                b.check_cell(line, c, s)?;
            }
        }
        // Trailing empty cells are kept up to the header's width (a row reads as wide as
        // the table), never beyond it.
        let width = (last + 1).max(b.table.headers.len()).min(rec.len());
        let cells: Vec<String> = rec
            .iter()
            .take(width)
            .map(|s| s.trim().to_string())
            .collect();
        b.push(line, cells, &[])?;
    }
    Ok(b.finish())
}
