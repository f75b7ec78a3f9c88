//! 包片包线: the county leaders and their dated areas (townships, sectors).

use super::ApiResult;
use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{Binary, Items, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::leaders::{AssignmentDraft, AssignmentQuery, AssignmentView, LeaderDraft};
use anjian_app::records::leaders::Leader;
use anjian_domain::leader::AreaKind;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(assignments, assign))
        .routes(routes!(end))
        .routes(routes!(responsible))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
}

#[utoipa::path(
    get,
    path = "/leaders",
    tag = "leaders",
    summary = "县领导名单",
    responses((status = 200, description = "领导", body = Items<Leader>))
)]
async fn list(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Items<Leader>>> {
    let items = blocking(&state, move |app| app.leaders(&a.caller)).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    post,
    path = "/leaders",
    tag = "leaders",
    summary = "新增县领导（管理员）：姓名、职务、电话、关联账号",
    request_body = LeaderDraft,
    responses((status = 201, description = "领导", body = Leader))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<LeaderDraft>,
) -> ApiResult<(StatusCode, Json<Leader>)> {
    let l = blocking(&state, move |app| app.create_leader(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(l)))
}

#[utoipa::path(
    get,
    path = "/leaders/{id}",
    tag = "leaders",
    summary = "县领导",
    params(super::IdPath),
    responses((status = 200, description = "领导", body = Leader))
)]
async fn get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Leader>> {
    let l = blocking(&state, move |app| app.leader(&a.caller, id)).await?;
    Ok(Json(l))
}

/// A leader's edit: the fields and the version read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LeaderEdit {
    name: String,
    post: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    user_id: Option<i64>,
    #[serde(default)]
    sort_order: Option<i64>,
    #[serde(default)]
    active: Option<bool>,
    /// 修改时须带上读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/leaders/{id}",
    tag = "leaders",
    summary = "修改县领导（管理员）",
    params(super::IdPath),
    request_body = LeaderEdit,
    responses((status = 200, description = "修改后的领导", body = Leader))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<LeaderEdit>,
) -> ApiResult<Json<Leader>> {
    let Some(version) = b.version else {
        return Err(crate::query::bad(
            "version",
            "修改时须提供读取时的版本号 version",
        ));
    };
    let d = LeaderDraft {
        name: b.name,
        post: b.post,
        phone: b.phone,
        user_id: b.user_id,
        sort_order: b.sort_order,
        active: b.active,
    };
    let l = blocking(&state, move |app| {
        app.update_leader(&a.caller, id, version, &d)
    })
    .await?;
    Ok(Json(l))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AssignmentParams {
    /// 领导编号
    #[param(value_type = Option<i64>)]
    leader_id: Option<String>,
    /// township（包片）| sector（包线）
    #[param(value_type = Option<AreaKind>, inline)]
    kind: Option<String>,
    /// 乡镇区划代码或行业领域代码
    target: Option<String>,
    /// 只列该日（YYYY-MM-DD）有效的安排
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

#[utoipa::path(
    get,
    path = "/leader-assignments",
    tag = "leaders",
    summary = "包片包线安排（含历史；as_of 为某日有效的）",
    params(AssignmentParams),
    responses((status = 200, description = "安排", body = Items<AssignmentView>))
)]
async fn assignments(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<AssignmentParams>,
) -> ApiResult<Json<Items<AssignmentView>>> {
    let query = AssignmentQuery {
        leader_id: crate::query::int_param("leader_id", &q.leader_id, 1, i64::MAX)?,
        kind: q.kind,
        target: q.target,
        as_of: q.as_of,
    };
    let items = blocking(&state, move |app| app.assignments(&a.caller, &query)).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    post,
    path = "/leader-assignments",
    tag = "leaders",
    summary = "安排包片包线（管理员）：该对象原有的安排于新安排起始日的前一日终止",
    request_body = AssignmentDraft,
    responses((status = 201, description = "新安排", body = AssignmentView))
)]
async fn assign(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<AssignmentDraft>,
) -> ApiResult<(StatusCode, Json<AssignmentView>)> {
    let v = blocking(&state, move |app| app.assign_leader(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The last day of an assignment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct EndBody {
    /// 终止日期（YYYY-MM-DD），该日仍由其负责
    valid_to: String,
}

#[utoipa::path(
    post,
    path = "/leader-assignments/{id}/end",
    tag = "leaders",
    summary = "终止包片包线安排（管理员）",
    params(super::IdPath),
    request_body = EndBody,
    responses((status = 200, description = "终止后的安排", body = AssignmentView))
)]
async fn end(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<EndBody>,
) -> ApiResult<Json<AssignmentView>> {
    let v = blocking(&state, move |app| {
        app.end_assignment(&a.caller, id, &b.valid_to)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ResponsibleParams {
    /// township（包片）| sector（包线）
    #[param(value_type = AreaKind, inline)]
    kind: String,
    /// 乡镇区划代码或行业领域代码
    target: String,
    /// 哪一天（YYYY-MM-DD，默认今天）
    #[param(value_type = Option<String>, format = Date)]
    on: Option<String>,
}

/// Who answered for a target on a day.
#[derive(Serialize, ToSchema)]
struct Responsible {
    /// 该日负责的领导及其安排；无人负责时为 null
    assignment: Option<AssignmentView>,
}

#[utoipa::path(
    get,
    path = "/leader-assignments/responsible",
    tag = "leaders",
    summary = "某日由哪位领导包保某乡镇或行业领域",
    params(ResponsibleParams),
    responses((status = 200, description = "负责的领导", body = Responsible))
)]
async fn responsible(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ResponsibleParams>,
) -> ApiResult<Json<Responsible>> {
    let kind = AreaKind::from_words(&q.kind)
        .ok_or_else(|| crate::query::bad("kind", "应为 township 或 sector"))?;
    let on = crate::query::date_param("on", &q.on)?;
    let assignment = blocking(&state, move |app| {
        let on = on.unwrap_or_else(|| app.clock.today());
        app.responsible_leader(&a.caller, kind, q.target.trim(), on)
    })
    .await?;
    Ok(Json(Responsible { assignment }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ExportParams {
    /// 只导出该日（YYYY-MM-DD）有效的安排
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

#[utoipa::path(
    get,
    path = "/leader-assignments/export",
    tag = "leaders",
    summary = "包片包线台账（Excel，列与导入相同）",
    params(ExportParams),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ExportParams>,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| {
        app.leaders_ledger(
            &a.caller,
            q.as_of.as_deref().filter(|s| !s.trim().is_empty()),
        )
    })
    .await?;
    Ok(super::xlsx_file(bytes, "leader-assignments.xlsx"))
}

#[utoipa::path(
    post,
    path = "/leader-assignments/import",
    tag = "leaders",
    summary = "导入包片包线安排（CSV/XLSX，管理员）",
    description = "导入包片包线安排（multipart 字段 file，CSV/XLSX；列：领导姓名、职务、联系电话、类别（包片/包线）、包保对象（乡镇或行业领域的名称或代码）、依据文件、起始日期、终止日期；名单中没有的领导按该行的职务、电话新增；每条安排按文件顺序交接，该对象原有的安排于起始日前一日终止；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束，超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略）",
    params(ImportQuery),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = ImportRefused),
    )
)]
async fn import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_leaders(&a.caller, t, opts)
    })
    .await
}
