//! Reading a table from a CSV or XLSX file, within the import limits: each cell and each
//! row is checked as it is read, so a file past a limit is refused without being kept.
//! The rows are handed one at a time to a sink ([`ImportSource::scan`]): a [`Table`] keeps
//! them all, a streaming import keeps none and reads the file again to write.

use super::*;
use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

/// Where an import's file is: bytes already in memory (an upload) or a file on disk (the
/// command line). Either can be read as many times as an import needs, each time from
/// the start, without the rows being kept.
#[derive(Debug, Clone)]
pub enum ImportSource {
    Bytes { ext: String, bytes: Arc<[u8]> },
    File { ext: String, path: PathBuf },
}

impl ImportSource {
    pub fn bytes(ext: &str, bytes: impl Into<Arc<[u8]>>) -> Self {
        ImportSource::Bytes {
            ext: ext.to_ascii_lowercase(),
            bytes: bytes.into(),
        }
    }

    pub fn file(path: &Path) -> Self {
        ImportSource::File {
            ext: extension_of(path),
            path: path.to_path_buf(),
        }
    }

    pub fn ext(&self) -> &str {
        match self {
            ImportSource::Bytes { ext, .. } | ImportSource::File { ext, .. } => ext,
        }
    }

    /// The file's size in bytes.
    pub fn len(&self) -> Result<u64> {
        match self {
            ImportSource::Bytes { bytes, .. } => Ok(bytes.len() as u64),
            ImportSource::File { path, .. } => Ok(std::fs::metadata(path)
                .map_err(|e| unreadable_file(path, e))?
                .len()),
        }
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Reads the file from the start, within `limits`, handing each non-empty row to `sink`:
    /// its 1-based row number, its cells (trimmed; padded to the header's width) and the
    /// columns whose cells were numbers in the spreadsheet. The first row handed is the
    /// header. Nothing of a row is kept once the sink has it.
    pub fn scan(&self, limits: &ImportLimits, sink: &mut dyn RowSink) -> Result<()> {
        let ext = self.ext();
        match ext {
            "csv" | "txt" | "xlsx" | "xlsm" => {}
            "xls" => {
                return Err(Refusal::unreadable(
                    "import_unsupported_type",
                    "不支持 Excel 97-2003 格式（.xls），请在 Excel 中另存为 .xlsx 后重新导入",
                ));
            }
            other => {
                return Err(Refusal::unreadable(
                    "import_unsupported_type",
                    format!("不支持的文件类型“{other}”，请使用 CSV 或 XLSX"),
                ));
            }
        }
        let csv = matches!(ext, "csv" | "txt");
        if csv && self.len()? > limits.max_unzipped_bytes {
            return Err(Refusal::too_large(
                "import_file_too_large",
                MAX_UNZIPPED_MB_SETTING,
                format!(
                    "文件大小超过 {} MB 上限（设置 {MAX_UNZIPPED_MB_SETTING}）",
                    limits.max_unzipped_bytes >> 20
                ),
            ));
        }
        let mut b = RowBuilder::new(limits, sink);
        match self {
            ImportSource::Bytes { bytes, .. } => {
                let r = std::io::Cursor::new(&bytes[..]);
                if csv {
                    scan_csv(r, &mut b)
                } else {
                    super::xlsx::scan_xlsx(r, limits, &mut b)
                }
            }
            ImportSource::File { path, .. } => {
                let f = std::fs::File::open(path).map_err(|e| unreadable_file(path, e))?;
                let r = std::io::BufReader::with_capacity(64 * 1024, f);
                if csv {
                    scan_csv(r, &mut b)
                } else {
                    super::xlsx::scan_xlsx(r, limits, &mut b)
                }
            }
        }
    }

    /// Reads the whole file as a [`Table`] (every row kept).
    pub fn table(&self, limits: &ImportLimits) -> Result<Table> {
        let mut t = TableSink::default();
        self.scan(limits, &mut t)?;
        Ok(t.table)
    }
}

fn unreadable_file(path: &Path, e: std::io::Error) -> AppError {
    AppError::BadRequest(format!("无法读取文件 {}：{e}", path.display()))
}

/// Where scanned rows go.
pub trait RowSink {
    /// One non-empty row: the first is the header.
    fn row(&mut self, row: usize, cells: Vec<String>, numeric: &[usize]) -> Result<()>;
}

impl<F: FnMut(usize, Vec<String>, &[usize]) -> Result<()>> RowSink for F {
    fn row(&mut self, row: usize, cells: Vec<String>, numeric: &[usize]) -> Result<()> {
        self(row, cells, numeric)
    }
}

/// Keeps every row: a [`Table`].
#[derive(Default)]
struct TableSink {
    table: Table,
    header: bool,
}

impl RowSink for TableSink {
    fn row(&mut self, row: usize, cells: Vec<String>, numeric: &[usize]) -> Result<()> {
        if !self.header {
            self.header = true;
            self.table.header_row = row;
            self.table.headers = cells;
            return Ok(());
        }
        for c in numeric {
            self.table.numeric.insert((row as u32, *c as u32));
        }
        self.table.rows.push((row, cells));
        Ok(())
    }
}

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
    ImportSource::bytes(ext, bytes).table(limits)
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

/// Checks each row against the limits and hands it on, refusing at the first limit passed.
pub(super) struct RowBuilder<'l> {
    limits: &'l ImportLimits,
    sink: &'l mut dyn RowSink,
    /// The header's width, once the header has been handed on.
    header: Option<usize>,
    rows: usize,
}

