//! Campaign ledgers (专项行动台账): the loaded definitions, and for every campaign and object
//! type the same generic routes (rows, their import and export), with no code of their own.

use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_streaming};
use super::{ApiResult, Binary, Done, XLSX};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::campaigns::{CampaignRowInput, CampaignRowView, CampaignView, ReportStatus};
use anjian_app::records::campaigns::CampaignReport;
use anjian_app::records::campaigns::{CampaignDefinitionRow, CampaignObjectFilter};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, load))
        .routes(routes!(get))
        .routes(routes!(versions))
        .routes(routes!(rows, create))
        .routes(routes!(export))
        .routes(routes!(template))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(report_status, submit_report))
        .routes(routes!(get_row, update_row, delete_row))
        .routes(routes!(link_hazard))
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "未找到该记录")
}

/// The `{code}` of a campaign.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<String>`; this names it in the document
struct CodePath {
    /// 专项行动代码（定义文件中的 code）
    code: String,
}

/// The `{code}` of a campaign and the `{object}` type of its ledger.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<(String, String)>`; this names them in the document
struct LedgerPath {
    /// 专项行动代码
    code: String,
    /// 登记对象类型（定义文件中 object 的 key）
    object: String,
}

fn ledger_path(p: Result<Path<(String, String)>, PathRejection>) -> ApiResult<(String, String)> {
    p.map(|Path(v)| v).map_err(|_| not_found())
}

fn code_path(p: Result<Path<String>, PathRejection>) -> ApiResult<String> {
    p.map(|Path(v)| v).map_err(|_| not_found())
}

/// A definition file to load.
#[derive(Deserialize, ToSchema)]
#[schema(as = CampaignLoad)]
#[serde(deny_unknown_fields)]
struct Load {
    /// 定义文件的全文（TOML，格式见 docs/campaigns.md）
    source: String,
}

