//! The year's assessment (考核): rubrics, their evaluations and each unit's frozen results,
//! the 安委办's hand scores, evidence, and the units' objections (复核申请).
//!
//! Rubrics and evaluations are the county's: anyone who sees the county's work reads them
//! (the app asks `ViewCountyWork`). A unit's results, scores, evidence and objections are
//! the unit's: reads take the caller's scope and, for a caller bound to a department, that
//! department ([`UnitScope`]); a township sees its own township, a department its own
//! department, the county every unit.

mod evaluations;
mod objections;

pub use evaluations::*;
pub use objections::*;

use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::assessment::{RubricItem, UnitKind};
use serde::{Deserialize, Serialize};

/// A rubric: the items one kind of unit is assessed on in a year.
#[derive(Debug, Clone, PartialEq, Default, Serialize, utoipa::ToSchema)]
pub struct Rubric {
    pub id: i64,
    pub county_code: String,
    pub year: i64,
    pub unit_kind: UnitKind,
    pub title: String,
    pub items: Vec<RubricItem>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

crate::table_row! {
    table "assessment_rubrics", key id, cols RUBRIC_COLS;
    fn rubric_row -> Rubric {
        id: i64,
        county_code: text,
        year: i64,
        unit_kind: code(UnitKind::parse),
        title: text,
        items: json,
        created_at: text,
        updated_at: text,
        version: i64,
    }
}

/// Which units' records a caller reads: the scope's regions, and for a caller bound to a
/// department only that department's unit.
#[derive(Debug, Clone, Copy)]
pub struct UnitScope<'a> {
    pub scope: &'a Scope,
    pub department: Option<i64>,
}

impl UnitScope<'_> {
    /// `WHERE` condition on a table aliased `u` with `region_code` and `department_id`.
    pub(crate) fn sql(&self, p: &mut Vec<crate::Value>) -> String {
        let mut c = crate::scope_sql::regulator(self.scope, "u.region_code", p);
        if let Some(d) = self.department {
            c.push_str(" AND u.department_id = ?");
            p.push(d.into());
        }
        c
    }
}

/// One record behind a deduction, as it stood when the evaluation was approved.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordRef {
    /// The kind of record (`hazard`, `inspection`, `department` …), as the drill-down names it.
    pub entity: String,
    pub entity_id: Option<i64>,
    /// For distinct counts: the key counted.
    #[serde(default)]
    pub key: String,
    pub date: Option<String>,
    pub label: String,
}

/// One item of a unit's results, frozen at approval (amounts in hundredths).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenItem {
    /// The item's number in the rubric (第N项, from 1).
    pub no: i64,
    /// The measured value (a count, or a percentage for a rate); none for a hand-scored item
    /// or when there was nothing to measure.
    pub value: Option<i64>,
    /// For a rate: its numerator and denominator.
    #[serde(default)]
    pub part: Option<i64>,
    #[serde(default)]
    pub whole: Option<i64>,
    pub target: i64,
    pub shortfall: i64,
    pub deduction: i64,
    pub score: i64,
    /// The records behind the deduction (empty when nothing was deducted).
    pub records: Vec<RecordRef>,
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

impl Store {
    /// Creates a rubric (`id` 0) or saves a new version of one (`version` the one read).
    /// A rubric with an approved evaluation is fixed: its scores were given by it.
    pub fn save_rubric(&self, change: &Change<'_>, r: &Rubric) -> Result<Rubric> {
        change.require_writable()?;
        if !change.scope.admits_region(&r.county_code) || change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let items = to_json(&r.items)?;
        let now = change.ts();
        self.write(|tx| {
            let before = if r.id == 0 {
                None
            } else {
                Some(rubric_row(
                    &tx.query_opt(
                        &format!("SELECT {RUBRIC_COLS} FROM assessment_rubrics WHERE id = ?"),
                        &params![r.id],
                    )?
                    .ok_or(StoreError::NotFound)?,
                )?)
            };
            let id = match &before {
                None => tx.scalar_i64(
                    "INSERT INTO assessment_rubrics (county_code, year, unit_kind, title, items, created_at, updated_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &params![r.county_code.as_str(), r.year, r.unit_kind.as_str(), r.title.as_str(), items.as_str(), now.as_str(), now.as_str()],
                )?,
                Some(b) => {
                    let approved = tx.scalar_i64(
                        "SELECT COUNT(*) FROM assessments WHERE rubric_id = ? AND status = 'approved'",
                        &params![b.id],
                    )?;
                    if approved > 0 {
                        return Err(StoreError::Conflict("rubric has an approved evaluation".into()));
                    }
                    let n = tx.execute(
                        "UPDATE assessment_rubrics SET title = ?, items = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                        &params![r.title.as_str(), items.as_str(), now.as_str(), b.id, r.version],
                    )?;
                    if n == 0 {
                        return Err(StoreError::Conflict("stale version".into()));
                    }
                    b.id
                }
            };
            let after = rubric_row(&tx.query_one(
                &format!("SELECT {RUBRIC_COLS} FROM assessment_rubrics WHERE id = ?"),
                &params![id],
            )?)?;
            crate::audit::append_json(
                tx,
                change,
                "assessment_rubric.save",
                "assessment_rubric",
                &id.to_string(),
                &after.county_code,
                before.as_ref(),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    pub fn get_rubric(&self, county: &str, id: i64) -> Result<Rubric> {
        self.db().read(|tx| {
            rubric_row(
                &tx.query_opt(
                    &format!(
                        "SELECT {RUBRIC_COLS} FROM assessment_rubrics WHERE county_code = ? AND id = ?"
                    ),
                    &params![county, id],
                )?
                .ok_or(StoreError::NotFound)?,
            )
        })
    }

    /// The county's rubrics, the latest year first; one year's when `year` is given.
    pub fn list_rubrics(&self, county: &str, year: Option<i64>) -> Result<Vec<Rubric>> {
        let mut p: Vec<crate::Value> = vec![county.into()];
        let mut cond = "county_code = ?".to_string();
        if let Some(y) = year {
            cond.push_str(" AND year = ?");
            p.push(y.into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {RUBRIC_COLS} FROM assessment_rubrics WHERE {cond} ORDER BY year DESC, unit_kind DESC, id"
                ),
                &p,
            )?
            .iter()
            .map(rubric_row)
            .collect()
        })
    }
}
