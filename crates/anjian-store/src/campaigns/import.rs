//! Many rows of a ledger written in one transaction (an import): multi-row INSERTs for the
//! rows, their tallies and their audit entries.

use super::objects::{CampaignObjectInput, insert_tallies, tally_values};
use super::{latest_in, parsed};
use crate::db::Value;
use crate::{Change, Result, Store, StoreError, params};

/// Rows per multi-row INSERT (14 columns each).
const PER_INSERT: usize = 64;

impl Store {
    /// Adds many rows of one campaign in one transaction: all or none, each with its
    /// tallies and audit entry. Every row must lie in the caller's writable scope.
    pub fn import_campaign_objects(
        &self,
        change: &Change<'_>,
        items: &[CampaignObjectInput],
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<i64>> {
        change.require_writable()?;
        for o in items {
            let sectors: Vec<&str> = o.sector.as_deref().into_iter().collect();
            if !change
                .scope
                .admits(&o.region_code, &sectors, o.enterprise_id)
            {
                return Err(StoreError::Forbidden);
            }
        }
        let Some(first_item) = items.first() else {
            return Ok(Vec::new());
        };
        let county = crate::county_of(&first_item.region_code)?;
        if items.iter().any(|o| {
            o.campaign != first_item.campaign
                || o.definition_id != first_item.definition_id
                || crate::county_of(&o.region_code).ok().as_deref() != Some(county.as_str())
        }) {
            return Err(StoreError::Invalid("campaign".into()));
        }
        let dialect = self.dialect();
        let mut write = || {
            self.write(|tx| {
                let def_row = latest_in(tx, &county, &first_item.campaign)?.ok_or(StoreError::NotFound)?;
                let def = parsed(&def_row)?;
                let known = tx.scalar_i64(
                    "SELECT COUNT(*) FROM campaign_definitions WHERE id = ? AND county_code = ? AND code = ?",
                    &params![first_item.definition_id, county.as_str(), first_item.campaign.as_str()],
                )?;
                if known == 0 {
                    return Err(StoreError::Invalid("definition_id".into()));
                }
                let first = tx.scalar_i64("SELECT COALESCE(MAX(id), 0) + 1 FROM campaign_objects", &[])?;
                let now = change.ts();
                let mut audit = crate::audit::AppendBatch::begin(tx)?;
                let mut ids = Vec::with_capacity(items.len());
                let mut id = first;
                for chunk in items.chunks(PER_INSERT) {
                    let mut vals: Vec<Value> = Vec::with_capacity(chunk.len() * 15);
                    let mut tallies: Vec<Value> = Vec::new();
                    let mut entries = Vec::with_capacity(chunk.len());
                    for o in chunk {
                        let data = serde_json::to_string(&o.data)
                            .map_err(|e| StoreError::Backend(e.to_string()))?;
                        let facets = def
                            .object(&o.object_type)
                            .map(|t| t.facets(&o.data))
                            .unwrap_or_default();
                        vals.extend(params![
                            id,
                            county.as_str(),
                            o.campaign.as_str(),
                            o.object_type.as_str(),
                            o.definition_id,
                            o.region_code.as_str(),
                            o.sector.as_deref(),
                            o.enterprise_id,
                            o.title.as_str(),
                            data,
                            facets,
                            o.recorded_on,
                            change.actor_id,
                            now.as_str(),
                            now.as_str()
                        ]);
                        tally_values(&def, id, &county, o, &mut tallies);
                        entries.push((id, o));
                        id += 1;
                    }
                    tx.execute(
                        &format!(
                            "INSERT INTO campaign_objects (id, county_code, campaign, object_type, definition_id, region_code, sector, enterprise_id, title, data, facets, recorded_on, created_by, created_at, updated_at) VALUES {}",
                            crate::db::row_placeholders(15, chunk.len())
                        ),
                        &vals,
                    )?;
                    insert_tallies(tx, &tallies)?;
                    for (id, o) in entries {
                        let after = serde_json::json!({
                            "id": id,
                            "campaign": o.campaign,
                            "object_type": o.object_type,
                            "definition_id": o.definition_id,
                            "region_code": o.region_code,
                            "sector": o.sector,
                            "enterprise_id": o.enterprise_id,
                            "title": o.title,
                            "data": o.data,
                            "recorded_on": o.recorded_on,
                        });
                        audit.push_created(
                            tx,
                            change,
                            "campaign_object.create",
                            "campaign_object",
                            &id.to_string(),
                            &o.region_code,
                            &after,
                        )?;
                        ids.push(id);
                    }
                    if ids.len() % 1024 < PER_INSERT {
                        progress(ids.len());
                    }
                }
                audit.finish(tx)?;
                if dialect == crate::db::Dialect::Postgres {
                    tx.execute(
                        "SELECT setval(pg_get_serial_sequence('campaign_objects', 'id'), (SELECT MAX(id) FROM campaign_objects))",
                        &[],
                    )?;
                }
                progress(items.len());
                Ok(ids)
            })
        };
        if items.len() > 1000 {
            self.db().with_large_write_cache(write)
        } else {
            write()
        }
    }
}
