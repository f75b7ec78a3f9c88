//! The ingestion under group commit with two instances: a batch is a store write like any
//! other, so it queues behind the audit head in the one lock order every write follows.

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
        let many: Vec<String> = (0..600).map(|i| format!("M{i:03}")).collect();
        let mut devices: Vec<&str> = many.iter().map(String::as_str).collect();
        devices.extend(["D1", "D2"]);
        points(s, &change, &devices);
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

fn alarm_count(store: &Store) -> i64 {
    store
        .db()
        .read(|tx| tx.scalar_i64("SELECT COUNT(*) FROM monitoring_alarms", &[]))
        .unwrap_or_else(|e| panic!("count: {e}"))
}

/// Waits (at most 10 s) until `done`.
fn until(done: impl Fn() -> bool) {
    let since = Instant::now();
    while !done() && since.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Two instances' groups, each holding a batch of readings and an audited write:
/// - on instance B an audited write leads (it holds the audit head) and a batch joins;
/// - on instance A a write that takes no lock leads, then a batch and an audited write join.
///
/// A batch that took a lock of its own before the audit head (as it once did, an advisory
/// lock) held it while A's audited write waited for B's head, and B's batch waited for that
/// lock: PostgreSQL broke the deadlock by failing one of them. Every write must succeed, and
/// the two readings open one alarm and raise it. PostgreSQL only: SQLite has one writer, so
/// two groups never hold locks at once.
#[test]
fn a_batch_of_readings_in_a_group_never_deadlocks_with_another_instance() {
    use std::sync::atomic::{AtomicBool, Ordering};
    for t in TestStore::all().into_iter().filter(|t| t.name != "sqlite") {
        let (a, b) = (
            t.store.as_ref(),
            &t.second_handle().unwrap_or_else(|e| panic!("{e}")),
        );
        let scope = Scope::system();
        let change = Change::system(&scope, "测试", at());
        points(a, &change, &["D1"]);
        let before = alarm_count(a);
        for s in [a, b] {
            s.db().set_group_window(Duration::from_secs(10));
        }
        let rules = IngestRules::default();
        let batch = |minute: i64, value: f64| vec![reading("D1", minute, value)];
        let audited = |store: &Store, id: &str| {
            store.write(|tx| append(tx, &change, "test.append", "test", id, "", None, None))
        };
        let (a_inside, b_inside) = (AtomicBool::new(false), AtomicBool::new(false));
        let outcomes: Vec<String> = std::thread::scope(|s| {
            let b_lead = s.spawn(|| {
                b.write(|tx| {
                    append(tx, &change, "test.append", "test", "b-lead", "", None, None)?;
                    b_inside.store(true, Ordering::SeqCst);
                    until(|| b.db().writes_queued() >= 1);
                    Ok(())
                })
            });
            until(|| b_inside.load(Ordering::SeqCst));
            let a_lead = s.spawn(|| {
                a.db().write(|_| {
                    a_inside.store(true, Ordering::SeqCst);
                    until(|| a.db().writes_queued() >= 2);
                    Ok(())
                })
            });
            until(|| a_inside.load(Ordering::SeqCst));
            let a_batch = s.spawn(|| a.ingest_readings(&batch(1, 85.0), &rules).map(|_| ()));
            until(|| a.db().writes_queued() >= 1);
            let a_join = s.spawn(|| audited(a, "a-join"));
            // A's batch runs now, then its audited write.
            std::thread::sleep(Duration::from_millis(300));
            let b_batch = s.spawn(|| b.ingest_readings(&batch(2, 95.0), &rules).map(|_| ()));
            [b_lead, a_lead, a_batch, a_join, b_batch]
                .into_iter()
                .map(|h| match h.join() {
                    Ok(Ok(())) => "ok".to_string(),
                    Ok(Err(e)) => e.to_string(),
                    Err(_) => "panicked".to_string(),
                })
                .collect()
        });
        for s in [a, b] {
            s.db().set_group_window(Duration::from_millis(5));
        }
        assert_eq!(outcomes, ["ok"; 5], "{}", t.name);
        assert_eq!(alarm_count(a) - before, 1, "{}: one alarm, raised", t.name);
        let verify = a.verify_audit().unwrap_or_else(|e| panic!("{e}"));
        assert!(verify.ok(), "{}: {:?}", t.name, verify.problems);
    }
}
