//! The injected clock. Nothing else in anjian reads the system time
//! (`clippy.toml` bans the direct calls).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::sync::Mutex;

/// China Standard Time (UTC+8), the civil time of every date anjian shows or counts.
pub fn china_offset() -> FixedOffset {
    // 8 * 3600 is always within the valid range; fall back to UTC defensively.
    FixedOffset::east_opt(8 * 3600).unwrap_or(Utc.fix())
}

use chrono::Offset;
use chrono::TimeZone;

/// The first instant of the China Standard Time day `d`, in UTC (16:00 of the day before).
pub fn china_day_start(d: NaiveDate) -> DateTime<Utc> {
    let local = d.and_time(chrono::NaiveTime::MIN);
    Utc.from_utc_datetime(
        &(local - chrono::Duration::seconds(i64::from(china_offset().local_minus_utc()))),
    )
}

pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in China Standard Time.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&china_offset()).date_naive()
    }

    /// The wall-clock time in China Standard Time (for limits stated in hours).
    fn local_now(&self) -> chrono::NaiveDateTime {
        self.now().with_timezone(&china_offset()).naive_local()
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved; for tests and deterministic demos.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// A clock at 09:00 China time on the given date.
    pub fn at_date(date: NaiveDate) -> Self {
        let local = date.and_hms_opt(9, 0, 0).unwrap_or_default();
        let utc = china_offset()
            .from_local_datetime(&local)
            .single()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local));
        Self::new(utc)
    }

    pub fn set(&self, now: DateTime<Utc>) {
        if let Ok(mut g) = self.now.lock() {
            *g = now;
        }
    }

    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut g) = self.now.lock() {
            *g += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        match self.now.lock() {
            Ok(g) => *g,
            Err(p) => *p.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_china_day_starts_at_16_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
        assert_eq!(china_day_start(d).to_rfc3339(), "2021-12-31T16:00:00+00:00");
        assert_eq!(
            china_day_start(d)
                .with_timezone(&china_offset())
                .date_naive(),
            d
        );
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let d = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap_or_default();
        let c = FixedClock::at_date(d);
        assert_eq!(c.today(), d);
        c.advance(chrono::Duration::days(1));
        assert_eq!(c.today(), d.succ_opt().unwrap_or_default());
    }
}
