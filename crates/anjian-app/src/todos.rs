//! To-do lists and the daily reminder job.

use crate::hazards::HazardView;
use crate::{App, Caller, Result};
use anjian_domain::Scope;
use anjian_domain::hazard::{Action, Status};
use anjian_domain::scope::Permission;
use anjian_store::hazards::HazardFilter;
use anjian_store::notices::{CycleOutcome, NewNotice, Notice};
use serde::Serialize;

pub const DAILY_JOB: &str = "daily_reminders";
/// Days before a deadline that count as "due soon".
pub const DUE_SOON_DAYS: i64 = 3;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Todos {
    /// Hazards waiting for this caller's next step.
    pub awaiting: Vec<HazardView>,
    /// Open hazards due within the next days.
    pub due_soon: Vec<HazardView>,
    /// Open hazards past their deadline (逾期未整改; not those reported done in time, which
    /// wait on their review).
    pub overdue: Vec<HazardView>,
    /// For regulators: hazards reported done whose 复查 is past its limit (复查逾期), oldest
    /// report first.
    pub review_overdue: Vec<HazardView>,
    pub notices: Vec<Notice>,
    /// Penalty-case steps past their legal time limit: (case id, step, due date).
    pub overdue_case_steps: Vec<(i64, String, String)>,
    /// 行刑衔接 steps past their time limit: (transfer id, step, due date).
    pub overdue_transfer_steps: Vec<(i64, String, String)>,
    /// Penalty-case steps due within [`DUE_SOON_DAYS`] days: (case id, step, due date).
    pub due_soon_case_steps: Vec<(i64, String, String)>,
    /// For the agencies that extend and close accident investigations (安委办, departments):
    /// open investigations past their due day or due within the next days, oldest due first.
    pub investigations: Vec<InvestigationTodo>,
    /// For the townships and departments that fill campaign ledgers: the periods they have
    /// not reported yet (报送), earliest due first.
    pub campaign_reports: Vec<crate::campaigns::CampaignReportTodo>,
    /// For the administrator: this year and the next when their holidays are not maintained
    /// (deadlines counted into them would treat every weekday as a working day).
    pub calendar_gaps: Vec<String>,
    /// Certificates (安全生产知识和管理能力考核合格证) of the enterprises in scope expired or
    /// expiring within the window (not less than 60 days), soonest first; renewed ones are
    /// left out.
    pub certificates: Vec<crate::training::certificates::CertificateTodo>,
    /// For the keepers of emergency resources: those whose periodic check (点验、维护保养)
    /// falls due within the window, the longest overdue first.
    pub resource_checks: Vec<crate::emergency::ResourceCheckTodo>,
    /// For those who handle monitoring alarms (regulators, an enterprise its own): alarms not
    /// yet acknowledged, highest level first, those past their limit marked.
    pub alarms: Vec<crate::monitoring::AlarmView>,
}

/// The hazard lists of the to-dos.
pub(crate) struct HazardTodos {
    pub awaiting: Vec<HazardView>,
    pub due_soon: Vec<HazardView>,
    pub overdue: Vec<HazardView>,
}

/// An accident whose investigation report is due (or overdue).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvestigationTodo {
    pub accident_id: i64,
    /// "2022-03-18 临江镇 高处坠落（一般）".
    pub title: String,
    /// The due day (the extended one if extended).
    pub due: chrono::NaiveDate,
    pub overdue: bool,
}

/// Open hazards due within `within_days` (0 to 366) from `today`, at most 100.
fn due_soon_filter(today: chrono::NaiveDate, within_days: i64) -> HazardFilter {
    HazardFilter {
        due_from: Some(today),
        due_to: Some(today + chrono::Duration::days(within_days.clamp(0, 366))),
        limit: 100,
        ..Default::default()
    }
}

/// Open hazards past their deadline, at most 100.
fn overdue_filter() -> HazardFilter {
    HazardFilter {
        overdue: Some(true),
        limit: 100,
        ..Default::default()
    }
}

fn main_step(a: &&'static str) -> bool {
    !matches!(Action::parse(a), Some(Action::Note | Action::Extend) | None)
}

