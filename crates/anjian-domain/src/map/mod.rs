//! The one map (一张图): township boundaries and the geometry the county map needs, with the
//! `geo` crates doing the geometry (point in polygon, bounding boxes, simplification, the
//! projection as an affine transform).
//!
//! Boundaries are kept as GeoJSON geometry text (a MultiPolygon, WGS-84 degrees), the full one
//! as imported and a simplified one for display. Records carry coordinates in micro-degrees
//! (`lng_micro`, `lat_micro`, both or neither), checked by [`crate::emergency::check_point`]
//! and, once the county has boundaries, by [`Extent::check`].

pub mod boundaries;

use geo::{
    AffineOps, AffineTransform, BoundingRect, Coord, Intersects, MultiPolygon, Point, Simplify,
};

pub use boundaries::{BoundaryImport, MAX_BOUNDARY_BYTES, Township, parse_boundaries};

/// Tolerance of the display simplification, in degrees (about 30 m: well under a pixel on an
/// A3 county map).
pub const DISPLAY_EPSILON: f64 = 0.0003;

/// A layer of the map the user turns on and off (a new one: a variant here, its points in the
/// store's `map_points` and its marker in the app's drawing; the page lists `Layer::ALL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Enterprises,
    Hazards,
    Listings,
    Accidents,
    Resources,
    /// Monitored objects with an alarm not yet disposed of (在线监测报警).
    Alarms,
}

impl Layer {
    pub const ALL: [Layer; 6] = [
        Layer::Enterprises,
        Layer::Hazards,
        Layer::Listings,
        Layer::Accidents,
        Layer::Resources,
        Layer::Alarms,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Enterprises => "enterprises",
            Layer::Hazards => "hazards",
            Layer::Listings => "listings",
            Layer::Accidents => "accidents",
            Layer::Resources => "resources",
            Layer::Alarms => "alarms",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Layer::Enterprises => "企业（按风险等级）",
            Layer::Hazards => "未销号隐患",
            Layer::Listings => "挂牌督办",
            Layer::Accidents => "事故",
            Layer::Resources => "应急资源",
            Layer::Alarms => "在线监测报警",
        }
    }

    pub fn parse(s: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }

    /// A comma-separated list (`enterprises,hazards`); unknown names are reported.
    pub fn parse_list(s: &str) -> Result<Vec<Layer>, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let l = Layer::parse(part).ok_or_else(|| format!("没有名为「{part}」的图层"))?;
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out.sort();
        Ok(out)
    }
}

/// A bounding box in micro-degrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Extent {
    pub min_lng: i64,
    pub min_lat: i64,
    pub max_lng: i64,
    pub max_lat: i64,
}

/// Degrees to micro-degrees (rounded).
pub fn micro(deg: f64) -> i64 {
    // Degrees checked to lie within ±180 before they get here: the cast cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    let m = (deg * 1_000_000.0).round() as i64;
    m
}

/// Micro-degrees to degrees.
pub fn degrees(micro: i64) -> f64 {
    // Micro-degrees of real places are far below 2^52: exact in an f64.
    #[allow(clippy::cast_precision_loss)]
    let d = micro as f64 / 1_000_000.0;
    d
}

impl Extent {
    /// The box of a shape (None for an empty one).
    pub fn of(shape: &MultiPolygon<f64>) -> Option<Extent> {
        let r = shape.bounding_rect()?;
        Some(Extent {
            min_lng: micro(r.min().x),
            min_lat: micro(r.min().y),
            max_lng: micro(r.max().x),
            max_lat: micro(r.max().y),
        })
    }

    /// The box holding both.
    pub fn union(self, o: Extent) -> Extent {
        Extent {
            min_lng: self.min_lng.min(o.min_lng),
            min_lat: self.min_lat.min(o.min_lat),
            max_lng: self.max_lng.max(o.max_lng),
            max_lat: self.max_lat.max(o.max_lat),
        }
    }

    pub fn contains(&self, lng_micro: i64, lat_micro: i64) -> bool {
        (self.min_lng..=self.max_lng).contains(&lng_micro)
            && (self.min_lat..=self.max_lat).contains(&lat_micro)
    }

