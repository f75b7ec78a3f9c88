//! The working-day calendar: the year as twelve month grids (weeks × 星期一…星期日), each day
//! marked 工作日, 休息日, 法定节假日 or 调休上班; the 安委办 clicks a day to mark it with the
//! mark chosen above the grids (each day is a submit button of one form, so it works without
//! script; `static/app.js` sends the click in the background and redraws the grids). The
//! period calculator, the list of special days and the whole-year text entry stay.

use super::{Chrome, render, see_other, urlencode};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::calendar::DayInput;
use anjian_domain::calendar::{DayKind, SpecialDay};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(page).post(save))
        .route("/calendar/day", post(set_day))
}

const WEEKDAYS: [&str; 7] = [
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
];

/// The marks a click can give a day: (value, words).
const MARKS: [(&str, &str); 3] = [
    ("holiday", "法定节假日（放假）"),
    ("workday", "调休上班"),
    ("normal", "恢复平常（周一至周五上班、周六周日休息）"),
];

/// One day of a month grid.
struct DayCell {
    date: String,
    day: u32,
    /// The day's kind for its colour: `work`, `rest`, `holiday` or `workday`.
    class: &'static str,
    /// The mark printed in the corner (休, 班), so the kind does not rest on colour alone.
    corner: &'static str,
    /// The whole day in words, for screen readers and the tooltip.
    label: String,
    today: bool,
}

struct MonthGrid {
    month: u32,
    weeks: Vec<[Option<DayCell>; 7]>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    /// The years whose holidays are maintained, as one line.
    maintained: String,
    /// The year shown has no holiday data.
    unmaintained: bool,
    months: Vec<MonthGrid>,
    rows: Vec<(String, &'static str, bool, String)>,
    text: String,
    from: String,
    days: String,
    result: Option<String>,
    error: Option<String>,
    /// A refused whole-year entry, in words.
    bulk_error: Option<String>,
    /// What the last click did, in words.
    changed: Option<String>,
    /// A refused click on a day, in words.
    day_error: Option<String>,
    can_manage: bool,
    marks: [(&'static str, &'static str); 3],
    /// The mark and name chosen for clicks (kept from one click to the next).
    mark: String,
    name: String,
}

/// What a day is, in the calendar's four words: (class, corner mark, words).
fn kind_of(
    date: NaiveDate,
    special: Option<DayKind>,
) -> (&'static str, &'static str, &'static str) {
    match special {
        Some(DayKind::Holiday) => ("holiday", "休", "法定节假日"),
        Some(DayKind::Workday) => ("workday", "班", "调休上班"),
        None if date.weekday().num_days_from_monday() >= 5 => ("rest", "", "休息日"),
        None => ("work", "", "工作日"),
    }
}

/// The year's twelve month grids, weeks from Monday.
fn months(
    year: i32,
    special: &BTreeMap<NaiveDate, &SpecialDay>,
    today: NaiveDate,
) -> Vec<MonthGrid> {
    (1..=12)
        .filter_map(|month| {
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let mut weeks: Vec<[Option<DayCell>; 7]> = Vec::new();
            let mut week: [Option<DayCell>; 7] = Default::default();
            let mut d = first;
            while d.month() == month {
                let col = d.weekday().num_days_from_monday() as usize;
                let sd = special.get(&d);
                let (class, corner, words) = kind_of(d, sd.map(|s| s.kind));
                let name = sd
                    .map(|s| s.name.as_str())
                    .filter(|n| !n.is_empty())
                    .map(|n| format!("（{n}）"))
                    .unwrap_or_default();
                week[col] = Some(DayCell {
                    date: d.format("%Y-%m-%d").to_string(),
                    day: d.day(),
                    class,
                    corner,
                    label: format!("{}月{}日 {} {words}{name}", month, d.day(), WEEKDAYS[col]),
                    today: d == today,
                });
                if col == 6 {
                    weeks.push(std::mem::take(&mut week));
                }
                d = d.succ_opt()?;
            }
            if week.iter().any(Option::is_some) {
                weeks.push(week);
            }
            Some(MonthGrid { month, weeks })
        })
        .collect()
}

fn year_of(q: &BTreeMap<String, String>, today: NaiveDate) -> i32 {
    q.get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today.year())
}

/// How the page shows a refusal: the bulk entry's message or a click's.
enum Refused {
    None,
    Bulk(String, String),
    Day(String),
}

