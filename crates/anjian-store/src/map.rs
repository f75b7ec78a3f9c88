//! The one map (一张图): township boundaries and the points of the map's layers.
//!
//! Boundaries are geography, not records: everyone inside a county sees all of its townships'
//! boundaries (`scope_sql::county_wide`); enterprise-bound scopes see none. An import replaces
//! a county's boundaries in one transaction, audited with the list of townships (not the
//! geometry). The layers' points are read with each record's own visibility predicate; a
//! hazard or 挂牌督办 item without coordinates of its own is placed at its enterprise's.

use crate::audit::append_record as audit;
use crate::{Change, Result, Store, StoreError, Value, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::map::{Extent, Layer};
use chrono::NaiveDate;
use serde::Serialize;

/// A township's boundary as stored (GeoJSON geometry text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryRow {
    pub region_code: String,
    pub region_name: String,
    /// The full geometry, or the simplified one, as asked.
    pub geometry: String,
    pub extent: Extent,
    pub imported_at: String,
}

/// A boundary to write (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundaryInput {
    pub region_code: String,
    pub geometry: String,
    pub display_geometry: String,
    pub extent: Extent,
}

/// A record on the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapPoint {
    pub layer: Layer,
    pub id: i64,
    pub label: String,
    pub region_code: String,
    pub region_name: String,
    /// (lng, lat) in micro-degrees; None: the record has no coordinates.
    pub point: Option<(i64, i64)>,
    /// The layer's code for the marker: a hazard's level, a resource's kind, an accident's
    /// level, a listing's state (enterprises: empty, the grade comes from the app).
    pub tag: String,
}

/// Which records of a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapQuery {
    /// A region prefix (a township's nine digits), if any.
    pub region: Option<String>,
    /// Accidents: the days of the period.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Serialize)]
struct ImportAudit<'a> {
    townships: Vec<&'a str>,
}

const BOUNDARY_COLS: &str = "region_code, COALESCE((SELECT r.name FROM regions r WHERE r.code = region_boundaries.region_code), region_code), min_lng_micro, min_lat_micro, max_lng_micro, max_lat_micro, imported_at";

fn point(r: &crate::db::Row, i: usize) -> Result<Option<(i64, i64)>> {
    Ok(match (r.opt_i64(i)?, r.opt_i64(i + 1)?) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    })
}

fn region_name(col: &str) -> String {
    format!("COALESCE((SELECT rn.name FROM regions rn WHERE rn.code = {col}), {col})")
}

impl Store {
    /// Replaces the county's township boundaries with `list`, all or nothing. Every township
    /// must be a region under the county.
    pub fn replace_region_boundaries(
        &self,
        change: &Change<'_>,
        county_code: &str,
        list: &[BoundaryInput],
    ) -> Result<usize> {
        change.require_regulator_at(county_code)?;
        let county = crate::county_of(county_code)?;
        let prefix = county.as_str().get(..6).unwrap_or_default().to_string();
        let now = change.ts();
        self.write(|tx| {
            tx.execute(
                "DELETE FROM region_boundaries WHERE county_code = ?",
                &params![county.as_str()],
            )?;
            for b in list {
                if !b.region_code.starts_with(&prefix) {
                    return Err(StoreError::Invalid("region_code".into()));
                }
                tx.query_opt(
                    "SELECT 1 FROM regions WHERE code = ?",
                    &params![b.region_code.as_str()],
                )?
                .ok_or_else(|| StoreError::Invalid("region_code".into()))?;
                let e = b.extent;
                tx.execute(
                    "INSERT INTO region_boundaries (region_code, county_code, geometry, display_geometry, min_lng_micro, min_lat_micro, max_lng_micro, max_lat_micro, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    &params![b.region_code.as_str(), county.as_str(), b.geometry.as_str(), b.display_geometry.as_str(), e.min_lng, e.min_lat, e.max_lng, e.max_lat, now.as_str(), change.actor_id.filter(|id| *id > 0)],
                )?;
            }
            let summary = ImportAudit {
                townships: list.iter().map(|b| b.region_code.as_str()).collect(),
            };
            audit(
                tx,
                change,
                "region_boundaries.import",
                0,
                county.as_str(),
                None,
                Some(&summary),
            )?;
            Ok(list.len())
        })
    }

