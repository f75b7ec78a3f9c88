//! One case action: the case, the hazard moving with it, a ledger entry or an extension, and
//! the audit entry, in one transaction.

use super::*;

const WRITE_COLS: [&str; 13] = [
    "state",
    "tier",
    "basis_standard",
    "basis_clause",
    "determined_by",
    "determined_on",
    "assignment_no",
    "assigning_unit",
    "coordinating_supervisor",
    "assigned_on",
    "closed_on",
    "downgrade_reason",
    "region_code",
];

fn values(c: &MajorCase, region: &str) -> [Value; 13] {
    params![
        c.state.as_str(),
        c.tier.as_str(),
        c.basis_standard.as_str(),
        c.basis_clause.as_str(),
        c.determined_by.as_str(),
        c.determined_on,
        c.assignment_no.as_str(),
        c.assigning_unit.as_str(),
        c.coordinating_supervisor.as_str(),
        c.assigned_on,
        c.closed_on,
        c.downgrade_reason.as_str(),
        region
    ]
}

impl Store {
    /// Applies one case action: the case, and with it the hazard (fields + timeline event),
    /// a ledger entry or an extension request/decision, and the audit entry, in one
    /// transaction; a stale case `version` is a conflict.
    pub fn major_case_action(
        &self,
        change: &Change<'_>,
        hazard_id: i64,
        version: i64,
        case: &MajorCase,
        what: &CaseChange,
        ev: &EventInput,
    ) -> Result<MajorCase> {
        change.require_writable()?;
        let now = change.ts();
        let today = change.date();
        self.write(|tx| {
            let (before, h) = get_case(tx, change.scope, hazard_id)?;
            if before.version != version {
                return Err(StoreError::Conflict("version".into()));
            }
            let mut region = h.region_code.clone();
            let mut after_hazard = h.clone();
            if let Some(f) = &what.hazard {
                if !(change.scope.admits_region(&f.region_code) && change.scope.admits_sectors(&[f.sector.as_str()])) {
                    return Err(StoreError::Forbidden);
                }
                let reported_on = anjian_domain::hazard::reported_on_after(
                    h.status,
                    h.reported_on.as_ref(),
                    f.status,
                    &today,
                );
                let n = tx.execute(
                    "UPDATE hazards SET level = ?, status = ?, reported_on = ?, deadline = ?, deadline_basis = ?, deadline_rule = ?, responsible_unit = ?, responsible_person = ?, \
                         measures = ?, funds_planned = ?, funds_spent = ?, emergency_plan = ?, closed_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    &params![
                        f.level.as_str(),
                        f.status.as_str(),
                        reported_on,
                        f.deadline,
                        f.deadline_basis.clone(),
                        f.deadline_rule.as_str(),
                        f.responsible_unit.as_str(),
                        f.responsible_person.as_str(),
                        f.measures.as_str(),
                        f.funds_planned,
                        f.funds_spent,
                        f.emergency_plan.as_str(),
                        f.closed_on,
                        now.as_str(),
                        hazard_id,
                        h.version
                    ],
                )?;
                if n == 0 {
                    return Err(StoreError::Conflict("hazard version".into()));
                }
                after_hazard = get_hazard_in(tx, &Scope::system(), hazard_id)?;
                region = after_hazard.region_code.clone();
            }
            add_event(tx, change, &after_hazard, Some(h.status.as_str()), ev)?;
            let n = tx.execute(
                &format!(
                    "UPDATE major_cases SET {}, version = version + 1, updated_at = ? WHERE hazard_id = ? AND version = ?",
                    WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
                ),
                &[&values(case, &region)[..], &params![now.as_str(), hazard_id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            if let Some((date, progress, narrative)) = &what.ledger {
                tx.execute(
                    "INSERT INTO major_ledger (hazard_id, county_code, entry_date, progress, narrative, reporter, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &params![hazard_id, h.county_code.as_str(), *date, *progress, narrative.as_str(), change.actor.as_str(), now.as_str()],
                )?;
            }
            if let Some((deadline, reason)) = &what.extension_request {
                tx.execute(
                    "INSERT INTO major_extensions (hazard_id, county_code, requested_on, requested_deadline, reason, status) VALUES (?, ?, ?, ?, ?, 'pending')",
                    &params![hazard_id, h.county_code.as_str(), today, *deadline, reason.as_str()],
                )?;
            }
            if let Some((approved, note)) = &what.extension_decision {
                let n = tx.execute(
                    "UPDATE major_extensions SET status = ?, decided_on = ?, decision_note = ? WHERE hazard_id = ? AND status = 'pending'",
                    &params![if *approved { "approved" } else { "denied" }, today, note.as_str(), hazard_id],
                )?;
                if n == 0 {
                    return Err(StoreError::Conflict("no pending extension".into()));
                }
            }
            let after = get_case(tx, &Scope::system(), hazard_id)?.0;
            crate::audit::append_json(tx, change, &format!("major.{}", ev.action), "hazard", &hazard_id.to_string(), &region, Some(&before), Some(&after))?;
            Ok(after)
        })
    }
}
