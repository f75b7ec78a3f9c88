//! Statistics: the metric catalogue, values, drill-downs and reports; campaigns, the
//! work item catalogue and work records.

use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::records::work::WorkItemType;
use anjian_app::work::{CampaignInput, WorkRecordInput};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(catalogue))
        .route("/metrics/values", get(values))
        .route("/metrics/values/export", get(values_export))
        .route("/metrics/{id}", get(drill))
        .route("/metrics/{id}/export", get(drill_export))
        .route("/statistics/report", get(report))
        .route(
            "/statistics/report-template",
            get(template_get).put(template_put),
        )
        .route("/campaigns", get(campaigns).post(campaign_create))
        .route("/work-items", get(work_items))
        .route("/work-items/{code}", put(work_item_save))
        .route("/work-records", get(work_list).post(work_create))
        .route("/work-records/export", get(work_export))
        .route(
            "/work-records/import",
            post(work_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .route("/work-records/{id}", get(work_get))
        .route(
            "/hazards/import",
            post(hazard_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .route("/ranking", get(ranking))
        .route("/ranking/export", get(ranking_export))
        .route("/ranking-rule", get(rule_get).put(rule_put))
}

async fn ranking(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::RankQuery>,
) -> ApiResult<Json<Value>> {
    let (period, by) = crate::query::rank_of(&q, state.app.clock.today())?;
    let r = blocking(&state, move |app| app.ranking(&a.caller, &period, &by)).await?;
    Ok(Json(json!(r)))
}

async fn ranking_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::RankQuery>,
) -> ApiResult<Response> {
    let (period, by) = crate::query::rank_of(&q, state.app.clock.today())?;
    let name = format!("ranking-{by}-{}.xlsx", period.code);
    let bytes = blocking(&state, move |app| {
        app.ranking_ledger(&a.caller, &period, &by)
    })
    .await?;
    Ok(super::xlsx_file(bytes, &name))
}

async fn rule_get(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.ranking_rule()).await?;
    Ok(Json(json!(r)))
}

async fn rule_put(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(rule): AppJson<anjian_app::ranking::RankingRule>,
) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.set_ranking_rule(&a.caller, &rule)).await?;
    Ok(Json(json!(r)))
}

