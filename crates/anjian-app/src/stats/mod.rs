//! Statistics you can trace: metric values over a period and a scope, the records behind
//! each value, and the annual (or any period's) report rendered from a county-editable
//! template whose every figure is a metric, linked to its drill-down.

mod render;
use render::strip_marks;
mod briefing;
pub use briefing::*;
mod ledgers;
pub use ledgers::*;
mod report;
mod template;
pub use report::{Figure, Rendered};

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

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
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
    /// The unit the figure's records are read in: 元 for money (the figure itself may be in
    /// 万元), else `unit`.
    pub record_unit: String,
    /// The raw value in `record_unit` (2,686,950.00 元 for 268.70 万元); "—" where the scope
    /// does not apply.
    pub record_display: String,
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
        record_unit: m.record_unit().to_string(),
        record_display: raw.map_or_else(|| "—".into(), |r| m.record_display(r)),
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
    push("enterprise", &f.enterprise_id.map(|e| e.to_string()));
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

/// The private-use characters that mark a figure in rendered text (see `render`).
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

impl App {
    /// The catalogue: the fixed metrics, two per work item type, and one per indicator of
    /// each loaded campaign (its latest version).
    pub fn metric_catalogue(&self) -> Result<Vec<Metric>> {
        Ok(anjian_store::stats::catalogue(
            &self.store.list_work_item_types()?,
            &self.loaded_campaigns()?,
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
}

#[cfg(test)]
mod tests;
