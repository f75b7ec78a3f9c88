//! Hazard import: many registrations written in bulk, in one transaction.

mod chain;

use super::{EventInput, Hazard, HazardFields, WRITE_COLS, admitted, initial_reported_on, values};
use crate::audit::{EntryRow, EntryRows};
use crate::db::{Tx, Value};
use crate::{Change, Result, Store, StoreError, params};
use chain::{ChainRow, ChainWork, chain_hazards, chain_stopped, stored};
use std::collections::HashMap;

/// Hazards per multi-row INSERT of an import (30 columns each).
const PER_INSERT: usize = 32;
/// Hazards per write on PostgreSQL, where a write is one COPY of any length (its two round
/// trips and the hazards' event and audit COPYs shared by more rows).
const PER_COPY: usize = 512;

/// The rows an import writes at a time on `dialect`.
fn per_write(dialect: crate::db::Dialect) -> usize {
    match dialect {
        crate::db::Dialect::Sqlite => PER_INSERT,
        crate::db::Dialect::Postgres => PER_COPY,
    }
}

/// `code → name` for the distinct keys, from `select` (`… WHERE key IN`) in chunks.
fn names_of(
    tx: &mut dyn Tx,
    select: &str,
    keys: impl Iterator<Item = Value>,
) -> Result<HashMap<String, String>> {
    let mut distinct: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for k in keys {
        let key = match &k {
            Value::Int(i) => i.to_string(),
            Value::Text(t) => t.clone(),
            _ => continue,
        };
        if seen.insert(key) {
            distinct.push(k);
        }
    }
    let mut out = HashMap::new();
    for chunk in distinct.chunks(500) {
        for r in tx.query(
            &format!("{select} ({})", crate::db::placeholders(chunk.len())),
            chunk,
        )? {
            out.insert(r.text(0)?, r.text(1)?);
        }
    }
    Ok(out)
}

/// A hazard import under way inside its transaction: rows pushed are written a multi-row
/// INSERT at a time, each with its first event, major case and audit entry, so an import
/// of any size keeps only one INSERT's rows (and the names of the regions and enterprises
/// it has met) in memory.
///
/// The audit entries (each the whole stored record as JSON, hashed after the one before)
/// are made on a thread of their own ([`chain_hazards`]) while the hazards and their events
/// are inserted: a written INSERT's rows go to that thread, and their entries come back to
/// be written after the events.
pub struct HazardImport<'a, 'c> {
    tx: &'a mut dyn Tx,
    change: &'a Change<'c>,
    ev: &'a EventInput,
    now: String,
    day: chrono::NaiveDate,
    /// The rows for the audit chain's thread, and the entries it made of them.
    to_chain: std::sync::mpsc::SyncSender<ChainWork>,
    from_chain: std::sync::mpsc::Receiver<Result<Vec<EntryRow>>>,
    entries: EntryRows,
    /// A write of this import failed: every later push and write fails too, so that no
    /// entry is ever written beside the wrong hazard.
    failed: bool,
    pending: Vec<HazardFields>,
    region_names: HashMap<String, String>,
    enterprise_names: HashMap<String, String>,
    next_id: i64,
    written: usize,
    /// Rows pushed before they are written ([`per_write`]).
    per_write: usize,
    /// The hazards' column list as written (`id, county_code, …`).
    cols: String,
}

impl HazardImport<'_, '_> {
    /// Adds a registration (written with the next full INSERT); it must lie in the caller's
    /// writable scope.
    pub fn push(&mut self, f: HazardFields) -> Result<()> {
        if self.failed {
            return Err(earlier_failure());
        }
        if !admitted(self.change.scope, &f) {
            return Err(StoreError::Forbidden);
        }
        self.pending.push(f);
        if self.pending.len() >= self.per_write {
            self.flush()?;
        }
        Ok(())
    }

    /// Rows written so far (pushed rows wait for a full INSERT).
    pub fn written(&self) -> usize {
        self.written
    }

    /// Writes the pushed rows; after a failure, fails again (see `failed`).
    fn flush(&mut self) -> Result<()> {
        if self.failed {
            return Err(earlier_failure());
        }
        let r = self.write_pending();
        self.failed = r.is_err();
        r
    }

