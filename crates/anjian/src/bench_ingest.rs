//! `anjian bench ingest`: online-monitoring readings through Mosquitto into the store with
//! the alarm rules applied, against raw inserts of the same rows in the same run.
//!
//! One county with `points` points (a hundred per monitored object, thresholds at 80, 90, 95
//! and 99). The baseline inserts `rounds` readings per point with `Store::insert_readings_raw`
//! in batches of 2,000 rows (one transaction each, as the subscriber's batches are at most a
//! few thousand). The measured run starts the subscriber (`anjian_app::monitoring::mqtt`) on
//! the same store and publishes the same number of readings through the broker, a gateway
//! message of 100 readings at a time, QoS 1; its rate is readings stored per second from the
//! first publish to the last reading stored. Meanwhile one reading in a thousand is a probe
//! past a threshold on a fresh point: its latency is from the publish to its alarm being
//! visible in the store (polled every 10 ms).

use anjian_app::demo::province::{self, ProvinceSpec};
use anjian_app::monitoring::mqtt::{MqttConfig, Publisher};
use anjian_domain::Scope;
use anjian_domain::monitoring::{Direction, ObjectKind, PointKind, Thresholds};
use anjian_store::monitoring::{NewObject, NewPoint};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to run.
pub struct IngestOpts {
    pub points: usize,
    pub rounds: usize,
    pub mqtt: String,
}

fn normal(i: usize, r: usize) -> f64 {
    ((i * 7919 + r * 104_729) % 7000) as f64 / 100.0
}

