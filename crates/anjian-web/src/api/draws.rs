use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::draws::DrawRequest;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, DOCX, Done, XLSX};
use anjian_app::Page;
use anjian_app::draws::{DrawView, Verification};
use anjian_app::records::draws::Draw;

/// A draw recomputed from its published inputs, and whether it matches.
#[derive(Serialize, ToSchema)]
#[schema(as = DrawVerified)]
struct Verified {
    #[serde(flatten)]
    verification: Verification,
    /// 承诺值、结果与任务均一致
    #[serde(rename = "match")]
    matches: bool,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(run))
        .routes(routes!(publish))
        .routes(routes!(act))
        .routes(routes!(verify))
        .routes(routes!(publicity))
        .routes(routes!(conflict))
}
#[utoipa::path(
    get,
    path = "/draws",
    tag = "draws",
    summary = "双随机抽查批次",
    params(crate::query::PageQuery),
    responses((status = 200, description = "一页批次", body = Page<Draw>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Page<Draw>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.draws_page(&a.caller, &k)).await?;
    Ok(Json(page))
}
#[utoipa::path(
    post,
    path = "/draws",
    tag = "draws",
    summary = "建立抽查批次：按类别从名录库建池、执法人员名录、回避关系，公布输入与种子承诺值",
    request_body = DrawRequest,
    responses((status = 201, description = "批次", body = DrawView))
)]

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(req): AppJson<DrawRequest>,
) -> ApiResult<(StatusCode, Json<DrawView>)> {
    let v = blocking(&state, move |app| app.create_draw(&a.caller, &req)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}
#[utoipa::path(
    get,
    path = "/draws/{id}",
    tag = "draws",
    summary = "抽查批次（含输入、承诺值、抽取后揭示的种子、任务、公示期限）",
    params(super::IdPath),
    responses((status = 200, description = "批次", body = DrawView))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<DrawView>> {
    let v = blocking(&state, move |app| app.draw_view(&a.caller, id)).await?;
    Ok(Json(v))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RunInput {
    /// 公开随机数（可选）
    #[serde(default)]
    entropy: String,
}
#[utoipa::path(
    post,
    path = "/draws/{id}/draw",
    tag = "draws",
    summary = "抽取（可带公开随机数 entropy；每批次一次）",
    params(super::IdPath),
    request_body = RunInput,
    responses((status = 200, description = "抽取后的批次", body = DrawView))
)]

async fn run(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<RunInput>,
) -> ApiResult<Json<DrawView>> {
    let v = blocking(&state, move |app| {
        app.run_draw(&a.caller, id, &input.entropy)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PublishInput {
    /// 公示日期 YYYY-MM-DD
    #[schema(value_type = chrono::NaiveDate)]
    published_on: String,
    published_where: String,
}
#[utoipa::path(
    post,
    path = "/draws/{id}/publish",
    tag = "draws",
    summary = "登记结果公示：published_on、published_where",
    params(super::IdPath),
    request_body = PublishInput,
    responses((status = 200, description = "公示后的批次", body = DrawView))
)]

async fn publish(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<PublishInput>,
) -> ApiResult<Json<DrawView>> {
    let v = blocking(&state, move |app| {
        app.publish_draw(&a.caller, id, &input.published_on, &input.published_where)
    })
    .await?;
    Ok(Json(v))
}

/// A step of the draw loop, named by `action` like every workflow's steps.
#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum DrawStep {
    Draw(RunInput),
    Publish(PublishInput),
}

impl utoipa::PartialSchema for DrawStep {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        super::openapi::action_steps(vec![
            ("draw", <RunInput as utoipa::PartialSchema>::schema()),
            ("publish", <PublishInput as utoipa::PartialSchema>::schema()),
        ])
    }
}

impl ToSchema for DrawStep {}
#[utoipa::path(
    post,
    path = "/draws/{id}/actions",
    tag = "draws",
    summary = "办理：draw（entropy）、publish（published_on、published_where）",
    params(super::IdPath),
    request_body = DrawStep,
    responses((status = 200, description = "办理后的批次", body = DrawView))
)]

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(step): AppJson<DrawStep>,
) -> ApiResult<Json<DrawView>> {
    let v = blocking(&state, move |app| match step {
        DrawStep::Draw(i) => app.run_draw(&a.caller, id, &i.entropy),
        DrawStep::Publish(i) => {
            app.publish_draw(&a.caller, id, &i.published_on, &i.published_where)
        }
    })
    .await?;
    Ok(Json(v))
}
#[utoipa::path(
    get,
    path = "/draws/{id}/verify",
    tag = "draws",
    summary = "按公布的输入重新抽取并核对（match）",
    params(super::IdPath),
    responses((status = 200, description = "核对结果", body = Verified))
)]

async fn verify(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Verified>> {
    let v = blocking(&state, move |app| app.verify_draw(&a.caller.scope, id)).await?;
    Ok(Json(Verified {
        matches: v.matches(),
        verification: v,
    }))
}
#[utoipa::path(
    get,
    path = "/draws/{id}/publicity",
    tag = "draws",
    summary = "随机抽查结果公示（Word）",
    params(super::IdPath),
    responses((status = 200, description = "Word 文件", content_type = DOCX, body = Binary))
)]

async fn publicity(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.draw_publicity_docx(&a.caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("随机抽查结果公示{id}.docx"),
        &format!("draw-publicity-{id}.docx"),
        bytes,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ConflictInput {
    user_id: i64,
    enterprise_id: i64,
    reason: String,
}
#[utoipa::path(
    post,
    path = "/inspector-conflicts",
    tag = "draws",
    summary = "登记执法人员回避关系：user_id、enterprise_id、reason",
    request_body = ConflictInput,
    responses((status = 201, description = "已登记", body = Done))
)]

async fn conflict(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<ConflictInput>,
) -> ApiResult<(StatusCode, Json<Done>)> {
    blocking(&state, move |app| {
        app.add_inspector_conflict(&a.caller, input.user_id, input.enterprise_id, &input.reason)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Done { ok: true })))
}
#[utoipa::path(
    get,
    path = "/draws/export",
    tag = "draws",
    summary = "双随机抽查台账（Excel，每个任务一行）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.draws_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "draws.xlsx"))
}
