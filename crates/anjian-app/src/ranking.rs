//! 一月一调度、一季一排名: each township or department scored on the quantity of its
//! enforcement work (比数量), the increase over the previous period (比增量) and quality
//! ratios (比质量), with county-configurable metrics and weights. Every score opens to its
//! components, and every component is a metric value that drills down to its records.
//!
//! Scoring: a unit's quantity is Σ weight × metric value; its increase is quantity minus
//! the previous period's quantity (negative counts as 0); its quality is Σ weight ×
//! numerator / denominator (a zero denominator contributes 0), where the numerator counts a
//! part of the denominator's records (a cohort rate: 隐患整改率 is, of the hazards found in
//! the period, the share closed by its end, never above 100 %). Each component is scaled
//! to its weight by the best unit's value (best = full weight; a best of 0 gives everyone
//! 0). The total is the sum of the three; ties rank by name.

use crate::stats::drill_query;
use crate::{App, AppError, Caller, Result};
use anjian_domain::period::Period;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::stats::StatFilter;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const RANKING_RULE: &str = "ranking_rule";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub metric: String,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    pub label: String,
    /// A metric counting a part of the denominator's records (see [`App::set_ranking_rule`]).
    pub numerator: String,
    pub denominator: String,
    pub weight: f64,
    /// What the rate means, shown beside it (filled from the two metrics when empty).
    #[serde(default)]
    pub definition: String,
}

/// The 隐患整改率 of the default rule.
pub const RECTIFICATION_RATE_DEFINITION: &str =
    "本期发现的隐患中，截至期末已整改销号的比例（分子分母为同一批隐患，不超过100%）";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingRule {
    /// Points for 比数量, 比增量 and 比质量 (typically adding up to 100).
    pub quantity_points: f64,
    pub increase_points: f64,
    pub quality_points: f64,
    pub quantity: Vec<Term>,
    pub quality: Vec<Ratio>,
}

impl Default for RankingRule {
    fn default() -> Self {
        let t = |m: &str, w: f64| Term {
            metric: m.into(),
            weight: w,
        };
        Self {
            quantity_points: 40.0,
            increase_points: 30.0,
            quality_points: 30.0,
            quantity: vec![
                t("inspections.enforcement", 1.0),
                t("hazards.found", 0.5),
                t("documents.issued", 0.5),
                t("cases.filed", 2.0),
            ],
            quality: vec![
                Ratio {
                    label: "隐患整改率".into(),
                    numerator: "hazards.found_closed".into(),
                    denominator: "hazards.found".into(),
                    weight: 1.0,
                    definition: RECTIFICATION_RATE_DEFINITION.into(),
                },
                Ratio {
                    label: "一般程序案件占比".into(),
                    numerator: "cases.general".into(),
                    denominator: "cases.filed".into(),
                    weight: 1.0,
                    definition: "本期办理的行政处罚案件中一般程序案件的比例（不超过100%）".into(),
                },
            ],
        }
    }
}

