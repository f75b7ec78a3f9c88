//! Readings in, alarms out.
//!
//! One batch is one transaction, ordered with the other batches by an advisory lock on
//! PostgreSQL (SQLite has one writer), so every point is judged from the level the previous
//! batch left it at, whichever instance received either. The readings are inserted first,
//! `ON CONFLICT DO NOTHING … RETURNING`: a repeated delivery stores nothing and is judged
//! again by nothing. Each new reading of good or suspect quality is then judged against its
//! point's thresholds (`monitoring::level_of`) in time order; a reading older than the
//! point's newest changes no level. A point's change of level opens, raises, lowers or
//! clears its alarm; readings that keep it where it is are folded into the alarm (`repeats`).
//! A tailings pond whose points moved has its items and itself judged again
//! (GB 50863-2013 5.5.4): an item or pond alarm is open exactly while the count of points or
//! items puts it above the highest level beneath it.

use super::INGEST_LOCK;
use crate::db::{Dialect, Tx};
use crate::{Result, Store, Value, params, ts};
use anjian_domain::monitoring::{
    AckMinutes, AlarmTarget, Direction, Escalation, Level, ObjectKind, PointKind, RawReading,
    Thresholds, item_level, level_of, pond_level,
};
use chrono::{DateTime, Duration, Utc};
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
    /// Readings stored, and those already stored (a repeated delivery).
    pub stored: usize,
    pub duplicates: usize,
    /// Device ids with no active point (each reading of theirs is refused).
    pub unknown: Vec<String>,
    pub opened: Vec<i64>,
    pub raised: Vec<i64>,
    pub cleared: Vec<i64>,
}

/// What one offline scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfflineOutcome {
    pub opened: Vec<i64>,
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
}

/// Where an alarm lies (copied onto it, so alarms are scoped without a join).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    county: String,
    region: String,
    enterprise: Option<i64>,
}

const POINT_SQL: &str = "SELECT p.id, p.device_id, p.object_id, p.kind, p.direction, p.blue, p.yellow, p.orange, p.red, p.hysteresis, p.level, p.offline_since, o.kind, o.county_code, o.region_code, o.enterprise_id FROM monitoring_points p JOIN monitored_objects o ON o.id = p.object_id WHERE p.active AND o.active AND ";

fn judged(r: &crate::db::Row) -> Result<(String, Judged)> {
    let code = |i: usize| -> Result<String> { r.text(i) };
    let bad = |c: &'static str| crate::StoreError::Corrupt {
        table: "monitoring_points",
        row: r.i64(0).unwrap_or(0),
        column: c,
        value: String::new(),
    };
    let level = match r.opt_text(10)? {
        None => None,
        Some(l) => Some(Level::parse(&l).ok_or_else(|| bad("level"))?),
    };
    Ok((
        code(1)?,
        Judged {
            id: r.i64(0)?,
            object_id: r.i64(2)?,
            kind: PointKind::parse(&code(3)?).ok_or_else(|| bad("kind"))?,
            th: Thresholds {
                direction: Direction::parse(&code(4)?).ok_or_else(|| bad("direction"))?,
                blue: opt_f64(r, 5)?,
                yellow: opt_f64(r, 6)?,
                orange: opt_f64(r, 7)?,
                red: opt_f64(r, 8)?,
                hysteresis: r.f64(9)?,
            },
            level,
            offline: r.opt_text(11)?.is_some(),
            object_kind: ObjectKind::parse(&code(12)?).ok_or_else(|| bad("object kind"))?,
            place: Place {
                county: code(13)?,
                region: code(14)?,
                enterprise: r.opt_i64(15)?,
            },
        },
    ))
}

fn opt_f64(r: &crate::db::Row, i: usize) -> Result<Option<f64>> {
    match r.0.get(i) {
        Some(Value::Null) | None => Ok(None),
        _ => r.f64(i).map(Some),
    }
}

fn lock(tx: &mut dyn Tx) -> Result<()> {
    if tx.dialect() == Dialect::Postgres {
        tx.batch(&format!("SELECT pg_advisory_xact_lock({INGEST_LOCK})"))?;
    }
    Ok(())
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
fn china_day(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&anjian_domain::clock::china_offset())
                .date_naive()
                .to_string()
        })
        .unwrap_or_default()
}

