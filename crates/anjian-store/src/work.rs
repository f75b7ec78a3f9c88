//! Campaigns (专项行动), the catalogue of countable field actions (工作事项) and the
//! records of them (工作记录): what the statistics count beyond hazards and cases.

use crate::db::Tx;
use crate::enterprises::Page;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct Campaign {
    pub id: i64,
    pub county_code: String,
    /// Stable tag carried by the records (`campaign` columns).
    pub code: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Participating units, one per line.
    pub units: String,
    pub description: String,
    pub created_at: String,
}

crate::table_row! {
    table "campaigns", key id, cols CAMPAIGN_COLS;
    fn campaign_row -> Campaign {
        id: i64,
        county_code: text,
        code: text,
        name: text,
        starts_on: date,
        ends_on: date,
        units: text,
        description: text,
        created_at: text,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct WorkItemType {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub sector: Option<String>,
    /// The report section or campaign the action belongs to (e.g. 打非治违, 宣传教育).
    pub topic: String,
    pub description: String,
    pub sort_order: i64,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct WorkRecord {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub department_id: Option<i64>,
    pub sector: Option<String>,
    pub enterprise_id: Option<i64>,
    pub item_code: String,
    pub done_on: NaiveDate,
    pub quantity: i64,
    pub campaign: Option<String>,
    pub place: String,
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: String,
}

crate::table_row! {
    table "work_item_types", cols ITEM_TYPE_COLS;
    fn item_type_row -> WorkItemType {
        code: text,
        name: text,
        unit: text,
        sector: opt_text,
        topic: text,
        description: text,
        sort_order: i64,
        active: bool,
    }
}

crate::table_row! {
    table "work_records", key id, cols RECORD_COLS;
    fn record_row -> WorkRecord {
        id: i64,
        county_code: text,
        region_code: text,
        department_id: opt_i64,
        sector: opt_text,
        enterprise_id: opt_i64,
        item_code: text,
        done_on: date,
        quantity: i64,
        campaign: opt_text,
        place: text,
        note: text,
        created_by: opt_i64,
        created_at: text,
    }
}

/// Filters of the work-record list (all optional).
#[derive(Debug, Clone, Default)]
pub struct WorkFilter {
    pub region_prefix: Option<String>,
    pub item_code: Option<String>,
    pub topic: Option<String>,
    pub department_id: Option<i64>,
    pub campaign: Option<String>,
    /// Records done on or after this day.
    pub from: Option<NaiveDate>,
    /// Records done on or before this day.
    pub to: Option<NaiveDate>,
    pub after: Option<i64>,
    pub limit: i64,
}

/// Who sees a work record: regions, and for sector-bound scopes the record's sector;
/// enterprise-bound scopes see only records about their enterprise.
fn visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::record(scope, "w", p)
}

fn insert_record(tx: &mut dyn Tx, change: &Change<'_>, w: &WorkRecord) -> Result<i64> {
    let county = crate::county_of(&w.region_code)?;
    let now = change.ts();
    tx.scalar_i64(
        "INSERT INTO work_records (county_code, region_code, department_id, sector, enterprise_id, item_code, done_on, quantity, campaign, place, note, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![county.as_str(), w.region_code.as_str(), w.department_id, w.sector.as_deref(), w.enterprise_id, w.item_code.as_str(), w.done_on, w.quantity,
                 w.campaign.as_deref(), w.place.as_str(), w.note.as_str(), change.actor_id, now.as_str()],
    )
}

fn admits(scope: &Scope, w: &WorkRecord) -> bool {
    let sectors: Vec<&str> = w.sector.iter().map(String::as_str).collect();
    match (&scope.sectors, w.sector.as_deref()) {
        // A sector-bound scope may only record actions of its own sectors.
        (Some(_), None) => false,
        _ => scope.admits(&w.region_code, &sectors, w.enterprise_id),
    }
}

impl Store {
    // ---- campaigns -------------------------------------------------------------------

    pub fn create_campaign(&self, change: &Change<'_>, c: &Campaign) -> Result<Campaign> {
        change.require_writable()?;
        if change.scope.enterprise_ids.is_some() || !change.scope.admits_region(&c.county_code) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            if tx
                .query_opt(
                    "SELECT id FROM campaigns WHERE county_code = ? AND code = ?",
                    &params![c.county_code.as_str(), c.code.as_str()],
                )?
                .is_some()
            {
                return Err(StoreError::Duplicate("campaigns.code".into()));
            }
            let id = tx.scalar_i64(
                "INSERT INTO campaigns (county_code, code, name, starts_on, ends_on, units, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![c.county_code.as_str(), c.code.as_str(), c.name.as_str(), c.starts_on, c.ends_on, c.units.as_str(), c.description.as_str(), now.as_str()],
            )?;
            let saved = campaign_row(&tx.query_one(&format!("SELECT {CAMPAIGN_COLS} FROM campaigns WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "campaign.create", "campaign", &id.to_string(), &saved.county_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Campaigns of the counties the scope reaches (every user may read the tags).
    pub fn list_campaigns(&self, scope: &Scope) -> Result<Vec<Campaign>> {
        let mut p = Vec::new();
        // Users below the county read their county's campaigns too.
        let counties: Vec<String> = scope
            .region_prefixes
            .iter()
            .filter(|r| r.len() >= 6)
            .map(|r| format!("{}000000", &r[..6]))
            .collect();
        let cond = format!(
            "({} OR {})",
            scope_sql::regions(scope, "county_code", &mut p),
            scope_sql::in_list("county_code", &counties, &mut p)
        );
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {CAMPAIGN_COLS} FROM campaigns WHERE {cond} ORDER BY starts_on DESC, id DESC"),
                &p,
            )?
            .iter()
            .map(campaign_row)
            .collect()
        })
    }

    // ---- work item catalogue ------------------------------------------------------------

    pub fn list_work_item_types(&self) -> Result<Vec<WorkItemType>> {
        self.kept_rows(
            &format!("SELECT {ITEM_TYPE_COLS} FROM work_item_types ORDER BY sort_order, code"),
            &[],
        )?
        .iter()
        .map(item_type_row)
        .collect()
    }

    /// Adds or edits an item type (the catalogue is county configuration: admins only,
    /// checked by the caller). The unit of an item with records cannot change, since
    /// the quantities already recorded are in that unit.
    pub fn save_work_item_type(&self, change: &Change<'_>, t: &WorkItemType) -> Result<()> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = tx.query_opt(
                "SELECT unit FROM work_item_types WHERE code = ?",
                &params![t.code.as_str()],
            )?;
            match before {
                Some(r) => {
                    let unit = r.text(0)?;
                    if unit != t.unit {
                        let used = tx.scalar_i64(
                            "SELECT COUNT(*) FROM work_records WHERE item_code = ?",
                            &params![t.code.as_str()],
                        )?;
                        if used > 0 {
                            return Err(StoreError::Conflict("unit of a used item".into()));
                        }
                    }
                    tx.execute(
                        "UPDATE work_item_types SET name = ?, unit = ?, sector = ?, topic = ?, description = ?, sort_order = ?, active = ?, updated_at = ? WHERE code = ?",
                        &params![t.name.as_str(), t.unit.as_str(), t.sector.as_deref(), t.topic.as_str(), t.description.as_str(), t.sort_order, t.active, now.as_str(), t.code.as_str()],
                    )?;
                }
                None => {
                    tx.execute(
                        "INSERT INTO work_item_types (code, name, unit, sector, topic, description, sort_order, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &params![t.code.as_str(), t.name.as_str(), t.unit.as_str(), t.sector.as_deref(), t.topic.as_str(), t.description.as_str(), t.sort_order, t.active, now.as_str()],
                    )?;
                }
            }
            crate::audit::append_json(tx, change, "work_item_type.save", "work_item_type", &t.code, "", None::<&()>, Some(t))?;
            Ok(())
        })
    }

    // ---- work records --------------------------------------------------------------------

    pub fn create_work_record(&self, change: &Change<'_>, w: &WorkRecord) -> Result<WorkRecord> {
        change.require_writable()?;
        if !admits(change.scope, w) {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            let id = insert_record(tx, change, w)?;
            let saved = record_row(&tx.query_one(
                &format!("SELECT {RECORD_COLS} FROM work_records WHERE id = ?"),
                &params![id],
            )?)?;
            crate::audit::append_json(
                tx,
                change,
                "work_record.create",
                "work_record",
                &id.to_string(),
                &saved.region_code,
                None::<&()>,
                Some(&saved),
            )?;
            Ok(saved)
        })
    }

    /// Writes many records in one transaction (an import): all or none.
    pub fn create_work_records(&self, change: &Change<'_>, list: &[WorkRecord]) -> Result<usize> {
        change.require_writable()?;
        if list.iter().any(|w| !admits(change.scope, w)) {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            for w in list {
                let id = insert_record(tx, change, w)?;
                crate::audit::append_json(
                    tx,
                    change,
                    "work_record.import",
                    "work_record",
                    &id.to_string(),
                    &w.region_code,
                    None::<&()>,
                    Some(w),
                )?;
            }
            Ok(list.len())
        })
    }

    pub fn get_work_record(&self, scope: &Scope, id: i64) -> Result<WorkRecord> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            record_row(
                &tx.query_opt(
                    &format!("SELECT {RECORD_COLS} FROM work_records w WHERE {cond} AND w.id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?,
            )
        })
    }

    pub fn list_work_records(&self, scope: &Scope, f: &WorkFilter) -> Result<Page<WorkRecord>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, &mut p);
        if let Some(r) = &f.region_prefix {
            cond = format!(
                "{cond} AND {}",
                scope_sql::region_subtree("w.region_code", r, &mut p)
            );
        }
        if let Some(c) = &f.item_code {
            cond.push_str(" AND w.item_code = ?");
            p.push(c.clone().into());
        }
        if let Some(t) = &f.topic {
            cond.push_str(" AND w.item_code IN (SELECT code FROM work_item_types WHERE topic = ?)");
            p.push(t.clone().into());
        }
        if let Some(d) = f.department_id {
            cond.push_str(" AND w.department_id = ?");
            p.push(d.into());
        }
        if let Some(c) = &f.campaign {
            cond.push_str(" AND w.campaign = ?");
            p.push(c.clone().into());
        }
        if let Some(d) = f.from {
            cond.push_str(" AND w.done_on >= ?");
            p.push(d.into());
        }
        if let Some(d) = f.to {
            cond.push_str(" AND w.done_on <= ?");
            p.push(d.into());
        }
        if let Some(a) = f.after {
            cond.push_str(" AND w.id < ?");
            p.push(a.into());
        }
        let limit = f.limit.clamp(1, 100_000);
        self.db().read(|tx| {
            let mut items = tx
                .query(
                    &format!("SELECT {RECORD_COLS} FROM work_records w WHERE {cond} ORDER BY w.id DESC {}", crate::db::limit(limit + 1)),
                    &p,
                )?
                .iter()
                .map(record_row)
                .collect::<Result<Vec<_>>>()?;
            let more = items.len() as i64 > limit;
            items.truncate(limit as usize);
            let next = if more {
                items.last().map(|w| w.id.to_string())
            } else {
                None
            };
            Ok(Page { items, next })
        })
    }
}
