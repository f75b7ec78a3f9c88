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
