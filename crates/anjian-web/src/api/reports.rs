use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::reports::{ReportInput, ReportStep};
use anjian_domain::reward::RewardRule;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, XLSX};
use anjian_app::Page;
use anjian_app::reports::ReportView;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(act))
        .routes(routes!(rule, set_rule))
}
#[utoipa::path(
    get,
    path = "/reports",
    tag = "reports",
    summary = "举报事项",
    params(crate::query::PageQuery),
    responses((status = 200, description = "一页举报事项", body = Page<ReportView>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Page<ReportView>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.reports_page(&a.caller, &k)).await?;
    Ok(Json(page))
}
#[utoipa::path(
    post,
    path = "/reports",
    tag = "reports",
    summary = "受理举报（实名须姓名、电话；匿名不兑现奖励）",
    request_body = ReportInput,
    responses((status = 201, description = "举报事项", body = ReportView))
)]

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<ReportInput>,
) -> ApiResult<(StatusCode, Json<ReportView>)> {
    let v = blocking(&state, move |app| app.receive_report(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}
#[utoipa::path(
    get,
    path = "/reports/{id}",
    tag = "reports",
    summary = "举报事项详情",
    params(super::IdPath),
    responses((status = 200, description = "举报事项", body = ReportView))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<ReportView>> {
    let v = blocking(&state, move |app| app.report(&a.caller, id)).await?;
    Ok(Json(v))
}
#[utoipa::path(
    post,
    path = "/reports/{id}/actions",
    tag = "reports",
    summary = "办理：assign 交办、verify 核查（可登记隐患、关联案件）、reward 按规则计算并批准奖励、pay 发放",
    params(super::IdPath),
    request_body = ReportStep,
    responses((status = 200, description = "办理后的举报事项", body = ReportView))
)]

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<ReportStep>,
) -> ApiResult<Json<ReportView>> {
    let v = blocking(&state, move |app| app.report_step(&a.caller, id, &s)).await?;
    Ok(Json(v))
}
#[utoipa::path(
    get,
    path = "/reward-rule",
    tag = "reports",
    summary = "举报奖励规则",
    responses((status = 200, description = "规则", body = RewardRule))
)]

async fn rule(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<RewardRule>> {
    let r = blocking(&state, move |app| app.reward_rule()).await?;
    Ok(Json(r))
}
#[utoipa::path(
    put,
    path = "/reward-rule",
    tag = "reports",
    summary = "修改举报奖励规则（管理员）",
    request_body = RewardRule,
    responses((status = 200, description = "保存后的规则", body = RewardRule))
)]

async fn set_rule(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(r): AppJson<RewardRule>,
) -> ApiResult<Json<RewardRule>> {
    let r = blocking(&state, move |app| app.set_reward_rule(&a.caller, &r)).await?;
    Ok(Json(r))
}
#[utoipa::path(
    get,
    path = "/reports/export",
    tag = "reports",
    summary = "举报奖励台账（Excel，不含举报人电话）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.reports_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "reports.xlsx"))
}
