//! Inspections (监督检查): checklist templates per sector (editable), inspection records,
//! findings that become hazards in one step, and the 现场检查记录 as a Word file.

use crate::hazards::HazardView;
use crate::{App, AppError, Caller, Result};
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::hazards::{EventInput, HazardFields};
use anjian_store::inspections::{Finding, Inspection, NewInspection, Template};
use serde::{Deserialize, Serialize};

mod document;
mod findings;
mod officers;
mod record;
mod templates;
pub use officers::{RosterOfficer, accompanying, officers_line, people_line};
pub use templates::ensure_templates;

pub const KINDS: [(&str, &str); 5] = [
    ("routine", "日常检查"),
    ("special", "专项检查"),
    ("random", "双随机抽查"),
    ("recheck", "复查"),
    ("joint", "联合执法"),
];

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    pub code: String,
    /// pass | fail | na
    pub result: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub site: Option<String>,
    pub sector: String,
    pub kind: String,
    #[serde(default)]
    pub enforcement: bool,
    pub inspected_on: String,
    /// The certified officers of the roster (user ids, see `GET /officers`): at least two,
    /// each with a certificate valid on the inspection date, for an enforcement inspection
    /// (`enforcement`, or kind `random` or `joint`).
    #[serde(default)]
    pub officer_ids: Vec<i64>,
    /// Other people by name (experts, township staff); an inspection that is not an
    /// enforcement inspection may name its people here alone.
    #[serde(default)]
    pub inspectors: Vec<String>,
    #[serde(default)]
    pub template_id: Option<i64>,
    #[serde(default)]
    pub results: Vec<ItemResult>,
    #[serde(default)]
    pub findings: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub campaign: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingToHazard {
    #[serde(default = "general")]
    pub level: String,
    #[serde(default)]
    pub deadline: Option<String>,
}

fn general() -> String {
    "general".into()
}

impl App {
    fn require_inspector(&self, caller: &Caller) -> Result<Scope> {
        let s = caller.hazard_scope();
        if s.writable && caller.can(anjian_domain::scope::Permission::Supervise) {
            Ok(s)
        } else {
            Err(AppError::Forbidden(
                "仅监管部门、执法人员和乡镇可以记录监督检查".into(),
            ))
        }
    }

    pub fn inspection(&self, caller: &Caller, id: i64) -> Result<(Inspection, Vec<Finding>)> {
        Ok(self.store.get_inspection(&caller.scope, id)?)
    }

    pub fn inspections(
        &self,
        caller: &Caller,
        enterprise_id: Option<i64>,
    ) -> Result<Vec<Inspection>> {
        crate::every(
            |k| self.store.list_inspections(&caller.scope, enterprise_id, k),
            Ok,
        )
    }

    /// One page of the inspections in scope, newest first.
    pub fn inspections_page(
        &self,
        caller: &Caller,
        enterprise_id: Option<i64>,
        k: &crate::Keyset,
    ) -> Result<crate::Page<Inspection>> {
        Ok(self
            .store
            .list_inspections(&caller.scope, enterprise_id, k)?)
    }
}
