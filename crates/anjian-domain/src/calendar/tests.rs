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