    /// A point typed for a record of this county: plausible for China and, the county's box
    /// known, inside it.
    pub fn check(extent: Option<&Extent>, lng_micro: i64, lat_micro: i64) -> Result<(), String> {
        crate::emergency::check_point(lng_micro, lat_micro).map_err(str::to_string)?;
        match extent {
            Some(e) if !e.contains(lng_micro, lat_micro) => Err(format!(
                "坐标不在本县范围内（经度{}至{}，纬度{}至{}）",
                crate::emergency::degrees_text(e.min_lng),
                crate::emergency::degrees_text(e.max_lng),
                crate::emergency::degrees_text(e.min_lat),
                crate::emergency::degrees_text(e.max_lat),
            )),
            _ => Ok(()),
        }
    }
}

/// A township's boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub region_code: String,
    pub shape: MultiPolygon<f64>,
}

/// The code of the township whose boundary holds the point (on the line counts as inside);
/// None: outside every boundary (不在任何乡镇边界内).
pub fn locate(boundaries: &[Boundary], lng_micro: i64, lat_micro: i64) -> Option<&str> {
    let p = Point::new(degrees(lng_micro), degrees(lat_micro));
    boundaries
        .iter()
        .find(|b| b.shape.intersects(&p))
        .map(|b| b.region_code.as_str())
}

/// The shape simplified for display (Ramer–Douglas–Peucker); a ring that would collapse keeps
/// its points.
pub fn simplify_for_display(shape: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let simple = shape.simplify(DISPLAY_EPSILON);
    MultiPolygon::new(
        shape
            .0
            .iter()
            .zip(simple.0)
            .map(|(full, s)| {
                if s.exterior().0.len() >= 4 {
                    let holes = s
                        .interiors()
                        .iter()
                        .filter(|r| r.0.len() >= 4)
                        .cloned()
                        .collect();
                    geo::Polygon::new(s.exterior().clone(), holes)
                } else {
                    full.clone()
                }
            })
            .collect(),
    )
}

/// The shape as GeoJSON geometry text (how the store keeps it).
pub fn to_text(shape: &MultiPolygon<f64>) -> String {
    geojson::Geometry::new(geojson::Value::from(shape)).to_string()
}

/// A stored shape back (a Polygon is read as a MultiPolygon of one).
pub fn from_text(text: &str) -> Result<MultiPolygon<f64>, String> {
    let g: geojson::Geometry = text.parse().map_err(|e| format!("边界数据无法读取：{e}"))?;
    match g.value {
        geojson::Value::Polygon(_) => geo::Polygon::<f64>::try_from(g.value)
            .map(|p| MultiPolygon::new(vec![p]))
            .map_err(|e| format!("边界数据无法读取：{e}")),
        v => MultiPolygon::<f64>::try_from(v).map_err(|e| format!("边界数据无法读取：{e}")),
    }
}

/// Where the drawing goes: a box of the map (micro-degrees) fitted into `width` pixels with a
/// margin, north up, longitudes shrunk by the cosine of the middle latitude (an equirectangular
/// projection, good enough at a county's size).
#[derive(Debug, Clone)]
pub struct Frame {
    transform: AffineTransform<f64>,
    pub width: f64,
    pub height: f64,
}

impl Frame {
    pub fn fit(extent: &Extent, width: f64, margin: f64, top: f64) -> Frame {
        let (x0, y0) = (degrees(extent.min_lng), degrees(extent.min_lat));
        let (x1, y1) = (degrees(extent.max_lng), degrees(extent.max_lat));
        let k = ((y0 + y1) / 2.0).to_radians().cos();
        let w = ((x1 - x0) * k).max(1e-6);
        let h = (y1 - y0).max(1e-6);
        let s = (width - 2.0 * margin) / w;
        // x = margin + (lng - x0)·k·s; y = top + (y1 - lat)·s.
        let transform =
            AffineTransform::new(k * s, 0.0, margin - x0 * k * s, 0.0, -s, top + y1 * s);
        Frame {
            transform,
            width,
            height: top + h * s + margin,
        }
    }

    /// A point's place in the drawing.
    pub fn place(&self, lng_micro: i64, lat_micro: i64) -> (f64, f64) {
        let c = self.transform.apply(Coord {
            x: degrees(lng_micro),
            y: degrees(lat_micro),
        });
        (c.x, c.y)
    }

