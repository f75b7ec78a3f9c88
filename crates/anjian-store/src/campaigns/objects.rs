//! The rows of a campaign's ledgers and their tallies.

use super::{audit, latest_in, parsed};
use crate::attachments::{Attachment, NewAttachment};
use crate::db::{Tx, Value};
use crate::paging::{Keyset, Page};
use crate::{Change, Result, Store, StoreError, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::campaign::{Data, Definition};
use chrono::NaiveDate;
use serde::Serialize;

/// One row of a campaign ledger.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = CampaignObject)]
pub struct CampaignObject {
    pub id: i64,
    pub county_code: String,
    pub campaign: String,
    pub object_type: String,
    pub definition_id: i64,
    /// The definition version the row was recorded under.
    pub definition_version: i64,
    pub region_code: String,
    pub region_name: String,
    pub sector: Option<String>,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub title: String,
    /// The stored values by field key (see `anjian_domain::campaign`).
    #[schema(value_type = Object)]
    pub data: Data,
    pub recorded_on: NaiveDate,
    pub created_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

crate::table_row! {
    table "campaign_objects", key id, cols OBJECT_COLS;
    fn object_row -> CampaignObject {
        id: i64,
        county_code: text,
        campaign: text,
        object_type: text,
        definition_id: i64,
        definition_version: i64 = "(SELECT d.version FROM campaign_definitions d WHERE d.id = campaign_objects.definition_id)",
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = campaign_objects.region_code), campaign_objects.region_code)",
        sector: opt_text,
        enterprise_id: opt_i64,
        enterprise_name: opt_text = "(SELECT e.name FROM enterprises e WHERE e.id = campaign_objects.enterprise_id)",
        title: text,
        data: json,
        recorded_on: date,
        created_by: opt_i64,
        created_at: text,
        updated_at: text,
        version: i64,
    }
}

/// A row to write (read and checked by the use case against its definition version).
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignObjectInput {
    pub campaign: String,
    pub object_type: String,
    /// The definition version the row is recorded under.
    pub definition_id: i64,
    pub region_code: String,
    pub sector: Option<String>,
    pub enterprise_id: Option<i64>,
    pub title: String,
    pub data: Data,
    pub recorded_on: NaiveDate,
}

