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

/// What a special day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// One shipped block: (name, first day off, last day off, make-up working days).
type Block = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// 国务院办公厅 holiday notices for 2021–2026 (each year's block list).
pub const SHIPPED: &[(i32, &[Block])] = &[
    (
        2021,
        &[
            ("元旦", "2021-01-01", "2021-01-03", &[]),
            (
                "春节",
                "2021-02-11",
                "2021-02-17",
                &["2021-02-07", "2021-02-20"],
            ),
            ("清明节", "2021-04-03", "2021-04-05", &[]),
            (
                "劳动节",
                "2021-05-01",
                "2021-05-05",
                &["2021-04-25", "2021-05-08"],
            ),
            ("端午节", "2021-06-12", "2021-06-14", &[]),
            ("中秋节", "2021-09-19", "2021-09-21", &["2021-09-18"]),
            (
                "国庆节",
                "2021-10-01",
                "2021-10-07",
                &["2021-09-26", "2021-10-09"],
            ),
        ],
    ),
    (
        2022,
        &[
            ("元旦", "2022-01-01", "2022-01-03", &[]),
            (
                "春节",
                "2022-01-31",
                "2022-02-06",
                &["2022-01-29", "2022-01-30"],
            ),
            ("清明节", "2022-04-03", "2022-04-05", &["2022-04-02"]),
            (
                "劳动节",
                "2022-04-30",
                "2022-05-04",
                &["2022-04-24", "2022-05-07"],
            ),
            ("端午节", "2022-06-03", "2022-06-05", &[]),
            ("中秋节", "2022-09-10", "2022-09-12", &[]),
            (
                "国庆节",
                "2022-10-01",
                "2022-10-07",
                &["2022-10-08", "2022-10-09"],
            ),
        ],
    ),
    (
        2023,
        &[
            ("元旦", "2022-12-31", "2023-01-02", &[]),
            (
                "春节",
                "2023-01-21",
                "2023-01-27",
                &["2023-01-28", "2023-01-29"],
            ),
            ("清明节", "2023-04-05", "2023-04-05", &[]),
            (
                "劳动节",
                "2023-04-29",
                "2023-05-03",
                &["2023-04-23", "2023-05-06"],
            ),
            ("端午节", "2023-06-22", "2023-06-24", &["2023-06-25"]),
            (
                "中秋节、国庆节",
                "2023-09-29",
                "2023-10-06",
                &["2023-10-07", "2023-10-08"],
            ),
        ],
    ),
    (
        2024,
        &[
            ("元旦", "2024-01-01", "2024-01-01", &[]),
            (
                "春节",
                "2024-02-10",
                "2024-02-17",
                &["2024-02-04", "2024-02-18"],
            ),
            ("清明节", "2024-04-04", "2024-04-06", &["2024-04-07"]),
            (
                "劳动节",
                "2024-05-01",
                "2024-05-05",
                &["2024-04-28", "2024-05-11"],
            ),
            ("端午节", "2024-06-10", "2024-06-10", &[]),
            ("中秋节", "2024-09-15", "2024-09-17", &["2024-09-14"]),
            (
                "国庆节",
                "2024-10-01",
                "2024-10-07",
                &["2024-09-29", "2024-10-12"],
            ),
        ],
    ),
    (
        2025,
        &[
            ("元旦", "2025-01-01", "2025-01-01", &[]),
            (
                "春节",
                "2025-01-28",
                "2025-02-04",
                &["2025-01-26", "2025-02-08"],
            ),
            ("清明节", "2025-04-04", "2025-04-06", &[]),
            ("劳动节", "2025-05-01", "2025-05-05", &["2025-04-27"]),
            ("端午节", "2025-05-31", "2025-06-02", &[]),
            (
                "国庆节、中秋节",
                "2025-10-01",
                "2025-10-08",
                &["2025-09-28", "2025-10-11"],
            ),
        ],
    ),
    (
        2026,
        &[
            ("元旦", "2026-01-01", "2026-01-03", &["2026-01-04"]),
            (
                "春节",
                "2026-02-15",
                "2026-02-23",
                &["2026-02-14", "2026-02-28"],
            ),
            ("清明节", "2026-04-04", "2026-04-06", &[]),
            ("劳动节", "2026-05-01", "2026-05-05", &["2026-05-09"]),
            ("端午节", "2026-06-19", "2026-06-21", &[]),
            ("中秋节", "2026-09-25", "2026-09-27", &[]),
            (
                "国庆节",
                "2026-10-01",
                "2026-10-07",
                &["2026-09-20", "2026-10-10"],
            ),
        ],
    ),
];

/// A special day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// The shipped special days of one year (holiday blocks expanded day by day).
pub fn shipped_year(year: i32) -> Vec<SpecialDay> {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let mut out = Vec::new();
    for (y, blocks) in SHIPPED {
        if *y != year {
            continue;
        }
        for (name, from, to, makeup) in blocks.iter() {
            if let (Some(mut day), Some(last)) = (d(from), d(to)) {
                while day <= last {
                    out.push(SpecialDay {
                        date: day,
                        kind: DayKind::Holiday,
                        name: name.to_string(),
                    });
                    day += Duration::days(1);
                }
            }
            for m in makeup.iter().filter_map(|m| d(m)) {
                out.push(SpecialDay {
                    date: m,
                    kind: DayKind::Workday,
                    name: format!("{name}调休上班"),
                });
            }
        }
    }
    out.sort_by_key(|s| s.date);
    out
}

