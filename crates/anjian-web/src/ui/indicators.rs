//! Indicator rows (a statistic with a comparator and a target) as forms type them and pages
//! show them: shared by the responsibility letters and the accident control targets.

use super::{FieldErrors, Kept};
use crate::extract::FormPairs;
use anjian_app::App;
use anjian_app::letters::IndicatorInput;
use anjian_domain::letter::COMPARATORS;

const ROW_FIELDS: [&str; 5] = ["text", "metric", "comparator", "target", "per_metric"];

/// One indicator row of a form, as shown.
pub struct IndicatorRow {
    pub text: String,
    pub metric: String,
    pub comparator: String,
    pub target: String,
    pub per_metric: String,
    /// The row's messages, and which of its inputs were refused.
    pub message: String,
    pub inv: [&'static str; 5],
}

/// The rows to show: as typed on a refused form, else the given indicators and a few empty
/// rows.
pub fn rows_of(kept: &Kept, given: &[IndicatorInput]) -> Vec<IndicatorRow> {
    let n = if kept.submitted() {
        kept.count("ind_text").max(1)
    } else {
        given.len() + if given.len() < 3 { 5 - given.len() } else { 2 }
    };
    (0..n)
        .map(|k| {
            let key = |f: &str| format!("indicators[{k}].{f}");
            let message = ROW_FIELDS
                .iter()
                .map(|f| kept.msg(&key(f)))
                .filter(|m| !m.is_empty())
                .collect::<Vec<_>>()
                .join("；");
            let inv = ROW_FIELDS.map(|f| kept.inv(&key(f)));
            if kept.submitted() {
                IndicatorRow {
                    text: kept.nth("ind_text", k),
                    metric: kept.nth("ind_metric", k),
                    comparator: kept.nth("ind_comparator", k),
                    target: kept.nth("ind_target", k),
                    per_metric: kept.nth("ind_per_metric", k),
                    message,
                    inv,
                }
            } else {
                let g = given.get(k).cloned().unwrap_or_default();
                IndicatorRow {
                    text: g.text,
                    metric: g.metric.unwrap_or_default(),
                    comparator: g.comparator.unwrap_or_default(),
                    target: g
                        .target
                        .map(anjian_app::stats::fmt_value)
                        .unwrap_or_default(),
                    per_metric: g.per_metric.unwrap_or_default(),
                    message,
                    inv,
                }
            }
        })
        .collect()
}

/// The indicator rows as typed (blank rows included, so that row k of each column is row k);
/// a target that is not a number is reported on its row.
pub fn indicators_of(form: &FormPairs, errors: &mut FieldErrors) -> Vec<IndicatorInput> {
    let column = |k: &str| -> Vec<String> {
        form.0
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    };
    let texts = column("ind_text");
    let cols: std::collections::HashMap<&str, Vec<String>> = [
        "ind_metric",
        "ind_comparator",
        "ind_target",
        "ind_per_metric",
    ]
    .into_iter()
    .map(|k| (k, column(k)))
    .collect();
    let at = |k: &str, i: usize| {
        cols.get(k)
            .and_then(|c| c.get(i))
            .cloned()
            .unwrap_or_default()
    };
    (0..texts.len())
        .map(|i| {
            let target_text = at("ind_target", i).trim().replace(['%', '％'], "");
            let target = if target_text.is_empty() {
                None
            } else {
                match target_text.parse::<f64>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        errors.add(
                            &format!("indicators[{i}].target"),
                            format!("第{}项指标：目标值应为数字", i + 1),
                        );
                        None
                    }
                }
            };
            let opt = |k: &str| Some(at(k, i)).filter(|v| !v.trim().is_empty());
            IndicatorInput {
                text: texts.get(i).cloned().unwrap_or_default(),
                metric: opt("ind_metric"),
                comparator: opt("ind_comparator"),
                target,
                per_metric: opt("ind_per_metric"),
            }
        })
        .collect()
}

/// The catalogue as choices: (id, "section｜label（unit）").
pub fn metric_choices(app: &App) -> anjian_app::Result<Vec<(String, String)>> {
    Ok(app
        .metric_catalogue()?
        .iter()
        .map(|m| {
            (
                m.id.clone(),
                format!("{}｜{}（{}）", m.section, m.label, m.unit),
            )
        })
        .collect())
}

/// The comparators as choices: (code, sign).
pub fn comparator_choices() -> Vec<(&'static str, &'static str)> {
    COMPARATORS.iter().map(|c| (c.as_str(), c.sign())).collect()
}
