use super::{ApiResult, int_param};
use crate::error::ApiError;
use crate::extract::{ApiCaller, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::calendar::DayInput;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar/add-working-days", get(add_working_days))
        .route("/calendar/add-calendar-days", get(add_calendar_days))
        .route("/calendar/{year}", get(year).put(replace_year))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddQuery {
    from: Option<String>,
    days: Option<String>,
}

fn parse_add(q: &AddQuery) -> ApiResult<(chrono::NaiveDate, u32)> {
    let unprocessable = |f: &str, m: String| {
        ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", f, m)
    };
    let from = anjian_domain::validation::parse_date(q.from.as_deref().unwrap_or_default())
        .map_err(|m| unprocessable("from", m))?;
    let days = int_param(
        "days",
        &q.days,
        0,
        i64::from(anjian_domain::calendar::MAX_DAYS),
    )?
    .ok_or_else(|| unprocessable("days", "请给出天数".into()))?;
    Ok((from, days as u32))
}

async fn add_working_days(
    State(state): State<AppState>,
    _a: ApiCaller,
    AppQuery(q): AppQuery<AddQuery>,
) -> ApiResult<Json<Value>> {
    let (from, days) = parse_add(&q)?;
    let date = blocking(&state, move |app| app.add_working_days(from, days)).await?;
    Ok(Json(
        json!({ "date": date.to_string(), "from": from.to_string(), "days": days, "basis": "working_days" }),
    ))
}

async fn add_calendar_days(
    State(state): State<AppState>,
    _a: ApiCaller,
    AppQuery(q): AppQuery<AddQuery>,
) -> ApiResult<Json<Value>> {
    let (from, days) = parse_add(&q)?;
    let date = blocking(&state, move |app| app.add_calendar_days(from, days)).await?;
    Ok(Json(
        json!({ "date": date.to_string(), "from": from.to_string(), "days": days, "basis": "calendar_days" }),
    ))
}

fn year_of(s: &str) -> ApiResult<i32> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "年份应为 2000–2100"))
}

async fn year(
    State(state): State<AppState>,
    _a: ApiCaller,
    Path(y): Path<String>,
) -> ApiResult<Json<Value>> {
    let y = year_of(&y)?;
    let days = blocking(&state, move |app| app.calendar_year(y)).await?;
    Ok(Json(json!({ "year": y, "days": days })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearBody {
    days: Vec<DayInput>,
}

async fn replace_year(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(y): Path<String>,
    AppJson(b): AppJson<YearBody>,
) -> ApiResult<Json<Value>> {
    let y = year_of(&y)?;
    let days = blocking(&state, move |app| {
        app.replace_calendar_year(&a.caller, y, &b.days)?;
        app.calendar_year(y)
    })
    .await?;
    Ok(Json(json!({ "year": y, "days": days })))
}
