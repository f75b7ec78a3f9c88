//! Counting on the calendar: working days, calendar days and deadlines.

use super::*;

impl Calendar {
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.special.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The first working day on or after `d`.
    pub fn next_working_day(&self, d: NaiveDate) -> Option<NaiveDate> {
        let mut day = d;
        for _ in 0..400 {
            if self.is_working_day(day) {
                return Some(day);
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// `n` working days after `from` (counting starts the next day). `n = 0` gives `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n > MAX_DAYS {
            return None;
        }
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt()?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// `n` calendar days after `from`; a last day that is not a working day moves to the next one.
    pub fn add_calendar_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n > MAX_DAYS {
            return None;
        }
        let last = from.checked_add_signed(Duration::days(i64::from(n)))?;
        if n == 0 {
            Some(last)
        } else {
            self.next_working_day(last)
        }
    }

    /// A deadline of `n` days on `basis` from `start`.
    pub fn deadline(&self, start: NaiveDate, n: u32, basis: Basis, rule: &str) -> Option<Deadline> {
        let due = match basis {
            Basis::WorkingDays => self.add_working_days(start, n)?,
            Basis::CalendarDays => self.add_calendar_days(start, n)?,
        };
        Some(Deadline {
            start,
            days: n,
            basis,
            rule: rule.to_string(),
            due,
        })
    }
}
