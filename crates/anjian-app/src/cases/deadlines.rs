//! Case steps due soon or past their limit, for the to-do lists.

use super::*;

impl App {
    /// Penalty-case steps not yet done whose legal time limit falls within `days` days.
    pub fn due_soon_case_steps(
        &self,
        caller: &Caller,
        days: i64,
    ) -> Result<Vec<(i64, String, String)>> {
        let today = self.clock.today();
        let until = (today + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string();
        let today = today.format("%Y-%m-%d").to_string();
        Ok(self
            .cases(caller, None, None)?
            .into_iter()
            .filter(|v| !matches!(v.case.status.as_str(), "closed" | "terminated"))
            .flat_map(|v| {
                v.limits
                    .iter()
                    .filter(|l| !l.met && !l.overdue && l.due >= today && l.due <= until)
                    .map(|l| (v.case.id, l.step.to_string(), l.due.clone()))
                    .collect::<Vec<_>>()
            })
            .collect())
    }

    /// Cases with a legal time limit missed, in the caller's scope (for to-dos), including
    /// decisions not published within their period.
    pub fn overdue_case_steps(&self, caller: &Caller) -> Result<Vec<(i64, String, String)>> {
        let mut out: Vec<(i64, String, String)> = self
            .cases(caller, None, None)?
            .into_iter()
            .flat_map(|v| {
                v.limits
                    .iter()
                    .filter(|l| l.overdue)
                    .map(|l| (v.case.id, l.step.to_string(), l.due.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        for p in self.decision_publicity(caller)? {
            if p.overdue {
                out.push((p.case_id, "处罚决定公示".to_string(), p.due.clone()));
            }
            if p.withdraw_overdue {
                out.push((
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
