//! The audit side of a hazard import: each hazard as stored, and its audit entry made on a
//! thread of its own while the import's INSERTs run (see [`super::HazardImport`]).

use super::{Hazard, HazardFields, initial_reported_on};
use crate::audit::{Chain, EntryRow};
use crate::{Change, Result, StoreError};

/// The hazard as stored by an import's INSERT (what a read would return).
pub(super) fn stored(
    id: i64,
    county_code: String,
    f: &HazardFields,
    (region_name, enterprise_name): (&str, Option<&str>),
    created_by: Option<i64>,
    (now, day): (&str, chrono::NaiveDate),
) -> Hazard {
    Hazard {
        id,
        county_code,
        region_code: f.region_code.clone(),
        region_name: region_name.to_string(),
        enterprise_id: f.enterprise_id,
        enterprise_name: enterprise_name.map(str::to_string),
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

/// Hazards just inserted, for their audit entries: the registrations, the first one's id
/// (the rest follow it) and what each stored row adds (county, region and enterprise
/// names).
pub(super) struct ChainWork {
    pub(super) first_id: i64,
    pub(super) rows: Vec<ChainRow>,
}

/// A registration just inserted, with what its stored row adds.
pub(super) struct ChainRow {
    pub(super) f: HazardFields,
    pub(super) county: String,
    pub(super) region_name: String,
    pub(super) enterprise_name: Option<String>,
}

/// The audit chain's thread of an import: for each batch of hazards received, their
/// entries (what a read of each hazard would return, as JSON), in order, sent back; the
/// chain when the import has no more rows.
pub(super) fn chain_hazards(
    change: &Change<'_>,
    mut chain: Chain,
    (now, day): (&str, chrono::NaiveDate),
    work: std::sync::mpsc::Receiver<ChainWork>,
    done: std::sync::mpsc::SyncSender<Result<Vec<EntryRow>>>,
) -> Chain {
    for w in work {
        let mut rows = Vec::with_capacity(w.rows.len());
        let mut failed = None;
        for (id, r) in (w.first_id..).zip(w.rows) {
            let h = stored(
                id,
                r.county,
                &r.f,
                (&r.region_name, r.enterprise_name.as_deref()),
                change.actor_id,
                (now, day),
            );
            match chain.created(
                change,
                ["hazard.create", "hazard", &id.to_string(), &h.region_code],
                &h,
            ) {
                Ok(r) => rows.push(r),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let answer = match failed {
            Some(e) => Err(e),
            None => Ok(rows),
        };
        if done.send(answer).is_err() {
            break;
        }
    }
    chain
}

/// The audit chain's thread ended before the import did (it panicked).
pub(super) fn chain_stopped() -> StoreError {
    StoreError::Backend("hazard import: the audit chain's thread stopped".into())
}
