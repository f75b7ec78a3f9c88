use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::organisation::RegionRow;
use anjian_app::organisation::{DepartmentDraft, SectorDraft};
use anjian_app::records::organisation::Sector;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Created, Done, Items};
use anjian_app::cases::DecisionPolicy;
use anjian_app::records::organisation::{Department, Region};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_regions, save_regions))
        .routes(routes!(list_sectors, save_sector))
        .routes(routes!(list_departments, create_department))
        .routes(routes!(update_department, get_department))
        .routes(routes!(set_setting))
        .routes(routes!(decision_policy, set_decision_policy))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RegionQuery {
    /// 只列该区划及下级
    under: Option<String>,
    /// 最低层级
    #[param(value_type = Option<String>, pattern = "^(province|city|county|township|village|grid)$")]
    level: Option<String>,
}

#[utoipa::path(
    get,
    path = "/regions",
    tag = "organisation",
    summary = "区划列表（本人范围内）",
    params(RegionQuery),
    responses((status = 200, description = "区划", body = Items<Region>))
)]

async fn list_regions(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<RegionQuery>,
) -> ApiResult<Json<Items<Region>>> {
    let items = blocking(&state, move |app| {
        app.list_regions(
            &a.caller,
            q.under.as_deref().filter(|s| !s.is_empty()),
            q.level.as_deref().filter(|s| !s.is_empty()),
        )
    })
    .await?;
    Ok(Items::of(items))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RegionBatch {
    items: Vec<RegionRow>,
}

#[utoipa::path(
    post,
    path = "/regions",
    tag = "organisation",
    summary = "新增或更名区划（管理员）",
    request_body = RegionBatch,
    responses((status = 200, description = "新增与更名的条数", body = anjian_app::records::organisation::UpsertCounts))
)]
async fn save_regions(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<RegionBatch>,
) -> ApiResult<Json<anjian_app::records::organisation::UpsertCounts>> {
    let counts = blocking(&state, move |app| app.save_regions(&a.caller, &b.items)).await?;
    Ok(Json(counts))
}

