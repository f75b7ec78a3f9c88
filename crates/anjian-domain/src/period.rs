//! Statistical periods: a year, half-year, quarter, month or a custom day range, each
//! an inclusive `[from, to]` of dates with its Chinese name and its predecessor (for
//! increases over the previous period).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Year,
    Half,
    Quarter,
    Month,
    Range,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub kind: PeriodKind,
    /// Canonical text: `2022`, `2022-H1`, `2022-Q3`, `2022-05` or `2022-01-01..2022-06-30`.
    pub code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1)?.pred_opt()
}

/// The last day of `d`'s month.
pub fn last_of_month(d: NaiveDate) -> Option<NaiveDate> {
    month_end(d.year(), d.month())
}

/// Whether `[from, to]` is made of whole months: it starts on a 1st and ends on a month's
/// last day (a year, a half, a quarter, a month, or several of them).
pub fn is_whole_months(from: NaiveDate, to: NaiveDate) -> bool {
    from <= to && from.day() == 1 && last_of_month(to) == Some(to)
}

impl Period {
    fn months(kind: PeriodKind, code: String, y: i32, first: u32, last: u32) -> Option<Self> {
        Some(Period {
            kind,
            code,
            from: ymd(y, first, 1)?,
            to: month_end(y, last)?,
        })
    }

    pub fn year(y: i32) -> Option<Self> {
        Self::months(PeriodKind::Year, format!("{y}"), y, 1, 12)
    }

    pub fn half(y: i32, h: u32) -> Option<Self> {
        if !(1..=2).contains(&h) {
            return None;
        }
        Self::months(PeriodKind::Half, format!("{y}-H{h}"), y, h * 6 - 5, h * 6)
    }

    pub fn quarter(y: i32, q: u32) -> Option<Self> {
        if !(1..=4).contains(&q) {
            return None;
        }
        Self::months(
            PeriodKind::Quarter,
            format!("{y}-Q{q}"),
            y,
            q * 3 - 2,
            q * 3,
        )
    }

    pub fn month(y: i32, m: u32) -> Option<Self> {
        if !(1..=12).contains(&m) {
            return None;
        }
        Self::months(PeriodKind::Month, format!("{y}-{m:02}"), y, m, m)
    }

    pub fn range(from: NaiveDate, to: NaiveDate) -> Option<Self> {
        (from <= to).then(|| Period {
            kind: PeriodKind::Range,
            code: format!("{from}..{to}"),
            from,
            to,
        })
    }

