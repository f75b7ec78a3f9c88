//! The benchmarks' baselines: a plain scan, plain single-row and batched inserts without
//! validation, events or audit entries.

use super::*;

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
    /// The import benchmark's baseline: the hazard rows alone, written as the store writes
    /// rows in bulk (`Tx::insert_rows`: prepared multi-row INSERTs of 64 rows on SQLite,
    /// COPYs of 1,024 on PostgreSQL), `batch` rows per transaction, into the table as it
    /// is, indexes in place: no validation, no events, no audit entries. The writer gets
    /// the same page cache as an import's long transaction, and each batch's tallies are
    /// written once at its end, as a large import's are.
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
                self.write_alone(|tx| {
                    // On PostgreSQL tallied once per batch, as a large import is
                    // (`rollups::defer`): row by row, its tally triggers made a batch's time
                    // grow with the square of its rows, which no import pays. SQLite keeps
                    // its triggers, as its import does.
                    crate::rollups::defer(tx)?;
                    let first = id;
                    let per = per_write(tx.dialect());
                    let mut vals: Vec<Value> = Vec::with_capacity(per * HAZARD_COLS.len());
                    for h in rows.by_ref().take(batch.max(1)) {
                        vals.push(Value::Int(id));
                        vals.extend(plain_row(h, change, &now)?);
                        id += 1;
                        done += 1;
                        if vals.len() >= per * HAZARD_COLS.len() {
                            flush(tx, "hazards", &HAZARD_COLS, &mut vals)?;
                        }
                    }
                    flush(tx, "hazards", &HAZARD_COLS, &mut vals)?;
                    crate::rollups::add_range(tx, first, id - 1)
                })?;
            }
            Ok(())
        };
        self.db().with_large_write_cache(load)?;
        if self.dialect() == Dialect::Postgres {
            // The ids were written here: move PostgreSQL's identity past them, so the next
            // hazard registered gets a fresh one (SQLite takes MAX(id) + 1 by itself).
            self.write_alone(|tx| {
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