#[utoipa::path(
    get,
    path = "/sectors",
    tag = "organisation",
    summary = "行业领域目录",
    responses((status = 200, description = "行业领域", body = Items<Sector>))
)]
async fn list_sectors(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<Sector>>> {
    let items = blocking(&state, move |app| app.list_sectors(&a.caller)).await?;
    Ok(Items::of(items))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SectorBody {
    code: String,
    name: String,
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

/// A sector's code.
#[derive(Serialize, ToSchema)]
struct SectorCode {
    code: String,
}

#[utoipa::path(
    post,
    path = "/sectors",
    tag = "organisation",
    summary = "新增或修改行业领域（管理员）",
    request_body = SectorBody,
    responses((status = 200, description = "已保存", body = SectorCode))
)]
async fn save_sector(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<SectorBody>,
) -> ApiResult<(StatusCode, Json<SectorCode>)> {
    let s = Sector {
        code: b.code,
        name: b.name,
        description: b.description,
        sort_order: b.sort_order,
        active: b.active,
    };
    let code = s.code.clone();
    blocking(&state, move |app| app.save_sector(&a.caller, &s)).await?;
    Ok((StatusCode::OK, Json(SectorCode { code })))
}

#[utoipa::path(
    get,
    path = "/departments",
    tag = "organisation",
    summary = "部门列表（各部门监管的行业领域为其今日有效、明确到行业领域的职责条目）",
    responses((status = 200, description = "部门", body = Items<Department>))
)]
async fn list_departments(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<Department>>> {
    let items = blocking(&state, move |app| app.list_departments(&a.caller)).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    get,
    path = "/departments/{id}",
    tag = "organisation",
    summary = "部门详情",
    params(super::IdPath),
    responses((status = 200, description = "部门", body = Department))
)]
async fn get_department(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Department>> {
    let d = blocking(&state, move |app| app.get_department(&a.caller, id)).await?;
    Ok(Json(d))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DepartmentBody {
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    region_code: Option<String>,
    #[serde(default)]
    is_member_unit: bool,
    #[serde(default)]
    has_supervision_duty: bool,
    #[serde(default)]
    is_industry_authority: bool,
    #[serde(default)]
    sort_order: i64,
    #[serde(default)]
    sectors: Vec<SectorDraft>,
    /// 修改时须带上读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

fn to_input(
    app: &anjian_app::App,
    b: DepartmentBody,
) -> anjian_app::Result<(DepartmentDraft, Option<i64>)> {
    let region_code = match b.region_code.filter(|s| !s.is_empty()) {
        Some(r) => r,
        None => app
            .root_region()?
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
    };
    Ok((
        DepartmentDraft {
            region_code,
            name: b.name,
            short_name: b.short_name,
            is_member_unit: b.is_member_unit,
            has_supervision_duty: b.has_supervision_duty,
            is_industry_authority: b.is_industry_authority,
            sort_order: b.sort_order,
            sectors: b.sectors,
        },
        b.version,
    ))
}

#[utoipa::path(
    post,
    path = "/departments",
    tag = "organisation",
    summary = "新增部门（管理员）：所列行业领域自当日起记为该部门的职责条目",
    request_body = DepartmentBody,
    responses((status = 201, description = "新部门的编号", body = Created))
)]
async fn create_department(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<DepartmentBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = blocking(&state, move |app| {
        let (d, _) = to_input(app, b)?;
        app.create_department(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(
    put,
    path = "/departments/{id}",
    tag = "organisation",
    summary = "修改部门（管理员）：新增的行业领域自当日起、删去的至前一日止，记入职责清单",
    params(super::IdPath),
    request_body = DepartmentBody,
    responses((status = 200, description = "修改后的部门", body = Department))
)]
async fn update_department(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<DepartmentBody>,
) -> ApiResult<Json<Department>> {
    let d = blocking(&state, move |app| {
        let (d, version) = to_input(app, b)?;
        let Some(version) = version else {
            return Err(anjian_domain::ValidationErrors::single(
                "version",
                "修改时须提供读取时的版本号 version",
            )
            .into());
        };
        app.update_department(&a.caller, id, version, &d)?;
        app.get_department(&a.caller, id)
    })
    .await?;
    Ok(Json(d))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SettingBody {
    value: String,
}

/// A setting's key, saved.
#[derive(Serialize, ToSchema)]
struct SettingSaved {
    key: String,
    ok: bool,
}

/// The `{key}` of a setting's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<String>`; this names it in the document
struct KeyPath {
    /// 设置项
    key: String,
}

#[utoipa::path(
    put,
    path = "/settings/{key}",
    tag = "organisation",
    summary = "修改系统设置（管理员；major_bulletin_cycle: half_month | month | week；draw_publicity_working_days、decision_publicity_working_days、hazard_review_working_days：工作日数；hazard_report_requires_evidence: true | false，报告整改完成是否须先上传佐证材料；publish_simple_decisions: true | false，简易程序处罚决定是否公示；导入上限 import_max_rows、import_max_columns、import_max_cell_chars、import_max_unzipped_mb、import_max_errors）",
    params(KeyPath),
    request_body = SettingBody,
    responses((status = 200, description = "已保存", body = SettingSaved), (status = 404, description = "没有该设置项", body = super::openapi::ErrorBody))
)]
async fn set_setting(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(key): Path<String>,
    AppJson(b): AppJson<SettingBody>,
) -> ApiResult<Json<SettingSaved>> {
    let k = key.clone();
    blocking(&state, move |app| app.set_setting(&a.caller, &k, &b.value)).await?;
    Ok(Json(SettingSaved { key, ok: true }))
}

/// The decision-period rules of penalty cases and the departments' rule families.
#[utoipa::path(
    get,
    path = "/rules/decision-period",
    tag = "organisation",
    summary = "处罚案件办案期限规则（按机关类别和施行日期）",
    responses((status = 200, description = "规则", body = DecisionPolicy))
)]
async fn decision_policy(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<DecisionPolicy>> {
    let p = blocking(&state, move |app| app.decision_policy()).await?;
    Ok(Json(p))
}

#[utoipa::path(
    put,
    path = "/rules/decision-period",
    tag = "organisation",
    summary = "修改办案期限规则（管理员）：rules[]（family、effective_from、source、base_days、head_cap_days、superior_cap_days）、families（部门编号→work_safety|default）",
    request_body = DecisionPolicy,
    responses((status = 200, description = "已保存", body = Done))
)]
async fn set_decision_policy(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(p): AppJson<DecisionPolicy>,
) -> ApiResult<Json<Done>> {
    blocking(&state, move |app| app.set_decision_policy(&a.caller, &p)).await?;
    Ok(Json(Done { ok: true }))
}
