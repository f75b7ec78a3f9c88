//! The demo county's online monitoring: three tailings ponds of its mines (库水位, 干滩长度,
//! four 浸润线 holes, two surface-displacement marks and a rain gauge each) and the tank
//! farms of two chemical works (液位, 可燃气体, 温度), with a 2022 of readings every six hours
//! fed through the real ingestion, so the alarms are the rules' own:
//!
//! - 2022-06-21 (the heavy rain of the dispatch demo): the first pond's water rises to yellow
//!   at 12:00 and orange at 18:00, its rain gauge to red, its beach under its minimum, and
//!   its four phreatic-line holes to blue at once, which GB 50863-2013 5.5.4 makes a yellow
//!   warning of the item; the water alarm is turned into a hazard, the others handled on
//!   the spot;
//! - 2022-07-28: a tank farm's temperature at blue in the afternoon heat, cooled by spraying;
//! - 2022-08-15: a combustible-gas probe reads yellow once: a false alarm (calibration);
//! - 2022-09-08: a dam's surface mark moves to blue for a day: watched more closely.
//!
//! `SENSORS` is what `anjian demo-sensors` publishes live.

use super::Rng;
use crate::monitoring::{DisposalInput, ObjectInput, PointInput};
use crate::{App, Result};
use anjian_domain::enterprise::NewEnterprise;
use anjian_domain::monitoring::RawReading;
use anjian_domain::{Clock, FixedClock};
use anjian_store::enterprises::Enterprise;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;

/// A demo point: device suffix, kind, name, direction, thresholds (blue … red),
/// hysteresis, normal value and its spread.
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [f64; 4],
    f64,
    f64,
    f64,
);

/// A pond's points (`{n}` is the pond's number in the device id).
const POND: [Spec; 9] = [
    (
        "W1",
        "water_level",
        "库水位计",
        "above",
        [96.0, 96.5, 97.0, 97.5],
        0.1,
        95.2,
        0.15,
    ),
    (
        "D1",
        "beach_length",
        "干滩长度计",
        "below",
        [120.0, 100.0, 85.0, 70.0],
        2.0,
        150.0,
        4.0,
    ),
    (
        "J1",
        "saturation_line",
        "浸润线孔J1",
        "below",
        [8.0, 6.0, 5.0, 4.0],
        0.1,
        9.0,
        0.2,
    ),
    (
        "J2",
        "saturation_line",
        "浸润线孔J2",
        "below",
        [8.0, 6.0, 5.0, 4.0],
        0.1,
        9.2,
        0.2,
    ),
    (
        "J3",
        "saturation_line",
        "浸润线孔J3",
        "below",
        [8.0, 6.0, 5.0, 4.0],
        0.1,
        8.9,
        0.2,
    ),
    (
        "J4",
        "saturation_line",
        "浸润线孔J4",
        "below",
        [8.0, 6.0, 5.0, 4.0],
        0.1,
        9.1,
        0.2,
    ),
    (
        "S1",
        "surface_displacement",
        "坝面位移标S1",
        "above",
        [10.0, 20.0, 30.0, 40.0],
        1.0,
        3.0,
        1.0,
    ),
    (
        "S2",
        "surface_displacement",
        "坝面位移标S2",
        "above",
        [10.0, 20.0, 30.0, 40.0],
        1.0,
        2.5,
        1.0,
    ),
    (
        "R1",
        "rainfall",
        "雨量计",
        "above",
        [16.0, 30.0, 50.0, 70.0],
        1.0,
        0.0,
        0.0,
    ),
];

/// A tank farm's points.
const TANKS: [Spec; 5] = [
    (
        "L1",
        "liquid_level",
        "1号储罐液位",
        "above",
        [8.5, 9.0, 9.3, 9.6],
        0.05,
        6.0,
        0.8,
    ),
    (
        "L2",
        "liquid_level",
        "2号储罐液位",
        "above",
        [8.5, 9.0, 9.3, 9.6],
        0.05,
        5.5,
        0.8,
    ),
    (
        "G1",
        "gas_concentration",
        "罐区可燃气体探头G1",
        "above",
        [10.0, 20.0, 25.0, 50.0],
        2.0,
        1.0,
        0.6,
    ),
    (
        "G2",
        "gas_concentration",
        "罐区可燃气体探头G2",
        "above",
        [10.0, 20.0, 25.0, 50.0],
        2.0,
        1.2,
        0.6,
    ),
    (
        "T1",
        "temperature",
        "罐区温度",
        "above",
        [40.0, 45.0, 50.0, 60.0],
        1.0,
        24.0,
        6.0,
    ),
];

