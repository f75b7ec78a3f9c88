//! An enterprise's sectors, departments and licences: read with it, written with it.

use super::*;

/// A licence row with its enterprise; a stored date that is not a date is an error naming
/// the licence.
struct LicenceRow {
    /// The row's key, for the messages.
    #[allow(dead_code)]
    id: i64,
    enterprise_id: i64,
    kind: String,
    number: String,
    issuer: Option<String>,
    valid_from: Option<chrono::NaiveDate>,
    valid_to: Option<chrono::NaiveDate>,
}

crate::table_row! {
    table "licences", key id, cols LICENCE_COLS;
    fn licence_row(Row) -> LicenceRow {
        id: i64,
        enterprise_id: i64,
        kind: text,
        number: text,
        issuer: opt_text,
        valid_from: opt_date,
        valid_to: opt_date,
    }
}

/// Loads sectors and departments (and licences when `full`) for a page of enterprises.
pub(super) fn load_children(tx: &mut dyn Tx, items: &mut [Enterprise], full: bool) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = items.iter().map(|e| e.id).collect();
    let idx = |items: &mut [Enterprise], id: i64| items.iter().position(|e| e.id == id);
    let mut p = Vec::new();
    let cond = scope_sql::in_list("es.enterprise_id", &ids, &mut p);
    for r in tx.query(
        &format!("SELECT es.enterprise_id, es.sector_code FROM enterprise_sectors es JOIN sectors s ON s.code = es.sector_code WHERE {cond} ORDER BY s.sort_order, s.code"),
        &p,
    )? {
        if let Some(i) = idx(items, r.i64(0)?) {
            items[i].sectors.push(r.text(1)?);
        }
    }
    let mut p = Vec::new();
    let cond = scope_sql::in_list("enterprise_id", &ids, &mut p);
    for r in tx.query(&format!("SELECT enterprise_id, department_id FROM enterprise_departments WHERE {cond} ORDER BY department_id"), &p)? {
        if let Some(i) = idx(items, r.i64(0)?) {
            items[i].department_ids.push(r.i64(1)?);
        }
    }
    if full {
        let mut p = Vec::new();
        let cond = scope_sql::in_list("enterprise_id", &ids, &mut p);
        for r in tx.query(
            &format!("SELECT {LICENCE_COLS} FROM licences WHERE {cond} ORDER BY id"),
            &p,
        )? {
            let l = licence_row(r)?;
            if let Some(i) = idx(items, l.enterprise_id) {
                items[i].licences.push(Licence {
                    kind: l.kind,
                    number: l.number,
                    issuer: l.issuer,
                    valid_from: l.valid_from,
                    valid_to: l.valid_to,
                });
            }
        }
    }
    Ok(())
}

pub(super) fn write_children(
    tx: &mut dyn Tx,
    id: i64,
    e: &NewEnterprise,
    replace: bool,
) -> Result<()> {
    if replace {
        for t in ["enterprise_sectors", "enterprise_departments", "licences"] {
            tx.execute(
                &format!("DELETE FROM {t} WHERE enterprise_id = ?"),
                &params![id],
            )?;
        }
    }
    for s in &e.sectors {
        tx.execute(
            "INSERT INTO enterprise_sectors (enterprise_id, sector_code) VALUES (?, ?)",
            &params![id, s.as_str()],
        )?;
    }
    for d in &e.department_ids {
        tx.execute(
            "INSERT INTO enterprise_departments (enterprise_id, department_id) VALUES (?, ?)",
            &params![id, *d],
        )?;
    }
    for l in &e.licences {
        tx.execute(
            "INSERT INTO licences (enterprise_id, kind, number, issuer, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?)",
            &params![id, l.kind.as_str(), l.number.as_str(), l.issuer.clone(), l.valid_from, l.valid_to],
        )?;
    }
    Ok(())
}
