//! A change of state or fields, checked against the version read.

use super::*;

impl Store {
    /// Applies a change of state or fields if `version` still matches: hazard, event and
    /// audit entry in one transaction. Before and after must both be in the writable scope.
    pub fn update_hazard(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        f: &HazardFields,
        ev: &EventInput,
    ) -> Result<Hazard> {
        self.write(|tx| update_in(tx, change, id, version, f, ev))
    }
}

/// [`Store::update_hazard`] inside a transaction the caller holds (which may write more, e.g.
/// the evidence files a report comes with).
pub(crate) fn update_in(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    id: i64,
    version: i64,
    f: &HazardFields,
    ev: &EventInput,
) -> Result<Hazard> {
    change.require_writable()?;
    if !admitted(change.scope, f) {
        return Err(StoreError::Forbidden);
    }
    let now = change.ts();
    let before = get_in(tx, change.scope, id)?;
    if before.version != version {
        return Err(StoreError::Conflict("version".into()));
    }
    let reported_on = anjian_domain::hazard::reported_on_after(
        before.status,
        before.reported_on.as_ref(),
        f.status,
        &change.date(),
    );
    let n = tx.execute(
        &format!(
            "UPDATE hazards SET {}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
        ),
        &[&values(f, reported_on)[..], &params![now.as_str(), id, version]].concat(),
    )?;
    if n == 0 {
        return Err(StoreError::Conflict("version".into()));
    }
    let after = get_in(tx, &Scope::system(), id)?;
    add_event(tx, change, &after, Some(before.status.as_str()), ev)?;
    crate::audit::append_json(
        tx,
        change,
        &format!("hazard.{}", ev.action),
        "hazard",
        &id.to_string(),
        &after.region_code,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}
