//! Reporting on a ledger by its cadence (报送): each responsible unit (a township, or a
//! department of the campaign's sector) reports every period that it has entered its rows or
//! that nothing changed; what is not reported by the period's end plus the definition's
//! `due_days` is overdue on the unit's to-do list, and the 安委办 sees who has not reported.

use super::CampaignView;
use crate::{App, AppError, Caller, Result};
use anjian_domain::campaign::{Cadence, ObjectType, ReportPeriod};
use anjian_domain::scope::{Permission, Role};
use anjian_domain::{RegionCode, ValidationErrors};
use anjian_store::campaigns::{CampaignReport, CampaignReportInput};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

/// How many ended periods a unit's reminders look back.
const LOOK_BACK: usize = 8;

/// A period a unit still owes a report for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CampaignReportTodo {
    pub campaign: String,
    pub campaign_name: String,
    pub object_type: String,
    pub object_name: String,
    pub period_start: NaiveDate,
    pub period_label: String,
    pub due: NaiveDate,
    pub overdue: bool,
}

/// One unit's standing for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnitReport {
    pub unit_key: String,
    pub unit_name: String,
    /// 已报送, 无变化 or 未报送.
    pub status: String,
    pub submitted_at: Option<String>,
}

/// Who has reported for one period of a ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportStatus {
    pub period_start: NaiveDate,
    pub period_label: String,
    pub due: NaiveDate,
    pub units: Vec<UnitReport>,
}

/// The days a campaign's reports are owed over: its dates, or the year of `today`.
fn window(view: &CampaignView, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let d = &view.definition;
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let year_end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
    let start = d.starts_on.unwrap_or(year_start);
    (start, d.ends_on.unwrap_or(year_end.max(start)))
}

fn due_of(ot: &ObjectType, p: &ReportPeriod) -> NaiveDate {
    p.end + Duration::days(i64::from(ot.due_days))
}

impl App {
    /// The unit the caller reports for on this object type: its township or its department,
    /// when the object type names the caller's role among those that fill it.
    fn report_unit(&self, caller: &Caller, ot: &ObjectType) -> Option<String> {
        if !ot.fill.contains(&caller.role) || !caller.scope.writable {
            return None;
        }
        match caller.role {
            Role::Township => RegionCode::parse(&caller.user.region_code)
                .ok()
                .map(|r| r.as_str().to_string()),
            Role::Department => caller.user.department_id.map(|d| format!("department:{d}")),
            _ => None,
        }
    }

