use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::export::ExportFormat;
use anjian_app::records::enterprises::Enterprise;
use anjian_domain::enterprise::EnterpriseInput;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::{Binary, CSV, Items, XLSX};
use anjian_app::Page;
use anjian_app::records::audit::AuditEntry;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(show, update))
        .routes(routes!(history))
}

#[utoipa::path(
    get,
    path = "/enterprises",
    tag = "enterprises",
    summary = "企业列表（键集分页）",
    params(crate::query::ListQuery),
    responses((status = 200, description = "一页企业", body = Page<Enterprise>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::ListQuery>,
) -> ApiResult<Json<Page<Enterprise>>> {
    let f = crate::query::enterprise_filter_of(&q)?;
    let page = blocking(&state, move |app| app.list_enterprises(&a.caller, &f)).await?;
    let items: Vec<Enterprise> = page
        .items
        .into_iter()
        .map(|e| anjian_app::enterprises::redact(e, false))
        .collect();
    Ok(Json(Page {
        items,
        next: page.next,
    }))
}

#[utoipa::path(
    get,
    path = "/enterprises/{id}",
    tag = "enterprises",
    summary = "企业详情",
    params(super::IdPath),
    responses((status = 200, description = "企业", body = Enterprise))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Enterprise>> {
    let e = blocking(&state, move |app| {
        let e = app.get_enterprise(&a.caller, id)?;
        let can = a.caller.enterprise_write_scope().writable;
        Ok(anjian_app::enterprises::redact(e, can))
    })
    .await?;
    Ok(Json(e))
}

#[utoipa::path(
    get,
    path = "/enterprises/{id}/history",
    tag = "enterprises",
    summary = "企业变更历史",
    params(super::IdPath),
    responses((status = 200, description = "审计记录", body = Items<AuditEntry>))
)]
async fn history(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Items<AuditEntry>>> {
    let items = blocking(&state, move |app| app.enterprise_history(&a.caller, id)).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    post,
    path = "/enterprises",
    tag = "enterprises",
    summary = "登记企业",
    request_body = EnterpriseInput,
    responses((status = 201, description = "已登记", body = Enterprise))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<EnterpriseInput>,
) -> ApiResult<(StatusCode, Json<Enterprise>)> {
    let e = blocking(&state, move |app| app.create_enterprise(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[utoipa::path(
    put,
    path = "/enterprises/{id}",
    tag = "enterprises",
    summary = "修改企业（需 version）",
    params(super::IdPath),
    request_body = EnterpriseInput,
    responses((status = 200, description = "修改后的企业", body = Enterprise))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<EnterpriseInput>,
) -> ApiResult<Json<Enterprise>> {
    let e = blocking(&state, move |app| {
        app.update_enterprise(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(e))
}

#[utoipa::path(
    get,
    path = "/enterprises/export",
    tag = "enterprises",
    summary = "导出企业台账（xlsx|csv）",
    params(crate::query::ListQuery),
    responses((status = 200, description = "企业台账文件", content((Binary = XLSX), (Binary = CSV))))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::ListQuery>,
) -> ApiResult<Response> {
    let f = q.format.as_deref().unwrap_or("xlsx");
    let format = ExportFormat::parse(f).ok_or_else(|| {
        ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "format",
            "应为 xlsx 或 csv",
        )
    })?;
    let f = crate::query::enterprise_filter_of(&q)?;
    let bytes = blocking(&state, move |app| {
        app.export_enterprises(&a.caller, &f, format)
    })
    .await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("enterprises.{}", format.ext()),
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    /// create（默认）| update | upsert
    #[param(value_type = Option<anjian_app::import::ImportMode>, inline)]
    mode: Option<String>,
    /// 跳过错误行
    #[param(value_type = Option<bool>)]
    skip_invalid: Option<String>,
    /// 确认忽略未识别的列
    #[param(value_type = Option<bool>)]
    ignore_columns: Option<String>,
}

#[utoipa::path(
    post,
    path = "/enterprises/import",
    tag = "enterprises",
    summary = "导入企业（CSV/XLSX）",
    description = "导入企业（multipart 字段 file，CSV/XLSX，列与企业台账导出相同）。mode=create（默认）：每行登记新企业，已登记的统一社会信用代码报错；mode=upsert：按统一社会信用代码匹配本人管辖范围内的企业并更新（与表单修改一样校验、核对版本并记入审计），其余行登记为新企业；mode=update：只更新，管辖范围内没有该代码的行报错。先逐行校验，有错行则 422 且不写入（skip_invalid=true 时写入正确行），全部写入或全部不写；报告 report.changes 列出新增、更新（字段、原值、新值）和未变的行。文件受导入上限约束，超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略",
    params(ImportQuery),
    request_body(content = super::stats::import::Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = super::stats::import::ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = super::stats::import::ImportRefused),
    )
)]
/// Imports enterprises from CSV/XLSX (`file`, the ledger's columns). `mode=create` (the
/// default) registers every row and refuses a registered USCC; `mode=upsert` updates the
/// caller's enterprises matched by USCC and registers the others; `mode=update` only
/// updates. Each update is written and audited like an edit in the form; the report's
/// `changes` lists the rows created, updated (field, old, new) and unchanged.
async fn import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let mode = match q.mode.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => anjian_app::import::ImportMode::Create,
        Some(m) => anjian_app::import::ImportMode::parse(m).ok_or_else(|| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "mode",
                "应为 create、update 或 upsert",
            )
        })?,
    };
    let opts = super::stats::import::import_options(&q.skip_invalid, &q.ignore_columns)?;
    let user = a.caller.user.username.clone();
    super::stats::import::import_with(&state, opts, mp, user, move |app, t, opts| {
        app.import_enterprises(Some(&a.caller), t, opts, mode, &mut |_, _| {})
    })
    .await
}
