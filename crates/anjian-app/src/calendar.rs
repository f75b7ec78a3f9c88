//! The working-day calendar: shipped data, admin edits, deadline arithmetic.

use crate::{App, AppError, Caller, Result};
use anjian_domain::calendar::{Calendar, DayKind, SpecialDay, shipped_year, shipped_years};
use anjian_domain::scope::Permission;
use anjian_domain::{Scope, ValidationErrors};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Inserts the shipped years that the store does not have yet (edited years are kept).
pub fn ensure_shipped(app: &App) -> Result<usize> {
    let have = app.store.calendar_years()?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "system");
    let mut added = 0;
    for y in shipped_years() {
        if !have.contains(&y) {
            app.store
                .replace_calendar_year(&change, y, &shipped_year(y))?;
            added += 1;
        }
    }
    Ok(added)
}

/// A special day as entered.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayInput {
    pub date: String,
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

impl App {
    pub fn calendar(&self) -> Result<std::sync::Arc<Calendar>> {
        Ok(self.store.calendar()?)
    }

    pub fn calendar_year(&self, year: i32) -> Result<Vec<SpecialDay>> {
        Ok(self.store.calendar_days(Some(year))?)
    }

    /// Replaces a year's holidays and make-up working days (admin).
    pub fn replace_calendar_year(
        &self,
        caller: &Caller,
        year: i32,
        days: &[DayInput],
    ) -> Result<()> {
        caller.require(Permission::ManageOrganisation)?;
        if !(2000..=2100).contains(&year) {
            return Err(ValidationErrors::single("year", "年份应在 2000–2100 之间").into());
        }
        let mut e = ValidationErrors::new();
        let mut out: Vec<SpecialDay> = Vec::new();
        for (i, d) in days.iter().enumerate() {
            let f = |k: &str| format!("days[{i}].{k}");
            let date = e.check(&f("date"), anjian_domain::validation::parse_date(&d.date));
            let kind = DayKind::parse(d.kind.trim());
            if kind.is_none() {
                e.add(&f("kind"), "类型应为 holiday（放假）或 workday（调休上班）");
            }
            if let Some(date) = date {
                // A block may start in the last days of the previous year (元旦).
                let ok = date.year() == year || (date.year() == year - 1 && date.month() == 12);
                if !ok {
                    e.add(&f("date"), format!("日期不属于 {year} 年"));
                }
                if out.iter().any(|x| x.date == date) {
                    e.add(&f("date"), "日期重复");
                }
                if let Some(kind) = kind {
                    out.push(SpecialDay {
                        date,
                        kind,
                        name: d.name.trim().chars().take(30).collect(),
                    });
                }
            }
        }
        e.into_result()?;
        out.sort_by_key(|d| d.date);
        Ok(self
            .store
            .replace_calendar_year(&caller.change(&Scope::system(), self), year, &out)?)
    }

    /// Marks one day (admin), as the calendar page's click does: `mark` is `holiday`
    /// (法定节假日, or a weekday off in a holiday block), `workday` (a weekend day worked,
    /// 调休上班) or `normal` (back to an ordinary working day or weekend); `name` is the
    /// holiday's. Answers the year the day is filed under.
    pub fn set_calendar_day(
        &self,
        caller: &Caller,
        day: &str,
        mark: &str,
        name: &str,
    ) -> Result<i32> {
        caller.require(Permission::ManageOrganisation)?;
        let mut e = ValidationErrors::new();
        let date = e.check("day", anjian_domain::validation::parse_date(day.trim()));
        if let Some(d) = date
            && !(2000..=2100).contains(&d.year())
        {
            e.add("day", "日期应在 2000–2100 年之间");
        }
        let kind = match mark.trim() {
            "normal" => None,
            m => match DayKind::parse(m) {
                Some(k) => Some(k),
                None => {
                    e.add("mark", "请选择法定节假日、调休上班或恢复平常");
                    None
                }
            },
        };
        if let (Some(d), Some(DayKind::Workday)) = (date, kind)
            && d.weekday().num_days_from_monday() < 5
        {
            e.add(
                "mark",
                format!("{d}是星期一至星期五，本来就是工作日，不用标为调休上班"),
            );
        }
        e.into_result()?;
        let Some(date) = date else {
            return Err(ValidationErrors::single("day", "日期格式应为 YYYY-MM-DD").into());
        };
        let name: String = name.trim().chars().take(30).collect();
        Ok(self.store.set_calendar_day(
            &caller.change(&Scope::system(), self),
            date,
            kind.map(|k| (k, name.as_str())),
        )?)
    }

    /// `days` working days after `from` (counting starts the next day).
    pub fn add_working_days(&self, from: NaiveDate, days: u32) -> Result<NaiveDate> {
        self.calendar()?
            .add_working_days(from, days)
            .ok_or_else(|| AppError::Validation(ValidationErrors::single("days", "天数超出范围")))
    }

    /// `days` calendar days after `from`; a last day off moves to the next working day.
    pub fn add_calendar_days(&self, from: NaiveDate, days: u32) -> Result<NaiveDate> {
        self.calendar()?
            .add_calendar_days(from, days)
            .ok_or_else(|| AppError::Validation(ValidationErrors::single("days", "天数超出范围")))
    }
}