/// The devices `anjian demo-sensors` publishes for: every point of the demo's objects.
pub fn sensors() -> Vec<(String, &'static str, f64, f64, f64)> {
    let mut out = Vec::new();
    for n in 1..=3 {
        for p in &POND {
            out.push((
                format!("QJ-WK{n}-{}", p.0),
                p.1,
                p.6,
                p.7.max(0.1),
                alarm_value(&p.4),
            ));
        }
    }
    for n in 1..=2 {
        for p in &TANKS {
            out.push((
                format!("QJ-GQ{n}-{}", p.0),
                p.1,
                p.6,
                p.7,
                alarm_value(&p.4),
            ));
        }
    }
    out
}

/// A value between the yellow and orange thresholds, for either direction (what the live
/// stream sends now and then).
fn alarm_value(t: &[f64; 4]) -> f64 {
    (t[1] + t[2]) / 2.0
}

/// Unix ms of a 2022 day and hour, China time.
fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, month, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
        - Duration::hours(8)
}

/// The value a point reads at `t` (its normal value with noise, and the year's events).
fn value(rng: &mut Rng, object: &str, n: u32, p: &Spec, t: DateTime<Utc>) -> f64 {
    let noise = (rng.below(2001) as f64 / 1000.0 - 1.0) * p.7;
    let mut v = p.6 + noise;
    // Rain in the wet season.
    if p.0 == "R1" {
        v = if rng.below(10) == 0 {
            rng.below(120) as f64 / 10.0
        } else {
            0.0
        };
    }
    let is = |m, d, h| t == at(m, d, h);
    if object == "pond" && n == 1 {
        match p.0 {
            "W1" if is(6, 21, 12) => v = 96.6,
            "W1" if is(6, 21, 18) => v = 97.1,
            "W1" if is(6, 22, 0) => v = 96.8,
            "W1" if is(6, 22, 6) => v = 96.2,
            "R1" if is(6, 21, 6) => v = 12.0,
            "R1" if is(6, 21, 12) => v = 45.0,
            "R1" if is(6, 21, 18) => v = 72.0,
            "R1" if is(6, 22, 0) => v = 20.0,
            "D1" if is(6, 21, 18) => v = 118.0,
            "D1" if is(6, 22, 0) => v = 121.0,
            "J1" | "J2" | "J3" | "J4" if is(6, 21, 18) || is(6, 22, 0) => {
                v = 7.4 + f64::from(p.0.as_bytes()[1] - b'0') * 0.1;
            }
            _ => {}
        }
    }
    if object == "pond" && n == 2 && p.0 == "S1" && (is(9, 8, 12) || is(9, 8, 18) || is(9, 9, 0)) {
        v = 12.4;
    }
    if object == "tanks" && n == 1 && p.0 == "G1" && is(8, 15, 6) {
        v = 23.0;
    }
    if object == "tanks" && n == 2 && p.0 == "T1" && (is(7, 28, 12) || is(7, 28, 18)) {
        v = 41.5;
    }
    (v * 100.0).round() / 100.0
}

/// Writes the objects, points and 2022's readings, and disposes of the alarms; returns the
/// number of readings.
pub(super) fn generate(app: &App, seed: u64, list: &[NewEnterprise], ids: &[i64]) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0x4D0_417);
    let clock = Arc::new(FixedClock::new(at(1, 5, 9)));
    let work = App::new(app.store.clone(), clock.clone() as Arc<dyn Clock>);
    let office = work.system_caller("安委办")?;
    let firms = |sector: &str, chem: bool, n: usize| -> Vec<i64> {
        list.iter()
            .zip(ids)
            .filter(|(e, _)| e.sectors.first().map(String::as_str) == Some(sector))
            .filter(|(e, _)| !chem || e.name.contains('化'))
            .map(|(_, id)| *id)
            .take(n)
            .collect()
    };
    // The enterprise account of the demo (qiye) is the first hazardous-chemical enterprise;
    // its tank farm is the first.
    let qiye = list
        .iter()
        .zip(ids)
        .find(|(e, _)| e.sectors.first().map(String::as_str) == Some("hazchem"))
        .map(|(_, id)| *id);
    let mut tanks = qiye.into_iter().collect::<Vec<_>>();
    tanks.extend(
        firms("hazchem", true, 2)
            .into_iter()
            .filter(|id| Some(*id) != qiye),
    );
    tanks.truncate(2);
    let mut objects: Vec<(&str, u32, i64)> = Vec::new();
    for (i, e) in firms("mines", false, 3).into_iter().enumerate() {
        let n = i as u32 + 1;
        let ent = work.get_enterprise(&office, e)?;
        let o = work.create_monitored_object(
            &office,
            &object_at(
                "tailings_pond",
                format!(
                    "{}尾矿库",
                    ent.name
                        .trim_end_matches("有限公司")
                        .trim_end_matches("有限责任公司")
                ),
                &ent,
                [
                    "四等库，上游式，总库容约260万立方米",
                    "五等库，上游式，总库容约80万立方米",
                    "五等库，中线式，总库容约45万立方米",
                ][i],
            ),
        )?;
        for p in &POND {
            point(&work, &office, o.id, &format!("QJ-WK{n}-{}", p.0), p)?;
        }
        objects.push(("pond", n, o.id));
    }
    for (i, e) in tanks.into_iter().enumerate() {
        let n = i as u32 + 1;
        let ent = work.get_enterprise(&office, e)?;
        let o = work.create_monitored_object(
            &office,
            &object_at(
                "tank_farm",
                format!("{}储罐区", ent.name.trim_end_matches("有限公司")),
                &ent,
                "构成危险化学品重大危险源（三级）",
            ),
        )?;
        for p in &TANKS {
            point(&work, &office, o.id, &format!("QJ-GQ{n}-{}", p.0), p)?;
        }
        objects.push(("tanks", n, o.id));
    }
    // A year of readings every six hours, a day per batch.
    let mut count = 0;
    let mut day = at(1, 6, 0);
    let end = at(12, 31, 18);
    while day <= end {
        let mut batch = Vec::new();
        for h in 0..4 {
            let t = day + Duration::hours(6 * h);
            for (object, n, _) in &objects {
                let points: &[_] = if *object == "pond" { &POND } else { &TANKS };
                let prefix = if *object == "pond" { "WK" } else { "GQ" };
                for p in points {
                    batch.push(RawReading {
                        device: format!("QJ-{prefix}{n}-{}", p.0),
                        ts_ms: t.timestamp_millis(),
                        value: value(&mut rng, object, *n, p, t),
                        quality: 0,
                    });
                }
            }
        }
        clock.set(day + Duration::hours(23));
        count += work.ingest_readings(batch)?.stored;
        day += Duration::days(1);
    }
    dispose_all(&work, &clock)?;
    Ok(count)
}

