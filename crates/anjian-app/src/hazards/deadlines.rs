//! Deadlines: the rectification deadline given as a date or as days on a basis, and the
//! review's (复查) working days after a report.

use super::*;

impl App {
    /// Working days for the 复查 after a rectification report (the county's setting, else
    /// 10: 安全生产执法程序规定, 安监总政法〔2016〕72号).
    pub fn review_working_days(&self) -> Result<u32> {
        Ok(self
            .store
            .setting(REVIEW_WORKING_DAYS_SETTING)?
            .and_then(|v| v.trim().parse().ok())
            .filter(|d| (1..=60).contains(d))
            .unwrap_or(hazard::REVIEW_WORKING_DAYS))
    }

    /// The last day of the review of a rectification reported on `reported_on`.
    pub(crate) fn review_due_of(&self, reported_on: NaiveDate, days: u32) -> Result<NaiveDate> {
        self.add_working_days(reported_on, days)
    }

    /// The latest report day whose review is overdue on `today` (its last day is before
    /// today): hazards awaiting review reported on or before it are 复查逾期.
    pub(crate) fn review_overdue_cutoff(&self, today: NaiveDate) -> Result<NaiveDate> {
        let days = self.review_working_days()?;
        let cal = self.calendar()?;
        let mut r = today - chrono::Duration::days(1);
        // Each step back moves the review's last day back; it is past `today` within a few
        // weeks whatever the holidays.
        for _ in 0..400 {
            match cal.add_working_days(r, days) {
                Some(due) if due < today => return Ok(r),
                _ => r -= chrono::Duration::days(1),
            }
        }
        Ok(r)
    }

    /// Resolves a deadline given as a date or as days on a basis, from `start`.
    pub(super) fn resolve_deadline(
        &self,
        e: &mut ValidationErrors,
        start: NaiveDate,
        date: &Option<String>,
        days: Option<u32>,
        basis: &Option<String>,
        rule: &str,
    ) -> Result<Option<(NaiveDate, String, String)>> {
        if let Some(d) = date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let Some(d) = e.check("deadline", parse_date(d)) else {
                return Ok(None);
            };
            if d < start {
                e.add(
                    "deadline",
                    if start == self.clock.today() {
                        "整改期限不能早于今天"
                    } else {
                        "整改期限不能早于发现日期"
                    },
                );
                return Ok(None);
            }
            return Ok(Some((d, "date".into(), rule.to_string())));
        }
        let Some(n) = days else { return Ok(None) };
        let Some(basis) = Basis::parse(basis.as_deref().unwrap_or("calendar_days")) else {
            e.add(
                "deadline_basis",
                "期限计算方式应为 calendar_days（日）或 working_days（工作日）",
            );
            return Ok(None);
        };
        match self.calendar()?.deadline(start, n, basis, rule) {
            Some(d) => Ok(Some((
                d.due,
                basis.as_str().into(),
                format!("{rule}：自{start}起{n}{}", basis.label()),
            ))),
            None => {
                e.add("deadline_days", "天数超出范围");
                Ok(None)
            }
        }
    }
}
