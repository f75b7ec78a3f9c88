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
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

thread_local! {
    /// This thread's look at the database at an address while [`one_look`] runs.
    static PINNED: Cell<Option<Pin>> = const { Cell::new(None) };
}

/// A look at the data generation: taken by the first kept read under [`one_look`]
/// (`Lazy` until then, or again after a write), and moved forward by any later read of
/// the look that had to compute in a newer state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pin {
    Lazy(usize),
    At(usize, u64),
}

fn address(db: &Db) -> usize {
    std::ptr::from_ref(db) as usize
}

/// Runs `f` with every memo read of this thread on `db` answered from the database state
/// of one look: a page that reads thirty kept figures looks at the data generation once,
/// not thirty times (on PostgreSQL each look is a query, and was a read transaction of
/// three statements).
/// The look is taken by the first kept read, in its own read transaction, so a call that
/// reads nothing kept costs nothing more. A kept answer is then no older than the state
/// the look found (on PostgreSQL a result kept under a generation may include commits
/// made just after it, as any kept result may); one that is not kept is computed in its
/// own newer snapshot, and the look moves forward to that state. A write through
/// [`Db::write`] ends the look ([`after_write`]): the next kept read looks again, so a
/// call that writes and then reads sees its own write. `f` alone sees the look; nested
/// looks keep the outer one.
pub fn one_look<T>(db: &Db, f: impl FnOnce() -> T) -> T {
    pinned_while(Pin::Lazy(address(db)), f)
}

/// Runs `f` with this thread's look at `pin` (unless it has one), and takes it away
/// however `f` ends.
fn pinned_while<T>(pin: Pin, f: impl FnOnce() -> T) -> T {
    if PINNED.with(Cell::get).is_some() {
        return f();
    }
    struct Unpin;
    impl Drop for Unpin {
        fn drop(&mut self) {
            PINNED.with(|p| p.set(None));
        }
    }
    PINNED.with(|p| p.set(Some(pin)));
    let _unpin = Unpin;
    f()
}

/// This thread's look, for work it hands to other threads ([`under_look`]).
#[derive(Clone, Copy, Debug)]
pub struct Look(Option<Pin>);

/// This thread's look at `db`, taken now if it has not been (so that the threads it is
/// handed to share one look rather than each taking its own).
pub(crate) fn look_now(db: &Db) -> crate::Result<Look> {
    if PINNED.with(Cell::get) == Some(Pin::Lazy(address(db)))
        && let Some(generation) = db.read(|tx| tx.data_generation())?
    {
        looked(db, generation);
    }
    Ok(Look(PINNED.with(Cell::get)))
}

/// Runs `f`, on a thread doing part of another thread's work, under that thread's `look`:
/// its kept reads answer from the same state (a thread's look is its own: without this, a
/// page's figures read on worker threads each looked at the generation again).
pub(crate) fn under_look<T>(look: Look, f: impl FnOnce() -> T) -> T {
    match look.0 {
        Some(pin) => pinned_while(pin, f),
        None => f(),
    }
}

/// Called after every write transaction on `db` (committed or not): a look of this
/// thread at `db` is taken again by its next kept read.
pub(crate) fn after_write(db: &Db) {
    relook(db);
}

/// This thread's look at `db`, if taken, is taken again by its next kept read.
fn relook(db: &Db) {
    PINNED.with(|p| {
        if let Some(Pin::At(at, _)) = p.get()
            && at == address(db)
        {
            p.set(Some(Pin::Lazy(at)));
        }
    });
}

/// The generation this thread's look at `db` found, if it has looked.
fn pinned(db: &Db) -> Option<u64> {
    match PINNED.with(Cell::get) {
        Some(Pin::At(at, g)) if at == address(db) => Some(g),
        _ => None,
    }
}