    /// The county's township boundaries (simplified for display unless `full`), by code.
    pub fn region_boundaries(
        &self,
        scope: &Scope,
        county_code: &str,
        full: bool,
    ) -> Result<Vec<BoundaryRow>> {
        let county = crate::county_of(county_code)?;
        let mut p: Vec<Value> = Vec::new();
        let cond = scope_sql::county_wide(scope, "county_code", &mut p);
        p.push(county.as_str().into());
        let geometry = if full { "geometry" } else { "display_geometry" };
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {BOUNDARY_COLS}, {geometry} FROM region_boundaries WHERE {cond} AND county_code = ? ORDER BY region_code"),
                &p,
            )?
            .iter()
            .map(|r| {
                Ok(BoundaryRow {
                    region_code: r.text(0)?,
                    region_name: r.text(1)?,
                    extent: Extent {
                        min_lng: r.i64(2)?,
                        min_lat: r.i64(3)?,
                        max_lng: r.i64(4)?,
                        max_lat: r.i64(5)?,
                    },
                    imported_at: r.text(6)?,
                    geometry: r.text(7)?,
                })
            })
            .collect()
        })
    }

    /// The box of the county's boundaries (None: none imported).
    pub fn county_extent(&self, county_code: &str) -> Result<Option<Extent>> {
        let county = crate::county_of(county_code)?;
        self.db().read(|tx| {
            let r = tx.query_one(
                "SELECT MIN(min_lng_micro), MIN(min_lat_micro), MAX(max_lng_micro), MAX(max_lat_micro) FROM region_boundaries WHERE county_code = ?",
                &params![county.as_str()],
            )?;
            Ok(
                match (r.opt_i64(0)?, r.opt_i64(1)?, r.opt_i64(2)?, r.opt_i64(3)?) {
                    (Some(min_lng), Some(min_lat), Some(max_lng), Some(max_lat)) => Some(Extent {
                        min_lng,
                        min_lat,
                        max_lng,
                        max_lat,
                    }),
                    _ => None,
                },
            )
        })
    }

    /// The records of a layer in scope (and in the region, and for accidents in the period),
    /// with or without coordinates, by region and id.
    pub fn map_points(&self, scope: &Scope, layer: Layer, q: &MapQuery) -> Result<Vec<MapPoint>> {
        let mut p: Vec<Value> = Vec::new();
        let (sql, region_col) = match layer {
            Layer::Enterprises => {
                let cond = scope_sql::enterprise(scope, "e", &mut p);
                (
                    format!(
                        "SELECT e.id, e.name, e.region_code, {}, e.lng_micro, e.lat_micro, '' FROM enterprises e WHERE {cond} AND e.status <> 'closed'",
                        region_name("e.region_code")
                    ),
                    "e.region_code",
                )
            }
            Layer::Hazards => {
                let cond = scope_sql::hazard(scope, "h", &mut p);
                (
                    format!(
                        "SELECT h.id, COALESCE(e.name || '：', '') || h.description, h.region_code, {}, COALESCE(h.lng_micro, e.lng_micro), COALESCE(h.lat_micro, e.lat_micro), h.level FROM hazards h LEFT JOIN enterprises e ON e.id = h.enterprise_id WHERE {cond} AND h.status <> 'closed'",
                        region_name("h.region_code")
                    ),
                    "h.region_code",
                )
            }
            Layer::Listings => {
                let cond = scope_sql::record(scope, "l", &mut p);
                (
                    format!(
                        "SELECT l.id, l.title, l.region_code, {}, COALESCE(h.lng_micro, e.lng_micro, he.lng_micro), COALESCE(h.lat_micro, e.lat_micro, he.lat_micro), l.state FROM listings l LEFT JOIN hazards h ON h.id = l.hazard_id LEFT JOIN enterprises e ON e.id = l.enterprise_id LEFT JOIN enterprises he ON he.id = h.enterprise_id WHERE {cond} AND l.state IN ('approved', 'listed', 'delist_requested')",
                        region_name("l.region_code")
                    ),
                    "l.region_code",
                )
            }
            Layer::Accidents => {
                let cond = scope_sql::record(scope, "a", &mut p);
                p.push(q.from.into());
                p.push(q.to.into());
                (
                    format!(
                        "SELECT a.id, a.occurred_on || ' ' || a.place, a.region_code, {}, a.lng_micro, a.lat_micro, a.level FROM accidents a WHERE {cond} AND a.occurred_on >= ? AND a.occurred_on <= ?",
                        region_name("a.region_code")
                    ),
                    "a.region_code",
                )
            }
            Layer::Resources => {
                let cond = scope_sql::regulator(scope, "r.region_code", &mut p);
                (
                    format!(
                        "SELECT r.id, r.name, r.region_code, {}, r.lng_micro, r.lat_micro, r.kind FROM emergency_resources r WHERE {cond}",
                        region_name("r.region_code")
                    ),
                    "r.region_code",
                )
            }
            Layer::Alarms => {
                // Objects with an alarm not yet disposed of, tagged with its highest level.
                let cond = scope_sql::monitored(scope, "o", &mut p);
                (
                    format!(
                        "SELECT o.id, o.name, o.region_code, {}, o.lng_micro, o.lat_micro, (SELECT CASE MAX(CASE a.level WHEN 'red' THEN 4 WHEN 'orange' THEN 3 WHEN 'yellow' THEN 2 ELSE 1 END) WHEN 4 THEN 'red' WHEN 3 THEN 'orange' WHEN 2 THEN 'yellow' ELSE 'blue' END FROM monitoring_alarms a WHERE a.object_id = o.id AND a.disposed_at IS NULL) FROM monitored_objects o WHERE {cond} AND EXISTS (SELECT 1 FROM monitoring_alarms a WHERE a.object_id = o.id AND a.disposed_at IS NULL)",
                        region_name("o.region_code")
                    ),
                    "o.region_code",
                )
            }
        };
        let mut sql = sql;
        if let Some(r) = q.region.as_deref().filter(|r| !r.is_empty()) {
            sql.push_str(" AND ");
            sql.push_str(&scope_sql::region_subtree(region_col, r, &mut p));
        }
        sql.push_str(&format!(" ORDER BY {region_col}, 1"));
        self.db().read(|tx| {
            tx.query(&sql, &p)?
                .iter()
                .map(|r| {
                    Ok(MapPoint {
                        layer,
                        id: r.i64(0)?,
                        label: r.text(1)?,
                        region_code: r.text(2)?,
                        region_name: r.text(3)?,
                        point: point(r, 4)?,
                        tag: r.text(6)?,
                    })
                })
                .collect()
        })
    }
}

