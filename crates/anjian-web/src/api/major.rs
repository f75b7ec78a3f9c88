use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::major::CaseInput;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, DOCX, Items};
use anjian_app::Page;
use anjian_app::hazards::HazardView;
use anjian_app::major::CaseView;
use anjian_app::records::major::{Bulletin, MajorCase};

/// A listed case with its hazard.
#[derive(Serialize, ToSchema)]
struct ListedCase {
    case: MajorCase,
    hazard: HazardView,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(bulletins, issue))
        .routes(routes!(bulletin_file))
        .routes(routes!(show))
        .routes(routes!(act))
}
#[utoipa::path(
    get,
    path = "/major-hazards",
    tag = "major",
    summary = "重大事故隐患清单（一单四制）",
    params(crate::query::CaseQuery),
    responses((status = 200, description = "一页清单事项", body = Page<ListedCase>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::CaseQuery>,
) -> ApiResult<Json<Page<ListedCase>>> {
    let today = state.app.clock.today();
    let f = crate::query::major_filter_of(&q, today)?;
    let page = blocking(&state, move |app| app.list_major_cases(&a.caller, &f)).await?;
    let items = page
        .items
        .into_iter()
        .map(|(case, hazard)| ListedCase { case, hazard })
        .collect();
    Ok(Json(Page {
        items,
        next: page.next,
    }))
}
#[utoipa::path(
    get,
    path = "/major-hazards/{id}",
    tag = "major",
    summary = "清单事项（含台账、延期）",
    params(super::IdPath),
    responses((status = 200, description = "清单事项", body = CaseView))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<CaseView>> {
    let v = blocking(&state, move |app| app.major_case(&a.caller, id)).await?;
    Ok(Json(v))
}
#[utoipa::path(
    post,
    path = "/major-hazards/{id}/actions",
    tag = "major",
    summary = "办理：list 认定列入清单、downgrade 降为一般、assign 交办、start 五落实并整改、ledger 台账、request_extension/approve_extension/deny_extension 延期、request_closeout 申请销号、accept 验收销号、fail 退回",
    params(super::IdPath),
    request_body = CaseInput,
    responses((status = 200, description = "办理后的清单事项", body = CaseView))
)]

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<CaseInput>,
) -> ApiResult<Json<CaseView>> {
    let v = blocking(&state, move |app| app.major_action(&a.caller, id, &input)).await?;
    Ok(Json(v))
}
#[utoipa::path(
    get,
    path = "/major-hazards/bulletins",
    tag = "major",
    summary = "通报列表",
    responses((status = 200, description = "通报", body = Items<Bulletin>))
)]

async fn bulletins(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<Bulletin>>> {
    let items = blocking(&state, move |app| app.bulletins(&a.caller)).await?;
    Ok(Items::of(items))
}
#[utoipa::path(
    post,
    path = "/major-hazards/bulletins",
    tag = "major",
    summary = "发布本期通报（每期一份）",
    responses((status = 200, description = "本期通报", body = Bulletin), (status = 409, description = "本期已发布", body = super::openapi::ErrorBody))
)]

async fn issue(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<(StatusCode, Json<Bulletin>)> {
    let (b, _) = blocking(&state, move |app| app.issue_bulletin(&a.caller)).await?;
    Ok((StatusCode::OK, Json(b)))
}
#[utoipa::path(
    get,
    path = "/major-hazards/bulletins/{id}",
    tag = "major",
    summary = "通报 Word 文件",
    params(super::IdPath),
    responses((status = 200, description = "Word 文件", content_type = DOCX, body = Binary))
)]

async fn bulletin_file(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (b, doc) = blocking(&state, move |app| app.bulletin_file(&a.caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("通报{}.docx", b.cycle),
        &format!("bulletin-{}.docx", b.cycle),
        doc,
    ))
}
