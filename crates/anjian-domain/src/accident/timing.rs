//! The accident's time limits.
//!
//! - 国务院令第493号 第九条: the unit reports to the county's 应急管理部门 within 1 hour of the
//!   accident; 第十条: each level reports upward within 2 hours. These are clock hours,
//!   counted straight across midnights, weekends and holidays (the working-day calendar has
//!   no say). A report at exactly the limit is in time ("1小时内" includes the hour).
//! - 第十三条: casualties that change within 30 days of the accident are reported (补报); 7 days
//!   for road-traffic and fire accidents. The window is counted as a period "自事故发生之日起"
//!   with the accident's day not counted (民法典 第二百零一条, domain.md §0.2): day 1 is the day
//!   after, so a change on the accident's day + 30 (+ 7) is inside and the day after is not.
//!   The window bounds when the casualty changed (a fact), not when someone acts, so it is
//!   not moved off a holiday. Forest fires are fires: 7 days.
//! - 第二十九条: the investigation report is due within 60 days of the accident, and may be
//!   extended once by at most 60 days. Both are periods someone must act within, so a last
//!   day that falls on a rest day or a statutory holiday moves to the next working day
//!   (民法典 第二百零三条), on the county's working-day calendar.

use super::{Category, ROAD_SECTOR};
use crate::calendar::Calendar;
use chrono::{Duration, NaiveDate, NaiveDateTime};

pub use crate::minute::{parse as parse_time, text as time_text};

/// The 补报 window in days for an accident of `category` in `sector`.
pub fn supplement_window_days(category: Category, sector: &str) -> i64 {
    match category {
        Category::Production if sector != ROAD_SECTOR => 30,
        _ => 7,
    }
}

/// Whether a casualty change on `changed_on` falls in the window of an accident on
/// `accident_day` (and so counts in the figures and the level).
pub fn supplement_counted(
    accident_day: NaiveDate,
    changed_on: NaiveDate,
    window_days: i64,
) -> bool {
    changed_on >= accident_day && changed_on <= accident_day + Duration::days(window_days)
}

/// The hours a link of the chain may take: 1 for the unit (art. 9), 2 for the county (art. 10).
pub fn link_hours(kind: super::LinkKind) -> i64 {
    match kind {
        super::LinkKind::Unit => 1,
        super::LinkKind::County => 2,
    }
}

/// Where a link of the reporting chain stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
#[schema(as = AccidentLinkState)]
pub enum LinkState {
    /// Reported within the limit.
    OnTime,
    /// 迟报: reported `minutes` after the limit.
    Late { minutes: i64 },
    /// Not reported and the limit passed `minutes` ago.
    Missing { minutes: i64 },
    /// Not reported yet, the limit not reached (or its start unknown).
    Pending,
}

impl LinkState {
    /// The link was or is late (迟报).
    pub fn is_late(self) -> bool {
        matches!(self, LinkState::Late { .. } | LinkState::Missing { .. })
    }
}

