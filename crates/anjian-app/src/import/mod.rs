//! Imports from CSV and XLSX: every row is validated first; each bad row is
//! reported with its row number and reasons; nothing is written if any row is
//! bad unless the caller asks to skip invalid rows.

mod regions;
pub use regions::*;
mod enterprises;
mod files;
use enterprises::field_label;
pub use enterprises::*;
pub use files::*;

use crate::{App, AppError, Result};
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A table read from a file: header names and rows with their 1-based row numbers
/// as a spreadsheet shows them (the header is row 1).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    pub(crate) fn col(&self, names: &[&str]) -> Option<usize> {
        self.headers.iter().position(|h| {
            let h = h
                .trim()
                .trim_start_matches('\u{feff}')
                .trim_end_matches('*');
            names.iter().any(|n| h.eq_ignore_ascii_case(n))
        })
    }
}

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    pub errors: Vec<String>,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub total: usize,
    pub valid: usize,
    pub invalid: Vec<RowError>,
    pub written: usize,
}

impl ImportReport {
    /// The outcome of a validated import: with any bad row nothing is written unless
    /// `skip_invalid`; otherwise `write` stores the valid rows (all at once) and says how
    /// many it wrote.
    pub(crate) fn finish<T>(
        total: usize,
        ok: Vec<T>,
        invalid: Vec<RowError>,
        skip_invalid: bool,
        write: impl FnOnce(Vec<T>) -> Result<usize>,
    ) -> Result<Self> {
        let mut report = ImportReport {
            total,
            valid: ok.len(),
            invalid,
            written: 0,
        };
        if report.invalid.is_empty() || skip_invalid {
            report.written = write(ok)?;
        }
        Ok(report)
    }

    /// The human-readable report: one line per bad row.
    pub fn lines(&self) -> Vec<String> {
        self.invalid
            .iter()
            .map(|e| format!("第{}行：{}", e.row, e.errors.join("；")))
            .collect()
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
