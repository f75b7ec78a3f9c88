//! Hazard use cases: registration, the closed loop of actions, lists and ledgers.

mod actions;
mod deadlines;
mod files;
pub(crate) use files::checked_file;
mod import;
mod register;
pub use files::{EvidenceFile, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES};
pub use import::HAZARD_IMPORT;

use crate::{App, AppError, Caller, Result};
use anjian_domain::calendar::Basis;
use anjian_domain::hazard::{self, Action, Actor, Facts, Five, Level, Source, Status};
use anjian_domain::scope::Permission;
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{RegionCode, RegionLevel, Scope, ValidationErrors};
use anjian_store::enterprises::Page;
use anjian_store::hazards::{EventInput, Hazard, HazardEvent, HazardFields, HazardFilter};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A hazard as registered through the API or a form (product.md contract fields first).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HazardInput {
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    pub region_code: String,
    pub sector: String,
    pub level: String,
    pub source: String,
    pub description: String,
    pub found_on: String,
    /// The rectification deadline (`YYYY-MM-DD`); or give `deadline_days` and `deadline_basis`.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub deadline_basis: Option<String>,
    /// A deadline before today (most often a slip of the date picker) is taken only with this
    /// set to `true`, e.g. for a hazard recorded after the fact; otherwise 422 on `deadline`.
    #[serde(default)]
    pub confirm_past_deadline: bool,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub responsible_unit: Option<String>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds_planned: Option<i64>,
    #[serde(default)]
    pub emergency_plan: Option<String>,
    #[serde(default)]
    pub campaign: Option<String>,
    /// 经度 (decimal degrees, WGS-84); with `lat`, both or neither. Without them the map
    /// places the hazard at its enterprise.
    #[serde(default)]
    pub lng: Option<String>,
    /// 纬度 (decimal degrees, WGS-84).
    #[serde(default)]
    pub lat: Option<String>,
}

/// An action on a hazard, with what that action needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub action: String,
    /// If given, the action applies only to this version (else 409).
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub deadline_basis: Option<String>,
    #[serde(default)]
    pub responsible_unit: Option<String>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds_planned: Option<i64>,
    #[serde(default)]
    pub funds_spent: Option<i64>,
    #[serde(default)]
    pub emergency_plan: Option<String>,
}

/// Setting: whether reporting a rectification complete (整改完成报告) needs an evidence file
/// uploaded on the hazard first ("true", the default) or not ("false").
pub const REPORT_REQUIRES_EVIDENCE_SETTING: &str = "hazard_report_requires_evidence";

impl App {
    /// Whether a rectification report needs evidence ([`REPORT_REQUIRES_EVIDENCE_SETTING`]).
    pub fn report_requires_evidence(&self) -> Result<bool> {
        Ok(self
            .store
            .setting(REPORT_REQUIRES_EVIDENCE_SETTING)?
            .is_none_or(|v| v.trim() != "false"))
    }
}

/// Setting: working days after a rectification report within which the regulator re-inspects
/// (复查); 10 by default ([`hazard::REVIEW_WORKING_DAYS`], 安监总政法〔2016〕72号).
pub const REVIEW_WORKING_DAYS_SETTING: &str = "hazard_review_working_days";

/// A hazard with what the reader needs around it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardView {
    #[serde(flatten)]
    pub hazard: Hazard,
    /// 逾期未整改: open past its deadline, not awaiting review after an in-time report.
    pub overdue: bool,
    /// Awaiting review (待复查): the last day for the 复查, counted in working days from the
    /// report (setting [`REVIEW_WORKING_DAYS_SETTING`]).
    pub review_due: Option<String>,
    /// 复查逾期: awaiting review past that day.
    pub review_overdue: bool,
    pub status_label: &'static str,
    pub level_label: &'static str,
    pub source_label: &'static str,
    pub allowed_actions: Vec<&'static str>,
}

const DEADLINE_RULE_ORDER: &str = "责令限期整改";

/// The refusal of a registration whose deadline is before today, not confirmed
/// ([`HazardInput::confirm_past_deadline`]).
pub const PAST_DEADLINE_UNCONFIRMED: &str =
    "整改期限早于今天：请核实日期；确属补录的，请确认“整改期限早于今天”后再登记";

fn opt_text(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    max: usize,
) -> String {
    anjian_domain::validation::optional_text(e, field, label, v.as_deref(), max).unwrap_or_default()
}

fn money(e: &mut ValidationErrors, field: &str, v: Option<i64>) -> Option<i64> {
    match v {
        Some(n) if !(0..=10_000_000_000).contains(&n) => {
            e.add(field, "金额应为 0 到 100 亿元之间的整数（元）");
            None
        }
        other => other,
    }
}

/// Which of the 五落实 a hazard's fields record.
pub(crate) fn five_of(f: &HazardFields) -> Five {
    Five {
        responsible_unit: !f.responsible_unit.is_empty(),
        responsible_person: !f.responsible_person.is_empty(),
        measures: !f.measures.is_empty(),
        funds: f.funds_planned.is_some(),
        deadline: f.deadline.is_some(),
        emergency_plan: !f.emergency_plan.is_empty(),
    }
}

impl App {
    fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The filter with today's date from the clock, which decides what is overdue.
    fn as_of_today(&self, f: &HazardFilter) -> HazardFilter {
        HazardFilter {
            today: self.today(),
            ..f.clone()
        }
    }

    fn require_hazard_writer(&self, caller: &Caller) -> Result<Scope> {
        let s = caller.hazard_scope();
        if s.writable {
            Ok(s)
        } else {
            Err(caller.refuse("登记或处理隐患"))
        }
    }
}

#[cfg(test)]
mod tests;