    /// Parses the canonical forms; `None` for anything else (years 1990–2100).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once("..") {
            let d = |t: &str| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok();
            return Self::range(d(a)?, d(b)?);
        }
        let (y, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if y.len() != 4 {
            return None;
        }
        let y: i32 = y.parse().ok().filter(|y| (1990..=2100).contains(y))?;
        match rest {
            None => Self::year(y),
            Some(r) if r.starts_with(['H', 'h']) => Self::half(y, r[1..].parse().ok()?),
            Some(r) if r.starts_with(['Q', 'q']) => Self::quarter(y, r[1..].parse().ok()?),
            Some(r) if r.len() == 2 => Self::month(y, r.parse().ok()?),
            _ => None,
        }
    }

    /// The same period a year earlier (2022-Q3 → 2021-Q3; a range moves each end back a year,
    /// 29 February becoming the 28th), for year-on-year figures (同比).
    pub fn year_ago(&self) -> Option<Self> {
        let y = self.from.year();
        let m = self.from.month();
        let back = |d: NaiveDate| {
            d.with_year(d.year() - 1)
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
        };
        match self.kind {
            PeriodKind::Year => Self::year(y - 1),
            PeriodKind::Half => Self::half(y - 1, m.div_ceil(6)),
            PeriodKind::Quarter => Self::quarter(y - 1, m.div_ceil(3)),
            PeriodKind::Month => Self::month(y - 1, m),
            PeriodKind::Range => Self::range(back(self.from)?, back(self.to)?),
        }
    }

    /// The period of the same kind just before (a range: the same number of days before).
    pub fn previous(&self) -> Option<Self> {
        let y = self.from.year();
        let m = self.from.month();
        match self.kind {
            PeriodKind::Year => Self::year(y - 1),
            PeriodKind::Half => match m {
                1 => Self::half(y - 1, 2),
                _ => Self::half(y, 1),
            },
            PeriodKind::Quarter => match m {
                1 => Self::quarter(y - 1, 4),
                _ => Self::quarter(y, m.div_ceil(3) - 1),
            },
            PeriodKind::Month => match m {
                1 => Self::month(y - 1, 12),
                _ => Self::month(y, m - 1),
            },
            PeriodKind::Range => {
                let days = (self.to - self.from).num_days();
                let to = self.from.pred_opt()?;
                Self::range(to - chrono::Duration::days(days), to)
            }
        }
    }

    /// The months of the period, for trends (at most 120).
    pub fn months_within(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut y = self.from.year();
        let mut m = self.from.month();
        while out.len() < 120 {
            let Some(p) = Self::month(y, m) else { break };
            if p.from > self.to {
                break;
            }
            out.push(p);
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }

    /// Chinese name: 2022年, 2022年上半年, 2022年第三季度, 2022年5月, 2022-01-01至2022-06-30.
    pub fn name(&self) -> String {
        let y = self.from.year();
        match self.kind {
            PeriodKind::Year => format!("{y}年"),
            PeriodKind::Half => format!(
                "{y}年{}",
                if self.from.month() == 1 {
                    "上半年"
                } else {
                    "下半年"
                }
            ),
            PeriodKind::Quarter => {
                let q = ["一", "二", "三", "四"][((self.from.month() - 1) / 3) as usize];
                format!("{y}年第{q}季度")
            }
            PeriodKind::Month => format!("{y}年{}月", self.from.month()),
            PeriodKind::Range => format!("{}至{}", self.from, self.to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn month_ends() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(last_of_month(d("2024-02-10")), Some(d("2024-02-29")));
        assert_eq!(last_of_month(d("2022-12-01")), Some(d("2022-12-31")));
        assert!(is_whole_months(d("2022-01-01"), d("2022-06-30")));
        assert!(!is_whole_months(d("2022-01-01"), d("2022-06-29")));
        assert!(!is_whole_months(d("2022-03-15"), d("2022-04-30")));
    }

    #[test]
    fn parses_every_kind() {
        assert_eq!(p("2022").to.to_string(), "2022-12-31");
        assert_eq!(p("2022-H2").from.to_string(), "2022-07-01");
        assert_eq!(p("2024-Q1").to.to_string(), "2024-03-31");
        assert_eq!(p("2024-02").to.to_string(), "2024-02-29");
        assert_eq!(p("2022-01-05..2022-02-01").code, "2022-01-05..2022-02-01");
        for bad in [
            "",
            "22",
            "2022-Q5",
            "2022-H0",
            "2022-13",
            "2022-02-01..2022-01-01",
            "x",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn previous_periods() {
        assert_eq!(
            p("2022-Q1").previous().map(|x| x.code),
            Some("2021-Q4".into())
        );
        assert_eq!(
            p("2022-Q3").previous().map(|x| x.code),
            Some("2022-Q2".into())
        );
        assert_eq!(
            p("2022-H1").previous().map(|x| x.code),
            Some("2021-H2".into())
        );
        assert_eq!(
            p("2022-01").previous().map(|x| x.code),
            Some("2021-12".into())
        );
        assert_eq!(
            p("2022-01-11..2022-01-20").previous().map(|x| x.code),
            Some("2022-01-01..2022-01-10".into())
        );
    }

    #[test]
    fn names_and_months() {
        assert_eq!(p("2022-Q3").name(), "2022年第三季度");
        assert_eq!(p("2022-H1").name(), "2022年上半年");
        assert_eq!(p("2022").months_within().len(), 12);
        assert_eq!(p("2022-Q2").months_within()[0].code, "2022-04");
    }

    #[test]
    fn year_ago_is_the_same_period_a_year_earlier() {
        let code = |s: &str| Period::parse(s).and_then(|p| p.year_ago()).map(|p| p.code);
        assert_eq!(code("2022").as_deref(), Some("2021"));
        assert_eq!(code("2022-H2").as_deref(), Some("2021-H2"));
        assert_eq!(code("2022-Q3").as_deref(), Some("2021-Q3"));
        assert_eq!(code("2022-05").as_deref(), Some("2021-05"));
        assert_eq!(
            code("2024-02-29..2024-03-31").as_deref(),
            Some("2023-02-28..2023-03-31")
        );
    }
}
