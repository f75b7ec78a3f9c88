//! Enterprises (生产经营单位): the registry, scoped by region, sector and own record.

use crate::db::{Tx, Value};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::enterprise::{Licence, NewEnterprise};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enterprise {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub uscc_warning: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub county_code: String,
    pub address: String,
    pub industry_code: Option<String>,
    pub above_scale: bool,
    pub is_key: bool,
    pub legal_rep: Option<String>,
    pub legal_rep_phone: Option<String>,
    pub principal: Option<String>,
    pub principal_phone: Option<String>,
    pub principal_id_no: Option<String>,
    pub status: String,
    pub risk_grade: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub sectors: Vec<String>,
    pub department_ids: Vec<i64>,
    pub licences: Vec<Licence>,
}

impl Enterprise {
    /// The form kept in the audit trail: personal ID numbers masked.
    fn audit_snapshot(&self) -> Enterprise {
        let mut e = self.clone();
        e.principal_id_no = e.principal_id_no.map(|s| mask_id(&s));
        e
    }
}

fn mask_id(s: &str) -> String {
    if s.len() == 18 && s.is_ascii() {
        format!("{}********{}", &s[..6], &s[14..])
    } else {
        "***".into()
    }
}

/// List filters; every field optional. `after` is the keyset cursor (ids below it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnterpriseFilter {
    pub region_prefix: Option<String>,
    pub sector: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub is_key: Option<bool>,
    pub above_scale: Option<bool>,
    pub department_id: Option<i64>,
    pub after: Option<i64>,
    pub limit: i64,
}

pub use crate::paging::Page;

crate::table_row! {
    table "enterprises", key id;
    fn row -> Enterprise {
        id: i64 = "e.id",
        name: text = "e.name",
        uscc: text = "e.uscc",
        uscc_warning: opt_text = "e.uscc_warning",
        region_code: text = "e.region_code",
        region_name: text = "COALESCE(r.name, '')",
        county_code: text = "e.county_code",
        address: text = "e.address",
        industry_code: opt_text = "e.industry_code",
        above_scale: bool = "e.above_scale",
        is_key: bool = "e.is_key",
        legal_rep: opt_text = "e.legal_rep",
        legal_rep_phone: opt_text = "e.legal_rep_phone",
        principal: opt_text = "e.principal",
        principal_phone: opt_text = "e.principal_phone",
        principal_id_no: opt_text = "e.principal_id_no",
        status: text = "e.status",
        risk_grade: opt_text = "e.risk_grade",
        version: i64 = "e.version",
        created_at: text = "e.created_at",
        updated_at: text = "e.updated_at",
    }
    rest { sectors: Vec::new(), department_ids: Vec::new(), licences: Vec::new() }
}
const FROM: &str = "enterprises e LEFT JOIN regions r ON r.code = e.region_code";

/// A licence row with its enterprise; the dates are read as before (a stored date that is
/// not a date reads as none).
struct LicenceRow {
    enterprise_id: i64,
    kind: String,
    number: String,
    issuer: Option<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
}

crate::table_row! {
    table "licences", key enterprise_id, cols LICENCE_COLS;
    fn licence_row(Row) -> LicenceRow {
        enterprise_id: i64,
        kind: text,
        number: text,
        issuer: opt_text,
        valid_from: opt_text,
        valid_to: opt_text,
    }
}

/// Loads sectors and departments (and licences when `full`) for a page of enterprises.
fn load_children(tx: &mut dyn Tx, items: &mut [Enterprise], full: bool) -> Result<()> {
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
                let date = |v: Option<String>| {
                    v.and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
                };
                items[i].licences.push(Licence {
                    kind: l.kind,
                    number: l.number,
                    issuer: l.issuer,
                    valid_from: date(l.valid_from),
                    valid_to: date(l.valid_to),
                });
            }
        }
    }
    Ok(())
}

fn filter_sql(scope: &Scope, f: &EnterpriseFilter, p: &mut Vec<Value>) -> String {
    let mut wh = vec![scope_sql::enterprise(scope, "e", p)];
    if let Some(prefix) = f.region_prefix.as_deref().filter(|s| !s.is_empty()) {
        wh.push(scope_sql::region_subtree("e.region_code", prefix, p));
    }
    if let Some(s) = f.sector.as_deref().filter(|s| !s.is_empty()) {
        wh.push("EXISTS (SELECT 1 FROM enterprise_sectors fs WHERE fs.enterprise_id = e.id AND fs.sector_code = ?)".into());
        p.push(s.into());
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped = crate::scope_sql::like_escaped(q);
        wh.push("(LOWER(e.name) LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\' OR LOWER(e.address) LIKE ? ESCAPE '\\')".into());
        // Case-insensitive for ASCII on both backends (SQLite's LIKE already is; PostgreSQL's is not).
        let lower = escaped.to_lowercase();
        p.push(format!("%{lower}%").into());
        p.push(format!("{}%", escaped.to_uppercase()).into());
        p.push(format!("%{lower}%").into());
    }
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
        wh.push("e.status = ?".into());
        p.push(s.into());
    }
    if let Some(b) = f.is_key {
        wh.push("e.is_key = ?".into());
        p.push(b.into());
    }
    if let Some(b) = f.above_scale {
        wh.push("e.above_scale = ?".into());
        p.push(b.into());
    }
    if let Some(d) = f.department_id {
        wh.push("EXISTS (SELECT 1 FROM enterprise_departments fd WHERE fd.enterprise_id = e.id AND fd.department_id = ?)".into());
        p.push(d.into());
    }
    wh.join(" AND ")
}

