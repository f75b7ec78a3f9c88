use super::slow::is_slow;
use super::*;

/// Off by default; on, only statements over the threshold count; off again.
#[test]
fn the_slow_statement_threshold() {
    use std::time::Duration;
    assert!(!is_slow(Duration::from_secs(3600)));
    log_slow_statements(Some(Duration::from_millis(200)));
    assert!(!is_slow(Duration::from_millis(200)));
    assert!(is_slow(Duration::from_millis(201)));
    log_slow_statements(Some(Duration::ZERO));
    assert!(!is_slow(Duration::from_secs(3600)));
    log_slow_statements(None);
    assert!(!is_slow(Duration::from_secs(3600)));
}

#[test]
fn placeholders_are_numbered_outside_strings() {
    assert_eq!(
        numbered_placeholders("SELECT '?' , a FROM t WHERE a = ? AND b IN (?, ?)"),
        "SELECT '?' , a FROM t WHERE a = $1 AND b IN ($2, $3)"
    );
}

/// Every statement of the store with a bound `LIMIT ?` was recompiled on each run
/// (see [`limit`]); this keeps the pattern from coming back.
#[test]
fn no_statement_binds_its_limit() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let pattern = ["LIMIT", "?"].join(" ");
                for (i, line) in text.lines().enumerate() {
                    if line.contains(&pattern) && !line.trim_start().starts_with("//") {
                        found.push(format!("{}:{}", path.display(), i + 1));
                    }
                }
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    walk(&src, &mut found);
    assert!(src.is_dir());
    assert!(found.is_empty(), "bound LIMIT in {found:?}");
}