#[utoipa::path(
    get,
    path = "/campaign-ledgers",
    tag = "campaigns",
    summary = "已载入的专项行动（各自最新版本的定义）",
    responses((status = 200, description = "专项行动", body = Vec<CampaignView>))
)]
async fn list(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Vec<CampaignView>>> {
    let v = blocking(&state, move |app| app.campaigns_loaded(&a.caller)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/campaign-ledgers",
    tag = "campaigns",
    summary = "载入专项行动定义（安委办；新版本可增加字段，不能删除或改变已有字段；有错时 422 逐条列出行号和原因）",
    request_body = Load,
    responses((status = 201, description = "已载入的定义", body = CampaignView))
)]
async fn load(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<Load>,
) -> ApiResult<(StatusCode, Json<CampaignView>)> {
    let v = blocking(&state, move |app| app.load_campaign(&a.caller, &b.source)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct VersionQuery {
    /// 定义版本（默认最新）
    #[param(value_type = Option<i64>, minimum = 1)]
    version: Option<String>,
}

#[utoipa::path(
    get,
    path = "/campaign-ledgers/{code}",
    tag = "campaigns",
    summary = "一个专项行动的定义（对象、字段、指标）",
    params(CodePath, VersionQuery),
    responses((status = 200, description = "定义", body = CampaignView))
)]
async fn get(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<String>, PathRejection>,
    AppQuery(q): AppQuery<VersionQuery>,
) -> ApiResult<Json<CampaignView>> {
    let code = code_path(p)?;
    let version = crate::query::int_param("version", &q.version, 1, i64::from(u32::MAX))?;
    let v = blocking(&state, move |app| app.campaign(&a.caller, &code, version)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/campaign-ledgers/{code}/versions",
    tag = "campaigns",
    summary = "一个专项行动已载入的各个版本（含定义原文）",
    params(CodePath),
    responses((status = 200, description = "各版本", body = Vec<CampaignDefinitionRow>))
)]
async fn versions(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Vec<CampaignDefinitionRow>>> {
    let code = code_path(p)?;
    let v = blocking(&state, move |app| app.campaign_versions(&a.caller, &code)).await?;
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Filters {
    /// 所在乡镇或村（区划代码）
    region: Option<String>,
    /// 关键词（名称或任一字段的内容）
    q: Option<String>,
    /// 按选择或是否字段筛选：`字段=取值`，多个用英文逗号分隔（如 `grade=C,business=经营性`）
    facet: Option<String>,
    /// 登记日期起（YYYY-MM-DD）
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// 登记日期止（YYYY-MM-DD）
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

impl Filters {
    fn filter(&self, campaign: String, object_type: String) -> ApiResult<CampaignObjectFilter> {
        let region = match self
            .region
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(r) => Some(
                anjian_domain::RegionCode::parse(r)
                    .map_err(|_| crate::query::bad("region", "区划代码应为12位数字"))?
                    .subtree_prefix()
                    .to_string(),
            ),
        };
        let facets = self
            .facet
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|f| match f.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => Ok(
                    anjian_domain::campaign::ObjectType::facet(k.trim(), v.trim()),
                ),
                _ => Err(crate::query::bad("facet", "筛选条件应写为 字段=取值")),
            })
            .collect::<ApiResult<Vec<String>>>()?;
        Ok(CampaignObjectFilter {
            campaign,
            object_type,
            region_prefix: region,
            search: self.q.clone(),
            facets,
            from: crate::query::date_param("from", &self.from)?,
            to: crate::query::date_param("to", &self.to)?,
        })
    }
}

#[utoipa::path(
    get,
    path = "/campaign-ledgers/{code}/{object}/rows",
    tag = "campaigns",
    summary = "台账记录（本人范围内，新登记的在前）",
    params(LedgerPath, Filters),
    responses((status = 200, description = "一页记录", body = Page<CampaignRowView>))
)]
async fn rows(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Json<Page<CampaignRowView>>> {
    let (code, object) = ledger_path(p)?;
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let f = q.filter(code, object)?;
    let page = blocking(&state, move |app| app.campaign_rows_page(&a.caller, &f, &k)).await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/campaign-ledgers/{code}/{object}/rows",
    tag = "campaigns",
    summary = "登记一条台账记录（按最新版本的定义校验；由定义指定的角色在本人范围内填报）",
    params(LedgerPath),
    request_body = CampaignRowInput,
    responses((status = 201, description = "记录", body = CampaignRowView))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(b): AppJson<CampaignRowInput>,
) -> ApiResult<(StatusCode, Json<CampaignRowView>)> {
    let (code, object) = ledger_path(p)?;
    let v = blocking(&state, move |app| {
        app.create_campaign_row(&a.caller, &code, &object, &b)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/campaign-ledgers/{code}/{object}/export",
    tag = "campaigns",
    summary = "台账（Excel，中文表头，每个字段一列，另有登记日期和填报版本）",
    params(LedgerPath, Filters),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Response> {
    let (code, object) = ledger_path(p)?;
    let name = format!("{code}-{object}.xlsx");
    let f = q.filter(code, object)?;
    let bytes = blocking(&state, move |app| app.campaign_ledger(&a.caller, &f)).await?;
    Ok(super::xlsx_file(bytes, &name))
}

#[utoipa::path(
    get,
    path = "/campaign-ledgers/{code}/{object}/template",
    tag = "campaigns",
    summary = "导入模板（Excel，列与导入相同）",
    params(LedgerPath),
    responses((status = 200, description = "模板", content_type = XLSX, body = Binary))
)]
async fn template(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<Response> {
    let (code, object) = ledger_path(p)?;
    let name = format!("{code}-{object}-template.xlsx");
    let bytes = blocking(&state, move |app| {
        app.campaign_template(&a.caller, &code, &object)
    })
    .await?;
    Ok(super::xlsx_file(bytes, &name))
}

#[utoipa::path(
    post,
    path = "/campaign-ledgers/{code}/{object}/import",
    tag = "campaigns",
    summary = "导入台账记录（CSV/XLSX）",
    description = "导入台账记录（multipart 字段 file，CSV/XLSX；列为定义中各字段的名称（数字字段可带单位，如“面积（平方米）”），另可有“登记日期”；附件字段不导入，在记录页上传；先逐行按表单的规则校验，有错行则 422 列出行号和字段且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束，超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略）",
    params(LedgerPath, ImportQuery),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = ImportRefused),
    )
)]
async fn import(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let (code, object) = ledger_path(p)?;
    import_streaming(&state, q.options()?, mp, move |app, source, opts| {
        app.import_campaign_rows(&a.caller, &code, &object, source, opts)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/campaign-rows/{id}",
    tag = "campaigns",
    summary = "一条台账记录（各字段的中文取值、已登记的隐患）",
    params(super::IdPath),
    responses((status = 200, description = "记录", body = CampaignRowView))
)]
async fn get_row(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<CampaignRowView>> {
    let v = blocking(&state, move |app| app.campaign_row(&a.caller, id)).await?;
    Ok(Json(v))
}

/// A row's correction: its values and the version read.
#[derive(Deserialize, ToSchema)]
#[schema(as = CampaignRowEdit)]
#[serde(deny_unknown_fields)]
struct RowEdit {
    /// 各字段的取值（键为字段代码）
    #[serde(default)]
    #[schema(value_type = Object)]
    fields: BTreeMap<String, serde_json::Value>,
    /// 登记日期（YYYY-MM-DD）
    #[serde(default)]
    recorded_on: Option<String>,
    /// 修改时须带上读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/campaign-rows/{id}",
    tag = "campaigns",
    summary = "修改台账记录（仍按登记时的定义版本校验；附件保留）",
    params(super::IdPath),
    request_body = RowEdit,
    responses((status = 200, description = "修改后的记录", body = CampaignRowView))
)]
async fn update_row(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<RowEdit>,
) -> ApiResult<Json<CampaignRowView>> {
    let version = b
        .version
        .ok_or_else(|| crate::query::bad("version", "修改时须提供读取时的版本号 version"))?;
    let input = CampaignRowInput {
        fields: b.fields,
        recorded_on: b.recorded_on,
    };
    let v = blocking(&state, move |app| {
        app.update_campaign_row(&a.caller, id, version, &input)
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

#[utoipa::path(
    delete,
    path = "/campaign-rows/{id}",
    tag = "campaigns",
    summary = "删除误登的台账记录（已登记隐患的不能删除；审计日志保留原记录）",
    params(super::IdPath, VersionParam),
    responses(
        (status = 200, description = "已删除", body = Done),
        (status = 409, description = "版本已变，或已登记隐患", body = super::openapi::ErrorBody),
    )
)]
async fn delete_row(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<VersionParam>,
) -> ApiResult<Json<Done>> {
    let version = crate::query::int_param("version", &Some(q.version), 1, i64::MAX)?
        .ok_or_else(|| crate::query::bad("version", "请提供读取时的版本号"))?;
    blocking(&state, move |app| {
        app.delete_campaign_row(&a.caller, id, version)
    })
    .await?;
    Ok(Json(Done { ok: true }))
}

/// A hazard registered on a row.
#[derive(Deserialize, ToSchema)]
#[schema(as = CampaignHazardLink)]
#[serde(deny_unknown_fields)]
struct HazardLink {
    /// 隐患编号
    #[schema(minimum = 1)]
    hazard_id: i64,
}

#[utoipa::path(
    post,
    path = "/campaign-rows/{id}/hazards",
    tag = "campaigns",
    summary = "关联在该记录上发现的隐患（如鉴定为C、D级的房屋）",
    params(super::IdPath),
    request_body = HazardLink,
    responses((status = 200, description = "已关联", body = Done))
)]
async fn link_hazard(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<HazardLink>,
) -> ApiResult<Json<Done>> {
    blocking(&state, move |app| {
        app.link_campaign_row_hazard(&a.caller, id, b.hazard_id)
    })
    .await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PeriodQuery {
    /// 报送周期内的任一天（YYYY-MM-DD；默认最近一个已结束的周期）
    #[param(value_type = Option<String>, format = Date)]
    period: Option<String>,
}

#[utoipa::path(
    get,
    path = "/campaign-ledgers/{code}/{object}/reports",
    tag = "campaigns",
    summary = "各单位某一报送周期的报送情况（安委办）；台账无报送周期时为 null",
    params(LedgerPath, PeriodQuery),
    responses((status = 200, description = "报送情况", body = Option<ReportStatus>))
)]
async fn report_status(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppQuery(q): AppQuery<PeriodQuery>,
) -> ApiResult<Json<Option<ReportStatus>>> {
    let (code, object) = ledger_path(p)?;
    let day = crate::query::date_param("period", &q.period)?;
    let v = blocking(&state, move |app| {
        app.campaign_report_status(&a.caller, &code, &object, day)
    })
    .await?;
    Ok(Json(v))
}

