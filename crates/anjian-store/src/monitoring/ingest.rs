//! Readings in, alarms out.
//!
//! One batch is one store write (`Store::write`): on PostgreSQL it takes the audit head's row
//! lock first, like every other write, so batches are ordered with each other and with the
//! other writes of every instance in one lock order (SQLite has one writer). Every point is
//! therefore judged from the level the previous batch left it at, whichever instance
//! received either, and a batch that shares a group commit with other writes cannot
//! deadlock with another instance's group. The readings are inserted first,
//! `ON CONFLICT DO NOTHING … RETURNING`: a repeated delivery stores nothing and is judged
//! again by nothing. Each new reading of good or suspect quality is then judged against its
//! point's thresholds (`monitoring::level_of`) in time order; a reading older than the
//! point's newest changes no level. A point's change of level opens, raises, lowers or
//! clears its alarm; readings that keep it where it is are folded into the alarm (`repeats`).
//! A tailings pond whose points moved has its items and itself judged again
//! (GB 50863-2013 5.5.4): an item or pond alarm is open exactly while the count of points or
//! items puts it above the highest level beneath it.

use super::judge::{Subject, judge_pond, peak_value, step};
use crate::db::Tx;
use crate::{Result, Store, Value, params, ts};
use anjian_domain::monitoring::{
    AckMinutes, AlarmTarget, Direction, Escalation, Level, ObjectKind, PointKind, RawReading,
    Thresholds, level_of,
};
use chrono::DateTime;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The county's rules the ingestion applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestRules {
    pub escalation: Escalation,
    pub ack: AckMinutes,
    /// The level of a 设备离线 alarm.
    pub offline_level: Option<Level>,
}

/// A reading for the raw baseline (`insert_readings_raw`): point, Unix ms, value, quality.
pub type ReadingRow = (i64, i64, f64, i64);

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestOutcome {
    /// Readings stored, and those already stored (a repeated delivery, or a second reading
    /// of one point at one instant in the batch).
    pub stored: usize,
    pub duplicates: usize,
    /// Device ids with no active point (each reading of theirs is refused).
    pub unknown: Vec<String>,
    pub opened: Vec<i64>,
    pub raised: Vec<i64>,
    pub cleared: Vec<i64>,
}

/// A point as the ingestion judges it, with its object.
#[derive(Debug, Clone)]
struct Judged {
    id: i64,
    object_id: i64,
    kind: PointKind,
    th: Thresholds,
    level: Option<Level>,
    offline: bool,
    object_kind: ObjectKind,
    place: Place,
    /// The point's newest reading before the batch (Unix ms): a reading at or before it is
    /// late and judges nothing.
    newest: Option<i64>,
}

/// Where an alarm lies (copied onto it, so alarms are scoped without a join).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    pub(super) county: String,
    pub(super) region: String,
    pub(super) enterprise: Option<i64>,
}

crate::table_row! {
    table "monitoring_points", key id, cols JUDGED_COLS;
    fn judged_row(Row) -> JudgedRow {
        id: i64 = "p.id",
        device_id: text = "p.device_id",
        object_id: i64 = "p.object_id",
        kind: code(PointKind::parse) = "p.kind",
        direction: code(Direction::parse) = "p.direction",
        blue: opt_f64 = "p.blue",
        yellow: opt_f64 = "p.yellow",
        orange: opt_f64 = "p.orange",
        red: opt_f64 = "p.red",
        hysteresis: f64 = "p.hysteresis",
        level: opt_code(Level::parse) = "p.level",
        offline_since: opt_text = "p.offline_since",
        object_kind: code(ObjectKind::parse) = "o.kind",
        county_code: text = "o.county_code",
        region_code: text = "o.region_code",
        enterprise_id: opt_i64 = "o.enterprise_id",
        newest: opt_i64 = "(SELECT MAX(r.ts) FROM monitoring_readings r WHERE r.point_id = p.id)",
    }
}

