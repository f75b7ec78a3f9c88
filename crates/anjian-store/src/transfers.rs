//! 行刑衔接 transfers.

use crate::db::Row;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Transfer {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub sector: String,
    pub enterprise_id: Option<i64>,
    pub case_id: Option<i64>,
    pub subject: String,
    pub crime_type: String,
    pub facts: String,
    /// JSON array of the (two or more) verifying officers.
    pub officers: String,
    pub status: anjian_domain::transfer::TransferState,
    pub report_on: String,
    pub decided_on: Option<String>,
    /// Local time of the decision, `YYYY-MM-DD HH:MM` (limits in hours count from it).
    pub decided_at: Option<String>,
    /// Who approved or refused the transfer, and in what capacity (`principal`: 正职负责人,
    /// `presiding`: 主持工作的负责人).
    pub decided_by: String,
    pub decided_as: String,
    pub reject_reason: String,
    pub transferred_on: Option<String>,
    /// Local time the case went to the police, `YYYY-MM-DD HH:MM`.
    pub transferred_at: Option<String>,
    pub police_unit: String,
    pub police_decided_on: Option<String>,
    pub notified_on: Option<String>,
    pub outcome: String,
    pub created_at: String,
    pub version: i64,
}

/// The row: each column's name and its SELECT expression (read by name in `row`).
const COLUMNS: [(&str, &str); 25] = [
    ("id", "id"),
    ("county_code", "county_code"),
    ("region_code", "region_code"),
    ("sector", "sector"),
    ("enterprise_id", "enterprise_id"),
    ("case_id", "case_id"),
    ("subject", "subject"),
    ("crime_type", "crime_type"),
    ("facts", "facts"),
    ("officers", "officers"),
    ("status", "status"),
    ("report_on", "report_on"),
    ("decided_on", "decided_on"),
    ("decided_at", "decided_at"),
    ("decided_by", "decided_by"),
    ("decided_as", "decided_as"),
    ("reject_reason", "reject_reason"),
    ("transferred_on", "transferred_on"),
    ("transferred_at", "transferred_at"),
    ("police_unit", "police_unit"),
    ("police_decided_on", "police_decided_on"),
    ("notified_on", "notified_on"),
    ("outcome", "outcome"),
    ("created_at", "created_at"),
    ("version", "version"),
];
/// The SELECT list of [`COLUMNS`].
const COLS: crate::db::SelectList = crate::db::SelectList(&COLUMNS);

fn row(r: &Row) -> Result<Transfer> {
    macro_rules! c {
        ($name:literal) => {
            $crate::column!(COLUMNS, $name)
        };
    }
    let mut r = crate::db::Named::new(r.clone(), "transfers", c!("id"))?;
    Ok(Transfer {
        id: r.i64(c!("id"))?,
        county_code: r.text(c!("county_code"))?,
        region_code: r.text(c!("region_code"))?,
        sector: r.text(c!("sector"))?,
        enterprise_id: r.opt_i64(c!("enterprise_id"))?,
        case_id: r.opt_i64(c!("case_id"))?,
        subject: r.text(c!("subject"))?,
        crime_type: r.text(c!("crime_type"))?,
        facts: r.text(c!("facts"))?,
        officers: r.text(c!("officers"))?,
        status: r.code(c!("status"), anjian_domain::transfer::TransferState::parse)?,
        report_on: r.text(c!("report_on"))?,
        decided_on: r.opt_text(c!("decided_on"))?,
        decided_at: r.opt_text(c!("decided_at"))?,
        decided_by: r.text(c!("decided_by"))?,
        decided_as: r.text(c!("decided_as"))?,
        reject_reason: r.text(c!("reject_reason"))?,
        transferred_on: r.opt_text(c!("transferred_on"))?,
        transferred_at: r.opt_text(c!("transferred_at"))?,
        police_unit: r.text(c!("police_unit"))?,
        police_decided_on: r.opt_text(c!("police_decided_on"))?,
        notified_on: r.opt_text(c!("notified_on"))?,
        outcome: r.text(c!("outcome"))?,
        created_at: r.text(c!("created_at"))?,
        version: r.i64(c!("version"))?,
    })
}

fn scope_pred(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::record(scope, "transfers", p)
}

impl Store {
    pub fn create_transfer(&self, change: &Change<'_>, t: &Transfer) -> Result<Transfer> {
        change.require_writable()?;
        if !change
            .scope
            .admits(&t.region_code, &[t.sector.as_str()], t.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&t.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO transfers (county_code, region_code, sector, enterprise_id, case_id, subject, crime_type, facts, officers, status, report_on, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?) RETURNING id",
                &params![county.as_str(), t.region_code.as_str(), t.sector.as_str(), t.enterprise_id, t.case_id, t.subject.as_str(), t.crime_type.as_str(), t.facts.as_str(), t.officers.as_str(), t.report_on.as_str(), now.as_str()],
            )?;
            // A transfer belongs to its case's campaign.
            tx.execute(
                "UPDATE transfers SET campaign = (SELECT c.campaign FROM cases c WHERE c.id = transfers.case_id) WHERE id = ?",
                &params![id],
            )?;
            let saved = row(&tx.query_one(&format!("SELECT {COLS} FROM transfers WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "transfer.report", "transfer", &id.to_string(), &saved.region_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn get_transfer(&self, scope: &Scope, id: i64) -> Result<Transfer> {
        let mut p = Vec::new();
        let cond = scope_pred(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM transfers WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    /// One page of the transfers in scope, newest first.
    pub fn list_transfers(
        &self,
        scope: &Scope,
        k: &crate::paging::Keyset,
    ) -> Result<crate::paging::Page<Transfer>> {
        let mut p = Vec::new();
        let cond = scope_pred(scope, &mut p);
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "transfers",
                "id",
                &cond,
                p,
                k,
                row,
                |t| t.id,
            )
        })
    }

    /// Writes a transfer's progress fields, refusing a stale version.
    pub fn update_transfer(
        &self,
        change: &Change<'_>,
        t: &Transfer,
        action: &str,
    ) -> Result<Transfer> {
        change.require_writable()?;
        let before = self.get_transfer(change.scope, t.id)?;
        if !change.scope.admits(
            &before.region_code,
            &[before.sector.as_str()],
            before.enterprise_id,
        ) {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE transfers SET status = ?, decided_on = ?, decided_at = ?, decided_by = ?, decided_as = ?, reject_reason = ?, transferred_on = ?, transferred_at = ?, police_unit = ?, police_decided_on = ?, notified_on = ?, outcome = ?, version = version + 1 \
                 WHERE id = ? AND version = ?",
                &params![t.status.as_str(), t.decided_on.as_deref(), t.decided_at.as_deref(), t.decided_by.as_str(), t.decided_as.as_str(), t.reject_reason.as_str(), t.transferred_on.as_deref(), t.transferred_at.as_deref(), t.police_unit.as_str(), t.police_decided_on.as_deref(), t.notified_on.as_deref(), t.outcome.as_str(), t.id, t.version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("stale version".into()));
            }
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM transfers WHERE id = ?"), &params![t.id])?)?;
            crate::audit::append_json(tx, change, &format!("transfer.{action}"), "transfer", &t.id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }
}
