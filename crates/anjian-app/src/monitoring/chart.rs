//! A point's readings as an SVG line chart drawn on the server: the values over the period,
//! the set thresholds as coloured dashed lines, the time axis in China Standard Time. Long
//! series are reduced to the lowest and highest value of each pixel column, so a peak is
//! never smoothed away.

use super::PointView;
use anjian_domain::clock::china_offset;
use anjian_domain::monitoring::Level;
use anjian_store::monitoring::PointReading;
use chrono::DateTime;
use std::fmt::Write;

const W: f64 = 800.0;
const H: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 34.0;

fn colour(l: Level) -> &'static str {
    match l {
        Level::Blue => "#1f6feb",
        Level::Yellow => "#c9a200",
        Level::Orange => "#e8710a",
        Level::Red => "#d93025",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The chart of `rows` (oldest first) from `from` to `to` (Unix ms).
pub fn svg(p: &PointView, rows: &[PointReading], from: i64, to: i64) -> String {
    let point = &p.point;
    let th = point.thresholds();
    let usable: Vec<&PointReading> = rows.iter().filter(|r| r.quality < 2).collect();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for r in &usable {
        lo = lo.min(r.value);
        hi = hi.max(r.value);
    }
    for l in Level::ALL {
        if let Some(t) = th.of(*l) {
            lo = lo.min(t);
            hi = hi.max(t);
        }
    }
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    if hi - lo < 1e-9 {
        hi += 1.0;
        lo -= 1.0;
    }
    let pad = (hi - lo) * 0.08;
    let (lo, hi) = (lo - pad, hi + pad);
    let span = (to - from).max(1) as f64;
    let x = |t: i64| LEFT + (t - from) as f64 / span * (W - LEFT - RIGHT);
    let y = |v: f64| TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" font-family="sans-serif" font-size="11"><title>{}（{}）</title><rect x="0" y="0" width="{W}" height="{H}" fill="#fff"/>"##,
        esc(&point.name),
        esc(&point.unit)
    );
    // Value axis: five ticks.
    for i in 0..=4 {
        let v = lo + (hi - lo) * f64::from(i) / 4.0;
        let yy = y(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e5e5e5"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            number(v, hi - lo)
        );
    }
    // Time axis: six ticks.
    for i in 0..=6 {
        let t = from + (to - from) * i / 6;
        let xx = x(t);
        let label = DateTime::from_timestamp_millis(t)
            .map(|d| {
                let d = d.with_timezone(&china_offset());
                if to - from > 2 * 86_400_000 {
                    d.format("%m-%d %H:%M").to_string()
                } else {
                    d.format("%H:%M").to_string()
                }
            })
            .unwrap_or_default();
        let anchor = match i {
            0 => "start",
            6 => "end",
            _ => "middle",
        };
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{TOP}" y2="{}" stroke="#f0f0f0"/><text x="{xx:.1}" y="{}" text-anchor="{anchor}" fill="#555">{label}</text>"##,
            H - BOTTOM,
            H - BOTTOM + 16.0
        );
    }
    // Thresholds.
    for l in Level::ALL {
        if let Some(t) = th.of(*l) {
            let yy = y(t);
            let _ = write!(
                s,
                r##"<line class="threshold {}" x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="{}" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" text-anchor="end" fill="{}">{}{}</text>"##,
                l.as_str(),
                W - RIGHT,
                colour(*l),
                W - RIGHT - 2.0,
                yy - 3.0,
                colour(*l),
                l.label(),
                number(t, hi - lo)
            );
        }
    }
    // The series, reduced to each column's lowest and highest value.
    let columns = (W - LEFT - RIGHT) as i64;
    let mut path = String::new();
    let mut bucket: Option<(i64, f64, f64, i64, i64)> = None; // column, min, max, t_min, t_max
    let flush = |b: (i64, f64, f64, i64, i64), path: &mut String| {
        let (_, mn, mx, tmn, tmx) = b;
        let pts = if tmn <= tmx {
            [(tmn, mn), (tmx, mx)]
        } else {
            [(tmx, mx), (tmn, mn)]
        };
        for (t, v) in pts {
            let _ = write!(
                path,
                "{}{:.1},{:.1} ",
                if path.is_empty() { "M" } else { "L" },
                x(t),
                y(v)
            );
        }
    };
    for r in &usable {
        let col = ((r.ts - from) as f64 / span * columns as f64) as i64;
        bucket = match bucket {
            Some(b) if b.0 == col => Some((
                col,
                b.1.min(r.value),
                b.2.max(r.value),
                if r.value < b.1 { r.ts } else { b.3 },
                if r.value > b.2 { r.ts } else { b.4 },
            )),
            Some(b) => {
                flush(b, &mut path);
                Some((col, r.value, r.value, r.ts, r.ts))
            }
            None => Some((col, r.value, r.value, r.ts, r.ts)),
        };
    }
    if let Some(b) = bucket {
        flush(b, &mut path);
    }
    if path.is_empty() {
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#888" font-size="14">该时段无读数</text>"##,
            W / 2.0,
            H / 2.0
        );
    } else {
        let _ = write!(
            s,
            r##"<path class="series" d="{}" fill="none" stroke="#222" stroke-width="1.5"/>"##,
            path.trim_end()
        );
    }
    let _ = write!(
        s,
        r##"<text x="{LEFT}" y="16" fill="#333" font-size="12">{} {}（{}） 读数 {} 条</text></svg>"##,
        esc(&p.kind_label),
        esc(&point.name),
        esc(&point.unit),
        usable.len()
    );
    s
}

/// A value with as many decimals as the axis' span calls for.
fn number(v: f64, span: f64) -> String {
    if span >= 50.0 {
        format!("{v:.0}")
    } else if span >= 5.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}
