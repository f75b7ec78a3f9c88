//! The working-day calendar (domain.md 0.2).
//!
//! Statutory holidays and make-up working days (调休) are data, published each
//! year by 国务院办公厅; [`SHIPPED`] carries 2021–2026 and the store lets
//! administrators edit any year. Counting rules:
//! - a period starts the day after the triggering event;
//! - working days skip weekends and holidays but count make-up working days;
//! - a calendar-day period whose last day is not a working day ends on the next
//!   working day (general procedural rule).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod counting;
mod shipped;
pub use shipped::{SHIPPED, shipped_year, shipped_years};

/// What a special day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A statutory holiday (or a weekday off in its block).
    Holiday,
    /// A weekend day that is a working day (调休上班).
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// A special day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// How a period is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 日 (calendar days; a last day off moves to the next working day).
    CalendarDays,
    /// 工作日 (working days).
    WorkingDays,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::CalendarDays => "calendar_days",
            Basis::WorkingDays => "working_days",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "calendar_days" => Some(Basis::CalendarDays),
            "working_days" => Some(Basis::WorkingDays),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Basis::CalendarDays => "日",
            Basis::WorkingDays => "工作日",
        }
    }
}

/// A deadline with its basis and legal source, so a reader can check how it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub start: NaiveDate,
    pub days: u32,
    pub basis: Basis,
    /// The rule it comes from, e.g. "安全生产执法程序规定 复查10日".
    pub rule: String,
    pub due: NaiveDate,
}

/// Largest period the calendar will count (guards against absurd input).
pub const MAX_DAYS: u32 = 3650;

/// The working-day calendar: weekends plus special days, and the years whose holidays are
/// maintained. In a year without holiday data every weekday counts as a working day, which is
/// wrong around the holidays: deadlines that reach such a year say so ([`Calendar::gap`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    special: BTreeMap<NaiveDate, DayKind>,
    years: std::collections::BTreeSet<i32>,
}

/// What a deadline that reaches a year without holiday data carries.
pub const UNMAINTAINED: &str = "该年度节假日安排未维护";

impl Calendar {
    /// The calendar of these special days; the years they fall in (a block that starts in
    /// the last days of December, such as 元旦, does not make that December's year maintained
    /// by itself) count as maintained.
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        let special: BTreeMap<NaiveDate, DayKind> = days.into_iter().collect();
        let years = special
            .keys()
            .filter(|d| !(d.month() == 12 && d.day() >= 25))
            .map(|d| d.year())
            .collect();
        Self { special, years }
    }

    /// The calendar of these special days, with the maintained years said explicitly.
    pub fn with_years(
        days: impl IntoIterator<Item = (NaiveDate, DayKind)>,
        years: impl IntoIterator<Item = i32>,
    ) -> Self {
        Self {
            special: days.into_iter().collect(),
            years: years.into_iter().collect(),
        }
    }

    /// The years whose holidays are maintained.
    pub fn maintained_years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    pub fn is_maintained(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The years from `from` to `to` (inclusive) without holiday data, as one message
    /// (`2027年 该年度节假日安排未维护`), or `None` when every year is maintained.
    pub fn gap(&self, from: NaiveDate, to: NaiveDate) -> Option<String> {
        let missing: Vec<String> = (from.year()..=to.year())
            .filter(|y| !self.is_maintained(*y))
            .map(|y| format!("{y}年"))
            .collect();
        (!missing.is_empty()).then(|| format!("{}{UNMAINTAINED}", missing.join("、")))
    }

    /// The calendar of every shipped year.
    pub fn shipped() -> Self {
        Self::new(
            shipped_years()
                .into_iter()
                .flat_map(shipped_year)
                .map(|s| (s.date, s.kind)),
        )
    }
}

#[cfg(test)]
mod tests;
