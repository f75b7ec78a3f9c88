use super::{ApiResult, int_param};
use crate::error::ApiError;
use crate::extract::{ApiCaller, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::calendar::DayInput;
use anjian_domain::calendar::SpecialDay;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_working_days))
        .routes(routes!(add_calendar_days))
        .routes(routes!(year, replace_year))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AddQuery {
    /// 起算日 YYYY-MM-DD
    #[param(value_type = chrono::NaiveDate, required = true)]
    from: Option<String>,
    /// 天数（0-3650）
    #[param(value_type = i64, required = true, minimum = 0, maximum = 3650)]
    days: Option<String>,
}

/// A date counted from another.
#[derive(Serialize, ToSchema)]
struct Counted {
    /// 推算出的日期 YYYY-MM-DD
    #[schema(value_type = chrono::NaiveDate)]
    date: String,
    #[schema(value_type = chrono::NaiveDate)]
    from: String,
    days: u32,
    /// working_days | calendar_days
    basis: &'static str,
}

/// A year's holidays and working weekend days.
#[derive(Serialize, ToSchema)]
struct Year {
    year: i32,
    days: Vec<SpecialDay>,
}

/// The `{year}` of a calendar's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<String>`; this names it in the document
pub(super) struct YearPath {
    /// 年份（2000-2100）
    #[param(minimum = 2000, maximum = 2100)]
    year: i32,
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

#[utoipa::path(
    get,
    path = "/calendar/add-working-days",
    tag = "calendar",
    summary = "工作日推算（自次日起算）",
    params(AddQuery),
    responses((status = 200, description = "推算结果", body = Counted))
)]
async fn add_working_days(
    State(state): State<AppState>,
    _a: ApiCaller,
    AppQuery(q): AppQuery<AddQuery>,
) -> ApiResult<Json<Counted>> {
    let (from, days) = parse_add(&q)?;
    let date = blocking(&state, move |app| app.add_working_days(from, days)).await?;
    Ok(Json(Counted {
        date: date.to_string(),
        from: from.to_string(),
        days,
        basis: "working_days",
    }))
}

#[utoipa::path(
    get,
    path = "/calendar/add-calendar-days",
    tag = "calendar",
    summary = "自然日推算（末日遇节假日顺延）",
    params(AddQuery),
    responses((status = 200, description = "推算结果", body = Counted))
)]
async fn add_calendar_days(
    State(state): State<AppState>,
    _a: ApiCaller,
    AppQuery(q): AppQuery<AddQuery>,
) -> ApiResult<Json<Counted>> {
    let (from, days) = parse_add(&q)?;
    let date = blocking(&state, move |app| app.add_calendar_days(from, days)).await?;
    Ok(Json(Counted {
        date: date.to_string(),
        from: from.to_string(),
        days,
        basis: "calendar_days",
    }))
}

/// A year of a path: 2000–2100, else 404 (no such resource).
pub(super) fn year_of(s: &str) -> ApiResult<i32> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "年份应为 2000–2100"))
}

#[utoipa::path(
    get,
    path = "/calendar/{year}",
    tag = "calendar",
    summary = "某年法定节假日与调休上班日",
    params(YearPath),
    responses((status = 200, description = "节假日与调休上班日", body = Year))
)]
async fn year(
    State(state): State<AppState>,
    _a: ApiCaller,
    Path(y): Path<String>,
) -> ApiResult<Json<Year>> {
    let y = year_of(&y)?;
    let days = blocking(&state, move |app| app.calendar_year(y)).await?;
    Ok(Json(Year { year: y, days }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct YearBody {
    days: Vec<DayInput>,
}

#[utoipa::path(
    put,
    path = "/calendar/{year}",
    tag = "calendar",
    summary = "整体替换某年节假日（管理员）",
    params(YearPath),
    request_body = YearBody,
    responses((status = 200, description = "替换后的节假日", body = Year))
)]
async fn replace_year(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(y): Path<String>,
    AppJson(b): AppJson<YearBody>,
) -> ApiResult<Json<Year>> {
    let y = year_of(&y)?;
    let days = blocking(&state, move |app| {
        app.replace_calendar_year(&a.caller, y, &b.days)?;
        app.calendar_year(y)
    })
    .await?;
    Ok(Json(Year { year: y, days }))
}