impl App {
    /// The hazards waiting for the caller's next step (a main step of the loop, not a note
    /// or an extension), newest first, at most 100.
    fn awaiting_hazards(&self, caller: &Caller) -> Result<Vec<HazardView>> {
        let statuses: Vec<String> = if caller.can(anjian_domain::scope::Permission::Supervise) {
            vec![
                "registered".into(),
                "reported".into(),
                "ordered".into(),
                "rectifying".into(),
            ]
        } else if caller.can(Permission::WorkOwnHazards) {
            vec![
                "registered".into(),
                "ordered".into(),
                "rectifying".into(),
                "reported".into(),
            ]
        } else {
            vec![]
        };
        Ok(if statuses.is_empty() {
            vec![]
        } else {
            let f = HazardFilter {
                statuses,
                limit: 200,
                ..Default::default()
            };
            self.list_hazards(caller, &f)?
                .items
                .into_iter()
                .filter(|v| v.allowed_actions.iter().any(main_step))
                .take(100)
                .collect()
        })
    }

    /// How many hazards wait for the caller's next step, are due soon and are overdue: the
    /// lengths of [`App::hazard_todos`]'s lists (the home page's counts), the last two from
    /// the lists' ids alone.
    pub(crate) fn hazard_todo_counts(
        &self,
        caller: &Caller,
        within_days: i64,
    ) -> Result<(usize, usize, usize)> {
        let today = self.clock.today();
        let count = |f: &HazardFilter| -> Result<usize> {
            let n = self.count_hazards_upto(caller, f)?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        Ok((
            self.awaiting_hazards(caller)?.len(),
            count(&due_soon_filter(today, within_days))?,
            count(&overdue_filter())?,
        ))
    }

    /// The hazards waiting for the caller's next step, those due soon and those overdue (the
    /// to-do page's lists; the home page shows their counts, [`App::hazard_todo_counts`]).
    pub(crate) fn hazard_todos(&self, caller: &Caller, within_days: i64) -> Result<HazardTodos> {
        let today = self.clock.today();
        let awaiting = self.awaiting_hazards(caller)?;
        let due_soon = self
            .list_hazards(caller, &due_soon_filter(today, within_days))?
            .items;
        let overdue = self.list_hazards(caller, &overdue_filter())?.items;
        Ok(HazardTodos {
            awaiting,
            due_soon,
            overdue,
        })
    }

    /// The caller's to-dos, in their scope.
    pub fn todos(&self, caller: &Caller, within_days: i64) -> Result<Todos> {
        let today = self.clock.today();
        let HazardTodos {
            awaiting,
            due_soon,
            overdue,
        } = self.hazard_todos(caller, within_days)?;
        let review_overdue = if caller.can(Permission::Supervise) {
            let mut v = self
                .list_hazards(
                    caller,
                    &HazardFilter {
                        status: Some(Status::Reported.as_str().into()),
                        reported_to: Some(self.review_overdue_cutoff(today)?),
                        limit: 100,
                        ..Default::default()
                    },
                )?
                .items;
            v.sort_by_key(|a| a.hazard.reported_on);
            v
        } else {
            Vec::new()
        };
        let notices = self.store.list_notices(&caller.scope, None, 50)?;
        let enforcer = caller.can(anjian_domain::scope::Permission::ViewEnforcement);
        let (overdue_case_steps, overdue_transfer_steps, due_soon_case_steps) = if enforcer {
            let steps = self.case_step_todos(caller, within_days.clamp(0, 60))?;
            (
                steps.overdue,
                self.overdue_transfer_steps(caller)?,
                steps.due_soon,
            )
        } else {
            (vec![], vec![], vec![])
        };
        let investigations = if caller.can(Permission::DecideAsAgency) {
            let soon = today + chrono::Duration::days(within_days.clamp(0, 366));
            let open = crate::accidents::AccidentQuery {
                open: Some(true),
                ..Default::default()
            };
            let mut v: Vec<InvestigationTodo> = self
                .accidents(caller, &open)?
                .into_iter()
                .filter(|a| a.overdue || a.due <= soon)
                .map(|a| InvestigationTodo {
                    accident_id: a.record.id,
                    title: format!(
                        "{} {} {}（{}）",
                        a.record.occurred_at.date(),
                        a.township_name,
                        a.type_label,
                        a.level_label
                    ),
                    due: a.due,
                    overdue: a.overdue,
                })
                .collect();
            v.sort_by_key(|t| (t.due, t.accident_id));
            v
        } else {
            Vec::new()
        };
        let calendar_gaps = if caller.can(Permission::ManageOrganisation) {
            let cal = self.calendar()?;
            let year = chrono::Datelike::year(&today);
            [year, year + 1]
                .into_iter()
                .filter(|y| !cal.is_maintained(*y))
                .map(|y| format!("{y}年{}", anjian_domain::calendar::UNMAINTAINED))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Todos {
            certificates: self.certificate_todos(caller, within_days)?,
            resource_checks: self.resource_check_todos(caller, within_days)?,
            alarms: self.alarm_todos(caller)?,
            investigations,
            campaign_reports: self.campaign_report_todos(caller)?,
            calendar_gaps,
            awaiting,
            due_soon,
            overdue,
            review_overdue,
            notices,
            overdue_case_steps,
            overdue_transfer_steps,
            due_soon_case_steps,
        })
    }

    /// The daily reminder job: notices for hazards due in [`DUE_SOON_DAYS`] days or tomorrow,
    /// and for hazards on their first overdue day and weekly after. Idempotent per day, and
    /// run by at most one instance per day.
    pub fn run_daily_reminders(&self, instance: &str) -> Result<CycleOutcome> {
        let r = self.daily_reminders(instance);
        self.telemetry.job(
            "daily_reminders",
            match &r {
                Ok(CycleOutcome::Ran(_)) => "ran",
                Ok(CycleOutcome::AlreadyDone) => "skipped",
                Err(_) => "failed",
            },
        );
        r
    }

    fn daily_reminders(&self, instance: &str) -> Result<CycleOutcome> {
        let today = self.clock.today();
        let cycle = today.to_string();
        if self.store.job_runs(DAILY_JOB, &cycle)? > 0 {
            return Ok(CycleOutcome::AlreadyDone);
        }
        let scope = Scope::system();
        let mut notices = Vec::new();
        let mut after = None;
        let review_days = self.review_working_days()?;
        let open = vec![
            Status::Registered,
            Status::Ordered,
            Status::Rectifying,
            Status::Reported,
        ]
        .into_iter()
        .map(|s| s.as_str().to_string())
        .collect::<Vec<_>>();
        loop {
            let f = HazardFilter {
                statuses: open.clone(),
                after,
                limit: 5000,
                today,
                ..Default::default()
            };
            let page = self.store.list_hazards(&scope, &f)?;
            for h in &page.items {
                let what: String = h.description.chars().take(30).collect();
                // Reported done: the reminder is the review's, on its first overdue day and
                // weekly after; the party has done its part, so no rectification reminder
                // (a report made after the deadline still lists the hazard as overdue).
                let reported = h.reported_on.filter(|_| h.status == Status::Reported);
                if let Some(r) = reported {
                    let due = self.review_due_of(r, review_days)?;
                    let late = (today - due).num_days();
                    if late > 0 && (late == 1 || late % 7 == 1) {
                        notices.push(NewNotice {
                            region_code: h.region_code.clone(),
                            sector: h.sector.clone(),
                            enterprise_id: h.enterprise_id,
                            kind: "overdue".into(),
                            entity: "hazard".into(),
                            entity_id: h.id,
                            message: format!(
                                "隐患 {}（{what}）已于 {r} 报告整改完成，复查期限 {due} 已过，复查逾期 {late} 天",
                                h.id
                            ),
                        });
                    }
                    continue;
                }
                let Some(deadline) = h.deadline else {
                    continue;
                };
                let days = (deadline - today).num_days();
                let (kind, message) = if days == DUE_SOON_DAYS || days == 1 {
                    (
                        "due_soon",
                        format!(
                            "隐患 {}（{what}）将于 {deadline} 到期，还有 {days} 天",
                            h.id
                        ),
                    )
                } else if days < 0 && ((-days) == 1 || (-days) % 7 == 1) {
                    (
                        "overdue",
                        format!(
                            "隐患 {}（{what}）整改期限 {deadline} 已过，逾期 {} 天",
                            h.id, -days
                        ),
                    )
                } else {
                    continue;
                };
                notices.push(NewNotice {
                    region_code: h.region_code.clone(),
                    sector: h.sector.clone(),
                    enterprise_id: h.enterprise_id,
                    kind: kind.into(),
                    entity: "hazard".into(),
                    entity_id: h.id,
                    message,
                });
            }
            match page.next.and_then(|n| n.parse().ok()) {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let change = self.system_change(&scope, "job");
        let outcome = self
            .store
            .run_notice_cycle(&change, DAILY_JOB, &cycle, instance, &notices)?;
        if matches!(outcome, CycleOutcome::Ran(_)) {
            // The instance that ran today's cycle also issues any 通报 due today.
            self.issue_due_bulletins()?;
        }
        Ok(outcome)
    }
}
