//! Annual enforcement plans and the inspections counted against them.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::plan::{PlanLine, PlanState};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct Plan {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub department_id: i64,
    pub year: i64,
    pub title: String,
    pub lines: Vec<PlanLine>,
    /// The enterprises to be fully covered.
    pub key_enterprise_ids: Vec<i64>,
    pub random_share_percent: i64,
    pub status: PlanState,
    pub approved_by: String,
    pub approved_on: Option<NaiveDate>,
    pub doc_no: String,
    pub created_at: String,
    pub version: i64,
}

/// Inspections done: (month 1..=12, sector, random?, count).
pub type DoneRow = (i64, String, bool, i64);

crate::table_row! {
    table "enforcement_plans", key id;
    fn row -> Plan {
        id: i64,
        county_code: text,
        region_code: text,
        department_id: i64,
        year: i64,
        title: text,
        lines: json,
        key_enterprise_ids: json,
        random_share_percent: i64,
        status: code(PlanState::parse),
        approved_by: text,
        approved_on: opt_date,
        doc_no: text,
        created_at: text,
        version: i64,
    }
}

fn visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::regulator(scope, "region_code", p)
}

impl Store {
    /// Creates a plan, or replaces the draft of the same department and year.
    pub fn save_plan(&self, change: &Change<'_>, pl: &Plan) -> Result<Plan> {
        change.require_writable()?;
        if !change.scope.admits_region(&pl.region_code) || change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&pl.region_code)?;
        let lines =
            serde_json::to_string(&pl.lines).map_err(|e| StoreError::Backend(e.to_string()))?;
        let keys = serde_json::to_string(&pl.key_enterprise_ids)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let now = change.ts();
        self.write(|tx| {
            let existing = tx.query_opt(
                &format!("SELECT {COLS} FROM enforcement_plans WHERE department_id = ? AND year = ?"),
                &params![pl.department_id, pl.year],
            )?;
            let before = existing.as_ref().map(row).transpose()?;
            let id = match &before {
                Some(b) if b.status != PlanState::Draft => return Err(StoreError::Conflict("approved".into())),
                Some(b) if b.version != pl.version => return Err(StoreError::Conflict("stale version".into())),
                Some(b) => {
                    tx.execute(
                        "UPDATE enforcement_plans SET title = ?, lines = ?, key_enterprise_ids = ?, random_share_percent = ?, version = version + 1 WHERE id = ?",
                        &params![pl.title.as_str(), lines.as_str(), keys.as_str(), pl.random_share_percent, b.id],
                    )?;
                    b.id
                }
                None => tx.scalar_i64(
                    "INSERT INTO enforcement_plans (county_code, region_code, department_id, year, title, lines, key_enterprise_ids, random_share_percent, status, created_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &params![county.as_str(), pl.region_code.as_str(), pl.department_id, pl.year, pl.title.as_str(), lines.as_str(), keys.as_str(), pl.random_share_percent, PlanState::Draft.as_str(), now.as_str()],
                )?,
            };
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM enforcement_plans WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "plan.save", "plan", &id.to_string(), &after.region_code, before.as_ref(), Some(&after))?;
            Ok(after)
        })
    }

    pub fn approve_plan(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        by: &str,
        on: NaiveDate,
        doc_no: &str,
    ) -> Result<Plan> {
        change.require_writable()?;
        let before = self.get_plan(change.scope, id)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE enforcement_plans SET status = ?, approved_by = ?, approved_on = ?, doc_no = ?, version = version + 1 WHERE id = ? AND version = ? AND status = ?",
                &params![PlanState::Approved.as_str(), by, on, doc_no, id, version, PlanState::Draft.as_str()],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("not a current draft".into()));
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM enforcement_plans WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "plan.approve", "plan", &id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    pub fn get_plan(&self, scope: &Scope, id: i64) -> Result<Plan> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM enforcement_plans WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    pub fn list_plans(&self, scope: &Scope, year: Option<i64>) -> Result<Vec<Plan>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, &mut p);
        if let Some(y) = year {
            cond.push_str(" AND year = ?");
            p.push(y.into());
        }
        self.db().read(|tx| tx.query(&format!("SELECT {COLS} FROM enforcement_plans WHERE {cond} ORDER BY year DESC, department_id"), &p)?.iter().map(row).collect())
    }

    /// The department's enterprise inspections in a year, per month, sector and kind.
    pub fn plan_progress(&self, department_id: i64, year: i64) -> Result<(Vec<DoneRow>, Vec<i64>)> {
        let from = format!("{year}-01-01");
        let to = format!("{year}-12-31");
        self.db().read(|tx| {
            let done = tx
                .query(
                    "SELECT inspected_on, sector, kind FROM inspections WHERE department_id = ? AND enterprise_id IS NOT NULL AND inspected_on >= ? AND inspected_on <= ?",
                    &params![department_id, from.as_str(), to.as_str()],
                )?
                .iter()
                .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)))
                .collect::<Result<Vec<_>>>()?;
            let mut agg: std::collections::BTreeMap<(i64, String, bool), i64> = Default::default();
            for (on, sector, kind) in done {
                let month = on.get(5..7).and_then(|m| m.parse::<i64>().ok()).unwrap_or(0);
                *agg.entry((month, sector, kind == "random")).or_insert(0) += 1;
            }
            let covered = tx
                .query(
                    "SELECT DISTINCT enterprise_id FROM inspections WHERE department_id = ? AND enterprise_id IS NOT NULL AND inspected_on >= ? AND inspected_on <= ? ORDER BY enterprise_id",
                    &params![department_id, from.as_str(), to.as_str()],
                )?
                .iter()
                .map(|r| r.i64(0))
                .collect::<Result<Vec<_>>>()?;
            Ok((agg.into_iter().map(|((m, s, r), n)| (m, s, r, n)).collect(), covered))
        })
    }
}
