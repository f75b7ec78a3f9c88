//! Forest-fire prevention (森林防灭火): fire seasons, state forest farms, hills, the chain of
//! responsible persons, checkpoints and their registers, patrols, the duty roster, equipment
//! and its handovers, each township's kit; the grid sheet's export and import, the patrol
//! and handover ledgers.

use super::ApiResult;
use super::stats::import::{ImportAnswer, ImportRefused, Upload, import_options, import_with};
use super::{Binary, Items, XLSX};
use crate::extract::{ApiCaller, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::forest::{
    Chain, CheckpointDraft, CheckpointLogDraft, DutyDraft, EquipmentDraft, FarmDraft,
    HandoverDraft, Kit, PatchDraft, PatrolDraft, SeasonDraft, WardenDraft,
};
use anjian_app::records::forest::{
    Checkpoint, CheckpointLog, Duty, Equipment, Farm, Handover, Patch, Patrol, Season, Warden,
};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(seasons, create_season))
        .routes(routes!(farms, create_farm))
        .routes(routes!(patches, create_patch))
        .routes(routes!(checkpoints, create_checkpoint))
        .routes(routes!(wardens, create_warden))
        .routes(routes!(checkpoint_logs, create_checkpoint_log))
        .routes(routes!(patrols, create_patrol))
        .routes(routes!(duties, set_duty))
        .routes(routes!(equipment, create_equipment))
        .routes(routes!(handovers, create_handover))
        .routes(routes!(chain))
        .routes(routes!(kits))
        .routes(routes!(grid_export))
        .routes(routes!(grid_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(patrol_export))
        .routes(routes!(handover_export))
}

/// A period `[from, to]` as query parameters (both optional).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Period {
    /// 起始日期（YYYY-MM-DD）
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// 截止日期（YYYY-MM-DD）
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
}

type Days = (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>);

