//! Registering enterprises, one or many: the written columns, the county, the scope check.

use super::*;

fn county_of(e: &NewEnterprise) -> String {
    e.region_code
        .county()
        .map(|c| c.as_str().to_string())
        .unwrap_or_default()
}

/// The columns an insert or update writes, in the order of [`values`].
pub(super) const WRITE_COLS: [&str; 16] = [
    "name",
    "uscc",
    "uscc_warning",
    "region_code",
    "county_code",
    "address",
    "industry_code",
    "above_scale",
    "is_key",
    "legal_rep",
    "legal_rep_phone",
    "principal",
    "principal_phone",
    "principal_id_no",
    "status",
    "risk_grade",
];

pub(super) fn values(e: &NewEnterprise) -> [Value; 16] {
    params![
        e.name.as_str(),
        e.uscc.as_str(),
        e.uscc_warning.clone(),
        e.region_code.as_str(),
        county_of(e),
        e.address.as_str(),
        e.industry_code.clone(),
        e.above_scale,
        e.is_key,
        e.legal_rep.clone(),
        e.legal_rep_phone.clone(),
        e.principal.clone(),
        e.principal_phone.clone(),
        e.principal_id_no.clone(),
        e.status.as_str(),
        e.risk_grade.clone()
    ]
}

/// The day an enterprise is closed (关闭) from, after a change of its status on `day`: set on
/// closing, kept while closed, cleared on reopening. With the day it was registered, it
/// places the enterprise on the register at any past day (the registry figures as at a
/// period's end).
pub(super) fn closed_on_after(
    before: Option<(&str, Option<String>)>,
    after: &str,
    day: &str,
) -> Option<String> {
    let closed = anjian_domain::enterprise::EnterpriseStatus::Closed.as_str();
    match before {
        _ if after != closed => None,
        Some((b, kept)) if b == closed => kept.or_else(|| Some(day.to_string())),
        _ => Some(day.to_string()),
    }
}

/// Sets the coordinates when the input gives them (or clears them).
pub(super) fn write_point(tx: &mut dyn Tx, id: i64, e: &NewEnterprise) -> Result<()> {
    if let Some(p) = e.point {
        tx.execute(
            "UPDATE enterprises SET lng_micro = ?, lat_micro = ? WHERE id = ?",
            &params![p.map(|x| x.0), p.map(|x| x.1), id],
        )?;
    }
    Ok(())
}

pub(super) fn insert(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    e: &NewEnterprise,
    now: &str,
) -> Result<i64> {
    let day = change.day();
    let id = tx.scalar_i64(
        &format!(
            "INSERT INTO enterprises ({}, created_at, updated_at, registered_on, closed_on) VALUES ({}, ?, ?, ?, ?) RETURNING id",
            WRITE_COLS.join(", "),
            crate::db::placeholders(WRITE_COLS.len())
        ),
        &[
            values(e).as_slice(),
            &params![now, now, day.as_str(), closed_on_after(None, e.status.as_str(), &day)],
        ]
        .concat(),
    )?;
    write_children(tx, id, e, false)?;
    write_point(tx, id, e)?;
    let saved = get_in(tx, &Scope::system(), id)?;
    crate::audit::append_json(
        tx,
        change,
        "enterprise.create",
        "enterprise",
        &id.to_string(),
        e.region_code.as_str(),
        None::<&()>,
        Some(&saved.audit_snapshot()),
    )?;
    if let Some(w) = &e.uscc_warning {
        crate::audit::append(
            tx,
            change,
            "enterprise.uscc_override",
            "enterprise",
            &id.to_string(),
            e.region_code.as_str(),
            None,
            Some(serde_json::json!({ "uscc": e.uscc, "warning": w })),
        )?;
    }
    Ok(id)
}

pub(super) fn check_admitted(
    change: &Change<'_>,
    e: &NewEnterprise,
    id: Option<i64>,
) -> Result<()> {
    change.require_writable()?;
    let ids_ok = match (&change.scope.enterprise_ids, id) {
        (None, _) => true,
        (Some(ids), Some(id)) => ids.contains(&id),
        (Some(_), None) => false,
    };
    if change.scope.admits_region(e.region_code.as_str())
        && change.scope.admits_sectors(&e.sectors)
        && ids_ok
    {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

impl Store {
    /// Registers an enterprise; it must fall inside the caller's writable scope.
    pub fn create_enterprise(&self, change: &Change<'_>, e: &NewEnterprise) -> Result<i64> {
        check_admitted(change, e, None)?;
        let now = change.ts();
        self.write(|tx| insert(tx, change, e, &now))
    }

    /// Registers many enterprises in one transaction: all or nothing.
    pub fn create_enterprises(
        &self,
        change: &Change<'_>,
        items: &[NewEnterprise],
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<i64>> {
        for e in items {
            check_admitted(change, e, None)?;
        }
        let now = change.ts();
        self.write(|tx| {
            let mut ids = Vec::with_capacity(items.len());
            for (i, e) in items.iter().enumerate() {
                ids.push(insert(tx, change, e, &now)?);
                if i % 500 == 499 {
                    progress(i + 1);
                }
            }
            progress(items.len());
            Ok(ids)
        })
    }
}
