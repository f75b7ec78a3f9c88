//! 首页 (dashboard): headline figures of the year, monthly trends drawn as SVG on the
//! server, overdue major hazards, penalty-case steps near or past their limits, and the
//! caller's to-do counts, all in the caller's scope.

use crate::hazards::HazardView;
use crate::stats::MetricValue;
use crate::{App, Caller, Result};
use anjian_domain::period::Period;
use anjian_store::hazards::HazardFilter;
use anjian_store::stats::StatFilter;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The headline metrics, in display order.
pub const HEADLINE: [&str; 8] = [
    "hazards.found",
    "hazards.closed",
    "hazards.found_major",
    "hazards.open_overdue",
    "inspections.count",
    "documents.issued",
    "cases.filed",
    "cases.fines",
];

#[derive(Debug, Clone, Serialize)]
pub struct MonthPoint {
    pub month: u32,
    pub found: i64,
    pub closed: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i32,
    /// Whether the year was chosen because the current one has no records yet.
    pub fell_back: bool,
    pub headline: Vec<MetricValue>,
    pub trend: Vec<MonthPoint>,
    #[serde(skip)]
    pub trend_svg: String,
    pub overdue_major: Vec<HazardView>,
    /// Sector names of the overdue major hazards, by code.
    pub sector_names: std::collections::BTreeMap<String, String>,
    /// (case id, step, due date)
    pub case_steps_due: Vec<(i64, String, String)>,
    pub case_steps_overdue: Vec<(i64, String, String)>,
    pub awaiting: usize,
    pub due_soon: usize,
    pub overdue: usize,
}

/// Grouped bars (found, closed) per month with value labels; numbers only, so the markup
/// needs no escaping.
pub fn trend_svg(points: &[MonthPoint]) -> String {
    let (w, h, left, bottom, top) = (660.0, 230.0, 36.0, 28.0, 16.0);
    let max = points
        .iter()
        .map(|p| p.found.max(p.closed))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = (w - left - 8.0) / points.len().max(1) as f64;
    let bar = (slot - 8.0) / 2.0;
    let plot_h = h - bottom - top;
    let y = |v: i64| top + plot_h - plot_h * v as f64 / max;
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="trend" role="img" aria-label="各月发现与整改隐患数">"##
    );
    for i in 0..=4 {
        let v = (max * i as f64 / 4.0).round() as i64;
        let yy = y(v);
        s.push_str(&format!(
            r##"<line x1="{left}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e3e8ef"/><text x="{}" y="{:.1}" font-size="10" text-anchor="end" fill="#667">{v}</text>"##,
            w - 8.0,
            left - 4.0,
            yy + 3.0
        ));
    }
    for (i, p) in points.iter().enumerate() {
        let x0 = left + slot * i as f64 + 4.0;
        for (k, (v, color)) in [(p.found, "#2f6fd6"), (p.closed, "#2e9e6a")]
            .iter()
            .enumerate()
        {
            let x = x0 + bar * k as f64;
            let yy = y(*v);
            s.push_str(&format!(
                r##"<rect x="{x:.1}" y="{yy:.1}" width="{:.1}" height="{:.1}" fill="{color}"><title>{}月 {}：{v}</title></rect>"##,
                bar - 1.0,
                top + plot_h - yy,
                p.month,
                if k == 0 { "发现" } else { "整改" }
            ));
        }
        s.push_str(&format!(
            r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="#445">{}月</text>"##,
            x0 + bar,
            h - 10.0,
            p.month
        ));
    }
    s.push_str(&format!(
        r##"<rect x="{left}" y="2" width="10" height="10" fill="#2f6fd6"/><text x="{}" y="11" font-size="11" fill="#445">发现</text><rect x="{}" y="2" width="10" height="10" fill="#2e9e6a"/><text x="{}" y="11" font-size="11" fill="#445">整改销号</text></svg>"##,
        left + 14.0,
        left + 50.0,
        left + 64.0
    ));
    s
}

/// The year a statistics page opens on when none is asked for: this year, or the latest
/// year with records in the caller's scope when this one has none yet (a county in early
/// January, or the 2022 demo county on today's clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataYear {
    pub year: i32,
    /// True when this year has no records and an earlier year was chosen.
    pub fell_back: bool,
}

impl DataYear {
    /// The day that stands for "today" when choosing default periods: today itself, or the
    /// last day of the year fallen back to (so a default quarter is that year's last).
    pub fn anchor(&self, today: NaiveDate) -> NaiveDate {
        if self.fell_back {
            NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(today)
        } else {
            today
        }
    }

