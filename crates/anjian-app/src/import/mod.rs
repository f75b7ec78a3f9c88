//! Imports from CSV and XLSX: the file is read within limits (rows, columns, cell size,
//! unzipped size), every header is mapped or reported, every row is validated first; each
//! bad row is reported with its row number and reasons (the first few, the rest counted);
//! nothing is written if any row is bad unless the caller asks to skip invalid rows.

mod regions;
pub use regions::*;
pub mod bombs;
mod columns;
mod enterprises;
mod files;
mod limits;
mod upsert;
mod xlsx;
pub use columns::*;
use enterprises::field_label;
pub use enterprises::*;
pub use files::*;
pub use limits::*;
pub use upsert::{ChangeReport, ChangedRow, FieldChange, ImportMode, NOT_IN_SCOPE};
use upsert::{Planned, Planner, write_planned};

use crate::{App, AppError, Result};
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A table read from a file: header names (the first non-empty row) and rows with their
/// 1-based row numbers as a spreadsheet shows them.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
    /// The row number of `headers`.
    pub header_row: usize,
    /// Cells stored as numbers in the spreadsheet, by (row number, column index): a code
    /// typed into a "General" cell has lost its leading zeros or its last digits.
    pub(crate) numeric: HashSet<(u32, u32)>,
}

impl Table {
    /// Whether the cell at (row number, column index) was a number in the spreadsheet.
    pub fn is_numeric(&self, row: usize, col: usize) -> bool {
        match (u32::try_from(row), u32::try_from(col)) {
            (Ok(r), Ok(c)) => self.numeric.contains(&(r, c)),
            _ => false,
        }
    }
}

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    pub errors: Vec<String>,
}

/// What the caller asked of an import beyond the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Write the valid rows even when some rows are bad.
    pub skip_invalid: bool,
    /// Go ahead although some non-empty columns are not recognised (they are not imported).
    pub ignore_columns: bool,
}

/// The outcome of an import. In JSON `invalid` is the number of bad rows; the messages of
/// the first of them are the report's [`ImportReport::lines`], sent once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub total: usize,
    pub valid: usize,
    #[serde(rename = "invalid")]
    pub invalid_count: usize,
    /// The first bad rows (up to the `import_max_errors` setting).
    #[serde(skip)]
    pub invalid: Vec<RowError>,
    pub written: usize,
    /// Columns of the file that were not imported (unrecognised and confirmed, or known
    /// to carry nothing to import such as 序号).
    pub ignored_columns: Vec<String>,
    /// An enterprise import's rows created, updated (with the fields changed) and
    /// unchanged, once written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<ChangeReport>,
}

impl ImportReport {
    /// The outcome of a validated import: with any bad row nothing is written unless
    /// `skip_invalid`; otherwise `write` stores the valid rows (all at once) and says how
    /// many it wrote.
    pub(crate) fn finish<T>(
        total: usize,
        ok: Vec<T>,
        invalid: RowErrors,
        map: &Mapping,
        skip_invalid: bool,
        write: impl FnOnce(Vec<T>) -> Result<usize>,
    ) -> Result<Self> {
        let mut report = ImportReport {
            total,
            valid: ok.len(),
            invalid_count: invalid.count(),
            invalid: invalid.into_shown(),
            written: 0,
            ignored_columns: map.ignored.clone(),
            changes: None,
        };
        if report.invalid_count == 0 || skip_invalid {
            report.written = write(ok)?;
        }
        Ok(report)
    }

    /// The human-readable report: one line per bad row shown, then how many more there are.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .invalid
            .iter()
            .map(|e| format!("第{}行：{}", e.row, e.errors.join("；")))
            .collect();
        let more = self.invalid_count.saturating_sub(self.invalid.len());
        if more > 0 {
            out.push(format!("……另有 {more} 行存在错误"));
        }
        out
    }
}

pub(crate) fn row_error(row: usize, e: &ValidationErrors) -> RowError {
    RowError {
        row,
        errors: e
            .fields
            .iter()
            .flat_map(|(f, m)| m.iter().map(move |m| format!("{}：{m}", field_label(f))))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
