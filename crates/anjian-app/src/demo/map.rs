//! The demo county's map: township boundaries that tile an irregular county outline (a
//! Voronoi-like partition: each township the part of the county nearer its seat than any
//! other's, cut with `geo`'s boolean operations, then its edges densified and bent by one
//! smooth displacement so that neighbours still share them), imported through the same
//! GeoJSON import as a county's real file; then coordinates for the records, each inside its
//! township's boundary (a hazard or accident at its enterprise's place). Deterministic from
//! the seed, with its own random stream so that no other demo record changes.

use super::{Rng, Town};
use crate::{App, AppError, Result};
use anjian_domain::Scope;
use anjian_domain::map::{self as rules, Boundary};
use anjian_store::map::PointTable;
use geo::line_measures::Densify;
use geo::{
    BooleanOps, BoundingRect, Contains, Coord, Euclidean, MapCoords, MultiPolygon, Point, Polygon,
    RemoveRepeatedPoints,
};
use std::collections::BTreeMap;

/// The county seat (degrees).
const SEAT: (f64, f64) = (115.54, 28.06);

fn unit(rng: &mut Rng) -> f64 {
    // 2^53 values in [0, 1): exact in an f64.
    #[allow(clippy::cast_precision_loss)]
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    u
}

/// An irregular county outline around the seat.
fn outline(rng: &mut Rng) -> Polygon<f64> {
    let n = 48;
    let phase = unit(rng) * std::f64::consts::TAU;
    let mut pts: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = f64::from(i) / f64::from(n) * std::f64::consts::TAU;
            let r =
                1.0 + 0.12 * (3.0 * a + phase).sin() + 0.06 * (7.0 * a).cos() + 0.05 * unit(rng);
            (SEAT.0 + 0.30 * r * a.cos(), SEAT.1 + 0.23 * r * a.sin())
        })
        .collect();
    if let Some(&p) = pts.first() {
        pts.push(p);
    }
    Polygon::new(pts.into(), vec![])
}

/// Where each township's seat is: the 街道 close around the county seat, the towns on a ring.
fn seats(rng: &mut Rng, towns: &[Town]) -> Vec<(f64, f64)> {
    let streets: Vec<usize> = (0..towns.len())
        .filter(|&i| towns[i].1.ends_with("街道"))
        .collect();
    let others = towns.len() - streets.len();
    let mut k_street = 0;
    let mut k_other = 0;
    (0..towns.len())
        .map(|i| {
            let (r, a) = if streets.contains(&i) {
                k_street += 1;
                let a = f64::from(u32::try_from(k_street).unwrap_or(0))
                    / f64::from(u32::try_from(streets.len().max(1)).unwrap_or(1))
                    * std::f64::consts::TAU;
                (0.035, a)
            } else {
                k_other += 1;
                let a = f64::from(u32::try_from(k_other).unwrap_or(0))
                    / f64::from(u32::try_from(others.max(1)).unwrap_or(1))
                    * std::f64::consts::TAU;
                let ring = if k_other % 2 == 0 { 0.14 } else { 0.21 };
                (ring, a)
            };
            let j = |rng: &mut Rng| (unit(rng) - 0.5) * 0.02;
            (
                SEAT.0 + r * 1.2 * a.cos() + j(rng),
                SEAT.1 + r * a.sin() + j(rng),
            )
        })
        .collect()
}

/// The half-plane of points nearer `a` than `b`, as a large polygon.
fn nearer(a: (f64, f64), b: (f64, f64)) -> Polygon<f64> {
    let m = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (nx, ny) = (b.0 - a.0, b.1 - a.1);
    let len = (nx * nx + ny * ny).sqrt().max(1e-9);
    let (nx, ny) = (nx / len * 10.0, ny / len * 10.0);
    let (dx, dy) = (-ny, nx);
    Polygon::new(
        vec![
            (m.0 + dx, m.1 + dy),
            (m.0 + dx - nx, m.1 + dy - ny),
            (m.0 - dx - nx, m.1 - dy - ny),
            (m.0 - dx, m.1 - dy),
            (m.0 + dx, m.1 + dy),
        ]
        .into(),
        vec![],
    )
}

