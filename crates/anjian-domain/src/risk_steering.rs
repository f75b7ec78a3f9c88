//! Risk steers supervision (风险分级管控 → 分级分类监管): the enterprise's grade from its risk
//! points, the county's settings per grade (inspection frequency, 双随机 weights), whether an
//! enterprise is behind its frequency, and the enforcement plan's proposal.
//!
//! The enterprise's grade (企业风险等级) follows from its non-retired, graded risk points by the
//! county's rule:
//! - `highest` (default, 按最高风险点等级确定): the highest grade among its points;
//! - `escalated` (最高等级，同级风险点较多的上调一级): the highest grade, raised one grade
//!   (at most to 重大) when at least `escalate_at` points hold that highest grade, as some
//!   counties' 分级分类监管 rules do for an enterprise with several 较大 points.
//!
//! The regulator may override it with a reason; the effective grade is the override if set,
//! else the grade from the points, else the grade registered in the enterprise library
//! (`enterprises.risk_grade`, typed before risk points existed).

use crate::ValidationErrors;
use crate::plan::{PlanCategory, PlanLine};
use crate::risk_grade::Grade;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

coded! {
    /// How the county derives an enterprise's grade from its points.
    GradeRule {
        /// The highest grade among the points.
        Highest = "highest", "按最高风险点等级确定" | "最高等级";
        /// The highest, raised one grade when enough points hold it.
        Escalated = "escalated", "按最高等级，同级风险点达到规定数量的上调一级" | "上调一级";
    }
}

coded! {
    /// Where an enterprise's effective grade comes from.
    GradeSource {
        /// Set by the regulator (人工认定).
        Override = "override", "监管部门认定";
        /// From its risk points.
        Points = "points", "按风险点确定";
        /// The grade registered in the enterprise library.
        Registered = "registered", "企业库登记";
    }
}

/// A grade's value per grade, e.g. the months between inspections or the draw weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = RiskSteeringPerGrade)]
#[serde(deny_unknown_fields)]
pub struct PerGrade {
    pub major: u32,
    pub large: u32,
    pub general: u32,
    pub low: u32,
}

impl PerGrade {
    pub fn get(&self, g: Grade) -> u32 {
        match g {
            Grade::Major => self.major,
            Grade::Large => self.large,
            Grade::General => self.general,
            Grade::Low => self.low,
        }
    }
}

/// The county's settings: the grade rule, the inspection frequency and the draw weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = RiskSteeringSettings)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub rule: GradeRule,
    /// For `escalated`: how many points at the highest grade raise it one grade (2 to 20).
    pub escalate_at: u32,
    /// Months between inspections per grade (1 to 36): 重大 1, 较大 3, 一般 6, 低 12 by default.
    pub frequency_months: PerGrade,
    /// 双随机 weight per grade (1 to 100): 4/3/2/1 by default.
    pub weights: PerGrade,
    /// The weight of an enterprise with no grade (1 to 100; default 1).
    pub ungraded_weight: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rule: GradeRule::Highest,
            escalate_at: 3,
            frequency_months: PerGrade {
                major: 1,
                large: 3,
                general: 6,
                low: 12,
            },
            weights: PerGrade {
                major: 4,
                large: 3,
                general: 2,
                low: 1,
            },
            ungraded_weight: 1,
        }
    }
}

impl Settings {
    /// Checks the ranges and that a higher grade is never inspected less often, nor weighted
    /// less, than a lower one. Field names: `frequency_months.major`, `weights.low`, ….
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if !(2..=20).contains(&self.escalate_at) {
            e.add("escalate_at", "上调一级所需的同级风险点数须在2至20之间");
        }
        for g in Grade::descending() {
            let f = self.frequency_months.get(g);
            if !(1..=36).contains(&f) {
                e.add(
                    &format!("frequency_months.{}", g.as_str()),
                    format!("{}企业的检查周期须在1至36个月之间", g.label()),
                );
            }
            let w = self.weights.get(g);
            if !(1..=100).contains(&w) {
                e.add(
                    &format!("weights.{}", g.as_str()),
                    format!("{}企业的抽取权重须为1至100的整数", g.label()),
                );
            }
        }
        if !(1..=100).contains(&self.ungraded_weight) {
            e.add("ungraded_weight", "未定级企业的抽取权重须为1至100的整数");
        }
        let d = Grade::descending();
        for pair in d.windows(2) {
            let (hi, lo) = (pair[0], pair[1]);
            if self.frequency_months.get(hi) > self.frequency_months.get(lo) {
                e.add(
                    &format!("frequency_months.{}", lo.as_str()),
                    format!("{}企业的检查周期不能短于{}企业", lo.label(), hi.label()),
                );
            }
            if self.weights.get(hi) < self.weights.get(lo) {
                e.add(
                    &format!("weights.{}", lo.as_str()),
                    format!("{}企业的抽取权重不能高于{}企业", lo.label(), hi.label()),
                );
            }
        }
        e.into_result()
    }

    /// The draw weight of an enterprise of this grade (or none).
    pub fn weight(&self, g: Option<Grade>) -> u32 {
        g.map_or(self.ungraded_weight, |g| self.weights.get(g))
    }
}

/// How many of an enterprise's non-retired points hold each grade.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = RiskSteeringGradeCounts)]
pub struct GradeCounts {
    pub major: u32,
    pub large: u32,
    pub general: u32,
    pub low: u32,
}

