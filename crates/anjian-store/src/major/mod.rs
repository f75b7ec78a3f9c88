//! Major hazards under 一单四制: cases on the list, their ledger and extensions, and 通报.

use crate::db::{Tx, Value};
use crate::hazards::{EventInput, Hazard, HazardFields, add_event, get_in as get_hazard_in};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

mod action;
mod bulletins;
mod ledger;
mod list;
pub use bulletins::Bulletin;
pub use ledger::{Extension, LedgerEntry};
pub use list::CaseFilter;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MajorCase {
    pub hazard_id: i64,
    pub case_no: String,
    pub state: anjian_domain::major::CaseState,
    pub tier: String,
    pub basis_standard: String,
    pub basis_clause: String,
    pub determined_by: String,
    pub determined_on: Option<NaiveDate>,
    pub assignment_no: String,
    pub assigning_unit: String,
    pub coordinating_supervisor: String,
    pub assigned_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub downgrade_reason: String,
    pub version: i64,
}

/// What one case action writes besides the case itself.
#[derive(Debug, Clone, Default)]
pub struct CaseChange {
    /// The underlying hazard's new fields (status, deadline, 五落实...), with its event.
    pub hazard: Option<HazardFields>,
    /// A ledger entry: its date, progress (%) and narrative.
    pub ledger: Option<(NaiveDate, i64, String)>,
    /// An extension request: the deadline asked for and the reason.
    pub extension_request: Option<(NaiveDate, String)>,
    /// Decide the pending extension: approved?, note.
    pub extension_decision: Option<(bool, String)>,
}

crate::table_row! {
    table "major_cases", key hazard_id;
    fn row -> MajorCase {
        hazard_id: i64 = "c.hazard_id",
        case_no: text = "c.case_no",
        state: code(anjian_domain::major::CaseState::parse) = "c.state",
        tier: text = "c.tier",
        basis_standard: text = "c.basis_standard",
        basis_clause: text = "c.basis_clause",
        determined_by: text = "c.determined_by",
        determined_on: opt_date = "c.determined_on",
        assignment_no: text = "c.assignment_no",
        assigning_unit: text = "c.assigning_unit",
        coordinating_supervisor: text = "c.coordinating_supervisor",
        assigned_on: opt_date = "c.assigned_on",
        closed_on: opt_date = "c.closed_on",
        downgrade_reason: text = "c.downgrade_reason",
        version: i64 = "c.version",
    }
}

/// Opens a case for a newly registered major hazard (inside the caller's transaction).
pub(crate) fn open_case(
    tx: &mut dyn Tx,
    h: &Hazard,
    state: anjian_domain::major::CaseState,
    now: &str,
) -> Result<()> {
    let year = chrono::Datelike::year(&h.found_on).to_string();
    let n = tx.scalar_i64(
        "SELECT COUNT(*) FROM major_cases WHERE county_code = ? AND case_no LIKE ?",
        &params![h.county_code.as_str(), format!("{year}-%")],
    )?;
    let case_no = format!("{year}-{:04}", n + 1);
    tx.execute(
        "INSERT INTO major_cases (hazard_id, county_code, region_code, case_no, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![h.id, h.county_code.as_str(), h.region_code.as_str(), case_no, state.as_str(), now, now],
    )?;
    Ok(())
}

fn get_case(tx: &mut dyn Tx, scope: &Scope, hazard_id: i64) -> Result<(MajorCase, Hazard)> {
    let h = get_hazard_in(tx, scope, hazard_id)?;
    let c = row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM major_cases c WHERE c.hazard_id = ?"),
            &params![hazard_id],
        )?
        .ok_or(StoreError::NotFound)?)?;
    Ok((c, h))
}

impl Store {
    pub fn get_major_case(&self, scope: &Scope, hazard_id: i64) -> Result<(MajorCase, Hazard)> {
        self.db().read(|tx| get_case(tx, scope, hazard_id))
    }

    /// Which of these hazards (in scope) have an open case ([`CaseState::is_open`]): a page
    /// of hazards asks once for all its major ones, not once per row.
    ///
    /// [`CaseState::is_open`]: anjian_domain::major::CaseState::is_open
    pub fn with_open_major_case(
        &self,
        scope: &Scope,
        hazard_ids: &[i64],
    ) -> Result<std::collections::HashSet<i64>> {
        if hazard_ids.is_empty() {
            return Ok(Default::default());
        }
        use anjian_domain::major::CASE_STATES;
        let mut p = Vec::new();
        let ids = scope_sql::in_list("c.hazard_id", hazard_ids, &mut p);
        let open: Vec<&str> = CASE_STATES
            .into_iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect();
        let open = scope_sql::in_list("c.state", &open, &mut p);
        let scope_cond = scope_sql::hazard(scope, "h", &mut p);
        let sql = format!(
            "SELECT c.hazard_id FROM major_cases c JOIN hazards h ON h.id = c.hazard_id WHERE {ids} AND {open} AND {scope_cond}"
        );
        self.db()
            .read(|tx| tx.query(&sql, &p)?.into_iter().map(|r| r.i64(0)).collect())
    }
}
