//! The year's assessment (考核): a county-editable rubric per year and kind of unit
//! (townships, departments), its items each either computed from a catalogue metric or
//! scored by hand, and the arithmetic that turns a metric value into a deduction.
//!
//! Points are written with at most two decimals and counted in hundredths (`centi`), so
//! every score is exact: a computed item loses `per` points for each unit it misses its
//! target by (for a rate, each percentage point), never more than its `cap`.
//!
//! - A count item (`of` empty) states the metric's value; its target is the year's, and a
//!   half-year evaluation holds it to half (rounded half up to hundredths): "隐患排查登记不少于
//!   200处" asks 100 by 30 June. A target of 0 stays 0.
//! - A rate item (`of` set) states `metric ÷ of` in percent (the metric's records are some of
//!   `of`'s, a cohort share, see the catalogue's `part_of`), rounded half up to hundredths of
//!   a percentage point; its target is not halved. With no records in `of` there is nothing
//!   to measure and nothing is deducted.
//! - The shortfall is how far the value lies on the wrong side of the target (`at_least`:
//!   below it; `at_most`: above it); the deduction is shortfall × `per`, rounded half up to
//!   hundredths, at most `cap`; the score is the item's points less the deduction.

mod flow;
pub use flow::*;

use crate::ValidationErrors;
use serde::{Deserialize, Serialize};

/// Which units a rubric assesses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 乡镇（街道）: each township with its villages (its region subtree).
    #[default]
    Township,
    /// 市直部门: each department with supervision duty (its records by department).
    Department,
}

pub const UNIT_KINDS: [UnitKind; 2] = [UnitKind::Township, UnitKind::Department];

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Township => "township",
            UnitKind::Department => "department",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        UNIT_KINDS.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Township => "乡镇（街道）",
            UnitKind::Department => "市直部门",
        }
    }
}

/// Which part of the year an evaluation covers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Round {
    /// 上半年: 1 January to 30 June.
    Half,
    /// 全年: the whole year.
    #[default]
    Year,
}

pub const ROUNDS: [Round; 2] = [Round::Half, Round::Year];

impl Round {
    pub fn as_str(self) -> &'static str {
        match self {
            Round::Half => "half",
            Round::Year => "year",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        ROUNDS.into_iter().find(|r| r.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Round::Half => "上半年",
            Round::Year => "全年",
        }
    }
    /// The statistical period of the round in `year`.
    pub fn period(self, year: i32) -> Option<crate::period::Period> {
        match self {
            Round::Half => crate::period::Period::half(year, 1),
            Round::Year => crate::period::Period::year(year),
        }
    }
}

/// Which side of the target a computed item's value must lie on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 不低于: full points at or above the target.
    #[default]
    AtLeast,
    /// 不高于: full points at or below the target (逾期隐患不超过 0 处).
    AtMost,
}

pub const DIRECTIONS: [Direction; 2] = [Direction::AtLeast, Direction::AtMost];

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        DIRECTIONS.into_iter().find(|d| d.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Direction::AtLeast => "不低于",
            Direction::AtMost => "不高于",
        }
    }
}

/// How an item is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 按指标计算: from a catalogue metric, with the formula.
    #[default]
    Computed,
    /// 人工评分: by the 安委办, with evidence attached and the scorer recorded.
    Manual,
}

pub const METHODS: [Method; 2] = [Method::Computed, Method::Manual];

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Computed => "computed",
            Method::Manual => "manual",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        METHODS.into_iter().find(|m| m.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Method::Computed => "按指标计算",
            Method::Manual => "人工评分",
        }
    }
}

/// The formula of a computed item.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Formula {
    /// The catalogue metric (for a rate, its numerator).
    pub metric: String,
    /// For a rate: the metric whose records `metric` counts a part of (the denominator).
    #[serde(default)]
    pub of: Option<String>,
    pub direction: Direction,
    /// The year's target (a count), or a percentage for a rate.
    pub target: f64,
    /// Points deducted per unit missed (per percentage point for a rate).
    pub per: f64,
    /// At most this many points are deducted (at most the item's points).
    pub cap: f64,
}

/// One item of a rubric.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricItem {
    pub title: String,
    pub points: f64,
    pub method: Method,
    /// The formula of a computed item (none for a hand-scored one).
    #[serde(default)]
    pub formula: Option<Formula>,
    /// 评分标准 in words (for a hand-scored item, what the scorer looks at).
    #[serde(default)]
    pub standard: String,
}

/// At most this many items in a rubric.
pub const MAX_ITEMS: usize = 50;

