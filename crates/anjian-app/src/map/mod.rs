//! The one map (一张图): the county's township boundaries, imported from GeoJSON by the
//! administrator, and the county map drawn on the server with the layers the user turns on
//! (enterprises by risk grade, open hazards with the major ones emphasised, 挂牌督办 items,
//! the period's accidents, emergency resources). Online-monitoring alarms are the next layer
//! (see [`anjian_domain::map::Layer`]). Coordinates typed on records are checked here against
//! the county's box ([`App::check_coordinates`]).

pub mod draw;

use crate::leaders::county_of;
use crate::risk_steering::EnterpriseRiskGradeQuery;
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::emergency::parse_degrees;
use anjian_domain::map::{
    self as rules, Boundary, Extent, Layer, Township, parse_boundaries, simplify_for_display,
};
use anjian_domain::period::Period;
use anjian_domain::scope::Permission;
use anjian_store::map::{BoundaryInput, MapPoint, MapQuery};
use draw::{Area, Drawing, LegendLine, Mark, Marker};
use serde::Serialize;
use std::collections::BTreeMap;

/// What an import of boundaries did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BoundaryReport {
    pub county_code: String,
    /// Townships given a boundary.
    pub imported: usize,
    /// Townships of the county the file had no boundary for (names).
    pub missing: Vec<String>,
}

/// Which map to draw, as asked (query strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapAsk {
    /// Layers, comma-separated: enterprises, hazards, listings, accidents, resources (absent:
    /// all).
    pub layers: Option<String>,
    /// A township's code: the map zooms to its boundary and shows its records.
    pub township: Option<String>,
    /// Accidents' period: 2022, 2022-Q3, 2022-05 … (absent: the data year).
    pub period: Option<String>,
}

/// A layer's line on the page: its words and counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LayerSummary {
    pub layer: String,
    pub label: String,
    pub on: bool,
    /// Records on the map.
    pub shown: usize,
    /// Records without coordinates (not on the map).
    pub without_point: usize,
    /// Records on the map outside every township boundary.
    pub outside: usize,
}

/// The county map and what the page says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CountyMap {
    pub svg: String,
    pub county_name: String,
    pub period: String,
    pub period_name: String,
    pub township: Option<String>,
    pub layers: Vec<LayerSummary>,
    /// The county's townships (code, name) and whether each has a boundary.
    pub townships: Vec<(String, String, bool)>,
}

fn href(layer: Layer, id: i64) -> String {
    match layer {
        Layer::Enterprises => format!("/enterprises/{id}"),
        Layer::Hazards => format!("/hazards/{id}"),
        Layer::Listings => format!("/listings/{id}"),
        Layer::Accidents => format!("/accidents/{id}"),
        Layer::Resources => format!("/emergency-resources/{id}"),
        Layer::Alarms => format!("/monitoring/objects/{id}"),
    }
}

impl App {
    /// The county's townships, to match boundary features to.
    fn county_townships(&self, caller: &Caller, county: &str) -> Result<Vec<Township>> {
        Ok(self
            .store
            .list_regions(&caller.scope, Some(county), Some("township"))?
            .into_iter()
            .filter(|r| r.level == "township")
            .map(|r| Township {
                code: r.code,
                name: r.name,
            })
            .collect())
    }