    fn write_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let items = std::mem::replace(&mut self.pending, Vec::with_capacity(self.per_write));
        let tx = &mut *self.tx;
        let change = self.change;
        let (now, day, ev) = (self.now.as_str(), self.day, self.ev);
        // The names the stored rows carry, looked up once per import for each region and
        // enterprise met.
        let new_regions: Vec<Value> = items
            .iter()
            .filter(|f| !self.region_names.contains_key(&f.region_code))
            .map(|f| Value::from(f.region_code.as_str()))
            .collect();
        if !new_regions.is_empty() {
            self.region_names.extend(names_of(
                tx,
                "SELECT code, name FROM regions WHERE code IN",
                new_regions.into_iter(),
            )?);
        }
        let new_enterprises: Vec<Value> = items
            .iter()
            .filter_map(|f| f.enterprise_id)
            .filter(|e| !self.enterprise_names.contains_key(&e.to_string()))
            .map(Value::Int)
            .collect();
        if !new_enterprises.is_empty() {
            self.enterprise_names.extend(names_of(
                tx,
                "SELECT CAST(id AS TEXT), name FROM enterprises WHERE id IN",
                new_enterprises.into_iter(),
            )?);
        }
        let first_id = self.next_id;
        let n = items.len();
        let mut vals = Vec::with_capacity(n * (WRITE_COLS.len() + 5));
        let mut events = Vec::with_capacity(n * 10);
        let mut majors = Vec::new();
        let mut chain_rows = Vec::with_capacity(n);
        for (id, f) in (first_id..).zip(items) {
            let county = crate::county_of(&f.region_code)?;
            let region_name = self
                .region_names
                .get(&f.region_code)
                .cloned()
                .unwrap_or_default();
            let enterprise_name = f
                .enterprise_id
                .and_then(|e| self.enterprise_names.get(&e.to_string()).cloned());
            vals.push(Value::Int(id));
            vals.push(county.as_str().into());
            vals.extend(values(&f, initial_reported_on(&f, day)));
            vals.extend(params![change.actor_id, now, now]);
            events.extend(params![
                id,
                county.as_str(),
                now,
                change.actor_id,
                change.actor.as_str(),
                ev.action.as_str(),
                None::<&str>,
                f.status.as_str(),
                ev.note.as_str(),
                ev.data.as_ref().map(|d| d.to_string())
            ]);
            if anjian_domain::major::opens_case(f.level) {
                majors.push(stored(
                    id,
                    county.clone(),
                    &f,
                    (&region_name, enterprise_name.as_deref()),
                    change.actor_id,
                    (now, day),
                ));
            }
            chain_rows.push(ChainRow {
                f,
                county,
                region_name,
                enterprise_name,
            });
        }
        self.next_id += n as i64;
        // The entries are made while the rows are written.
        self.to_chain
            .send(ChainWork {
                first_id,
                rows: chain_rows,
            })
            .map_err(|_| chain_stopped())?;
        tx.insert_rows("hazards", &self.cols, &vals)?;
        for h in &majors {
            crate::major::open_case(
                tx,
                h,
                anjian_domain::major::CaseState::UnderDetermination,
                now,
            )?;
        }
        tx.insert_rows(
            "hazard_events",
            "hazard_id, county_code, at, actor_id, actor, action, from_status, to_status, note, data",
            &events,
        )?;
        for row in self.from_chain.recv().map_err(|_| chain_stopped())?? {
            self.entries.push(tx, row)?;
        }
        self.written += n;
        Ok(())
    }
}

/// A push or write after one of the import's writes failed.
fn earlier_failure() -> StoreError {
    StoreError::Backend("hazard import: an earlier write of this import failed".into())
}

