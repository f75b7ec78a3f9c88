//! Accountability records: 警示约谈, 通报批评 and 问责 decisions.
//!
//! Visibility: regulators' own records (enterprise-bound scopes see none), in the regions of
//! the scope (a township sees the records about itself and what lies in it); a sector-bound
//! scope (a department's users) sees only the records about its own department, whose id the
//! caller passes as `own_department`.

use crate::paging::{Keyset, Page};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::accountability::{Kind, Person, Reference, TargetKind, Theme};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Accountability {
    pub id: i64,
    pub county_code: String,
    /// Where the target lies: the township, the enterprise's region, the county for a
    /// department.
    pub region_code: String,
    pub kind: Kind,
    pub theme: Theme,
    pub target_kind: TargetKind,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    /// The township's, department's, enterprise's or person's name as decided.
    pub target_name: String,
    /// The persons interviewed or held accountable.
    pub persons: Vec<Person>,
    pub person_count: i64,
    /// 处理措施, e.g. 诫勉谈话、通报批评、政务警告.
    pub measure: String,
    /// The deciding body, e.g. 市安委会、市纪委监委.
    pub decided_by: String,
    pub decided_on: NaiveDate,
    pub reason: String,
    /// The records the decision refers to.
    pub refs: Vec<Reference>,
    /// The decision's document number.
    pub doc_no: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "accountability_records", key id;
    fn row -> Accountability {
        id: i64,
        county_code: text,
        region_code: text,
        kind: code(Kind::parse),
        theme: code(Theme::parse),
        target_kind: code(TargetKind::parse),
        department_id: opt_i64,
        enterprise_id: opt_i64,
        target_name: text,
        persons: json,
        person_count: i64,
        measure: text,
        decided_by: text,
        decided_on: date,
        reason: text,
        refs: json,
        doc_no: text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A record to write (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountabilityInput {
    pub region_code: String,
    pub kind: Kind,
    pub theme: Theme,
    pub target_kind: TargetKind,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub target_name: String,
    pub persons: Vec<Person>,
    pub measure: String,
    pub decided_by: String,
    pub decided_on: NaiveDate,
    pub reason: String,
    pub refs: Vec<Reference>,
    pub doc_no: String,
}

/// Which records to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountabilityFilter {
    /// Decided in `[from, to]`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<Kind>,
    pub theme: Option<Theme>,
    pub target_kind: Option<TargetKind>,
    /// A region subtree (e.g. one township).
    pub region_prefix: Option<String>,
}

fn visible(scope: &Scope, own_department: Option<i64>, p: &mut Vec<crate::Value>) -> String {
    let mut cond = scope_sql::regulator(scope, "region_code", p);
    if scope.sectors.is_some() {
        match own_department {
            Some(d) => {
                cond.push_str(" AND department_id = ?");
                p.push(d.into());
            }
            None => cond.push_str(" AND 1 = 0"),
        }
    }
    cond
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn writable(change: &Change<'_>, a: &AccountabilityInput) -> Result<String> {
    change.require_writable()?;
    if !change.scope.admits_region(&a.region_code) || change.scope.enterprise_ids.is_some() {
        return Err(StoreError::Forbidden);
    }
    crate::county_of(&a.region_code)
}

fn insert(
    tx: &mut dyn crate::db::Tx,
    change: &Change<'_>,
    a: &AccountabilityInput,
) -> Result<Accountability> {
    let county = writable(change, a)?;
    let now = change.ts();
    let id = tx.scalar_i64(
        "INSERT INTO accountability_records (county_code, region_code, kind, theme, target_kind, department_id, enterprise_id, target_name, persons, person_count, measure, decided_by, decided_on, reason, refs, doc_no, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![county.as_str(), a.region_code.as_str(), a.kind.as_str(), a.theme.as_str(), a.target_kind.as_str(), a.department_id, a.enterprise_id, a.target_name.as_str(), json(&a.persons)?, a.persons.len() as i64, a.measure.as_str(), a.decided_by.as_str(), a.decided_on, a.reason.as_str(), json(&a.refs)?, a.doc_no.as_str(), now.as_str(), now.as_str()],
    )?;
    let saved = row(&tx.query_one(
        &format!("SELECT {COLS} FROM accountability_records WHERE id = ?"),
        &params![id],
    )?)?;
    crate::audit::append_json(
        tx,
        change,
        "accountability.create",
        "accountability",
        &id.to_string(),
        &saved.region_code,
        None::<&()>,
        Some(&saved),
    )?;
    Ok(saved)
}

impl Store {
    pub fn create_accountability(
        &self,
        change: &Change<'_>,
        a: &AccountabilityInput,
    ) -> Result<Accountability> {
        writable(change, a)?;
        self.write(|tx| insert(tx, change, a))
    }

    /// Writes several records in one transaction (an import).
    pub fn create_accountability_records(
        &self,
        change: &Change<'_>,
        items: &[AccountabilityInput],
    ) -> Result<usize> {
        for a in items {
            writable(change, a)?;
        }
        self.write(|tx| {
            for a in items {
                insert(tx, change, a)?;
            }
            Ok(items.len())
        })
    }

    /// Updates a record if `version` still matches (409 otherwise); old and new must both be
    /// in the writer's scope.
    pub fn update_accountability(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        a: &AccountabilityInput,
    ) -> Result<Accountability> {
        let before = self.get_accountability(change.scope, None, id)?;
        let county = writable(change, a)?;
        if !change.scope.admits_region(&before.region_code) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE accountability_records SET county_code = ?, region_code = ?, kind = ?, theme = ?, target_kind = ?, department_id = ?, enterprise_id = ?, target_name = ?, persons = ?, person_count = ?, measure = ?, decided_by = ?, decided_on = ?, reason = ?, refs = ?, doc_no = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![county.as_str(), a.region_code.as_str(), a.kind.as_str(), a.theme.as_str(), a.target_kind.as_str(), a.department_id, a.enterprise_id, a.target_name.as_str(), json(&a.persons)?, a.persons.len() as i64, a.measure.as_str(), a.decided_by.as_str(), a.decided_on, a.reason.as_str(), json(&a.refs)?, a.doc_no.as_str(), now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM accountability_records WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "accountability.update", "accountability", &id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Deletes a record entered by mistake (the audit entry keeps it).
    pub fn delete_accountability(&self, change: &Change<'_>, id: i64, version: i64) -> Result<()> {
        change.require_writable()?;
        let before = self.get_accountability(change.scope, None, id)?;
        if !change.scope.admits_region(&before.region_code) || change.scope.enterprise_ids.is_some()
        {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            let n = tx.execute(
                "DELETE FROM accountability_records WHERE id = ? AND version = ?",
                &params![id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            crate::audit::append_json(
                tx,
                change,
                "accountability.delete",
                "accountability",
                &id.to_string(),
                &before.region_code,
                Some(&before),
                None::<&()>,
            )
        })
    }

    /// A record in the scope (for a sector-bound scope: about `own_department`).
    pub fn get_accountability(
        &self,
        scope: &Scope,
        own_department: Option<i64>,
        id: i64,
    ) -> Result<Accountability> {
        let mut p = Vec::new();
        let cond = visible(scope, own_department, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM accountability_records WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    /// One page of the records in scope, newest first.
    pub fn list_accountability(
        &self,
        scope: &Scope,
        own_department: Option<i64>,
        f: &AccountabilityFilter,
        k: &Keyset,
    ) -> Result<Page<Accountability>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, own_department, &mut p);
        if let Some(d) = f.from {
            cond.push_str(" AND decided_on >= ?");
            p.push(d.into());
        }
        if let Some(d) = f.to {
            cond.push_str(" AND decided_on <= ?");
            p.push(d.into());
        }
        if let Some(k) = f.kind {
            cond.push_str(" AND kind = ?");
            p.push(k.as_str().into());
        }
        if let Some(t) = f.theme {
            cond.push_str(" AND theme = ?");
            p.push(t.as_str().into());
        }
        if let Some(t) = f.target_kind {
            cond.push_str(" AND target_kind = ?");
            p.push(t.as_str().into());
        }
        if let Some(r) = &f.region_prefix {
            cond.push_str(&format!(
                " AND {}",
                scope_sql::region_subtree("region_code", r, &mut p)
            ));
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "accountability_records",
                "id",
                &cond,
                p,
                k,
                row,
                |a| a.id,
            )
        })
    }
}