/// The state of a link due `hours` after `from`, reported at `reported` (if it was), at `now`.
pub fn link_state(
    from: Option<NaiveDateTime>,
    hours: i64,
    reported: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> LinkState {
    let Some(from) = from else {
        return LinkState::Pending;
    };
    let due = from + Duration::hours(hours);
    match reported {
        Some(at) if at <= due => LinkState::OnTime,
        Some(at) => LinkState::Late {
            minutes: (at - due).num_minutes().max(1),
        },
        None if now > due => LinkState::Missing {
            minutes: (now - due).num_minutes().max(1),
        },
        None => LinkState::Pending,
    }
}

/// 60 calendar days after `from`, moved off a rest day or holiday.
fn sixty_days(cal: &Calendar, from: NaiveDate) -> NaiveDate {
    cal.add_calendar_days(from, 60)
        .unwrap_or(from + Duration::days(60))
}

/// The investigation report's due day: 60 days after the accident's day (art. 29), the last
/// day moved to the next working day when it is not one.
pub fn investigation_due(cal: &Calendar, accident_day: NaiveDate) -> NaiveDate {
    sixty_days(cal, accident_day)
}

/// The latest day an extension may set: at most 60 days past the due day (art. 29), moved
/// off a rest day or holiday like the due day.
pub fn max_extension(cal: &Calendar, due: NaiveDate) -> NaiveDate {
    sixty_days(cal, due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }
    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn guowuyuanling_493_art_13_window_is_30_days_7_for_road_traffic_and_fires() {
        assert_eq!(
            supplement_window_days(Category::Production, "construction"),
            30
        );
        assert_eq!(supplement_window_days(Category::Production, ROAD_SECTOR), 7);
        assert_eq!(supplement_window_days(Category::Fire, "fire"), 7);
        assert_eq!(
            supplement_window_days(Category::ForestFire, "forest_fire"),
            7
        );
    }

    #[test]
    fn guowuyuanling_493_art_13_day_30_after_the_accident_is_inside_day_31_is_not() {
        // Accident on 2022-03-01: the 30 days run 03-02 … 03-31 (the accident's day not counted).
        let a = day("2022-03-01");
        assert!(supplement_counted(a, day("2022-03-01"), 30));
        assert!(supplement_counted(a, day("2022-03-15"), 30));
        assert!(supplement_counted(a, day("2022-03-31"), 30));
        assert!(!supplement_counted(a, day("2022-04-01"), 30));
        // Before the accident is no casualty change of it.
        assert!(!supplement_counted(a, day("2022-02-28"), 30));
    }

    #[test]
    fn guowuyuanling_493_art_13_day_7_after_a_fire_is_inside_day_8_is_not() {
        // A fire on 2022-09-28: days 09-29 … 10-05, the 国庆 holiday not moving the end.
        let a = day("2022-09-28");
        assert!(supplement_counted(a, day("2022-10-05"), 7));
        assert!(!supplement_counted(a, day("2022-10-06"), 7));
    }

    #[test]
    fn guowuyuanling_493_art_9_one_hour_counted_across_midnight() {
        let occurred = Some(at("2022-03-14 23:30"));
        let now = at("2022-03-20 00:00");
        assert_eq!(
            link_state(occurred, 1, Some(at("2022-03-15 00:30")), now),
            LinkState::OnTime
        );
        assert_eq!(
            link_state(occurred, 1, Some(at("2022-03-15 00:31")), now),
            LinkState::Late { minutes: 1 }
        );
        assert_eq!(
            link_state(occurred, 1, None, at("2022-03-15 02:30")),
            LinkState::Missing { minutes: 120 }
        );
        assert_eq!(
            link_state(occurred, 1, None, at("2022-03-15 00:10")),
            LinkState::Pending
        );
    }

    #[test]
    fn guowuyuanling_493_art_10_two_hours_counted_in_clock_hours_over_a_holiday() {
        // The county received the unit's report at 23:00 on 2022-09-30; 10-01 is 国庆节, a
        // holiday, and the 2 hours still end at 01:00.
        let received = Some(at("2022-09-30 23:00"));
        let now = at("2022-10-07 00:00");
        assert_eq!(
            link_state(received, 2, Some(at("2022-10-01 01:00")), now),
            LinkState::OnTime
        );
        assert_eq!(
            link_state(received, 2, Some(at("2022-10-01 03:00")), now),
            LinkState::Late { minutes: 120 }
        );
        assert!(link_state(received, 2, Some(at("2022-10-08 09:00")), now).is_late());
        // The county's link cannot be late before the unit's report started it.
        assert_eq!(link_state(None, 2, None, now), LinkState::Pending);
    }

    #[test]
    fn times_read_with_a_space_or_a_t() {
        assert_eq!(parse_time("2022-03-14 23:30"), Some(at("2022-03-14 23:30")));
        assert_eq!(
            parse_time("2022-03-14T23:30:00"),
            Some(at("2022-03-14 23:30"))
        );
        assert_eq!(parse_time("2022-03-14"), None);
        assert_eq!(time_text(at("2022-03-14 09:05")), "2022-03-14 09:05");
    }

    #[test]
    fn guowuyuanling_493_art_29_investigation_60_days_extended_by_at_most_60() {
        let plain = Calendar::default();
        // 2022-03-02 + 60 = 2022-05-01, a Sunday: Monday 2022-05-02 on a calendar without
        // holidays (民法典 第二百零三条).
        assert_eq!(
            investigation_due(&plain, day("2022-03-02")),
            day("2022-05-02")
        );
        assert_eq!(
            investigation_due(&plain, day("2022-03-01")),
            day("2022-05-02")
        );
        assert_eq!(
            investigation_due(&plain, day("2022-03-03")),
            day("2022-05-02")
        );
        assert_eq!(
            investigation_due(&plain, day("2022-03-04")),
            day("2022-05-03")
        );
        // 2022's 劳动节: 4月30日至5月4日放假, 5月7日（星期六）上班.
        use crate::calendar::DayKind;
        let may = Calendar::new(
            [
                "2022-04-30",
                "2022-05-01",
                "2022-05-02",
                "2022-05-03",
                "2022-05-04",
            ]
            .map(|d| (day(d), DayKind::Holiday))
            .into_iter()
            .chain([(day("2022-05-07"), DayKind::Workday)]),
        );
        assert_eq!(
            investigation_due(&may, day("2022-03-01")),
            day("2022-05-05")
        );
        assert_eq!(
            investigation_due(&may, day("2022-03-08")),
            day("2022-05-07"),
            "调休上班日"
        );
        // The extension: at most 60 days past the due day, off the holiday likewise.
        assert_eq!(max_extension(&plain, day("2022-05-05")), day("2022-07-04"));
        assert_eq!(max_extension(&may, day("2022-03-02")), day("2022-05-05"));
    }
}