fn at_ms(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(ts)
        .unwrap_or_default()
}

/// Each point's newest reading before the batch is stored (a reading at or before it is late
/// and judges nothing).
fn newest_before(tx: &mut dyn Tx, rows: &[ReadingRow]) -> Result<HashMap<i64, i64>> {
    let ids: Vec<i64> = rows.chunk_by(|a, b| a.0 == b.0).map(|r| r[0].0).collect();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut p = Vec::new();
        let cond = crate::scope_sql::in_list("point_id", chunk, &mut p);
        for r in tx.query(
            &format!(
                "SELECT point_id, MAX(ts) FROM monitoring_readings WHERE {cond} GROUP BY point_id"
            ),
            &p,
        )? {
            out.insert(r.i64(0)?, r.i64(1)?);
        }
    }
    Ok(out)
}

/// An alarm to keep in step with a level: its key, what it is about, where.
struct Subject<'a> {
    key: String,
    target: AlarmTarget,
    object_id: i64,
    point_id: Option<i64>,
    item: &'a str,
    place: &'a Place,
    direction: Direction,
}

/// Moves the alarm of `s` from `from` to `to` at `at` (Unix ms) with `value`; answers
/// whether it opened, rose or cleared (for the outcome).
#[allow(clippy::too_many_arguments)]
fn step(
    tx: &mut dyn Tx,
    s: &Subject<'_>,
    from: Option<Level>,
    to: Option<Level>,
    at: i64,
    value: Option<f64>,
    ack: &AckMinutes,
    out: &mut IngestOutcome,
) -> Result<()> {
    let when = at_ms(at);
    let active = tx.query_opt(
        "SELECT id, level FROM monitoring_alarms WHERE active_key = ?",
        &params![s.key.as_str()],
    )?;
    let active = match active {
        Some(r) => Some((r.i64(0)?, Level::parse(&r.text(1)?).unwrap_or(Level::Red))),
        None => None,
    };
    match (active, to) {
        (None, None) => {}
        (None, Some(l)) => {
            let due = at_ms(at + ack.of(l) * 60_000);
            let id = tx.scalar_i64(
                "INSERT INTO monitoring_alarms (county_code, region_code, enterprise_id, object_id, point_id, target, item, level, first_level, active_key, opened_at, opened_on, last_at, last_value, peak_value, ack_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![s.place.county.as_str(), s.place.region.as_str(), s.place.enterprise, s.object_id, s.point_id, s.target.as_str(), s.item, l.as_str(), l.as_str(), s.key.as_str(), when.as_str(), china_day(at).as_str(), when.as_str(), value, value, due.as_str()],
            )?;
            event(tx, id, &when, "opened", l, value)?;
            out.opened.push(id);
        }
        (Some((id, _)), None) => {
            tx.execute(
                "UPDATE monitoring_alarms SET active_key = NULL, cleared_at = ?, last_at = ?, last_value = COALESCE(?, last_value), version = version + 1 WHERE id = ?",
                &params![when.as_str(), when.as_str(), value, id],
            )?;
            event(tx, id, &when, "cleared", from.unwrap_or(Level::Blue), value)?;
            out.cleared.push(id);
        }
        (Some((id, peak)), Some(l)) => {
            let up = from.is_none_or(|f| l > f);
            if l > peak {
                // Above anything acknowledged so far: to be acknowledged again, sooner.
                let due = at_ms(at + ack.of(l) * 60_000);
                tx.execute(
                    "UPDATE monitoring_alarms SET level = ?, acknowledged_at = NULL, acknowledged_by_name = '', ack_due_at = ?, last_at = ?, last_value = COALESCE(?, last_value), version = version + 1 WHERE id = ?",
                    &params![l.as_str(), due.as_str(), when.as_str(), value, id],
                )?;
                out.raised.push(id);
            } else {
                tx.execute(
                    "UPDATE monitoring_alarms SET last_at = ?, last_value = COALESCE(?, last_value), version = version + 1 WHERE id = ?",
                    &params![when.as_str(), value, id],
                )?;
            }
            event(
                tx,
                id,
                &when,
                if up { "raised" } else { "lowered" },
                l,
                value,
            )?;
            if let Some(v) = value {
                peak_value(tx, id, s.direction, v)?;
            }
        }
    }
    Ok(())
}

