use super::ApiResult;
use crate::extract::{ApiCaller, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::commissions::CommissionInput;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, Items, XLSX};
use anjian_app::Page;
use anjian_app::commissions::CommissionFigure;
use anjian_app::records::commissions::Commission;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(figures))
}
#[utoipa::path(
    get,
    path = "/commissions",
    tag = "commissions",
    summary = "委托执法协议",
    params(crate::query::PageQuery),
    responses((status = 200, description = "一页协议", body = Page<Commission>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Page<Commission>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.commissions_page(&a.caller, &k)).await?;
    Ok(Json(page))
}
#[utoipa::path(
    post,
    path = "/commissions",
    tag = "commissions",
    summary = "登记委托执法协议（管理员）：受委托乡镇、委托机关、事项及罚款上限、有效期",
    request_body = CommissionInput,
    responses((status = 201, description = "协议", body = Commission))
)]

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CommissionInput>,
) -> ApiResult<(StatusCode, Json<Commission>)> {
    let c = blocking(&state, move |app| app.create_commission(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(c)))
}
#[utoipa::path(
    get,
    path = "/commissions/figures",
    tag = "commissions",
    summary = "受委托办理的简易程序案件数（按委托机关、事项）",
    responses((status = 200, description = "案件数", body = Items<CommissionFigure>))
)]

async fn figures(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<CommissionFigure>>> {
    let items = blocking(&state, move |app| app.commission_figures(&a.caller)).await?;
    Ok(Items::of(items))
}
#[utoipa::path(
    get,
    path = "/commissions/export",
    tag = "commissions",
    summary = "委托执法台账（Excel）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.commissions_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "commissions.xlsx"))
}
