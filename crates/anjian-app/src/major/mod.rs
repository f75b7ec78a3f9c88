//! Major hazards under 一单四制: determination, list, 交办, 五落实, ledger, extensions,
//! close-out and acceptance, downgrade, and the periodic 通报.

mod action;
mod bulletins;

use crate::hazards::HazardView;
use crate::{App, AppError, Caller, Result};
use anjian_domain::hazard::Status;
use anjian_domain::major::{self, CaseAction, CaseActor, CaseState};
use anjian_domain::scope::Permission;
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::offered;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::hazards::EventInput;
use anjian_store::major::{Bulletin, CaseChange, CaseFilter, Extension, LedgerEntry, MajorCase};
use chrono::Datelike;

/// Setting: how often 通报 are issued (`half_month`, `month` or `week`).
pub const BULLETIN_CYCLE: &str = "major_bulletin_cycle";
use serde::{Deserialize, Serialize};

/// One case action with what it needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[schema(as = MajorCaseInput)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    pub action: String,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub basis_standard: Option<String>,
    #[serde(default)]
    pub basis_clause: Option<String>,
    #[serde(default)]
    pub determined_by: Option<String>,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub assignment_no: Option<String>,
    #[serde(default)]
    pub assigning_unit: Option<String>,
    #[serde(default)]
    pub coordinating_supervisor: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
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
    pub progress: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = MajorCaseView)]
pub struct CaseView {
    pub case: MajorCase,
    pub state_label: &'static str,
    pub hazard: HazardView,
    pub overdue: bool,
    pub ledger: Vec<LedgerEntry>,
    pub extensions: Vec<Extension>,
    pub allowed_actions: Vec<&'static str>,
}

fn text(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
) -> String {
    let t = v.as_deref().map(str::trim).unwrap_or_default().to_string();
    if required && t.is_empty() {
        e.add(field, format!("请填写{label}"));
    } else if t.chars().count() > max {
        e.add(field, format!("{label}不能超过{max}个字"));
    }
    t
}

impl App {
    fn case_actor(&self, caller: &Caller, h: &anjian_store::hazards::Hazard) -> CaseActor {
        caller.actor(&h.region_code, &h.sector, h.enterprise_id)
    }

    pub fn major_case(&self, caller: &Caller, hazard_id: i64) -> Result<CaseView> {
        let (case, _) = self.store.get_major_case(&caller.scope, hazard_id)?;
        let (hv, _) = self.get_hazard(caller, hazard_id)?;
        let state = case.state;
        let who = self.case_actor(caller, &hv.hazard);
        let facts = major::CaseFacts {
            state,
            has_enterprise: hv.hazard.enterprise_id.is_some(),
        };
        let allowed = offered::<major::MajorFlow>(&facts, &who)
            .into_iter()
            .map(CaseAction::as_str)
            .collect();
        Ok(CaseView {
            overdue: hv.overdue
                && !matches!(state, CaseState::UnderDetermination | CaseState::Listed),
            state_label: state.label(),
            ledger: self.store.major_ledger(&caller.scope, hazard_id)?,
            extensions: self.store.major_extensions(&caller.scope, hazard_id)?,
            allowed_actions: allowed,
            hazard: hv,
            case,
        })
    }

    /// The list (清单) with each case's hazard.
    pub fn list_major_cases(
        &self,
        caller: &Caller,
        f: &CaseFilter,
    ) -> Result<crate::Page<(MajorCase, HazardView)>> {
        crate::page_of(self.store.major_cases_page(&caller.scope, f)?, |(c, h)| {
            Ok((c, self.hazard_view(caller, h)?))
        })
    }

    /// The whole list (清单) for this filter, page after page (for the ledger).
    pub fn all_major_cases(
        &self,
        caller: &Caller,
        f: &CaseFilter,
    ) -> Result<Vec<(MajorCase, HazardView)>> {
        crate::every(
            |k| {
                self.store.major_cases_page(
                    &caller.scope,
                    &CaseFilter {
                        after: k.after,
                        limit: k.limit,
                        ..f.clone()
                    },
                )
            },
            |(c, h)| Ok((c, self.hazard_view(caller, h)?)),
        )
    }
}
