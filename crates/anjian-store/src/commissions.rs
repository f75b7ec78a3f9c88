//! 委托执法 agreements and the cases opened under them.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct Commission {
    pub id: i64,
    pub county_code: String,
    /// The commissioned township.
    pub region_code: String,
    pub agency: String,
    pub agreement_no: String,
    /// JSON array of `{code, name, legal_basis, max_fine_yuan}`.
    pub items: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub created_at: String,
}

crate::table_row! {
    table "commissions", key id;
    fn row -> Commission {
        id: i64,
        county_code: text,
        region_code: text,
        agency: text,
        agreement_no: text,
        items: text,
        valid_from: date,
        valid_to: date,
        created_at: text,
    }
}

fn visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::regulator(scope, "region_code", p)
}

impl Store {
    pub fn create_commission(&self, change: &Change<'_>, c: &Commission) -> Result<Commission> {
        change.require_writable()?;
        if !change.scope.admits_region(&c.region_code) || change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&c.region_code)?;
        // The statistics count delegated items; the list itself stays the agreement's JSON.
        let item_count = serde_json::from_str::<Vec<serde_json::Value>>(&c.items)
            .map_err(|e| StoreError::Invalid(format!("commission items: {e}")))?
            .len() as i64;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO commissions (county_code, region_code, agency, agreement_no, items, item_count, valid_from, valid_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), c.region_code.as_str(), c.agency.as_str(), c.agreement_no.as_str(), c.items.as_str(), item_count, c.valid_from, c.valid_to, now.as_str()],
            )?;
            let saved = row(&tx.query_one(&format!("SELECT {COLS} FROM commissions WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "commission.create", "commission", &id.to_string(), &saved.region_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn get_commission(&self, scope: &Scope, id: i64) -> Result<Commission> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM commissions WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    /// One page of the commissions in scope, newest first.
    pub fn list_commissions(
        &self,
        scope: &Scope,
        k: &crate::paging::Keyset,
    ) -> Result<crate::paging::Page<Commission>> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "commissions",
                "id",
                &cond,
                p,
                k,
                row,
                |c| c.id,
            )
        })
    }

    /// The agency and item a case was opened under, if commissioned.
    pub fn case_commission(&self, case_id: i64) -> Result<Option<(i64, String, String)>> {
        self.db().read(|tx| {
            tx.query_opt(
                "SELECT commission_id, item_code, agency FROM commissioned_cases WHERE case_id = ?",
                &params![case_id],
            )?
            .map(|r| Ok((r.i64(0)?, r.text(1)?, r.text(2)?)))
            .transpose()
        })
    }

    /// Commissioned cases per agency and item, for cases in scope.
    pub fn commission_counts(&self, scope: &Scope) -> Result<Vec<(String, String, i64)>> {
        let mut p = Vec::new();
        let cond = scope_sql::regions(scope, "c.region_code", &mut p);
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT k.agency, k.item_code, COUNT(*) FROM commissioned_cases k JOIN cases c ON c.id = k.case_id WHERE {cond} GROUP BY k.agency, k.item_code ORDER BY k.agency, k.item_code"),
                &p,
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?, r.i64(2)?)))
            .collect()
        })
    }
}