/// A table whose records carry coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointTable {
    Enterprises,
    Hazards,
    Accidents,
    Resources,
}

impl PointTable {
    fn table(self) -> &'static str {
        match self {
            PointTable::Enterprises => "enterprises",
            PointTable::Hazards => "hazards",
            PointTable::Accidents => "accidents",
            PointTable::Resources => "emergency_resources",
        }
    }

    fn visible(self, scope: &Scope, p: &mut Vec<Value>) -> String {
        match self {
            PointTable::Enterprises => scope_sql::enterprise(scope, "enterprises", p),
            PointTable::Hazards => scope_sql::hazard(scope, "hazards", p),
            PointTable::Accidents => scope_sql::record(scope, "accidents", p),
            PointTable::Resources => {
                scope_sql::regulator(scope, "emergency_resources.region_code", p)
            }
        }
    }
}

/// A record's place: id, region, enterprise (if the table has one) and point.
pub type Place = (i64, String, Option<i64>, Option<(i64, i64)>);

impl Store {
    /// Every record of the table in scope with its region and point (closed ones included),
    /// by id.
    pub fn record_places(&self, scope: &Scope, table: PointTable) -> Result<Vec<Place>> {
        let mut p: Vec<Value> = Vec::new();
        let cond = table.visible(scope, &mut p);
        let t = table.table();
        let enterprise = match table {
            PointTable::Hazards | PointTable::Accidents => "enterprise_id",
            PointTable::Enterprises | PointTable::Resources => "NULL",
        };
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT id, region_code, {enterprise}, lng_micro, lat_micro FROM {t} WHERE {cond} ORDER BY id"),
                &p,
            )?
            .iter()
            .map(|r| Ok((r.i64(0)?, r.text(1)?, r.opt_i64(2)?, point(r, 3)?)))
            .collect()
        })
    }

    /// Sets the coordinates of records in scope in one transaction (a bulk placement, e.g.
    /// the demo's or an import of coordinates), audited as one entry with the count. Records
    /// outside the scope are left alone; answers how many were set.
    pub fn set_record_points(
        &self,
        change: &Change<'_>,
        table: PointTable,
        list: &[(i64, Option<(i64, i64)>)],
    ) -> Result<usize> {
        change.require_writable()?;
        let t = table.table();
        let now = change.ts();
        self.write(|tx| {
            let mut n = 0;
            for (id, pt) in list {
                let mut p: Vec<Value> = vec![
                    pt.map(|x| x.0).into(),
                    pt.map(|x| x.1).into(),
                    now.as_str().into(),
                ];
                let cond = table.visible(change.scope, &mut p);
                p.push((*id).into());
                n += tx.execute(
                    &format!("UPDATE {t} SET lng_micro = ?, lat_micro = ?, updated_at = ? WHERE {cond} AND id = ?"),
                    &p,
                )?;
            }
            #[derive(Serialize)]
            struct Placed<'a> {
                table: &'a str,
                records: u64,
            }
            audit(
                tx,
                change,
                "record_points.set",
                0,
                "",
                None,
                Some(&Placed { table: t, records: n }),
            )?;
            usize::try_from(n).map_err(|e| StoreError::Backend(e.to_string()))
        })
    }
}