async fn render_page(
    state: &AppState,
    pc: &PageCaller,
    q: &BTreeMap<String, String>,
    refused: Refused,
) -> Result<Response, PageError> {
    let today = state.app.clock.today();
    let year = year_of(q, today);
    let from = q.get("from").cloned().unwrap_or_default();
    let days = q.get("days").cloned().unwrap_or_default();
    let (f2, d2) = (from.clone(), days.clone());
    let (instance, filed, next, years, computed) = blocking(state, move |app| {
        let computed = if f2.is_empty() && d2.is_empty() {
            None
        } else {
            let from = anjian_domain::validation::parse_date(&f2)
                .map_err(|m| AppError::BadRequest(format!("起算日：{m}")));
            let n = d2
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= anjian_domain::calendar::MAX_DAYS)
                .ok_or_else(|| AppError::BadRequest("天数应为 0–3650 的整数".into()));
            Some(match (from, n) {
                (Ok(f), Ok(n)) => {
                    let (w, c) = (app.add_working_days(f, n)?, app.add_calendar_days(f, n)?);
                    Ok((f, n, w, c, app.calendar()?.gap(f, w.max(c))))
                }
                (Err(e), _) | (_, Err(e)) => Err(e.user_message()),
            })
        };
        Ok((
            app.instance_name()?,
            app.calendar_year(year)?,
            // The last days of December may be filed under the next year's 元旦.
            app.calendar_year(year + 1)?,
            app.calendar_years()?,
            computed,
        ))
    })
    .await?;
    let (result, calc_error) = match computed {
        None => (None, None),
        Some(Ok((f, n, w, c, gap))) => (
            Some(format!(
                "自 {f} 起 {n} 个工作日：{w}；{n} 日（遇节假日顺延）：{c}{}",
                gap.map(|g| format!("。注意：{g}，结果可能不准确"))
                    .unwrap_or_default()
            )),
            None,
        ),
        Some(Err(m)) => (None, Some(m)),
    };
    let in_year: BTreeMap<NaiveDate, &SpecialDay> = filed
        .iter()
        .chain(next.iter())
        .filter(|d| d.date.year() == year)
        .map(|d| (d.date, d))
        .collect();
    let rows = in_year
        .values()
        .map(|d| {
            (
                d.date.to_string(),
                WEEKDAYS[d.date.weekday().num_days_from_monday() as usize],
                d.kind == DayKind::Holiday,
                d.name.clone(),
            )
        })
        .collect();
    let (text, bulk_error, day_error) = match refused {
        Refused::None => (None, None, None),
        Refused::Bulk(m, t) => (Some(t), Some(m), None),
        Refused::Day(m) => (None, None, Some(m)),
    };
    let text = text.unwrap_or_else(|| {
        filed
            .iter()
            .map(|d| format!("{} {} {}", d.date, d.kind.as_str(), d.name))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let maintained = years
        .iter()
        .map(|y| format!("{y}年"))
        .collect::<Vec<_>>()
        .join("、");
    let unmaintained = !years.contains(&year);
    let mut years = years;
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable();
    }
    let mark = q
        .get("mark")
        .filter(|m| MARKS.iter().any(|(v, _)| v == m))
        .cloned()
        .unwrap_or_else(|| "holiday".into());
    let page = CalendarPage {
        chrome: Chrome::new(pc, instance, "工作日历", "calendar")
            .flash(q.get("saved").map(|_| "已保存")),
        year,
        years,
        maintained,
        unmaintained,
        months: months(year, &in_year, today),
        rows,
        text,
        from,
        days,
        result,
        error: calc_error,
        bulk_error,
        changed: q.get("changed").map(|d| changed_words(d, &in_year)),
        day_error,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
        marks: MARKS,
        mark,
        name: q.get("name").cloned().unwrap_or_default(),
    };
    Ok(render(&page))
}

/// "已将10月8日（星期六）标为调休上班（国庆节调休上班）".
fn changed_words(day: &str, special: &BTreeMap<NaiveDate, &SpecialDay>) -> String {
    let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return String::new();
    };
    let sd = special.get(&d);
    let (_, _, words) = kind_of(d, sd.map(|s| s.kind));
    let name = sd
        .map(|s| s.name.as_str())
        .filter(|n| !n.is_empty())
        .map(|n| format!("（{n}）"))
        .unwrap_or_default();
    format!(
        "已将{}年{}月{}日（{}）标为{words}{name}",
        d.year(),
        d.month(),
        d.day(),
        WEEKDAYS[d.weekday().num_days_from_monday() as usize]
    )
}

async fn page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    render_page(&state, &pc, &q, Refused::None).await
}

