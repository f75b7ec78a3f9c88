use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::cases::{CaseInput, CaseStep};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, XLSX};
use anjian_app::Page;
use anjian_app::cases::CaseView;
use anjian_app::records::cases::CaseEvent;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(record))
        .routes(routes!(act))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// 程序：simple 简易 | general 普通
    procedure: Option<String>,
    /// 状态
    status: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

#[utoipa::path(
    get,
    path = "/cases",
    tag = "cases",
    summary = "行政处罚案件",
    params(ListQuery),
    responses((status = 200, description = "一页案件", body = Page<CaseView>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Page<CaseView>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| {
        app.cases_page(
            &a.caller,
            q.procedure.as_deref().filter(|s| !s.is_empty()),
            q.status.as_deref().filter(|s| !s.is_empty()),
            &k,
        )
    })
    .await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/cases",
    tag = "cases",
    summary = "立案（普通程序）或当场处罚（简易程序，限额内）",
    request_body = CaseInput,
    responses((status = 201, description = "案件", body = CaseView))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CaseInput>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    let v = blocking(&state, move |app| app.open_case(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A case with its steps and the commission it was opened under.
#[derive(Serialize, ToSchema)]
struct CaseDetail {
    #[serde(flatten)]
    case: CaseView,
    /// 办理记录
    events: Vec<CaseEvent>,
    /// 委托执法（乡镇受委托办理时）
    commission: Option<CaseCommission>,
}

/// The commission a case was opened under.
#[derive(Serialize, ToSchema)]
struct CaseCommission {
    commission_id: i64,
    item_code: String,
    agency: String,
}

#[utoipa::path(
    get,
    path = "/cases/{id}",
    tag = "cases",
    summary = "案件详情（含办理记录、法定时限）",
    params(super::IdPath),
    responses((status = 200, description = "案件", body = CaseDetail))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<CaseDetail>> {
    let (v, events, commission) = blocking(&state, move |app| {
        let (v, events) = app.case(&a.caller, id)?;
        let commission = app.case_commission(&a.caller, id)?;
        Ok((v, events, commission))
    })
    .await?;
    Ok(Json(CaseDetail {
        case: v,
        events,
        commission: commission.map(|(commission_id, item_code, agency)| CaseCommission {
            commission_id,
            item_code,
            agency,
        }),
    }))
}

#[utoipa::path(
    post,
    path = "/cases/{id}/actions",
    tag = "cases",
    summary = "办理：investigate、notify、review 法制审核、decide、serve、execute、close 等",
    params(super::IdPath),
    request_body = CaseStep,
    responses((status = 200, description = "办理后的案件", body = CaseView))
)]
async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<CaseStep>,
) -> ApiResult<Json<CaseView>> {
    let v = blocking(&state, move |app| app.case_step(&a.caller, id, &s)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/cases/export",
    tag = "cases",
    summary = "行政处罚案件台账（Excel）",
    responses((status = 200, description = "案件台账", content_type = XLSX, body = Binary))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.cases_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "cases.xlsx"))
}

#[utoipa::path(
    get,
    path = "/cases/{id}/record",
    tag = "cases",
    summary = "执法全过程记录：每个环节、文书、佐证材料及其审计链位置（seq、hash）",
    params(super::IdPath),
    responses((status = 200, description = "案卷", body = anjian_app::cases::CaseRecord))
)]
async fn record(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<anjian_app::cases::CaseRecord>> {
    let r = blocking(&state, move |app| app.case_record(&a.caller, id)).await?;
    Ok(Json(r))
}
