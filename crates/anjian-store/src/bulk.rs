//! Bulk loading of hazards with their events (benchmark-scale stores): multi-row inserts
//! in large transactions, secondary indexes dropped before and rebuilt after a load into
//! empty tables, one audit entry for the whole load.

use crate::db::{Dialect, Tx, Value};
use crate::{Change, Result, Store, StoreError, params};
use chrono::NaiveDate;

/// One generated hazard, already in its final state.
#[derive(Debug, Clone)]
pub struct BulkHazard {
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    pub sector: &'static str,
    pub level: &'static str,
    pub source: &'static str,
    pub description: String,
    pub found_on: NaiveDate,
    pub deadline: NaiveDate,
    pub status: &'static str,
    pub funds_spent: Option<i64>,
    pub campaign: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

const HAZARD_COLS: [&str; 19] = [
    "id",
    "county_code",
    "region_code",
    "enterprise_id",
    "sector",
    "level",
    "source",
    "description",
    "found_on",
    "deadline",
    "deadline_basis",
    "status",
    "funds_spent",
    "campaign",
    "closed_on",
    "created_by",
    "created_at",
    "updated_at",
    "version",
];

const EVENT_COLS: [&str; 8] = [
    "hazard_id",
    "county_code",
    "at",
    "actor",
    "action",
    "from_status",
    "to_status",
    "note",
];

/// Rows per INSERT statement.
const PER_STATEMENT: usize = 64;

fn insert_sql(table: &str, cols: &[&str], rows: usize) -> String {
    format!(
        "INSERT INTO {table} ({}) VALUES {}",
        cols.join(", "),
        crate::db::row_placeholders(cols.len(), rows)
    )
}

fn flush(tx: &mut dyn Tx, table: &str, cols: &[&str], rows: &mut Vec<Value>) -> Result<()> {
    let n = rows.len() / cols.len();
    if n > 0 {
        tx.execute(&insert_sql(table, cols, n), rows)?;
        rows.clear();
    }
    Ok(())
}

/// The secondary indexes of the tables (name, definition).
fn indexes(tx: &mut dyn Tx, dialect: Dialect, tables: &[&str]) -> Result<Vec<(String, String)>> {
    let list = tables
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = match dialect {
        Dialect::Sqlite => format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({list}) ORDER BY name"
        ),
        Dialect::Postgres => format!(
            "SELECT indexname::text, indexdef::text FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({list}) AND indexname NOT LIKE '%_pkey' ORDER BY indexname"
        ),
    };
    tx.query(&sql, &[])?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .collect()
}