/// Hundredths of a point (or of a count, or of a percentage point).
pub fn centi(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

/// A number of hundredths as the number it states (1250 → 12.5).
pub fn from_centi(c: i64) -> f64 {
    c as f64 / 100.0
}

/// A number of hundredths written for people: `12.5`, `3`, `0.25`.
pub fn centi_text(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let (i, f) = (c.abs() / 100, c.abs() % 100);
    match f {
        0 => format!("{sign}{i}"),
        f if f % 10 == 0 => format!("{sign}{i}.{}", f / 10),
        f => format!("{sign}{i}.{f:02}"),
    }
}

/// Whether `v` is a finite number, not negative, below a million, with at most two decimals.
fn is_amount(v: f64) -> bool {
    v.is_finite()
        && (0.0..1_000_000.0).contains(&v)
        && ((v * 100.0) - (v * 100.0).round()).abs() < 1e-6
}

/// `num / den` rounded half up, for `num ≥ 0` and `den > 0`.
fn div_half_up(num: i128, den: i128) -> i128 {
    (2 * num + den) / (2 * den)
}

/// Checks a rubric's items, each message under `items[i].field`; metric names are the
/// caller's to check against the catalogue.
pub fn validate_items(items: &[RubricItem]) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    if items.is_empty() {
        e.add("items", "请至少填写一项考核内容");
    }
    if items.len() > MAX_ITEMS {
        e.add("items", format!("考核内容最多{MAX_ITEMS}项"));
    }
    for (i, it) in items.iter().enumerate() {
        let f = |name: &str| format!("items[{i}].{name}");
        let title = it.title.trim();
        if title.is_empty() {
            e.add(&f("title"), format!("第{}项：请填写考核内容", i + 1));
        } else if title.chars().count() > 100 {
            e.add(&f("title"), format!("第{}项：考核内容最多100字", i + 1));
        }
        if !is_amount(it.points) || it.points <= 0.0 || it.points > 1000.0 {
            e.add(
                &f("points"),
                format!("第{}项：分值应为大于0、不超过1000的数，最多两位小数", i + 1),
            );
        }
        if it.standard.chars().count() > 500 {
            e.add(&f("standard"), format!("第{}项：评分标准最多500字", i + 1));
        }
        match (it.method, &it.formula) {
            (Method::Manual, Some(_)) => e.add(
                &f("metric"),
                format!("第{}项：人工评分的项目不填写指标", i + 1),
            ),
            (Method::Manual, None) => {}
            (Method::Computed, None) => e.add(
                &f("metric"),
                format!("第{}项：按指标计算的项目请选择指标", i + 1),
            ),
            (Method::Computed, Some(x)) => {
                if x.metric.trim().is_empty() {
                    e.add(
                        &f("metric"),
                        format!("第{}项：按指标计算的项目请选择指标", i + 1),
                    );
                }
                if x.of.as_deref().is_some_and(|o| o == x.metric) {
                    e.add(
                        &f("of"),
                        format!("第{}项：比率的分子和分母不能是同一指标", i + 1),
                    );
                }
                let rate = x.of.is_some();
                if !is_amount(x.target) || (rate && x.target > 100.0) {
                    e.add(
                        &f("target"),
                        if rate {
                            format!("第{}项：目标值应为0到100之间的百分数，最多两位小数", i + 1)
                        } else {
                            format!("第{}项：目标值应为不小于0的数，最多两位小数", i + 1)
                        },
                    );
                }
                if !is_amount(x.per) || x.per <= 0.0 {
                    e.add(
                        &f("per"),
                        format!("第{}项：每差一个单位扣的分应大于0，最多两位小数", i + 1),
                    );
                }
                if !is_amount(x.cap) || x.cap <= 0.0 {
                    e.add(
                        &f("cap"),
                        format!("第{}项：最多扣分应大于0，最多两位小数", i + 1),
                    );
                } else if is_amount(it.points) && centi(x.cap) > centi(it.points) {
                    e.add(
                        &f("cap"),
                        format!(
                            "第{}项：最多扣分不能超过本项分值{}分",
                            i + 1,
                            centi_text(centi(it.points))
                        ),
                    );
                }
            }
        }
    }
    e
}

/// What a computed item measured for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measured {
    /// A count (the metric's stated value, in hundredths).
    Count(i64),
    /// A rate: `part` of `whole` records.
    Rate { part: i64, whole: i64 },
    /// The metric does not apply to this kind of unit: nothing to measure.
    NotApplicable,
}

/// A computed item's result for one unit, in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The value (a count, or a percentage for a rate); `None` when there was nothing to
    /// measure (a rate over no records, a metric that does not apply).
    pub value: Option<i64>,
    /// The target the value was held to (halved for a count in a half-year round).
    pub target: i64,
    /// How far the value lies on the wrong side of the target.
    pub shortfall: i64,
    pub deduction: i64,
    pub score: i64,
}

impl Formula {
    /// The target a round holds a unit to, in hundredths.
    pub fn target_for(&self, round: Round) -> i64 {
        let t = centi(self.target);
        match (round, self.of.is_some()) {
            (Round::Half, false) => div_half_up(i128::from(t), 2) as i64,
            _ => t,
        }
    }

    /// The item's result for what was measured (see the module's rules).
    pub fn outcome(&self, points: f64, round: Round, m: Measured) -> Outcome {
        let points = centi(points);
        let target = self.target_for(round);
        let value = match m {
            Measured::Count(v) => Some(v),
            Measured::Rate { part, whole } if whole > 0 => {
                Some(div_half_up(i128::from(part.max(0)) * 10_000, i128::from(whole)) as i64)
            }
            Measured::Rate { .. } | Measured::NotApplicable => None,
        };
        let shortfall = value.map_or(0, |v| match self.direction {
            Direction::AtLeast => (target - v).max(0),
            Direction::AtMost => (v - target).max(0),
        });
        let raw = div_half_up(i128::from(shortfall) * i128::from(centi(self.per)), 100);
        let cap = centi(self.cap).min(points);
        let deduction = (raw.min(i128::from(cap))) as i64;
        Outcome {
            value,
            target,
            shortfall,
            deduction,
            score: points - deduction,
        }
    }

    /// The formula in words: "不高于0处，每差1处扣1分，最多扣20分".
    pub fn words(&self, unit: &str) -> String {
        let (t, u) = if self.of.is_some() {
            (format!("{}%", centi_text(centi(self.target))), "个百分点")
        } else {
            (format!("{}{unit}", centi_text(centi(self.target))), unit)
        };
        format!(
            "{}{t}，每差1{u}扣{}分，最多扣{}分",
            self.direction.label(),
            centi_text(centi(self.per)),
            centi_text(centi(self.cap))
        )
    }
}

#[cfg(test)]
mod tests;