/// A read of a look at `db` ran in `generation`: the look is at it from now on.
fn looked(db: &Db, generation: u64) {
    PINNED.with(|p| match p.get() {
        Some(Pin::Lazy(at)) if at == address(db) => p.set(Some(Pin::At(at, generation))),
        Some(Pin::At(at, g)) if at == address(db) && g < generation => {
            p.set(Some(Pin::At(at, generation)))
        }
        _ => {}
    });
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestStore;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    const READERS: usize = 4;

    /// Holds the computing reader until the others wait on it (or 20 s pass).
    fn until_the_others_wait(memo: &Memo<i64>) {
        let start = Instant::now();
        while memo.waiting() < READERS - 1 && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Opens `READERS` read connections at once and has each look at the data generation:
    /// a SQLite connection's first look knows no earlier state, and keeps nothing.
    fn warm(db: &Db) {
        let all = std::sync::Barrier::new(READERS);
        std::thread::scope(|t| {
            for _ in 0..READERS {
                t.spawn(|| {
                    db.read(|tx| {
                        all.wait();
                        tx.data_generation()
                    })
                });
            }
        });
    }

    #[test]
    fn under_one_look_kept_answers_are_those_of_the_look() {
        for ts in TestStore::all() {
            let db = ts.store.db();
            db.write(|tx| tx.batch("CREATE TABLE memo_t (x BIGINT)"))
                .unwrap();
            let count = |memo: &Memo<i64>| {
                memo.read(db, "SELECT COUNT(*) FROM memo_t", &[], |rows| {
                    rows.first().ok_or(crate::StoreError::NotFound)?.i64(0)
                })
            };
            let insert = || {
                db.write(|tx| tx.execute("INSERT INTO memo_t (x) VALUES (1)", &[]))
                    .unwrap()
            };
            warm(db);
            let memo: Memo<i64> = Memo::new(8);
            count(&memo).unwrap();
            assert_eq!(memo.len(), 1, "{}: kept", ts.name);
            let fresh = |memo: &Memo<i64>| {
                memo.read(db, "SELECT COUNT(*) + 0 FROM memo_t", &[], |rows| {
                    rows.first().ok_or(crate::StoreError::NotFound)?.i64(0)
                })
            };
            let seen = one_look(db, || {
                let before = count(&memo);
                // Committed by another connection after the look: the kept answer is
                // the look's...
                std::thread::scope(|t| {
                    t.spawn(insert);
                });
                // ...on a thread doing part of this one's work too...
                let look = look_now(db).ok();
                let worker = std::thread::scope(|t| {
                    t.spawn(|| look.map(|l| under_look(l, || count(&memo))))
                        .join()
                        .ok()
                        .flatten()
                });
                // ...a statement not kept is computed in a newer state, and the look
                // moves forward to it: a kept answer is then no older.
                (before, count(&memo), worker, fresh(&memo), count(&memo))
            });
            assert!(
                matches!(seen, (Ok(0), Ok(0), Some(Ok(0)), Ok(1), Ok(1))),
                "{}: {seen:?}",
                ts.name
            );
            // Without the look, every read sees every commit.
            assert_eq!(count(&memo).ok(), Some(1), "{}", ts.name);
            assert_eq!(PINNED.with(Cell::get), None, "{}: no look after", ts.name);
            // A look handed to a worker before any kept read is taken for it, and the
            // worker answers from it after another connection's commit.
            warm(db);
            count(&memo).unwrap();
            let handed = one_look(db, || {
                let look = look_now(db).ok();
                let taken = pinned(db);
                std::thread::scope(|t| {
                    t.spawn(insert);
                });
                let worker = std::thread::scope(|t| {
                    t.spawn(|| look.map(|l| under_look(l, || count(&memo))))
                        .join()
                        .ok()
                        .flatten()
                });
                (taken.is_some(), worker)
            });
            assert!(
                matches!(handed, (true, Some(Ok(1)))),
                "{}: {handed:?}",
                ts.name
            );
            // A write of the look's own thread ends the look: its next read sees it.
            warm(db);
            count(&memo).unwrap();
            let own = one_look(db, || {
                let before = count(&memo);
                insert();
                (before, count(&memo))
            });
            assert!(matches!(own, (Ok(2), Ok(3))), "{}: {own:?}", ts.name);
            // A look that reads nothing kept looks at nothing, and leaves no look.
            one_look(db, || {
                assert_eq!(pinned(db), None, "{}: not looked yet", ts.name);
            });
            assert_eq!(PINNED.with(Cell::get), None, "{}", ts.name);
        }
    }

    #[test]
    fn one_reader_computes_while_the_others_wait_for_its_answer() {
        for ts in TestStore::all() {
            let db = ts.store.db();
            warm(db);
            let memo: Memo<i64> = Memo::new(8);
            let runs = AtomicUsize::new(0);
            let answers: Vec<crate::Result<i64>> = std::thread::scope(|t| {
                let readers: Vec<_> = (0..READERS)
                    .map(|_| {
                        t.spawn(|| {
                            memo.read(db, "SELECT 41 + 1", &[], |rows| {
                                runs.fetch_add(1, Ordering::SeqCst);
                                until_the_others_wait(&memo);
                                rows.first().ok_or(crate::StoreError::NotFound)?.i64(0)
                            })
                        })
                    })
                    .collect();
                readers.into_iter().filter_map(|r| r.join().ok()).collect()
            });
            assert_eq!(answers.len(), READERS, "{}", ts.name);
            assert!(answers.iter().all(|a| matches!(a, Ok(42))), "{}", ts.name);
            assert_eq!(runs.load(Ordering::SeqCst), 1, "{}: computed once", ts.name);
            assert_eq!(memo.len(), 1);
        }
    }

    #[test]
    fn when_the_computing_reader_fails_the_waiters_compute_and_the_next_reader_is_not_stuck() {
        for ts in TestStore::all() {
            let db = ts.store.db();
            warm(db);
            let memo: Memo<i64> = Memo::new(8);
            let runs = AtomicUsize::new(0);
            let answers: Vec<crate::Result<i64>> = std::thread::scope(|t| {
                let readers: Vec<_> = (0..READERS)
                    .map(|_| {
                        t.spawn(|| {
                            memo.read(db, "SELECT 41 + 1", &[], |rows| {
                                if runs.fetch_add(1, Ordering::SeqCst) == 0 {
                                    until_the_others_wait(&memo);
                                    return Err(crate::StoreError::NotFound);
                                }
                                rows.first().ok_or(crate::StoreError::NotFound)?.i64(0)
                            })
                        })
                    })
                    .collect();
                readers.into_iter().filter_map(|r| r.join().ok()).collect()
            });
            let failed = answers.iter().filter(|a| a.is_err()).count();
            assert_eq!(failed, 1, "{}: only the computing reader fails", ts.name);
            assert_eq!(runs.load(Ordering::SeqCst), READERS, "{}", ts.name);
            // Nothing was kept from the failure, and the next reader computes and keeps.
            assert_eq!(memo.len(), 0);
            let next = memo.read(db, "SELECT 41 + 1", &[], |rows| {
                rows.first().ok_or(crate::StoreError::NotFound)?.i64(0)
            });
            assert!(matches!(next, Ok(42)));
            assert_eq!(memo.len(), 1);
        }
    }
}
