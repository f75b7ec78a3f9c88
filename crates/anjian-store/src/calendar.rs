//! The working-day calendar's special days, editable per year.

use crate::db::Row;
use crate::{Change, Result, Store, params};
use anjian_domain::calendar::{Calendar, DayKind, SpecialDay};
use chrono::NaiveDate;

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| crate::StoreError::Backend(format!("bad date {s}: {e}")))
}

/// Every special day, in date order.
const ALL_DAYS: &str = "SELECT day, kind, name, year FROM calendar_days ORDER BY day";

fn special_day(r: &Row) -> Result<SpecialDay> {
    Ok(SpecialDay {
        date: date(&r.text(0)?)?,
        kind: {
            let v = r.text(1)?;
            DayKind::parse(&v).ok_or_else(|| crate::StoreError::Corrupt {
                table: "calendar_days",
                row: 0,
                column: "kind",
                value: format!("{v} ({})", r.text(0).unwrap_or_default()),
            })?
        },
        name: r.text(2)?,
    })
}

impl Store {
    /// Special days, of one year or all.
    pub fn calendar_days(&self, year: Option<i32>) -> Result<Vec<SpecialDay>> {
        let (sql, p) = match year {
            Some(y) => (
                "SELECT day, kind, name FROM calendar_days WHERE year = ? ORDER BY day",
                vec![crate::Value::Int(i64::from(y))],
            ),
            None => (ALL_DAYS, vec![]),
        };
        self.db()
            .read(|tx| tx.query(sql, &p)?.iter().map(special_day).collect())
    }

    /// The years that have calendar data.
    pub fn calendar_years(&self) -> Result<Vec<i32>> {
        self.db().read(|tx| {
            tx.query("SELECT DISTINCT year FROM calendar_days ORDER BY year", &[])?
                .iter()
                .map(|r| Ok(r.i64(0)? as i32))
                .collect()
        })
    }

    /// The calendar built from the stored special days.
    ///
    /// Kept while the database is unchanged (see [`crate::memo`]): every working-day
    /// deadline of a list (each case step on the to-do page) asks for it.
    pub fn calendar(&self) -> Result<std::sync::Arc<Calendar>> {
        self.calendar_memo.read(self.db(), ALL_DAYS, &[], |rows| {
            let days = rows
                .iter()
                .map(|r| special_day(r).map(|d| (d.date, d.kind)))
                .collect::<Result<Vec<_>>>()?;
            // A year is maintained when the 安委办 has entered (or kept the shipped) data for it.
            let years = rows
                .iter()
                .map(|r| r.i64(3).map(|y| y as i32))
                .collect::<Result<Vec<_>>>()?;
            Ok(std::sync::Arc::new(Calendar::with_years(days, years)))
        })
    }

    /// Replaces one year's special days (audited). Days are filed under `year` even when a
    /// holiday block starts in the previous December (e.g. 元旦 2023 from 2022-12-31).
    pub fn replace_calendar_year(
        &self,
        change: &Change<'_>,
        year: i32,
        days: &[SpecialDay],
    ) -> Result<()> {
        change.require_writable()?;
        self.write(|tx| {
            let before: Vec<String> = tx
                .query(
                    "SELECT day, kind, name FROM calendar_days WHERE year = ? ORDER BY day",
                    &params![i64::from(year)],
                )?
                .iter()
                .map(|r| Ok(format!("{} {} {}", r.text(0)?, r.text(1)?, r.text(2)?)))
                .collect::<Result<_>>()?;
            tx.execute(
                "DELETE FROM calendar_days WHERE year = ?",
                &params![i64::from(year)],
            )?;
            for d in days {
                tx.execute(
                    "INSERT INTO calendar_days (day, year, kind, name) VALUES (?, ?, ?, ?)",
                    &params![
                        d.date.format("%Y-%m-%d").to_string(),
                        i64::from(year),
                        d.kind.as_str(),
                        d.name.as_str()
                    ],
                )?;
            }
            let after: Vec<String> = days
                .iter()
                .map(|d| format!("{} {} {}", d.date, d.kind.as_str(), d.name))
                .collect();
            crate::audit::append(
                tx,
                change,
                "calendar.replace",
                "calendar",
                &year.to_string(),
                "",
                Some(serde_json::json!({ "days": before })),
                Some(serde_json::json!({ "days": after })),
            )
        })
    }

    /// Marks one day (a holiday or a working weekend day, with its name), or with `kind`
    /// `None` makes it an ordinary day again, in one transaction audited like a replacement
    /// of the year the day is filed under (its own, unless it already belonged to another's
    /// block, such as 元旦 from the previous December). Answers that year.
    pub fn set_calendar_day(
        &self,
        change: &Change<'_>,
        day: NaiveDate,
        kind: Option<(DayKind, &str)>,
    ) -> Result<i32> {
        change.require_writable()?;
        let text = day.format("%Y-%m-%d").to_string();
        self.write(|tx| {
            let filed = tx
                .query(
                    "SELECT year FROM calendar_days WHERE day = ?",
                    &params![text.as_str()],
                )?
                .first()
                .map(|r| r.i64(0))
                .transpose()?;
            let year = filed.map_or(i64::from(chrono::Datelike::year(&day)), |y| y);
            let list = |tx: &mut dyn crate::db::Tx| -> Result<Vec<String>> {
                tx.query(
                    "SELECT day, kind, name FROM calendar_days WHERE year = ? ORDER BY day",
                    &params![year],
                )?
                .iter()
                .map(|r| Ok(format!("{} {} {}", r.text(0)?, r.text(1)?, r.text(2)?)))
                .collect()
            };
            let before = list(tx)?;
            tx.execute(
                "DELETE FROM calendar_days WHERE day = ?",
                &params![text.as_str()],
            )?;
            if let Some((kind, name)) = kind {
                tx.execute(
                    "INSERT INTO calendar_days (day, year, kind, name) VALUES (?, ?, ?, ?)",
                    &params![text.as_str(), year, kind.as_str(), name],
                )?;
            }
            let after = list(tx)?;
            crate::audit::append(
                tx,
                change,
                "calendar.replace",
                "calendar",
                &year.to_string(),
                "",
                Some(serde_json::json!({ "days": before })),
                Some(serde_json::json!({ "days": after })),
            )?;
            i32::try_from(year).map_err(|_| crate::StoreError::Backend(format!("year {year}")))
        })
    }
}