/// A write that finds the SQLite writer busy is counted as a wait, with its time (the
/// server's `anjian_store_pool_waits_total`).
#[test]
fn a_write_waiting_for_the_writer_is_counted() {
    let dir = std::env::temp_dir().join(format!("anjian-waits-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let db = match sqlite::SqliteDb::open(&dir.join("w.sqlite")) {
        Ok(db) => db,
        Err(e) => panic!("open: {e}"),
    };
    let (before, _) = pool_waits();
    let held = std::sync::Barrier::new(2);
    std::thread::scope(|s| {
        s.spawn(|| {
            db.write(|_| {
                held.wait();
                std::thread::sleep(std::time::Duration::from_millis(50));
                Ok(())
            })
        });
        held.wait();
        let r = db.write(|tx| tx.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)", &[]));
        assert!(r.is_ok(), "{r:?}");
    });
    let (after, secs) = pool_waits();
    assert!(after > before, "{before} -> {after}");
    assert!(secs > 0.0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every configured store's database (SQLite always; PostgreSQL with `ANJIAN_TEST_PG`).
fn each_db(f: impl Fn(&Db)) {
    for t in crate::testing::TestStore::all() {
        f(&t.store.db);
    }
}

/// Two writes that queue while a third holds the writer run in its transaction and commit
/// with it, once; the one that fails is rolled back alone, and the others stand. On both
/// stores: PostgreSQL's group runs on its writer connection as SQLite's does.
#[test]
fn queued_writes_join_the_open_group_and_a_failing_one_fails_alone() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    each_db(|db| {
        db.write(|tx| tx.batch("CREATE TABLE group_t (v INTEGER)"))
            .unwrap();
        db.set_group_window(Duration::from_secs(20));
        let before = db.groups_committed();
        let inside = AtomicBool::new(false);
        let (a, b, c) = std::thread::scope(|s| {
            let a = s.spawn(|| {
                db.write(|tx| {
                    tx.execute("INSERT INTO group_t (v) VALUES (1)", &[])?;
                    inside.store(true, Ordering::SeqCst);
                    // Hold the writer until the two others wait for it.
                    let since = Instant::now();
                    while db.writes_queued() < 2 && since.elapsed() < Duration::from_secs(20) {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    Ok(())
                })
            });
            while !inside.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            let b =
                s.spawn(|| db.write(|tx| tx.execute("INSERT INTO group_t (v) VALUES (2)", &[])));
            let c = s.spawn(|| {
                db.write(|tx| {
                    tx.execute("INSERT INTO group_t (v) VALUES (3)", &[])?;
                    Err::<usize, _>(StoreError::Invalid("refused".into()))
                })
            });
            (a.join().unwrap(), b.join().unwrap(), c.join().unwrap())
        });
        db.set_group_window(Duration::from_millis(5));
        assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
        assert!(matches!(c, Err(StoreError::Invalid(_))), "{c:?}");
        assert_eq!(
            db.groups_committed() - before,
            1,
            "one commit for the three ({:?})",
            db.dialect()
        );
        let rows = db
            .read(|tx| tx.query("SELECT v FROM group_t ORDER BY v", &[]))
            .unwrap();
        let vs: Vec<i64> = rows.iter().map(|r| r.i64(0).unwrap()).collect();
        assert_eq!(vs, [1, 2], "{:?}", db.dialect());
    });
}

/// A write whose statement failed but which answered `Ok` anyway (the error swallowed):
/// PostgreSQL has aborted its transaction and would answer `COMMIT` with a silent rollback,
/// so the write is refused instead of acknowledged and lost, alone or in a group. SQLite
/// keeps the rest of the transaction, and the write stands.
#[test]
fn a_write_whose_failed_statement_was_swallowed_is_never_acknowledged_and_lost() {
    each_db(|db| {
        db.write(|tx| tx.batch("CREATE TABLE swallow_t (v INTEGER PRIMARY KEY)"))
            .unwrap();
        let out = db.write(|tx| {
            tx.execute("INSERT INTO swallow_t (v) VALUES (1)", &[])?;
            let _ = tx.execute("INSERT INTO swallow_t (v) VALUES (1)", &[]);
            Ok(())
        });
        let n = db
            .read(|tx| tx.query("SELECT COUNT(*) FROM swallow_t", &[]))
            .unwrap()[0]
            .i64(0)
            .unwrap();
        match db.dialect() {
            Dialect::Postgres => {
                assert!(out.is_err(), "acknowledged on PostgreSQL");
                assert_eq!(n, 0);
            }
            Dialect::Sqlite => {
                assert!(out.is_ok(), "{out:?}");
                assert_eq!(n, 1);
            }
        }
        // The writer still works after the refusal.
        db.write(|tx| tx.execute("INSERT INTO swallow_t (v) VALUES (2)", &[]))
            .unwrap();
    });
}

/// Rows streamed on both stores, in a read and inside a write's transaction, where
/// PostgreSQL reads them through a cursor; a callback that stops early leaves the
/// transaction usable.
#[test]
fn query_each_streams_in_reads_and_writes_and_stops_early() {
    each_db(|db| {
        db.write(|tx| {
            tx.batch("CREATE TABLE each_t (v INTEGER, b TEXT)")?;
            for v in 0..1203 {
                tx.execute(
                    "INSERT INTO each_t (v, b) VALUES (?, ?)",
                    &[Value::Int(v), Value::Text(format!("r{v}"))],
                )?;
            }
            Ok(())
        })
        .unwrap();
        let count = |tx: &mut dyn Tx| -> Result<(i64, i64)> {
            let mut n = 0;
            let mut sum = 0;
            tx.query_each(
                "SELECT v, b FROM each_t WHERE v >= ? ORDER BY v",
                &[Value::Int(3)],
                &mut |r| {
                    n += 1;
                    sum += r.i64(0)?;
                    assert_eq!(r.text(1)?, format!("r{}", r.i64(0)?));
                    Ok(())
                },
            )?;
            Ok((n, sum))
        };
        let expected = (1200, (3..1203).sum::<i64>());
        assert_eq!(db.read(count).unwrap(), expected);
        let in_write = db
            .write(|tx| {
                let got = count(tx)?;
                let mut seen = 0;
                let stopped = tx.query_each("SELECT v FROM each_t", &[], &mut |_| {
                    seen += 1;
                    if seen == 10 {
                        return Err(StoreError::Invalid("enough".into()));
                    }
                    Ok(())
                });
                assert!(
                    matches!(stopped, Err(StoreError::Invalid(_))),
                    "{stopped:?}"
                );
                tx.execute("INSERT INTO each_t (v, b) VALUES (-1, 'r-1')", &[])?;
                Ok(got)
            })
            .unwrap();
        assert_eq!(in_write, expected);
        let n = db
            .read(|tx| tx.query("SELECT COUNT(*) FROM each_t", &[]))
            .unwrap()[0]
            .i64(0)
            .unwrap();
        assert_eq!(n, 1204);
    });
}

/// A write that panics is rolled back before its panic goes on: the writer takes the next
/// write at once, and nothing the panicking write locked stays locked (on PostgreSQL the
/// writer's transaction would otherwise keep its row locks, such as the audit head's, which
/// every writer of every instance waits for).
#[test]
fn a_panicking_write_is_rolled_back_and_releases_what_it_locked() {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    each_db(|db| {
        db.write(|tx| {
            tx.batch("CREATE TABLE panic_t (id INTEGER PRIMARY KEY, v INTEGER)")?;
            tx.execute("INSERT INTO panic_t (id, v) VALUES (1, 0)", &[])
                .map(|_| ())
        })
        .unwrap();
        let locking = match db.dialect() {
            Dialect::Postgres => "SELECT v FROM panic_t WHERE id = 1 FOR UPDATE",
            Dialect::Sqlite => "SELECT v FROM panic_t WHERE id = 1",
        };
        let out = catch_unwind(AssertUnwindSafe(|| {
            db.write(|tx| -> Result<()> {
                tx.query(locking, &[])?;
                tx.execute("INSERT INTO panic_t (id, v) VALUES (2, 0)", &[])?;
                panic!("a bug inside a write");
            })
        }));
        assert!(out.is_err(), "the panic goes on to the caller");
        // Another transaction (a pooled connection on PostgreSQL) updates the row the
        // panicking write had locked: with the lock still held it would wait, here refused.
        db.write_alone(|tx| {
            if tx.dialect() == Dialect::Postgres {
                tx.batch("SET LOCAL lock_timeout = '5s'")?;
            }
            tx.execute("UPDATE panic_t SET v = 1 WHERE id = 1", &[])
        })
        .unwrap();
        db.write(|tx| tx.execute("INSERT INTO panic_t (id, v) VALUES (3, 0)", &[]))
            .unwrap();
        let ids: Vec<i64> = db
            .read(|tx| tx.query("SELECT id FROM panic_t ORDER BY id", &[]))
            .unwrap()
            .iter()
            .map(|r| r.i64(0).unwrap())
            .collect();
        assert_eq!(ids, [1, 3], "{:?}", db.dialect());
    });
}

/// A member of a group that panics is rolled back to its savepoint alone: the leader's
/// write and the group's commit stand, and the writer is not poisoned.
#[test]
fn a_panicking_member_fails_alone() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    each_db(|db| {
        db.write(|tx| tx.batch("CREATE TABLE member_t (v INTEGER)"))
            .unwrap();
        db.set_group_window(Duration::from_secs(20));
        let inside = AtomicBool::new(false);
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| {
                db.write(|tx| {
                    tx.execute("INSERT INTO member_t (v) VALUES (1)", &[])?;
                    inside.store(true, Ordering::SeqCst);
                    let since = Instant::now();
                    while db.writes_queued() < 1 && since.elapsed() < Duration::from_secs(20) {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    Ok(())
                })
            });
            while !inside.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            let b = s.spawn(|| {
                db.write(|tx| -> Result<()> {
                    tx.execute("INSERT INTO member_t (v) VALUES (2)", &[])?;
                    panic!("a bug inside a member");
                })
            });
            (a.join().unwrap(), b.join())
        });
        db.set_group_window(Duration::from_millis(5));
        assert!(a.is_ok(), "{a:?}");
        assert!(b.is_err(), "the member's panic goes on to its caller");
        db.write(|tx| tx.execute("INSERT INTO member_t (v) VALUES (3)", &[]))
            .unwrap();
        let vs: Vec<i64> = db
            .read(|tx| tx.query("SELECT v FROM member_t ORDER BY v", &[]))
            .unwrap()
            .iter()
            .map(|r| r.i64(0).unwrap())
            .collect();
        assert_eq!(vs, [1, 3], "{:?}", db.dialect());
    });
}