/// A click on a day: marks it with the mark chosen above the grids.
async fn set_day(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (day, mark, name) = (form.get("day"), form.get("mark"), form.get("name"));
    let today = state.app.clock.today();
    let mut q: BTreeMap<String, String> = BTreeMap::new();
    q.insert("year".into(), form.get("year"));
    let year = year_of(&q, today);
    let caller = pc.caller.clone();
    let (d2, m2, n2) = (day.clone(), mark.clone(), name.clone());
    match blocking(&state, move |app| {
        app.set_calendar_day(&caller, &d2, &m2, &n2)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/calendar?year={year}&mark={}&name={}&changed={}#m{}",
            urlencode(&mark),
            urlencode(&name),
            urlencode(&day),
            NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_or(1, |d| d.month())
        ))),
        Err(AppError::Validation(v)) => {
            let msg = v
                .fields
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            q.insert("mark".into(), mark);
            q.insert("name".into(), name);
            let mut res =
                render_page(&state, &pc, &q, Refused::Day(format!("未修改：{msg}"))).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

/// The whole year as text (one day a line), replacing the year's data.
async fn save(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let year = q
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .unwrap_or(0);
    let text = form.get("days");
    let days: Vec<DayInput> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, char::is_whitespace);
            DayInput {
                date: parts.next().unwrap_or_default().to_string(),
                kind: parts.next().unwrap_or_default().to_string(),
                name: parts.next().unwrap_or_default().trim().to_string(),
            }
        })
        .collect();
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.replace_calendar_year(&caller, year, &days)
    })
    .await
    {
        Ok(()) => Ok(see_other(&format!("/calendar?year={year}&saved=1"))),
        Err(AppError::Validation(v)) => {
            let msg = v
                .fields
                .iter()
                .map(|(k, m)| format!("{}：{}", line_of(k), m.join("；")))
                .collect::<Vec<_>>()
                .join("；");
            let mut res = render_page(
                &state,
                &pc,
                &q,
                Refused::Bulk(format!("未保存：{msg}"), text),
            )
            .await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

/// Where a message about the calendar's lines points, in words: `days[2].date` is 第3行的日期.
fn line_of(key: &str) -> String {
    let Some(rest) = key.strip_prefix("days[") else {
        return "日历".into();
    };
    let (n, field) = rest
        .split_once("].")
        .unwrap_or((rest.trim_end_matches(']'), ""));
    let what = match field {
        "date" => "日期",
        "kind" => "类型",
        "name" => "名称",
        _ => "",
    };
    match n.parse::<usize>() {
        Ok(i) => format!(
            "第{}行{}{what}",
            i + 1,
            if what.is_empty() { "" } else { "的" }
        ),
        Err(_) => "日历".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_named_in_words() {
        assert_eq!(line_of("days[2].date"), "第3行的日期");
        assert_eq!(line_of("days[0].kind"), "第1行的类型");
        assert_eq!(line_of("year"), "日历");
    }

    #[test]
    fn months_are_weeks_from_monday_with_each_day_marked() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let national = SpecialDay {
            date: d("2022-10-03"),
            kind: DayKind::Holiday,
            name: "国庆节".into(),
        };
        let worked = SpecialDay {
            date: d("2022-10-08"),
            kind: DayKind::Workday,
            name: String::new(),
        };
        let special: BTreeMap<NaiveDate, &SpecialDay> =
            [(national.date, &national), (worked.date, &worked)].into();
        let m = months(2022, &special, d("2022-10-10"));
        assert_eq!(m.len(), 12);
        let oct = &m[9];
        // 2022-10-01 was a Saturday: the first week starts with five empty days.
        assert!(oct.weeks[0][..5].iter().all(Option::is_none));
        let cell = |w: usize, c: usize| oct.weeks[w][c].as_ref().map(|x| (x.day, x.class));
        assert_eq!(cell(0, 5), Some((1, "rest")));
        assert_eq!(cell(1, 0), Some((3, "holiday")));
        assert_eq!(cell(1, 5), Some((8, "workday")));
        assert_eq!(cell(2, 0), Some((10, "work")));
        assert_eq!(oct.weeks.len(), 6, "31 October 2022 was a Monday");
        assert!(oct.weeks[2][0].as_ref().is_some_and(|x| x.today));
        assert_eq!(
            oct.weeks[1][0].as_ref().map(|x| x.label.as_str()),
            Some("10月3日 星期一 法定节假日（国庆节）")
        );
    }
}