impl GradeCounts {
    pub fn get(&self, g: Grade) -> u32 {
        match g {
            Grade::Major => self.major,
            Grade::Large => self.large,
            Grade::General => self.general,
            Grade::Low => self.low,
        }
    }

    pub fn add(&mut self, g: Grade, n: u32) {
        match g {
            Grade::Major => self.major += n,
            Grade::Large => self.large += n,
            Grade::General => self.general += n,
            Grade::Low => self.low += n,
        }
    }

    pub fn total(&self) -> u32 {
        self.major + self.large + self.general + self.low
    }
}

/// The grade one step higher (重大 stays 重大).
pub fn raised(g: Grade) -> Grade {
    match g {
        Grade::Low => Grade::General,
        Grade::General => Grade::Large,
        Grade::Large | Grade::Major => Grade::Major,
    }
}

/// The enterprise's grade from its points by the county's rule (None: no graded point).
pub fn derive(counts: &GradeCounts, rule: GradeRule, escalate_at: u32) -> Option<Grade> {
    let highest = Grade::descending()
        .into_iter()
        .find(|g| counts.get(*g) > 0)?;
    match rule {
        GradeRule::Highest => Some(highest),
        GradeRule::Escalated if counts.get(highest) >= escalate_at.max(2) => Some(raised(highest)),
        GradeRule::Escalated => Some(highest),
    }
}

/// The effective grade and where it comes from.
pub fn effective(
    override_grade: Option<Grade>,
    derived: Option<Grade>,
    registered: Option<Grade>,
) -> Option<(Grade, GradeSource)> {
    override_grade
        .map(|g| (g, GradeSource::Override))
        .or(derived.map(|g| (g, GradeSource::Points)))
        .or(registered.map(|g| (g, GradeSource::Registered)))
}

/// The enterprise library's colour code (`red`, `orange`, `yellow`, `blue`) as a grade.
pub fn grade_of_colour_code(code: &str) -> Option<Grade> {
    match code {
        "red" => Some(Grade::Major),
        "orange" => Some(Grade::Large),
        "yellow" => Some(Grade::General),
        "blue" => Some(Grade::Low),
        _ => None,
    }
}

/// The day by which the next inspection is due: the last one plus the grade's months (None:
/// never inspected, due now).
pub fn next_due(last: Option<NaiveDate>, months: u32) -> Option<NaiveDate> {
    last.and_then(|d| d.checked_add_months(Months::new(months)))
}

/// Behind its frequency on `today`: never inspected, or the last inspection is older than the
/// period (inspected on 01-15 monthly: due by 02-15, behind from 02-16).
pub fn is_behind(last: Option<NaiveDate>, months: u32, today: NaiveDate) -> bool {
    match next_due(last, months) {
        None => true,
        Some(due) => today > due,
    }
}

/// An enterprise the plan's proposal considers: in one of the department's sectors, graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub enterprise_id: i64,
    pub sector: String,
    pub grade: Grade,
}

/// A plan proposal: the key enterprises (重大 and 较大) and the monthly numbers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Proposal {
    pub key_enterprise_ids: Vec<i64>,
    pub lines: Vec<PlanLine>,
}

/// The months (1..=12) in which an enterprise with this period is inspected: every `months`
/// months, starting in month `1 + offset % months` so that a sector's enterprises spread over
/// the year instead of all falling in January.
pub fn months_inspected(months: u32, offset: usize) -> Vec<u32> {
    let p = months.clamp(1, 12);
    let start = (offset % p as usize) as u32 + 1;
    (start..=12).step_by(p as usize).collect()
}

/// Proposes the plan from the graded enterprises of the department's sectors: 重大 and 较大 are
/// key enterprises (重点检查, category `key`), 一般 and 低 are general (一般检查, by 双随机);
/// each is inspected every `frequency_months` of its grade, the enterprises of a sector and
/// grade staggered over the months in id order. Lines are per sector, category and month with
/// a positive number, sorted.
pub fn propose(candidates: &[Candidate], settings: &Settings) -> Proposal {
    let mut sorted: Vec<&Candidate> = candidates.iter().collect();
    sorted.sort_by(|a, b| {
        (a.sector.as_str(), a.enterprise_id).cmp(&(b.sector.as_str(), b.enterprise_id))
    });
    let mut seen = std::collections::BTreeSet::new();
    let mut counts: BTreeMap<(String, &'static str, u32), u32> = BTreeMap::new();
    let mut offsets: BTreeMap<(String, Grade), usize> = BTreeMap::new();
    let mut keys = Vec::new();
    for c in sorted {
        let key = matches!(c.grade, Grade::Major | Grade::Large);
        if key && seen.insert(c.enterprise_id) {
            keys.push(c.enterprise_id);
        }
        let category = if key {
            PlanCategory::Key
        } else {
            PlanCategory::General
        };
        let off = offsets.entry((c.sector.clone(), c.grade)).or_insert(0);
        for m in months_inspected(settings.frequency_months.get(c.grade), *off) {
            *counts
                .entry((c.sector.clone(), category.as_str(), m))
                .or_insert(0) += 1;
        }
        *off += 1;
    }
    keys.sort_unstable();
    let lines = counts
        .into_iter()
        .filter_map(|((sector, cat, month), planned)| {
            Some(PlanLine {
                sector,
                category: PlanCategory::parse(cat)?,
                month,
                planned,
            })
        })
        .collect();
    Proposal {
        key_enterprise_ids: keys,
        lines,
    }
}

#[cfg(test)]
#[path = "risk_steering_tests.rs"]
mod tests;
