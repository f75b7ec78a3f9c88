//! The bulk load: multi-row inserts in large transactions, indexes dropped and rebuilt around
//! a load into empty tables, one audit entry for the whole load.

use super::*;

impl Store {
    /// Loads `total` hazards from `next` with their events (created, and closed for closed
    /// ones) and major cases, `batch` hazards per transaction. Into empty tables, the
    /// secondary indexes are dropped first and rebuilt at the end (the same definitions);
    /// the rollups' triggers are suspended and the tallies filled once at the end.
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
        // The rollups' triggers are suspended for the load and the tallies filled once at
        // its end, in the transaction that puts the triggers back.
        let dropped = self.write_alone(|tx| {
            crate::rollups::suspend(tx)?;
            if !empty {
                return Ok(Vec::new());
            }
            let list = indexes(tx, dialect, &["hazards", "hazard_events"])?;
            for (name, _) in &list {
                tx.execute(&format!("DROP INDEX {name}"), &[])?;
            }
            Ok(list)
        })?;
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
                self.write_alone(|tx| {
                    let per = per_write(tx.dialect());
                    let mut h_rows: Vec<Value> = Vec::with_capacity(per * HAZARD_COLS.len());
                    let mut e_rows: Vec<Value> = Vec::with_capacity(per * 2 * EVENT_COLS.len());
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
                        if h_rows.len() >= per * HAZARD_COLS.len() {
                            flush(tx, "hazards", &HAZARD_COLS, &mut h_rows)?;
                        }
                        if e_rows.len() >= per * EVENT_COLS.len() {
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
        self.write_alone(|tx| {
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
            crate::rollups::resume(tx)?;
            let rolled_at = started.elapsed();
            if dialect == Dialect::Sqlite {
                // Table and index sizes for the planner (sqlite_stat1), but no STAT4
                // samples: with samples, every statement with a range on a bound parameter
                // (each scope's region range) is recompiled whenever its bindings change,
                // which cost more than half of a request's time in the HTTP benchmark.
                tx.execute("ANALYZE", &[])?;
                tx.execute("DELETE FROM sqlite_stat4", &[])?;
                tx.execute("ANALYZE sqlite_schema", &[])?;
            } else {
                // The planner's statistics for what was loaded, at once rather than when
                // autovacuum gets to it.
                tx.execute(
                    "ANALYZE hazards, hazard_events, major_cases, hz_found, hz_closed, hz_cohort, hz_major, hz_overdue",
                    &[],
                )?;
            }
            eprintln!(
                "bulk load: rows {:.1}s, indexes {:.1}s, rollups {:.1}s, analyze {:.1}s",
                loaded_at.as_secs_f64(),
                (indexed_at - loaded_at).as_secs_f64(),
                (rolled_at - indexed_at).as_secs_f64(),
                (started.elapsed() - rolled_at).as_secs_f64()
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
    /// Runs `f`, many small write transactions into a store being generated (the demo
    /// county), with commits that do not wait for the disk
    /// ([`crate::db::Db::set_relaxed_commits`]: SQLite `synchronous = OFF`, PostgreSQL
    /// `synchronous_commit = off`). The usual durability is restored afterwards, whether `f`
    /// succeeded or not, and on SQLite the log is checkpointed with a sync, so what `f`
    /// wrote is on disk when this returns.
    pub fn with_relaxed_sync<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.db().set_relaxed_commits(true)?;
        let result = f();
        self.db().set_relaxed_commits(false)?;
        result
    }
}
