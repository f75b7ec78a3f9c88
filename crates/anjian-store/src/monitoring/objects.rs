//! Monitored objects and their points.

use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::{Change, Result, Store, StoreError, Value, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::monitoring::{Direction, Level, ObjectKind, PointKind, Thresholds};
use serde::Serialize;

/// A monitored object as shown.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MonitoredObject {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub kind: ObjectKind,
    pub name: String,
    /// Minutes a point may stay silent before its 设备离线 alarm.
    pub offline_minutes: i64,
    pub lng_micro: Option<i64>,
    pub lat_micro: Option<i64>,
    pub note: String,
    pub active: bool,
    /// Its points, and how many are past a threshold now.
    pub points: i64,
    pub points_alarming: i64,
    /// Alarms not yet disposed of.
    pub pending_alarms: i64,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "monitored_objects", key id, cols OBJECT_COLS;
    fn object_row -> MonitoredObject {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = monitored_objects.region_code), monitored_objects.region_code)",
        enterprise_id: opt_i64,
        enterprise_name: opt_text = "(SELECT e.name FROM enterprises e WHERE e.id = monitored_objects.enterprise_id)",
        kind: code(ObjectKind::parse),
        name: text,
        offline_minutes: i64,
        lng_micro: opt_i64,
        lat_micro: opt_i64,
        note: text,
        active: bool,
        points: i64 = "(SELECT COUNT(*) FROM monitoring_points p WHERE p.object_id = monitored_objects.id)",
        points_alarming: i64 = "(SELECT COUNT(*) FROM monitoring_points p WHERE p.object_id = monitored_objects.id AND p.level IS NOT NULL)",
        pending_alarms: i64 = "(SELECT COUNT(*) FROM monitoring_alarms a WHERE a.object_id = monitored_objects.id AND a.disposed_at IS NULL)",
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A monitoring point as shown, with its latest reading.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = MonitoringPoint)]
pub struct Point {
    pub id: i64,
    pub object_id: i64,
    pub kind: PointKind,
    pub name: String,
    pub unit: String,
    pub device_id: String,
    pub direction: Direction,
    pub blue: Option<f64>,
    pub yellow: Option<f64>,
    pub orange: Option<f64>,
    pub red: Option<f64>,
    pub hysteresis: f64,
    pub retention_days: i64,
    /// The level the point is at now (none: normal).
    pub level: Option<Level>,
    /// Since when it has sent nothing (its offline alarm is open).
    pub offline_since: Option<String>,
    pub active: bool,
    /// The latest reading: Unix milliseconds and value.
    pub last_ts: Option<i64>,
    pub last_value: Option<f64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Point {
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            direction: self.direction,
            blue: self.blue,
            yellow: self.yellow,
            orange: self.orange,
            red: self.red,
            hysteresis: self.hysteresis,
        }
    }
}

crate::table_row! {
    table "monitoring_points", key id, cols POINT_COLS;
    fn point_row -> Point {
        id: i64,
        object_id: i64,
        kind: code(PointKind::parse),
        name: text,
        unit: text,
        device_id: text,
        direction: code(Direction::parse),
        blue: opt_f64,
        yellow: opt_f64,
        orange: opt_f64,
        red: opt_f64,
        hysteresis: f64,
        retention_days: i64,
        level: opt_code(Level::parse),
        offline_since: opt_text,
        active: bool,
        last_ts: opt_i64 = "(SELECT MAX(r.ts) FROM monitoring_readings r WHERE r.point_id = monitoring_points.id)",
        last_value: opt_f64 = "(SELECT r.value FROM monitoring_readings r WHERE r.point_id = monitoring_points.id ORDER BY r.ts DESC LIMIT 1)",
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// An object to write (validated by the use case).
#[derive(Debug, Clone, PartialEq)]
pub struct NewObject {
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    pub kind: ObjectKind,
    pub name: String,
    pub offline_minutes: i64,
    pub lng_micro: Option<i64>,
    pub lat_micro: Option<i64>,
    pub note: String,
    pub active: bool,
}

/// A point to write (validated by the use case).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPoint {
    pub kind: PointKind,
    pub name: String,
    pub unit: String,
    pub device_id: String,
    pub thresholds: Thresholds,
    pub retention_days: i64,
    pub active: bool,
}

/// Which objects to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectFilter {
    pub kind: Option<ObjectKind>,
    pub region_prefix: Option<String>,
    pub enterprise_id: Option<i64>,
}