impl Period {
    fn days(&self) -> ApiResult<Days> {
        let from = crate::query::date_param("from", &self.from)?;
        let to = crate::query::date_param("to", &self.to)?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(crate::query::bad("to", "截止日期不能早于起始日期"));
        }
        Ok((from, to))
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SeasonQuery {
    /// 防火期编号（缺省为当前防火期或最近的一个）
    #[param(value_type = Option<i64>, minimum = 1)]
    season_id: Option<String>,
}

impl SeasonQuery {
    fn season(&self) -> ApiResult<Option<i64>> {
        crate::query::int_param("season_id", &self.season_id, 1, i64::MAX)
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RegionQuery {
    /// 区划代码前缀（乡镇9位、村12位）
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,12}$")]
    region: Option<String>,
}

impl RegionQuery {
    fn checked(&self) -> ApiResult<()> {
        match self.region.as_deref().map(str::trim) {
            Some(r)
                if !r.is_empty() && (r.len() > 12 || !r.bytes().all(|b| b.is_ascii_digit())) =>
            {
                Err(crate::query::bad("region", "区划代码应为不超过12位的数字"))
            }
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct GridImportQuery {
    /// 导入到的防火期编号
    #[param(value_type = i64, minimum = 1)]
    season_id: Option<String>,
    /// 跳过错误行，写入正确行
    #[param(value_type = Option<bool>)]
    skip_invalid: Option<String>,
    /// 确认忽略未识别的列
    #[param(value_type = Option<bool>)]
    ignore_columns: Option<String>,
}

#[utoipa::path(
    get,
    path = "/forest/seasons",
    tag = "forest",
    summary = "防火期（最近的在前）",
    responses((status = 200, description = "防火期（最近的在前）", body = Items<Season>))
)]
async fn seasons(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Items<Season>>> {
    let v = blocking(&state, move |app| app.forest_seasons(&a.caller)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/seasons",
    tag = "forest",
    summary = "设定防火期（县级）",
    request_body = SeasonDraft,
    responses((status = 201, description = "已登记", body = Season))
)]
async fn create_season(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<SeasonDraft>,
) -> ApiResult<(StatusCode, Json<Season>)> {
    let v = blocking(&state, move |app| app.create_forest_season(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/farms",
    tag = "forest",
    summary = "国有林场（农场）",
    responses((status = 200, description = "国有林场（农场）", body = Items<Farm>))
)]
async fn farms(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Items<Farm>>> {
    let v = blocking(&state, move |app| app.forest_farms(&a.caller)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/farms",
    tag = "forest",
    summary = "登记国有林场（农场）",
    request_body = FarmDraft,
    responses((status = 201, description = "已登记", body = Farm))
)]
async fn create_farm(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<FarmDraft>,
) -> ApiResult<(StatusCode, Json<Farm>)> {
    let v = blocking(&state, move |app| app.create_forest_farm(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/patches",
    tag = "forest",
    summary = "山头地块（可按区划筛选）",
    params(RegionQuery),
    responses((status = 200, description = "山头地块（可按区划筛选）", body = Items<Patch>))
)]
async fn patches(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<RegionQuery>,
) -> ApiResult<Json<Items<Patch>>> {
    q.checked()?;
    let v = blocking(&state, move |app| {
        app.forest_patches(&a.caller, q.region.as_deref())
    })
    .await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/patches",
    tag = "forest",
    summary = "登记山头地块",
    request_body = PatchDraft,
    responses((status = 201, description = "已登记", body = Patch))
)]
async fn create_patch(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<PatchDraft>,
) -> ApiResult<(StatusCode, Json<Patch>)> {
    let v = blocking(&state, move |app| app.create_forest_patch(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/checkpoints",
    tag = "forest",
    summary = "防火检查站（可按防火期筛选）",
    params(SeasonQuery),
    responses((status = 200, description = "防火检查站（可按防火期筛选）", body = Items<Checkpoint>))
)]
async fn checkpoints(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SeasonQuery>,
) -> ApiResult<Json<Items<Checkpoint>>> {
    let season = q.season()?;
    let v = blocking(&state, move |app| app.forest_checkpoints(&a.caller, season)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/checkpoints",
    tag = "forest",
    summary = "设立防火检查站",
    request_body = CheckpointDraft,
    responses((status = 201, description = "已登记", body = Checkpoint))
)]
async fn create_checkpoint(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<CheckpointDraft>,
) -> ApiResult<(StatusCode, Json<Checkpoint>)> {
    let v = blocking(&state, move |app| {
        app.create_forest_checkpoint(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/wardens",
    tag = "forest",
    summary = "网格责任人（可按防火期筛选）",
    params(SeasonQuery),
    responses((status = 200, description = "网格责任人（可按防火期筛选）", body = Items<Warden>))
)]
async fn wardens(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SeasonQuery>,
) -> ApiResult<Json<Items<Warden>>> {
    let season = q.season()?;
    let v = blocking(&state, move |app| app.forest_wardens(&a.caller, season)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/wardens",
    tag = "forest",
    summary = "登记网格责任人（林长、监管员、网格员、护林员、检查站值守人员）",
    request_body = WardenDraft,
    responses((status = 201, description = "已登记", body = Warden))
)]
async fn create_warden(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<WardenDraft>,
) -> ApiResult<(StatusCode, Json<Warden>)> {
    let v = blocking(&state, move |app| app.create_forest_warden(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/checkpoint-logs",
    tag = "forest",
    summary = "检查站登记（进山人员、车辆、收缴火种）",
    params(Period),
    responses((status = 200, description = "检查站登记（进山人员、车辆、收缴火种）", body = Items<CheckpointLog>))
)]
async fn checkpoint_logs(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Period>,
) -> ApiResult<Json<Items<CheckpointLog>>> {
    let (from, to) = q.days()?;
    let v = blocking(&state, move |app| app.checkpoint_logs(&a.caller, from, to)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/checkpoint-logs",
    tag = "forest",
    summary = "登记检查站当日情况",
    request_body = CheckpointLogDraft,
    responses((status = 201, description = "已登记", body = CheckpointLog))
)]
async fn create_checkpoint_log(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<CheckpointLogDraft>,
) -> ApiResult<(StatusCode, Json<CheckpointLog>)> {
    let v = blocking(&state, move |app| app.record_checkpoint_log(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/patrols",
    tag = "forest",
    summary = "巡护记录",
    params(Period),
    responses((status = 200, description = "巡护记录", body = Items<Patrol>))
)]
async fn patrols(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Period>,
) -> ApiResult<Json<Items<Patrol>>> {
    let (from, to) = q.days()?;
    let v = blocking(&state, move |app| {
        app.forest_patrols(&a.caller, from, to, None)
    })
    .await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/patrols",
    tag = "forest",
    summary = "登记巡护",
    request_body = PatrolDraft,
    responses((status = 201, description = "已登记", body = Patrol))
)]
async fn create_patrol(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<PatrolDraft>,
) -> ApiResult<(StatusCode, Json<Patrol>)> {
    let v = blocking(&state, move |app| app.record_patrol(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/duties",
    tag = "forest",
    summary = "防火期值班表",
    params(Period),
    responses((status = 200, description = "防火期值班表", body = Items<Duty>))
)]
async fn duties(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Period>,
) -> ApiResult<Json<Items<Duty>>> {
    let (from, to) = q.days()?;
    let v = blocking(&state, move |app| app.forest_duties(&a.caller, from, to)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/duties",
    tag = "forest",
    summary = "排定某日值班（同日同地再排即替换）",
    request_body = DutyDraft,
    responses((status = 201, description = "已登记", body = Duty))
)]
async fn set_duty(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<DutyDraft>,
) -> ApiResult<(StatusCode, Json<Duty>)> {
    let v = blocking(&state, move |app| app.set_forest_duty(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/equipment",
    tag = "forest",
    summary = "森林防灭火装备（购置、受捐赠）及已发放数量",
    responses((status = 200, description = "森林防灭火装备（购置、受捐赠）及已发放数量", body = Items<Equipment>))
)]
async fn equipment(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<Equipment>>> {
    let v = blocking(&state, move |app| app.forest_equipment(&a.caller)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/equipment",
    tag = "forest",
    summary = "登记购置或受捐赠的装备（县级）",
    request_body = EquipmentDraft,
    responses((status = 201, description = "已登记", body = Equipment))
)]
async fn create_equipment(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<EquipmentDraft>,
) -> ApiResult<(StatusCode, Json<Equipment>)> {
    let v = blocking(&state, move |app| {
        app.create_forest_equipment(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/handovers",
    tag = "forest",
    summary = "装备发放记录（乡镇看到本乡镇领取的）",
    responses((status = 200, description = "装备发放记录（乡镇看到本乡镇领取的）", body = Items<Handover>))
)]
async fn handovers(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<Handover>>> {
    let v = blocking(&state, move |app| app.forest_handovers(&a.caller)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/forest/handovers",
    tag = "forest",
    summary = "发放装备给乡镇或国有林场（农场）",
    request_body = HandoverDraft,
    responses((status = 201, description = "已登记", body = Handover))
)]
async fn create_handover(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<HandoverDraft>,
) -> ApiResult<(StatusCode, Json<Handover>)> {
    let v = blocking(&state, move |app| app.hand_over_equipment(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/forest/chain",
    tag = "forest",
    summary = "防火期的责任链：县级林长，各乡镇、村、山头和检查站的责任人，以及尚未落实到人的山头和村",
    params(SeasonQuery),
    responses(
        (status = 200, description = "责任链（尚无防火期时为 null）", body = Option<Chain>),
        (status = 404, description = "指定的防火期不存在", body = super::openapi::ErrorBody),
    )
)]
async fn chain(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SeasonQuery>,
) -> ApiResult<Json<Option<Chain>>> {
    let season = q.season()?;
    let v = blocking(&state, move |app| app.forest_chain(&a.caller, season)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/forest/kits",
    tag = "forest",
    summary = "各乡镇、国有林场（农场）领到的装备（按类别合计，附发放记录）",
    responses((status = 200, description = "装备配备", body = Items<Kit>))
)]
async fn kits(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Items<Kit>>> {
    let v = blocking(&state, move |app| app.forest_kits(&a.caller)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    get,
    path = "/forest/grid/export",
    tag = "forest",
    summary = "森林防灭火网格责任表（Excel，一座山头一行；列与导入相同）",
    params(SeasonQuery),
    responses(
        (status = 200, description = "网格责任表", content_type = XLSX, body = Binary),
        (status = 404, description = "指定的防火期不存在", body = super::openapi::ErrorBody),
    )
)]
async fn grid_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SeasonQuery>,
) -> ApiResult<Response> {
    let season = q.season()?;
    let bytes = blocking(&state, move |app| app.forest_grid_ledger(&a.caller, season)).await?;
    Ok(super::xlsx_file(bytes, "forest-grid.xlsx"))
}

#[utoipa::path(
    post,
    path = "/forest/grid/import",
    tag = "forest",
    summary = "导入网格责任表（CSV/XLSX）",
    description = "导入网格责任表（multipart 字段 file，CSV/XLSX；列：乡镇（街道）、村（社区）、山头（地块）名称、面积（亩）、主要树种、所属国有林场（农场）、网格员、网格员电话、护林员、护林员电话；乡镇、村按名称识别，林场须已登记；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束，超限 413）",
    params(GridImportQuery),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = ImportRefused),
    )
)]
async fn grid_import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<GridImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let season = crate::query::int_param("season_id", &q.season_id, 1, i64::MAX)?
        .ok_or_else(|| crate::query::bad("season_id", "请指定导入到的防火期 season_id"))?;
    let opts = import_options(&q.skip_invalid, &q.ignore_columns)?;
    let user = a.caller.user.username.clone();
    import_with(&state, opts, mp, user, move |app, t, opts| {
        app.import_forest_grid(&a.caller, season, t, opts)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/forest/patrols/export",
    tag = "forest",
    summary = "森林防火巡护台账（Excel）",
    params(Period),
    responses((status = 200, description = "巡护台账", content_type = XLSX, body = Binary))
)]
async fn patrol_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Period>,
) -> ApiResult<Response> {
    let (from, to) = q.days()?;
    let bytes = blocking(&state, move |app| {
        app.forest_patrol_ledger(&a.caller, from, to)
    })
    .await?;
    Ok(super::xlsx_file(bytes, "forest-patrols.xlsx"))
}

#[utoipa::path(
    get,
    path = "/forest/handovers/export",
    tag = "forest",
    summary = "森林防灭火装备发放台账（Excel）",
    responses((status = 200, description = "发放台账", content_type = XLSX, body = Binary))
)]
async fn handover_export(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.forest_handover_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "forest-handovers.xlsx"))
}