fn peak_value(tx: &mut dyn Tx, id: i64, d: Direction, v: f64) -> Result<()> {
    let sql = match d {
        Direction::Above => {
            "UPDATE monitoring_alarms SET peak_value = ? WHERE id = ? AND (peak_value IS NULL OR peak_value < ?)"
        }
        Direction::Below => {
            "UPDATE monitoring_alarms SET peak_value = ? WHERE id = ? AND (peak_value IS NULL OR peak_value > ?)"
        }
    };
    tx.execute(sql, &params![v, id, v])?;
    Ok(())
}

fn event(
    tx: &mut dyn Tx,
    alarm: i64,
    at: &str,
    kind: &str,
    l: Level,
    value: Option<f64>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO monitoring_alarm_events (alarm_id, at, kind, level, value) VALUES (?, ?, ?, ?, ?)",
        &params![alarm, at, kind, l.as_str(), value],
    )?;
    Ok(())
}

/// Judges a tailings pond's items and the pond again from its points' levels.
fn judge_pond(
    tx: &mut dyn Tx,
    object_id: i64,
    place: &Place,
    at: i64,
    rules: &IngestRules,
    out: &mut IngestOutcome,
) -> Result<()> {
    let mut items: BTreeMap<String, Vec<Option<Level>>> = BTreeMap::new();
    for r in tx.query(
        "SELECT kind, level FROM monitoring_points WHERE object_id = ? AND active",
        &params![object_id],
    )? {
        let level = r.opt_text(1)?.and_then(|l| Level::parse(&l));
        items.entry(r.text(0)?).or_default().push(level);
    }
    let mut item_levels = Vec::new();
    for (kind, points) in &items {
        let level = item_level(points, &rules.escalation);
        let highest = points.iter().flatten().max().copied();
        item_levels.push(level);
        let s = Subject {
            key: format!("i:{object_id}:{kind}"),
            target: AlarmTarget::Item,
            object_id,
            point_id: None,
            item: kind,
            place,
            direction: Direction::Above,
        };
        let want = level.filter(|l| highest.is_none_or(|h| *l > h));
        let had = current(tx, &s.key)?;
        if want != had {
            step(tx, &s, had, want, at, None, &rules.ack, out)?;
        }
    }
    let pond = pond_level(&item_levels, &rules.escalation);
    let highest = item_levels.iter().flatten().max().copied();
    let s = Subject {
        key: format!("o:{object_id}"),
        target: AlarmTarget::Object,
        object_id,
        point_id: None,
        item: "",
        place,
        direction: Direction::Above,
    };
    let want = pond.filter(|l| highest.is_none_or(|h| *l > h));
    let had = current(tx, &s.key)?;
    if want != had {
        step(tx, &s, had, want, at, None, &rules.ack, out)?;
    }
    Ok(())
}

/// The present level of the active alarm under `key` (none: no active alarm).
fn current(tx: &mut dyn Tx, key: &str) -> Result<Option<Level>> {
    Ok(tx
        .query_opt(
            "SELECT e.level FROM monitoring_alarm_events e WHERE e.alarm_id = (SELECT a.id FROM monitoring_alarms a WHERE a.active_key = ?) AND e.kind IN ('opened', 'raised', 'lowered') ORDER BY e.id DESC LIMIT 1",
            &params![key],
        )?
        .and_then(|r| r.text(0).ok())
        .and_then(|l| Level::parse(&l)))
}

