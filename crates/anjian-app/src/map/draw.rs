//! The county map drawn as SVG on the server, in the style of the 四色图
//! (`risk_steering::picture`): A4 width (794 px at 96 dpi, scaled by the page for A3), every
//! text escaped, a legend with counts, and `data-*` attributes a reader can count without
//! reading the drawing: each township's path carries `data-region`, each marker `data-layer`,
//! `data-id` and (a point outside every township boundary) `data-outside`. Hovering shows a
//! marker's `<title>`; a marker is a link to its record.

use anjian_domain::map::{Extent, Frame, Layer};
use anjian_domain::risk_grade::Grade;
use geo::MultiPolygon;

pub const WIDTH: f64 = 794.0;
const MARGIN: f64 = 16.0;
const TOP: f64 = 96.0;
const FONT: &str =
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";
const UNGRADED: &str = "#b8bec6";

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A township drawn: its code, name and (display) shape.
#[derive(Debug, Clone)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub shape: MultiPolygon<f64>,
}

/// What a marker shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Enterprise(Option<Grade>),
    /// Major (重大) or not.
    Hazard(bool),
    Listing,
    Accident,
    Resource,
    /// A monitored object with an alarm pending, at its highest level.
    Alarm(Option<anjian_domain::monitoring::Level>),
}

/// A record on the map.
#[derive(Debug, Clone)]
pub struct Marker {
    pub layer: Layer,
    pub id: i64,
    pub mark: Mark,
    pub title: String,
    pub href: String,
    pub point: (i64, i64),
    /// Outside every township boundary (不在任何乡镇边界内).
    pub outside: bool,
}

/// A legend line: the layer, its words and how many records it has on and off the map.
#[derive(Debug, Clone)]
pub struct LegendLine {
    pub layer: Layer,
    pub text: String,
    pub shown: usize,
}

/// Everything the drawing needs.
#[derive(Debug, Clone)]
pub struct Drawing<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    /// The box to fit (the county's, or the township's).
    pub extent: Extent,
    pub areas: &'a [Area],
    /// The township zoomed to (drawn emphasised), if any.
    pub selected: Option<&'a str>,
    pub markers: &'a [Marker],
    pub legend: &'a [LegendLine],
}

fn symbol(m: &Mark, x: f64, y: f64, outside: bool) -> String {
    let dash = if outside {
        r#" stroke-dasharray="2 1.5""#
    } else {
        ""
    };
    match m {
        Mark::Enterprise(g) => format!(
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.2" fill="{}" stroke="#333" stroke-width="0.5"{dash}/>"##,
            g.map_or(UNGRADED, Grade::colour)
        ),
        Mark::Hazard(major) => {
            let (s, fill, w) = if *major {
                (9.0, "#c00000", 1.6)
            } else {
                (4.8, "#ff9f1a", 0.6)
            };
            format!(
                r##"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{fill}" stroke="#111" stroke-width="{w}"{dash}/>"##,
                y - s,
                x + s * 0.9,
                y + s * 0.6,
                x - s * 0.9,
                y + s * 0.6
            )
        }
        Mark::Listing => format!(
            r##"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="#7b2cbf" stroke="#111" stroke-width="0.8"{dash}/><text x="{x:.1}" y="{:.1}" font-size="8" text-anchor="middle" fill="#fff">督</text>"##,
            x - 5.0,
            y - 5.0,
            y + 3.0
        ),
        Mark::Accident => format!(
            r##"<path d="M{:.1} {:.1}L{:.1} {:.1}M{:.1} {:.1}L{:.1} {:.1}" stroke="#111" stroke-width="2.6"{dash}/>"##,
            x - 4.5,
            y - 4.5,
            x + 4.5,
            y + 4.5,
            x + 4.5,
            y - 4.5,
            x - 4.5,
            y + 4.5
        ),
        Mark::Resource => format!(
            r##"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="#0b8f6a" stroke="#fff" stroke-width="0.8"{dash}/>"##,
            y - 5.5,
            x + 5.5,
            y + 5.5,
            x - 5.5
        ),
        Mark::Alarm(level) => {
            let c = match level {
                Some(anjian_domain::monitoring::Level::Red) | None => "#d93025",
                Some(anjian_domain::monitoring::Level::Orange) => "#e8710a",
                Some(anjian_domain::monitoring::Level::Yellow) => "#c9a200",
                Some(anjian_domain::monitoring::Level::Blue) => "#1f6feb",
            };
            format!(
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="8" fill="#fff" stroke="{c}" stroke-width="2.5"{dash}/><circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{c}"/>"##
            )
        }
    }
}

fn tag(m: &Mark) -> &'static str {
    match m {
        Mark::Enterprise(g) => g.map_or("none", Grade::as_str),
        Mark::Hazard(true) => "major",
        Mark::Hazard(false) => "general",
        Mark::Alarm(l) => l.map_or("", anjian_domain::monitoring::Level::as_str),
        Mark::Listing | Mark::Accident | Mark::Resource => "",
    }
}

