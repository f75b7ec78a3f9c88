//! Results of read-only statements kept while the database is unchanged.
//!
//! An entry is stored under the statement's text and parameters (which carry the
//! caller's scope and the day asked about) with the data generation of the snapshot it
//! was computed in ([`crate::db::Tx::data_generation`]), and used only by a snapshot that
//! answers the same generation: one in which nothing has been committed since, by any
//! connection of any process (SQLite: `PRAGMA data_version`; PostgreSQL: the count of
//! committed writes in `store_generation`, moved by each write's commit), or by a reader
//! pinned to that generation by [`one_look`]. In a write transaction nothing is kept and
//! every read computes.
//!
//! One computation per statement and generation (single flight): readers that ask while
//! another reader of the same generation computes the same statement wait for its answer
//! instead of computing it again. After a commit, every connection of a busy server finds
//! the kept entry stale at once; without this they all ran the same count together, each
//! as slow as the count times the number running.

use crate::db::{Db, Row, Value};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

mod look;
pub use look::{Look, one_look};
pub(crate) use look::{look_now, relook, under_look};
use look::{looked, pinned};

#[cfg(test)]
mod tests;

/// A computation under way: its answer once the computing reader has it (`Some(None)`
/// when it failed, and each waiter computes for itself).
struct Flight<T> {
    answer: Mutex<Option<Option<T>>>,
    done: Condvar,
}

impl<T: Clone> Flight<T> {
    fn finish(&self, v: Option<T>) {
        if let Ok(mut a) = self.answer.lock() {
            *a = Some(v);
        }
        self.done.notify_all();
    }

    /// The answer, once the computing reader has it; `None` if it failed.
    fn wait(&self) -> Option<T> {
        let Ok(mut a) = self.answer.lock() else {
            return None;
        };
        loop {
            if let Some(v) = a.as_ref() {
                return v.clone();
            }
            a = match self.done.wait(a) {
                Ok(a) => a,
                Err(_) => return None,
            };
        }
    }
}

enum Slot<T> {
    Kept(u64, T),
    Computing(u64, Arc<Flight<T>>),
}

impl<T> Slot<T> {
    fn generation(&self) -> u64 {
        match self {
            Slot::Kept(g, _) | Slot::Computing(g, _) => *g,
        }
    }
}

/// Tells a computation's waiters it failed if the computing reader leaves without an
/// answer (an error, or a panic unwinding through it), and takes its entry away so the
/// next reader computes again.
struct Leader<'a, T: Clone> {
    memo: &'a Memo<T>,
    key: &'a str,
    flight: &'a Arc<Flight<T>>,
    finished: bool,
}

impl<T: Clone> Drop for Leader<'_, T> {
    fn drop(&mut self) {
        if !self.finished {
            self.flight.finish(None);
            if let Ok(mut entries) = self.memo.entries.lock()
                && let Some(Slot::Computing(_, f)) = entries.get(self.key)
                && Arc::ptr_eq(f, self.flight)
            {
                entries.remove(self.key);
            }
        }
    }
}

pub struct Memo<T> {
    entries: Mutex<HashMap<String, Slot<T>>>,
    capacity: usize,
}

impl<T: Clone> Memo<T> {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// `map` of the rows of `sql` with `params`, read in one read (`Db::read`): the kept
    /// result if it was computed in the same database state, else read, mapped and kept.
    /// The key is the statement that runs, so a result cannot be filed under another.
    pub fn read(
        &self,
        db: &Db,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(Vec<Row>) -> crate::Result<T>,
    ) -> crate::Result<T> {
        let key = format!("{sql}\u{1f}{params:?}");
        if let Some(pinned) = pinned(db)
            && let Ok(entries) = self.entries.lock()
            && let Some(Slot::Kept(g, v)) = entries.get(&key)
            && *g == pinned
        {
            return Ok(v.clone());
        }
        db.read(|tx| {
            let Some(generation) = tx.data_generation()? else {
                // SQLite: this reader saw a commit the look may predate; the next kept
                // read looks again (the look moves forward, as below).
                relook(db);
                return map(tx.query(sql, params)?);
            };
            looked(db, generation);
            let flight = match self.join(&key, generation) {
                Joined::Kept(v) => return Ok(v),
                Joined::Wait(flight) => match flight.wait() {
                    Some(v) => return Ok(v),
                    // The computing reader failed: compute, keep nothing.
                    None => return map(tx.query(sql, params)?),
                },
                Joined::Lead(flight) => flight,
                Joined::Alone => return map(tx.query(sql, params)?),
            };
            let mut leader = Leader {
                memo: self,
                key: &key,
                flight: &flight,
                finished: false,
            };
            let v = map(tx.query(sql, params)?)?;
            leader.finished = true;
            drop(leader);
            flight.finish(Some(v.clone()));
            if let Ok(mut entries) = self.entries.lock()
                && let Some(Slot::Computing(_, f)) = entries.get(&key)
                && Arc::ptr_eq(f, &flight)
            {
                entries.insert(key, Slot::Kept(generation, v.clone()));
            }
            Ok(v)
        })
    }

    /// What a reader of `generation` does for `key`: use the kept answer, wait for the
    /// reader computing it, or compute it and have others wait.
    fn join(&self, key: &str, generation: u64) -> Joined<T> {
        let Ok(mut entries) = self.entries.lock() else {
            return Joined::Alone;
        };
        match entries.get(key) {
            Some(Slot::Kept(g, v)) if *g == generation => return Joined::Kept(v.clone()),
            Some(Slot::Computing(g, f)) if *g == generation => return Joined::Wait(f.clone()),
            _ => {}
        }
        if entries.len() >= self.capacity && !entries.contains_key(key) {
            // Entries of an older state can never be used again; if all are current,
            // start over rather than track recency (a computation's waiters hold its
            // flight, so dropping its entry only stops others joining it).
            entries.retain(|_, s| s.generation() == generation);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        let flight = Arc::new(Flight {
            answer: Mutex::new(None),
            done: Condvar::new(),
        });
        entries.insert(key.to_string(), Slot::Computing(generation, flight.clone()));
        Joined::Lead(flight)
    }

    /// Answers kept (for tests); computations under way are not counted.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .map(|e| e.values().filter(|s| matches!(s, Slot::Kept(..))).count())
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

enum Joined<T> {
    Kept(T),
    Wait(Arc<Flight<T>>),
    Lead(Arc<Flight<T>>),
    /// The table is unusable (a poisoned lock): compute, keep nothing.
    Alone,
}

#[cfg(test)]
impl<T: Clone> Memo<T> {
    /// Readers waiting on computations under way.
    fn waiting(&self) -> usize {
        self.entries
            .lock()
            .map(|e| {
                e.values()
                    .map(|s| match s {
                        // The entry's own reference and the computing reader's.
                        Slot::Computing(_, f) => Arc::strong_count(f).saturating_sub(2),
                        Slot::Kept(..) => 0,
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
}
