//! Reports from the public (举报) and their rewards.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::report::ReportState;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, utoipa::ToSchema)]
pub struct Report {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub sector: String,
    pub enterprise_id: Option<i64>,
    pub channel: String,
    pub received_on: NaiveDate,
    pub anonymous: bool,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub is_employee: bool,
    pub category: String,
    pub content: String,
    pub status: anjian_domain::report::ReportState,
    pub department_id: Option<i64>,
    pub verified_on: Option<NaiveDate>,
    pub verify_note: String,
    pub hazard_id: Option<i64>,
    pub case_id: Option<i64>,
    pub accident_level: Option<i64>,
    pub concealed_deaths: Option<i64>,
    /// The concealed accident reported (`enterprise id|day` or `region code|day`), set when
    /// verified: reports with one key are one matter.
    pub accident_key: String,
    pub reward_fen: Option<i64>,
    pub reward_formula: String,
    pub approved_by: String,
    pub approved_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub created_at: String,
    pub version: i64,
}

crate::table_row! {
    table "reports", key id;
    fn row -> Report {
        id: i64,
        county_code: text,
        region_code: text,
        sector: text,
        enterprise_id: opt_i64,
        channel: text,
        received_on: date,
        anonymous: bool,
        reporter_name: text,
        reporter_phone: text,
        is_employee: bool,
        category: text,
        content: text,
        status: code(ReportState::parse),
        department_id: opt_i64,
        verified_on: opt_date,
        verify_note: text,
        hazard_id: opt_i64,
        case_id: opt_i64,
        accident_level: opt_i64,
        concealed_deaths: opt_i64,
        accident_key: text,
        reward_fen: opt_i64,
        reward_formula: text,
        approved_by: text,
        approved_on: opt_date,
        paid_on: opt_date,
        created_at: text,
        version: i64,
    }
}

fn scope_pred(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    // Reports name their reporter: enterprise-bound scopes never see them.
    let base = scope_sql::regulator(scope, "region_code", p);
    match &scope.sectors {
        Some(s) => format!("{base} AND {}", scope_sql::in_list("sector", s, p)),
        None => base,
    }
}

impl Store {
    pub fn create_report(&self, change: &Change<'_>, r: &Report) -> Result<Report> {
        change.require_writable()?;
        if change.scope.enterprise_ids.is_some()
            || !change
                .scope
                .admits(&r.region_code, &[r.sector.as_str()], None)
        {
            return Err(StoreError::Forbidden);
        }
        let county = crate::county_of(&r.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO reports (county_code, region_code, sector, enterprise_id, channel, received_on, anonymous, reporter_name, reporter_phone, is_employee, category, content, status, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?) RETURNING id",
                &params![county.as_str(), r.region_code.as_str(), r.sector.as_str(), r.enterprise_id, r.channel.as_str(), r.received_on, r.anonymous, r.reporter_name.as_str(), r.reporter_phone.as_str(), r.is_employee, r.category.as_str(), r.content.as_str(), now.as_str()],
            )?;
            let saved = row(&tx.query_one(&format!("SELECT {COLS} FROM reports WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "report.receive", "report", &id.to_string(), &saved.region_code, None::<&()>, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn get_report(&self, scope: &Scope, id: i64) -> Result<Report> {
        let mut p = Vec::new();
        let cond = scope_pred(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM reports WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    /// One page of the reports in scope, newest first.
    pub fn list_reports(
        &self,
        scope: &Scope,
        k: &crate::paging::Keyset,
    ) -> Result<crate::paging::Page<Report>> {
        let mut p = Vec::new();
        let cond = scope_pred(scope, &mut p);
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "reports",
                "id",
                &cond,
                p,
                k,
                row,
                |r| r.id,
            )
        })
    }

    /// The first report on the same matter received before `r` (by received day, then by
    /// registration order) that stands in its way: one verified on the same hazard or case
    /// (the reward goes to the first valid reporter), or one still open (received, assigned)
    /// on the same hazard or case, or on the same enterprise in the same category, whose
    /// outcome decides who is first. Unfounded reports never count.
    pub fn earlier_report_on_matter(&self, r: &Report) -> Result<Option<(i64, ReportState)>> {
        self.db().read(|tx| {
            tx.query_opt(
                "SELECT id, status FROM reports WHERE id <> ? AND status <> ? \
                 AND (received_on < ? OR (received_on = ? AND id < ?)) \
                 AND ((hazard_id IS NOT NULL AND hazard_id = ?) OR (case_id IS NOT NULL AND case_id = ?) \
                      OR (status IN (?, ?) AND enterprise_id IS NOT NULL AND enterprise_id = ? AND category = ?) \
                      OR (accident_key <> '' AND accident_key = ?)) \
                 ORDER BY received_on, id LIMIT 1",
                &params![
                    r.id,
                    ReportState::Unfounded.as_str(),
                    r.received_on,
                    r.received_on,
                    r.id,
                    r.hazard_id,
                    r.case_id,
                    ReportState::Received.as_str(),
                    ReportState::Assigned.as_str(),
                    r.enterprise_id,
                    r.category.as_str(),
                    r.accident_key.as_str()
                ],
            )?
            .map(|row| {
                let id = row.i64(0)?;
                let status = crate::db::parsed("reports", id, "status", row.text(1)?, ReportState::parse)?;
                Ok((id, status))
            })
            .transpose()
        })
    }

    /// Writes a report's progress fields, refusing a stale version.
    pub fn update_report(&self, change: &Change<'_>, r: &Report, action: &str) -> Result<Report> {
        change.require_writable()?;
        let before = self.get_report(change.scope, r.id)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE reports SET status = ?, department_id = ?, verified_on = ?, verify_note = ?, hazard_id = ?, case_id = ?, accident_level = ?, concealed_deaths = ?, accident_key = ?, \
                 reward_fen = ?, reward_formula = ?, approved_by = ?, approved_on = ?, paid_on = ?, version = version + 1 WHERE id = ? AND version = ?",
                &params![r.status.as_str(), r.department_id, r.verified_on, r.verify_note.as_str(), r.hazard_id, r.case_id, r.accident_level, r.concealed_deaths, r.accident_key.as_str(),
                         r.reward_fen, r.reward_formula.as_str(), r.approved_by.as_str(), r.approved_on, r.paid_on, r.id, r.version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("stale version".into()));
            }
            // A report belongs to the campaign of the case or hazard it led to.
            tx.execute(
                "UPDATE reports SET campaign = COALESCE((SELECT c.campaign FROM cases c WHERE c.id = reports.case_id), (SELECT h.campaign FROM hazards h WHERE h.id = reports.hazard_id)) WHERE id = ?",
                &params![r.id],
            )?;
            let after = row(&tx.query_one(&format!("SELECT {COLS} FROM reports WHERE id = ?"), &params![r.id])?)?;
            crate::audit::append_json(tx, change, &format!("report.{action}"), "report", &r.id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }
}
