//! Grassroots emergency capability (乡村应急能力创建): the checklists per level (county
//! configuration) and the yearly assessment of each township and village, with its
//! self-assessment per item (a JSON list, each item with its evidence files) and the
//! county's acceptance. Regulators see the assessments of their regions; enterprise-bound
//! scopes none.

use crate::attachments::{Attachment, NewAttachment};
use crate::db::Tx;
use crate::paging::{Keyset, Page};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::capability::{AcceptanceResult, CapabilityState, ItemCheck, Level};
use chrono::NaiveDate;
use serde::Serialize;

/// One item of a level's checklist (有机构、有预案 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct CapabilityItem {
    pub level: Level,
    pub code: String,
    pub name: String,
    /// What the item asks for, as the county words it.
    pub description: String,
    pub sort_order: i64,
    pub active: bool,
}

crate::table_row! {
    table "capability_items", cols ITEM_COLS;
    fn item_row -> CapabilityItem {
        level: code(Level::parse),
        code: text,
        name: text,
        description: text,
        sort_order: i64,
        active: bool,
    }
}

/// A township's or village's assessment for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
#[schema(as = CapabilityAssessment)]
pub struct Assessment {
    pub id: i64,
    pub county_code: String,
    /// The township or village assessed.
    pub region_code: String,
    /// The township that assesses (itself, or its village) and submits.
    pub township_code: String,
    pub level: Level,
    pub year: i64,
    pub status: CapabilityState,
    pub items: Vec<ItemCheck>,
    pub submitted_on: Option<NaiveDate>,
    pub result: Option<AcceptanceResult>,
    pub accepted_on: Option<NaiveDate>,
    /// The county's inspectors (验收人员), by name.
    pub inspectors: String,
    pub remarks: String,
    /// Why it was returned (the latest return).
    pub return_reason: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

crate::table_row! {
    table "capability_assessments", key id;
    fn row -> Assessment {
        id: i64,
        county_code: text,
        region_code: text,
        township_code: text,
        level: code(Level::parse),
        year: i64,
        status: code(CapabilityState::parse),
        items: json,
        submitted_on: opt_date,
        result: opt_code(AcceptanceResult::parse),
        accepted_on: opt_date,
        inspectors: text,
        remarks: text,
        return_reason: text,
        created_at: text,
        updated_at: text,
        version: i64,
    }
}

/// Filters of the assessment list (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentFilter {
    pub year: Option<i64>,
    pub level: Option<Level>,
    pub status: Option<CapabilityState>,
    /// The assessments of this region's subtree (a township with its villages).
    pub region_prefix: Option<String>,
}

fn visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::regulator(scope, "c.region_code", p)
}