    /// What a page says when it fell back, e.g. "本年度尚无记录，显示最近有记录的2022年度。".
    pub fn notice(&self) -> Option<String> {
        self.fell_back
            .then(|| format!("本年度尚无记录，显示最近有记录的{}年度。", self.year))
    }
}

impl App {
    /// The year statistics pages open on for this caller (see [`DataYear`]).
    pub fn data_year(&self, caller: &Caller) -> Result<DataYear> {
        let today = self.clock.today();
        let latest = self
            .store
            .latest_hazard_date(&caller.scope)?
            .map(|d| d.year());
        Ok(match latest {
            Some(y) if y < today.year() => DataYear {
                year: y,
                fell_back: true,
            },
            _ => DataYear {
                year: today.year(),
                fell_back: false,
            },
        })
    }

    /// The dashboard for a year (default: this year, or the latest year with hazards when
    /// this one has none yet).
    pub fn dashboard(&self, caller: &Caller, year: Option<i32>) -> Result<Dashboard> {
        // Some thirty kept figures: the data generation looked at once for all of them.
        self.store
            .with_one_look(|| self.dashboard_now(caller, year))
    }

    fn dashboard_now(&self, caller: &Caller, year: Option<i32>) -> Result<Dashboard> {
        let today = self.clock.today();
        let (year, fell_back) = match year {
            Some(y) => (y, false),
            None => {
                let d = self.data_year(caller)?;
                (d.year, d.fell_back)
            }
        };
        let period = Period::year(year)
            .ok_or_else(|| crate::AppError::BadRequest(format!("年度“{year}”不正确")))?;
        let ids: Vec<String> = HEADLINE.iter().map(|s| s.to_string()).collect();
        let mut headline =
            self.metric_values(caller, &period, &StatFilter::default(), Some(&ids))?;
        headline.sort_by_key(|v| HEADLINE.iter().position(|h| *h == v.id));
        let cat = self.metric_catalogue()?;
        let metric = |id: &str| cat.iter().find(|m| m.id == id);
        let last_month = if year == today.year() {
            today.month()
        } else {
            12
        };
        let mut trend = Vec::new();
        for p in period.months_within().into_iter().take(last_month as usize) {
            let v = |id: &str| -> Result<i64> {
                Ok(match metric(id) {
                    Some(m) => self
                        .store
                        .metric_value(m, &caller.scope, &StatFilter::default(), p.from, p.to)?
                        .unwrap_or(0),
                    None => 0,
                })
            };
            trend.push(MonthPoint {
                month: p.from.month(),
                found: v("hazards.found")?,
                closed: v("hazards.closed")?,
            });
        }
        let overdue_major = self
            .list_hazards(
                caller,
                &HazardFilter {
                    level: Some("major".into()),
                    overdue: Some(true),
                    limit: 10,
                    ..Default::default()
                },
            )?
            .items;
        // The counts of the hazard to-dos and the case steps: the home page shows nothing
        // else of the to-dos (the to-do page reads them all).
        let (awaiting, due_soon, overdue) =
            self.hazard_todo_counts(caller, crate::todos::DUE_SOON_DAYS)?;
        let (case_steps_due, case_steps_overdue) =
            if caller.can(anjian_domain::scope::Permission::ViewEnforcement) {
                let steps = self.case_step_todos(caller, crate::todos::DUE_SOON_DAYS)?;
                (steps.due_soon, steps.overdue)
            } else {
                (Vec::new(), Vec::new())
            };
        let sector_names = self
            .store
            .list_sectors()?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
        Ok(Dashboard {
            year,
            fell_back,
            trend_svg: trend_svg(&trend),
            headline,
            trend,
            overdue_major,
            sector_names,
            case_steps_due,
            case_steps_overdue,
            awaiting,
            due_soon,
            overdue,
        })
    }
}

impl Dashboard {
    /// A sector's name (its code when unknown).
    pub fn sector_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.sector_names
            .get(code)
            .map(String::as_str)
            .unwrap_or(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_has_two_bars_per_month_scaled_to_the_largest() {
        let pts: Vec<MonthPoint> = (1..=3)
            .map(|m| MonthPoint {
                month: m,
                found: m as i64 * 10,
                closed: 5,
            })
            .collect();
        let svg = trend_svg(&pts);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(
            svg.matches("<rect").count(),
            6 + 2,
            "six bars and two legend swatches"
        );
        assert!(svg.contains("3月 发现：30") && svg.contains(">30</text>"));
        assert_eq!(trend_svg(&[]).matches("<rect").count(), 2);
    }
}
