//! Results of read-only statements kept while the database is unchanged.
//!
//! An entry is stored under the statement's text and parameters (which carry the
//! caller's scope and the day asked about) with the data generation of the snapshot it
//! was computed in ([`crate::db::Tx::data_generation`]), and used only by a snapshot that
//! answers the same generation: one in which nothing has been committed since, by any
//! connection of any process (SQLite: `PRAGMA data_version`; PostgreSQL: the count of
//! committed writes in `store_generation`, moved by each write's commit). In a write
//! transaction nothing is kept and every read computes.

use crate::db::{Db, Row, Value};
use std::collections::HashMap;
use std::sync::Mutex;

pub struct Memo<T> {
    entries: Mutex<HashMap<String, (u64, T)>>,
    capacity: usize,
}

impl<T: Clone> Memo<T> {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// `map` of the rows of `sql` with `params`, read in one read transaction: the kept
    /// result if it was computed in the same database state, else read, mapped and kept.
    /// The key is the statement that runs, so a result cannot be filed under another.
    pub fn read(
        &self,
        db: &Db,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(Vec<Row>) -> crate::Result<T>,
    ) -> crate::Result<T> {
        db.read(|tx| {
            let Some(generation) = tx.data_generation()? else {
                return map(tx.query(sql, params)?);
            };
            let key = format!("{sql}\u{1f}{params:?}");
            if let Ok(entries) = self.entries.lock()
                && let Some((g, v)) = entries.get(&key)
                && *g == generation
            {
                return Ok(v.clone());
            }
            let v = map(tx.query(sql, params)?)?;
            if let Ok(mut entries) = self.entries.lock() {
                if entries.len() >= self.capacity && !entries.contains_key(&key) {
                    // Entries of an older state can never be used again; if all are
                    // current, start over rather than track recency.
                    entries.retain(|_, (g, _)| *g == generation);
                    if entries.len() >= self.capacity {
                        entries.clear();
                    }
                }
                entries.insert(key, (generation, v.clone()));
            }
            Ok(v)
        })
    }

    /// Entries held (for tests).
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