    /// Imports the county's township boundaries from a GeoJSON FeatureCollection (the
    /// administrator; `county` defaults to the caller's): every feature checked, all written
    /// or none, replacing the county's earlier boundaries.
    pub fn import_boundaries(
        &self,
        caller: &Caller,
        county: Option<&str>,
        bytes: &[u8],
    ) -> Result<BoundaryReport> {
        if !caller.scope.writable || !caller.can(Permission::ManageOrganisation) {
            return Err(caller.refuse("导入乡镇边界"));
        }
        let county = match county {
            Some(c) => anjian_domain::RegionCode::parse_loose(c)
                .ok()
                .and_then(|r| r.county())
                .map(|c| c.as_str().to_string())
                .ok_or_else(|| ValidationErrors::single("county", "县级区划代码不正确"))?,
            None => county_of(caller)?,
        };
        if !caller.scope.admits_region(&county) || !self.region_exists(&county)? {
            return Err(AppError::NotFound);
        }
        let towns = self.county_townships(caller, &county)?;
        if towns.is_empty() {
            return Err(
                ValidationErrors::single("file", "本县尚未登记乡镇（街道），无法对应边界").into(),
            );
        }
        let parsed = parse_boundaries(bytes, &towns).map_err(|msgs| {
            let mut e = ValidationErrors::new();
            for m in msgs {
                e.add("file", m);
            }
            AppError::Validation(e)
        })?;
        let inputs: Vec<BoundaryInput> = parsed
            .boundaries
            .iter()
            .filter_map(|b| {
                Some(BoundaryInput {
                    region_code: b.region_code.clone(),
                    geometry: rules::to_text(&b.shape),
                    display_geometry: rules::to_text(&simplify_for_display(&b.shape)),
                    extent: Extent::of(&b.shape)?,
                })
            })
            .collect();
        let n = self.store.replace_region_boundaries(
            &caller.change(&caller.scope, self),
            &county,
            &inputs,
        )?;
        Ok(BoundaryReport {
            county_code: county,
            imported: n,
            missing: parsed.missing,
        })
    }

    /// The county's boundaries as imported (`full`) or simplified for display, with the
    /// townships' names.
    pub fn boundaries(
        &self,
        caller: &Caller,
        county: &str,
        full: bool,
    ) -> Result<Vec<(Boundary, String)>> {
        self.store
            .region_boundaries(&caller.scope, county, full)?
            .into_iter()
            .map(|r| {
                let shape = rules::from_text(&r.geometry).map_err(|m| {
                    AppError::Internal(format!("region_boundaries {}: {m}", r.region_code))
                })?;
                Ok((
                    Boundary {
                        region_code: r.region_code,
                        shape,
                    },
                    r.region_name,
                ))
            })
            .collect()
    }

    /// Reads 经度/纬度 as typed for a record at `region`: both or neither, plausible, and
    /// inside the county's box once it has boundaries. Messages go to `lng` and `lat`.
    pub fn check_coordinates(
        &self,
        e: &mut ValidationErrors,
        region: &str,
        lng: &str,
        lat: &str,
    ) -> Result<Option<(i64, i64)>> {
        let (lng, lat) = (lng.trim(), lat.trim());
        if lng.is_empty() && lat.is_empty() {
            return Ok(None);
        }
        let x = parse_degrees(lng);
        let y = parse_degrees(lat);
        if x.is_none() {
            e.add(
                "lng",
                "经度应为十进制度数，如 114.123456（东经，最多六位小数）",
            );
        }
        if y.is_none() {
            e.add(
                "lat",
                "纬度应为十进制度数，如 28.123456（北纬，最多六位小数）",
            );
        }
        let (Some(x), Some(y)) = (x, y) else {
            return Ok(None);
        };
        let extent = match anjian_domain::RegionCode::parse(region)
            .ok()
            .and_then(|r| r.county())
        {
            Some(c) => self.store.county_extent(c.as_str())?,
            None => None,
        };
        if let Err(m) = Extent::check(extent.as_ref(), x, y) {
            let field = if m.starts_with("纬度") {
                "lat"
            } else {
                "lng"
            };
            e.add(field, m);
            return Ok(None);
        }
        Ok(Some((x, y)))
    }

    /// Whether a record's point lies outside every township boundary of its county (false
    /// when the county has no boundaries: nothing to say).
    pub fn point_outside_townships(&self, caller: &Caller, point: (i64, i64)) -> Result<bool> {
        let Ok(county) = county_of(caller) else {
            return Ok(false);
        };
        let shapes: Vec<Boundary> = self
            .boundaries(caller, &county, true)?
            .into_iter()
            .map(|(b, _)| b)
            .collect();
        Ok(!shapes.is_empty() && rules::locate(&shapes, point.0, point.1).is_none())
    }

