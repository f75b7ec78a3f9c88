//! The ingestion and its upkeep as store writes: late readings, retention, and the lock order
//! every write of every instance follows (the audit head first).

use super::*;
use crate::audit::append;
use crate::testing::TestStore;
use crate::{Change, Scope, Store};
use anjian_domain::monitoring::{Direction, ObjectKind, PointKind, RawReading, Thresholds};
use chrono::TimeZone;
use std::time::{Duration, Instant};

/// The changes' and readings' time: a fixed instant (no clock is read).
fn at() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2022, 6, 1, 9, 0, 0)
        .single()
        .unwrap_or_else(|| panic!("time"))
}

/// One object with points of these device ids: gas at 80 %LEL is blue, at 90 yellow.
fn points(store: &Store, change: &Change<'_>, devices: &[&str]) {
    let object = store
        .create_monitored_object(
            change,
            &NewObject {
                region_code: "360982100000".into(),
                enterprise_id: None,
                kind: ObjectKind::TankFarm,
                name: "罐区".into(),
                offline_minutes: 60,
                lng_micro: None,
                lat_micro: None,
                note: String::new(),
                active: true,
            },
        )
        .unwrap_or_else(|e| panic!("object: {e}"));
    let point = |device: &str| NewPoint {
        kind: PointKind::GasConcentration,
        name: format!("探头{device}"),
        unit: "%LEL".into(),
        device_id: device.into(),
        thresholds: Thresholds {
            direction: Direction::Above,
            blue: Some(80.0),
            yellow: Some(90.0),
            orange: None,
            red: None,
            hysteresis: 1.0,
        },
        retention_days: 30,
        active: true,
    };
    store
        .create_monitoring_points_bulk(
            change,
            object.id,
            &devices.iter().map(|d| point(d)).collect::<Vec<_>>(),
        )
        .unwrap_or_else(|e| panic!("point: {e}"));
}

/// Points `M000` to `M599` (more than one chunk of 500) and `extra`; answers the 600.
fn many_points(store: &Store, change: &Change<'_>, extra: &[&str]) -> Vec<String> {
    let many: Vec<String> = (0..600).map(|i| format!("M{i:03}")).collect();
    let mut ids: Vec<&str> = many.iter().map(String::as_str).collect();
    ids.extend(extra);
    points(store, change, &ids);
    many
}

/// A reading `minute`s after [`at`].
fn reading(device: &str, minute: i64, value: f64) -> RawReading {
    RawReading {
        device: device.into(),
        ts_ms: at().timestamp_millis() + minute * 60_000,
        value,
        quality: 0,
    }
}

/// The level each point is at, by device id.
fn levels(store: &Store) -> Vec<(String, Option<String>)> {
    store
        .db()
        .read(|tx| {
            tx.query(
                "SELECT device_id, level FROM monitoring_points ORDER BY device_id",
                &[],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.opt_text(1)?)))
            .collect::<crate::Result<Vec<_>>>()
        })
        .unwrap_or_else(|e| panic!("levels: {e}"))
}

/// A reading at or before its point's newest stored one is stored and judges nothing; a
/// point with no reading yet is judged from its first. The newest reading is found for
/// every point of a batch, also past the first 500 points (the query's chunk).
#[test]
fn a_late_reading_is_stored_and_changes_no_level() {
    for t in TestStore::all() {
        let s = &t.store;
        let scope = Scope::system();
        let change = Change::system(&scope, "测试", at());
        let many = many_points(s, &change, &["D1", "D2"]);
        let rules = IngestRules::default();
        let ingest = |batch: Vec<RawReading>| {
            s.ingest_readings(&batch, &rules)
                .unwrap_or_else(|e| panic!("{}: {e}", t.name))
        };
        // Every point has a reading at minute 5; D1's opens its alarm at blue.
        let mut first: Vec<RawReading> = many.iter().map(|d| reading(d, 5, 10.0)).collect();
        first.push(reading("D1", 5, 85.0));
        assert_eq!(ingest(first).opened.len(), 1, "{}", t.name);
        // Late readings (minute 3) past the yellow line: D1's and the last chunk's points'
        // change nothing; D2 has no reading yet, so its first opens its alarm.
        let mut late: Vec<RawReading> = many.iter().map(|d| reading(d, 3, 95.0)).collect();
        late.extend([reading("D1", 3, 95.0), reading("D2", 3, 85.0)]);
        let out = ingest(late);
        assert_eq!(
            (out.stored, out.opened.len(), out.raised.len()),
            (602, 1, 0),
            "{}",
            t.name
        );
        let level = |device: &str| {
            levels(s)
                .into_iter()
                .find(|(d, _)| d == device)
                .and_then(|(_, l)| l)
        };
        assert_eq!(level("D1").as_deref(), Some("blue"), "{}", t.name);
        assert_eq!(level("M599"), None, "{}", t.name);
        assert_eq!(level("D2").as_deref(), Some("blue"), "{}", t.name);
        // A reading after the newest judges again: D1 rises to yellow.
        let out = ingest(vec![reading("D1", 6, 95.0)]);
        assert_eq!(out.raised.len(), 1, "{}", t.name);
        assert_eq!(level("D1").as_deref(), Some("yellow"), "{}", t.name);
    }
}

