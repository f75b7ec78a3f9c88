//! Changing an enterprise, checked against the version read.

use super::*;

/// Writes one update inside a transaction: the version read must still be current, the old
/// record must be in the change's scope (read through it), and the audit entry keeps the
/// record before and after.
pub(super) fn update_in(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    id: i64,
    version: i64,
    e: &NewEnterprise,
    now: &str,
) -> Result<Enterprise> {
    let before = get_in(tx, change.scope, id)?;
    if before.version != version {
        return Err(StoreError::Conflict("version".into()));
    }
    let kept = tx
        .query_opt(
            "SELECT closed_on FROM enterprises WHERE id = ?",
            &params![id],
        )?
        .map(|r| r.opt_text(0))
        .transpose()?
        .flatten();
    let closed_on = closed_on_after(
        Some((before.status.as_str(), kept)),
        e.status.as_str(),
        &change.day(),
    );
    let n = tx.execute(
        &format!(
            "UPDATE enterprises SET {}, closed_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
        ),
        &[values(e).as_slice(), &params![closed_on, now, id, version]].concat(),
    )?;
    if n == 0 {
        return Err(StoreError::Conflict("version".into()));
    }
    write_children(tx, id, e, true)?;
    super::write::write_point(tx, id, e)?;
    let after = get_in(tx, &Scope::system(), id)?;
    crate::audit::append_json(
        tx,
        change,
        "enterprise.update",
        "enterprise",
        &id.to_string(),
        e.region_code.as_str(),
        Some(&before.audit_snapshot()),
        Some(&after.audit_snapshot()),
    )?;
    Ok(after)
}

/// One update of an import: the enterprise, the version its row was compared with, the
/// record as the row has it.
#[derive(Debug, Clone)]
pub struct EnterpriseUpdate {
    pub id: i64,
    pub version: i64,
    pub record: NewEnterprise,
}

impl Store {
    /// Updates an enterprise if `version` still matches; before and after must both be in scope.
    pub fn update_enterprise(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        e: &NewEnterprise,
    ) -> Result<Enterprise> {
        check_admitted(change, e, Some(id))?;
        let now = change.ts();
        self.write(|tx| update_in(tx, change, id, version, e, &now))
    }

    /// An import that registers new enterprises and updates existing ones, in one
    /// transaction: all or nothing. Each update is written and audited as
    /// [`Store::update_enterprise`] writes an edit (scope, version, before and after), each
    /// new enterprise as [`Store::create_enterprise`]. Answers the new ids.
    pub fn import_enterprises(
        &self,
        change: &Change<'_>,
        creates: &[NewEnterprise],
        updates: &[EnterpriseUpdate],
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<i64>> {
        for e in creates {
            check_admitted(change, e, None)?;
        }
        for u in updates {
            check_admitted(change, &u.record, Some(u.id))?;
        }
        let now = change.ts();
        self.write(|tx| {
            for (i, u) in updates.iter().enumerate() {
                update_in(tx, change, u.id, u.version, &u.record, &now)?;
                if i % 500 == 499 {
                    progress(i + 1);
                }
            }
            let mut ids = Vec::with_capacity(creates.len());
            for (i, e) in creates.iter().enumerate() {
                ids.push(write::insert(tx, change, e, &now)?);
                if (updates.len() + i) % 500 == 499 {
                    progress(updates.len() + i + 1);
                }
            }
            progress(updates.len() + creates.len());
            Ok(ids)
        })
    }
}
