//! A responsible unit's periodic report on a ledger (the cadence of its object type): that
//! its rows for the period are in, or that nothing changed.

use super::audit;
use crate::{Change, Result, Store, StoreError, params, scope_sql};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

/// A unit's report for one period of a ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = CampaignReport)]
pub struct CampaignReport {
    pub id: i64,
    pub county_code: String,
    pub campaign: String,
    pub object_type: String,
    /// A township's region code, or `department:{id}`.
    pub unit_key: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub no_change: bool,
    pub note: String,
    pub submitted_by: String,
    pub submitted_at: String,
}

crate::table_row! {
    table "campaign_reports", key id, cols REPORT_COLS;
    fn report_row -> CampaignReport {
        id: i64,
        county_code: text,
        campaign: text,
        object_type: text,
        unit_key: text,
        period_start: date,
        period_end: date,
        no_change: bool,
        note: text,
        submitted_by: text,
        submitted_at: text,
    }
}

/// A report to record (the use case has checked the unit is the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignReportInput {
    pub county_code: String,
    pub campaign: String,
    pub object_type: String,
    pub unit_key: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub no_change: bool,
    pub note: String,
}

impl Store {
    /// Records a unit's report for a period; a second report for the same period is refused
    /// (409).
    pub fn submit_campaign_report(
        &self,
        change: &Change<'_>,
        r: &CampaignReportInput,
    ) -> Result<CampaignReport> {
        change.require_writable()?;
        if change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let seen = tx.scalar_i64(
                "SELECT COUNT(*) FROM campaign_reports WHERE county_code = ? AND campaign = ? AND object_type = ? AND unit_key = ? AND period_start = ?",
                &params![r.county_code.as_str(), r.campaign.as_str(), r.object_type.as_str(), r.unit_key.as_str(), r.period_start],
            )?;
            if seen > 0 {
                return Err(StoreError::Conflict("period".into()));
            }
            let id = tx.scalar_i64(
                "INSERT INTO campaign_reports (county_code, campaign, object_type, unit_key, period_start, period_end, no_change, note, submitted_by, submitted_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![r.county_code.as_str(), r.campaign.as_str(), r.object_type.as_str(), r.unit_key.as_str(), r.period_start, r.period_end, r.no_change, r.note.as_str(), change.actor.as_str(), now.as_str()],
            )?;
            let saved = report_row(&tx.query_one(
                &format!("SELECT {REPORT_COLS} FROM campaign_reports WHERE id = ?"),
                &params![id],
            )?)?;
            audit(tx, change, "campaign_report.submit", id, &r.county_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// The reports of a ledger's periods starting in `[from, to]`, in the scope's counties.
    pub fn campaign_reports(
        &self,
        scope: &Scope,
        campaign: &str,
        object_type: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CampaignReport>> {
        let mut s = scope.clone();
        s.enterprise_ids = None;
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(&s, "county_code", &mut p);
        p.extend(params![campaign, object_type, from, to]);
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {REPORT_COLS} FROM campaign_reports WHERE {cond} AND campaign = ? AND object_type = ? AND period_start >= ? AND period_start <= ? ORDER BY period_start, unit_key"
                ),
                &p,
            )?
            .iter()
            .map(report_row)
            .collect()
        })
    }
}