    /// A record's point as shown: 东经 …，北纬 …, with （不在任何乡镇边界内） when it lies
    /// outside every township boundary; empty when the record has none.
    pub fn point_text(
        &self,
        caller: &Caller,
        lng: Option<i64>,
        lat: Option<i64>,
    ) -> Result<String> {
        let (Some(x), Some(y)) = (lng, lat) else {
            return Ok(String::new());
        };
        let mut t = format!(
            "东经 {}，北纬 {}",
            anjian_domain::emergency::degrees_text(x),
            anjian_domain::emergency::degrees_text(y)
        );
        if self.point_outside_townships(caller, (x, y))? {
            t.push_str("（不在任何乡镇边界内）");
        }
        Ok(t)
    }

    /// The county map with the layers asked for.
    pub fn county_map(&self, caller: &Caller, ask: &MapAsk) -> Result<CountyMap> {
        if !caller.can(Permission::ViewCountyWork) {
            return Err(caller.refuse("查看一张图"));
        }
        let mut e = ValidationErrors::new();
        let layers = match ask.layers.as_deref() {
            None => Layer::ALL.to_vec(),
            Some(s) => Layer::parse_list(s).unwrap_or_else(|m| {
                e.add("layers", m);
                Vec::new()
            }),
        };
        let period = match ask
            .period
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Period::parse(p).unwrap_or_else(|| {
                e.add(
                    "period",
                    format!("期间“{p}”不正确（如 2022、2022-Q3、2022-05）"),
                );
                unreachable_period()
            }),
            None => Period::year(self.data_year(caller)?.year).unwrap_or_else(unreachable_period),
        };
        let county = county_of(caller)?;
        let towns = self.county_townships(caller, &county)?;
        let township = ask
            .township
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if let Some(t) = township
            && !towns.iter().any(|x| x.code == t)
        {
            e.add("township", "请选择本县的乡镇（街道）");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let county_name = self.region_name(caller, &county)?;
        let bounds = self.boundaries(caller, &county, false)?;
        // Points are located against the boundaries as imported, drawn on the simplified ones.
        let shapes: Vec<Boundary> = self
            .boundaries(caller, &county, true)?
            .into_iter()
            .map(|(b, _)| b)
            .collect();
        let has: BTreeMap<&str, ()> = bounds
            .iter()
            .map(|(b, _)| (b.region_code.as_str(), ()))
            .collect();
        let areas: Vec<Area> = bounds
            .iter()
            .map(|(b, name)| Area {
                code: b.region_code.clone(),
                name: name.clone(),
                shape: b.shape.clone(),
            })
            .collect();
        let grades: BTreeMap<i64, Option<anjian_domain::risk_grade::Grade>> =
            if layers.contains(&Layer::Enterprises) {
                self.enterprise_risk_grades(caller, &EnterpriseRiskGradeQuery::default())?
                    .into_iter()
                    .map(|g| (g.enterprise_id, g.effective))
                    .collect()
            } else {
                BTreeMap::new()
            };
        let q = MapQuery {
            region: None,
            from: period.from,
            to: period.to,
        };
        let prefix = township.map(|t| t.get(..9).unwrap_or(t).to_string());
        let mut markers = Vec::new();
        let mut summaries = Vec::new();
        let mut legend = Vec::new();
        for layer in Layer::ALL {
            let on = layers.contains(&layer);
            if !on {
                summaries.push(LayerSummary {
                    layer: layer.as_str().into(),
                    label: layer.label().into(),
                    on,
                    shown: 0,
                    without_point: 0,
                    outside: 0,
                });
                continue;
            }
            let points = self.store.map_points(&caller.scope, layer, &q)?;
            let (mut shown, mut without, mut outside, mut major) = (0, 0, 0, 0);
            for p in points {
                let located = p.point.and_then(|(x, y)| rules::locate(&shapes, x, y));
                // In a township's view: its records, and the county's own placed inside it.
                if let Some(pre) = &prefix {
                    let mine = p.region_code.starts_with(pre.as_str())
                        || (p.region_code == county
                            && located.is_some_and(|l| l.starts_with(pre.as_str())));
                    if !mine {
                        continue;
                    }
                }
                let Some(point) = p.point else {
                    without += 1;
                    continue;
                };
                let out = !shapes.is_empty() && located.is_none();
                let mark = mark_of(&p, &grades);
                if mark == Mark::Hazard(true) {
                    major += 1;
                }
                shown += 1;
                if out {
                    outside += 1;
                }
                markers.push(Marker {
                    layer,
                    id: p.id,
                    title: format!("{}（{}）", p.label, p.region_name),
                    href: href(layer, p.id),
                    mark,
                    point,
                    outside: out,
                });
            }
            let mut text = format!("{} {shown}", layer.label());
            if layer == Layer::Hazards {
                text.push_str(&format!("（重大{major}）"));
            }
            legend.push(LegendLine { layer, text, shown });
            summaries.push(LayerSummary {
                layer: layer.as_str().into(),
                label: layer.label().into(),
                on,
                shown,
                without_point: without,
                outside,
            });
        }
        // Draw order: resources and enterprises under hazards, listings and accidents.
        markers.sort_by_key(|m| match m.layer {
            Layer::Resources => 0,
            Layer::Enterprises => 1,
            Layer::Hazards => 2,
            Layer::Listings => 3,
            Layer::Accidents => 4,
            Layer::Alarms => 5,
        });
        let chosen = township.and_then(|t| shapes.iter().find(|b| b.region_code == t));
        let extent = chosen
            .and_then(|b| Extent::of(&b.shape))
            .or_else(|| {
                shapes
                    .iter()
                    .filter_map(|b| Extent::of(&b.shape))
                    .reduce(Extent::union)
            })
            .or_else(|| {
                markers
                    .iter()
                    .map(|m| Extent {
                        min_lng: m.point.0,
                        min_lat: m.point.1,
                        max_lng: m.point.0,
                        max_lat: m.point.1,
                    })
                    .reduce(Extent::union)
            })
            .unwrap_or(Extent {
                min_lng: 114_000_000,
                min_lat: 28_000_000,
                max_lng: 114_500_000,
                max_lat: 28_400_000,
            });
        let place = match township.and_then(|t| towns.iter().find(|x| x.code == t)) {
            Some(t) => format!("{county_name}{}", t.name),
            None => county_name.clone(),
        };
        let title = format!("{place}安全生产一张图");
        let subtitle = format!(
            "事故期间：{}　　制图日期：{}",
            period.name(),
            self.clock.today().format("%Y-%m-%d")
        );
        let svg = draw::svg(&Drawing {
            title: &title,
            subtitle: &subtitle,
            extent,
            areas: &areas,
            selected: township,
            markers: &markers,
            legend: &legend,
        });
        Ok(CountyMap {
            svg,
            county_name,
            period: period.code.clone(),
            period_name: period.name(),
            township: township.map(str::to_string),
            layers: summaries,
            townships: towns
                .into_iter()
                .map(|t| {
                    let b = has.contains_key(t.code.as_str());
                    (t.code, t.name, b)
                })
                .collect(),
        })
    }
}

fn unreachable_period() -> Period {
    Period {
        kind: anjian_domain::period::PeriodKind::Year,
        code: "2000".into(),
        from: chrono::NaiveDate::MIN,
        to: chrono::NaiveDate::MIN,
    }
}

fn mark_of(p: &MapPoint, grades: &BTreeMap<i64, Option<anjian_domain::risk_grade::Grade>>) -> Mark {
    match p.layer {
        Layer::Enterprises => Mark::Enterprise(grades.get(&p.id).copied().flatten()),
        Layer::Hazards => Mark::Hazard(p.tag == "major"),
        Layer::Listings => Mark::Listing,
        Layer::Accidents => Mark::Accident,
        Layer::Resources => Mark::Resource,
        Layer::Alarms => Mark::Alarm(anjian_domain::monitoring::Level::parse(&p.tag)),
    }
}
