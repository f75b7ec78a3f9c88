//! Tracking a letter's indicators: each measured indicator's current value is its metric
//! over the letter's year (to today while the year runs), for the counterpart only (a
//! township's region subtree, a department's records, an enterprise's records), graded by
//! [`anjian_domain::letter::grade`]. Everyone who reads the letter sees the same figures:
//! they are computed over the letter's county, not the reader's scope.

use super::*;
use crate::stats::{drill_query, fmt_value};
use anjian_domain::letter::Grade;
use anjian_domain::period::Period;
use anjian_store::stats::{Metric, StatFilter};
use chrono::NaiveDate;

/// One indicator with its current value and grade.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorStatus {
    #[serde(flatten)]
    pub indicator: Indicator,
    /// The metric's name (a rate's: "A占B的比例"); empty for an indicator tracked by hand.
    pub metric_label: String,
    /// The target as stated: "≥ 95%", "≤ 0 起".
    pub target_display: String,
    /// The current value (a rate in percent); `None` where it cannot be computed.
    pub value: Option<f64>,
    pub value_display: String,
    /// `None` for an indicator tracked by hand.
    pub grade: Option<Grade>,
    pub grade_label: String,
    /// The metric page with the records behind the value (`/metrics/…?period=…`).
    pub drill: Option<String>,
}

/// A letter with its indicators tracked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterView {
    #[serde(flatten)]
    pub letter: Letter,
    pub kind_label: &'static str,
    /// The period the values cover: the letter's year, or its days up to today.
    pub period_name: String,
    /// The letter's year is over: a target not reached is missed.
    pub year_over: bool,
    pub indicators: Vec<IndicatorStatus>,
    pub met: usize,
    pub at_risk: usize,
    pub missed: usize,
}

/// The days of `year` the values cover on `today`: the whole year once it is over (or
/// before it begins), else its first day to today.
pub(crate) fn tracking_period(year: i64, today: NaiveDate) -> Option<Period> {
    let full = Period::year(i32::try_from(year).ok()?)?;
    if today >= full.to || today < full.from {
        Some(full)
    } else {
        Period::range(full.from, today)
    }
}

/// The statistical scope of a letter's counterpart.
fn counterpart_filter(l: &Letter) -> StatFilter {
    match l.counterpart_kind {
        CounterpartKind::Township => StatFilter {
            region_prefix: RegionCode::parse(&l.region_code)
                .ok()
                .map(|r| r.subtree_prefix().to_string()),
            ..StatFilter::default()
        },
        CounterpartKind::Department => StatFilter {
            department_id: l.department_id,
            ..StatFilter::default()
        },
        CounterpartKind::Enterprise => StatFilter {
            enterprise_id: l.enterprise_id,
            ..StatFilter::default()
        },
    }
}

/// Indicators to track together: a county's year, the statistical scope of whoever answers
/// for them (a letter's counterpart; the whole county for its 控制指标) and the indicators.
pub(crate) struct IndicatorSet<'a> {
    pub county_code: &'a str,
    pub year: i64,
    pub filter: StatFilter,
    pub indicators: &'a [Indicator],
}

/// A set's indicators with their values and grades.
pub(crate) struct TrackedSet {
    pub period_name: String,
    pub year_over: bool,
    pub indicators: Vec<IndicatorStatus>,
    pub met: usize,
    pub at_risk: usize,
    pub missed: usize,
}

/// What each set asks of the store: its period, filter and the metrics it needs.
struct Plan<'a> {
    period: Option<Period>,
    filter: StatFilter,
    scope: Scope,
    /// (indicator index, numerator, denominator), for the measured indicators.
    asks: Vec<(usize, &'a Metric, Option<&'a Metric>)>,
}

impl App {
    /// Letter `id` with its indicators tracked.
    pub fn letter_view(&self, caller: &Caller, id: i64) -> Result<LetterView> {
        let l = self.letter(caller, id)?;
        let mut views = self.track_letters(vec![l])?;
        views.pop().ok_or(AppError::NotFound)
    }

    /// Tracks the letters' indicators: one batch of metric values for all of them.
    pub fn track_letters(&self, letters: Vec<Letter>) -> Result<Vec<LetterView>> {
        let sets: Vec<IndicatorSet> = letters
            .iter()
            .map(|l| IndicatorSet {
                county_code: &l.county_code,
                year: l.year,
                filter: counterpart_filter(l),
                indicators: &l.indicators,
            })
            .collect();
        let tracked = self.track_sets(&sets)?;
        Ok(letters
            .into_iter()
            .zip(tracked)
            .map(|(letter, t)| LetterView {
                kind_label: letter.counterpart_kind.label(),
                period_name: t.period_name,
                year_over: t.year_over,
                met: t.met,
                at_risk: t.at_risk,
                missed: t.missed,
                indicators: t.indicators,
                letter,
            })
            .collect())
    }