/// A box grown by a share of its size on each side (at least 0.005°).
fn padded(e: Extent, share: f64) -> Extent {
    let pad = |d: i64| {
        // Boxes of counties are far below 2^52 micro-degrees; the cast is exact enough.
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        let p = ((d as f64) * share) as i64;
        p.max(5_000)
    };
    let (dx, dy) = (pad(e.max_lng - e.min_lng), pad(e.max_lat - e.min_lat));
    Extent {
        min_lng: e.min_lng - dx,
        min_lat: e.min_lat - dy,
        max_lng: e.max_lng + dx,
        max_lat: e.max_lat + dy,
    }
}

/// The map as one SVG document.
pub fn svg(d: &Drawing<'_>) -> String {
    let frame = Frame::fit(&padded(d.extent, 0.03), WIDTH, MARGIN, TOP);
    let height = frame.height.ceil();
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="county-map" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" role="img" aria-label="{}"><rect width="{WIDTH}" height="{height}" fill="#fff"/><text x="{MARGIN}" y="30" font-size="20" font-weight="bold" fill="#111">{}</text><text x="{MARGIN}" y="50" font-size="12" fill="#555">{}</text>"##,
        esc(d.title),
        esc(d.title),
        esc(d.subtitle)
    );
    // Legend: one entry per layer shown, with its count.
    let mut x = MARGIN;
    for l in d.legend {
        let sample = match l.layer {
            Layer::Enterprises => Mark::Enterprise(Some(Grade::Large)),
            Layer::Hazards => Mark::Hazard(true),
            Layer::Listings => Mark::Listing,
            Layer::Accidents => Mark::Accident,
            Layer::Resources => Mark::Resource,
            Layer::Alarms => Mark::Alarm(Some(anjian_domain::monitoring::Level::Red)),
        };
        out.push_str(&symbol(&sample, x + 6.0, 72.0, false));
        out.push_str(&format!(
            r##"<text class="legend" data-layer="{}" data-count="{}" x="{:.1}" y="76" font-size="12" fill="#222">{}</text>"##,
            l.layer.as_str(),
            l.shown,
            x + 16.0,
            esc(&l.text)
        ));
        x += 16.0 + 13.0 * (l.text.chars().count() as f64).min(14.0) + 10.0;
    }
    out.push_str(&format!(
        r##"<defs><clipPath id="map-area"><rect x="0" y="{:.1}" width="{WIDTH}" height="{:.1}"/></clipPath></defs><g clip-path="url(#map-area)">"##,
        TOP - 10.0,
        height - TOP + 10.0
    ));
    for a in d.areas {
        let chosen = d.selected == Some(a.code.as_str());
        let (fill, stroke, w) = match d.selected {
            Some(_) if chosen => ("#eef5ff", "#1f4e9c", 2.0),
            Some(_) => ("#f6f6f6", "#aaa", 0.8),
            None => ("#f4f7f2", "#3f4f3f", 1.3),
        };
        out.push_str(&format!(
            r##"<a href="/map?township={code}" class="township"><path data-region="{code}" d="{}" fill="{fill}" stroke="{stroke}" stroke-width="{w}" fill-rule="evenodd"><title>{}</title></path></a>"##,
            frame.path(&a.shape),
            esc(&a.name),
            code = esc(&a.code),
        ));
    }
    for m in d.markers {
        let (x, y) = frame.place(m.point.0, m.point.1);
        let title = if m.outside {
            format!("{}（不在任何乡镇边界内）", m.title)
        } else {
            m.title.clone()
        };
        let t = tag(&m.mark);
        out.push_str(&format!(
            r##"<a href="{}" class="marker" data-layer="{}" data-id="{}"{}{}><title>{}</title>{}</a>"##,
            esc(&m.href),
            m.layer.as_str(),
            m.id,
            if t.is_empty() {
                String::new()
            } else {
                format!(r#" data-tag="{t}""#)
            },
            if m.outside {
                r#" data-outside="true""#
            } else {
                ""
            },
            esc(&title),
            symbol(&m.mark, x, y, m.outside)
        ));
    }
    for a in d.areas {
        if let Some((cx, cy)) = frame.centre(&a.shape) {
            out.push_str(&format!(
                r##"<text class="area-name" x="{cx:.1}" y="{cy:.1}" font-size="13" font-weight="bold" text-anchor="middle" fill="#24342a" stroke="#fff" stroke-width="3" paint-order="stroke" pointer-events="none">{}</text>"##,
                esc(&a.name)
            ));
        }
    }
    out.push_str("</g>");
    if d.areas.is_empty() {
        out.push_str(&format!(
            r##"<text x="{MARGIN}" y="{:.1}" font-size="13" fill="#666">尚未导入乡镇边界：请管理员导入乡镇边界（GeoJSON）。</text>"##,
            TOP + 20.0
        ));
    }
    // A scale-free north arrow.
    out.push_str(&format!(
        r##"<g class="north"><path d="M{0:.1} {1:.1}L{2:.1} {3:.1}L{0:.1} {4:.1}L{5:.1} {3:.1}Z" fill="#333"/><text x="{0:.1}" y="{6:.1}" font-size="11" text-anchor="middle" fill="#333">北</text></g>"##,
        WIDTH - 30.0,
        TOP,
        WIDTH - 24.0,
        TOP + 16.0,
        TOP + 11.0,
        WIDTH - 36.0,
        TOP - 4.0
    ));
    out.push_str("</svg>");
    out
}
