//! The hazard import: a spreadsheet of hazards validated row by row before anything is written.

use super::register::HazardLookups;
use super::*;
use crate::import::{
    Code, Column, ImportLimits, ImportOptions, ImportReport, ImportSource, Mapping, RowErrors,
    Table, TableShape, map_columns, map_shape, with_code_errors,
};

/// The columns a hazard import reads (Chinese headers; the codes work too), with the other
/// headers accepted for each. Levels, sources and sectors may be given by code or by their
/// Chinese names; the enterprise by its USCC.
pub static HAZARD_IMPORT: [Column; 14] = [
    Column::new(
        "region_code",
        "所在区划代码",
        &["区划代码", "所属区划代码", "行政区划代码"],
    )
    .required()
    .code(Code::Region),
    Column::new("sector", "行业领域", &["行业"]).required(),
    Column::new("level", "隐患等级", &["等级"]).required(),
    Column::new("source", "隐患来源", &["来源"]).required(),
    Column::new(
        "description",
        "隐患描述",
        &["隐患内容", "隐患情况", "存在问题", "问题描述"],
    )
    .required(),
    Column::new(
        "found_on",
        "发现日期",
        &["检查日期", "排查日期", "发现时间"],
    )
    .required(),
    Column::new("deadline", "整改期限", &["整改时限", "整改期限日期"]),
    Column::new(
        "uscc",
        "企业统一社会信用代码",
        &["统一社会信用代码", "社会信用代码", "信用代码"],
    )
    .code(Code::Uscc),
    Column::new("location", "隐患部位", &["部位", "隐患位置"]),
    Column::new("responsible_unit", "整改责任单位", &["责任单位"]),
    Column::new("responsible_person", "整改责任人", &["责任人"]),
    Column::new("measures", "整改措施", &["措施"]),
    Column::new(
        "funds_planned",
        "整改资金（元）",
        &["整改资金", "资金（元）"],
    ),
    Column::new("campaign", "专项行动", &[]),
];

pub(super) fn label_of(k: &str) -> &str {
    HAZARD_IMPORT
        .iter()
        .find(|c| c.key == k)
        .map(|c| c.label)
        .unwrap_or(k)
}

/// Valid rows handed from the reading thread to the writing one at a time.
const CHUNK: usize = 256;
/// Chunks the reading thread may be ahead of the writes.
const CHUNKS_AHEAD: usize = 4;

/// What the reading thread answered.
fn join<T>(h: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    h.join().unwrap_or_else(|_| Err(reader_panicked()))
}

fn reader_panicked() -> AppError {
    AppError::Internal("hazard import: the reader panicked".into())
}

fn writer_stopped() -> AppError {
    AppError::Internal("hazard import: the writer stopped".into())
}

/// Sets its flag when dropped: carried by the writing side's closure, it tells the reader
/// that the rows are no longer taken, whether the closure returned, failed or was dropped
/// unrun.
struct WhenDropped<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for WhenDropped<'_> {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A data row of a hazard import: its number, its cells, and which columns held numbers.
type RowFeed<'r> = &'r mut dyn FnMut(usize, &[String], &dyn Fn(usize) -> bool) -> Result<()>;

impl App {
    /// Imports hazards from a table in memory (an upload): see [`App::import_hazards_from`].
    pub fn import_hazards(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        self.require_hazard_writer(caller)?;
        let map = map_columns(t, &HAZARD_IMPORT, opts.ignore_columns)?;
        self.write_hazard_rows(caller, &map, map.total(t), opts, progress, &mut |each| {
            for (rownum, cells) in map.rows(t) {
                each(*rownum, cells, &|i| t.is_numeric(*rownum, i))?;
            }
            Ok(())
        })
    }

    /// Imports hazards from a file, reading it twice and keeping none of its rows: once for
    /// its columns, once to validate and write each row as it goes by. Every row is
    /// validated like a registration (region, sector, level, source, dates, enterprise,
    /// campaign, the caller's scope); each bad row is reported with its number; with any
    /// bad row nothing is written unless `skip_invalid`. The valid rows are written in one
    /// transaction, so memory stays flat whatever the file's length.
    pub fn import_hazards_from(
        &self,
        caller: &Caller,
        source: &ImportSource,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let limits = self.import_limits()?;
        self.import_hazards_within(caller, source, &limits, opts, progress)
    }