/// One metric's contribution to a unit's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// `quantity` or `quality`.
    pub component: String,
    pub label: String,
    pub metric: String,
    pub weight: f64,
    pub value: f64,
    /// The metric's definition (口径), shown beside the value.
    pub definition: String,
    /// The same metric in the previous period (quantity terms only).
    pub previous: Option<f64>,
    /// Drill-down of this value for this unit and period.
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRow {
    pub rank: usize,
    pub unit: String,
    pub unit_name: String,
    pub quantity: f64,
    pub previous_quantity: f64,
    pub increase: f64,
    pub quality: f64,
    pub quantity_score: f64,
    pub increase_score: f64,
    pub quality_score: f64,
    pub total: f64,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub period: String,
    pub period_name: String,
    pub previous: String,
    /// `township` or `department`.
    pub by: String,
    pub rule: RankingRule,
    pub rows: Vec<RankRow>,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn scaled(points: f64, v: f64, best: f64) -> f64 {
    if best <= 0.0 || v <= 0.0 {
        0.0
    } else {
        points * v / best
    }
}

/// Whether `part`'s records are some of `whole`'s (the catalogue's `part_of`, followed up).
fn is_part_of(cat: &[anjian_store::stats::Metric], part: &str, whole: &str) -> bool {
    let mut at = part;
    for _ in 0..cat.len() {
        match cat.iter().find(|m| m.id == at).and_then(|m| m.part_of) {
            Some(up) if up == whole => return true,
            Some(up) => at = up,
            None => return false,
        }
    }
    false
}

/// The rule as used: a 隐患整改率 saved before rates were cohort rates (本期销号 ÷ 本期发现,
/// which passes 100 % when earlier hazards are closed) reads the cohort's numerator; an
/// empty definition is filled from the two metrics.
fn as_used(mut rule: RankingRule, cat: &[anjian_store::stats::Metric]) -> RankingRule {
    for r in &mut rule.quality {
        if r.numerator == "hazards.closed" && r.denominator == "hazards.found" {
            r.numerator = "hazards.found_closed".into();
            if r.definition.is_empty() {
                r.definition = RECTIFICATION_RATE_DEFINITION.into();
            }
        }
        if r.definition.trim().is_empty() {
            let label = |id: &str| {
                cat.iter()
                    .find(|m| m.id == id)
                    .map(|m| m.label.clone())
                    .unwrap_or_else(|| id.to_string())
            };
            r.definition = format!(
                "{}占{}的比例（同一批记录，不超过100%）",
                label(&r.numerator),
                label(&r.denominator)
            );
        }
    }
    rule
}

impl App {
    pub fn ranking_rule(&self) -> Result<RankingRule> {
        let rule = self
            .store
            .setting(RANKING_RULE)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        Ok(as_used(rule, &self.metric_catalogue()?))
    }

    /// Sets the county's ranking rule (安委办 only): metrics must exist, weights and points
    /// must be finite and not negative.
    pub fn set_ranking_rule(&self, caller: &Caller, rule: &RankingRule) -> Result<RankingRule> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以修改排名规则".into()));
        }
        let cat = self.metric_catalogue()?;
        let known = |m: &str| cat.iter().any(|i| i.id == m);
        let ok = |w: f64| w.is_finite() && w >= 0.0;
        let mut e = ValidationErrors::new();
        for (f, v) in [
            ("quantity_points", rule.quantity_points),
            ("increase_points", rule.increase_points),
            ("quality_points", rule.quality_points),
        ] {
            if !ok(v) {
                e.add(f, "分值须为不小于0的数");
            }
        }
        if rule.quantity.is_empty() {
            e.add("quantity", "请至少设置一项数量指标");
        }
        for t in &rule.quantity {
            if !known(&t.metric) {
                e.add("quantity", format!("指标“{}”不存在", t.metric));
            }
            if !ok(t.weight) {
                e.add(
                    "quantity",
                    format!("指标“{}”的权重须为不小于0的数", t.metric),
                );
            }
        }
        for r in &rule.quality {
            for m in [&r.numerator, &r.denominator] {
                if !known(m) {
                    e.add("quality", format!("指标“{m}”不存在"));
                }
            }
            if !ok(r.weight) {
                e.add("quality", format!("“{}”的权重须为不小于0的数", r.label));
            }
            // A rate is a share of one set of records: the numerator counts some of the
            // denominator's records, so it never passes 100 %.
            if known(&r.numerator)
                && known(&r.denominator)
                && !is_part_of(&cat, &r.numerator, &r.denominator)
            {
                e.add(
                    "quality",
                    format!(
                        "“{}”须为同一批记录中的占比：指标“{}”不是“{}”的一部分（例如隐患整改率为 hazards.found_closed ÷ hazards.found）",
                        r.label, r.numerator, r.denominator
                    ),
                );
            }
            if r.label.trim().is_empty() {
                e.add("quality", "请填写质量指标名称");
            }
        }
        e.into_result()?;
        let rule = as_used(rule.clone(), &cat);
        let json = serde_json::to_string(&rule).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .set_setting(&caller.change(&Scope::system(), self), RANKING_RULE, &json)?;
        Ok(rule)
    }

    /// The ranking of townships (`by = "township"`) or departments (`"department"`) for a
    /// period (a month for 调度, a quarter for 排名, or any period), in the caller's scope.
    pub fn ranking(&self, caller: &Caller, period: &Period, by: &str) -> Result<Ranking> {
        if caller.scope.enterprise_ids.is_some() {
            return Err(AppError::Forbidden("企业用户无权查看执法排名".into()));
        }
        let rule = self.ranking_rule()?;
        let previous = period
            .previous()
            .ok_or_else(|| AppError::BadRequest("无法确定上一期间".into()))?;
        let units: Vec<(String, String, StatFilter)> = match by {
            "township" => self
                .townships(caller)?
                .into_iter()
                .map(|(code, name)| {
                    let prefix = anjian_domain::RegionCode::parse(&code)
                        .map(|c| c.subtree_prefix().to_string())
                        .unwrap_or_else(|_| code.clone());
                    (
                        code,
                        name,
                        StatFilter {
                            region_prefix: Some(prefix),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
            "department" => self
                .store
                .list_departments(&Scope::system())?
                .into_iter()
                .filter(|d| d.has_supervision_duty)
                .map(|d| {
                    (
                        d.id.to_string(),
                        d.name,
                        StatFilter {
                            department_id: Some(d.id),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
            _ => {
                return Err(AppError::Validation(ValidationErrors::single(
                    "by",
                    "排名对象应为 township（乡镇）或 department（部门）",
                )));
            }
        };
        let cat = self.metric_catalogue()?;
        let find = |id: &str| {
            cat.iter()
                .find(|m| m.id == id)
                .ok_or_else(|| AppError::BadRequest(format!("排名规则中的指标“{id}”不存在")))
        };
        let mut cache: HashMap<(String, String, String), f64> = HashMap::new();
        let mut value = |id: &str, unit: &str, f: &StatFilter, p: &Period| -> Result<f64> {
            let key = (id.to_string(), unit.to_string(), p.code.clone());
            if let Some(v) = cache.get(&key) {
                return Ok(*v);
            }
            let m = find(id)?;
            let raw = self.store.metric_value(m, &caller.scope, f, p.from, p.to)?;
            let v = raw.map(|r| m.stated(r)).unwrap_or(0.0);
            cache.insert(key, v);
            Ok(v)
        };
        let mut rows = Vec::new();
        for (code, name, f) in &units {
            let mut parts = Vec::new();
            let (mut q, mut q_prev, mut quality) = (0.0, 0.0, 0.0);
            for t in &rule.quantity {
                let v = value(&t.metric, code, f, period)?;
                let pv = value(&t.metric, code, f, &previous)?;
                q += t.weight * v;
                q_prev += t.weight * pv;
                parts.push(Part {
                    component: "quantity".into(),
                    label: find(&t.metric)?.label.clone(),
                    metric: t.metric.clone(),
                    weight: t.weight,
                    value: v,
                    definition: find(&t.metric)?.definition.clone(),
                    previous: Some(pv),
                    link: format!("/metrics/{}?{}", t.metric, drill_query(period, f)),
                });
            }
            for r in &rule.quality {
                let n = value(&r.numerator, code, f, period)?;
                let d = value(&r.denominator, code, f, period)?;
                if d > 0.0 {
                    // A cohort rate (validated when the rule is saved).
                    quality += r.weight * (n / d).min(1.0);
                }
                for (m, v) in [(&r.numerator, n), (&r.denominator, d)] {
                    parts.push(Part {
                        component: "quality".into(),
                        label: format!("{}：{}", r.label, find(m)?.label),
                        metric: m.clone(),
                        weight: r.weight,
                        value: v,
                        definition: format!("{}（{}）", r.definition, find(m)?.definition),
                        previous: None,
                        link: format!("/metrics/{m}?{}", drill_query(period, f)),
                    });
                }
            }
            rows.push(RankRow {
                rank: 0,
                unit: code.clone(),
                unit_name: name.clone(),
                quantity: q,
                previous_quantity: q_prev,
                increase: q - q_prev,
                quality,
                quantity_score: 0.0,
                increase_score: 0.0,
                quality_score: 0.0,
                total: 0.0,
                parts,
            });
        }
        let best = |f: fn(&RankRow) -> f64| rows.iter().map(f).fold(0.0_f64, f64::max);
        let (bq, bi, bl) = (
            best(|r| r.quantity),
            best(|r| r.increase),
            best(|r| r.quality),
        );
        for r in &mut rows {
            r.quantity_score = round2(scaled(rule.quantity_points, r.quantity, bq));
            r.increase_score = round2(scaled(rule.increase_points, r.increase, bi));
            r.quality_score = round2(scaled(rule.quality_points, r.quality, bl));
            r.total = round2(r.quantity_score + r.increase_score + r.quality_score);
            r.quantity = round2(r.quantity);
            r.previous_quantity = round2(r.previous_quantity);
            r.increase = round2(r.increase);
            r.quality = (r.quality * 10_000.0).round() / 10_000.0;
        }
        rows.sort_by(|a, b| {
            b.total
                .partial_cmp(&a.total)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.unit_name.cmp(&b.unit_name))
        });
        for (i, r) in rows.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        Ok(Ranking {
            period: period.code.clone(),
            period_name: period.name(),
            previous: previous.code,
            by: by.to_string(),
            rule,
            rows,
        })
    }

    /// The ranking as an Excel sheet: one row per unit with its components.
    pub fn ranking_ledger(&self, caller: &Caller, period: &Period, by: &str) -> Result<Vec<u8>> {
        let r = self.ranking(caller, period, by)?;
        let headers = [
            "名次",
            if by == "township" {
                "乡镇（街道）"
            } else {
                "部门"
            },
            "数量（加权）",
            "上期数量（加权）",
            "增量",
            "质量",
            "比数量得分",
            "比增量得分",
            "比质量得分",
            "总分",
            "构成",
        ];
        let widths = [
            6.0, 24.0, 12.0, 14.0, 10.0, 10.0, 12.0, 12.0, 12.0, 10.0, 80.0,
        ];
        let rows: Vec<Vec<String>> = r
            .rows
            .iter()
            .map(|x| {
                vec![
                    x.rank.to_string(),
                    x.unit_name.clone(),
                    x.quantity.to_string(),
                    x.previous_quantity.to_string(),
                    x.increase.to_string(),
                    x.quality.to_string(),
                    x.quantity_score.to_string(),
                    x.increase_score.to_string(),
                    x.quality_score.to_string(),
                    x.total.to_string(),
                    x.parts
                        .iter()
                        .map(|p| format!("{} {}×{}", p.label, p.value, p.weight))
                        .collect::<Vec<_>>()
                        .join("；"),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &format!("{}排名", r.period_name),
            &headers,
            &widths,
            &rows,
        )
    }
}
