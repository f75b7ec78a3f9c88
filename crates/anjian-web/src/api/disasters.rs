//! Natural-disaster responses (自然灾害应对): events, their rounds of response, and each
//! township's figures (reported by the township, checked by the 安委办).

use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{ApiResult, Binary, Done, Items, XLSX};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery, parse_id};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::disasters::{
    DisasterEventDetail, DisasterEventDraft, DisasterEventView, DisasterFigureDraft,
    DisasterFigureView, DisasterQuery, DisasterRoundDraft, DisasterRoundView,
};
use anjian_domain::disaster::DisasterKind;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(add_round))
        .routes(routes!(update_round, delete_round))
        .routes(routes!(figures))
        .routes(routes!(report))
        .routes(routes!(check))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Filters {
    /// 年度（按开始日期）
    #[param(value_type = Option<i32>)]
    year: Option<String>,
    /// 灾种
    #[param(value_type = Option<DisasterKind>, inline)]
    kind: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

impl Filters {
    fn query(&self) -> DisasterQuery {
        DisasterQuery {
            year: self.year.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// The `{id}` of an event and the `{round}` of one of its rounds.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<(String, String)>`; this names them in the document
struct RoundPath {
    /// 灾害过程编号
    #[param(minimum = 1)]
    id: i64,
    /// 响应轮次记录编号
    #[param(minimum = 1)]
    round: i64,
}

/// The `{id}` of an event and a `{township}` (its region code).
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<(String, String)>`; this names them in the document
struct TownshipPath {
    /// 灾害过程编号
    #[param(minimum = 1)]
    id: i64,
    /// 乡镇（街道）区划代码
    township: String,
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "未找到该记录")
}

fn two_ids(p: Result<Path<(String, String)>, PathRejection>) -> ApiResult<(i64, i64)> {
    let Path((a, b)) = p.map_err(|_| not_found())?;
    Ok((
        parse_id(&a).map_err(|_| not_found())?,
        parse_id(&b).map_err(|_| not_found())?,
    ))
}

fn id_and_township(p: Result<Path<(String, String)>, PathRejection>) -> ApiResult<(i64, String)> {
    let Path((a, b)) = p.map_err(|_| not_found())?;
    Ok((parse_id(&a).map_err(|_| not_found())?, b))
}

fn version_of(v: Option<i64>) -> ApiResult<i64> {
    v.ok_or_else(|| crate::query::bad("version", "修改时须提供读取时的版本号 version"))
}

#[utoipa::path(
    get,
    path = "/disaster-events",
    tag = "disasters",
    summary = "自然灾害过程（本县）",
    params(Filters),
    responses((status = 200, description = "一页记录", body = Page<DisasterEventView>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Json<Page<DisasterEventView>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let query = q.query();
    let page = blocking(&state, move |app| {
        app.disaster_events_page(&a.caller, &query, &k)
    })
    .await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/disaster-events",
    tag = "disasters",
    summary = "登记自然灾害过程（安委办）",
    request_body = DisasterEventDraft,
    responses((status = 201, description = "记录", body = DisasterEventView))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<DisasterEventDraft>,
) -> ApiResult<(StatusCode, Json<DisasterEventView>)> {
    let v = blocking(&state, move |app| app.create_disaster_event(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/disaster-events/{id}",
    tag = "disasters",
    summary = "自然灾害过程：响应轮次与本人范围内各乡镇的转移安置数据",
    params(super::IdPath),
    responses((status = 200, description = "记录", body = DisasterEventDetail))
)]
async fn get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<DisasterEventDetail>> {
    let v = blocking(&state, move |app| app.disaster_event_detail(&a.caller, id)).await?;
    Ok(Json(v))
}

/// An event's correction: the fields and the version read.
#[derive(Deserialize, ToSchema)]
#[schema(as = DisasterEventEdit)]
#[serde(deny_unknown_fields)]
struct EventEdit {
    kind: String,
    name: String,
    start_on: String,
    #[serde(default)]
    end_on: Option<String>,
    #[serde(default)]
    warning_level: Option<String>,
    #[serde(default)]
    response_level: Option<String>,
    #[serde(default)]
    summary: String,
    /// 修改时须带上读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/disaster-events/{id}",
    tag = "disasters",
    summary = "更正自然灾害过程（安委办）",
    params(super::IdPath),
    request_body = EventEdit,
    responses((status = 200, description = "更正后的记录", body = DisasterEventView))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<EventEdit>,
) -> ApiResult<Json<DisasterEventView>> {
    let version = version_of(b.version)?;
    let d = DisasterEventDraft {
        kind: b.kind,
        name: b.name,
        start_on: b.start_on,
        end_on: b.end_on,
        warning_level: b.warning_level,
        response_level: b.response_level,
        summary: b.summary,
    };
    let v = blocking(&state, move |app| {
        app.update_disaster_event(&a.caller, id, version, &d)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct VersionParam {
    /// 读取时的版本号
    #[param(value_type = i64)]
    version: String,
}

fn version_param(q: VersionParam) -> ApiResult<i64> {
    crate::query::int_param("version", &Some(q.version), 1, i64::MAX)?
        .ok_or_else(|| crate::query::bad("version", "请提供读取时的版本号"))
}

#[utoipa::path(
    delete,
    path = "/disaster-events/{id}",
    tag = "disasters",
    summary = "删除误登的自然灾害过程及其响应轮次（安委办；已有乡镇报送数据的不能删除；审计日志保留原记录）",
    params(super::IdPath, VersionParam),
    responses(
        (status = 200, description = "已删除", body = Done),
        (status = 409, description = "版本已变，或已有乡镇报送数据", body = super::openapi::ErrorBody),
    )
)]
async fn delete(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<VersionParam>,
) -> ApiResult<Json<Done>> {
    let version = version_param(q)?;
    blocking(&state, move |app| {
        app.delete_disaster_event(&a.caller, id, version)
    })
    .await?;
    Ok(Json(Done { ok: true }))
}

#[utoipa::path(
    post,
    path = "/disaster-events/{id}/rounds",
    tag = "disasters",
    summary = "登记一轮应急响应（安委办）",
    params(super::IdPath),
    request_body = DisasterRoundDraft,
    responses((status = 201, description = "响应轮次", body = DisasterRoundView))
)]
async fn add_round(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<DisasterRoundDraft>,
) -> ApiResult<(StatusCode, Json<DisasterRoundView>)> {
    let v = blocking(&state, move |app| app.add_disaster_round(&a.caller, id, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A round's correction: the fields and the version read.
#[derive(Deserialize, ToSchema)]
#[schema(as = DisasterRoundEdit)]
#[serde(deny_unknown_fields)]
struct RoundEdit {
    started_at: String,
    #[serde(default)]
    ended_at: Option<String>,
    response_level: String,
    #[serde(default)]
    account: String,
    /// 修改时须带上读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/disaster-events/{id}/rounds/{round}",
    tag = "disasters",
    summary = "更正一轮应急响应（安委办）",
    params(RoundPath),
    request_body = RoundEdit,
    responses((status = 200, description = "响应轮次", body = DisasterRoundView))
)]
async fn update_round(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(b): AppJson<RoundEdit>,
) -> ApiResult<Json<DisasterRoundView>> {
    let (id, round) = two_ids(p)?;
    let version = version_of(b.version)?;
    let d = DisasterRoundDraft {
        started_at: b.started_at,
        ended_at: b.ended_at,
        response_level: b.response_level,
        account: b.account,
    };
    let v = blocking(&state, move |app| {
        app.update_disaster_round(&a.caller, id, round, version, &d)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    delete,
    path = "/disaster-events/{id}/rounds/{round}",
    tag = "disasters",
    summary = "删除误登的响应轮次（安委办）",
    params(RoundPath, VersionParam),
    responses((status = 200, description = "已删除", body = Done))
)]
async fn delete_round(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppQuery(q): AppQuery<VersionParam>,
) -> ApiResult<Json<Done>> {
    let (id, round) = two_ids(p)?;
    let version = version_param(q)?;
    blocking(&state, move |app| {
        app.delete_disaster_round(&a.caller, id, round, version)
    })
    .await?;
    Ok(Json(Done { ok: true }))
}

#[utoipa::path(
    get,
    path = "/disaster-events/{id}/townships",
    tag = "disasters",
    summary = "各乡镇报送的转移安置数据（乡镇只见本乡镇）",
    params(super::IdPath),
    responses((status = 200, description = "各乡镇数据", body = Items<DisasterFigureView>))
)]
async fn figures(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Items<DisasterFigureView>>> {
    let v = blocking(&state, move |app| app.disaster_figures(&a.caller, id)).await?;
    Ok(Items::of(v))
}

/// A township's figures and, for a correction, the version read.
#[derive(Deserialize, ToSchema)]
#[schema(as = DisasterFigureReport)]
#[serde(deny_unknown_fields)]
struct FigureReport {
    #[serde(flatten)]
    figures: DisasterFigureDraft,
    /// 更正已报送的数据时须带上读取时的版本号；首次报送不填
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/disaster-events/{id}/townships/{township}",
    tag = "disasters",
    summary = "报送（或更正）本乡镇的紧急避险转移、紧急转移安置人数等（乡镇报本乡镇；更正后须重新核定）",
    params(TownshipPath),
    request_body = FigureReport,
    responses((status = 200, description = "本乡镇数据", body = DisasterFigureView))
)]
async fn report(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(b): AppJson<FigureReport>,
) -> ApiResult<Json<DisasterFigureView>> {
    let (id, township) = id_and_township(p)?;
    let v = blocking(&state, move |app| {
        app.report_disaster_figure(&a.caller, id, &township, b.version, &b.figures)
    })
    .await?;
    Ok(Json(v))
}

/// The version of the figures read.
#[derive(Deserialize, ToSchema)]
#[schema(as = DisasterFigureCheck)]
#[serde(deny_unknown_fields)]
struct Check {
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/disaster-events/{id}/townships/{township}/check",
    tag = "disasters",
    summary = "核定乡镇报送的数据（安委办）；核定后计入统计",
    params(TownshipPath),
    request_body = Check,
    responses((status = 200, description = "已核定的数据", body = DisasterFigureView))
)]
async fn check(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(b): AppJson<Check>,
) -> ApiResult<Json<DisasterFigureView>> {
    let (id, township) = id_and_township(p)?;
    let version = version_of(b.version)?;
    let v = blocking(&state, move |app| {
        app.check_disaster_figure(&a.caller, id, &township, version)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/disaster-events/export",
    tag = "disasters",
    summary = "自然灾害应对台账（Excel，每个乡镇每个灾害过程一行；列与导入相同）",
    params(Filters),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Response> {
    let query = q.query();
    let bytes = blocking(&state, move |app| app.disaster_ledger(&a.caller, &query)).await?;
    Ok(super::xlsx_file(bytes, "disasters.xlsx"))
}

#[utoipa::path(
    post,
    path = "/disaster-events/import",
    tag = "disasters",
    summary = "导入各乡镇的转移安置数据（CSV/XLSX；乡镇只能导入本乡镇）",
    description = "导入各乡镇报送的数据（multipart 字段 file，CSV/XLSX；列：灾害过程（名称或编号，须已登记）、乡镇（街道）（名称或区划代码）、紧急避险转移（人）、紧急转移安置（人）、损坏房屋（间，可空）、直接经济损失（元，可空，最多两位小数）、备注；台账导出的灾种、起止日期、响应轮次、响应等级、状态列可一并保留，导入时不读取；先逐行校验，有错行则 422 列出行号和字段且不写入；skip_invalid=true 时写入正确行；已报送的乡镇数据被替换并须重新核定；文件受导入上限约束，超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略）",
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
        app.import_disaster_figures(&a.caller, t, opts)
    })
    .await
}
