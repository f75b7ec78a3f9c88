//! 行刑衔接 transfers.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::transfer::{PoliceLimit, TransferState};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
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
    /// The (two or more) verifying officers, as a JSON array.
    pub officers: String,
    /// Natural persons suspected and transferred ("移送司法机关处理N人"); 0 for a unit only.
    pub persons: i64,
    pub status: TransferState,
    pub report_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    /// Local time of the decision, `YYYY-MM-DD HH:MM` (limits in hours count from it).
    pub decided_at: Option<String>,
    /// Who approved or refused the transfer, and in what capacity (`principal`: 正职负责人,
    /// `presiding`: 主持工作的负责人).
    pub decided_by: String,
    pub decided_as: String,
    pub reject_reason: String,
    pub transferred_on: Option<NaiveDate>,
    /// Local time the case went to the police, `YYYY-MM-DD HH:MM`.
    pub transferred_at: Option<String>,
    pub police_unit: String,
    /// The procuratorate the 移送书 was copied to, and when.
    pub copied_to: String,
    pub copied_on: Option<NaiveDate>,
    /// The day the police accepted the case (their receipt).
    pub accepted_on: Option<NaiveDate>,
    pub police_limit: PoliceLimit,
    pub police_limit_reason: String,
    pub police_decided_on: Option<NaiveDate>,
    pub notified_on: Option<NaiveDate>,
    pub outcome: String,
    /// After 不予立案: the reconsideration request and the police's answer (the day its notice
    /// was received).
    pub reconsider_on: Option<NaiveDate>,
    pub reconsider_decided_on: Option<NaiveDate>,
    /// The procuratorate asked to supervise (立案监督), and when its outcome was known.
    pub supervision_on: Option<NaiveDate>,
    pub procuratorate: String,
    pub supervision_decided_on: Option<NaiveDate>,
    pub created_at: String,
    pub version: i64,
}

crate::table_row! {
    table "transfers", key id;
    fn row -> Transfer {
        id: i64,
        county_code: text,
        region_code: text,
        sector: text,
        enterprise_id: opt_i64,
        case_id: opt_i64,
        subject: text,
        crime_type: text,
        facts: text,
        officers: text,
        persons: i64,
        status: code(TransferState::parse),
        report_on: date,
        decided_on: opt_date,
        decided_at: opt_text,
        decided_by: text,
        decided_as: text,
        reject_reason: text,
        transferred_on: opt_date,
        transferred_at: opt_text,
        police_unit: text,
        copied_to: text,
        copied_on: opt_date,
        accepted_on: opt_date,
        police_limit: code(PoliceLimit::parse),
        police_limit_reason: text,
        police_decided_on: opt_date,
        notified_on: opt_date,
        outcome: text,
        reconsider_on: opt_date,
        reconsider_decided_on: opt_date,
        supervision_on: opt_date,
        procuratorate: text,
        supervision_decided_on: opt_date,
        created_at: text,
        version: i64,
    }
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
                "INSERT INTO transfers (county_code, region_code, sector, enterprise_id, case_id, subject, crime_type, facts, officers, persons, status, report_on, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?) RETURNING id",
                &params![county.as_str(), t.region_code.as_str(), t.sector.as_str(), t.enterprise_id, t.case_id, t.subject.as_str(), t.crime_type.as_str(), t.facts.as_str(), t.officers.as_str(), t.persons, t.report_on, now.as_str()],
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
                "UPDATE transfers SET status = ?, decided_on = ?, decided_at = ?, decided_by = ?, decided_as = ?, reject_reason = ?, transferred_on = ?, transferred_at = ?, police_unit = ?, \
                 copied_to = ?, copied_on = ?, accepted_on = ?, police_limit = ?, police_limit_reason = ?, police_decided_on = ?, notified_on = ?, outcome = ?, \
                 reconsider_on = ?, reconsider_decided_on = ?, supervision_on = ?, procuratorate = ?, supervision_decided_on = ?, version = version + 1 \
                 WHERE id = ? AND version = ?",
                &params![t.status.as_str(), t.decided_on, t.decided_at.as_deref(), t.decided_by.as_str(), t.decided_as.as_str(), t.reject_reason.as_str(), t.transferred_on, t.transferred_at.as_deref(), t.police_unit.as_str(),
                    t.copied_to.as_str(), t.copied_on, t.accepted_on, t.police_limit.as_str(), t.police_limit_reason.as_str(), t.police_decided_on, t.notified_on, t.outcome.as_str(),
                    t.reconsider_on, t.reconsider_decided_on, t.supervision_on, t.procuratorate.as_str(), t.supervision_decided_on, t.id, t.version],
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
