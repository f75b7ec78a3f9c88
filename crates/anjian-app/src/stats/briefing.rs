//! The leader's briefing (领导简报): a period's headline figures beside the same period a
//! year earlier (同比), and the hazards found by township and by sector, each figure and
//! bar opening the records it counts.

use super::*;

/// A headline figure with its year-on-year change.
#[derive(Debug, Clone, Serialize)]
pub struct YearOnYear {
    pub now: MetricValue,
    pub before: MetricValue,
    /// "+12.5%", "-3.0%", "持平", or "—" where last year's figure is 0 or unknown.
    pub change: String,
    pub up: bool,
}

/// One unit (a township, a sector) in a chart: its figure now and a year earlier, with the
/// statistical filter that opens its records.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub name: String,
    pub now: i64,
    pub before: i64,
    /// The drill-down query of this unit's records over the period (`period=…&region=…`).
    pub query: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    pub period: Period,
    pub year_ago: Period,
    pub headline: Vec<YearOnYear>,
    /// Hazards found, by township (the caller's townships).
    pub townships: Vec<Bar>,
    /// Hazards found, by sector (sectors with any in either period).
    pub sectors: Vec<Bar>,
    /// Open hazards past their deadline at the end of the period, by township.
    pub overdue: Vec<Bar>,
}

/// The figures the briefing opens with.
pub const BRIEFING_HEADLINE: [&str; 8] = crate::dashboard::HEADLINE;

fn change(now: Option<i64>, before: Option<i64>) -> (String, bool) {
    match (now, before) {
        (Some(n), Some(b)) if b != 0 => {
            let pct = (n - b) as f64 * 100.0 / b as f64;
            if pct.abs() < 0.05 {
                ("持平".into(), false)
            } else {
                (format!("{:+.1}%", pct), pct > 0.0)
            }
        }
        (Some(0), Some(0)) => ("持平".into(), false),
        _ => ("—".into(), false),
    }
}

impl App {
    /// The briefing of a period in the caller's scope.
    pub fn briefing(&self, caller: &Caller, period: &Period) -> Result<Briefing> {
        caller.require(anjian_domain::scope::Permission::ViewCountyWork)?;
        let year_ago = period
            .year_ago()
            .ok_or_else(|| AppError::BadRequest("无法确定上年同期".into()))?;
        let ids: Vec<String> = BRIEFING_HEADLINE.iter().map(|s| s.to_string()).collect();
        let whole = StatFilter::default();
        let now = self.metric_values(caller, period, &whole, Some(&ids))?;
        let before = self.metric_values(caller, &year_ago, &whole, Some(&ids))?;
        let mut headline: Vec<YearOnYear> = now
            .into_iter()
            .zip(before)
            .map(|(now, before)| {
                let (change, up) = change(now.raw, before.raw);
                YearOnYear {
                    now,
                    before,
                    change,
                    up,
                }
            })
            .collect();
        headline.sort_by_key(|y| BRIEFING_HEADLINE.iter().position(|h| *h == y.now.id));
        let cat = self.metric_catalogue()?;
        let metric = |id: &str| {
            cat.iter()
                .find(|m| m.id == id)
                .ok_or_else(|| AppError::Internal(format!("metric {id}")))
        };
        let found = metric("hazards.found")?;
        let overdue = metric("hazards.open_overdue")?;
        let value = |m: &Metric, f: &StatFilter, p: &Period| -> Result<i64> {
            Ok(self
                .store
                .metric_value(m, &caller.scope, f, p.from, p.to)?
                .unwrap_or(0))
        };
        let mut townships = Vec::new();
        let mut overdue_bars = Vec::new();
        for (code, name) in self.townships(caller)? {
            let prefix = anjian_domain::RegionCode::parse(&code)
                .map(|c| c.subtree_prefix().to_string())
                .unwrap_or_else(|_| code.clone());
            let f = StatFilter {
                region_prefix: Some(prefix),
                ..Default::default()
            };
            townships.push(Bar {
                name: name.clone(),
                now: value(found, &f, period)?,
                before: value(found, &f, &year_ago)?,
                query: drill_query(period, &f),
            });
            overdue_bars.push(Bar {
                name,
                now: value(overdue, &f, period)?,
                before: value(overdue, &f, &year_ago)?,
                query: drill_query(period, &f),
            });
        }
        let mut sectors = Vec::new();
        for s in self.list_sectors(caller)? {
            let f = StatFilter {
                sector: Some(s.code.clone()),
                ..Default::default()
            };
            let (n, b) = (value(found, &f, period)?, value(found, &f, &year_ago)?);
            if n > 0 || b > 0 {
                sectors.push(Bar {
                    name: s.name,
                    now: n,
                    before: b,
                    query: drill_query(period, &f),
                });
            }
        }
        sectors.sort_by_key(|b| std::cmp::Reverse(b.now));
        townships.sort_by_key(|b| std::cmp::Reverse(b.now));
        overdue_bars.sort_by_key(|b| std::cmp::Reverse(b.now));
        overdue_bars.retain(|b| b.now > 0 || b.before > 0);
        Ok(Briefing {
            period: period.clone(),
            year_ago,
            headline,
            townships,
            sectors,
            overdue: overdue_bars,
        })
    }
}

#[cfg(test)]
mod briefing_tests {
    use super::change;

    #[test]
    fn year_on_year_changes_read_as_officials_write_them() {
        assert_eq!(change(Some(110), Some(100)), ("+10.0%".to_string(), true));
        assert_eq!(change(Some(97), Some(100)), ("-3.0%".to_string(), false));
        assert_eq!(change(Some(100), Some(100)).0, "持平");
        assert_eq!(change(Some(5), Some(0)).0, "—");
        assert_eq!(change(Some(0), Some(0)).0, "持平");
        assert_eq!(change(None, Some(3)).0, "—");
    }
}
