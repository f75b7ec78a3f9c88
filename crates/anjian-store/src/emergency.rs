//! Emergency resources (应急资源): teams, experts, equipment and supplies, depots and shelters,
//! and their periodic checks.
//!
//! Visibility: a resource is a regulator's own (`scope_sql::regulator` on its place): the
//! county sees all, a township what it keeps, enterprises nothing. Writes need a writable
//! scope that admits the place; a supply's depot must be a depot the scope sees. A check moves
//! `last_checked_on` forward only (an older check entered late is kept in the history without
//! moving it back). Every change is audited in its transaction.

use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::{Change, Result, Store, StoreError, Value, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::emergency::ResourceKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A resource as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = EmergencyResource)]
pub struct Resource {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub department_id: Option<i64>,
    pub department_name: String,
    pub kind: ResourceKind,
    pub name: String,
    pub members: Option<i64>,
    pub speciality: String,
    pub quantity: Option<i64>,
    pub unit: String,
    pub capacity: Option<i64>,
    pub depot_id: Option<i64>,
    pub depot_name: String,
    pub contact: String,
    pub phone: String,
    pub address: String,
    pub lng_micro: Option<i64>,
    pub lat_micro: Option<i64>,
    pub last_checked_on: Option<NaiveDate>,
    pub note: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "emergency_resources", key id, cols RESOURCE_COLS;
    fn resource_row -> Resource {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = emergency_resources.region_code), emergency_resources.region_code)",
        department_id: opt_i64,
        department_name: text = "COALESCE((SELECT d.name FROM departments d WHERE d.id = emergency_resources.department_id), '')",
        kind: code(ResourceKind::parse),
        name: text,
        members: opt_i64,
        speciality: text,
        quantity: opt_i64,
        unit: text,
        capacity: opt_i64,
        depot_id: opt_i64,
        depot_name: text = "COALESCE((SELECT d2.name FROM emergency_resources d2 WHERE d2.id = emergency_resources.depot_id), '')",
        contact: text,
        phone: text,
        address: text,
        lng_micro: opt_i64,
        lat_micro: opt_i64,
        last_checked_on: opt_date,
        note: text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A periodic check of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = EmergencyResourceCheck)]
pub struct ResourceCheck {
    pub id: i64,
    pub resource_id: i64,
    pub checked_on: NaiveDate,
    pub ok: bool,
    pub note: String,
    pub checked_by_name: String,
    pub created_at: String,
}

crate::table_row! {
    table "emergency_resource_checks", key id, cols CHECK_COLS;
    fn check_row -> ResourceCheck {
        id: i64,
        resource_id: i64,
        checked_on: date,
        ok: bool,
        note: text,
        checked_by_name: text = "COALESCE((SELECT u.display_name FROM users u WHERE u.id = emergency_resource_checks.checked_by), '')",
        created_at: text,
    }
}

/// A resource to write (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceInput {
    pub region_code: String,
    pub department_id: Option<i64>,
    pub kind: ResourceKind,
    pub name: String,
    pub members: Option<i64>,
    pub speciality: String,
    pub quantity: Option<i64>,
    pub unit: String,
    pub capacity: Option<i64>,
    pub depot_id: Option<i64>,
    pub contact: String,
    pub phone: String,
    pub address: String,
    pub point: Option<(i64, i64)>,
    pub last_checked_on: Option<NaiveDate>,
    pub note: String,
}

/// Which resources to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceFilter {
    pub kind: Option<ResourceKind>,
    /// A region prefix (a township's nine digits).
    pub region: Option<String>,
}