impl Store {
    /// Registers many hazards in one transaction (an import): all or none, each with its
    /// first event, major case and audit entry.
    pub fn create_hazards(
        &self,
        change: &Change<'_>,
        items: &[HazardFields],
        ev: &EventInput,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<i64>> {
        if items.iter().any(|f| !admitted(change.scope, f)) {
            return Err(StoreError::Forbidden);
        }
        let ids = self.create_hazards_with(change, ev, items.len() > 1000, |imp| {
            for f in items {
                imp.push(f.clone())?;
                if imp.written() % 1000 < imp.per_write {
                    progress(imp.written());
                }
            }
            Ok::<_, StoreError>(true)
        })?;
        progress(items.len());
        Ok(ids.collect())
    }

    /// Registers the hazards `fill` pushes, in one transaction: all or none. `fill` runs
    /// inside the transaction (reading a file row by row, say) and answers whether to keep
    /// what it pushed: `false` rolls everything back and answers an empty range; an error
    /// of its own rolls back and is answered as it is. `large`: the import is expected to
    /// be large, so the writer gets its large page cache (SQLite). The ids are consecutive.
    pub fn create_hazards_with<E: From<StoreError>>(
        &self,
        change: &Change<'_>,
        ev: &EventInput,
        large: bool,
        fill: impl FnOnce(&mut HazardImport<'_, '_>) -> std::result::Result<bool, E>,
    ) -> std::result::Result<std::ops::Range<i64>, E> {
        change.require_writable()?;
        let dialect = self.dialect();
        let mut outcome = crate::fill::Fill::new();
        let write = || {
            self.write_alone(|tx| {
                // On PostgreSQL a large import's hazards are tallied once at its end, not
                // row by row (before the ids are chosen: it also holds off other writers);
                // SQLite keeps its triggers (`rollups::defer`).
                if large {
                    crate::rollups::defer(tx)?;
                    // PostgreSQL keeps the plan of a foreign-key check (an event's hazard)
                    // made when the table was small: into a new store that was a scan of
                    // the hazards, run once per event, the import's time growing with the
                    // square of its rows. Plans are dropped here, so the check is planned
                    // afresh at the first events' COPY, after a COPY of hazards: it reads
                    // the index. (Planning every statement instead, `plan_cache_mode =
                    // force_custom_plan`, planned the check once per event row.)
                    if dialect == crate::db::Dialect::Postgres {
                        tx.batch("DISCARD PLANS")?;
                    }
                }
                // Ids follow the highest one (writers are serialised).
                let first = tx.scalar_i64("SELECT COALESCE(MAX(id), 0) + 1 FROM hazards", &[])?;
                let (chain, entries) = crate::audit::AppendBatch::begin(tx)?.into_parts();
                let per_write = per_write(dialect);
                let now = change.ts();
                let day = change.date();
                let (written, chain) = std::thread::scope(|threads| {
                    let (to_chain, work) = std::sync::mpsc::sync_channel(1);
                    let (done, from_chain) = std::sync::mpsc::sync_channel(1);
                    let chainer = {
                        let now = now.as_str();
                        // A panic there is caught and answered as an error, never
                        // carried out of the scope.
                        threads.spawn(move || {
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                chain_hazards(change, chain, (now, day), work, done)
                            }))
                        })
                    };
                    let mut imp = HazardImport {
                        tx: &mut *tx,
                        change,
                        ev,
                        now: now.clone(),
                        day,
                        to_chain,
                        from_chain,
                        entries,
                        failed: false,
                        pending: Vec::with_capacity(per_write),
                        region_names: HashMap::new(),
                        enterprise_names: HashMap::new(),
                        next_id: first,
                        written: 0,
                        per_write,
                        cols: format!(
                            "id, county_code, {}, created_by, created_at, updated_at",
                            WRITE_COLS.join(", ")
                        ),
                    };
                    // On an error the import is dropped, which closes the chain's channel
                    // and ends its thread.
                    outcome.take(fill(&mut imp))?;
                    imp.flush()?;
                    let HazardImport {
                        written,
                        entries,
                        to_chain,
                        ..
                    } = imp;
                    drop(to_chain);
                    let chain = chainer
                        .join()
                        .ok()
                        .and_then(|r| r.ok())
                        .ok_or_else(chain_stopped)?;
                    Ok::<_, StoreError>((written, crate::audit::AppendBatch::from_parts(chain, entries)))
                })?;
                chain.finish(tx)?;
                if large {
                    crate::rollups::add_range(tx, first, first + written as i64 - 1)?;
                }
                if dialect == crate::db::Dialect::Postgres && written > 0 {
                    tx.execute(
                        "SELECT setval(pg_get_serial_sequence('hazards', 'id'), (SELECT MAX(id) FROM hazards))",
                        &[],
                    )?;
                }
                Ok(first..first + written as i64)
            })
        };
        // A large import is one long transaction: give the writer a page cache that holds
        // its working set instead of spilling dirty pages to the WAL part-way.
        let r = if large {
            self.db().with_large_write_cache(write)
        } else {
            write()
        };
        outcome.answer(r, 0..0)
    }
}