/// A unit's report for a period.
#[derive(Deserialize, ToSchema)]
#[schema(as = CampaignReportSubmit)]
#[serde(deny_unknown_fields)]
struct ReportSubmit {
    /// 报送周期的第一天（YYYY-MM-DD）
    period_start: String,
    /// 本期无变化
    #[serde(default)]
    no_change: bool,
    /// 说明
    #[serde(default)]
    note: String,
}

#[utoipa::path(
    post,
    path = "/campaign-ledgers/{code}/{object}/reports",
    tag = "campaigns",
    summary = "本单位报送一个周期的台账（乡镇、部门；可报“本期无变化”；同一周期只报送一次）",
    params(LedgerPath),
    request_body = ReportSubmit,
    responses(
        (status = 201, description = "报送记录", body = CampaignReport),
        (status = 409, description = "该周期已经报送", body = super::openapi::ErrorBody),
    )
)]
async fn submit_report(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(b): AppJson<ReportSubmit>,
) -> ApiResult<(StatusCode, Json<CampaignReport>)> {
    let (code, object) = ledger_path(p)?;
    let v = blocking(&state, move |app| {
        app.submit_campaign_report(
            &a.caller,
            &code,
            &object,
            &b.period_start,
            b.no_change,
            &b.note,
        )
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}