fn resource_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Resource> {
    let mut p = Vec::new();
    let cond = scope_sql::regulator(scope, "emergency_resources.region_code", &mut p);
    p.push(id.into());
    let r = tx
        .query_opt(
            &format!("SELECT {RESOURCE_COLS} FROM emergency_resources WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    resource_row(&r)
}

fn read_resource(tx: &mut dyn Tx, id: i64) -> Result<Resource> {
    resource_row(&tx.query_one(
        &format!("SELECT {RESOURCE_COLS} FROM emergency_resources WHERE id = ?"),
        &params![id],
    )?)
}

fn insert_resource(tx: &mut dyn Tx, change: &Change<'_>, r: &ResourceInput) -> Result<Resource> {
    change.require_regulator_at(&r.region_code)?;
    tx.query_opt(
        "SELECT 1 FROM regions WHERE code = ?",
        &params![r.region_code.as_str()],
    )?
    .ok_or_else(|| StoreError::Invalid("region_code".into()))?;
    let county = crate::county_of(&r.region_code)?;
    if let Some(d) = r.depot_id {
        let depot =
            resource_in(tx, change.scope, d).map_err(|_| StoreError::Invalid("depot_id".into()))?;
        if depot.kind != ResourceKind::Depot {
            return Err(StoreError::Invalid("depot_id".into()));
        }
    }
    if let Some(d) = r.department_id {
        tx.query_opt("SELECT 1 FROM departments WHERE id = ?", &params![d])?
            .ok_or_else(|| StoreError::Invalid("department_id".into()))?;
    }
    let now = change.ts();
    let (lng, lat) = r.point.map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let id = tx.scalar_i64(
        "INSERT INTO emergency_resources (county_code, region_code, department_id, kind, name, members, speciality, quantity, unit, capacity, depot_id, contact, phone, address, lng_micro, lat_micro, last_checked_on, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![county.as_str(), r.region_code.as_str(), r.department_id, r.kind.as_str(), r.name.as_str(), r.members, r.speciality.as_str(), r.quantity, r.unit.as_str(), r.capacity, r.depot_id, r.contact.as_str(), r.phone.as_str(), r.address.as_str(), lng, lat, r.last_checked_on, r.note.as_str(), now.as_str(), now.as_str()],
    )?;
    let saved = read_resource(tx, id)?;
    audit(
        tx,
        change,
        "emergency_resource.create",
        id,
        &saved.region_code,
        None,
        Some(&saved),
    )?;
    Ok(saved)
}

impl Store {
    pub fn create_emergency_resource(
        &self,
        change: &Change<'_>,
        r: &ResourceInput,
    ) -> Result<Resource> {
        self.write(|tx| insert_resource(tx, change, r))
    }

    /// Writes an import's resources in one transaction: all or none.
    pub fn create_emergency_resources(
        &self,
        change: &Change<'_>,
        list: &[ResourceInput],
    ) -> Result<usize> {
        change.require_writable()?;
        self.write(|tx| {
            for r in list {
                insert_resource(tx, change, r)?;
            }
            Ok(list.len())
        })
    }

    pub fn get_emergency_resource(&self, scope: &Scope, id: i64) -> Result<Resource> {
        self.db().read(|tx| resource_in(tx, scope, id))
    }

    /// The resources of the scope, by place, kind and name.
    pub fn emergency_resources(&self, scope: &Scope, f: &ResourceFilter) -> Result<Vec<Resource>> {
        let mut p: Vec<Value> = Vec::new();
        let mut cond = scope_sql::regulator(scope, "emergency_resources.region_code", &mut p);
        if let Some(k) = f.kind {
            cond.push_str(" AND kind = ?");
            p.push(k.as_str().into());
        }
        if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
            cond.push_str(" AND ");
            cond.push_str(&scope_sql::region_subtree(
                "emergency_resources.region_code",
                r,
                &mut p,
            ));
        }
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {RESOURCE_COLS} FROM emergency_resources WHERE {cond} ORDER BY region_code, kind, name, id"),
                &p,
            )?
            .iter()
            .map(resource_row)
            .collect()
        })
    }

    /// Records a periodic check; `last_checked_on` moves forward only.
    pub fn check_emergency_resource(
        &self,
        change: &Change<'_>,
        id: i64,
        checked_on: NaiveDate,
        ok: bool,
        note: &str,
    ) -> Result<Resource> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = resource_in(tx, change.scope, id)?;
            change.require_regulator_at(&before.region_code)?;
            tx.execute(
                "INSERT INTO emergency_resource_checks (resource_id, region_code, checked_on, ok, note, checked_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                &params![id, before.region_code.as_str(), checked_on, ok, note, change.actor_id, now.as_str()],
            )?;
            if before.last_checked_on.is_none_or(|d| d < checked_on) {
                tx.execute(
                    "UPDATE emergency_resources SET last_checked_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    &params![checked_on, now.as_str(), id],
                )?;
            }
            let after = read_resource(tx, id)?;
            audit(tx, change, "emergency_resource.check", id, &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// A resource's checks, latest first.
    pub fn emergency_resource_checks(&self, scope: &Scope, id: i64) -> Result<Vec<ResourceCheck>> {
        self.db().read(|tx| {
            resource_in(tx, scope, id)?;
            tx.query(
                &format!("SELECT {CHECK_COLS} FROM emergency_resource_checks WHERE resource_id = ? ORDER BY checked_on DESC, id DESC"),
                &params![id],
            )?
            .iter()
            .map(check_row)
            .collect()
        })
    }
}
