//! Enterprises (生产经营单位): the registry, scoped by region, sector and own record.

use crate::db::{Tx, Value};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::enterprise::{Licence, NewEnterprise};
use serde::Serialize;

mod children;
mod list;
mod update;
mod write;
use children::{load_children, write_children};
pub use list::EnterpriseFilter;
pub use update::EnterpriseUpdate;
use write::{WRITE_COLS, check_admitted, closed_on_after, values};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
    /// Coordinates in micro-degrees (WGS-84), both or neither.
    pub lng_micro: Option<i64>,
    pub lat_micro: Option<i64>,
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
        lng_micro: opt_i64 = "e.lng_micro",
        lat_micro: opt_i64 = "e.lat_micro",
        version: i64 = "e.version",
        created_at: text = "e.created_at",
        updated_at: text = "e.updated_at",
    }
    rest { sectors: Vec::new(), department_ids: Vec::new(), licences: Vec::new() }
}
const FROM: &str = "enterprises e LEFT JOIN regions r ON r.code = e.region_code";

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

impl Store {
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
