//! Reporting periods of an object type's cadence: which period a day falls in, and the
//! periods a unit owes between two days.

use super::definition::Cadence;
use chrono::{Datelike, Duration, NaiveDate};

/// One reporting period: `[start, end]`, due `due_days` after its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl ReportPeriod {
    /// The period's name as officials write it: 2022年第23周（06-06至06-12）, 2022年6月,
    /// 2022年第二季度, or the campaign's dates for a one-off report.
    pub fn label(&self, cadence: Cadence) -> String {
        match cadence {
            Cadence::Weekly => format!(
                "{}年第{}周（{}至{}）",
                self.start.iso_week().year(),
                self.start.iso_week().week(),
                self.start.format("%m-%d"),
                self.end.format("%m-%d")
            ),
            Cadence::Monthly => format!("{}年{}月", self.start.year(), self.start.month()),
            Cadence::Quarterly => {
                let q = ["一", "二", "三", "四"][((self.start.month0()) / 3) as usize % 4];
                format!("{}年第{q}季度", self.start.year())
            }
            Cadence::Once | Cadence::None => format!("{}至{}", self.start, self.end),
        }
    }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(n)).unwrap_or(d)
}

impl Cadence {
    /// The period of this cadence that holds `day` (None for no cadence; for a one-off
    /// report, the window itself).
    pub fn period_of(self, day: NaiveDate, window: (NaiveDate, NaiveDate)) -> Option<ReportPeriod> {
        let p = match self {
            Cadence::None => return None,
            Cadence::Once => ReportPeriod {
                start: window.0,
                end: window.1,
            },
            Cadence::Weekly => {
                let start = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                ReportPeriod {
                    start,
                    end: start + Duration::days(6),
                }
            }
            Cadence::Monthly => {
                let start = month_start(day);
                ReportPeriod {
                    start,
                    end: add_months(start, 1) - Duration::days(1),
                }
            }
            Cadence::Quarterly => {
                let m0 = (day.month0() / 3) * 3;
                let start = NaiveDate::from_ymd_opt(day.year(), m0 + 1, 1)?;
                ReportPeriod {
                    start,
                    end: add_months(start, 3) - Duration::days(1),
                }
            }
        };
        Some(p)
    }

    /// The periods that have ended by `today` within the campaign's `window`, oldest first,
    /// at most `max` of the latest (a unit's reminders look back that far).
    pub fn ended_periods(
        self,
        window: (NaiveDate, NaiveDate),
        today: NaiveDate,
        max: usize,
    ) -> Vec<ReportPeriod> {
        let mut out = Vec::new();
        let Some(mut p) = self.period_of(window.0, window) else {
            return out;
        };
        while p.end < today && p.start <= window.1 {
            out.push(p);
            if matches!(self, Cadence::Once) {
                break;
            }
            let Some(next) = self.period_of(p.end + Duration::days(1), window) else {
                break;
            };
            p = next;
        }
        let skip = out.len().saturating_sub(max);
        out.split_off(skip)
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn periods_follow_weeks_months_and_quarters() {
        let w = (d("2022-05-01"), d("2022-12-31"));
        let p = Cadence::Weekly.period_of(d("2022-06-08"), w);
        assert_eq!(
            p.map(|p| (p.start, p.end)),
            Some((d("2022-06-06"), d("2022-06-12")))
        );
        assert_eq!(
            p.map(|p| p.label(Cadence::Weekly)).unwrap_or_default(),
            "2022年第23周（06-06至06-12）"
        );
        let m = Cadence::Monthly.period_of(d("2022-02-14"), w);
        assert_eq!(m.map(|p| p.end), Some(d("2022-02-28")));
        let q = Cadence::Quarterly.period_of(d("2022-08-01"), w);
        assert_eq!(
            q.map(|p| (p.start, p.end)),
            Some((d("2022-07-01"), d("2022-09-30")))
        );
        assert_eq!(
            q.map(|p| p.label(Cadence::Quarterly)).unwrap_or_default(),
            "2022年第三季度"
        );
        assert!(Cadence::None.period_of(d("2022-08-01"), w).is_none());
    }

    #[test]
    fn a_unit_owes_the_ended_periods_of_the_window() {
        let w = (d("2022-05-01"), d("2022-12-31"));
        let months = Cadence::Monthly.ended_periods(w, d("2022-08-10"), 12);
        let starts: Vec<String> = months.iter().map(|p| p.start.to_string()).collect();
        assert_eq!(starts, ["2022-05-01", "2022-06-01", "2022-07-01"]);
        assert_eq!(
            Cadence::Monthly.ended_periods(w, d("2023-06-01"), 3).len(),
            3
        );
        assert!(
            Cadence::Once
                .ended_periods(w, d("2022-12-31"), 5)
                .is_empty()
        );
        assert_eq!(Cadence::Once.ended_periods(w, d("2023-01-01"), 5).len(), 1);
        // A week straddling the window's start counts from its Monday.
        let weeks = Cadence::Weekly.ended_periods(w, d("2022-05-10"), 10);
        assert_eq!(weeks.first().map(|p| p.start), Some(d("2022-04-25")));
    }
}
