//! Hazards with their event history for the statistics (load_hazards), and the newest hazard date.

use super::*;

/// A hazard with its past timeline, for bulk loading (demo data, ledger imports).
#[derive(Debug, Clone)]
pub struct HazardHistory {
    pub fields: HazardFields,
    /// `(time, action, from status, to status, note)`, oldest first.
    pub events: Vec<(String, String, Option<String>, String, String)>,
    /// For a major hazard: basis standard, clause, determined by, assignment letter, coordinating supervisor.
    pub case: Option<[String; 5]>,
}

/// The report date of a loaded hazard, from its timeline: the day (China Standard Time) its
/// status last entered 待复查, if it still waits or was closed from there; the day it was
/// found when the timeline does not say.
fn reported_on_of(
    status: &anjian_domain::hazard::Status,
    events: &[(String, String, Option<String>, String, String)],
    found_on: NaiveDate,
) -> Option<NaiveDate> {
    use anjian_domain::hazard::Status;
    let reported = Status::Reported.as_str();
    let mut day: Option<NaiveDate> = None;
    let mut last_from_reported = false;
    for (at, _, from, to, _) in events {
        if to == reported && from.as_deref() != Some(reported) {
            day = local_day(at);
        }
        if to != from.as_deref().unwrap_or("") {
            last_from_reported = from.as_deref() == Some(reported);
        }
    }
    match status {
        Status::Reported => Some(day.unwrap_or(found_on)),
        Status::Closed if last_from_reported => day,
        _ => None,
    }
}

/// The China Standard Time day of a stored timestamp (RFC 3339); its date part if it does
/// not parse, `None` if that does not either.
fn local_day(at: &str) -> Option<NaiveDate> {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => Some(
            t.with_timezone(&anjian_domain::clock::china_offset())
                .date_naive(),
        ),
        Err(_) => at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    }
}

impl Store {
    /// Loads hazards with their timelines in one transaction (all or nothing); one audit
    /// entry per hazard records the load.
    pub fn load_hazards(
        &self,
        change: &Change<'_>,
        items: &[HazardHistory],
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<i64>> {
        change.require_writable()?;
        for h in items {
            if !admitted(change.scope, &h.fields) {
                return Err(StoreError::Forbidden);
            }
        }
        self.write(|tx| {
            let mut ids = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let f = &item.fields;
                let county = crate::county_of(&f.region_code)?;
                let created = item.events.first().map(|e| e.0.clone()).unwrap_or_else(|| change.ts());
                let updated = item.events.last().map(|e| e.0.clone()).unwrap_or_else(|| created.clone());
                let reported_on = reported_on_of(&f.status, &item.events, f.found_on);
                let id = tx.scalar_i64(
                    &format!(
                        "INSERT INTO hazards (county_code, {}, created_by, created_at, updated_at) VALUES (?, {}, ?, ?, ?) RETURNING id",
                        WRITE_COLS.join(", "),
                        crate::db::placeholders(WRITE_COLS.len())
                    ),
                    &[&params![county.as_str()][..], &values(f, reported_on), &params![change.actor_id, created.as_str(), updated.as_str()]].concat(),
                )?;
                if anjian_domain::major::opens_case(f.level) {
                    let h = get_in(tx, &Scope::system(), id)?;
                    let state = anjian_domain::major::CaseState::of_loaded_hazard(f.status);
                    crate::major::open_case(tx, &h, state, &updated)?;
                    if let Some([standard, clause, by, letter, supervisor]) = &item.case {
                        tx.execute(
                            "UPDATE major_cases SET basis_standard = ?, basis_clause = ?, determined_by = ?, determined_on = ?, assignment_no = ?, \
                             assigning_unit = ?, coordinating_supervisor = ?, assigned_on = ?, closed_on = ? WHERE hazard_id = ?",
                            &params![
                                standard.as_str(),
                                clause.as_str(),
                                by.as_str(),
                                f.found_on,
                                letter.as_str(),
                                "安委办",
                                supervisor.as_str(),
                                f.found_on,
                                f.closed_on,
                                id
                            ],
                        )?;
                    }
                }
                for (at, action, from, to, note) in &item.events {
                    tx.execute(
                        "INSERT INTO hazard_events (hazard_id, county_code, at, actor_id, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &params![id, county.as_str(), at.as_str(), change.actor_id, change.actor.as_str(), action.as_str(), from.clone(), to.as_str(), note.as_str()],
                    )?;
                }
                crate::audit::append(
                    tx,
                    change,
                    "hazard.load",
                    "hazard",
                    &id.to_string(),
                    &f.region_code,
                    None,
                    Some(serde_json::json!({ "status": f.status, "events": item.events.len(), "found_on": f.found_on })),
                )?;
                ids.push(id);
                if i % 500 == 499 {
                    progress(i + 1);
                }
            }
            progress(items.len());
            Ok(ids)
        })
    }
}

impl Store {
    /// The latest date on which the scope found a hazard (the dashboard's default year
    /// when the current year has no records yet): a figure, kept while nothing is
    /// committed (every home page asks it first).
    pub fn latest_hazard_date(&self, scope: &Scope) -> Result<Option<NaiveDate>> {
        let mut p = Vec::new();
        let cond = crate::scope_sql::hazard(scope, "t", &mut p);
        let latest = self
            .figure_row(
                &format!("SELECT MAX(t.found_on) FROM hazards t WHERE {cond}"),
                &p,
            )?
            .opt_text(0)?;
        latest
            .map(|d| crate::db::parsed("hazards", 0, "found_on", d, crate::db::date_of))
            .transpose()
    }
}
