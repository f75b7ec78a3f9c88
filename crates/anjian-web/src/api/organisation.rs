use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::organisation::RegionRow;
use anjian_app::organisation::{DepartmentDraft, SectorDraft};
use anjian_app::records::organisation::Sector;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/regions", get(list_regions).post(save_regions))
        .route("/sectors", get(list_sectors).post(save_sector))
        .route(
            "/departments",
            get(list_departments).post(create_department),
        )
        .route(
            "/departments/{id}",
            put(update_department).get(get_department),
        )
        .route("/settings/{key}", put(set_setting))
        .route(
            "/rules/decision-period",
            get(decision_policy).put(set_decision_policy),
        )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionQuery {
    under: Option<String>,
    level: Option<String>,
}

async fn list_regions(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<RegionQuery>,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| {
        app.list_regions(
            &a.caller,
            q.under.as_deref().filter(|s| !s.is_empty()),
            q.level.as_deref().filter(|s| !s.is_empty()),
        )
    })
    .await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionBatch {
    items: Vec<RegionRow>,
}

async fn save_regions(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<RegionBatch>,
) -> ApiResult<Json<Value>> {
    let counts = blocking(&state, move |app| app.save_regions(&a.caller, &b.items)).await?;
    Ok(Json(json!(counts)))
}

async fn list_sectors(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.list_sectors(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
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

async fn save_sector(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<SectorBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let s = Sector {
        code: b.code,
        name: b.name,
        description: b.description,
        sort_order: b.sort_order,
        active: b.active,
    };
    let code = s.code.clone();
    blocking(&state, move |app| app.save_sector(&a.caller, &s)).await?;
    Ok((StatusCode::OK, Json(json!({ "code": code }))))
}

async fn list_departments(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.list_departments(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn get_department(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let d = blocking(&state, move |app| app.get_department(&a.caller, id)).await?;
    Ok(Json(json!(d)))
}

#[derive(Deserialize)]
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

async fn create_department(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<DepartmentBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = blocking(&state, move |app| {
        let (d, _) = to_input(app, b)?;
        app.create_department(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

async fn update_department(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<DepartmentBody>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!(d)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingBody {
    value: String,
}

async fn set_setting(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(key): Path<String>,
    AppJson(b): AppJson<SettingBody>,
) -> ApiResult<Json<Value>> {
    let k = key.clone();
    blocking(&state, move |app| app.set_setting(&a.caller, &k, &b.value)).await?;
    Ok(Json(json!({ "key": key, "ok": true })))
}

/// The decision-period rules of penalty cases and the departments' rule families.
async fn decision_policy(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Value>> {
    let p = blocking(&state, move |app| app.decision_policy()).await?;
    Ok(Json(json!(p)))
}

async fn set_decision_policy(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(p): AppJson<anjian_app::cases::DecisionPolicy>,
) -> ApiResult<Json<Value>> {
    blocking(&state, move |app| app.set_decision_policy(&a.caller, &p)).await?;
    Ok(Json(json!({ "ok": true })))
}
