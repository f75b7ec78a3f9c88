//! Reports from the public (举报) and their rewards.

use crate::db::Row;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::report::ReportState;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
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

/// The row: each column's name and its SELECT expression (read by name in `row`).
const COLUMNS: [(&str, &str); 29] = [
    ("id", "id"),
    ("county_code", "county_code"),
    ("region_code", "region_code"),
    ("sector", "sector"),
    ("enterprise_id", "enterprise_id"),
    ("channel", "channel"),
    ("received_on", "received_on"),
    ("anonymous", "anonymous"),
    ("reporter_name", "reporter_name"),
    ("reporter_phone", "reporter_phone"),
    ("is_employee", "is_employee"),
    ("category", "category"),
    ("content", "content"),
    ("status", "status"),
    ("department_id", "department_id"),
    ("verified_on", "verified_on"),
    ("verify_note", "verify_note"),
    ("hazard_id", "hazard_id"),
    ("case_id", "case_id"),
    ("accident_level", "accident_level"),
    ("concealed_deaths", "concealed_deaths"),
    ("accident_key", "accident_key"),
    ("reward_fen", "reward_fen"),
    ("reward_formula", "reward_formula"),
    ("approved_by", "approved_by"),
    ("approved_on", "approved_on"),
    ("paid_on", "paid_on"),
    ("created_at", "created_at"),
    ("version", "version"),
];
/// The SELECT list of [`COLUMNS`].
const COLS: crate::db::SelectList = crate::db::SelectList(&COLUMNS);

fn row(r: &Row) -> Result<Report> {
    macro_rules! c {
        ($name:literal) => {
            $crate::column!(COLUMNS, $name)
        };
    }
    let mut r = crate::db::Named::new(r.clone(), "reports", c!("id"))?;
    Ok(Report {
        id: r.i64(c!("id"))?,
        county_code: r.text(c!("county_code"))?,
        region_code: r.text(c!("region_code"))?,
        sector: r.text(c!("sector"))?,
        enterprise_id: r.opt_i64(c!("enterprise_id"))?,
        channel: r.text(c!("channel"))?,
        received_on: r.date(c!("received_on"))?,
        anonymous: r.bool(c!("anonymous"))?,
        reporter_name: r.text(c!("reporter_name"))?,
        reporter_phone: r.text(c!("reporter_phone"))?,
        is_employee: r.bool(c!("is_employee"))?,
        category: r.text(c!("category"))?,
        content: r.text(c!("content"))?,
        status: r.code(c!("status"), anjian_domain::report::ReportState::parse)?,
        department_id: r.opt_i64(c!("department_id"))?,
        verified_on: r.opt_date(c!("verified_on"))?,
        verify_note: r.text(c!("verify_note"))?,
        hazard_id: r.opt_i64(c!("hazard_id"))?,
        case_id: r.opt_i64(c!("case_id"))?,
        accident_level: r.opt_i64(c!("accident_level"))?,
        concealed_deaths: r.opt_i64(c!("concealed_deaths"))?,
        accident_key: r.text(c!("accident_key"))?,
        reward_fen: r.opt_i64(c!("reward_fen"))?,
        reward_formula: r.text(c!("reward_formula"))?,
        approved_by: r.text(c!("approved_by"))?,
        approved_on: r.opt_date(c!("approved_on"))?,
        paid_on: r.opt_date(c!("paid_on"))?,
        created_at: r.text(c!("created_at"))?,
        version: r.i64(c!("version"))?,
    })
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
