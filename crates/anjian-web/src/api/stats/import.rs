//! Uploads of work records and hazards, with every bad row reported.

use super::*;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// A file upload (multipart/form-data, field `file`); described only, read by
/// `crate::files::read_upload`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct Upload {
    /// CSV 或 XLSX 文件
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// An import's answer: 200 when rows were written or none was bad, 422 when bad rows kept
/// anything from being written.
#[derive(Serialize, ToSchema)]
pub(crate) struct ImportAnswer {
    /// 成功时为 null；有错行而未写入任何记录时为 import_rejected
    #[schema(value_type = Option<String>)]
    error: Option<&'static str>,
    message: String,
    report: anjian_app::import::ImportReport,
    /// 错误行（及企业导入的变更）的说明，每行一条
    lines: Vec<String>,
}

/// An import refused: bad rows kept it from writing anything (the report), or the file's
/// columns were not recognised (an error).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum ImportRefused {
    Rows(ImportAnswer),
    File(crate::api::openapi::ErrorBody),
}

#[utoipa::path(
    post,
    path = "/work-records/import",
    tag = "statistics",
    summary = "导入工作记录（CSV/XLSX）",
    description = "导入工作记录（multipart 字段 file，CSV/XLSX；先逐行校验，有错行则 422 并列出行号、不写入；skip_invalid=true 时写入正确行；文件受导入上限约束（import_max_rows、import_max_columns、import_max_cell_chars、import_max_unzipped_mb），超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略；错误行最多列出 import_max_errors 行，其余计数）",
    params(ImportQuery),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = ImportRefused),
    )
)]
/// Imports a CSV/XLSX of work records (`file`; `skip_invalid=true` in the query writes the
/// valid rows even when some are bad). 200 with the report either way; 422 when nothing
/// was written because of bad rows.
pub(super) async fn work_import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_work_records(&a.caller, t, opts)
    })
    .await
}

#[utoipa::path(
    post,
    path = "/hazards/import",
    tag = "hazards",
    summary = "导入隐患（CSV/XLSX）",
    description = "导入隐患（multipart 字段 file，CSV/XLSX；列：所在区划代码、行业领域、隐患等级、隐患来源、隐患描述、发现日期、整改期限、企业统一社会信用代码、隐患部位、整改责任单位、整改责任人、整改措施、整改资金（元）、专项行动；逐行按登记规则校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束（import_max_rows、import_max_columns、import_max_cell_chars、import_max_unzipped_mb），超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略；错误行最多列出 import_max_errors 行，其余计数）",
    params(ImportQuery),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = ImportRefused),
    )
)]
/// Imports hazards from CSV/XLSX (`file`), validated row by row like registrations.
pub(super) async fn hazard_import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_hazards(&a.caller, t, opts, &mut |_, _| {})
    })
    .await
}

/// Reads the uploaded table within the import limits and runs an import: 200 with the
/// report when rows were written (or there were no bad rows), 422 with the first bad rows
/// (each once, in `lines`) when nothing was written; a file refused as a whole is 413 (a
/// limit) or 422 (its columns) with a stable code. An enterprise import's report carries
/// `changes` (rows created, updated with their fields, unchanged) and its lines.
pub(crate) async fn import_with(
    state: &AppState,
    opts: anjian_app::import::ImportOptions,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    user: String,
    f: impl FnOnce(
        &anjian_app::App,
        &anjian_app::import::Table,
        anjian_app::import::ImportOptions,
    ) -> anjian_app::Result<anjian_app::import::ImportReport>
    + Send
    + 'static,
) -> ApiResult<Response> {
    let reader = user.clone();
    import_streaming(state, opts, mp, move |app, source, opts| {
        let t = app.import_table(&reader, source)?;
        f(app, &t, opts)
    })
    .await
}

/// [`import_with`] for an import that reads the file itself (row by row, keeping none).
pub(crate) async fn import_streaming(
    state: &AppState,
    opts: anjian_app::import::ImportOptions,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    f: impl FnOnce(
        &anjian_app::App,
        &anjian_app::import::ImportSource,
        anjian_app::import::ImportOptions,
    ) -> anjian_app::Result<anjian_app::import::ImportReport>
    + Send
    + 'static,
) -> ApiResult<Response> {
    let mp = mp.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 上传文件（字段名 file）",
        )
    })?;
    let (name, data, _, _) = crate::files::read_upload(mp).await?;
    let ext = crate::files::extension(&name);
    let source = anjian_app::import::ImportSource::bytes(&ext, data);
    let report = blocking(state, move |app| f(app, &source, opts)).await?;
    let status = if report.written == 0 && report.invalid_count > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let message = match (&report.changes, status == StatusCode::OK) {
        (_, false) => format!("有 {} 行数据有误，未导入任何记录", report.invalid_count),
        (Some(c), true) => format!(
            "新增 {} 条，更新 {} 条，未变 {} 条",
            c.created_count, c.updated_count, c.unchanged_count
        ),
        (None, true) => format!("已导入 {} 条", report.written),
    };
    let mut lines = report.lines();
    if let Some(c) = &report.changes {
        lines.extend(c.lines());
    }
    Ok((
        status,
        Json(ImportAnswer {
            error: (status != StatusCode::OK).then_some("import_rejected"),
            message,
            report,
            lines,
        }),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportQuery {
    /// 跳过错误行，写入正确行
    #[param(value_type = Option<bool>)]
    skip_invalid: Option<String>,
    /// 确认忽略未识别的列
    #[param(value_type = Option<bool>)]
    ignore_columns: Option<String>,
}

impl ImportQuery {
    pub(crate) fn options(&self) -> ApiResult<anjian_app::import::ImportOptions> {
        import_options(&self.skip_invalid, &self.ignore_columns)
    }
}

/// The options of an import's query string (`skip_invalid`, `ignore_columns`).
pub(crate) fn import_options(
    skip_invalid: &Option<String>,
    ignore_columns: &Option<String>,
) -> ApiResult<anjian_app::import::ImportOptions> {
    Ok(anjian_app::import::ImportOptions {
        skip_invalid: crate::api::bool_param("skip_invalid", skip_invalid)?.unwrap_or(false),
        ignore_columns: crate::api::bool_param("ignore_columns", ignore_columns)?.unwrap_or(false),
    })
}
