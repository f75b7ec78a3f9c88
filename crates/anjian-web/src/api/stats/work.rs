//! Campaigns, the work item catalogue and work records.

use super::*;

pub(super) async fn campaigns(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.campaigns(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

pub(super) async fn campaign_create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CampaignInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let c = blocking(&state, move |app| app.create_campaign(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(c))))
}

pub(super) async fn work_items(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.work_item_types()).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorkItemInput {
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

pub(super) async fn work_item_save(
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

pub(super) async fn work_list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::WorkQuery>,
) -> ApiResult<Json<Value>> {
    let f = crate::query::work_filter_of(&q)?;
    let page = blocking(&state, move |app| app.work_records(&a.caller, &f)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

pub(super) async fn work_create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<WorkRecordInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let w = blocking(&state, move |app| app.create_work_record(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(w))))
}

pub(super) async fn work_get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let w = blocking(&state, move |app| app.work_record(&a.caller, id)).await?;
    Ok(Json(json!(w)))
}

pub(super) async fn work_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::WorkQuery>,
) -> ApiResult<Response> {
    let f = crate::query::work_filter_of(&q)?;
    let bytes = blocking(&state, move |app| app.work_records_ledger(&a.caller, &f)).await?;
    Ok(crate::api::xlsx_file(bytes, "work-records.xlsx"))
}