impl<'l> RowBuilder<'l> {
    pub(super) fn new(limits: &'l ImportLimits, sink: &'l mut dyn RowSink) -> Self {
        Self {
            limits,
            sink,
            header: None,
            rows: 0,
        }
    }

    /// The header's width (0 before the header).
    pub(super) fn width(&self) -> usize {
        self.header.unwrap_or(0)
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
        let Some(width) = self.header else {
            self.header = Some(cells.len());
            return self.sink.row(row, cells, numeric);
        };
        if self.rows >= self.limits.max_rows {
            return Err(Refusal::too_large(
                "import_too_many_rows",
                MAX_ROWS_SETTING,
                format!(
                    "文件的数据超过 {} 行的上限（设置 {MAX_ROWS_SETTING}），请分批导入",
                    self.limits.max_rows
                ),
            ));
        }
        self.rows += 1;
        if cells.len() < width {
            cells.resize(width, String::new());
        }
        self.sink.row(row, cells, numeric)
    }
}

/// A reader that notes where its line breaks are, so a CSV record's row number can be
/// told from its byte offset: only the breaks read ahead of the parser are kept.
struct LineCounter<R> {
    inner: R,
    offset: u64,
    /// Offsets of `\n` (true) and `\r` (false) read but not yet passed.
    breaks: VecDeque<(u64, bool)>,
    lines_passed: usize,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf.iter().take(n).enumerate() {
            if *b == b'\n' || *b == b'\r' {
                self.breaks.push_back((self.offset + i as u64, *b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// The row number (as a spreadsheet shows it) of the record starting at `byte`: the
/// breaks before it, and those it starts on (the csv reader skips blank lines without
/// counting them), are passed.
fn line_of(counter: &mut LineCounter<impl Read>, byte: u64) -> usize {
    let mut at = byte;
    while let Some(&(o, lf)) = counter.breaks.front() {
        if o < at {
            counter.breaks.pop_front();
            counter.lines_passed += usize::from(lf);
        } else if o == at {
            counter.breaks.pop_front();
            counter.lines_passed += usize::from(lf);
            at += 1;
        } else {
            break;
        }
    }
    counter.lines_passed + 1
}

fn scan_csv(reader: impl Read, b: &mut RowBuilder<'_>) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter {
            inner: reader,
            offset: 0,
            breaks: VecDeque::new(),
            lines_passed: 0,
        });
    let mut rec = csv::StringRecord::new();
    let mut i = 0usize;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                return Err(Refusal::unreadable(
                    "import_not_utf8",
                    "CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”后重试",
                ));
            }
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
        let line = match rec.position().map(|p| p.byte()) {
            Some(byte) => line_of(rdr.get_mut(), byte),
            None => i,
        };
        let cell = |c: usize| -> &str {
            let s = rec.get(c).unwrap_or_default();
            let s = if i == 1 && c == 0 {
                s.trim_start_matches('\u{feff}')
            } else {
                s
            };
            s.trim()
        };
        let Some(last) = (0..rec.len()).rev().find(|c| !cell(*c).is_empty()) else {
            continue;
        };
        for c in 0..=last {
            let s = cell(c);
            if !s.is_empty() {
                b.check_cell(line, c, s)?;
            }
        }
        // Trailing empty cells are kept up to the header's width (a row reads as wide as
        // the table), never beyond it.
        let width = (last + 1).max(b.width()).min(rec.len());
        let cells: Vec<String> = (0..width).map(|c| cell(c).to_string()).collect();
        b.push(line, cells, &[])?;
    }
    Ok(())
}