    /// Tracks sets of indicators: one batch of metric values per county and period.
    pub(crate) fn track_sets(&self, sets: &[IndicatorSet]) -> Result<Vec<TrackedSet>> {
        let cat = self.metric_catalogue()?;
        let today = self.clock.today();
        let find =
            |id: &Option<String>| id.as_deref().and_then(|id| cat.iter().find(|m| m.id == id));
        let plans: Vec<Plan> = sets
            .iter()
            .map(|l| Plan {
                period: tracking_period(l.year, today),
                filter: l.filter.clone(),
                scope: RegionCode::parse(l.county_code)
                    .map(|c| Scope::region(&c, false))
                    .unwrap_or_else(|_| Scope::nothing()),
                asks: l
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.is_tracked())
                    .filter_map(|(k, i)| Some((k, find(&i.metric)?, find(&i.per_metric))))
                    .collect(),
            })
            .collect();
        // One batch per county and period (a ledger of one county's year is one batch).
        let mut raws: Vec<Vec<(Option<i64>, Option<i64>)>> = plans
            .iter()
            .map(|p| vec![(None, None); p.asks.len()])
            .collect();
        let mut groups: Vec<(Scope, Period, Vec<usize>)> = Vec::new();
        for (n, p) in plans.iter().enumerate() {
            let Some(period) = &p.period else { continue };
            match groups
                .iter_mut()
                .find(|(s, per, _)| *s == p.scope && per == period)
            {
                Some((_, _, members)) => members.push(n),
                None => groups.push((p.scope.clone(), period.clone(), vec![n])),
            }
        }
        for (scope, period, members) in &groups {
            let mut reqs: Vec<(&Metric, &StatFilter)> = Vec::new();
            for &n in members {
                for (_, num, den) in &plans[n].asks {
                    reqs.push((*num, &plans[n].filter));
                    if let Some(d) = den {
                        reqs.push((*d, &plans[n].filter));
                    }
                }
            }
            let values = self
                .store
                .metric_values_multi(&reqs, scope, period.from, period.to)?;
            let mut it = values.into_iter();
            for &n in members {
                for (k, (_, _, den)) in plans[n].asks.iter().enumerate() {
                    let num = it.next().flatten();
                    let d = if den.is_some() {
                        it.next().flatten()
                    } else {
                        None
                    };
                    raws[n][k] = (num, d);
                }
            }
        }
        Ok(sets
            .iter()
            .zip(plans.iter().zip(raws))
            .map(|(set, (p, raws))| set_tracked(set.indicators, p, &raws, today, &cat))
            .collect())
    }
}

fn set_tracked(
    indicators: &[Indicator],
    plan: &Plan,
    raws: &[(Option<i64>, Option<i64>)],
    today: NaiveDate,
    cat: &[Metric],
) -> TrackedSet {
    let year_over = plan
        .period
        .as_ref()
        .is_some_and(|p| p.kind == anjian_domain::period::PeriodKind::Year && today > p.to);
    let find = |id: &Option<String>| id.as_deref().and_then(|id| cat.iter().find(|m| m.id == id));
    let indicators: Vec<IndicatorStatus> = indicators
        .iter()
        .enumerate()
        .map(|(k, ind)| {
            let asked = plan.asks.iter().position(|(i, ..)| *i == k);
            match (asked, ind.comparator, ind.target) {
                (Some(at), Some(cmp), Some(target)) => {
                    let (num, den) = (plan.asks[at].1, plan.asks[at].2);
                    let (raw, base) = raws.get(at).copied().unwrap_or((None, None));
                    let (value, value_display, unit) = match den {
                        Some(_) => {
                            let v = match (raw, base) {
                                (Some(r), Some(b)) if b > 0 => Some(r as f64 * 100.0 / b as f64),
                                _ => None,
                            };
                            let shown = v.map_or("—".into(), |v| {
                                format!("{}%", fmt_value((v * 100.0).round() / 100.0))
                            });
                            (v, shown, "%".to_string())
                        }
                        None => (
                            raw.map(|r| num.stated(r)),
                            raw.map_or("—".into(), |r| {
                                format!("{}{}", num.display(r, 1), num.unit)
                            }),
                            num.unit.clone(),
                        ),
                    };
                    let grade = anjian_domain::letter::grade(cmp, target, value, year_over);
                    IndicatorStatus {
                        indicator: ind.clone(),
                        metric_label: match den {
                            Some(d) => format!("{}占{}的比例", num.label, d.label),
                            None => num.label.clone(),
                        },
                        target_display: format!("{} {}{unit}", cmp.sign(), fmt_value(target)),
                        value,
                        value_display,
                        grade: Some(grade),
                        grade_label: grade.label().into(),
                        drill: plan.period.as_ref().map(|p| {
                            format!("/metrics/{}?{}", num.id, drill_query(p, &plan.filter))
                        }),
                    }
                }
                _ => IndicatorStatus {
                    indicator: ind.clone(),
                    metric_label: find(&ind.metric)
                        .map(|m| m.label.clone())
                        .unwrap_or_default(),
                    target_display: String::new(),
                    value: None,
                    value_display: "—".into(),
                    grade: None,
                    grade_label: if ind.metric.is_some() {
                        Grade::NoData.label().into()
                    } else {
                        "人工跟踪".into()
                    },
                    drill: None,
                },
            }
        })
        .collect();
    let count = |g: Grade| indicators.iter().filter(|i| i.grade == Some(g)).count();
    TrackedSet {
        period_name: plan.period.as_ref().map(Period::name).unwrap_or_default(),
        year_over,
        met: count(Grade::Met),
        at_risk: count(Grade::AtRisk),
        missed: count(Grade::Missed),
        indicators,
    }
}
