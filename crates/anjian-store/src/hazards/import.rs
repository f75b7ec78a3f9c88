//! Hazard import: many registrations written in bulk, in one transaction.

use super::{EventInput, Hazard, HazardFields, WRITE_COLS, admitted, initial_reported_on, values};
use crate::db::{Tx, Value};
use crate::{Change, Result, Store, StoreError, params};

/// Hazards per multi-row INSERT of an import (25 columns each).
const PER_INSERT: usize = 32;

/// `code → name` for the distinct keys, from `select` (`… WHERE key IN`) in chunks.
fn names_of(
    tx: &mut dyn Tx,
    select: &str,
    keys: impl Iterator<Item = Value>,
) -> Result<std::collections::HashMap<String, String>> {
    let mut distinct: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for k in keys {
        let key = match &k {
            Value::Int(i) => i.to_string(),
            Value::Text(t) => t.clone(),
            _ => continue,
        };
        if seen.insert(key) {
            distinct.push(k);
        }
    }
    let mut out = std::collections::HashMap::new();
    for chunk in distinct.chunks(500) {
        for r in tx.query(
            &format!("{select} ({})", crate::db::placeholders(chunk.len())),
            chunk,
        )? {
            out.insert(r.text(0)?, r.text(1)?);
        }
    }
    Ok(out)
}

/// The hazard as stored by an import's INSERT (what a read would return).
fn stored(
    id: i64,
    county_code: String,
    f: &HazardFields,
    region_names: &std::collections::HashMap<String, String>,
    enterprise_names: &std::collections::HashMap<String, String>,
    created_by: Option<i64>,
    (now, day): (&str, chrono::NaiveDate),
) -> Hazard {
    Hazard {
        id,
        county_code,
        region_code: f.region_code.clone(),
        region_name: region_names
            .get(&f.region_code)
            .cloned()
            .unwrap_or_default(),
        enterprise_id: f.enterprise_id,
        enterprise_name: f
            .enterprise_id
            .and_then(|e| enterprise_names.get(&e.to_string()).cloned()),
        department_id: f.department_id,
        sector: f.sector.clone(),
        level: f.level,
        source: f.source,
        description: f.description.clone(),
        location: f.location.clone(),
        found_on: f.found_on,
        deadline: f.deadline,
        deadline_basis: f.deadline_basis.clone(),
        deadline_rule: f.deadline_rule.clone(),
        status: f.status,
        responsible_unit: f.responsible_unit.clone(),
        responsible_person: f.responsible_person.clone(),
        measures: f.measures.clone(),
        funds_planned: f.funds_planned,
        funds_spent: f.funds_spent,
        emergency_plan: f.emergency_plan.clone(),
        campaign: f.campaign.clone(),
        closed_on: f.closed_on,
        reported_on: initial_reported_on(f, day),
        lng_micro: f.point.map(|p| p.0),
        lat_micro: f.point.map(|p| p.1),
        created_by,
        version: 1,
        created_at: now.to_string(),
        updated_at: now.to_string(),
    }
}

impl Store {
    /// Registers many hazards in one transaction (an import): all or none, each with its
    /// first event, major case and audit entry.
    pub fn create_hazards(
        &self,
        change: &Change<'_>,
        items: &[HazardFields],
        ev: &EventInput,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<i64>> {
        change.require_writable()?;
        if items.iter().any(|f| !admitted(change.scope, f)) {
            return Err(StoreError::Forbidden);
        }
        let dialect = self.dialect();
        let mut write = || {
            self.write(|tx| {
            let mut ids = Vec::with_capacity(items.len());
            // The stored rows are built here, not read back: ids follow the highest one
            // (writers are serialised), names come from one lookup per table.
            let first = tx.scalar_i64("SELECT COALESCE(MAX(id), 0) + 1 FROM hazards", &[])?;
            let region_names = names_of(
                tx,
                "SELECT code, name FROM regions WHERE code IN",
                items.iter().map(|f| Value::from(f.region_code.as_str())),
            )?;
            let enterprise_names = names_of(
                tx,
                "SELECT CAST(id AS TEXT), name FROM enterprises WHERE id IN",
                items.iter().filter_map(|f| f.enterprise_id).map(Value::Int),
            )?;
            let now = change.ts();
            let day = change.date();
            let mut audit = crate::audit::AppendBatch::begin(tx)?;
            let mut id = first;
            for chunk in items.chunks(PER_INSERT) {
                let mut hs = Vec::with_capacity(chunk.len());
                let mut vals = Vec::with_capacity(chunk.len() * (WRITE_COLS.len() + 5));
                for f in chunk {
                    let county = crate::county_of(&f.region_code)?;
                    vals.push(Value::Int(id));
                    vals.push(county.as_str().into());
                    vals.extend(values(f, initial_reported_on(f, day)));
                    vals.extend(params![change.actor_id, now.as_str(), now.as_str()]);
                    hs.push(stored(
                        id,
                        county,
                        f,
                        &region_names,
                        &enterprise_names,
                        change.actor_id,
                        (&now, day),
                    ));
                    id += 1;
                }
                tx.execute(
                    &format!(
                        "INSERT INTO hazards (id, county_code, {}, created_by, created_at, updated_at) VALUES {}",
                        WRITE_COLS.join(", "),
                        crate::db::row_placeholders(WRITE_COLS.len() + 5, hs.len())
                    ),
                    &vals,
                )?;
                let mut events = Vec::with_capacity(hs.len() * 10);
                for h in &hs {
                    if anjian_domain::major::opens_case(h.level) {
                        crate::major::open_case(
                            tx,
                            h,
                            anjian_domain::major::CaseState::UnderDetermination,
                            &now,
                        )?;
                    }
                    events.extend(params![
                        h.id,
                        h.county_code.as_str(),
                        now.as_str(),
                        change.actor_id,
                        change.actor.as_str(),
                        ev.action.as_str(),
                        None::<&str>,
                        h.status.as_str(),
                        ev.note.as_str(),
                        ev.data.as_ref().map(|d| d.to_string())
                    ]);
                }
                tx.execute(
                    &format!(
                        "INSERT INTO hazard_events (hazard_id, county_code, at, actor_id, actor, action, from_status, to_status, note, data) VALUES {}",
                        crate::db::row_placeholders(10, hs.len())
                    ),
                    &events,
                )?;
                for h in &hs {
                    audit.push_created(
                        tx,
                        change,
                        "hazard.create",
                        "hazard",
                        &h.id.to_string(),
                        &h.region_code,
                        h,
                    )?;
                    ids.push(h.id);
                }
                if ids.len() % 1000 < PER_INSERT {
                    progress(ids.len());
                }
            }
            audit.finish(tx)?;
            if dialect == crate::db::Dialect::Postgres && !ids.is_empty() {
                tx.execute(
                    "SELECT setval(pg_get_serial_sequence('hazards', 'id'), (SELECT MAX(id) FROM hazards))",
                    &[],
                )?;
            }
            progress(items.len());
            Ok(ids)
        })
        };
        // A large import is one long transaction: give the writer a page cache that holds
        // its working set instead of spilling dirty pages to the WAL part-way.
        if items.len() > 1000 {
            self.db().with_large_write_cache(write)
        } else {
            write()
        }
    }
}