/// Waits (at most 10 s) until `done`.
fn until(done: impl Fn() -> bool) {
    let since = Instant::now();
    while !done() && since.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Two readings of one point at one instant in one batch: the first is stored and judged,
/// the other counts as a repeated delivery and judges nothing (it was judged as well once,
/// so a value that was never stored could set the point's level).
#[test]
fn a_reading_repeated_in_its_batch_is_stored_and_judged_once() {
    for t in TestStore::all() {
        let s = &t.store;
        let scope = Scope::system();
        let change = Change::system(&scope, "测试", at());
        points(s, &change, &["D1"]);
        let out = s
            .ingest_readings(
                &[reading("D1", 1, 85.0), reading("D1", 1, 95.0)],
                &IngestRules::default(),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert_eq!((out.stored, out.duplicates), (1, 1), "{}", t.name);
        assert_eq!(
            levels(s),
            [("D1".to_string(), Some("blue".to_string()))],
            "{}",
            t.name
        );
        let value = s
            .db()
            .read(|tx| tx.query_one("SELECT value FROM monitoring_readings", &[]))
            .and_then(|r| r.f64(0))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(value, 85.0, "{}", t.name);
    }
}

/// A write to run while another instance holds the audit head.
type Write<'a> = Box<dyn FnOnce() -> crate::Result<()> + Send + 'a>;

/// Whether a backend of this database waits for a lock now (PostgreSQL).
fn waiting_for_a_lock(store: &Store) -> bool {
    store
        .db()
        .read(|tx| {
            tx.scalar_i64(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
        })
        .unwrap_or_else(|e| panic!("pg_stat_activity: {e}"))
        > 0
}

/// Runs `write` on one instance while another holds the audit head in an open write
/// transaction: whether `write` waited for the head (it had not finished while a backend
/// waited for a lock), and its outcome once the head was let go.
fn waits_for_the_head(
    store: &Store,
    holder: &Store,
    change: &Change<'_>,
    write: impl FnOnce() -> crate::Result<()> + Send,
) -> (bool, crate::Result<()>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let (held, release, done) = (
        AtomicBool::new(false),
        AtomicBool::new(false),
        AtomicBool::new(false),
    );
    std::thread::scope(|s| {
        let holding = s.spawn(|| {
            holder.write(|tx| {
                append(tx, change, "test.append", "test", "holder", "", None, None)?;
                held.store(true, Ordering::SeqCst);
                until(|| release.load(Ordering::SeqCst));
                Ok(())
            })
        });
        until(|| held.load(Ordering::SeqCst));
        let writing = s.spawn(|| {
            let out = write();
            done.store(true, Ordering::SeqCst);
            out
        });
        until(|| done.load(Ordering::SeqCst) || waiting_for_a_lock(store));
        let waited = !done.load(Ordering::SeqCst) && waiting_for_a_lock(store);
        release.store(true, Ordering::SeqCst);
        let held_ok = holding.join().unwrap_or_else(|_| panic!("holder"));
        assert!(held_ok.is_ok(), "{held_ok:?}");
        (waited, writing.join().unwrap_or_else(|_| panic!("writer")))
    })
}

/// Every monitoring write queues behind the audit head, as every other store write does,
/// so that the writes of all instances take their locks in one order. A batch of readings
/// once took an advisory lock of its own first: in one instance's group commit it held that
/// lock while an audited member waited for the head, which another instance's group held
/// while its own batch waited for the advisory lock, and PostgreSQL failed one of them
/// (`deadlock detected`). The daily prunes, which delete rows, were in the same case.
/// PostgreSQL only: SQLite has one writer, so two transactions never hold locks at once.
#[test]
fn every_monitoring_write_waits_for_the_audit_head_another_instance_holds() {
    for t in TestStore::all().into_iter().filter(|t| t.name != "sqlite") {
        let (a, b) = (
            t.store.as_ref(),
            &t.second_handle().unwrap_or_else(|e| panic!("{e}")),
        );
        let scope = Scope::system();
        let change = Change::system(&scope, "测试", at());
        points(a, &change, &["D1"]);
        let rules = IngestRules {
            offline_level: Some(anjian_domain::monitoring::Level::Blue),
            ..IngestRules::default()
        };
        let writes: [(&str, Write<'_>); 4] = [
            (
                "a batch of readings",
                Box::new(|| {
                    a.ingest_readings(&[reading("D1", 1, 85.0)], &rules)
                        .map(|_| ())
                }),
            ),
            (
                "the offline scan",
                Box::new(|| {
                    a.monitoring_offline_scan(at() + chrono::Duration::days(2), &rules)
                        .map(|_| ())
                }),
            ),
            (
                "the readings' prune",
                Box::new(|| a.monitoring_prune(at()).map(|_| ())),
            ),
            (
                "the refusals' prune",
                Box::new(|| {
                    a.prune_monitoring_rejects("2022-01-01T00:00:00Z")
                        .map(|_| ())
                }),
            ),
        ];
        for (what, write) in writes {
            let (waited, out) = waits_for_the_head(a, b, &change, write);
            assert!(out.is_ok(), "{}: {what}: {out:?}", t.name);
            assert!(waited, "{}: {what} did not wait for the audit head", t.name);
        }
        let verify = a.verify_audit().unwrap_or_else(|e| panic!("{e}"));
        assert!(verify.ok(), "{}: {:?}", t.name, verify.problems);
    }
}

/// Each point's readings older than its retention are deleted, and no others: over more
/// points than a prune's write takes (500), and for a point with more old readings than a
/// statement (5,000) and a write (10,000) delete.
#[test]
fn the_prune_keeps_each_points_retention() {
    for t in TestStore::all() {
        let s = &t.store;
        let scope = Scope::system();
        let change = Change::system(&scope, "测试", at());
        let many = many_points(s, &change, &["D1", "D2", "D3"]);
        s.raw_execute(
            "UPDATE monitoring_points SET retention_days = 365 WHERE device_id = 'D2'",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let day = 24 * 60;
        let mut batch: Vec<RawReading> = many
            .iter()
            .map(String::as_str)
            .chain(["D1", "D2", "D3"])
            .flat_map(|d| [reading(d, -40 * day, 1.0), reading(d, -10 * day, 1.0)])
            .collect();
        batch.push(reading("D2", -400 * day, 1.0));
        // D3: a reading a minute for the 12,000 minutes before day -40.
        batch.extend((1..=12_000).map(|m| reading("D3", -40 * day - m, 1.0)));
        let out = s
            .ingest_readings(&batch, &IngestRules::default())
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert_eq!(out.stored, 13_207, "{}", t.name);
        let pruned = s
            .monitoring_prune(at())
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        // The 40-day-old readings of the 602 points kept 30 days (D3's 12,001), D2's
        // 400-day-old one.
        assert_eq!(pruned, 602 + 12_000 + 1, "{}", t.name);
        let left = |device: &str| {
            s.db()
                .read(|tx| {
                    tx.scalar_i64(
                        "SELECT COUNT(*) FROM monitoring_readings r JOIN monitoring_points p ON p.id = r.point_id WHERE p.device_id = ?",
                        &crate::params![device],
                    )
                })
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(
            (left("M599"), left("D1"), left("D2")),
            (1, 1, 2),
            "{}",
            t.name
        );
    }
}
