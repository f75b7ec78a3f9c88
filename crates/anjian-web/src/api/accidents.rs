//! The accident register (生产安全事故, 火灾, 森林火灾): list, register, 补报, the reporting
//! chain, 谎报/瞒报, a linked 举报, the investigation, the ledger and its import.

use super::ApiResult;
use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{Binary, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::accidents::{
    AccidentDetail, AccidentDraft, AccidentQuery, AccidentView, CloseDraft, ControlTargetsInput,
    ControlTargetsView, ExtendDraft, FlagsDraft, LinkReportDraft, LinksDraft, UpdateDraft,
};
use anjian_domain::accident::{Category, Level};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(add_update))
        .routes(routes!(set_links))
        .routes(routes!(set_flags))
        .routes(routes!(link_report))
        .routes(routes!(extend))
        .routes(routes!(close))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(control_targets, set_control_targets))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Filters {
    /// 年度（按事故发生日期）
    #[param(value_type = Option<i32>)]
    year: Option<String>,
    /// production | fire | forest_fire
    #[param(value_type = Option<Category>, inline)]
    category: Option<String>,
    /// general | large | major | extra_major
    #[param(value_type = Option<Level>, inline)]
    level: Option<String>,
    /// 行业领域代码或名称
    sector: Option<String>,
    /// 乡镇区划代码
    region: Option<String>,
    /// 只列调查未结案的
    #[param(value_type = Option<bool>)]
    open: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

impl Filters {
    fn query(&self) -> ApiResult<AccidentQuery> {
        Ok(AccidentQuery {
            year: self.year.clone(),
            category: self.category.clone(),
            level: self.level.clone(),
            sector: self.sector.clone(),
            region: self.region.clone(),
            open: crate::query::bool_param("open", &self.open)?,
        })
    }
}

#[utoipa::path(
    get,
    path = "/accidents",
    tag = "accidents",
    summary = "事故台账（本人范围内：乡镇见本乡镇的，部门见本部门行业领域的）",
    params(Filters),
    responses((status = 200, description = "一页事故", body = Page<AccidentView>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Json<Page<AccidentView>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let query = q.query()?;
    let page = blocking(&state, move |app| app.accident_page(&a.caller, &query, &k)).await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/accidents",
    tag = "accidents",
    summary = "登记事故（等级按伤亡、损失和过火面积自动认定）",
    request_body = AccidentDraft,
    responses((status = 201, description = "事故", body = AccidentView))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<AccidentDraft>,
) -> ApiResult<(StatusCode, Json<AccidentView>)> {
    let v = blocking(&state, move |app| app.create_accident(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/accidents/{id}",
    tag = "accidents",
    summary = "事故（含补报记录、关联举报）",
    params(super::IdPath),
    responses((status = 200, description = "事故", body = AccidentDetail))
)]
async fn get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<AccidentDetail>> {
    let v = blocking(&state, move |app| app.accident(&a.caller, id)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/accidents/{id}/updates",
    tag = "accidents",
    summary = "补报伤亡或损失（30日内、道路交通和火灾7日内的计入统计并重新认定等级，逾期的只记录）",
    params(super::IdPath),
    request_body = UpdateDraft,
    responses((status = 201, description = "补报后的事故", body = AccidentDetail))
)]
async fn add_update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<UpdateDraft>,
) -> ApiResult<(StatusCode, Json<AccidentDetail>)> {
    let v = blocking(&state, move |app| {
        app.update_accident(&a.caller, id, &d)?;
        app.accident(&a.caller, id)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    put,
    path = "/accidents/{id}/links",
    tag = "accidents",
    summary = "事故报告时间（单位向县级报告、县级向上级报告；迟报自动认定）",
    params(super::IdPath),
    request_body = LinksDraft,
    responses((status = 200, description = "事故", body = AccidentView))
)]
async fn set_links(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<LinksDraft>,
) -> ApiResult<Json<AccidentView>> {
    let v = blocking(&state, move |app| app.set_accident_links(&a.caller, id, &d)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/accidents/{id}/flags",
    tag = "accidents",
    summary = "认定谎报、瞒报（须写明理由）",
    params(super::IdPath),
    request_body = FlagsDraft,
    responses((status = 200, description = "事故", body = AccidentView))
)]
async fn set_flags(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<FlagsDraft>,
) -> ApiResult<Json<AccidentView>> {
    let v = blocking(&state, move |app| app.set_accident_flags(&a.caller, id, &d)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/accidents/{id}/report",
    tag = "accidents",
    summary = "关联反映瞒报事故的举报（事故据此认定为瞒报）",
    params(super::IdPath),
    request_body = LinkReportDraft,
    responses((status = 200, description = "事故", body = AccidentView))
)]
async fn link_report(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<LinkReportDraft>,
) -> ApiResult<Json<AccidentView>> {
    let v = blocking(&state, move |app| {
        app.link_accident_report(&a.caller, id, &d)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/accidents/{id}/extend",
    tag = "accidents",
    summary = "延长事故调查期限（只能延长一次，最长60日）",
    params(super::IdPath),
    request_body = ExtendDraft,
    responses(
        (status = 200, description = "事故", body = AccidentView),
        (status = 409, description = "已延长过或已结案", body = super::openapi::ErrorBody),
    )
)]
async fn extend(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<ExtendDraft>,
) -> ApiResult<Json<AccidentView>> {
    let v = blocking(&state, move |app| {
        app.extend_accident_investigation(&a.caller, id, &d)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/accidents/{id}/close",
    tag = "accidents",
    summary = "事故调查结案（调查结论、责任者及处理、关联问责记录和案件）",
    params(super::IdPath),
    request_body = CloseDraft,
    responses(
        (status = 200, description = "事故", body = AccidentView),
        (status = 409, description = "已结案", body = super::openapi::ErrorBody),
    )
)]
async fn close(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<CloseDraft>,
) -> ApiResult<Json<AccidentView>> {
    let v = blocking(&state, move |app| {
        app.close_accident_investigation(&a.caller, id, &d)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/accidents/export",
    tag = "accidents",
    summary = "事故台账（Excel，前16列与导入相同，后附等级、迟报、谎报瞒报、调查期限和状态）",
    params(Filters),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Response> {
    let query = q.query()?;
    let bytes = blocking(&state, move |app| app.accident_ledger(&a.caller, &query)).await?;
    Ok(super::xlsx_file(bytes, "accidents.xlsx"))
}

#[utoipa::path(
    post,
    path = "/accidents/import",
    tag = "accidents",
    summary = "导入事故（CSV/XLSX）",
    description = "导入事故（multipart 字段 file，CSV/XLSX；列：类别（生产安全事故/火灾/森林火灾）、发生时间（年-月-日 时:分）、乡镇（街道）、事故地点、事故单位、行业领域、事故类型（GB 6441类别或火灾类型）、死亡（人）、失踪（人）、重伤（人）、轻伤（人）、直接经济损失（元）、受害森林面积（公顷）、简要经过、单位报告时间、县级上报时间；等级不导入而是自动认定，台账的附加列被忽略；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束，超限 413）",
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
        app.import_accidents(&a.caller, t, opts)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/accident-control-targets/{year}",
    tag = "accidents",
    summary = "某年度的事故控制指标及完成情况（全县；已达成、有风险、未达成，可追溯到记录）",
    params(super::calendar::YearPath),
    responses((status = 200, description = "控制指标", body = ControlTargetsView))
)]
async fn control_targets(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(y): Path<String>,
) -> ApiResult<Json<ControlTargetsView>> {
    let y = i64::from(super::calendar::year_of(&y)?);
    let v = blocking(&state, move |app| {
        app.accident_control_targets(&a.caller, y)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/accident-control-targets/{year}",
    tag = "accidents",
    summary = "设定某年度的事故控制指标（安委办；整体替换，每项须有统计指标、比较方式和目标值）",
    params(super::calendar::YearPath),
    request_body = ControlTargetsInput,
    responses((status = 200, description = "设定后的控制指标及完成情况", body = ControlTargetsView))
)]
async fn set_control_targets(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(y): Path<String>,
    AppJson(input): AppJson<ControlTargetsInput>,
) -> ApiResult<Json<ControlTargetsView>> {
    let y = i64::from(super::calendar::year_of(&y)?);
    let v = blocking(&state, move |app| {
        app.set_accident_control_targets(&a.caller, y, &input)
    })
    .await?;
    Ok(Json(v))
}