fn point(app: &App, office: &crate::Caller, object: i64, device: &str, p: &Spec) -> Result<()> {
    app.create_monitoring_point(
        office,
        object,
        &PointInput {
            kind: p.1.into(),
            name: p.2.into(),
            device_id: device.into(),
            direction: p.3.into(),
            blue: Some(p.4[0]),
            yellow: Some(p.4[1]),
            orange: Some(p.4[2]),
            red: Some(p.4[3]),
            hysteresis: Some(p.5),
            // Ten years, the longest allowed: the demo's readings are of 2022, and a server
            // started today must not prune them as past a shorter retention.
            retention_days: Some(3650),
            active: true,
            ..Default::default()
        },
    )?;
    Ok(())
}

/// Acknowledges every alarm within minutes of its opening (of its last raise) and disposes
/// of it as the county did.
fn dispose_all(app: &App, clock: &FixedClock) -> Result<()> {
    let office = app.system_caller("安委办")?;
    let mut alarms = app.monitoring_alarms(&office, &Default::default())?;
    alarms.sort_by_key(|a| a.alarm.id);
    for v in alarms {
        let a = &v.alarm;
        let opened = DateTime::parse_from_rfc3339(&a.ack_due_at)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let limit = anjian_domain::monitoring::AckMinutes::default().of(a.level);
        clock.set(opened - Duration::minutes(limit) + Duration::minutes(6 + a.id % 7));
        let acked = app.acknowledge_alarm(&office, a.id, a.version)?;
        let (disposal, note) = match (a.item.as_str(), a.point_name.is_some()) {
            ("water_level", true) => ("hazard", "汛期库水位超过控制水位，调洪库容不足"),
            ("gas_concentration", _) => (
                "false_alarm",
                "探头标定漂移，现场便携式检测仪复测无泄漏，已重新标定",
            ),
            ("temperature", _) => ("on_site", "启动储罐喷淋降温，加密巡检至温度回落"),
            ("surface_displacement", _) => {
                ("on_site", "加密人工观测，坝面排水沟清淤，位移趋于稳定")
            }
            ("rainfall", _) => ("on_site", "启动防汛应急预案，安排24小时值守，提前泄洪"),
            _ => (
                "on_site",
                "加密人工巡查，开启排渗设施降低浸润线，已恢复正常",
            ),
        };
        clock.set(clock.now() + Duration::minutes(50));
        app.dispose_alarm(
            &office,
            a.id,
            &DisposalInput {
                disposal: disposal.into(),
                note: note.into(),
                version: acked.view.alarm.version,
                ..Default::default()
            },
        )?;
    }
    Ok(())
}

/// A demo object of `kind` at its enterprise's place, silent past 12 hours.
fn object_at(kind: &str, name: String, ent: &Enterprise, note: &str) -> ObjectInput {
    let degrees = |m: Option<i64>| {
        m.map(anjian_domain::emergency::degrees_text)
            .unwrap_or_default()
    };
    ObjectInput {
        kind: kind.into(),
        name,
        enterprise_id: Some(ent.id),
        offline_minutes: Some(720),
        lng: degrees(ent.lng_micro),
        lat: degrees(ent.lat_micro),
        note: note.into(),
        active: true,
        ..Default::default()
    }
}