    /// The units that owe reports on an object type, with their names: the county's
    /// townships, and the departments of the campaign's sector (every department with a
    /// supervision duty when it names none), as its `fill` says.
    fn report_units(&self, view: &CampaignView, ot: &ObjectType) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let county = &view.record.county_code;
        let scope = anjian_domain::Scope::system();
        if ot.fill.contains(&Role::Township) {
            for r in self
                .store
                .list_regions(&scope, Some(county), Some("township"))?
            {
                if r.level == "township" {
                    out.push((r.code, r.name));
                }
            }
        }
        if ot.fill.contains(&Role::Department) {
            for d in self.store.list_departments(&scope, self.clock.today())? {
                let serves = match &view.definition.sector {
                    Some(s) => d.sectors.iter().any(|a| &a.sector_code == s),
                    None => d.has_supervision_duty,
                };
                if serves && d.region_code.get(..6) == county.get(..6) {
                    out.push((format!("department:{}", d.id), d.name));
                }
            }
        }
        Ok(out)
    }

    /// The periods the caller's unit has not reported, over every loaded campaign.
    pub fn campaign_report_todos(&self, caller: &Caller) -> Result<Vec<CampaignReportTodo>> {
        let today = self.clock.today();
        let mut out = Vec::new();
        for view in self.campaigns_loaded(caller)? {
            let w = window(&view, today);
            for ot in &view.definition.objects {
                let Some(unit) = self.report_unit(caller, ot) else {
                    continue;
                };
                let periods = ot.cadence.ended_periods(w, today, LOOK_BACK);
                let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
                    continue;
                };
                let done = self.store.campaign_reports(
                    &caller.scope,
                    &view.definition.code,
                    &ot.key,
                    first.start,
                    last.start,
                )?;
                for p in periods {
                    if done
                        .iter()
                        .any(|r| r.unit_key == unit && r.period_start == p.start)
                    {
                        continue;
                    }
                    let due = due_of(ot, &p);
                    out.push(CampaignReportTodo {
                        campaign: view.definition.code.clone(),
                        campaign_name: view.definition.name.clone(),
                        object_type: ot.key.clone(),
                        object_name: ot.name.clone(),
                        period_start: p.start,
                        period_label: p.label(ot.cadence),
                        due,
                        overdue: due < today,
                    });
                }
            }
        }
        out.sort_by_key(|t| t.due);
        Ok(out)
    }

    /// The caller's unit reports a period of a ledger: its rows are in, or nothing changed.
    pub fn submit_campaign_report(
        &self,
        caller: &Caller,
        campaign: &str,
        object: &str,
        period_start: &str,
        no_change: bool,
        note: &str,
    ) -> Result<CampaignReport> {
        let view = self.campaign(caller, campaign, None)?;
        let ot = view.definition.object(object).ok_or(AppError::NotFound)?;
        if matches!(ot.cadence, Cadence::None) {
            return Err(AppError::BadRequest(format!(
                "“{}”台账不需要定期报送",
                ot.name
            )));
        }
        let unit = self
            .report_unit(caller, ot)
            .ok_or_else(|| AppError::Forbidden(format!("“{}”台账由乡镇（部门）报送", ot.name)))?;
        let today = self.clock.today();
        let day = anjian_domain::validation::parse_date(period_start)
            .map_err(|m| ValidationErrors::single("period_start", m))?;
        let w = window(&view, today);
        let p = ot
            .cadence
            .period_of(day, w)
            .filter(|p| p.start == day && p.start <= w.1 && p.end >= w.0)
            .ok_or_else(|| {
                ValidationErrors::single("period_start", "不是该台账的报送周期的第一天")
            })?;
        if p.start > today {
            return Err(ValidationErrors::single("period_start", "报送周期尚未开始").into());
        }
        let note: String = note.trim().chars().take(500).collect();
        self.store
            .submit_campaign_report(
                &caller.change(&caller.scope, self),
                &CampaignReportInput {
                    county_code: view.record.county_code.clone(),
                    campaign: view.definition.code.clone(),
                    object_type: ot.key.clone(),
                    unit_key: unit,
                    period_start: p.start,
                    period_end: p.end,
                    no_change,
                    note,
                },
            )
            .map_err(|e| match e {
                anjian_store::StoreError::Conflict(_) => {
                    AppError::Conflict(format!("{}已经报送过", p.label(ot.cadence)))
                }
                other => other.into(),
            })
    }

    /// Who has reported for a period of a ledger (the latest ended one when `period_start`
    /// is None); for the 安委办 and leaders, who see every unit.
    pub fn campaign_report_status(
        &self,
        caller: &Caller,
        campaign: &str,
        object: &str,
        period_start: Option<NaiveDate>,
    ) -> Result<Option<ReportStatus>> {
        if !caller.can(Permission::ViewOrganisation) || caller.scope.enterprise_ids.is_some() {
            return Err(AppError::Forbidden("报送情况由安委办查看".into()));
        }
        let view = self.campaign(caller, campaign, None)?;
        let ot = view.definition.object(object).ok_or(AppError::NotFound)?;
        let today = self.clock.today();
        let w = window(&view, today);
        let p = match period_start {
            Some(d) => ot.cadence.period_of(d, w),
            None => ot.cadence.ended_periods(w, today, 1).pop(),
        };
        let Some(p) = p else {
            return Ok(None);
        };
        let done = self.store.campaign_reports(
            &caller.scope,
            &view.definition.code,
            &ot.key,
            p.start,
            p.start,
        )?;
        let units = self
            .report_units(&view, ot)?
            .into_iter()
            .map(|(key, name)| {
                let r = done.iter().find(|r| r.unit_key == key);
                UnitReport {
                    status: match r {
                        Some(r) if r.no_change => "无变化",
                        Some(_) => "已报送",
                        None => "未报送",
                    }
                    .into(),
                    submitted_at: r.map(|r| r.submitted_at.clone()),
                    unit_key: key,
                    unit_name: name,
                }
            })
            .collect();
        Ok(Some(ReportStatus {
            period_start: p.start,
            period_label: p.label(ot.cadence),
            due: due_of(ot, &p),
            units,
        }))
    }
}