impl Store {
    /// Loads `total` hazards from `next` with their events (created, and closed for closed
    /// ones) and major cases, `batch` hazards per transaction. Into empty tables, the
    /// secondary indexes are dropped first and rebuilt at the end (the same definitions).
    /// `progress(done)` is called after each transaction.
    pub fn bulk_load_hazards(
        &self,
        change: &Change<'_>,
        total: usize,
        batch: usize,
        mut next: impl FnMut() -> Option<BulkHazard>,
        mut progress: impl FnMut(usize),
    ) -> Result<usize> {
        change.require_writable()?;
        if change.scope.sectors.is_some() || change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let dialect = self.dialect();
        let now = change.ts();
        let (empty, first_id) = self.db().read(|tx| {
            let n = tx.scalar_i64("SELECT COUNT(*) FROM hazards", &[])?;
            let max = tx.scalar_i64("SELECT COALESCE(MAX(id), 0) FROM hazards", &[])?;
            Ok((n == 0, max + 1))
        })?;
        let dropped = if empty {
            self.write(|tx| {
                let list = indexes(tx, dialect, &["hazards", "hazard_events"])?;
                for (name, _) in &list {
                    tx.execute(&format!("DROP INDEX {name}"), &[])?;
                }
                Ok(list)
            })?
        } else {
            Vec::new()
        };
        // SQLite: the generated rows are valid by construction (the conformance suite loads
        // through the same path with checks on); skip per-row foreign-key lookups and
        // per-commit fsyncs while loading, and restore both afterwards.
        let fast = empty && dialect == Dialect::Sqlite;
        if fast {
            self.db()
                .writer_pragmas("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA threads = 2; PRAGMA analysis_limit = 2000;")?;
        }
        let started = std::time::Instant::now();
        let mut id = first_id;
        let mut done = 0usize;
        let mut exhausted = false;
        let result = (|| -> Result<()> {
            while done < total && !exhausted {
                let upto = (done + batch.max(1)).min(total);
                self.write(|tx| {
                    let mut h_rows: Vec<Value> = Vec::with_capacity(PER_STATEMENT * HAZARD_COLS.len());
                    let mut e_rows: Vec<Value> = Vec::with_capacity(PER_STATEMENT * 2 * EVENT_COLS.len());
                    let mut majors: Vec<(i64, String, String, Option<NaiveDate>, String)> = Vec::new();
                    let mut last_county: Option<(String, String)> = None;
                    while done < upto {
                        let Some(h) = next() else {
                            exhausted = true;
                            break;
                        };
                        let county = match &last_county {
                            Some((prefix, c)) if h.region_code.starts_with(prefix.as_str()) => c.clone(),
                            _ => {
                                let c = crate::county_of(&h.region_code)?;
                                last_county = Some((c[..6].to_string(), c.clone()));
                                c
                            }
                        };
                        let created = format!("{}T01:00:00.000Z", h.found_on);
                        let updated = match &h.closed_on {
                            Some(c) => format!("{c}T09:00:00.000Z"),
                            None => created.clone(),
                        };
                        let is_major = anjian_domain::hazard::Level::parse(h.level)
                            .is_some_and(anjian_domain::major::opens_case);
                        let closed_on = h.closed_on;
                        let region = if is_major { Some(h.region_code.clone()) } else { None };
                        // Owned strings move into the row: no copies on the hot path.
                        let text = |s: String| Value::Text(s);
                        let opt = |s: Option<String>| s.map_or(Value::Null, Value::Text);
                        h_rows.extend([
                            Value::Int(id),
                            text(county.clone()),
                            text(h.region_code),
                            h.enterprise_id.map_or(Value::Null, Value::Int),
                            text(h.sector.to_string()),
                            text(h.level.to_string()),
                            text(h.source.to_string()),
                            text(h.description),
                            Value::from(h.found_on),
                            Value::from(h.deadline),
                            text("date".to_string()),
                            text(h.status.to_string()),
                            h.funds_spent.map_or(Value::Null, Value::Int),
                            opt(h.campaign),
                            Value::from(h.closed_on),
                            change.actor_id.map_or(Value::Null, Value::Int),
                            text(created.clone()),
                            text(updated.clone()),
                            Value::Int(1),
                        ]);
                        e_rows.extend(params![id, county.as_str(), created.as_str(), "bulk", "create", None::<&str>, "registered", ""]);
                        if let Some(c) = &closed_on {
                            e_rows.extend(params![id, county.as_str(), updated.as_str(), "bulk", "close", "reported", "closed", *c]);
                        }
                        if let Some(region) = region {
                            majors.push((id, county, region, closed_on, created));
                        }
                        id += 1;
                        done += 1;
                        if h_rows.len() >= PER_STATEMENT * HAZARD_COLS.len() {
                            flush(tx, "hazards", &HAZARD_COLS, &mut h_rows)?;
                        }
                        if e_rows.len() >= PER_STATEMENT * EVENT_COLS.len() {
                            // Events point at their hazards: those rows go first.
                            flush(tx, "hazards", &HAZARD_COLS, &mut h_rows)?;
                            flush(tx, "hazard_events", &EVENT_COLS, &mut e_rows)?;
                        }
                    }
                    flush(tx, "hazards", &HAZARD_COLS, &mut h_rows)?;
                    flush(tx, "hazard_events", &EVENT_COLS, &mut e_rows)?;
                    for (hid, county, region, closed, at) in majors {
                        tx.execute(
                            "INSERT INTO major_cases (hazard_id, county_code, region_code, case_no, state, closed_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            &params![hid, county.as_str(), region.as_str(), format!("ZD{hid:09}"), if closed.is_some() { "closed" } else { "in_remediation" }, closed, at.as_str(), at.as_str()],
                        )?;
                    }
                    Ok(())
                })?;
                progress(done);
            }
            Ok(())
        })();
        let loaded_at = started.elapsed();
        // The indexes come back even when the load failed part-way.
        self.write(|tx| {
            for (_, def) in &dropped {
                tx.execute(def, &[])?;
            }
            if dialect == Dialect::Postgres {
                tx.execute(
                    "SELECT setval(pg_get_serial_sequence('hazards', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM hazards), 1))",
                    &[],
                )?;
            }
            let indexed_at = started.elapsed();
            if dialect == Dialect::Sqlite {
                // Table and index sizes for the planner (sqlite_stat1), but no STAT4
                // samples: with samples, every statement with a range on a bound parameter
                // (each scope's region range) is recompiled whenever its bindings change,
                // which cost more than half of a request's time in the HTTP benchmark.
                tx.execute("ANALYZE", &[])?;
                tx.execute("DELETE FROM sqlite_stat4", &[])?;
                tx.execute("ANALYZE sqlite_schema", &[])?;
            }
            eprintln!(
                "bulk load: rows {:.1}s, indexes {:.1}s, analyze {:.1}s",
                loaded_at.as_secs_f64(),
                (indexed_at - loaded_at).as_secs_f64(),
                (started.elapsed() - indexed_at).as_secs_f64()
            );
            crate::audit::append_json(
                tx,
                change,
                "hazard.bulk_load",
                "hazard",
                &format!("{first_id}-{}", id - 1),
                "",
                None::<&()>,
                Some(&serde_json::json!({ "hazards": done, "at": now })),
            )?;
            Ok(())
        })?;
        if fast {
            self.db().writer_pragmas(
                "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -2000; PRAGMA threads = 0;",
            )?;
        }
        result?;
        Ok(done)
    }
}

