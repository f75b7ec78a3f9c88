use super::{ApiResult, int_param};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::listings::{ListingProposal, ListingStep};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Items;
use anjian_app::listings::{ListingFigures, ListingView};
use anjian_app::records::listings::ListingEvent;

/// A year's listing figures.
#[derive(Serialize, ToSchema)]
struct Figures {
    year: i32,
    figures: ListingFigures,
}

/// A listing with its steps.
#[derive(Serialize, ToSchema)]
struct ListingDetail {
    #[serde(flatten)]
    listing: ListingView,
    events: Vec<ListingEvent>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, propose))
        .routes(routes!(figures))
        .routes(routes!(show))
        .routes(routes!(act))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct YearQuery {
    /// 年度（2000-2100，默认今年）
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
}
#[utoipa::path(
    get,
    path = "/listings",
    tag = "listings",
    summary = "挂牌督办事项（按年度，含上年结转）",
    params(YearQuery),
    responses((status = 200, description = "督办事项", body = Items<ListingView>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Json<Items<ListingView>>> {
    let year = int_param("year", &q.year, 2000, 2100)?.map(|y| y as i32);
    let items = blocking(&state, move |app| app.listings(&a.caller, year)).await?;
    Ok(Items::of(items))
}
#[utoipa::path(
    get,
    path = "/listings/figures",
    tag = "listings",
    summary = "年度挂牌、摘牌（含结转）数",
    params(YearQuery),
    responses((status = 200, description = "数字", body = Figures))
)]

async fn figures(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Json<Figures>> {
    let year = int_param("year", &q.year, 2000, 2100)?.map(|y| y as i32);
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&state.app.clock.today()));
    let f = blocking(&state, move |app| app.listing_figures(&a.caller, year)).await?;
    Ok(Json(Figures { year, figures: f }))
}
#[utoipa::path(
    post,
    path = "/listings",
    tag = "listings",
    summary = "提请挂牌督办",
    request_body = ListingProposal,
    responses((status = 201, description = "督办事项", body = ListingView))
)]

async fn propose(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(p): AppJson<ListingProposal>,
) -> ApiResult<(StatusCode, Json<ListingView>)> {
    let v = blocking(&state, move |app| app.propose_listing(&a.caller, &p)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}
#[utoipa::path(
    get,
    path = "/listings/{id}",
    tag = "listings",
    summary = "挂牌督办事项详情",
    params(super::IdPath),
    responses((status = 200, description = "督办事项及办理记录", body = ListingDetail))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<ListingDetail>> {
    let (v, events) = blocking(&state, move |app| app.listing(&a.caller, id)).await?;
    Ok(Json(ListingDetail { listing: v, events }))
}
#[utoipa::path(
    post,
    path = "/listings/{id}/actions",
    tag = "listings",
    summary = "办理：approve、list、extend、request_delist、verify、reject、delist",
    params(super::IdPath),
    request_body = ListingStep,
    responses((status = 200, description = "办理后的督办事项", body = ListingView))
)]

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<ListingStep>,
) -> ApiResult<Json<ListingView>> {
    let v = blocking(&state, move |app| app.listing_step(&a.caller, id, &s)).await?;
    Ok(Json(v))
}
