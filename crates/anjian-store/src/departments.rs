//! Departments with their safety flags and the sectors they supervise.

use crate::db::Tx;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A sector a department supervises, and the decision that assigned it (if recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SectorAssignment {
    pub sector_code: String,
    #[serde(default)]
    pub decision_no: Option<String>,
    /// The date of the assigning decision (e.g. a newly assigned industry).
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Department {
    pub id: i64,
    pub region_code: String,
    pub name: String,
    pub short_name: String,
    pub is_member_unit: bool,
    pub has_supervision_duty: bool,
    pub is_industry_authority: bool,
    pub sort_order: i64,
    pub version: i64,
    pub sectors: Vec<SectorAssignment>,
}

/// A department to create or update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentInput {
    pub region_code: String,
    pub name: String,
    pub short_name: String,
    pub is_member_unit: bool,
    pub has_supervision_duty: bool,
    pub is_industry_authority: bool,
    pub sort_order: i64,
    pub sectors: Vec<SectorAssignment>,
}

crate::table_row! {
    table "departments", key id;
    fn row -> Department {
        id: i64,
        region_code: text,
        name: text,
        short_name: text,
        is_member_unit: bool,
        has_supervision_duty: bool,
        is_industry_authority: bool,
        sort_order: i64,
        version: i64,
    }
    rest { sectors: Vec::new() }
}

/// A `department_sectors` row: the department and one assignment.
struct AssignmentRow {
    department_id: i64,
    sector_code: String,
    decision_no: Option<String>,
    decided_on: Option<NaiveDate>,
    note: String,
}

crate::table_row! {
    table "department_sectors", key department_id, cols ASSIGNMENT_COLS;
    fn assignment_row(Row) -> AssignmentRow {
        department_id: i64 = "ds.department_id",
        sector_code: text = "ds.sector_code",
        decision_no: opt_text = "ds.decision_no",
        decided_on: opt_date = "ds.decided_on",
        note: text = "ds.note",
    }
}

/// The columns an insert or update writes, in the order of [`values`].
const WRITE_COLS: [&str; 7] = [
    "region_code",
    "name",
    "short_name",
    "is_member_unit",
    "has_supervision_duty",
    "is_industry_authority",
    "sort_order",
];

fn values(d: &DepartmentInput) -> [crate::Value; 7] {
    params![
        d.region_code.as_str(),
        d.name.as_str(),
        d.short_name.as_str(),
        d.is_member_unit,
        d.has_supervision_duty,
        d.is_industry_authority,
        d.sort_order
    ]
}

fn load_sectors(tx: &mut dyn Tx, deps: &mut [Department]) -> Result<()> {
    if deps.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = deps.iter().map(|d| d.id).collect();
    let mut p = Vec::new();
    let cond = scope_sql::in_list("ds.department_id", &ids, &mut p);
    let rows = tx.query(
        &format!(
            "SELECT {ASSIGNMENT_COLS} FROM department_sectors ds \
             JOIN sectors s ON s.code = ds.sector_code WHERE {cond} ORDER BY s.sort_order, s.code"
        ),
        &p,
    )?;
    for r in rows {
        let a = assignment_row(r)?;
        if let Some(d) = deps.iter_mut().find(|d| d.id == a.department_id) {
            d.sectors.push(SectorAssignment {
                sector_code: a.sector_code,
                decision_no: a.decision_no,
                decided_on: a.decided_on,
                note: a.note,
            });
        }
    }
    Ok(())
}

fn write_sectors(tx: &mut dyn Tx, id: i64, sectors: &[SectorAssignment]) -> Result<()> {
    tx.execute(
        "DELETE FROM department_sectors WHERE department_id = ?",
        &params![id],
    )?;
    for s in sectors {
        tx.execute(
            "INSERT INTO department_sectors (department_id, sector_code, decision_no, decided_on, note) VALUES (?, ?, ?, ?, ?)",
            &params![id, s.sector_code.as_str(), s.decision_no.clone(), s.decided_on, s.note.as_str()],
        )?;
    }
    Ok(())
}

impl Store {
    /// Departments of the regions in scope (a department's region is the county it serves;
    /// township users see their county's departments).
    pub fn list_departments(&self, scope: &Scope) -> Result<Vec<Department>> {
        let mut p = Vec::new();
        // A department is visible if its region contains, or lies inside, the caller's regions.
        let mut parts = vec![scope_sql::regions(scope, "region_code", &mut p)];
        for prefix in &scope.region_prefixes {
            if prefix.len() > 6 {
                parts.push("region_code = ?".into());
                p.push(format!("{}000000", &prefix[..6]).into());
            }
        }
        let sql = format!(
            "SELECT {COLS} FROM departments WHERE {} ORDER BY sort_order, id",
            parts.join(" OR ")
        );
        self.db().read(|tx| {
            let mut deps = tx
                .query(&sql, &p)?
                .iter()
                .map(row)
                .collect::<Result<Vec<_>>>()?;
            load_sectors(tx, &mut deps)?;
            Ok(deps)
        })
    }

    pub fn get_department(&self, scope: &Scope, id: i64) -> Result<Department> {
        self.list_departments(scope)?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Creates a department; returns its id.
    pub fn create_department(&self, change: &Change<'_>, d: &DepartmentInput) -> Result<i64> {
        change.require_writable()?;
        if !change.scope.admits_region(&d.region_code) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                &format!(
                    "INSERT INTO departments ({}, created_at, updated_at) VALUES ({}, ?, ?) RETURNING id",
                    WRITE_COLS.join(", "),
                    crate::db::placeholders(WRITE_COLS.len())
                ),
                &[values(d).as_slice(), &params![now.as_str(), now.as_str()]].concat(),
            )?;
            write_sectors(tx, id, &d.sectors)?;
            crate::audit::append_json(tx, change, "department.create", "department", &id.to_string(), &d.region_code, None::<&()>, Some(d))?;
            Ok(id)
        })
    }

    /// Updates a department if `version` still matches (409 otherwise).
    pub fn update_department(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        d: &DepartmentInput,
    ) -> Result<()> {
        change.require_writable()?;
        let now = change.ts();
        self.write_auth(|tx| {
            let mut old = vec![row(&tx.query_one(&format!("SELECT {COLS} FROM departments WHERE id = ?"), &params![id])?)?];
            if !change.scope.admits_region(&old[0].region_code) || !change.scope.admits_region(&d.region_code) {
                return Err(StoreError::Forbidden);
            }
            load_sectors(tx, &mut old)?;
            let n = tx.execute(
                &format!(
                    "UPDATE departments SET {}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
                ),
                &[values(d).as_slice(), &params![now.as_str(), id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            write_sectors(tx, id, &d.sectors)?;
            crate::audit::append_json(tx, change, "department.update", "department", &id.to_string(), &d.region_code, old.first(), Some(d))
        })
    }
}