/// One smooth displacement of the plane (small against its own wavelength, so shapes stay
/// simple); shared edges move together.
fn bend(c: Coord<f64>) -> Coord<f64> {
    let (x, y) = (c.x * 70.0, c.y * 80.0);
    Coord {
        x: c.x + 0.005 * (y + 0.7 * (x * 0.6).sin()).sin(),
        y: c.y + 0.004 * (x + 0.5 * (y * 0.7).cos()).cos(),
    }
}

fn rounded(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: (c.x * 1e6).round() / 1e6,
        y: (c.y * 1e6).round() / 1e6,
    }
}

/// The townships' shapes (by code).
fn shapes(seed: u64, towns: &[Town]) -> Vec<(String, String, MultiPolygon<f64>)> {
    let mut rng = Rng::new(seed ^ 0x6D_61_70);
    let county = MultiPolygon::new(vec![outline(&mut rng)]);
    let at = seats(&mut rng, towns);
    towns
        .iter()
        .enumerate()
        .map(|(i, (code, name, _))| {
            let mut cell = county.clone();
            for (j, b) in at.iter().enumerate() {
                if j != i {
                    cell = cell.intersection(&MultiPolygon::new(vec![nearer(at[i], *b)]));
                }
            }
            let cell: MultiPolygon<f64> = Euclidean.densify(&cell, 0.004);
            let cell = cell
                .map_coords(|c| rounded(bend(c)))
                .remove_repeated_points();
            (code.clone(), name.clone(), cell)
        })
        .collect()
}

