//! Campaigns, the work item catalogue and work records.

use super::*;
use anjian_app::Page;
use anjian_app::records::work::{Campaign, WorkRecord};

/// The `{code}` of a work item's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<String>`; this names it in the document
pub(super) struct CodePath {
    /// 工作事项代码
    code: String,
}
#[utoipa::path(
    get,
    path = "/campaigns",
    tag = "statistics",
    summary = "专项行动",
    responses((status = 200, description = "专项行动", body = Items<Campaign>))
)]

pub(super) async fn campaigns(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<Campaign>>> {
    let items = blocking(&state, move |app| app.campaigns(&a.caller)).await?;
    Ok(Items::of(items))
}
#[utoipa::path(
    post,
    path = "/campaigns",
    tag = "statistics",
    summary = "登记专项行动（管理员）：code、name、starts_on、ends_on、units、description",
    request_body = CampaignInput,
    responses((status = 201, description = "专项行动", body = Campaign))
)]

pub(super) async fn campaign_create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CampaignInput>,
) -> ApiResult<(StatusCode, Json<Campaign>)> {
    let c = blocking(&state, move |app| app.create_campaign(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(c)))
}
#[utoipa::path(
    get,
    path = "/work-items",
    tag = "statistics",
    summary = "工作事项目录（可计数的现场工作：名称、单位、行业领域、分类）",
    responses((status = 200, description = "工作事项", body = Items<WorkItemType>))
)]

pub(super) async fn work_items(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<Items<WorkItemType>>> {
    let items = blocking(&state, move |app| app.work_item_types()).await?;
    Ok(Items::of(items))
}

#[derive(Deserialize, ToSchema)]
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
#[utoipa::path(
    put,
    path = "/work-items/{code}",
    tag = "statistics",
    summary = "新增或修改工作事项（管理员；已有记录的事项不能改单位）",
    params(CodePath),
    request_body = WorkItemInput,
    responses((status = 200, description = "保存的工作事项", body = WorkItemType))
)]

pub(super) async fn work_item_save(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(code): Path<String>,
    AppJson(input): AppJson<WorkItemInput>,
) -> ApiResult<Json<WorkItemType>> {
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
    Ok(Json(saved))
}
#[utoipa::path(
    get,
    path = "/work-records",
    tag = "statistics",
    summary = "工作记录（键集分页）",
    params(crate::query::WorkQuery),
    responses((status = 200, description = "一页工作记录", body = Page<WorkRecord>))
)]

pub(super) async fn work_list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::WorkQuery>,
) -> ApiResult<Json<Page<WorkRecord>>> {
    let f = crate::query::work_filter_of(&q)?;
    let page = blocking(&state, move |app| app.work_records(&a.caller, &f)).await?;
    Ok(Json(page))
}
#[utoipa::path(
    post,
    path = "/work-records",
    tag = "statistics",
    summary = "登记工作记录：item_code、region_code、done_on、quantity、campaign、place、note",
    request_body = WorkRecordInput,
    responses((status = 201, description = "工作记录", body = WorkRecord))
)]

pub(super) async fn work_create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<WorkRecordInput>,
) -> ApiResult<(StatusCode, Json<WorkRecord>)> {
    let w = blocking(&state, move |app| app.create_work_record(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(w)))
}
#[utoipa::path(
    get,
    path = "/work-records/{id}",
    tag = "statistics",
    summary = "工作记录",
    params(crate::api::IdPath),
    responses((status = 200, description = "工作记录", body = WorkRecord))
)]

pub(super) async fn work_get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<WorkRecord>> {
    let w = blocking(&state, move |app| app.work_record(&a.caller, id)).await?;
    Ok(Json(w))
}
#[utoipa::path(
    get,
    path = "/work-records/export",
    tag = "statistics",
    summary = "工作记录台账（Excel，可编辑后再导入）",
    params(crate::query::WorkQuery),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]

pub(super) async fn work_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::WorkQuery>,
) -> ApiResult<Response> {
    let f = crate::query::work_filter_of(&q)?;
    let bytes = blocking(&state, move |app| app.work_records_ledger(&a.caller, &f)).await?;
    Ok(crate::api::xlsx_file(bytes, "work-records.xlsx"))
}
