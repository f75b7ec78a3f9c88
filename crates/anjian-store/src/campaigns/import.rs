//! Many rows of a ledger written in one transaction (an import): multi-row INSERTs for the
//! rows, their tallies and their audit entries. The rows are pushed one at a time by the
//! caller as it reads them ([`Store::import_campaign_objects_with`]), so the import keeps no
//! more than one INSERT's worth of rows in memory, whatever the file.

use super::objects::{CampaignObjectInput, insert_tallies, tally_values};
use super::{latest_in, parsed};
use crate::audit::AppendBatch;
use crate::db::{Tx, Value};
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::campaign::Definition;

/// Rows per multi-row INSERT (15 columns each).
const PER_INSERT: usize = 64;

/// Rows of one ledger being written in the import's transaction.
pub struct CampaignImport<'a, 'c> {
    tx: &'a mut dyn Tx,
    change: &'a Change<'c>,
    def: Definition,
    campaign: String,
    definition_id: i64,
    county: String,
    now: String,
    audit: AppendBatch,
    pending: Vec<CampaignObjectInput>,
    next_id: i64,
    written: usize,
}

impl CampaignImport<'_, '_> {
    /// Adds a row (written with the next full INSERT). It must be of the import's campaign
    /// and definition, in the county, and in the caller's writable scope.
    pub fn push(&mut self, o: CampaignObjectInput) -> Result<()> {
        let sectors: Vec<&str> = o.sector.as_deref().into_iter().collect();
        if !self
            .change
            .scope
            .admits(&o.region_code, &sectors, o.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        if o.campaign != self.campaign
            || o.definition_id != self.definition_id
            || crate::county_of(&o.region_code).ok().as_deref() != Some(self.county.as_str())
        {
            return Err(StoreError::Invalid("campaign".into()));
        }
        self.pending.push(o);
        if self.pending.len() >= PER_INSERT {
            self.flush()?;
        }
        Ok(())
    }

    /// Rows pushed so far.
    pub fn pushed(&self) -> usize {
        self.written + self.pending.len()
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::take(&mut self.pending);
        let mut vals: Vec<Value> = Vec::with_capacity(chunk.len() * 15);
        let mut tallies: Vec<Value> = Vec::new();
        let first = self.next_id;
        for (k, o) in chunk.iter().enumerate() {
            let id = first + k as i64;
            let data =
                serde_json::to_string(&o.data).map_err(|e| StoreError::Backend(e.to_string()))?;
            let facets = self
                .def
                .object(&o.object_type)
                .map(|t| t.facets(&o.data))
                .unwrap_or_default();
            vals.extend(params![
                id,
                self.county.as_str(),
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
                self.change.actor_id,
                self.now.as_str(),
                self.now.as_str()
            ]);
            tally_values(&self.def, id, &self.county, o, &mut tallies);
        }
        self.tx.execute(
            &format!(
                "INSERT INTO campaign_objects (id, county_code, campaign, object_type, definition_id, region_code, sector, enterprise_id, title, data, facets, recorded_on, created_by, created_at, updated_at) VALUES {}",
                crate::db::row_placeholders(15, chunk.len())
            ),
            &vals,
        )?;
        insert_tallies(self.tx, &tallies)?;
        let n = chunk.len();
        for (k, o) in chunk.into_iter().enumerate() {
            let id = first + k as i64;
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
            self.audit.push_created(
                self.tx,
                self.change,
                "campaign_object.create",
                "campaign_object",
                &id.to_string(),
                &o.region_code,
                &after,
            )?;
            self.written += 1;
        }
        self.next_id = first + n as i64;
        Ok(())
    }
}

impl Store {
    /// Adds many rows of one campaign in one transaction: `fill` pushes them one at a time
    /// and says whether to keep them (`Ok(true)`: committed) or not (`Ok(false)`, or an
    /// error: rolled back, nothing written). Each row is written with its tallies and its
    /// audit entry. Answers the ids of the rows written (consecutive).
    pub fn import_campaign_objects_with<E: From<StoreError>>(
        &self,
        change: &Change<'_>,
        county: &str,
        campaign: &str,
        definition_id: i64,
        fill: impl FnOnce(&mut CampaignImport<'_, '_>) -> std::result::Result<bool, E>,
    ) -> std::result::Result<std::ops::Range<i64>, E> {
        change.require_writable()?;
        let dialect = self.dialect();
        let mut outcome = crate::fill::Fill::new();
        // The writer's normal page cache: with the large one an import's dirty pages
        // filled up to 128 MiB before the commit, so memory grew with the file (measured
        // in `bench import`: flat at about 21 MB this way, at about 80 % of the rate).
        let r = self.write_alone(|tx| {
                let def_row = latest_in(tx, county, campaign)?.ok_or(StoreError::NotFound)?;
                let def = parsed(&def_row)?;
                let known = tx.scalar_i64(
                    "SELECT COUNT(*) FROM campaign_definitions WHERE id = ? AND county_code = ? AND code = ?",
                    &params![definition_id, county, campaign],
                )?;
                if known == 0 {
                    return Err(StoreError::Invalid("definition_id".into()));
                }
                let first = tx.scalar_i64("SELECT COALESCE(MAX(id), 0) + 1 FROM campaign_objects", &[])?;
                let audit = AppendBatch::begin(tx)?;
                let mut imp = CampaignImport {
                    tx,
                    change,
                    def,
                    campaign: campaign.to_string(),
                    definition_id,
                    county: county.to_string(),
                    now: change.ts(),
                    audit,
                    pending: Vec::with_capacity(PER_INSERT),
                    next_id: first,
                    written: 0,
                };
                outcome.take(fill(&mut imp))?;
                imp.flush()?;
                let written = imp.written;
                let CampaignImport { tx, audit, .. } = imp;
                audit.finish(tx)?;
                if dialect == crate::db::Dialect::Postgres && written > 0 {
                    tx.execute(
                        "SELECT setval(pg_get_serial_sequence('campaign_objects', 'id'), (SELECT MAX(id) FROM campaign_objects))",
                        &[],
                    )?;
                }
                Ok(first..first + written as i64)
        });
        outcome.answer(r, 0..0)
    }

    /// Adds many rows of one campaign in one transaction: all or none, each with its
    /// tallies and audit entry. Every row must lie in the caller's writable scope.
    pub fn import_campaign_objects(
        &self,
        change: &Change<'_>,
        items: &[CampaignObjectInput],
    ) -> Result<Vec<i64>> {
        let Some(first) = items.first() else {
            return Ok(Vec::new());
        };
        let county = crate::county_of(&first.region_code)?;
        self.import_campaign_objects_with(
            change,
            &county,
            &first.campaign,
            first.definition_id,
            |imp| {
                for o in items {
                    imp.push(o.clone())?;
                }
                Ok::<_, StoreError>(true)
            },
        )
        .map(|ids| ids.collect())
    }
}