    /// The shape as an SVG path (`fill-rule="evenodd"` for holes).
    pub fn path(&self, shape: &MultiPolygon<f64>) -> String {
        let drawn = shape.affine_transform(&self.transform);
        let mut d = String::new();
        for poly in &drawn.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                let n = ring.0.len().saturating_sub(1);
                for (i, c) in ring.0.iter().take(n).enumerate() {
                    let cmd = if i == 0 { 'M' } else { 'L' };
                    d.push_str(&format!("{cmd}{:.1} {:.1}", c.x, c.y));
                }
                if n > 0 {
                    d.push('Z');
                }
            }
        }
        d
    }

    /// Where a label for the shape goes (the centre of its box).
    pub fn centre(&self, shape: &MultiPolygon<f64>) -> Option<(f64, f64)> {
        let r = shape.bounding_rect()?;
        let c = self.transform.apply(r.center());
        Some((c.x, c.y))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64, d: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + d, y: y), (x: x + d, y: y + d), (x: x, y: y + d), (x: x, y: y)
        ]])
    }

    #[test]
    fn layers_are_read_from_a_comma_list() {
        assert_eq!(
            Layer::parse_list("hazards, enterprises,hazards").unwrap(),
            vec![Layer::Enterprises, Layer::Hazards]
        );
        assert_eq!(Layer::parse_list("alarms").unwrap(), vec![Layer::Alarms]);
        assert!(
            Layer::parse_list("weather")
                .unwrap_err()
                .contains("weather")
        );
        assert!(Layer::parse_list("").unwrap().is_empty());
    }

    #[test]
    fn a_point_is_located_in_the_township_whose_boundary_holds_it() {
        let b = vec![
            Boundary {
                region_code: "A".into(),
                shape: square(114.0, 28.0, 0.1),
            },
            Boundary {
                region_code: "B".into(),
                shape: square(114.1, 28.0, 0.1),
            },
        ];
        assert_eq!(locate(&b, 114_050_000, 28_050_000), Some("A"));
        assert_eq!(locate(&b, 114_150_000, 28_050_000), Some("B"));
        // 不在任何乡镇边界内.
        assert_eq!(locate(&b, 114_250_000, 28_050_000), None);
        assert_eq!(locate(&b, 114_050_000, 28_150_000), None);
    }

    #[test]
    fn the_extent_check_refuses_a_point_outside_the_county_box() {
        let e = Extent::of(&square(114.0, 28.0, 0.2)).unwrap();
        assert_eq!(e.min_lng, 114_000_000);
        assert_eq!(e.max_lat, 28_200_000);
        assert!(Extent::check(Some(&e), 114_100_000, 28_100_000).is_ok());
        let m = Extent::check(Some(&e), 115_100_000, 28_100_000).unwrap_err();
        assert!(m.contains("不在本县范围内"), "{m}");
        // Without boundaries only plausibility counts; swapped coordinates are refused.
        assert!(Extent::check(None, 115_100_000, 28_100_000).is_ok());
        assert!(Extent::check(None, 28_100_000, 115_100_000).is_err());
    }

    #[test]
    fn simplification_drops_points_within_the_tolerance_and_keeps_small_rings() {
        let mut pts: Vec<(f64, f64)> = (0..=100)
            .map(|i| {
                (
                    114.0 + f64::from(i) * 0.001,
                    28.0 + if i % 2 == 0 { 0.0 } else { 0.00001 },
                )
            })
            .collect();
        pts.extend([(114.1, 28.1), (114.0, 28.1), (114.0, 28.0)]);
        let shape = MultiPolygon::new(vec![geo::Polygon::new(pts.into(), vec![])]);
        let s = simplify_for_display(&shape);
        assert!(
            s.0[0].exterior().0.len() <= 6,
            "{}",
            s.0[0].exterior().0.len()
        );
        // A tiny island is kept as it is rather than collapsed.
        let tiny = square(114.0, 28.0, 0.0001);
        assert_eq!(simplify_for_display(&tiny), tiny);
    }

    #[test]
    fn a_shape_survives_the_stored_text_and_is_drawn_north_up() {
        let shape = square(114.0, 28.0, 0.1);
        let back = from_text(&to_text(&shape)).unwrap();
        assert_eq!(back, shape);
        assert!(from_text("{\"type\":\"Point\",\"coordinates\":[1,2]}").is_err());
        let f = Frame::fit(&Extent::of(&shape).unwrap(), 794.0, 20.0, 40.0);
        let (x0, y0) = f.place(114_000_000, 28_000_000);
        let (x1, y1) = f.place(114_100_000, 28_100_000);
        assert!((x0 - 20.0).abs() < 1e-6 && (x1 - 774.0).abs() < 1e-6);
        assert!(y1 < y0, "north is up");
        assert!((y1 - 40.0).abs() < 1e-6);
        let d = f.path(&shape);
        assert!(d.starts_with("M20.0 ") && d.ends_with('Z'), "{d}");
        assert_eq!(d.matches('L').count(), 3);
    }
}