/// A read never writes, whatever its statements begin with and however they are spelt
/// (PostgreSQL runs a read's plain queries outside a transaction until one needs it, so
/// each kind is tried), and nothing is written.
#[test]
fn a_read_refuses_every_write() {
    each_db(|db| {
        db.write(|tx| tx.batch("CREATE TABLE ro_t (v BIGINT)"))
            .unwrap();
        let tries: [(&str, &str); 5] = [
            ("execute first", "INSERT INTO ro_t (v) VALUES (1)"),
            ("returning", "INSERT INTO ro_t (v) VALUES (2) RETURNING v"),
            (
                "in a WITH",
                "WITH x AS (INSERT INTO ro_t (v) VALUES (3) RETURNING v) SELECT v FROM x",
            ),
            ("an update", "UPDATE ro_t SET v = 4"),
            (
                "in lower case",
                "with x as (insert into ro_t (v) values (5) returning v) select v from x",
            ),
        ];
        // PostgreSQL: a sequence moved from a read (SQLite has no sequences).
        if db.dialect() == Dialect::Postgres {
            db.write(|tx| tx.batch("CREATE SEQUENCE ro_s")).unwrap();
            let moved = db.read(|tx| tx.query("SELECT nextval('ro_s')", &[]));
            assert!(moved.is_err(), "a sequence moved: {moved:?}");
            for lock in [
                "SELECT v FROM ro_t for update",
                "SELECT v FROM ro_t FOR KEY SHARE",
            ] {
                let locked = db.read(|tx| tx.query(lock, &[]));
                assert!(locked.is_err(), "{lock}: {locked:?}");
            }
        }
        for (what, sql) in tries {
            let first = db.read(|tx| tx.execute(sql, &[]));
            assert!(first.is_err(), "{what}, first statement: {first:?}");
            let after = db.read(|tx| {
                tx.query("SELECT 1", &[])?;
                tx.query(sql, &[])
            });
            assert!(after.is_err(), "{what}, after a query: {after:?}");
        }
        let n = db.read(|tx| tx.scalar_i64("SELECT COUNT(*) FROM ro_t", &[]));
        assert_eq!(n.ok(), Some(0));
    });
}