impl Store {
    /// The benchmarks' baseline: one plain full scan of the hazard table reading every
    /// row's status; returns the number of rows per status.
    pub fn scan_hazard_statuses(&self) -> Result<Vec<(String, i64)>> {
        self.db().read(|tx| {
            let mut counts: std::collections::BTreeMap<String, i64> = Default::default();
            for r in tx.query("SELECT status FROM hazards", &[])? {
                *counts.entry(r.text(0)?).or_default() += 1;
            }
            Ok(counts.into_iter().collect())
        })
    }
}

/// A generated hazard's row in `HAZARD_COLS` order without the id: plain values, no checks.
fn plain_row(h: BulkHazard, change: &Change<'_>, now: &str) -> Result<Vec<Value>> {
    let county = crate::county_of(&h.region_code)?;
    Ok(vec![
        Value::Text(county),
        Value::Text(h.region_code),
        h.enterprise_id.map_or(Value::Null, Value::Int),
        Value::Text(h.sector.to_string()),
        Value::Text(h.level.to_string()),
        Value::Text(h.source.to_string()),
        Value::Text(h.description),
        Value::from(h.found_on),
        Value::from(h.deadline),
        Value::Text("date".to_string()),
        Value::Text(h.status.to_string()),
        h.funds_spent.map_or(Value::Null, Value::Int),
        h.campaign.map_or(Value::Null, Value::Text),
        Value::from(h.closed_on),
        change.actor_id.map_or(Value::Null, Value::Int),
        Value::Text(now.to_string()),
        Value::Text(now.to_string()),
        Value::Int(1),
    ])
}

impl Store {
    /// The POST benchmark's baseline: each hazard in its own write transaction, one plain
    /// INSERT of the hazard row (no validation, no event, no audit entry).
    pub fn insert_hazards_one_by_one(
        &self,
        change: &Change<'_>,
        rows: Vec<BulkHazard>,
    ) -> Result<usize> {
        change.require_writable()?;
        let sql = insert_sql("hazards", &HAZARD_COLS[1..], 1);
        let now = change.ts();
        let mut n = 0;
        for h in rows {
            let params = plain_row(h, change, &now)?;
            self.write(|tx| tx.execute(&sql, &params).map(|_| ()))?;
            n += 1;
        }
        Ok(n)
    }
}

impl Store {
    /// The highest hazard id (the benchmarks' id range), 0 for an empty table.
    pub fn max_hazard_id(&self) -> Result<i64> {
        self.db()
            .read(|tx| tx.scalar_i64("SELECT COALESCE(MAX(id), 0) FROM hazards", &[]))
    }
}

impl Store {
    /// The import benchmark's baseline: the hazard rows alone through batched prepared
    /// multi-row INSERTs (`PER_STATEMENT` rows each, `batch` rows per transaction) into the
    /// table as it is, indexes in place: no validation, no events, no audit entries. The
    /// writer gets the same page cache as an import's long transaction.
    pub fn insert_hazards_batched(
        &self,
        change: &Change<'_>,
        batch: usize,
        rows: impl IntoIterator<Item = BulkHazard>,
    ) -> Result<usize> {
        change.require_writable()?;
        let now = change.ts();
        let mut id = self.max_hazard_id()? + 1;
        let mut rows = rows.into_iter().peekable();
        let mut done = 0;
        let load = || -> Result<()> {
            while rows.peek().is_some() {
                self.write(|tx| {
                    let mut vals: Vec<Value> =
                        Vec::with_capacity(PER_STATEMENT * HAZARD_COLS.len());
                    for h in rows.by_ref().take(batch.max(1)) {
                        vals.push(Value::Int(id));
                        vals.extend(plain_row(h, change, &now)?);
                        id += 1;
                        done += 1;
                        if vals.len() >= PER_STATEMENT * HAZARD_COLS.len() {
                            flush(tx, "hazards", &HAZARD_COLS, &mut vals)?;
                        }
                    }
                    flush(tx, "hazards", &HAZARD_COLS, &mut vals)
                })?;
            }
            Ok(())
        };
        self.db().with_large_write_cache(load)?;
        if self.dialect() == Dialect::Postgres {
            // The ids were written here: move PostgreSQL's identity past them, so the next
            // hazard registered gets a fresh one (SQLite takes MAX(id) + 1 by itself).
            self.write(|tx| {
                tx.execute(
                    "SELECT setval(pg_get_serial_sequence('hazards', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM hazards), 1))",
                    &[],
                )
                .map(|_| ())
            })?;
        }
        Ok(done)
    }
}