/// Every shipped year.
pub fn shipped_years() -> Vec<i32> {
    SHIPPED.iter().map(|(y, _)| *y).collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_deadline_reaching_a_year_without_holiday_data_says_so() {
        let cal = Calendar::shipped();
        let last = *shipped_years().last().unwrap_or(&2022);
        assert_eq!(cal.gap(d("2022-03-01"), d("2022-06-01")), None);
        let next = NaiveDate::from_ymd_opt(last + 1, 1, 10).unwrap_or_default();
        let from = NaiveDate::from_ymd_opt(last, 12, 1).unwrap_or_default();
        assert_eq!(
            cal.gap(from, next),
            Some(format!("{}年该年度节假日安排未维护", last + 1))
        );
        // A 元旦 block that starts in late December does not maintain that December's year.
        let only_new_year = Calendar::new([(d("2030-12-31"), DayKind::Holiday)]);
        assert!(!only_new_year.is_maintained(2030));
        let explicit = Calendar::with_years([], [2031]);
        assert!(explicit.is_maintained(2031) && !explicit.is_maintained(2030));
    }

    #[test]
    fn national_day_2022_acceptance_example() {
        // Issue 3 acceptance: from 2022-09-29, 5 working days -> 2022-10-11
        // (09-30, then 10-08 and 10-09 are make-up Saturdays/Sundays, then 10-10, 10-11).
        assert_eq!(
            Calendar::shipped().add_working_days(d("2022-09-29"), 5),
            Some(d("2022-10-11"))
        );
    }

    #[test]
    fn spring_festival_2022() {
        let c = Calendar::shipped();
        // 01-29 (Sat) and 01-30 (Sun) are working days; 01-31..02-06 are off.
        assert!(c.is_working_day(d("2022-01-29")) && c.is_working_day(d("2022-01-30")));
        assert!(!c.is_working_day(d("2022-02-01")));
        assert_eq!(
            c.add_working_days(d("2022-01-27"), 3),
            Some(d("2022-01-30"))
        );
        assert_eq!(
            c.add_working_days(d("2022-01-28"), 3),
            Some(d("2022-02-07"))
        );
        // 7 calendar days from 01-28 end on 02-04 (a holiday) -> moved to 02-07.
        assert_eq!(
            c.add_calendar_days(d("2022-01-28"), 7),
            Some(d("2022-02-07"))
        );
    }

    /// Every shipped year: the number of holidays and make-up days per the notices,
    /// every make-up day is a weekend day, and every holiday block ends on a day off.
    #[test]
    fn every_shipped_year_is_consistent() {
        let expected: [(i32, usize, usize); 6] = [
            (2021, 31, 7),
            (2022, 31, 7),
            (2023, 27, 7),
            (2024, 28, 8),
            (2025, 28, 5),
            (2026, 33, 6),
        ];
        let c = Calendar::shipped();
        for (year, holidays, workdays) in expected {
            let days = shipped_year(year);
            let h = days.iter().filter(|s| s.kind == DayKind::Holiday).count();
            let w = days.iter().filter(|s| s.kind == DayKind::Workday).count();
            assert_eq!((h, w), (holidays, workdays), "{year}");
            for s in days.iter().filter(|s| s.kind == DayKind::Workday) {
                assert!(
                    matches!(s.date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{year} make-up day {} is not a weekend",
                    s.date
                );
                assert!(c.is_working_day(s.date));
            }
            for s in days.iter().filter(|s| s.kind == DayKind::Holiday) {
                assert!(!c.is_working_day(s.date));
            }
        }
    }

    #[test]
    fn one_example_per_year() {
        let c = Calendar::shipped();
        let cases = [
            ("2021-09-30", 3, "2021-10-11"), // 国庆 2021: 10-09 (Sat) works
            ("2023-09-28", 2, "2023-10-08"), // 中秋国庆 2023: 10-07, 10-08 work
            ("2024-02-08", 2, "2024-02-18"), // 春节 2024: 02-09 work, 02-18 (Sun) works
            ("2025-01-24", 1, "2025-01-26"), // 春节 2025: 01-26 (Sun) works
            ("2026-02-13", 2, "2026-02-24"), // 春节 2026: 02-14 (Sat) works, 02-15..23 off
        ];
        for (from, n, to) in cases {
            assert_eq!(c.add_working_days(d(from), n), Some(d(to)), "{from} + {n}");
        }
    }

    #[test]
    fn zero_and_limits() {
        let c = Calendar::shipped();
        assert_eq!(
            c.add_working_days(d("2022-10-01"), 0),
            Some(d("2022-10-01"))
        );
        assert_eq!(c.add_working_days(d("2022-10-01"), MAX_DAYS + 1), None);
        let dl = c
            .deadline(d("2022-06-01"), 10, Basis::CalendarDays, "复查10日")
            .unwrap_or_else(|| panic!("deadline"));
        assert_eq!(dl.due, d("2022-06-13")); // 06-11 is a Saturday -> Monday 06-13
    }

    proptest! {
        #[test]
        fn working_days_land_on_working_days(offset in 0i64..2200, n in 1u32..60) {
            let c = Calendar::shipped();
            let from = d("2021-01-01") + Duration::days(offset);
            let to = c.add_working_days(from, n).unwrap_or(from);
            prop_assert!(c.is_working_day(to));
            prop_assert!(to > from);
            // Exactly n working days in (from, to].
            let mut count = 0;
            let mut day = from;
            while day < to { day += Duration::days(1); if c.is_working_day(day) { count += 1; } }
            prop_assert_eq!(count, n);
        }
    }
}