/// An assessment may be written in the change's scope.
fn admits(change: &Change<'_>, region_code: &str) -> Result<()> {
    change.require_writable()?;
    if change.scope.enterprise_ids.is_some() || !change.scope.admits_region(region_code) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

fn read_in(tx: &mut dyn Tx, id: i64) -> Result<Assessment> {
    row(&tx.query_one(
        &format!("SELECT {COLS} FROM capability_assessments WHERE id = ?"),
        &params![id],
    )?)
}

/// The assessment, if visible in the scope.
pub(crate) fn get_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Assessment> {
    let mut p = Vec::new();
    let cond = visible(scope, &mut p);
    p.push(id.into());
    row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM capability_assessments c WHERE {cond} AND c.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

/// Inserts a place's assessment for a year (one per place and year), audited.
fn create_in(tx: &mut dyn Tx, change: &Change<'_>, a: &Assessment) -> Result<Assessment> {
    admits(change, &a.region_code)?;
    let county = crate::county_of(&a.region_code)?;
    let items = json(&a.items)?;
    let now = change.ts();
    if tx
        .query_opt(
            "SELECT id FROM capability_assessments WHERE region_code = ? AND year = ?",
            &params![a.region_code.as_str(), a.year],
        )?
        .is_some()
    {
        return Err(StoreError::Duplicate(
            "capability_assessments.region_year".into(),
        ));
    }
    let id = tx.scalar_i64(
            "INSERT INTO capability_assessments (county_code, region_code, township_code, level, year, status, items, submitted_on, result, accepted_on, inspectors, remarks, return_reason, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            &params![
                county.as_str(),
                a.region_code.as_str(),
                a.township_code.as_str(),
                a.level.as_str(),
                a.year,
                a.status.as_str(),
                items.as_str(),
                a.submitted_on,
                a.result.map(AcceptanceResult::as_str),
                a.accepted_on,
                a.inspectors.as_str(),
                a.remarks.as_str(),
                a.return_reason.as_str(),
                now.as_str(),
                now.as_str()
            ],
        )?;
    let saved = read_in(tx, id)?;
    crate::audit::append_json(
        tx,
        change,
        "capability.create",
        "capability",
        &id.to_string(),
        &saved.region_code,
        None::<&()>,
        Some(&saved),
    )?;
    Ok(saved)
}

/// Writes a step of an assessment's loop, refusing a stale version; audited.
fn update_in(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    a: &Assessment,
    action: &str,
) -> Result<Assessment> {
    admits(change, &a.region_code)?;
    let items = json(&a.items)?;
    let now = change.ts();
    let before = get_in(tx, change.scope, a.id)?;
    let n = tx.execute(
            "UPDATE capability_assessments SET status = ?, items = ?, submitted_on = ?, result = ?, accepted_on = ?, inspectors = ?, remarks = ?, return_reason = ?, \
             updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND region_code = ?",
            &params![
                a.status.as_str(),
                items.as_str(),
                a.submitted_on,
                a.result.map(AcceptanceResult::as_str),
                a.accepted_on,
                a.inspectors.as_str(),
                a.remarks.as_str(),
                a.return_reason.as_str(),
                now.as_str(),
                a.id,
                a.version,
                before.region_code.as_str()
            ],
        )?;
    if n == 0 {
        return Err(StoreError::Conflict("stale version".into()));
    }
    let after = read_in(tx, a.id)?;
    crate::audit::append_json(
        tx,
        change,
        &format!("capability.{action}"),
        "capability",
        &a.id.to_string(),
        &after.region_code,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

impl Store {
    // ---- the checklists ---------------------------------------------------------------

    pub fn list_capability_items(&self) -> Result<Vec<CapabilityItem>> {
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {ITEM_COLS} FROM capability_items ORDER BY level DESC, sort_order, code"
                ),
                &[],
            )?
            .iter()
            .map(item_row)
            .collect()
        })
    }

    /// Adds or edits a checklist item (county configuration: the caller checks who may).
    pub fn save_capability_item(&self, change: &Change<'_>, it: &CapabilityItem) -> Result<()> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = tx
                .query_opt(
                    &format!("SELECT {ITEM_COLS} FROM capability_items WHERE level = ? AND code = ?"),
                    &params![it.level.as_str(), it.code.as_str()],
                )?
                .map(|r| item_row(&r))
                .transpose()?;
            if before.is_some() {
                tx.execute(
                    "UPDATE capability_items SET name = ?, description = ?, sort_order = ?, active = ?, updated_at = ? WHERE level = ? AND code = ?",
                    &params![it.name.as_str(), it.description.as_str(), it.sort_order, it.active, now.as_str(), it.level.as_str(), it.code.as_str()],
                )?;
            } else {
                tx.execute(
                    "INSERT INTO capability_items (level, code, name, description, sort_order, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &params![it.level.as_str(), it.code.as_str(), it.name.as_str(), it.description.as_str(), it.sort_order, it.active, now.as_str()],
                )?;
            }
            crate::audit::append_json(
                tx,
                change,
                "capability_item.save",
                "capability_item",
                &format!("{}:{}", it.level.as_str(), it.code),
                "",
                before.as_ref(),
                Some(it),
            )
        })
    }

    // ---- assessments ------------------------------------------------------------------

    /// Opens a place's assessment for a year (one per place and year).
    pub fn create_capability_assessment(
        &self,
        change: &Change<'_>,
        a: &Assessment,
    ) -> Result<Assessment> {
        admits(change, &a.region_code)?;
        self.write(|tx| create_in(tx, change, a))
    }

    /// Writes a step of the loop (`action`: save, submit, accept, return): the state, the
    /// self-assessment and the acceptance fields, refusing a stale version.
    pub fn update_assessment(
        &self,
        change: &Change<'_>,
        a: &Assessment,
        action: &str,
    ) -> Result<Assessment> {
        admits(change, &a.region_code)?;
        self.write(|tx| update_in(tx, change, a, action))
    }

    /// Writes an import's assessments in one transaction: each new one (`id` 0) is opened
    /// with its answers, each existing one takes its step (`action`: save or accept) at the
    /// version read; a stale version or a place out of scope writes none of them.
    pub fn import_capability_assessments(
        &self,
        change: &Change<'_>,
        list: &[(Assessment, &str)],
    ) -> Result<usize> {
        for (a, _) in list {
            admits(change, &a.region_code)?;
        }
        self.write(|tx| {
            for (a, action) in list {
                if a.id == 0 {
                    create_in(tx, change, a)?;
                } else {
                    update_in(tx, change, a, action)?;
                }
            }
            Ok(list.len())
        })
    }

    pub fn get_capability_assessment(&self, scope: &Scope, id: i64) -> Result<Assessment> {
        self.db().read(|tx| get_in(tx, scope, id))
    }

    /// One page of the assessments in scope, newest first.
    pub fn list_capability_assessments(
        &self,
        scope: &Scope,
        f: &AssessmentFilter,
        k: &Keyset,
    ) -> Result<Page<Assessment>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, &mut p);
        if let Some(y) = f.year {
            cond.push_str(" AND c.year = ?");
            p.push(y.into());
        }
        if let Some(l) = f.level {
            cond.push_str(" AND c.level = ?");
            p.push(l.as_str().into());
        }
        if let Some(s) = f.status {
            cond.push_str(" AND c.status = ?");
            p.push(s.as_str().into());
        }
        if let Some(r) = &f.region_prefix {
            cond = format!(
                "{cond} AND {}",
                scope_sql::region_subtree("c.region_code", r, &mut p)
            );
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "capability_assessments c",
                "c.id",
                &cond,
                p,
                k,
                row,
                |a| a.id,
            )
        })
    }

    /// Stores an evidence file for one item of an assessment (the caller has checked that
    /// the step is the actor's): the file, the item's evidence list and the audit entry in
    /// one transaction.
    pub fn attach_capability_evidence(
        &self,
        change: &Change<'_>,
        id: i64,
        item_code: &str,
        a: &NewAttachment,
    ) -> Result<(Assessment, Attachment)> {
        change.require_writable()?;
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            admits(change, &before.region_code)?;
            if !before.items.iter().any(|i| i.code == item_code) {
                return Err(StoreError::Invalid("item_code".into()));
            }
            let saved =
                crate::attachments::insert(tx, change, &before.county_code, "capability", id, a)?;
            let mut items = before.items.clone();
            for it in items.iter_mut().filter(|i| i.code == item_code) {
                it.evidence.push(saved.id);
            }
            tx.execute(
                "UPDATE capability_assessments SET items = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                &params![json(&items)?.as_str(), change.ts().as_str(), id],
            )?;
            let after = read_in(tx, id)?;
            crate::audit::append_json(
                tx,
                change,
                "capability.attach",
                "capability",
                &id.to_string(),
                &after.region_code,
                None::<&()>,
                Some(&serde_json::json!({ "item": item_code, "file": &saved })),
            )?;
            Ok((after, saved))
        })
    }

    /// The evidence files of an assessment visible in the scope.
    pub fn capability_files(&self, scope: &Scope, id: i64) -> Result<Vec<Attachment>> {
        self.db().read(|tx| {
            get_in(tx, scope, id)?;
            crate::attachments::of_record(tx, "capability", id)
        })
    }
}