impl Store {
    /// Stores a batch of readings and applies the alarm rules (see the module's notes).
    pub fn ingest_readings(
        &self,
        readings: &[RawReading],
        rules: &IngestRules,
    ) -> Result<IngestOutcome> {
        self.db().write(|tx| {
            lock(tx)?;
            let mut out = IngestOutcome::default();
            let devices: BTreeSet<&str> = readings.iter().map(|r| r.device.as_str()).collect();
            let devices: Vec<&str> = devices.into_iter().collect();
            let mut points: HashMap<String, Judged> = HashMap::with_capacity(devices.len());
            for chunk in devices.chunks(500) {
                let mut p = Vec::new();
                let cond = crate::scope_sql::in_list("p.device_id", chunk, &mut p);
                for r in tx.query(&format!("{POINT_SQL}{cond}"), &p)? {
                    let (device, j) = judged(&r)?;
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
            let newest = newest_before(tx, &rows)?;
            let fresh: BTreeSet<(i64, i64)> = insert_rows(tx, &rows)?.into_iter().collect();
            out.stored = fresh.len();
            out.duplicates = rows.len() - fresh.len();
            let by_id: HashMap<i64, &Judged> = points.values().map(|j| (j.id, j)).collect();
            let mut ponds: BTreeMap<i64, (&Place, i64)> = BTreeMap::new();
            // Rows are in (point, time) order: judge each point's run in turn.
            for run in rows.chunk_by(|a, b| a.0 == b.0) {
                let Some(j) = by_id.get(&run[0].0) else { continue };
                let newest = newest.get(&j.id).copied().unwrap_or(i64::MIN);
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
    /// rule applied.
    pub fn insert_readings_raw(&self, rows: &[ReadingRow]) -> Result<usize> {
        self.db().write(|tx| Ok(insert_rows(tx, rows)?.len()))
    }

    /// Opens a 设备离线 alarm for each active point that has sent nothing for its object's
    /// offline minutes before `now` (a point never heard from counts from its creation).
    pub fn monitoring_offline_scan(
        &self,
        now: DateTime<Utc>,
        rules: &IngestRules,
    ) -> Result<OfflineOutcome> {
        let Some(level) = rules.offline_level else {
            return Ok(OfflineOutcome::default());
        };
        self.db().write(|tx| {
            lock(tx)?;
            let mut out = IngestOutcome::default();
            let rows = tx.query(
                "SELECT p.id, p.object_id, p.kind, p.created_at, o.offline_minutes, o.county_code, o.region_code, o.enterprise_id, (SELECT MAX(r.ts) FROM monitoring_readings r WHERE r.point_id = p.id) FROM monitoring_points p JOIN monitored_objects o ON o.id = p.object_id WHERE p.active AND o.active AND p.offline_since IS NULL",
                &[],
            )?;
            for r in rows {
                let last = match r.opt_i64(8)? {
                    Some(t) => t,
                    None => DateTime::parse_from_rfc3339(&r.text(3)?)
                        .map(|t| t.timestamp_millis())
                        .unwrap_or(0),
                };
                let limit = Duration::minutes(r.i64(4)?).num_milliseconds();
                if now.timestamp_millis() - last < limit {
                    continue;
                }
                let place = Place {
                    county: r.text(5)?,
                    region: r.text(6)?,
                    enterprise: r.opt_i64(7)?,
                };
                let (id, kind) = (r.i64(0)?, r.text(2)?);
                let s = Subject {
                    key: format!("off:{id}"),
                    target: AlarmTarget::Offline,
                    object_id: r.i64(1)?,
                    point_id: Some(id),
                    item: &kind,
                    place: &place,
                    direction: Direction::Above,
                };
                step(tx, &s, None, Some(level), now.timestamp_millis(), None, &rules.ack, &mut out)?;
                tx.execute(
                    "UPDATE monitoring_points SET offline_since = ? WHERE id = ?",
                    &params![at_ms(last).as_str(), id],
                )?;
            }
            Ok(OfflineOutcome { opened: out.opened })
        })
    }

    /// Deletes readings older than each point's retention before `now`; answers how many.
    pub fn monitoring_prune(&self, now: DateTime<Utc>) -> Result<u64> {
        let points = self.db().read(|tx| {
            tx.query("SELECT id, retention_days FROM monitoring_points", &[])?
                .iter()
                .map(|r| Ok((r.i64(0)?, r.i64(1)?)))
                .collect::<Result<Vec<(i64, i64)>>>()
        })?;
        let mut n = 0;
        for (id, days) in points {
            let before = (now - Duration::days(days)).timestamp_millis();
            n += self.db().write(|tx| {
                tx.execute(
                    "DELETE FROM monitoring_readings WHERE point_id = ? AND ts < ?",
                    &params![id, before],
                )
            })?;
        }
        Ok(n)
    }
}