    /// [`App::import_hazards_from`] of a file on the server's own disk, by an operator at
    /// its console (`anjian import hazards`): the limits on rows and on the file's size,
    /// which guard the server against uploads, do not apply; those on columns, on a cell's
    /// length and on the errors reported do.
    pub fn import_hazards_file(
        &self,
        caller: &Caller,
        path: &std::path::Path,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let limits = ImportLimits {
            max_rows: usize::MAX,
            max_unzipped_bytes: u64::MAX,
            ..self.import_limits()?
        };
        self.import_hazards_within(caller, &ImportSource::file(path), &limits, opts, progress)
    }

    fn import_hazards_within(
        &self,
        caller: &Caller,
        source: &ImportSource,
        limits: &ImportLimits,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        self.require_hazard_writer(caller)?;
        let user = caller.user.username.as_str();
        let mut shape = TableShape::default();
        self.scan_import(user, source, limits, &mut shape)?;
        let map = map_shape(&shape, &HAZARD_IMPORT, opts.ignore_columns)?;
        let total = map.total_of(&shape);
        drop(shape);
        self.write_hazard_rows(caller, &map, total, opts, progress, &mut |each| {
            let mut sink = map.data_rows(|rownum, cells, numeric: &[usize]| {
                each(rownum, &cells, &|i| numeric.contains(&i))
            });
            self.scan_import(user, source, limits, &mut sink)
        })
    }

