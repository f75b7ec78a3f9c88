//! Statistics you can trace: metric values over a period and a scope, the records behind
//! each value, and the annual (or any period's) report rendered from a county-editable
//! template whose every figure is a metric, linked to its drill-down.

mod render;
use render::strip_marks;
mod ledgers;
pub use ledgers::*;

use crate::{App, AppError, Caller, Result};
use anjian_domain::Scope;
use anjian_domain::period::Period;
use anjian_store::Store;
use anjian_store::stats::{DrillRow, Metric, StatFilter};
use minijinja::value::Kwargs;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The shipped annual report template (Markdown with metric placeholders); a county edits
/// its own copy in setting [`REPORT_TEMPLATE_SETTING`].
pub const DEFAULT_ANNUAL_TEMPLATE: &str = include_str!("../../templates/annual_report.md.j2");
pub const REPORT_TEMPLATE_SETTING: &str = "report_template.annual";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MetricValue {
    pub id: String,
    pub section: String,
    pub label: String,
    pub unit: String,
    pub definition: String,
    /// In the raw unit of the records (counts, fen, 元 …); `None` where the statistical
    /// scope does not apply to the metric's records.
    pub raw: Option<i64>,
    /// The stated value (raw divided by the metric's scale, e.g. fen → 万元), for
    /// arithmetic; what the figure states is `display`.
    pub value: Option<f64>,
    /// The stated value written exactly: divided on integers and rounded half up (四舍五入)
    /// to two decimals; money in fen keeps both decimals (268,695,000 分 → 268.70).
    pub display: String,
}

/// Formats a stated value: integers plainly, fractions with at most two decimals.
pub fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn value_of(m: &Metric, raw: Option<i64>, extra_scale: f64) -> MetricValue {
    let value = raw.map(|r| m.stated(r) / extra_scale);
    // A template's scale is a whole number (10000 for 万); any other is written from the
    // binary fraction.
    let whole = (extra_scale >= 1.0 && extra_scale.fract() == 0.0 && extra_scale < 1e12)
        .then_some(extra_scale as i64);
    let display = match (raw, whole) {
        (Some(r), Some(x)) => m.display(r, x),
        (Some(_), None) => value.map(fmt_value).unwrap_or_default(),
        (None, _) => "—".into(),
    };
    MetricValue {
        id: m.id.clone(),
        section: m.section.to_string(),
        label: m.label.clone(),
        unit: m.unit.clone(),
        definition: m.definition.clone(),
        raw,
        value,
        display,
    }
}

/// The query string of a drill-down link for a metric over a period and scope.
pub fn drill_query(period: &Period, f: &StatFilter) -> String {
    let mut q = vec![format!("period={}", period.code)];
    let mut push = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            q.push(format!("{k}={}", urlencode(v)));
        }
    };
    push("region", &f.region_prefix);
    push("department", &f.department_id.map(|d| d.to_string()));
    push("sector", &f.sector);
    push("campaign", &f.campaign);
    push("agency", &f.agency);
    q.join("&")
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One figure stated in a rendered report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figure {
    pub n: usize,
    pub metric: String,
    pub label: String,
    pub unit: String,
    pub filter: StatFilter,
    pub raw: Option<i64>,
    pub value: Option<f64>,
    pub display: String,
    /// Path of the drill-down page (`/metrics/{id}?period=…`).
    pub link: String,
}

/// A rendered report: the text with figure markers, the figures, and every metric's value.
#[derive(Debug, Clone, Serialize)]
pub struct Rendered {
    pub title: String,
    pub period: Period,
    pub period_name: String,
    #[serde(skip)]
    pub text: String,
    pub figures: Vec<Figure>,
    pub metrics: Vec<MetricValue>,
}

const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

impl App {
    /// The catalogue: the fixed metrics and two per work item type.
    pub fn metric_catalogue(&self) -> Result<Vec<Metric>> {
        Ok(anjian_store::stats::catalogue(
            &self.store.list_work_item_types()?,
        ))
    }