/// Which rows of a ledger to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignObjectFilter {
    pub campaign: String,
    pub object_type: String,
    pub region_prefix: Option<String>,
    /// Words in the title or any value.
    pub search: Option<String>,
    /// `key=value` facets every row must have (see `ObjectType::facets`).
    pub facets: Vec<String>,
    /// Recorded in `[from, to]`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub(crate) fn get_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<CampaignObject> {
    let mut p = Vec::new();
    let cond = scope_sql::record(scope, "campaign_objects", &mut p);
    p.push(id.into());
    object_row(
        &tx.query_opt(
            &format!("SELECT {OBJECT_COLS} FROM campaign_objects WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?,
    )
}

fn read(tx: &mut dyn Tx, id: i64) -> Result<CampaignObject> {
    object_row(&tx.query_one(
        &format!("SELECT {OBJECT_COLS} FROM campaign_objects WHERE id = ?"),
        &params![id],
    )?)
}

fn admitted(scope: &Scope, o: &CampaignObjectInput) -> bool {
    let sectors: Vec<&str> = o.sector.as_deref().into_iter().collect();
    scope.admits(&o.region_code, &sectors, o.enterprise_id)
}

/// The tally rows of one object under `def`, as values for [`insert_tallies`].
pub(super) fn tally_values(
    def: &Definition,
    id: i64,
    county: &str,
    o: &CampaignObjectInput,
    out: &mut Vec<Value>,
) {
    for t in def.tallies(&o.object_type, &o.data, o.recorded_on) {
        out.extend(params![
            id,
            format!("campaign.{}.{}", def.code, t.indicator),
            county,
            o.region_code.as_str(),
            o.sector.as_deref(),
            o.enterprise_id,
            o.campaign.as_str(),
            t.day,
            t.until,
            t.amount
        ]);
    }
}

/// Values per tally row (see [`tally_values`]).
const TALLY_COLS: usize = 10;

/// Writes tally rows built by [`tally_values`], 90 to a statement.
pub(super) fn insert_tallies(tx: &mut dyn Tx, vals: &[Value]) -> Result<()> {
    for part in vals.chunks(TALLY_COLS * 90) {
        tx.execute(
            &format!(
                "INSERT INTO campaign_tallies (object_id, metric, county_code, region_code, sector, enterprise_id, campaign, day, until_day, amount) VALUES {}",
                crate::db::row_placeholders(TALLY_COLS, part.len() / TALLY_COLS)
            ),
            part,
        )?;
    }
    Ok(())
}

impl From<&CampaignObject> for CampaignObjectInput {
    /// A stored row as the input that would write it again.
    fn from(r: &CampaignObject) -> Self {
        Self {
            campaign: r.campaign.clone(),
            object_type: r.object_type.clone(),
            definition_id: r.definition_id,
            region_code: r.region_code.clone(),
            sector: r.sector.clone(),
            enterprise_id: r.enterprise_id,
            title: r.title.clone(),
            data: r.data.clone(),
            recorded_on: r.recorded_on,
        }
    }
}

/// Replaces one row's tallies.
fn write_tallies(
    tx: &mut dyn Tx,
    def: &Definition,
    id: i64,
    county: &str,
    o: &CampaignObjectInput,
) -> Result<()> {
    tx.execute(
        "DELETE FROM campaign_tallies WHERE object_id = ?",
        &params![id],
    )?;
    let mut vals = Vec::new();
    tally_values(def, id, county, o, &mut vals);
    insert_tallies(tx, &vals)
}

/// The latest definition of the row's campaign (its tallies follow it).
fn latest(tx: &mut dyn Tx, county: &str, campaign: &str) -> Result<Definition> {
    let row = latest_in(tx, county, campaign)?.ok_or(StoreError::NotFound)?;
    parsed(&row)
}

/// Checks that the definition version a row names is one of its campaign's, in its county,
/// and has the object type.
fn check_version(tx: &mut dyn Tx, county: &str, o: &CampaignObjectInput) -> Result<()> {
    let n = tx.scalar_i64(
        "SELECT COUNT(*) FROM campaign_definitions WHERE id = ? AND county_code = ? AND code = ?",
        &params![o.definition_id, county, o.campaign.as_str()],
    )?;
    if n == 0 {
        return Err(StoreError::Invalid("definition_id".into()));
    }
    Ok(())
}

fn facets(def: &Definition, o: &CampaignObjectInput) -> String {
    def.object(&o.object_type)
        .map(|t| t.facets(&o.data))
        .unwrap_or_default()
}

fn data_text(d: &Data) -> Result<String> {
    serde_json::to_string(d).map_err(|e| StoreError::Backend(e.to_string()))
}

/// Re-tallies every row of a campaign in a county under `def` (a new version was loaded).
pub(super) fn retally_campaign(tx: &mut dyn Tx, county: &str, def: &Definition) -> Result<()> {
    tx.execute(
        "DELETE FROM campaign_tallies WHERE county_code = ? AND campaign = ?",
        &params![county, def.code.as_str()],
    )?;
    let rows: Vec<CampaignObject> = tx
        .query(
            &format!(
                "SELECT {OBJECT_COLS} FROM campaign_objects WHERE county_code = ? AND campaign = ? ORDER BY id"
            ),
            &params![county, def.code.as_str()],
        )?
        .iter()
        .map(object_row)
        .collect::<Result<_>>()?;
    let mut vals = Vec::new();
    for r in &rows {
        tally_values(def, r.id, county, &CampaignObjectInput::from(r), &mut vals);
        if vals.len() >= TALLY_COLS * 90 {
            insert_tallies(tx, &vals)?;
            vals.clear();
        }
    }
    insert_tallies(tx, &vals)
}

impl Store {
    /// Adds a row to a ledger in the caller's writable scope, with its tallies and audit
    /// entry.
    pub fn create_campaign_object(
        &self,
        change: &Change<'_>,
        o: &CampaignObjectInput,
    ) -> Result<CampaignObject> {
        change.require_writable()?;
        if !admitted(change.scope, o) {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&o.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            check_version(tx, &county, o)?;
            let def = latest(tx, &county, &o.campaign)?;
            let id = tx.scalar_i64(
                "INSERT INTO campaign_objects (county_code, campaign, object_type, definition_id, region_code, sector, enterprise_id, title, data, facets, recorded_on, created_by, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), o.campaign.as_str(), o.object_type.as_str(), o.definition_id, o.region_code.as_str(), o.sector.as_deref(), o.enterprise_id, o.title.as_str(), data_text(&o.data)?, facets(&def, o), o.recorded_on, change.actor_id, now.as_str(), now.as_str()],
            )?;
            write_tallies(tx, &def, id, &county, o)?;
            let saved = read(tx, id)?;
            audit(tx, change, "campaign_object.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Changes a row if `version` still matches (409 otherwise); the old and the new row
    /// must both lie in the caller's writable scope. The row keeps its definition version.
    pub fn update_campaign_object(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        o: &CampaignObjectInput,
    ) -> Result<CampaignObject> {
        change.require_writable()?;
        if !admitted(change.scope, o) {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&o.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            if before.county_code != county
                || before.campaign != o.campaign
                || before.object_type != o.object_type
                || before.definition_id != o.definition_id
            {
                return Err(StoreError::Invalid("campaign".into()));
            }
            let def = latest(tx, &county, &o.campaign)?;
            let n = tx.execute(
                "UPDATE campaign_objects SET region_code = ?, sector = ?, enterprise_id = ?, title = ?, data = ?, facets = ?, recorded_on = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                &params![o.region_code.as_str(), o.sector.as_deref(), o.enterprise_id, o.title.as_str(), data_text(&o.data)?, facets(&def, o), o.recorded_on, now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            write_tallies(tx, &def, id, &county, o)?;
            let after = read(tx, id)?;
            audit(tx, change, "campaign_object.update", id, &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Deletes a row entered by mistake (with its tallies and files); refused (409) while
    /// hazards are linked to it. The audit entry keeps what was deleted.
    pub fn delete_campaign_object(&self, change: &Change<'_>, id: i64, version: i64) -> Result<()> {
        change.require_writable()?;
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            let linked = tx.scalar_i64(
                "SELECT COUNT(*) FROM campaign_object_hazards WHERE object_id = ?",
                &params![id],
            )?;
            if linked > 0 {
                return Err(StoreError::Conflict("hazards".into()));
            }
            tx.execute(
                "DELETE FROM campaign_tallies WHERE object_id = ?",
                &params![id],
            )?;
            tx.execute(
                "DELETE FROM attachments WHERE entity = 'campaign_object' AND entity_id = ?",
                &params![id],
            )?;
            let n = tx.execute(
                "DELETE FROM campaign_objects WHERE id = ? AND version = ?",
                &params![id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            audit(
                tx,
                change,
                "campaign_object.delete",
                id,
                &before.region_code,
                Some(&before),
                None,
            )
        })
    }

    /// A row visible in the scope; otherwise NotFound.
    pub fn get_campaign_object(&self, scope: &Scope, id: i64) -> Result<CampaignObject> {
        self.db().read(|tx| get_in(tx, scope, id))
    }

    /// A page of a ledger's rows in the scope, newest first.
    pub fn list_campaign_objects(
        &self,
        scope: &Scope,
        f: &CampaignObjectFilter,
        k: &Keyset,
    ) -> Result<Page<CampaignObject>> {
        let mut p = Vec::new();
        let mut cond = scope_sql::record(scope, "campaign_objects", &mut p);
        cond.push_str(" AND campaign = ? AND object_type = ?");
        p.push(f.campaign.as_str().into());
        p.push(f.object_type.as_str().into());
        if let Some(r) = &f.region_prefix {
            cond.push_str(" AND ");
            cond.push_str(&scope_sql::region_subtree("region_code", r, &mut p));
        }
        if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            cond.push_str(" AND (title LIKE ? ESCAPE '\\' OR data LIKE ? ESCAPE '\\')");
            let pat = format!("%{}%", scope_sql::like_escaped(s));
            p.push(pat.clone().into());
            p.push(pat.into());
        }
        for facet in &f.facets {
            cond.push_str(" AND facets LIKE ? ESCAPE '\\'");
            p.push(format!("%|{}|%", scope_sql::like_escaped(facet)).into());
        }
        if let Some(d) = f.from {
            cond.push_str(" AND recorded_on >= ?");
            p.push(d.into());
        }
        if let Some(d) = f.to {
            cond.push_str(" AND recorded_on <= ?");
            p.push(d.into());
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &OBJECT_COLS.to_string(),
                "campaign_objects",
                "id",
                &cond,
                p,
                k,
                object_row,
                |o| o.id,
            )
        })
    }

    /// The hazards registered on a visible row, by id.
    pub fn campaign_object_hazards(&self, scope: &Scope, id: i64) -> Result<Vec<i64>> {
        self.db().read(|tx| {
            get_in(tx, scope, id)?;
            tx.query(
                "SELECT hazard_id FROM campaign_object_hazards WHERE object_id = ? ORDER BY hazard_id",
                &params![id],
            )?
            .iter()
            .map(|r| r.i64(0))
            .collect()
        })
    }

    /// Links a hazard registered on a row (both in the caller's scope), audited.
    pub fn link_campaign_object_hazard(
        &self,
        change: &Change<'_>,
        object_id: i64,
        hazard_id: i64,
    ) -> Result<()> {
        change.require_writable()?;
        self.write(|tx| {
            let o = get_in(tx, change.scope, object_id)?;
            crate::hazards::get_in(tx, change.scope, hazard_id)?;
            let n = tx.scalar_i64(
                "SELECT COUNT(*) FROM campaign_object_hazards WHERE object_id = ? AND hazard_id = ?",
                &params![object_id, hazard_id],
            )?;
            if n > 0 {
                return Ok(());
            }
            tx.execute(
                "INSERT INTO campaign_object_hazards (object_id, hazard_id, linked_at) VALUES (?, ?, ?)",
                &params![object_id, hazard_id, change.ts().as_str()],
            )?;
            let link = serde_json::json!({ "object_id": object_id, "hazard_id": hazard_id });
            audit(tx, change, "campaign_object.link_hazard", object_id, &o.region_code, None, Some(&link))
        })
    }

    /// The rows a hazard was registered on (visible in the scope).
    pub fn hazard_campaign_objects(
        &self,
        scope: &Scope,
        hazard_id: i64,
    ) -> Result<Vec<CampaignObject>> {
        let mut p = Vec::new();
        let cond = scope_sql::record(scope, "campaign_objects", &mut p);
        p.push(hazard_id.into());
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {OBJECT_COLS} FROM campaign_objects WHERE {cond} AND id IN (SELECT l.object_id FROM campaign_object_hazards l WHERE l.hazard_id = ?) ORDER BY id"
                ),
                &p,
            )?
            .iter()
            .map(object_row)
            .collect()
        })
    }

    /// Stores a file in an attachment field of a row: the file, the row's value (the file's
    /// id), its tallies and the audit entry in one transaction; the row's version moves.
    pub fn attach_to_campaign_object(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        field: &str,
        file: &NewAttachment,
    ) -> Result<(CampaignObject, Attachment)> {
        change.require_writable()?;
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            let def = latest(tx, &before.county_code, &before.campaign)?;
            let is_attachment = def
                .object(&before.object_type)
                .and_then(|t| t.field(field))
                .is_some_and(|f| matches!(f.kind, anjian_domain::campaign::FieldKind::Attachment));
            if !is_attachment {
                return Err(StoreError::Invalid("field".into()));
            }
            let a = crate::attachments::insert(tx, change, &before.county_code, "campaign_object", id, file)?;
            let mut input = CampaignObjectInput::from(&before);
            input.data.insert(field.to_string(), serde_json::Value::from(a.id));
            let n = tx.execute(
                "UPDATE campaign_objects SET data = ?, facets = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                &params![data_text(&input.data)?, facets(&def, &input), change.ts().as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            write_tallies(tx, &def, id, &before.county_code, &input)?;
            let after = read(tx, id)?;
            audit(tx, change, "campaign_object.attach", id, &after.region_code, Some(&before), Some(&after))?;
            Ok((after, a))
        })
    }

    /// The files of a visible row.
    pub fn campaign_object_attachments(&self, scope: &Scope, id: i64) -> Result<Vec<Attachment>> {
        self.db().read(|tx| {
            get_in(tx, scope, id)?;
            crate::attachments::of_record(tx, "campaign_object", id)
        })
    }
}
