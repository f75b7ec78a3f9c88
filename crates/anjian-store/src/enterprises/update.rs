//! Changing an enterprise, checked against the version read.

use super::*;

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
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            if before.version != version {
                return Err(StoreError::Conflict("version".into()));
            }
            let kept = tx
                .query_opt("SELECT closed_on FROM enterprises WHERE id = ?", &params![id])?
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
                &[values(e).as_slice(), &params![closed_on, now.as_str(), id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            write_children(tx, id, e, true)?;
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
        })
    }
}
