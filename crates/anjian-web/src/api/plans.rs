use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::plans::PlanInput;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, Items, XLSX};
use anjian_app::plans::PlanProgress;
use anjian_app::records::plans::Plan;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, save))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(approve))
        .routes(routes!(act))
}

/// A step of the plan loop, named by `action` like every workflow's steps.
#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum PlanStep {
    Revise(anjian_app::plans::PlanRevision),
    Approve(ApproveInput),
}

impl utoipa::PartialSchema for PlanStep {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        super::openapi::action_steps(vec![
            (
                "revise",
                <anjian_app::plans::PlanRevision as utoipa::PartialSchema>::schema(),
            ),
            ("approve", <ApproveInput as utoipa::PartialSchema>::schema()),
        ])
    }
}

impl ToSchema for PlanStep {
    fn schemas(
        out: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <anjian_app::plans::PlanRevision as ToSchema>::schemas(out);
    }
}
#[utoipa::path(
    post,
    path = "/plans/{id}/actions",
    tag = "plans",
    summary = "办理：revise（title、lines、key_enterprise_ids、random_share_percent、version）、approve（version、approved_by、approved_on、doc_no）",
    params(super::IdPath),
    request_body = PlanStep,
    responses((status = 200, description = "办理后的计划", body = Plan))
)]

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(step): AppJson<PlanStep>,
) -> ApiResult<Json<Plan>> {
    let p = blocking(&state, move |app| match step {
        PlanStep::Revise(r) => app.revise_plan(&a.caller, id, &r),
        PlanStep::Approve(i) => app.approve_plan(
            &a.caller,
            id,
            i.version,
            &i.approved_by,
            &i.approved_on,
            &i.doc_no,
        ),
    })
    .await?;
    Ok(Json(p))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// 年度
    year: Option<i64>,
}
#[utoipa::path(
    get,
    path = "/plans",
    tag = "plans",
    summary = "年度执法计划",
    params(ListQuery),
    responses((status = 200, description = "计划", body = Items<Plan>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Items<Plan>>> {
    let items = blocking(&state, move |app| app.plans(&a.caller, q.year)).await?;
    Ok(Items::of(items))
}
#[utoipa::path(
    post,
    path = "/plans",
    tag = "plans",
    summary = "编制或修改（草稿）年度执法计划：按行业领域、企业类别、月份的计划检查数，重点企业，随机抽查比例",
    request_body = PlanInput,
    responses((status = 200, description = "计划", body = Plan))
)]

async fn save(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<PlanInput>,
) -> ApiResult<(StatusCode, Json<Plan>)> {
    let p = blocking(&state, move |app| app.save_plan(&a.caller, &input)).await?;
    Ok((StatusCode::OK, Json(p)))
}
#[utoipa::path(
    get,
    path = "/plans/{id}",
    tag = "plans",
    summary = "计划及执行进度（按月计划数与实际检查数、随机抽查占比、重点企业覆盖）",
    params(super::IdPath),
    responses((status = 200, description = "计划及进度", body = PlanProgress))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<PlanProgress>> {
    let p = blocking(&state, move |app| app.plan_progress(&a.caller, id)).await?;
    Ok(Json(p))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ApproveInput {
    version: i64,
    approved_by: String,
    /// 批准日期 YYYY-MM-DD
    #[schema(value_type = chrono::NaiveDate)]
    approved_on: String,
    #[serde(default)]
    doc_no: String,
}
#[utoipa::path(
    post,
    path = "/plans/{id}/approve",
    tag = "plans",
    summary = "登记政府批准（管理员）：version、approved_by、approved_on、doc_no",
    params(super::IdPath),
    request_body = ApproveInput,
    responses((status = 200, description = "批准后的计划", body = Plan))
)]

async fn approve(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(i): AppJson<ApproveInput>,
) -> ApiResult<Json<Plan>> {
    let p = blocking(&state, move |app| {
        app.approve_plan(
            &a.caller,
            id,
            i.version,
            &i.approved_by,
            &i.approved_on,
            &i.doc_no,
        )
    })
    .await?;
    Ok(Json(p))
}
#[utoipa::path(
    get,
    path = "/plans/export",
    tag = "plans",
    summary = "执法计划执行台账（Excel，每个计划每月一行）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.plans_ledger(&a.caller, None)).await?;
    Ok(super::xlsx_file(bytes, "plans.xlsx"))
}