/// A point's row as read for judging (flat, as declared); [`Judged`] is its working shape.
struct JudgedRow {
    id: i64,
    device_id: String,
    object_id: i64,
    kind: PointKind,
    direction: Direction,
    blue: Option<f64>,
    yellow: Option<f64>,
    orange: Option<f64>,
    red: Option<f64>,
    hysteresis: f64,
    level: Option<Level>,
    offline_since: Option<String>,
    object_kind: ObjectKind,
    county_code: String,
    region_code: String,
    enterprise_id: Option<i64>,
    newest: Option<i64>,
}

impl JudgedRow {
    /// The point's device id and its working shape.
    fn into_judged(self) -> (String, Judged) {
        (
            self.device_id,
            Judged {
                id: self.id,
                object_id: self.object_id,
                kind: self.kind,
                th: Thresholds {
                    direction: self.direction,
                    blue: self.blue,
                    yellow: self.yellow,
                    orange: self.orange,
                    red: self.red,
                    hysteresis: self.hysteresis,
                },
                level: self.level,
                offline: self.offline_since.is_some(),
                object_kind: self.object_kind,
                place: Place {
                    county: self.county_code,
                    region: self.region_code,
                    enterprise: self.enterprise_id,
                },
                newest: self.newest,
            },
        )
    }
}

/// The active points (of active objects) with their objects and each one's newest reading
/// before the batch; a condition on `p` follows. The newest reading is one probe of the
/// readings' primary key per point (a correlated `MAX`), whose plan does not depend on the
/// table's statistics: `… WHERE point_id IN (…) GROUP BY point_id` read every reading of the
/// points, and on PostgreSQL, while the statistics still described the table as nearly
/// empty (a new store taking its first flood of readings), scanned the whole table.
fn point_sql() -> String {
    format!(
        "SELECT {JUDGED_COLS} FROM monitoring_points p JOIN monitored_objects o ON o.id = p.object_id WHERE p.active AND o.active AND "
    )
}

/// Inserts rows, answering those that were new.
fn insert_rows(tx: &mut dyn Tx, rows: &[ReadingRow]) -> Result<Vec<(i64, i64)>> {
    let mut fresh = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(250) {
        let values = vec!["(?, ?, ?, ?)"; chunk.len()].join(", ");
        let mut p = Vec::with_capacity(chunk.len() * 4);
        for &(point, t, v, q) in chunk {
            p.extend([
                Value::Int(point),
                Value::Int(t),
                Value::Real(v),
                Value::Int(q),
            ]);
        }
        for r in tx.query(
            &format!("INSERT INTO monitoring_readings (point_id, ts, value, quality) VALUES {values} ON CONFLICT DO NOTHING RETURNING point_id, ts"),
            &p,
        )? {
            fresh.push((r.i64(0)?, r.i64(1)?));
        }
    }
    Ok(fresh)
}

/// The China Standard Time day of a Unix-ms instant (`YYYY-MM-DD`).
pub(super) fn china_day(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&anjian_domain::clock::china_offset())
                .date_naive()
                .to_string()
        })
        .unwrap_or_default()
}

pub(super) fn at_ms(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(ts)
        .unwrap_or_default()
}

