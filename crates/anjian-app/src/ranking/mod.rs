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

mod ledger;
mod rule;
mod score;
pub(crate) use rule::is_part_of;

pub const RANKING_RULE: &str = "ranking_rule";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub metric: String,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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

impl App {}