/// The boundaries as a GeoJSON FeatureCollection, the way a county's surveyors hand it over.
fn feature_collection(shapes: &[(String, String, MultiPolygon<f64>)]) -> String {
    let features: Vec<serde_json::Value> = shapes
        .iter()
        .map(|(code, name, shape)| {
            serde_json::json!({
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": geojson::Geometry::new(geojson::Value::from(shape)),
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// A point inside the shape, drawn uniformly from its box until one falls inside.
fn inside(rng: &mut Rng, shape: &MultiPolygon<f64>) -> Option<(i64, i64)> {
    let r = shape.bounding_rect()?;
    for _ in 0..200 {
        let x = r.min().x + unit(rng) * r.width();
        let y = r.min().y + unit(rng) * r.height();
        let (mx, my) = (rules::micro(x), rules::micro(y));
        if shape.contains(&Point::new(rules::degrees(mx), rules::degrees(my))) {
            return Some((mx, my));
        }
    }
    None
}

/// Imports the boundaries and places the records; answers the number of boundaries.
pub(super) fn generate(app: &App, seed: u64, towns: &[Town]) -> Result<usize> {
    let shapes = shapes(seed, towns);
    let caller = app.system_caller("demo")?;
    let report = app.import_boundaries(
        &caller,
        Some(super::DEMO_COUNTY_CODE),
        feature_collection(&shapes).as_bytes(),
    )?;
    // Place against what was stored (the import's own reading of the file).
    let stored: Vec<Boundary> = shapes
        .into_iter()
        .map(|(code, _, shape)| Boundary {
            region_code: code,
            shape,
        })
        .collect();
    let by_town: BTreeMap<&str, &MultiPolygon<f64>> = stored
        .iter()
        .map(|b| (b.region_code.get(..9).unwrap_or_default(), &b.shape))
        .collect();
    let seat_town = rules::locate(&stored, rules::micro(SEAT.0), rules::micro(SEAT.1))
        .and_then(|c| c.get(..9))
        .unwrap_or_default()
        .to_string();
    let mut rng = Rng::new(seed ^ 0x70_6C_61_63_65);
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let place = |rng: &mut Rng, region: &str| -> Option<(i64, i64)> {
        let town = region.get(..9).unwrap_or_default();
        let shape = by_town
            .get(town)
            .or_else(|| by_town.get(seat_town.as_str()))?;
        inside(rng, shape)
    };
    let mut at: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut list = Vec::new();
    for (id, region, _, _) in app.store.record_places(&scope, PointTable::Enterprises)? {
        let p = place(&mut rng, &region);
        if let Some(p) = p {
            at.insert(id, p);
        }
        list.push((id, p));
    }
    app.store
        .set_record_points(&change, PointTable::Enterprises, &list)?;
    for table in [PointTable::Hazards, PointTable::Accidents] {
        let list: Vec<(i64, Option<(i64, i64)>)> = app
            .store
            .record_places(&scope, table)?
            .into_iter()
            .map(|(id, region, enterprise, _)| {
                let p = enterprise
                    .and_then(|e| at.get(&e).copied())
                    .or_else(|| place(&mut rng, &region));
                (id, p)
            })
            .collect();
        app.store.set_record_points(&change, table, &list)?;
    }
    // Resources keep a point already inside their township; the county's go to the seat's.
    let list: Vec<(i64, Option<(i64, i64)>)> = app
        .store
        .record_places(&scope, PointTable::Resources)?
        .into_iter()
        .map(|(id, region, _, p)| {
            let town = region.get(..9).unwrap_or_default();
            let fits = match (p, by_town.get(town)) {
                (Some((x, y)), Some(shape)) => {
                    shape.contains(&Point::new(rules::degrees(x), rules::degrees(y)))
                }
                _ => false,
            };
            (id, if fits { p } else { place(&mut rng, &region) })
        })
        .collect();
    app.store
        .set_record_points(&change, PointTable::Resources, &list)?;
    if !report.missing.is_empty() {
        return Err(AppError::Internal(format!(
            "演示乡镇边界缺少：{}",
            report.missing.join("、")
        )));
    }
    Ok(report.imported)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use geo::{Area, Validation};

    fn towns() -> Vec<Town> {
        super::super::words::TOWNSHIPS
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (format!("360982{:03}000", i + 1), n.to_string(), vec![]))
            .collect()
    }

    #[test]
    fn the_demo_townships_tile_the_county_with_valid_irregular_shapes() {
        let s = shapes(7, &towns());
        assert_eq!(s.len(), 20);
        for (code, _, shape) in &s {
            assert!(shape.is_valid(), "{code}: {:?}", shape.check_validation());
            assert!(shape.unsigned_area() > 0.0005, "{code}");
            assert!(shape.exterior_coords_count() > 20, "{code} is irregular");
        }
        // They tile: the areas add up to the union's, and no two overlap.
        let total: f64 = s.iter().map(|(_, _, m)| m.unsigned_area()).sum();
        let union = s
            .iter()
            .fold(MultiPolygon::new(vec![]), |u, (_, _, m)| u.union(m));
        assert!((total - union.unsigned_area()).abs() / total < 0.01);
        // Same seed, same shapes.
        assert_eq!(
            feature_collection(&s),
            feature_collection(&shapes(7, &towns()))
        );
        // A point drawn inside a township lies inside it.
        let mut rng = Rng::new(1);
        let p = inside(&mut rng, &s[5].2).unwrap();
        let b: Vec<Boundary> = s
            .iter()
            .map(|(c, _, m)| Boundary {
                region_code: c.clone(),
                shape: m.clone(),
            })
            .collect();
        assert_eq!(rules::locate(&b, p.0, p.1), Some(s[5].0.as_str()));
    }

    trait Count {
        fn exterior_coords_count(&self) -> usize;
    }
    impl Count for MultiPolygon<f64> {
        fn exterior_coords_count(&self) -> usize {
            self.0.iter().map(|p| p.exterior().0.len()).sum()
        }
    }
}
