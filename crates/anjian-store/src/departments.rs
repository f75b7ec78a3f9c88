//! Departments with their safety flags and the sectors they supervise. A department's sectors
//! are not a list of their own: they are its duty items (职责清单, [`crate::duties`]) naming a
//! sector in force on the day asked about, and editing them starts and ends such items.

use crate::db::Tx;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A sector a department supervises, and the decision that assigned it (if recorded).
///
/// Read, it is the department's latest duty item in force on the day naming the sector: the
/// item's number and date as the decision, its words as the note unless they are the plain
/// [`anjian_domain::duty::sector_duty_text`]. Written (a department's create or update), it
/// starts such an item on the change's day ([`crate::duties::hold_sectors`]).
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
    /// The sectors its duty items hold on the day the department was read for.
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

/// A duty item naming a sector, with the sector's name: one of a department's sectors.
struct HeldRow {
    department_id: i64,
    sector_code: String,
    doc_no: String,
    decided_on: Option<NaiveDate>,
    content: String,
    sector_name: String,
}

crate::table_row! {
    table "duty_items", key department_id, cols HELD_COLS;
    fn held_row(Row) -> HeldRow {
        department_id: i64 = "t.department_id",
        sector_code: text = "t.sector_code",
        doc_no: text = "t.doc_no",
        decided_on: opt_date = "t.decided_on",
        content: text = "t.content",
        sector_name: text = "s.name",
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

/// Fills each department's sectors: those its duty items in force on `on` name, in the
/// sectors' order, each as its latest such item (a later decision over an earlier one).
fn load_sectors(tx: &mut dyn Tx, deps: &mut [Department], on: NaiveDate) -> Result<()> {
    if deps.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = deps.iter().map(|d| d.id).collect();
    let mut p = Vec::new();
    let cond = scope_sql::in_list("t.department_id", &ids, &mut p);
    p.push(on.into());
    p.push(on.into());
    let rows = tx.query(
        &format!(
            "SELECT {HELD_COLS} FROM duty_items t JOIN sectors s ON s.code = t.sector_code \
             WHERE {cond} AND t.valid_from <= ? AND (t.valid_to IS NULL OR t.valid_to >= ?) \
             ORDER BY s.sort_order, s.code, t.valid_from DESC, t.id DESC"
        ),
        &p,
    )?;
    for r in rows {
        let h = held_row(r)?;
        if let Some(d) = deps.iter_mut().find(|d| d.id == h.department_id)
            && !d.sectors.iter().any(|a| a.sector_code == h.sector_code)
        {
            d.sectors.push(crate::duties::assignment_of(
                h.sector_code,
                &h.doc_no,
                h.decided_on,
                h.content,
                &h.sector_name,
            ));
        }
    }
    Ok(())
}

impl Store {
    /// Departments of the regions in scope (a department's region is the county it serves;
    /// township users see their county's departments), each with the sectors it holds on `on`.
    pub fn list_departments(&self, scope: &Scope, on: NaiveDate) -> Result<Vec<Department>> {
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
            load_sectors(tx, &mut deps, on)?;
            Ok(deps)
        })
    }

    /// A department in scope, with the sectors it holds on `on`.
    pub fn get_department(&self, scope: &Scope, id: i64, on: NaiveDate) -> Result<Department> {
        self.list_departments(scope, on)?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Creates a department; returns its id. Its sectors start as duty items on the change's
    /// day ([`crate::duties::hold_sectors`]), in the same transaction.
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
            crate::audit::append_json(tx, change, "department.create", "department", &id.to_string(), &d.region_code, None::<&()>, Some(d))?;
            crate::duties::hold_sectors(tx, change, id, &d.region_code, &d.sectors)?;
            Ok(id)
        })
    }

    /// Updates a department if `version` still matches (409 otherwise). Sectors added start,
    /// and sectors removed end, duty items on the change's day
    /// ([`crate::duties::hold_sectors`]), in the same transaction.
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
            load_sectors(tx, &mut old, change.date())?;
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
            crate::audit::append_json(tx, change, "department.update", "department", &id.to_string(), &d.region_code, old.first(), Some(d))?;
            crate::duties::hold_sectors(tx, change, id, &d.region_code, &d.sectors)
        })
    }
}