async fn catalogue(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Value>> {
    let cat = blocking(&state, move |app| app.metric_catalogue()).await?;
    let items: Vec<Value> = cat
        .iter()
        .map(|m| {
            json!({"id": m.id, "section": m.section, "label": m.label, "unit": m.unit,
                   "definition": m.definition, "source": m.source.key})
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn values(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Json<Value>> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let ids: Option<Vec<String>> = q.ids.as_ref().map(|s| {
        s.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    });
    let p = period.clone();
    let ff = f.clone();
    let items = blocking(&state, move |app| {
        app.metric_values(&a.caller, &p, &ff, ids.as_deref())
    })
    .await?;
    Ok(Json(json!({
        "period": period.code, "period_name": period.name(),
        "from": period.from.to_string(), "to": period.to.to_string(),
        "filter": f, "items": items,
    })))
}

async fn values_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Response> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let name = format!("metrics-{}.xlsx", period.code);
    let bytes = blocking(&state, move |app| {
        app.metric_values_ledger(&a.caller, &period, &f)
    })
    .await?;
    Ok(super::xlsx_file(bytes, &name))
}

async fn drill(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(id): Path<String>,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Json<Value>> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let limit = super::int_param("limit", &q.limit, 1, 100_000)?.unwrap_or(10_000);
    let p = period.clone();
    let ff = f.clone();
    let (metric, records) = blocking(&state, move |app| {
        app.metric_drill(&a.caller, &id, &p, &ff, limit)
    })
    .await?;
    Ok(Json(json!({
        "period": period.code, "from": period.from.to_string(), "to": period.to.to_string(),
        "filter": f, "metric": metric, "applicable": records.is_some(),
        "records": records.unwrap_or_default(),
    })))
}

async fn drill_export(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(id): Path<String>,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Response> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let name = format!("{id}-{}.xlsx", period.code);
    let bytes = blocking(&state, move |app| {
        app.metric_drill_ledger(&a.caller, &id, &period, &f)
    })
    .await?;
    Ok(super::xlsx_file(bytes, &name))
}

/// The report for a period (`period=2022`, default this year) as `format=json|md|docx`.
async fn report(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Response> {
    let (period, _) = crate::query::stat_of(&q, state.app.clock.today())?;
    let format = q.format.clone().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "md" | "docx") {
        return Err(crate::query::bad("format", "格式应为 json、md 或 docx"));
    }
    let code = period.code.clone();
    let r = blocking(&state, move |app| app.render_report(&a.caller, &period)).await?;
    Ok(match format.as_str() {
        "md" => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            r.markdown(""),
        )
            .into_response(),
        "docx" => {
            let bytes = r.docx("").map_err(ApiError::from)?;
            crate::files::file_response(
                bytes,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                &format!("report-{code}.docx"),
            )
        }
        _ => Json(r.json()).into_response(),
    })
}

async fn template_get(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Value>> {
    let t = blocking(&state, move |app| app.report_template()).await?;
    Ok(Json(json!({ "template": t })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateInput {
    template: String,
}

async fn template_put(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<TemplateInput>,
) -> ApiResult<Json<Value>> {
    blocking(&state, move |app| {
        app.set_report_template(&a.caller, &input.template)
    })
    .await?;
    Ok(Json(json!({ "saved": true })))
}

async fn campaigns(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.campaigns(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn campaign_create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CampaignInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let c = blocking(&state, move |app| app.create_campaign(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(c))))
}

async fn work_items(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.work_item_types()).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkItemInput {
    name: String,
    unit: String,
    #[serde(default)]
    sector: Option<String>,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sort_order: i64,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

async fn work_item_save(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(code): Path<String>,
    AppJson(input): AppJson<WorkItemInput>,
) -> ApiResult<Json<Value>> {
    let t = WorkItemType {
        code,
        name: input.name.trim().to_string(),
        unit: input.unit.trim().to_string(),
        sector: input.sector.filter(|s| !s.trim().is_empty()),
        topic: input.topic.trim().to_string(),
        description: input.description.trim().to_string(),
        sort_order: input.sort_order,
        active: input.active,
    };
    let saved = t.clone();
    blocking(&state, move |app| app.save_work_item_type(&a.caller, &t)).await?;
    Ok(Json(json!(saved)))
}

async fn work_list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::WorkQuery>,
) -> ApiResult<Json<Value>> {
    let f = crate::query::work_filter_of(&q)?;
    let page = blocking(&state, move |app| app.work_records(&a.caller, &f)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn work_create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<WorkRecordInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let w = blocking(&state, move |app| app.create_work_record(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(w))))
}

async fn work_get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let w = blocking(&state, move |app| app.work_record(&a.caller, id)).await?;
    Ok(Json(json!(w)))
}

async fn work_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::WorkQuery>,
) -> ApiResult<Response> {
    let f = crate::query::work_filter_of(&q)?;
    let bytes = blocking(&state, move |app| app.work_records_ledger(&a.caller, &f)).await?;
    Ok(super::xlsx_file(bytes, "work-records.xlsx"))
}

/// Imports a CSV/XLSX of work records (`file`; `skip_invalid=true` in the query writes the
/// valid rows even when some are bad). 200 with the report either way; 422 when nothing
/// was written because of bad rows.
async fn work_import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    import_with(&state, &q, mp, move |app, t, skip| {
        app.import_work_records(&a.caller, t, skip)
    })
    .await
}

/// Imports hazards from CSV/XLSX (`file`), validated row by row like registrations.
async fn hazard_import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    import_with(&state, &q, mp, move |app, t, skip| {
        app.import_hazards(&a.caller, t, skip, &mut |_, _| {})
    })
    .await
}

/// Reads the uploaded table and runs an import: 200 with the report when rows were
/// written (or there were no bad rows), 422 with every bad row when nothing was written.
async fn import_with(
    state: &AppState,
    q: &ImportQuery,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    f: impl FnOnce(
        &anjian_app::App,
        &anjian_app::import::Table,
        bool,
    ) -> anjian_app::Result<anjian_app::import::ImportReport>
    + Send
    + 'static,
) -> ApiResult<Response> {
    let skip = super::bool_param("skip_invalid", &q.skip_invalid)?.unwrap_or(false);
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
        let t = anjian_app::import::read_table_bytes(&ext, &data)?;
        f(app, &t, skip)
    })
    .await?;
    let status = if report.written == 0 && !report.invalid.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({
            "error": if status == StatusCode::OK { Value::Null } else { json!("import_rejected") },
            "message": if status == StatusCode::OK { format!("已导入 {} 条", report.written) } else { format!("有 {} 行数据有误，未导入任何记录", report.invalid.len()) },
            "report": report,
            "lines": report.lines(),
        })),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    skip_invalid: Option<String>,
}
