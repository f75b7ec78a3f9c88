use super::look::PINNED;
use super::*;
use crate::testing::TestStore;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const READERS: usize = 4;

/// `f`'s answer on a thread of its own carrying `look` (as the figures' workers do).
fn on_worker<T: Send>(look: Option<Look>, f: impl FnOnce() -> T + Send) -> Option<T> {
    std::thread::scope(|t| {
        t.spawn(|| look.map(|l| under_look(l, f)))
            .join()
            .ok()
            .flatten()
    })
}

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
            let worker = on_worker(look, || count(&memo));
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
            let worker = on_worker(look, || count(&memo));
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

/// `READERS` threads reading the same statement through `memo` at once, each mapping its
/// rows with `map`; their answers.
fn all_read_at_once(
    db: &Db,
    memo: &Memo<i64>,
    map: impl Fn(Vec<Row>) -> crate::Result<i64> + Sync,
) -> Vec<crate::Result<i64>> {
    std::thread::scope(|t| {
        let readers: Vec<_> = (0..READERS)
            .map(|_| t.spawn(|| memo.read(db, "SELECT 41 + 1", &[], &map)))
            .collect();
        readers.into_iter().filter_map(|r| r.join().ok()).collect()
    })
}

#[test]
fn one_reader_computes_while_the_others_wait_for_its_answer() {
    for ts in TestStore::all() {
        let db = ts.store.db();
        warm(db);
        let memo: Memo<i64> = Memo::new(8);
        let runs = AtomicUsize::new(0);
        let answers = all_read_at_once(db, &memo, |rows| {
            runs.fetch_add(1, Ordering::SeqCst);
            until_the_others_wait(&memo);
            rows.first().ok_or(crate::StoreError::NotFound)?.i64(0)
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
        let answers = all_read_at_once(db, &memo, |rows| {
            if runs.fetch_add(1, Ordering::SeqCst) == 0 {
                until_the_others_wait(&memo);
                return Err(crate::StoreError::NotFound);
            }
            rows.first().ok_or(crate::StoreError::NotFound)?.i64(0)
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
