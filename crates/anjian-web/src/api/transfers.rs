use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::transfers::{TransferInput, TransferStep};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, XLSX};
use anjian_app::Page;
use anjian_app::transfers::TransferView;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(act))
}
#[utoipa::path(
    get,
    path = "/transfers",
    tag = "transfers",
    summary = "行刑衔接移送事项",
    params(crate::query::PageQuery),
    responses((status = 200, description = "一页移送事项", body = Page<TransferView>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Page<TransferView>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.transfers_page(&a.caller, &k)).await?;
    Ok(Json(page))
}
#[utoipa::path(
    post,
    path = "/transfers",
    tag = "transfers",
    summary = "提出移送报告（2名以上执法人员核实）",
    request_body = TransferInput,
    responses((status = 201, description = "移送事项", body = TransferView))
)]

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<TransferInput>,
) -> ApiResult<(StatusCode, Json<TransferView>)> {
    let v = blocking(&state, move |app| app.report_transfer(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}
#[utoipa::path(
    get,
    path = "/transfers/{id}",
    tag = "transfers",
    summary = "移送事项（含法定时限）",
    params(super::IdPath),
    responses((status = 200, description = "移送事项", body = TransferView))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<TransferView>> {
    let v = blocking(&state, move |app| app.transfer(&a.caller, id)).await?;
    Ok(Json(v))
}
#[utoipa::path(
    post,
    path = "/transfers/{id}/actions",
    tag = "transfers",
    summary = "办理：approve、reject（须理由）、transfer（须先制发移送书；公安机关、抄送检察院）、police_limit（延长立案审查期限）、police_filed、police_not_filed、reconsider（提请复议）、supervise（建议立案监督）",
    params(super::IdPath),
    request_body = TransferStep,
    responses((status = 200, description = "办理后的移送事项", body = TransferView))
)]

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<TransferStep>,
) -> ApiResult<Json<TransferView>> {
    let v = blocking(&state, move |app| app.transfer_step(&a.caller, id, &s)).await?;
    Ok(Json(v))
}
#[utoipa::path(
    get,
    path = "/transfers/export",
    tag = "transfers",
    summary = "行刑衔接台账（Excel）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.transfers_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "transfers.xlsx"))
}