/// PostgreSQL: a read of plain queries opens no transaction (two round trips fewer: each
/// query is its own transaction, as under READ COMMITTED it is its own snapshot anyway);
/// a setting begins one in the same round trip, and it ends with the read.
#[test]
fn a_postgres_read_begins_a_transaction_only_when_it_needs_one() {
    for t in crate::testing::TestStore::all() {
        let db = &t.store.db;
        if db.dialect() != Dialect::Postgres {
            continue;
        }
        // Each transaction has a virtual transaction id of its own.
        let vxid = "SELECT virtualtransaction FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'virtualxid'";
        let plain = db.read(|tx| {
            Ok((
                tx.query_one(vxid, &[])?.text(0)?,
                tx.query_one(vxid, &[])?.text(0)?,
            ))
        });
        let (a, b) = plain.unwrap_or_default();
        assert!(
            !a.is_empty() && a != b,
            "plain queries run on their own: {a} {b}"
        );
        let set = db.read(|tx| {
            tx.batch("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")?;
            let level = tx.query_one("SHOW transaction_isolation", &[])?.text(0)?;
            Ok((
                tx.query_one(vxid, &[])?.text(0)?,
                tx.query_one(vxid, &[])?.text(0)?,
                level,
            ))
        });
        let (a, b, level) = set.unwrap_or_default();
        assert!(
            !a.is_empty() && a == b,
            "a setting begins the transaction: {a} {b}"
        );
        assert_eq!(level, "repeatable read", "and holds in it");
        let late = db.read(|tx| {
            tx.query("SELECT 1", &[])?;
            tx.batch("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        });
        assert!(late.is_err(), "a snapshot asked for after a statement");
        let after = db.read(|tx| tx.query_one("SHOW transaction_isolation", &[])?.text(0));
        assert_eq!(
            after.ok().as_deref(),
            Some("read committed"),
            "and ends with it"
        );
    }
}

/// SQLite's read-only connections read the file through a memory map as large as a
/// province's store (issue 19: the server's anonymous memory at 64 connections), and the
/// writer does not map it. Fails if the pragma is dropped or if SQLite's compiled ceiling
/// (`SQLITE_MAX_MMAP_SIZE` in `.cargo/config.toml`) clamps the map to its 2 GiB default.
#[test]
fn sqlite_readers_map_the_file_and_the_writer_does_not() {
    let dir = std::env::temp_dir().join(format!("anjian-mmap-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let db = match sqlite::SqliteDb::open(&dir.join("m.sqlite")) {
        Ok(db) => db,
        Err(e) => panic!("open: {e}"),
    };
    let mapped = |rows: Result<Vec<Row>>| match rows {
        Ok(rows) => rows.first().and_then(|r| r.i64(0).ok()),
        Err(e) => panic!("pragma: {e}"),
    };
    let writer = mapped(db.write(|tx| {
        tx.execute("CREATE TABLE t (x INTEGER)", &[])?;
        tx.query("PRAGMA mmap_size", &[])
    }));
    assert_eq!(writer, Some(0), "the writer maps the file");
    let reader = mapped(db.read(|tx| tx.query("PRAGMA mmap_size", &[])));
    assert_eq!(reader, Some(64 << 30), "a reader's map");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `insert_rows` stores what `execute`'s multi-row INSERT stores, value for value, on both
/// backends (on PostgreSQL through a binary COPY, with the same conversions: a boolean into
/// an integer column, an integer into a boolean one, awkward text, bytes, nulls), and a row
/// that breaks a constraint or cannot be converted fails the write without a panic and
/// leaves nothing of it.
#[test]
fn insert_rows_stores_what_an_insert_stores_and_fails_whole() {
    const COLS: &str = "i, small, t, b, r, y, flag";
    let rows = |n: i64| -> Vec<Value> {
        (0..n)
            .flat_map(|k| {
                [
                    Value::Int(k),
                    Value::Int(k % 1000),
                    match k % 4 {
                        0 => Value::Null,
                        1 => Value::Text(format!("第{k}号\t制表\n换行\\反斜杠 'quote' \"dq\" 🚒")),
                        2 => Value::Text(String::new()),
                        _ => Value::Text("\\N".into()),
                    },
                    if k % 3 == 0 {
                        Value::Int(1)
                    } else {
                        Value::Bool(k % 2 == 0)
                    },
                    Value::Real(k as f64 / 7.0),
                    if k % 5 == 0 {
                        Value::Null
                    } else {
                        Value::Bytes(vec![0, 1, 255, b'\\', k as u8])
                    },
                    Value::Bool(k % 2 == 1),
                ]
            })
            .collect()
    };
    each_db(|db| {
        db.write(|tx| {
            for t in ["ins_a", "ins_b"] {
                tx.batch(&format!(
                    "CREATE TABLE {t} (i BIGINT NOT NULL UNIQUE, small INTEGER, t TEXT, b BOOLEAN, r DOUBLE PRECISION, y {}, flag BIGINT)",
                    match tx.dialect() {
                        Dialect::Sqlite => "BLOB",
                        Dialect::Postgres => "BYTEA",
                    }
                ))?;
            }
            Ok(())
        })
        .unwrap();
        let all = rows(1203);
        db.write(|tx| {
            for chunk in all.chunks(7 * 40) {
                tx.execute(
                    &format!(
                        "INSERT INTO ins_a ({COLS}) VALUES {}",
                        row_placeholders(7, chunk.len() / 7)
                    ),
                    chunk,
                )?;
            }
            assert_eq!(tx.insert_rows("ins_b", COLS, &all[..7 * 40])?, 40);
            assert_eq!(tx.insert_rows("ins_b", COLS, &all[7 * 40..])?, 1163);
            assert_eq!(tx.insert_rows("ins_b", COLS, &[])?, 0);
            Ok(())
        })
        .unwrap();
        let read = |t: &str| {
            db.read(|tx| tx.query(&format!("SELECT {COLS} FROM {t} ORDER BY i"), &[]))
                .unwrap()
        };
        let (a, b) = (read("ins_a"), read("ins_b"));
        assert_eq!(a.len(), 1203);
        assert_eq!(a, b);
        // A duplicate key in the middle of the rows fails the write, and nothing of it stays.
        let mut dup = rows(3);
        dup[7] = Value::Int(5_000);
        dup[14] = Value::Int(5_000);
        let failed = db.write(|tx| {
            tx.insert_rows("ins_b", COLS, &rows(0))?;
            tx.execute("DELETE FROM ins_b WHERE i = 0", &[])?;
            tx.insert_rows("ins_b", COLS, &dup)
        });
        assert!(
            matches!(failed, Err(StoreError::Duplicate(_))),
            "{failed:?}"
        );
        // A value its column cannot hold (2^40 in a 32-bit integer on PostgreSQL; SQLite
        // stores any integer) fails as the INSERT would, without a panic.
        let mut wide = rows(1);
        wide[0] = Value::Int(9_000);
        wide[1] = Value::Int(1 << 40);
        let wide_insert = db.write(|tx| {
            tx.execute(
                &format!(
                    "INSERT INTO ins_a ({COLS}) VALUES {}",
                    row_placeholders(7, 1)
                ),
                &wide,
            )
        });
        let wide_copy = db.write(|tx| tx.insert_rows("ins_b", COLS, &wide));
        assert_eq!(
            wide_insert.is_ok(),
            wide_copy.is_ok(),
            "{wide_insert:?} {wide_copy:?}"
        );
        let (a, b) = (read("ins_a"), read("ins_b"));
        assert_eq!(a, b);
        assert_eq!(b.len(), if wide_copy.is_ok() { 1204 } else { 1203 });
        assert_eq!(
            b[0].i64(0).unwrap(),
            0,
            "the delete was rolled back with the rest"
        );
    });
}
