//! A ledger's spreadsheet: its Excel export with Chinese headers, and its import (each row
//! read with the same rules as the form; with any bad row nothing is written unless
//! `skip_invalid`).

use super::CampaignView;
use super::resolve::Resolver;
use super::rows::may_fill;
use crate::import::{
    Column, ImportOptions, ImportReport, ImportSource, RowErrors, TableShape, map_shape,
};
use crate::{App, AppError, Caller, Result};
use anjian_domain::campaign::{Data, FieldKind, ObjectType};
use anjian_store::campaigns::CampaignObjectFilter;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

/// The key of the 登记日期 column (not a field of the definition).
const RECORDED_ON: &str = "__recorded_on";

/// The columns built so far, by definition version and object type.
type Built = HashMap<(i64, String), &'static [Column]>;

/// A ledger's columns as the import maps them: one per field but files (uploaded on the
/// row's page), then 登记日期.
pub struct LedgerColumns;

/// A header for a field: its label, with its unit.
fn header(label: &str, unit: &str) -> String {
    if unit.is_empty() {
        label.to_string()
    } else {
        format!("{label}（{unit}）")
    }
}

impl LedgerColumns {
    /// The columns of `ot` under the definition version `definition_id`. The import's column
    /// mapping takes a static table: each version's columns are built once per process and
    /// kept (definitions are never changed once loaded, and a county loads a handful).
    pub fn of(definition_id: i64, ot: &ObjectType) -> &'static [Column] {
        static CACHE: OnceLock<Mutex<Built>> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        let mut map = match cache.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let key = (definition_id, ot.key.clone());
        if let Some(c) = map.get(&key) {
            return c;
        }
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let mut cols: Vec<Column> = Vec::new();
        for f in &ot.fields {
            if matches!(f.kind, FieldKind::Attachment) {
                continue;
            }
            let synonyms: &'static [&'static str] =
                Box::leak(vec![leak(f.label.clone())].into_boxed_slice());
            let mut c = Column::new(
                leak(f.key.clone()),
                leak(header(&f.label, f.unit())),
                synonyms,
            );
            if f.required {
                c = c.required();
            }
            cols.push(c);
        }
        cols.push(Column::new(RECORDED_ON, "登记日期", &["填报日期"]));
        let built: &'static [Column] = Box::leak(cols.into_boxed_slice());
        map.insert(key, built);
        built
    }
}