    /// Values of every metric (or the listed ones) over a period in the caller's scope.
    pub fn metric_values(
        &self,
        caller: &Caller,
        period: &Period,
        f: &StatFilter,
        ids: Option<&[String]>,
    ) -> Result<Vec<MetricValue>> {
        let cat = self.metric_catalogue()?;
        let (from, to) = (period.from, period.to);
        let wanted: Vec<&Metric> = cat
            .iter()
            .filter(|m| ids.is_none_or(|ids| ids.contains(&m.id)))
            .collect();
        let raws = self
            .store
            .metric_values(&wanted, &caller.scope, f, from, to)?;
        let out: Vec<MetricValue> = wanted
            .iter()
            .zip(raws)
            .map(|(m, raw)| value_of(m, raw, 1.0))
            .collect();
        if let Some(ids) = ids
            && let Some(unknown) = ids.iter().find(|i| !cat.iter().any(|m| &m.id == *i))
        {
            return Err(AppError::BadRequest(format!("指标“{unknown}”不存在")));
        }
        Ok(out)
    }

    /// One metric's value and the records behind it (at most `limit` rows).
    pub fn metric_drill(
        &self,
        caller: &Caller,
        id: &str,
        period: &Period,
        f: &StatFilter,
        limit: i64,
    ) -> Result<(MetricValue, Option<Vec<DrillRow>>)> {
        let cat = self.metric_catalogue()?;
        let m = cat.iter().find(|m| m.id == id).ok_or(AppError::NotFound)?;
        let (from, to) = (period.from, period.to);
        let raw = self.store.metric_value(m, &caller.scope, f, from, to)?;
        let rows = self
            .store
            .metric_records(m, &caller.scope, f, from, to, limit)?;
        Ok((value_of(m, raw, 1.0), rows))
    }

