//! Hazards (隐患) and their event timeline. Every change writes the hazard, one
//! event row and one audit entry in one transaction.
//!
//! `row` reads a hazard by column name, `write` registers one, `update` changes it, `events`
//! keeps its timeline, `list` pages and counts them, `import` registers many in bulk and
//! `history` loads hazards with their past timelines.

mod events;
mod history;
mod import;
pub use import::HazardImport;
mod list;
mod row;
mod update;
mod write;
pub(crate) use events::add_event;
pub use events::{EventInput, HazardEvent};
pub use history::*;
pub use list::HazardFilter;
use row::{cols, row};
pub(crate) use update::update_in;
pub(crate) use write::admitted;
use write::{WRITE_COLS, values};
pub(crate) use write::{initial_reported_on, insert_hazard};

use crate::db::{Tx, Value};
use crate::enterprises::Page;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::hazard::{Level, Source, Status};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Hazard {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub department_id: Option<i64>,
    pub sector: String,
    pub level: Level,
    pub source: Source,
    pub description: String,
    pub location: String,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub deadline_basis: Option<String>,
    pub deadline_rule: String,
    pub status: Status,
    pub responsible_unit: String,
    pub responsible_person: String,
    pub measures: String,
    pub funds_planned: Option<i64>,
    pub funds_spent: Option<i64>,
    pub emergency_plan: String,
    pub campaign: Option<String>,
    pub closed_on: Option<NaiveDate>,
    /// The day the rectification was last reported done (报告整改完成, 当场整改, 申请销号),
    /// while the hazard awaits review and after it is closed; `None` otherwise (see
    /// [`anjian_domain::hazard::reported_on_after`]). Kept by the store on every change of
    /// status, never written by callers.
    pub reported_on: Option<NaiveDate>,
    /// Coordinates in micro-degrees (WGS-84), both or neither (the map places a hazard
    /// without its own at its enterprise's).
    pub lng_micro: Option<i64>,
    pub lat_micro: Option<i64>,
    pub created_by: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The writable fields of a hazard (validated by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HazardFields {
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    pub department_id: Option<i64>,
    pub sector: String,
    pub level: Level,
    pub source: Source,
    pub description: String,
    pub location: String,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub deadline_basis: Option<String>,
    pub deadline_rule: String,
    pub status: Status,
    pub responsible_unit: String,
    pub responsible_person: String,
    pub measures: String,
    pub funds_planned: Option<i64>,
    pub funds_spent: Option<i64>,
    pub emergency_plan: String,
    pub campaign: Option<String>,
    pub closed_on: Option<NaiveDate>,
    /// Coordinates (micro-degrees), if recorded.
    pub point: Option<(i64, i64)>,
}

impl Hazard {
    pub fn fields(&self) -> HazardFields {
        HazardFields {
            region_code: self.region_code.clone(),
            enterprise_id: self.enterprise_id,
            department_id: self.department_id,
            sector: self.sector.clone(),
            level: self.level,
            source: self.source,
            description: self.description.clone(),
            location: self.location.clone(),
            found_on: self.found_on,
            deadline: self.deadline,
            deadline_basis: self.deadline_basis.clone(),
            deadline_rule: self.deadline_rule.clone(),
            status: self.status,
            responsible_unit: self.responsible_unit.clone(),
            responsible_person: self.responsible_person.clone(),
            measures: self.measures.clone(),
            funds_planned: self.funds_planned,
            funds_spent: self.funds_spent,
            emergency_plan: self.emergency_plan.clone(),
            campaign: self.campaign.clone(),
            closed_on: self.closed_on,
            point: self.lng_micro.zip(self.lat_micro),
        }
    }
}

const FROM: &str = "hazards h LEFT JOIN regions r ON r.code = h.region_code LEFT JOIN enterprises e ON e.id = h.enterprise_id";

pub(crate) fn get_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Hazard> {
    let mut p = Vec::new();
    let cond = scope_sql::hazard(scope, "h", &mut p);
    p.push(id.into());
    row(tx
        .query_opt(
            &format!("SELECT {} FROM {FROM} WHERE {cond} AND h.id = ?", cols()),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

impl Store {
    pub fn get_hazard(&self, scope: &Scope, id: i64) -> Result<Hazard> {
        self.db().read(|tx| get_in(tx, scope, id))
    }
}
