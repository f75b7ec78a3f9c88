use super::{Chrome, render, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::calendar::DayInput;
use anjian_domain::calendar::DayKind;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::Datelike;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/calendar", get(page).post(save))
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
    rows: Vec<(String, &'static str, bool, String)>,
    text: String,
    from: String,
    days: String,
    result: Option<String>,
    error: Option<String>,
    can_manage: bool,
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

async fn render_page(
    state: &AppState,
    pc: &PageCaller,
    q: &BTreeMap<String, String>,
    error: Option<String>,
    text: Option<String>,
) -> Result<Response, PageError> {
    let today = state.app.clock.today();
    let year = q
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today.year());
    let from = q.get("from").cloned().unwrap_or_default();
    let days = q.get("days").cloned().unwrap_or_default();
    let (f2, d2) = (from.clone(), days.clone());
    let (instance, special, years, computed) = blocking(state, move |app| {
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
    let rows = special
        .iter()
        .map(|d| {
            (
                d.date.to_string(),
                WEEKDAYS[d.date.weekday().num_days_from_monday() as usize],
                d.kind == DayKind::Holiday,
                d.name.clone(),
            )
        })
        .collect();
    let text = text.unwrap_or_else(|| {
        special
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
    let page = CalendarPage {
        chrome: Chrome::new(pc, instance, "工作日历", "calendar")
            .flash(q.get("saved").map(|_| "已保存")),
        year,
        years,
        maintained,
        unmaintained,
        rows,
        text,
        from,
        days,
        result,
        error: error.or(calc_error),
        can_manage: pc.caller.can(Permission::ManageOrganisation),
    };
    Ok(render(&page))
}

async fn page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    render_page(&state, &pc, &q, None, None).await
}

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
            let mut res =
                render_page(&state, &pc, &q, Some(format!("未保存：{msg}")), Some(text)).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
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
mod line_tests {
    #[test]
    fn lines_are_named_in_words() {
        assert_eq!(super::line_of("days[2].date"), "第3行的日期");
        assert_eq!(super::line_of("days[0].kind"), "第1行的类型");
        assert_eq!(super::line_of("year"), "日历");
    }
}