    /// The county's annual report template (its own edit, or the shipped one).
    pub fn report_template(&self) -> Result<String> {
        Ok(self
            .store
            .setting(REPORT_TEMPLATE_SETTING)?
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ANNUAL_TEMPLATE.to_string()))
    }

    /// Saves an edited template (安委办 only) after rendering it once for the current year,
    /// so a broken placeholder is refused with its message instead of breaking the report.
    pub fn set_report_template(&self, caller: &Caller, text: &str) -> Result<()> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以修改报告模板".into()));
        }
        let year = chrono::Datelike::year(&self.clock.today());
        let period = Period::year(year).ok_or_else(|| AppError::Internal("year".into()))?;
        self.render_report_with(caller, &period, text)
            .map_err(|e| match e {
                AppError::BadRequest(m) => {
                    AppError::Validation(anjian_domain::ValidationErrors::single("template", m))
                }
                other => other,
            })?;
        let scope = caller.scope.clone();
        self.store
            .set_setting(&caller.change(&scope, self), REPORT_TEMPLATE_SETTING, text)?;
        Ok(())
    }

    /// Renders the county's report template for a period.
    pub fn render_report(&self, caller: &Caller, period: &Period) -> Result<Rendered> {
        let t = self.report_template()?;
        self.render_report_with(caller, period, &t)
    }

    /// Renders a template: `m(id, sector=…, campaign=…, region=…, department=…, agency=…,
    /// scale=…)` states a figure (linked), `v(…)` gives its number for arithmetic or
    /// conditions, `pct(a, b)` a percentage.
    pub fn render_report_with(
        &self,
        caller: &Caller,
        period: &Period,
        template: &str,
    ) -> Result<Rendered> {
        let started = std::time::Instant::now();
        let cat: Arc<Vec<Metric>> = Arc::new(self.metric_catalogue()?);
        let catalogued = started.elapsed();
        let figures: Arc<Mutex<Vec<Figure>>> = Arc::new(Mutex::new(Vec::new()));
        // Figures left for the batch: (figure number, scale).
        let pending: Arc<Mutex<Vec<(usize, f64)>>> = Arc::new(Mutex::new(Vec::new()));
        // Figures are evaluated after rendering, together with every metric over the whole
        // scope (the JSON lists them): one query per source and date rule for the report.
        // `v()` evaluates at once and caches.
        let cache: Arc<Mutex<HashMap<String, Option<i64>>>> = Arc::new(Mutex::new(HashMap::new()));
        let store: Arc<Store> = self.store.clone();
        let scope: Scope = caller.scope.clone();
        let p = period.clone();
        let eval = {
            let (cat, cache, store, scope, p) =
                (cat.clone(), cache.clone(), store, scope, p.clone());
            // `lazy`: a figure not yet in the cache is left for the batch after rendering
            // (its value comes back as `None` and `false`).
            Arc::new(
                move |id: &str,
                      kw: &Kwargs,
                      lazy: bool|
                      -> std::result::Result<
                    (MetricValue, StatFilter, f64, bool),
                    minijinja::Error,
                > {
                    let err = |m: String| {
                        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, m)
                    };
                    let m = cat
                        .iter()
                        .find(|m| m.id == id)
                        .ok_or_else(|| err(format!("指标“{id}”不存在")))?;
                    let text = |k: &str| -> std::result::Result<Option<String>, minijinja::Error> {
                        Ok(kw.get::<Option<String>>(k)?.filter(|s| !s.is_empty()))
                    };
                    let f = StatFilter {
                        region_prefix: text("region")?,
                        department_id: kw.get::<Option<i64>>("department")?,
                        sector: text("sector")?,
                        campaign: text("campaign")?,
                        agency: text("agency")?,
                    };
                    let scale = kw
                        .get::<Option<f64>>("scale")?
                        .filter(|s| *s > 0.0)
                        .unwrap_or(1.0);
                    kw.assert_all_used()?;
                    let key = format!("{id}|{f:?}");
                    let cached = cache.lock().ok().and_then(|c| c.get(&key).copied());
                    let raw = match cached {
                        Some(r) => r,
                        None if lazy => return Ok((value_of(m, None, scale), f, scale, false)),
                        None => {
                            let r = store
                                .metric_value(m, &scope, &f, p.from, p.to)
                                .map_err(|e| err(format!("指标“{id}”计算失败：{e}")))?;
                            if let Ok(mut c) = cache.lock() {
                                c.insert(key, r);
                            }
                            r
                        }
                    };
                    let mut v = value_of(m, raw, scale);
                    if scale != 1.0 {
                        v.unit = String::new();
                    }
                    Ok((v, f, scale, true))
                },
            )
        };
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        {
            let (eval, figures, p, pending) =
                (eval.clone(), figures.clone(), p.clone(), pending.clone());
            env.add_function(
                "m",
                move |id: String, kw: Kwargs| -> std::result::Result<String, minijinja::Error> {
                    let (v, f, scale, resolved) = eval(&id, &kw, true)?;
                    let lock =
                        || minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "lock");
                    let mut figs = figures.lock().map_err(|_| lock())?;
                    let n = figs.len();
                    if !resolved {
                        pending.lock().map_err(|_| lock())?.push((n, scale));
                    }
                    figs.push(Figure {
                        n,
                        link: format!("/metrics/{}?{}", id, drill_query(&p, &f)),
                        metric: id,
                        label: v.label,
                        unit: v.unit,
                        filter: f,
                        raw: v.raw,
                        value: v.value,
                        display: v.display,
                    });
                    Ok(format!("{MARK_OPEN}{n}{MARK_CLOSE}"))
                },
            );
        }
        {
            let eval = eval.clone();
            env.add_function(
                "v",
                move |id: String, kw: Kwargs| -> std::result::Result<f64, minijinja::Error> {
                    Ok(eval(&id, &kw, false)?.0.value.unwrap_or(0.0))
                },
            );
        }
        env.add_function("pct", |a: f64, b: f64| -> String {
            if b == 0.0 {
                "—".into()
            } else {
                format!("{}%", fmt_value((a * 1000.0 / b).round() / 10.0))
            }
        });
        let campaigns = self.store.list_campaigns(&caller.scope)?;
        // The period's main campaign: the longest one overlapping it.
        let main = campaigns
            .iter()
            .filter(|c| c.starts_on <= period.to && c.ends_on >= period.from)
            .max_by_key(|c| (c.ends_on - c.starts_on).num_days());
        let county = self.instance_name()?;
        let ctx = minijinja::context! {
            county => county,
            year => chrono::Datelike::year(&period.from),
            next_year => chrono::Datelike::year(&period.from) + 1,
            period_name => period.name(),
            period_from => period.from.to_string(),
            period_to => period.to.to_string(),
            campaign => main.map(|c| c.code.clone()),
            campaign_name => main.map(|c| c.name.clone()),
        };
        let text = env
            .render_str(template, ctx)
            .map_err(|e| AppError::BadRequest(format!("报告模板有误：{e}")))?;
        let rendered = started.elapsed();
        let mut figures = figures.lock().map(|f| f.clone()).unwrap_or_default();
        // Every metric over the whole scope, then the figures: one multi-evaluation.
        let pending = pending.lock().map(|p| p.clone()).unwrap_or_default();
        let (from, to) = (period.from, period.to);
        let whole = StatFilter::default();
        let mut reqs: Vec<(&Metric, &StatFilter)> = cat.iter().map(|m| (m, &whole)).collect();
        // (figure number, scale, metric, its position in the catalogue, its filter)
        let mut members: Vec<(usize, f64, &Metric, usize, StatFilter)> = Vec::new();
        for (n, scale) in pending {
            let Some(fig) = figures.get(n) else { continue };
            let Some(at) = cat.iter().position(|m| m.id == fig.metric) else {
                continue;
            };
            members.push((n, scale, &cat[at], at, fig.filter.clone()));
        }
        // Figures over the whole scope reuse the metric's own column.
        let mut column: Vec<usize> = Vec::with_capacity(members.len());
        for (_, _, m, at, f) in &members {
            if *f == whole {
                column.push(*at);
            } else {
                column.push(reqs.len());
                reqs.push((*m, f));
            }
        }
        let raws = self
            .store
            .metric_values_multi(&reqs, &caller.scope, from, to)?;
        tracing::debug!(
            catalogue_ms = catalogued.as_secs_f64() * 1000.0,
            template_ms = (rendered - catalogued).as_secs_f64() * 1000.0,
            values_ms = (started.elapsed() - rendered).as_secs_f64() * 1000.0,
            "report rendered"
        );
        let metrics: Vec<MetricValue> = cat
            .iter()
            .zip(&raws)
            .map(|(m, raw)| value_of(m, *raw, 1.0))
            .collect();
        for ((n, scale, m, _, _), col) in members.iter().zip(column) {
            let mut v = value_of(m, raws.get(col).copied().flatten(), *scale);
            if *scale != 1.0 {
                v.unit = String::new();
            }
            if let Some(fig) = figures.get_mut(*n) {
                fig.raw = v.raw;
                fig.value = v.value;
                fig.display = v.display;
                fig.unit = v.unit;
            }
        }
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(|t| strip_marks(t, &figures))
            .unwrap_or_else(|| format!("{county}{}安全生产工作总结", period.name()));
        Ok(Rendered {
            title,
            period: period.clone(),
            period_name: period.name(),
            text,
            figures,
            metrics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_formatted_plainly() {
        assert_eq!(fmt_value(1234.0), "1234");
        assert_eq!(fmt_value(12.5), "12.5");
        assert_eq!(fmt_value(0.126), "0.13");
        assert_eq!(fmt_value(3.10), "3.1");
    }

    #[test]
    fn markers_split_and_strip() {
        let figs = vec![Figure {
            n: 0,
            metric: "x".into(),
            label: String::new(),
            unit: String::new(),
            filter: StatFilter::default(),
            raw: Some(7),
            value: Some(7.0),
            display: "7".into(),
            link: "/metrics/x?period=2022".into(),
        }];
        let s = format!("发现{MARK_OPEN}0{MARK_CLOSE}处");
        assert_eq!(strip_marks(&s, &figs), "发现7处");
    }
}
