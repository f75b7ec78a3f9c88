//! Uploads of work records and hazards, with every bad row reported.

use super::*;

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
    let mp = mp.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 上传文件（字段名 file）",
        )
    })?;
    let (name, data, _, _) = crate::files::read_upload(mp).await?;
    let ext = crate::files::extension(&name);
    let report = blocking(state, move |app| {
        let t = app.read_import_table(&user, &ext, &data)?;
        drop(data);
        f(app, &t, opts)
    })
    .await?;
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
        Json(json!({
            "error": if status == StatusCode::OK { Value::Null } else { json!("import_rejected") },
            "message": message,
            "report": report,
            "lines": lines,
        })),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ImportQuery {
    skip_invalid: Option<String>,
    ignore_columns: Option<String>,
}

impl ImportQuery {
    fn options(&self) -> ApiResult<anjian_app::import::ImportOptions> {
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