pub fn ingest(target: &crate::bench_store::Target, o: &IngestOpts) -> Result<(), String> {
    let e = |x: anjian_store::StoreError| x.to_string();
    let scratch = target.fresh("ingest")?;
    let store = scratch.store.clone();
    let setup = anjian_app::demo::demo_app(store.clone(), 7);
    let empty = ProvinceSpec {
        counties: 1,
        first_year: 2022,
        years: 1,
        hazards_per_county_year: 0,
    };
    province::generate(&setup, 7, &empty, &mut |_, _| {}).map_err(|x| x.to_string())?;
    // Readings are stamped now: the measured app runs on the system clock.
    let app = anjian_app::App::new(
        store.clone(),
        Arc::new(anjian_domain::SystemClock) as Arc<dyn anjian_domain::Clock>,
    );
    let county = province::county_code(0);
    let town = format!("{}100000", &county[..6]);
    let scope = Scope::system();
    let change = app.system_change(&scope, "bench");
    let per_object = 100;
    let objects = o.points.div_ceil(per_object);
    let mut devices = Vec::with_capacity(o.points);
    for k in 0..objects {
        let obj = store
            .create_monitored_object(
                &change,
                &NewObject {
                    region_code: town.clone(),
                    enterprise_id: None,
                    kind: ObjectKind::TankFarm,
                    name: format!("基准监测对象{k}"),
                    offline_minutes: 1_440,
                    lng_micro: None,
                    lat_micro: None,
                    note: String::new(),
                    active: true,
                },
            )
            .map_err(e)?;
        let points: Vec<NewPoint> = (0..per_object)
            .map(|j| k * per_object + j)
            .take_while(|i| *i < o.points)
            .map(|i| {
                devices.push(format!("B{i:06}"));
                NewPoint {
                    kind: PointKind::GasConcentration,
                    name: format!("探头{i}"),
                    unit: "%LEL".into(),
                    device_id: format!("B{i:06}"),
                    thresholds: Thresholds {
                        direction: Direction::Above,
                        blue: Some(80.0),
                        yellow: Some(90.0),
                        orange: Some(95.0),
                        red: Some(99.0),
                        hysteresis: 1.0,
                    },
                    retention_days: 365,
                    active: true,
                }
            })
            .collect();
        store
            .create_monitoring_points_bulk(&change, obj.id, &points)
            .map_err(e)?;
    }
    let total = o.points * o.rounds;
    let t0 = anjian_domain::Clock::now(&anjian_domain::SystemClock).timestamp_millis()
        - (o.rounds as i64 + 2) * 2 * 60_000;
    // Point ids in device order (created in that order).
    let ids: Vec<i64> = (1..=o.points as i64).collect();
    // Baseline: raw rows, 2,000 per transaction, earlier timestamps than the measured run.
    let s = Instant::now();
    let mut rows = Vec::with_capacity(2_000);
    for r in 0..o.rounds {
        for (i, id) in ids.iter().enumerate() {
            rows.push((*id, t0 + r as i64 * 60_000, normal(i, r), 0));
            if rows.len() == 2_000 {
                store.insert_readings_raw(&rows).map_err(e)?;
                rows.clear();
            }
        }
    }
    if !rows.is_empty() {
        store.insert_readings_raw(&rows).map_err(e)?;
    }
    let base = s.elapsed().as_secs_f64();
    // Measured: through the broker and the subscriber.
    let nonce = format!("{}-{}", std::process::id(), t0);
    let mut cfg = MqttConfig::new(&o.mqtt, &format!("anjian-bench-{nonce}"));
    cfg.topic = format!("bench{nonce}/+/readings");
    cfg.group = Some(format!("bench{nonce}"));
    let sub = anjian_app::monitoring::mqtt::start(app.clone(), &cfg)?;
    std::thread::sleep(Duration::from_millis(500));
    let publ = Publisher::connect(&o.mqtt, &format!("anjian-bench-pub-{nonce}"))?;
    // Progress from the subscriber's own counter (a COUNT(*) every few milliseconds would
    // load the writer it measures).
    let stored = || app.telemetry.monitoring_readings() as i64;
    let before = stored();
    let last_alarm = store
        .monitoring_alarms_after(0)
        .map_err(e)?
        .last()
        .map_or(0, |a| a.0);
    let watcher_store = store.clone();
    let probes: Arc<std::sync::Mutex<HashMap<i64, Instant>>> = Arc::default();
    let watch_probes = probes.clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watch_stop = stop.clone();
    let watcher = std::thread::spawn(move || {
        let mut seen = last_alarm;
        let mut lat = Vec::new();
        loop {
            let done = watch_stop.load(std::sync::atomic::Ordering::SeqCst);
            if let Ok(list) = watcher_store.monitoring_alarms_after(seen) {
                let now = Instant::now();
                for (id, point) in list {
                    seen = id;
                    if let Some(p) = point
                        && let Ok(mut m) = watch_probes.lock()
                        && let Some(t) = m.remove(&p)
                    {
                        lat.push(now.duration_since(t).as_secs_f64() * 1000.0);
                    }
                }
            }
            if done {
                return lat;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let s = Instant::now();
    let mut probe = 0usize;
    let mut sent = 0usize;
    for r in 0..o.rounds {
        let ts = t0 + (o.rounds as i64 + 1 + r as i64) * 60_000;
        for (g, chunk) in devices.chunks(100).enumerate() {
            let mut readings: Vec<serde_json::Value> = chunk
                .iter()
                .enumerate()
                .map(|(j, d)| json!({"device": d, "ts": ts, "value": normal(g * 100 + j, r)}))
                .collect();
            sent += readings.len();
            // One reading in a thousand more: a probe past a threshold, a millisecond later
            // than the round, on a point not yet alarmed.
            if sent / 1_000 > probe && probe < o.points {
                let id = ids[(probe * 997) % o.points];
                if let Ok(mut m) = probes.lock() {
                    m.insert(id, Instant::now());
                }
                readings.push(
                    json!({"device": devices[(id - 1) as usize], "ts": ts + 1, "value": 92.0}),
                );
                probe += 1;
            }
            // A steady stream, not a burst: at most 50,000 readings ahead of the store, so the
            // broker's queue for the subscriber (Mosquitto keeps 1,000 messages by default and
            // drops beyond) never overflows.
            while (sent + probe) as i64 - (stored() - before) > 50_000 {
                std::thread::sleep(Duration::from_millis(2));
            }
            let body = json!({"gateway": format!("g{g}"), "readings": readings}).to_string();
            publ.publish(&format!("bench{nonce}/g{g}/readings"), body.into_bytes())?;
        }
    }
    // Wait until every reading is stored (failing after a minute without progress).
    let want = before + (total + probe) as i64;
    let mut last = (before, Instant::now());
    loop {
        let n = stored();
        if n >= want {
            break;
        }
        if n > last.0 {
            last = (n, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(60) {
            return Err(format!(
                "only {} of {} readings stored, none for a minute",
                n - before,
                total + probe
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let meas = s.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut lat = watcher.join().map_err(|_| "watcher failed".to_string())?;
    sub.stop();
    publ.close(Duration::from_millis(100));
    lat.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        lat.get(((lat.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let unseen = probes.lock().map(|m| m.len()).unwrap_or(0);
    crate::bench::emit(
        json!({
            "bench": "ingest_mqtt",
            "baseline_per_s": total as f64 / base,
            "measured_per_s": (total + probe) as f64 / meas,
            "ratio": ((total + probe) as f64 / meas) / (total as f64 / base),
            "p99_ms": pct(0.99),
        }),
        json!({
            "store": target.name(),
            "points": o.points,
            "readings": total,
            "probes": probe,
            "unit": "readings",
            "baseline": "raw inserts, 2000 rows per transaction",
            "alarm_latency_p50_ms": pct(0.5),
            "alarm_latency_p99_ms": pct(0.99),
            "alarms_measured": lat.len(),
            "alarms_not_seen": unseen,
            "target_ratio": 0.5,
            "target_alarm_p99_ms": 1000,
        }),
    );
    Ok(())
}
