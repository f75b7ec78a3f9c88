//! Case steps due soon or past their limit, for the to-do lists.

use super::*;

/// The penalty-case steps of the to-do lists: (case id, step, due date) each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseStepTodos {
    /// Steps not yet done whose legal time limit falls within the next days (cases neither
    /// closed nor terminated).
    pub due_soon: Vec<(i64, String, String)>,
    /// Steps past their legal time limit, and decisions not published (or an overturned
    /// one's publicity not withdrawn) within their period.
    pub overdue: Vec<(i64, String, String)>,
}

impl App {
    /// The caller's case steps due within `days` days and past their limit: the cases in
    /// scope read once, each one's limits reckoned once (the home page and the to-do page
    /// show both; the whole case views, with the steps each user may take, are not needed).
    pub fn case_step_todos(&self, caller: &Caller, days: i64) -> Result<CaseStepTodos> {
        let today = self.clock.today();
        let until = (today + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string();
        let today = today.format("%Y-%m-%d").to_string();
        let cases = anjian_store::paging::all_pages(|k| {
            self.store.list_cases(&caller.scope, None, None, k)
        })?;
        let mut out = CaseStepTodos::default();
        for c in &cases {
            let limits = self.case_limits(c)?;
            let open = !matches!(c.status.as_str(), "closed" | "terminated");
            for l in limits {
                if l.overdue {
                    out.overdue.push((c.id, l.step.to_string(), l.due.clone()));
                }
                if open && !l.met && !l.overdue && l.due >= today && l.due <= until {
                    out.due_soon.push((c.id, l.step.to_string(), l.due));
                }
            }
        }
        for p in self.decision_publicity_of(&cases)? {
            if p.overdue {
                out.overdue
                    .push((p.case_id, "处罚决定公示".to_string(), p.due.clone()));
            }
            if p.withdraw_overdue {
                out.overdue.push((
                    p.case_id,
                    "撤回已变更或撤销的处罚决定公示".to_string(),
                    p.withdraw_due.unwrap_or_default(),
                ));
            }
        }
        Ok(out)
    }

    pub fn all_cases_system(&self) -> Result<Vec<Case>> {
        Ok(anjian_store::paging::all_pages(|k| {
            self.store.list_cases(&Scope::system(), None, None, k)
        })?)
    }
}