    /// Validates the rows `rows` feeds and writes the valid ones in one transaction as
    /// they come (kept back when a row is bad, unless `skip_invalid`).
    ///
    /// Reading and validating run on a thread of their own, a step ahead of the writes:
    /// the valid rows cross to the writing thread in chunks of [`CHUNK`] through a channel
    /// of [`CHUNKS_AHEAD`] chunks, so memory stays bounded whatever the file's length and
    /// the store's writes (most of an import's time) overlap the file's reading. Whichever
    /// side fails first ends the other: a failed write closes the channel and the reader
    /// stops at its next chunk; a failed read closes it and the transaction rolls back.
    fn write_hazard_rows(
        &self,
        caller: &Caller,
        map: &Mapping,
        total: usize,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
        rows: &mut (dyn FnMut(RowFeed<'_>) -> Result<()> + Send),
    ) -> Result<ImportReport> {
        let scope = self.require_hazard_writer(caller)?;
        let limits = self.import_limits()?;
        let lookups = self.hazard_lookups(true)?;
        let ev = EventInput {
            action: "create".into(),
            note: "批量导入".into(),
            data: None,
        };
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<HazardFields>>(CHUNKS_AHEAD);
        // Set when the writing side is done with the rows (it failed, or never began): the
        // reader stops at its next row instead of reading on to the end.
        let writer_gone = std::sync::atomic::AtomicBool::new(false);
        let (written, (valid, bad)) = std::thread::scope(|threads| {
            let reader = threads.spawn(|| {
                // A panic here is caught and answered as an error, never carried out of
                // the scope.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let send = send;
                    let mut valid = 0usize;
                    let mut bad = RowErrors::new(limits.max_errors);
                    let mut chunk = Vec::with_capacity(CHUNK);
                    rows(&mut |rownum, cells, numeric| {
                        if writer_gone.load(std::sync::atomic::Ordering::Relaxed) {
                            return Err(writer_stopped());
                        }
                        match self.hazard_row(caller, &scope, &lookups, map, cells, numeric)? {
                            Ok(f) => {
                                valid += 1;
                                if bad.is_empty() || opts.skip_invalid {
                                    chunk.push(f);
                                    if chunk.len() == CHUNK {
                                        let full = std::mem::replace(
                                            &mut chunk,
                                            Vec::with_capacity(CHUNK),
                                        );
                                        // The writer stopped: its error is the answer, and
                                        // the rest of the file is not read.
                                        if send.send(full).is_err() {
                                            return Err(writer_stopped());
                                        }
                                    }
                                }
                            }
                            Err(messages) => bad.push(rownum, || messages),
                        }
                        Ok(())
                    })?;
                    if !chunk.is_empty() && (bad.is_empty() || opts.skip_invalid) {
                        let _ = send.send(chunk);
                    }
                    Ok::<_, AppError>((valid, bad))
                }))
                .unwrap_or_else(|_| Err(reader_panicked()))
            });
            let gone = WhenDropped(&writer_gone);
            let mut read = None;
            let written = self.store.create_hazards_with(
                &caller.change(&scope, self),
                &ev,
                total > 1000,
                |imp| -> Result<bool> {
                    let _gone = gone;
                    let mut pushed = 0usize;
                    for chunk in receive {
                        for f in chunk {
                            imp.push(f)?;
                            pushed += 1;
                            if pushed.is_multiple_of(1000) {
                                progress(pushed, total);
                            }
                        }
                    }
                    // The channel closed: the reader has finished, or failed.
                    let (valid, bad) = join(reader)?;
                    let keep = bad.is_empty() || opts.skip_invalid;
                    read = Some((valid, bad));
                    Ok(keep)
                },
            );
            // Without the reader's outcome, the write failed before the file was read
            // through: that failure is the answer.
            let written = written?;
            let read = read.ok_or_else(|| {
                AppError::Internal("hazard import: the reader's outcome is missing".into())
            })?;
            Ok::<_, AppError>((written, read))
        })?;
        let written = written.count();
        progress(written, written);
        Ok(ImportReport {
            total,
            valid,
            invalid_count: bad.count(),
            invalid: bad.into_shown(),
            written,
            ignored_columns: map.ignored.clone(),
            changes: None,
        })
    }

    /// One row of a hazard import read: the registration, or its messages (each naming its
    /// column).
    fn hazard_row(
        &self,
        caller: &Caller,
        scope: &Scope,
        lookups: &HazardLookups,
        map: &Mapping,
        cells: &[String],
        numeric: &dyn Fn(usize) -> bool,
    ) -> Result<std::result::Result<HazardFields, Vec<String>>> {
        let cell = |k: &str| -> String { map.get(cells, k) };
        let opt = |s: String| Some(s).filter(|x| !x.is_empty());
        let codes = map.code_errors_with(numeric, cells);
        let mut pre = ValidationErrors::new();
        let sector_text = cell("sector");
        let sector = lookups
            .sectors
            .iter()
            .find(|s| s.code == sector_text || s.name == sector_text)
            .map(|s| s.code.clone())
            .unwrap_or(sector_text);
        let level = match cell("level").as_str() {
            "一般隐患" => "general".to_string(),
            "重大隐患" => "major".to_string(),
            other => other.to_string(),
        };
        let enterprise_id = match opt(cell("uscc")) {
            None => None,
            Some(u) => match self.store.enterprise_id_by_uscc(&u.to_uppercase())? {
                Some(id) => Some(id),
                None => {
                    pre.add("uscc", format!("统一社会信用代码“{u}”未在企业库中登记"));
                    None
                }
            },
        };
        let funds_text = cell("funds_planned").replace(',', "");
        let funds_planned = if funds_text.is_empty() {
            None
        } else {
            match funds_text.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 => Some(v as i64),
                _ => {
                    pre.add(
                        "funds_planned",
                        format!("应为不小于0的整数（元），实为“{funds_text}”"),
                    );
                    None
                }
            }
        };
        let input = HazardInput {
            enterprise_id,
            region_code: cell("region_code"),
            sector,
            level,
            source: cell("source"),
            description: cell("description"),
            found_on: cell("found_on"),
            deadline: opt(cell("deadline")),
            location: opt(cell("location")),
            responsible_unit: opt(cell("responsible_unit")),
            responsible_person: opt(cell("responsible_person")),
            measures: opt(cell("measures")),
            funds_planned,
            campaign: opt(cell("campaign")),
            lng: None,
            lat: None,
            // A ledger imported records hazards as they were: deadlines already past are
            // its ordinary content, confirmed by importing it.
            confirm_past_deadline: true,
            ..HazardInput::default()
        };
        let mut errors = match self.validate_hazard_with(caller, &input, lookups) {
            Ok(f) if pre.is_empty() && codes.is_empty() => {
                if scope.admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id) {
                    return Ok(Ok(f));
                }
                ValidationErrors::single(
                    "region_code",
                    "该隐患的区划、行业领域或企业不在您的管辖范围内",
                )
            }
            Ok(_) => ValidationErrors::new(),
            Err(AppError::Validation(v)) => v,
            Err(e) => return Err(e),
        };
        for (f, msgs) in pre.fields {
            for m in msgs {
                errors.add(&f, m);
            }
        }
        let errors = with_code_errors(errors, codes);
        Ok(Err(errors
            .fields
            .iter()
            .flat_map(|(f, m)| {
                let label = if f == "enterprise_id" {
                    "企业"
                } else {
                    label_of(f)
                };
                m.iter().map(move |m| format!("{label}：{m}"))
            })
            .collect()))
    }
}

#[cfg(test)]
mod tests;
