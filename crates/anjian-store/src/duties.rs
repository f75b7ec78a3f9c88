//! 职责清单: the member units' duties, dated text items with the document that set them.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::duty::DocKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DutyItem {
    pub id: i64,
    pub county_code: String,
    pub department_id: i64,
    /// The duty in the document's words.
    pub content: String,
    pub doc_kind: DocKind,
    /// The document's title, e.g. 《安委会成员单位安全生产任务分工》.
    pub doc_title: String,
    /// 文号, e.g. 清安委〔2022〕3号.
    pub doc_no: String,
    pub decided_on: Option<NaiveDate>,
    /// The sector the duty makes the department supervise, if it names one.
    pub sector_code: Option<String>,
    pub valid_from: NaiveDate,
    /// The last day; absent while in force.
    pub valid_to: Option<NaiveDate>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "duty_items", key id;
    fn row -> DutyItem {
        id: i64,
        county_code: text,
        department_id: i64,
        content: text,
        doc_kind: code(DocKind::parse),
        doc_title: text,
        doc_no: text,
        decided_on: opt_date,
        sector_code: opt_text,
        valid_from: date,
        valid_to: opt_date,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A duty item to create or update (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyInput {
    pub county_code: String,
    pub department_id: i64,
    pub content: String,
    pub doc_kind: DocKind,
    pub doc_title: String,
    pub doc_no: String,
    pub decided_on: Option<NaiveDate>,
    pub sector_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// Which duty items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DutyFilter {
    pub department_id: Option<i64>,
    pub sector_code: Option<String>,
    /// Only those in force on this day.
    pub as_of: Option<NaiveDate>,
}

fn admits(change: &Change<'_>, county: &str) -> Result<()> {
    change.require_writable()?;
    if change.scope.admits_region(county) && change.scope.enterprise_ids.is_none() {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

fn insert(tx: &mut dyn crate::db::Tx, change: &Change<'_>, d: &DutyInput) -> Result<DutyItem> {
    let now = change.ts();
    let id = tx.scalar_i64(
        "INSERT INTO duty_items (county_code, department_id, content, doc_kind, doc_title, doc_no, decided_on, sector_code, valid_from, valid_to, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![d.county_code.as_str(), d.department_id, d.content.as_str(), d.doc_kind.as_str(), d.doc_title.as_str(), d.doc_no.as_str(), d.decided_on, d.sector_code.clone(), d.valid_from, d.valid_to, now.as_str(), now.as_str()],
    )?;
    let saved = row(&tx.query_one(
        &format!("SELECT {COLS} FROM duty_items WHERE id = ?"),
        &params![id],
    )?)?;
    crate::audit::append_json(
        tx,
        change,
        "duty.create",
        "duty",
        &id.to_string(),
        &saved.county_code,
        None::<&()>,
        Some(&saved),
    )?;
    Ok(saved)
}

impl Store {
    pub fn create_duty(&self, change: &Change<'_>, d: &DutyInput) -> Result<DutyItem> {
        admits(change, &d.county_code)?;
        self.write(|tx| insert(tx, change, d))
    }

    /// Writes several duty items in one transaction (an import).
    pub fn create_duties(&self, change: &Change<'_>, items: &[DutyInput]) -> Result<usize> {
        for d in items {
            admits(change, &d.county_code)?;
        }
        self.write(|tx| {
            for d in items {
                insert(tx, change, d)?;
            }
            Ok(items.len())
        })
    }

    /// Updates an item if `version` still matches (409 otherwise); the county stays.
    pub fn update_duty(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        d: &DutyInput,
    ) -> Result<DutyItem> {
        let before = self.get_duty(change.scope, id)?;
        admits(change, &before.county_code)?;
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE duty_items SET department_id = ?, content = ?, doc_kind = ?, doc_title = ?, doc_no = ?, decided_on = ?, sector_code = ?, valid_from = ?, valid_to = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![d.department_id, d.content.as_str(), d.doc_kind.as_str(), d.doc_title.as_str(), d.doc_no.as_str(), d.decided_on, d.sector_code.clone(), d.valid_from, d.valid_to, now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM duty_items WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "duty.update", "duty", &id.to_string(), &after.county_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    pub fn get_duty(&self, scope: &Scope, id: i64) -> Result<DutyItem> {
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(scope, "county_code", &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM duty_items WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    /// The sectors a department's duty items put under its supervision on `day` (items
    /// naming a sector, in force that day), by code: part of the department's scope. Read
    /// with no scope: this is what a department user's scope is computed from.
    pub fn duty_sectors_in_force(&self, department_id: i64, day: NaiveDate) -> Result<Vec<String>> {
        self.db().read(|tx| {
            tx.query(
                "SELECT DISTINCT sector_code FROM duty_items WHERE department_id = ? AND sector_code IS NOT NULL \
                 AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY sector_code",
                &params![department_id, day, day],
            )?
            .iter()
            .map(|r| r.text(0))
            .collect()
        })
    }

    /// The duty items of the counties in scope, by department and start.
    pub fn list_duties(&self, scope: &Scope, f: &DutyFilter) -> Result<Vec<DutyItem>> {
        let mut p = Vec::new();
        let mut cond = vec![scope_sql::county_wide(scope, "county_code", &mut p)];
        if let Some(d) = f.department_id {
            cond.push("department_id = ?".into());
            p.push(d.into());
        }
        if let Some(s) = &f.sector_code {
            cond.push("sector_code = ?".into());
            p.push(s.as_str().into());
        }
        if let Some(d) = f.as_of {
            cond.push("valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)".into());
            p.push(d.into());
            p.push(d.into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {COLS} FROM duty_items WHERE {} ORDER BY department_id, valid_from, id",
                    cond.join(" AND ")
                ),
                &p,
            )?
            .iter()
            .map(row)
            .collect()
        })
    }
}