/// One reading for a chart or a table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PointReading {
    /// Unix milliseconds.
    pub ts: i64,
    pub value: f64,
    pub quality: i64,
}

pub(super) fn object_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<MonitoredObject> {
    let mut p = Vec::new();
    let cond = scope_sql::monitored(scope, "monitored_objects", &mut p);
    p.push(id.into());
    object_row(
        &tx.query_opt(
            &format!("SELECT {OBJECT_COLS} FROM monitored_objects WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?,
    )
}

fn read_point(tx: &mut dyn Tx, id: i64) -> Result<Point> {
    point_row(&tx.query_one(
        &format!("SELECT {POINT_COLS} FROM monitoring_points WHERE id = ?"),
        &params![id],
    )?)
}

/// The enterprise must be visible to the scope and lie at the object's place.
fn check_enterprise(tx: &mut dyn Tx, scope: &Scope, o: &NewObject) -> Result<()> {
    let Some(eid) = o.enterprise_id else {
        return Ok(());
    };
    let mut p = Vec::new();
    let cond = scope_sql::enterprise(scope, "e", &mut p);
    p.push(eid.into());
    let region = tx
        .query_opt(
            &format!("SELECT e.region_code FROM enterprises e WHERE {cond} AND e.id = ?"),
            &p,
        )?
        .ok_or_else(|| StoreError::Invalid("enterprise_id".into()))?
        .text(0)?;
    if region != o.region_code {
        return Err(StoreError::Invalid("region_code".into()));
    }
    Ok(())
}

pub(super) fn point_values(p: &NewPoint) -> Vec<Value> {
    let t = &p.thresholds;
    params![
        p.kind.as_str(),
        p.name.as_str(),
        p.unit.as_str(),
        p.device_id.as_str(),
        t.direction.as_str(),
        t.blue,
        t.yellow,
        t.orange,
        t.red,
        t.hysteresis,
        p.retention_days,
        p.active
    ]
    .to_vec()
}

impl Store {
    /// The objects the scope sees.
    pub fn monitored_objects(
        &self,
        scope: &Scope,
        f: &ObjectFilter,
    ) -> Result<Vec<MonitoredObject>> {
        self.db().read(|tx| {
            let mut p = Vec::new();
            let mut cond = scope_sql::monitored(scope, "monitored_objects", &mut p);
            if let Some(k) = f.kind {
                cond.push_str(" AND kind = ?");
                p.push(k.as_str().into());
            }
            if let Some(r) = &f.region_prefix {
                cond.push_str(" AND ");
                cond.push_str(&scope_sql::region_subtree("region_code", r, &mut p));
            }
            if let Some(e) = f.enterprise_id {
                cond.push_str(" AND enterprise_id = ?");
                p.push(e.into());
            }
            tx.query(
                &format!(
                    "SELECT {OBJECT_COLS} FROM monitored_objects WHERE {cond} ORDER BY monitored_objects.region_code, monitored_objects.name, monitored_objects.id"
                ),
                &p,
            )?
            .iter()
            .map(object_row)
            .collect()
        })
    }

    /// One object the scope sees, with its points.
    pub fn monitored_object(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<(MonitoredObject, Vec<Point>)> {
        self.db().read(|tx| {
            let o = object_in(tx, scope, id)?;
            let points = tx
                .query(
                    &format!(
                        "SELECT {POINT_COLS} FROM monitoring_points WHERE object_id = ? ORDER BY monitoring_points.kind, monitoring_points.name, monitoring_points.id"
                    ),
                    &params![id],
                )?
                .iter()
                .map(point_row)
                .collect::<Result<Vec<_>>>()?;
            Ok((o, points))
        })
    }

    /// Adds an object: a regulator at its place (an enterprise's object lies at the
    /// enterprise's place).
    pub fn create_monitored_object(
        &self,
        change: &Change<'_>,
        o: &NewObject,
    ) -> Result<MonitoredObject> {
        change.require_regulator_at(&o.region_code)?;
        let county = crate::county_of(&o.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            check_enterprise(tx, change.scope, o)?;
            let id = tx.scalar_i64(
                "INSERT INTO monitored_objects (county_code, region_code, enterprise_id, kind, name, offline_minutes, lng_micro, lat_micro, note, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), o.region_code.as_str(), o.enterprise_id, o.kind.as_str(), o.name.as_str(), o.offline_minutes, o.lng_micro, o.lat_micro, o.note.as_str(), o.active, now.as_str(), now.as_str()],
            )?;
            let saved = object_in(tx, &Scope::system(), id)?;
            audit(tx, change, "monitored_object.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Changes an object (optimistic on `version`); it stays in the caller's regions.
    pub fn update_monitored_object(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        o: &NewObject,
    ) -> Result<MonitoredObject> {
        change.require_regulator_at(&o.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let before = object_in(tx, change.scope, id)?;
            change.require_regulator_at(&before.region_code)?;
            check_enterprise(tx, change.scope, o)?;
            let county = crate::county_of(&o.region_code)?;
            let n = tx.execute(
                "UPDATE monitored_objects SET county_code = ?, region_code = ?, enterprise_id = ?, kind = ?, name = ?, offline_minutes = ?, lng_micro = ?, lat_micro = ?, note = ?, active = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![county.as_str(), o.region_code.as_str(), o.enterprise_id, o.kind.as_str(), o.name.as_str(), o.offline_minutes, o.lng_micro, o.lat_micro, o.note.as_str(), o.active, now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            // Alarms follow their object's place.
            tx.execute(
                "UPDATE monitoring_alarms SET county_code = ?, region_code = ?, enterprise_id = ? WHERE object_id = ?",
                &params![county.as_str(), o.region_code.as_str(), o.enterprise_id, id],
            )?;
            let saved = object_in(tx, &Scope::system(), id)?;
            audit(tx, change, "monitored_object.update", id, &saved.region_code, Some(&before), Some(&saved))?;
            Ok(saved)
        })
    }

    /// Adds a point to an object the caller may write; a device id already in use is a
    /// `Duplicate`.
    pub fn create_monitoring_point(
        &self,
        change: &Change<'_>,
        object_id: i64,
        p: &NewPoint,
    ) -> Result<Point> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let o = object_in(tx, change.scope, object_id)?;
            change.require_regulator_at(&o.region_code)?;
            let id = tx.scalar_i64(
                "INSERT INTO monitoring_points (object_id, kind, name, unit, device_id, direction, blue, yellow, orange, red, hysteresis, retention_days, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &[&params![object_id][..], &point_values(p), &params![now.as_str(), now.as_str()]].concat(),
            )?;
            let saved = read_point(tx, id)?;
            audit(tx, change, "monitoring_point.create", id, &o.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Changes a point (optimistic on `version`). Its present level is kept; the next reading
    /// is judged by the new thresholds.
    pub fn update_monitoring_point(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        p: &NewPoint,
    ) -> Result<Point> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = read_point(tx, id).map_err(|_| StoreError::NotFound)?;
            let o = object_in(tx, change.scope, before.object_id)?;
            change.require_regulator_at(&o.region_code)?;
            let n = tx.execute(
                "UPDATE monitoring_points SET kind = ?, name = ?, unit = ?, device_id = ?, direction = ?, blue = ?, yellow = ?, orange = ?, red = ?, hysteresis = ?, retention_days = ?, active = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &[&point_values(p)[..], &params![now.as_str(), id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let saved = read_point(tx, id)?;
            audit(tx, change, "monitoring_point.update", id, &o.region_code, Some(&before), Some(&saved))?;
            Ok(saved)
        })
    }

    /// A point's readings in `[from, to)` (Unix milliseconds), oldest first, at most `limit`;
    /// the point must belong to an object the scope sees.
    pub fn point_readings(
        &self,
        scope: &Scope,
        point_id: i64,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<(Point, Vec<PointReading>)> {
        self.db().read(|tx| {
            let point = read_point(tx, point_id).map_err(|_| StoreError::NotFound)?;
            object_in(tx, scope, point.object_id)?;
            let rows = tx
                .query(
                    &format!(
                        "SELECT ts, value, quality FROM monitoring_readings WHERE point_id = ? AND ts >= ? AND ts < ? ORDER BY ts {}",
                        crate::db::limit(limit.clamp(1, 100_000))
                    ),
                    &params![point_id, from, to],
                )?
                .iter()
                .map(|r| {
                    Ok(PointReading {
                        ts: r.i64(0)?,
                        value: r.f64(1)?,
                        quality: r.i64(2)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((point, rows))
        })
    }
}