impl App {
    /// A ledger as Excel: the rows of the filter in the caller's scope, one column per field
    /// (in words: places and enterprises by name) and 登记日期, 填报版本.
    pub fn campaign_ledger(&self, caller: &Caller, f: &CampaignObjectFilter) -> Result<Vec<u8>> {
        let latest = self.campaign(caller, &f.campaign, None)?;
        let ot = latest
            .definition
            .object(&f.object_type)
            .ok_or(AppError::NotFound)?;
        let rows = anjian_store::paging::all_pages(|k| self.campaign_rows_page(caller, f, k))?;
        let fields: Vec<_> = ot.fields.iter().collect();
        let mut headers: Vec<String> = fields.iter().map(|x| header(&x.label, x.unit())).collect();
        headers.extend(["登记日期".to_string(), "填报版本".to_string()]);
        let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let widths: Vec<f64> = headers
            .iter()
            .map(|h| (h.chars().count() as f64 * 2.2).clamp(10.0, 30.0))
            .collect();
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let mut line: Vec<String> = fields
                    .iter()
                    .map(|x| {
                        r.fields
                            .iter()
                            .find(|t| t.key == x.key)
                            .map(|t| t.text.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                line.push(r.record.recorded_on.to_string());
                line.push(format!("第{}版", r.record.definition_version));
                line
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &ot.name,
            &header_refs,
            &widths,
            &table,
        )
    }

    /// An empty sheet with the ledger's import columns (a template to fill in).
    pub fn campaign_template(
        &self,
        caller: &Caller,
        campaign: &str,
        object: &str,
    ) -> Result<Vec<u8>> {
        let latest = self.campaign(caller, campaign, None)?;
        let ot = latest.definition.object(object).ok_or(AppError::NotFound)?;
        let cols = LedgerColumns::of(latest.record.id, ot);
        let headers: Vec<&str> = cols.iter().map(|c| c.label).collect();
        let widths = vec![16.0; headers.len()];
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &ot.name,
            &headers,
            &widths,
            &[],
        )
    }

    /// Imports rows of a ledger under the campaign's latest definition; every row is read
    /// like the form, each bad row reported by its row number; with any bad row nothing is
    /// written unless `skip_invalid`.
    ///
    /// The file is read twice and never kept: once for its shape (the header, and which
    /// columns have data), then row by row inside the write transaction, each valid row
    /// pushed to the store's multi-row INSERTs as it is read. After the first bad row
    /// (without `skip_invalid`) rows are only checked, for the report, and the transaction
    /// is rolled back. Memory does not grow with the file (beyond an upload's own bytes).
    pub fn import_campaign_rows(
        &self,
        caller: &Caller,
        campaign: &str,
        object: &str,
        source: &ImportSource,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        let view: CampaignView = self.campaign(caller, campaign, None)?;
        let ot = view.definition.object(object).ok_or(AppError::NotFound)?;
        if !may_fill(caller, ot) {
            return Err(AppError::Forbidden(format!("您不能填报“{}”台账", ot.name)));
        }
        let limits = self.import_limits()?;
        let user = caller.user.username.as_str();
        let mut shape = TableShape::default();
        self.scan_import(user, source, &limits, &mut shape)?;
        let map = map_shape(
            &shape,
            LedgerColumns::of(view.record.id, ot),
            opts.ignore_columns,
        )?;
        let total = map.total_of(&shape);
        drop(shape);
        let resolver = Resolver::new(self, caller, Vec::new())?;
        let keys: Vec<&str> = ot
            .fields
            .iter()
            .filter(|f| !matches!(f.kind, FieldKind::Attachment))
            .map(|f| f.key.as_str())
            .collect();
        let none = Data::new();
        let mut valid = 0usize;
        let mut bad = RowErrors::new(limits.max_errors);
        let written = self
            .store
            .import_campaign_objects_with(
                &caller.change(&caller.scope, self),
                &view.record.county_code,
                &view.record.code,
                view.record.id,
                |imp| -> Result<bool> {
                    let mut sink =
                        map.data_rows(|rownum, cells: Vec<String>, _numeric: &[usize]| {
                            let typed: BTreeMap<String, String> = keys
                                .iter()
                                .map(|k| (k.to_string(), map.get(&cells, k)))
                                .collect();
                            let day = map.get(&cells, RECORDED_ON);
                            let day = (!day.is_empty()).then_some(day);
                            match self.read_campaign_row(
                                &view,
                                ot,
                                &typed,
                                day.as_deref(),
                                &resolver,
                                &none,
                            )? {
                                Ok(row) => {
                                    valid += 1;
                                    if bad.is_empty() || opts.skip_invalid {
                                        imp.push(row)?;
                                    }
                                }
                                Err(errors) => bad.push(rownum, || row_messages(ot, &errors)),
                            }
                            Ok(())
                        });
                    self.scan_import(user, source, &limits, &mut sink)?;
                    Ok(bad.is_empty() || opts.skip_invalid)
                },
            )?
            .count();
        Ok(ImportReport {
            total,
            valid,
            invalid_count: bad.count(),
            invalid: bad.into_shown(),
            written,
            ignored_columns: map.ignored,
            changes: None,
        })
    }
}

/// A bad row's messages, each naming its field.
fn row_messages(ot: &ObjectType, errors: &anjian_domain::ValidationErrors) -> Vec<String> {
    errors
        .fields
        .iter()
        .flat_map(|(f, m)| {
            let label = if f == "recorded_on" {
                "登记日期".to_string()
            } else {
                ot.field(f)
                    .map(|x| x.label.clone())
                    .unwrap_or_else(|| f.clone())
            };
            m.iter().map(move |m| {
                if m.starts_with(label.as_str()) || m.contains(&label) {
                    m.clone()
                } else {
                    format!("{label}：{m}")
                }
            })
        })
        .collect()
}