impl Store {
    /// Stores a batch of readings and applies the alarm rules (see the module's notes).
    pub fn ingest_readings(
        &self,
        readings: &[RawReading],
        rules: &IngestRules,
    ) -> Result<IngestOutcome> {
        self.write(|tx| {
            let mut out = IngestOutcome::default();
            let devices: BTreeSet<&str> = readings.iter().map(|r| r.device.as_str()).collect();
            let devices: Vec<&str> = devices.into_iter().collect();
            let mut points: HashMap<String, Judged> = HashMap::with_capacity(devices.len());
            for chunk in devices.chunks(500) {
                let mut p = Vec::new();
                let cond = crate::scope_sql::in_list("p.device_id", chunk, &mut p);
                for r in tx.query(&format!("{}{cond}", point_sql()), &p)? {
                    let (device, j) = judged_row(r)?.into_judged();
                    points.insert(device, j);
                }
            }
            let mut rows: Vec<ReadingRow> = Vec::with_capacity(readings.len());
            let mut unknown = BTreeSet::new();
            for r in readings {
                match points.get(&r.device) {
                    Some(j) => rows.push((j.id, r.ts_ms, r.value, i64::from(r.quality))),
                    None => {
                        unknown.insert(r.device.clone());
                    }
                }
            }
            out.unknown = unknown.into_iter().collect();
            rows.sort_by_key(|r| (r.0, r.1));
            // Two readings of one point at one instant in a batch: the first is the one
            // stored (the sort is stable), and the only one judged; the other counts as a
            // repeated delivery.
            let received = rows.len();
            rows.dedup_by_key(|r| (r.0, r.1));
            let fresh: BTreeSet<(i64, i64)> = insert_rows(tx, &rows)?.into_iter().collect();
            out.stored = fresh.len();
            out.duplicates = received - fresh.len();
            let by_id: HashMap<i64, &Judged> = points.values().map(|j| (j.id, j)).collect();
            let mut ponds: BTreeMap<i64, (&Place, i64)> = BTreeMap::new();
            // Rows are in (point, time) order: judge each point's run in turn.
            for run in rows.chunk_by(|a, b| a.0 == b.0) {
                let Some(j) = by_id.get(&run[0].0) else { continue };
                let newest = j.newest.unwrap_or(i64::MIN);
                let mut level = j.level;
                let mut last = None;
                let mut folded = 0i64;
                let s = Subject {
                    key: format!("p:{}", j.id),
                    target: AlarmTarget::Point,
                    object_id: j.object_id,
                    point_id: Some(j.id),
                    item: j.kind.as_str(),
                    place: &j.place,
                    direction: j.th.direction,
                };
                let mut changed = None;
                for &(_, t, v, q) in run {
                    if q >= 2 || t <= newest || !fresh.contains(&(j.id, t)) {
                        continue;
                    }
                    let next = level_of(&j.th, v, level);
                    if next != level {
                        step(tx, &s, level, next, t, Some(v), &rules.ack, &mut out)?;
                        level = next;
                        changed = Some(t);
                    } else if level.is_some() {
                        folded += 1;
                        last = Some((t, v));
                    }
                }
                if let Some((t, v)) = last {
                    let when = at_ms(t);
                    tx.execute(
                        "UPDATE monitoring_alarms SET repeats = repeats + ?, last_at = ?, last_value = ?, version = version + 1 WHERE active_key = ?",
                        &params![folded, when.as_str(), v, s.key.as_str()],
                    )?;
                    if let Some(id) = tx
                        .query_opt("SELECT id FROM monitoring_alarms WHERE active_key = ?", &params![s.key.as_str()])?
                    {
                        peak_value(tx, id.i64(0)?, j.th.direction, v)?;
                    }
                }
                if let Some(t) = changed {
                    tx.execute(
                        "UPDATE monitoring_points SET level = ? WHERE id = ?",
                        &params![level.map(Level::as_str), j.id],
                    )?;
                    if j.object_kind == ObjectKind::TailingsPond {
                        // The pond is judged at its points' latest change.
                        let e = ponds.entry(j.object_id).or_insert((&j.place, t));
                        e.1 = e.1.max(t);
                    }
                }
                if j.offline {
                    let t = run.last().map_or(0, |r| r.1);
                    let off = Subject {
                        key: format!("off:{}", j.id),
                        target: AlarmTarget::Offline,
                        ..s
                    };
                    step(tx, &off, rules.offline_level, None, t, None, &rules.ack, &mut out)?;
                    tx.execute(
                        "UPDATE monitoring_points SET offline_since = NULL WHERE id = ?",
                        &params![j.id],
                    )?;
                }
            }
            for (object_id, (place, t)) in ponds {
                judge_pond(tx, object_id, place, t, rules, &mut out)?;
            }
            Ok(out)
        })
    }

    /// The baseline of the ingestion benchmark: the same rows inserted the same way, with no
    /// rule applied. It alone of the store's writes does not take the audit head first:
    /// the benchmark's, on a scratch store no server writes to.
    pub fn insert_readings_raw(&self, rows: &[ReadingRow]) -> Result<usize> {
        self.db().write(|tx| Ok(insert_rows(tx, rows)?.len()))
    }
}
