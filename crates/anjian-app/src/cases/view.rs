//! A case as pages show it: its legal time limits and the steps the caller may take now.

use super::*;
use anjian_domain::cases::pause::{self, PauseKind};

impl App {
    pub(super) fn case_limits(&self, c: &Case) -> Result<Vec<Limit>> {
        let cal = self.calendar()?;
        let today = self.clock.today();
        let mut out = Vec::new();
        let decision = if c.procedure == "general" {
            self.decision_rule(c)?
        } else {
            None
        };
        let mut push = |step: &'static str,
                        start: Option<chrono::NaiveDate>,
                        n: u32,
                        basis: Basis,
                        rule: &str,
                        done: Option<chrono::NaiveDate>| {
            let Some(start) = start else { return };
            let due = match basis {
                Basis::WorkingDays => cal.add_working_days(start, n),
                Basis::CalendarDays => cal.add_calendar_days(start, n),
            };
            if let Some(due) = due {
                let met = done.is_some_and(|x| x <= due);
                out.push(Limit {
                    step,
                    due: due.to_string(),
                    basis: basis.label(),
                    rule: rule.to_string(),
                    met,
                    overdue: done.is_none() && today > due && c.status != CaseStatus::Terminated,
                    calendar_gap: cal.gap(start, due),
                });
            }
        };
        if c.procedure == "general" {
            // The agency's rule in force on the day of 立案, plus the approved extensions.
            let (base, source, not_counted) = decision
                .as_ref()
                .map(|r| (r.base_days, r.source.clone(), r.not_counted.clone()))
                .unwrap_or((
                    90,
                    "《行政处罚法》第六十条：自立案之日起九十日内".into(),
                    Vec::new(),
                ));
            let extended = u32::try_from(c.extension_days).unwrap_or(0);
            let mut rule = if extended > 0 {
                format!("{source}（已批准延长{extended}日）")
            } else {
                source
            };
            let registered = c.registered_on;
            // Periods the rule does not count move the due date on.
            let due = pause::decision_due(
                registered,
                base + extended,
                &c.pauses,
                &not_counted,
                c.decided_on,
                today,
            );
            let paused = (due - registered).num_days() - i64::from(base + extended);
            if paused > 0 {
                rule.push_str(&format!("（{}等期间不计入，顺延{paused}日）", {
                    let mut kinds: Vec<&str> = c
                        .pauses
                        .iter()
                        .filter(|p| not_counted.contains(&p.kind))
                        .map(|p| p.kind.label())
                        .collect();
                    kinds.dedup();
                    kinds.join("、")
                }));
            }
            push(
                "作出处罚决定",
                Some(registered),
                u32::try_from((due - registered).num_days()).unwrap_or(base + extended),
                Basis::CalendarDays,
                &rule,
                c.decided_on,
            );
            push(
                "申请听证",
                c.notified_on,
                cases::STATEMENT_PERIOD_WORKING_DAYS,
                Basis::WorkingDays,
                "《行政处罚法》第六十四条、第八十五条：告知后五个工作日内",
                c.decided_on.or(
                    if matches!(c.status, CaseStatus::HearingRequested | CaseStatus::Heard) {
                        Some(today)
                    } else {
                        None
                    },
                ),
            );
            push(
                "送达决定书",
                c.decided_on,
                7,
                Basis::WorkingDays,
                "《行政处罚法》第六十一条、第八十五条：七个工作日内送达",
                c.served_on,
            );
        }
        push(
            "缴纳罚款",
            c.served_on.filter(|_| c.fine_fen > 0),
            15,
            Basis::CalendarDays,
            "《行政处罚法》第六十七条：收到决定书之日起十五日内",
            c.executed_on,
        );
        Ok(out)
    }

    /// The simple-procedure facts of a case: whether it was opened under a 委托执法
    /// commission (then the commissioned township's officers execute and close it too).
    pub(super) fn simple_facts(&self, c: &Case, status: CaseStatus) -> Result<cases::SimpleFacts> {
        let general = self.general_facts(c);
        Ok(cases::SimpleFacts {
            status,
            commissioned: self.store.case_commission(c.id)?.is_some(),
            may_stay: general.may_stay,
            may_resume: general.may_resume,
            overturned: general.overturned,
        })
    }

    /// What the rules of a general-procedure case look at now: the legal review, the
    /// collective discussion, the examination, and whether the statement and hearing-request
    /// period after the notice (5 working days) is over or the hearing was held.
    pub(super) fn general_facts(&self, c: &Case) -> CaseFacts {
        let calendar = self.calendar().ok();
        let today = self.clock.today();
        let notice_over =
            cases::statement_period_over(c.status, c.notified_on, calendar.as_deref(), today);
        let can_start = |before: bool| {
            PauseKind::of_phase(before).any(|k| pause::open_of(&c.pauses, k).is_none())
        };
        CaseFacts {
            status: c.status,
            major: c.major,
            legal_review_passed: c.legal_review.starts_with("pass"),
            discussed: c.discussed_on.is_some(),
            examined: c.examined_on.is_some(),
            notice_period_over: notice_over,
            complex: c.complex,
            public_interest: c.public_interest,
            rights_waived: c.rights_waived.is_waived(),
            hearing_request_late: c.status == CaseStatus::Notified && notice_over,
            hearing_not_due: c.hearing_on.is_none_or(|h| today < h),
            may_suspend: can_start(true),
            may_stay: can_start(false),
            may_resume: c.pauses.iter().any(|p| p.kind.manual() && p.to.is_none()),
            overturned: c.overturned_on.is_some(),
        }
    }

    pub(super) fn case_view(&self, caller: &Caller, c: Case) -> Result<CaseView> {
        let limits = self.case_limits(&c)?;
        let status = c.status;
        let who = caller.actor(&c.region_code, &c.sector, c.enterprise_id);
        let allowed = if c.procedure == "simple" {
            offered::<cases::SimpleCase>(&self.simple_facts(&c, status)?, &who)
        } else {
            // A step is offered once its legal preconditions (案件审理, 法制审核, 集体讨论,
            // the statement period) are met: the page shows exactly what the use case accepts.
            offered::<cases::GeneralCase>(&self.general_facts(&c), &who)
        }
        .into_iter()
        .map(CaseAction::as_str)
        .collect();
        let payment_due = limits
            .iter()
            .find(|l| l.step == "缴纳罚款")
            .and_then(|l| parse_date(&l.due).ok());
        // 行政处罚法 art. 72: the surcharge runs from the day after the payment limit until
        // payment; once paid late it stays on the record (the days up to the payment).
        let paid = c.executed_on;
        // Not counted while 复议/诉讼 is pending (art. 73) nor during an approved deferral or
        // instalment plan (art. 66).
        let days_late = match payment_due {
            Some(due) => {
                pause::surcharge_days(&c.pauses, due, paid.unwrap_or_else(|| self.clock.today()))
            }
            None => 0,
        };
        Ok(CaseView {
            fine_yuan: c.fine_fen as f64 / 100.0,
            status_label: status.label(),
            late_surcharge_yuan: cases::late_surcharge(c.fine_fen, days_late) as f64 / 100.0,
            limits,
            allowed_actions: allowed,
            case: c,
        })
    }

    /// The 委托执法 commission a case was opened under: (commission id, item code, agency).
    pub fn case_commission(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<Option<(i64, String, String)>> {
        self.store.get_case(&caller.scope, id)?;
        Ok(self.store.case_commission(id)?)
    }
}