fn write_children(tx: &mut dyn Tx, id: i64, e: &NewEnterprise, replace: bool) -> Result<()> {
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
        let d = |v: Option<chrono::NaiveDate>| v.map(|d| d.format("%Y-%m-%d").to_string());
        tx.execute(
            "INSERT INTO licences (enterprise_id, kind, number, issuer, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?)",
            &params![id, l.kind.as_str(), l.number.as_str(), l.issuer.clone(), d(l.valid_from), d(l.valid_to)],
        )?;
    }
    Ok(())
}

fn county_of(e: &NewEnterprise) -> String {
    e.region_code
        .county()
        .map(|c| c.as_str().to_string())
        .unwrap_or_default()
}

/// The columns an insert or update writes, in the order of [`values`].
const WRITE_COLS: [&str; 16] = [
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

fn values(e: &NewEnterprise) -> [Value; 16] {
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
fn closed_on_after(
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

fn insert(tx: &mut dyn Tx, change: &Change<'_>, e: &NewEnterprise, now: &str) -> Result<i64> {
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

fn get_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Enterprise> {
    let mut p = Vec::new();
    let cond = scope_sql::enterprise(scope, "e", &mut p);
    p.push(id.into());
    let r = tx
        .query_opt(
            &format!("SELECT {COLS} FROM {FROM} WHERE {cond} AND e.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    let mut items = vec![row(&r)?];
    load_children(tx, &mut items, true)?;
    items.pop().ok_or(StoreError::NotFound)
}

fn check_admitted(change: &Change<'_>, e: &NewEnterprise, id: Option<i64>) -> Result<()> {
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
    /// One page of enterprises in scope matching the filter, newest first.
    pub fn list_enterprises(
        &self,
        scope: &Scope,
        f: &EnterpriseFilter,
    ) -> Result<Page<Enterprise>> {
        let mut p = Vec::new();
        let mut cond = filter_sql(scope, f, &mut p);
        if let Some(after) = f.after {
            cond.push_str(" AND e.id < ?");
            p.push(after.into());
        }
        let limit = f.limit.clamp(1, 10_000);
        let sql = format!(
            "SELECT {COLS} FROM {FROM} WHERE {cond} ORDER BY e.id DESC {}",
            crate::db::limit(limit + 1)
        );
        self.db().read(|tx| {
            let mut items = tx
                .query(&sql, &p)?
                .iter()
                .map(row)
                .collect::<Result<Vec<_>>>()?;
            let more = items.len() as i64 > limit;
            items.truncate(limit as usize);
            load_children(tx, &mut items, false)?;
            let next = if more {
                items.last().map(|e| e.id.to_string())
            } else {
                None
            };
            Ok(Page { items, next })
        })
    }

    /// How many enterprises in scope match the filter (the cursor is ignored).
    pub fn count_enterprises(&self, scope: &Scope, f: &EnterpriseFilter) -> Result<i64> {
        let mut p = Vec::new();
        let cond = filter_sql(scope, f, &mut p);
        self.db().read(|tx| {
            tx.scalar_i64(
                &format!("SELECT COUNT(*) FROM enterprises e WHERE {cond}"),
                &p,
            )
        })
    }

    /// One enterprise, with sectors, departments and licences; `NotFound` when outside the scope.
    pub fn get_enterprise(&self, scope: &Scope, id: i64) -> Result<Enterprise> {
        self.db().read(|tx| get_in(tx, scope, id))
    }

    /// The id of the enterprise registered under this USCC, anywhere (duplicate check).
    pub fn enterprise_id_by_uscc(&self, uscc: &str) -> Result<Option<i64>> {
        self.db().read(|tx| {
            tx.query_opt("SELECT id FROM enterprises WHERE uscc = ?", &params![uscc])?
                .map(|r| r.i64(0))
                .transpose()
        })
    }

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

impl Store {
    /// Every registered USCC with its enterprise id (for validating bulk imports).
    pub fn enterprise_usccs(&self) -> Result<std::collections::HashMap<String, i64>> {
        self.db().read(|tx| {
            tx.query("SELECT uscc, id FROM enterprises", &[])?
                .iter()
                .map(|r| Ok((r.text(0)?, r.i64(1)?)))
                .collect()
        })
    }
}
