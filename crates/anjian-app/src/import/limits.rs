//! What an import file may hold: rows, columns, cell size, unzipped size and how many bad
//! rows are reported; and the refusal of a file as a whole, with a stable code.

use super::*;

/// Settings keys of the import limits (editable by an administrator, see
/// [`crate::organisation::EDITABLE_SETTINGS`]).
pub const MAX_ROWS_SETTING: &str = "import_max_rows";
pub const MAX_COLUMNS_SETTING: &str = "import_max_columns";
pub const MAX_CELL_CHARS_SETTING: &str = "import_max_cell_chars";
pub const MAX_UNZIPPED_MB_SETTING: &str = "import_max_unzipped_mb";
pub const MAX_ERRORS_SETTING: &str = "import_max_errors";

/// The allowed values of each limit setting, the default first.
pub const LIMIT_SETTINGS: [(&str, &[&str]); 5] = [
    (
        MAX_ROWS_SETTING,
        &["50000", "10000", "20000", "100000", "200000"],
    ),
    (MAX_COLUMNS_SETTING, &["64", "32", "128", "256"]),
    (
        MAX_CELL_CHARS_SETTING,
        &["2000", "500", "1000", "5000", "10000"],
    ),
    (MAX_UNZIPPED_MB_SETTING, &["64", "32", "128", "256"]),
    (
        MAX_ERRORS_SETTING,
        &["100", "20", "50", "200", "500", "1000"],
    ),
];

/// Limits checked while a file is read, before anything is kept beyond them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Data rows (non-empty rows below the header).
    pub max_rows: usize,
    /// Columns: a non-empty cell right of this many columns refuses the file.
    pub max_columns: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// Bytes of an .xlsx once inflated (every part together), and of a CSV.
    pub max_unzipped_bytes: u64,
    /// Bad rows reported one by one; the rest are counted.
    pub max_errors: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_rows: 50_000,
            max_columns: 64,
            max_cell_chars: 2_000,
            max_unzipped_bytes: 64 * 1024 * 1024,
            max_errors: 100,
        }
    }
}

/// What kind of refusal: too large (413), not a readable table (400), or columns that do
/// not match the import (422).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    TooLarge,
    Unreadable,
    Columns,
}

/// A file refused as a whole: a stable code, a Chinese message, the limit hit (for the log),
/// and the columns concerned (unrecognised columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub kind: RefusalKind,
    pub message: String,
    pub limit: Option<&'static str>,
    pub columns: Vec<String>,
}

impl Refusal {
    pub(crate) fn too_large(code: &'static str, limit: &'static str, message: String) -> AppError {
        AppError::ImportRefused(Refusal {
            code,
            kind: RefusalKind::TooLarge,
            message,
            limit: Some(limit),
            columns: Vec::new(),
        })
    }

    pub(crate) fn unreadable(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::ImportRefused(Refusal {
            code,
            kind: RefusalKind::Unreadable,
            message: message.into(),
            limit: None,
            columns: Vec::new(),
        })
    }

    pub(crate) fn columns(code: &'static str, message: String, columns: Vec<String>) -> AppError {
        AppError::ImportRefused(Refusal {
            code,
            kind: RefusalKind::Columns,
            message,
            limit: None,
            columns,
        })
    }
}

impl App {
    /// The import limits in force (settings, or the defaults).
    pub fn import_limits(&self) -> Result<ImportLimits> {
        let d = ImportLimits::default();
        let get = |key: &str, default: u64| -> Result<u64> {
            Ok(self
                .store
                .setting(key)?
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|v| *v > 0)
                .unwrap_or(default))
        };
        let size = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        Ok(ImportLimits {
            max_rows: size(get(MAX_ROWS_SETTING, d.max_rows as u64)?),
            max_columns: size(get(MAX_COLUMNS_SETTING, d.max_columns as u64)?),
            max_cell_chars: size(get(MAX_CELL_CHARS_SETTING, d.max_cell_chars as u64)?),
            max_unzipped_bytes: get(MAX_UNZIPPED_MB_SETTING, d.max_unzipped_bytes >> 20)?
                .saturating_mul(1024 * 1024),
            max_errors: size(get(MAX_ERRORS_SETTING, d.max_errors as u64)?),
        })
    }

    /// Reads an uploaded table within the limits in force. A refusal because of a limit is
    /// logged as a warning naming the user and the limit.
    pub fn read_import_table(&self, user: &str, ext: &str, bytes: &[u8]) -> Result<Table> {
        self.import_table(user, &ImportSource::bytes(ext, bytes))
    }

    /// Reads a table from a file on disk (CLI) within the limits in force: a file larger
    /// than the unzipped limit is refused without being read.
    pub fn read_import_file(&self, user: &str, path: &Path) -> Result<Table> {
        self.import_table(user, &ImportSource::file(path))
    }

    /// Reads the whole table of an import's file within the limits in force.
    pub fn import_table(&self, user: &str, source: &ImportSource) -> Result<Table> {
        let limits = self.import_limits()?;
        let r = source.table(&limits);
        self.log_refusal(user, source, &r);
        r
    }

    /// Reads an import's file within the limits in force, handing each row to `sink`
    /// (nothing kept): see [`ImportSource::scan`].
    pub fn scan_import(
        &self,
        user: &str,
        source: &ImportSource,
        limits: &ImportLimits,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let r = source.scan(limits, sink);
        self.log_refusal(user, source, &r);
        r
    }

    /// A file refused as a whole is counted; one refused for a limit is logged as a
    /// warning naming the user and the limit.
    fn log_refusal<T>(&self, user: &str, source: &ImportSource, r: &Result<T>) {
        let Err(AppError::ImportRefused(refusal)) = r else {
            return;
        };
        self.telemetry.import_refused(refusal.code);
        if let Some(limit) = refusal.limit {
            tracing::warn!(
                user,
                limit,
                code = refusal.code,
                bytes = source.len().unwrap_or(0),
                "import refused: {}",
                refusal.message
            );
        }
    }
}

/// The lower-case extension of a path (`csv`, `xlsx` …).
pub fn extension_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Bad rows, the first `max` of them kept with their messages and the rest only counted, so
/// a file of junk costs no more memory or answer than a file with `max` bad rows.
#[derive(Debug, Clone, Default)]
pub struct RowErrors {
    max: usize,
    shown: Vec<RowError>,
    count: usize,
}

impl RowErrors {
    pub fn new(max: usize) -> Self {
        Self {
            max,
            shown: Vec::new(),
            count: 0,
        }
    }

    /// Counts a bad row; its messages are built only while under the limit.
    pub fn push(&mut self, row: usize, errors: impl FnOnce() -> Vec<String>) {
        self.count += 1;
        if self.shown.len() < self.max {
            self.shown.push(RowError {
                row,
                errors: errors(),
            });
        }
    }

    pub fn count(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn into_shown(self) -> Vec<RowError> {
        self.shown
    }
}
