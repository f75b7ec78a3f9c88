//! 职责清单: the member units' duties, dated text items with the document that set them. The
//! items naming a sector are also the departments' sectors: [`hold_sectors`] keeps them in step
//! with a department's edited sector list, and `departments` reads a department's sectors
//! from them.

use crate::departments::SectorAssignment;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::duty::{DocKind, last_day_before, sector_duty_text};
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
    let saved = select_one(tx, id)?;
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

/// The title of the items a department's own sector list starts (the organisation page, the
/// departments API); the assignments converted by migration 0038 are titled 原行业领域分工.
pub const SECTOR_LIST_DOC_TITLE: &str = "部门行业领域分工";

/// The county a department's duty items belong to: the county of its region, or the region
/// itself above county level (as migration 0038 computes it).
pub(crate) fn county_of_department(region_code: &str) -> String {
    anjian_domain::RegionCode::parse(region_code)
        .ok()
        .and_then(|c| c.county())
        .map(|c| c.as_str().to_string())
        .unwrap_or_else(|| region_code.to_string())
}

/// A duty item naming a sector as a department's sector assignment: its number and date as
/// the decision, its words as the note unless they are the plain [`sector_duty_text`].
pub(crate) fn assignment_of(
    sector_code: String,
    doc_no: &str,
    decided_on: Option<NaiveDate>,
    content: String,
    sector_name: &str,
) -> SectorAssignment {
    let doc_no = doc_no.trim();
    SectorAssignment {
        sector_code,
        decision_no: (!doc_no.is_empty()).then(|| doc_no.to_string()),
        decided_on,
        note: if content == sector_duty_text(sector_name) {
            String::new()
        } else {
            content
        },
    }
}

/// An assignment as it will read back: blank decision numbers are none, words trimmed.
fn normalized(a: &SectorAssignment) -> SectorAssignment {
    SectorAssignment {
        sector_code: a.sector_code.clone(),
        decision_no: a
            .decision_no
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        decided_on: a.decided_on,
        note: a.note.trim().to_string(),
    }
}

fn select_one(tx: &mut dyn crate::db::Tx, id: i64) -> Result<DutyItem> {
    row(&tx.query_one(
        &format!("SELECT {COLS} FROM duty_items WHERE id = ?"),
        &params![id],
    )?)
}

/// Brings a department's duty items naming a sector in step with the sector list its form or
/// the API submitted, on the change's day `D` (the injected clock's), in the caller's
/// transaction, each write audited like the duty API's:
/// - a listed sector the department does not hold on `D` gets an item from `D` with no last
///   day (`duty.create`): the note as its words, or [`sector_duty_text`]; doc_kind `other`,
///   titled [`SECTOR_LIST_DOC_TITLE`], the decision's number and date as given;
/// - a held sector no longer listed has its items in force on `D` end the day before
///   ([`last_day_before`], `duty.update`), so a handover edited on one day leaves neither a
///   gap nor an overlap; an item that began on `D` itself never took effect and is withdrawn
///   (`duty.delete`);
/// - a sector still listed whose decision or words were edited has its latest item in force
///   on `D` corrected in place (`duty.update`).
///
/// Items starting after `D` are left alone (the duty list is where they are kept). Nothing to
/// write, nothing is checked; otherwise the change's scope must admit the items' county.
pub(crate) fn hold_sectors(
    tx: &mut dyn crate::db::Tx,
    change: &Change<'_>,
    department_id: i64,
    region_code: &str,
    sectors: &[SectorAssignment],
) -> Result<()> {
    let day = change.date();
    let now = change.ts();
    let names: Vec<(String, String)> = tx
        .query("SELECT code, name FROM sectors", &[])?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .collect::<Result<_>>()?;
    let name_of = |code: &str| {
        names
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    };
    // Latest first within a sector: the first of each is the one read as the assignment.
    let held = tx
        .query(
            &format!(
                "SELECT {COLS} FROM duty_items WHERE department_id = ? AND sector_code IS NOT NULL \
                 AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) \
                 ORDER BY sector_code, valid_from DESC, id DESC"
            ),
            &params![department_id, day, day],
        )?
        .iter()
        .map(row)
        .collect::<Result<Vec<DutyItem>>>()?;
    // What to write, decided before anything is: items to end, sectors to start, items to
    // correct (with the words, number and date they get).
    let ended: Vec<&DutyItem> = held
        .iter()
        .filter(|i| {
            !sectors
                .iter()
                .any(|s| Some(s.sector_code.as_str()) == i.sector_code.as_deref())
        })
        .collect();
    let mut started = Vec::new();
    let mut corrected = Vec::new();
    for (k, listed) in sectors.iter().enumerate() {
        // A sector listed twice is held once (as first listed).
        if sectors
            .iter()
            .take(k)
            .any(|x| x.sector_code == listed.sector_code)
        {
            continue;
        }
        let s = normalized(listed);
        let name = name_of(&s.sector_code);
        let content = if s.note.is_empty() {
            sector_duty_text(&name)
        } else {
            s.note.clone()
        };
        let current = held
            .iter()
            .find(|i| i.sector_code.as_deref() == Some(s.sector_code.as_str()));
        match current {
            None => started.push((s, content)),
            Some(item) => {
                let read = assignment_of(
                    s.sector_code.clone(),
                    &item.doc_no,
                    item.decided_on,
                    item.content.clone(),
                    &name,
                );
                if read != s {
                    corrected.push((item, s, content));
                }
            }
        }
    }
    if ended.is_empty() && started.is_empty() && corrected.is_empty() {
        return Ok(());
    }
    let county = county_of_department(region_code);
    admits(change, &county)?;
    for before in ended {
        let id = before.id.to_string();
        if before.valid_from >= day {
            tx.execute("DELETE FROM duty_items WHERE id = ?", &params![before.id])?;
            crate::audit::append_json(
                tx,
                change,
                "duty.delete",
                "duty",
                &id,
                &before.county_code,
                Some(before),
                None::<&()>,
            )?;
        } else {
            tx.execute(
                "UPDATE duty_items SET valid_to = ?, version = version + 1, updated_at = ? WHERE id = ?",
                &params![last_day_before(day), now.as_str(), before.id],
            )?;
            let after = select_one(tx, before.id)?;
            crate::audit::append_json(
                tx,
                change,
                "duty.update",
                "duty",
                &id,
                &after.county_code,
                Some(before),
                Some(&after),
            )?;
        }
    }
    for (s, content) in started {
        insert(
            tx,
            change,
            &DutyInput {
                county_code: county.clone(),
                department_id,
                content,
                doc_kind: DocKind::Other,
                doc_title: SECTOR_LIST_DOC_TITLE.into(),
                doc_no: s.decision_no.unwrap_or_default(),
                decided_on: s.decided_on,
                sector_code: Some(s.sector_code),
                valid_from: day,
                valid_to: None,
            },
        )?;
    }
    for (before, s, content) in corrected {
        let doc_no = s.decision_no.unwrap_or_default();
        tx.execute(
            "UPDATE duty_items SET content = ?, doc_no = ?, decided_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
            &params![content.as_str(), doc_no.as_str(), s.decided_on, now.as_str(), before.id],
        )?;
        let after = select_one(tx, before.id)?;
        crate::audit::append_json(
            tx,
            change,
            "duty.update",
            "duty",
            &before.id.to_string(),
            &after.county_code,
            Some(before),
            Some(&after),
        )?;
    }
    Ok(())
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
