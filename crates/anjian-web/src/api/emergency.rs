//! Emergency resources (应急资源): teams, experts, supplies, depots and shelters with their
//! periodic checks; the ledger's export and import.

use super::ApiResult;
use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{Binary, Items, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::emergency::chain::{ChainContact, ChainQuery};
use anjian_app::emergency::{CheckDraft, ResourceDraft, ResourceView};
use anjian_app::records::emergency::ResourceCheck;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(resources, create_resource))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(resource))
        .routes(routes!(check))
        .routes(routes!(chain))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ResourceQuery {
    /// 类别（救援队伍、应急专家、装备物资、物资储备库、避难场所，或 team/expert/supply/depot/shelter）
    kind: Option<String>,
    /// 区划代码前缀（乡镇9位）
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,12}$")]
    region: Option<String>,
}

#[utoipa::path(
    get,
    path = "/emergency-resources",
    tag = "emergency",
    summary = "应急资源（本人范围内；含下次检查日期）",
    params(ResourceQuery),
    responses((status = 200, description = "应急资源", body = Items<ResourceView>))
)]
async fn resources(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ResourceQuery>,
) -> ApiResult<Json<Items<ResourceView>>> {
    if let Some(r) = q.region.as_deref().map(str::trim).filter(|r| !r.is_empty())
        && (r.len() > 12 || !r.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(crate::query::bad("region", "区划代码应为不超过12位的数字"));
    }
    let v = blocking(&state, move |app| {
        app.emergency_resources(&a.caller, q.kind.as_deref(), q.region.as_deref())
    })
    .await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/emergency-resources",
    tag = "emergency",
    summary = "登记应急资源（安委办、部门、乡镇，各登记本单位的）",
    request_body = ResourceDraft,
    responses((status = 201, description = "已登记", body = ResourceView))
)]
async fn create_resource(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<ResourceDraft>,
) -> ApiResult<(StatusCode, Json<ResourceView>)> {
    let v = blocking(&state, move |app| {
        app.create_emergency_resource(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A resource with its checks.
#[derive(Debug, Serialize, ToSchema)]
struct ResourceDetail {
    resource: ResourceView,
    checks: Vec<ResourceCheck>,
}

#[utoipa::path(
    get,
    path = "/emergency-resources/{id}",
    tag = "emergency",
    summary = "应急资源及其检查记录",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, description = "应急资源", body = ResourceDetail))
)]
async fn resource(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<ResourceDetail>> {
    let (resource, checks) =
        blocking(&state, move |app| app.emergency_resource(&a.caller, id)).await?;
    Ok(Json(ResourceDetail { resource, checks }))
}

#[utoipa::path(
    post,
    path = "/emergency-resources/{id}/checks",
    tag = "emergency",
    summary = "登记定期检查（点验、维护保养；有问题时写明问题和处理）",
    params(("id" = i64, Path, description = "编号")),
    request_body = CheckDraft,
    responses((status = 200, description = "检查后的应急资源", body = ResourceView))
)]
async fn check(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<CheckDraft>,
) -> ApiResult<Json<ResourceView>> {
    let v = blocking(&state, move |app| {
        app.check_emergency_resource(&a.caller, id, &d)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/emergency-resources/export",
    tag = "emergency",
    summary = "应急资源台账（Excel，列与导入相同，后附下次检查日期）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.emergency_resource_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "emergency-resources.xlsx"))
}

#[utoipa::path(
    post,
    path = "/emergency-resources/import",
    tag = "emergency",
    summary = "导入应急资源（CSV/XLSX）",
    description = "导入应急资源（multipart 字段 file，CSV/XLSX；列：类别、名称、所属乡镇（街道）、所属部门、人数、专长（专业领域）、数量、单位、容量（人/平方米）、存放储备库、负责人、联系电话、地址、经度、纬度、最近检查日期；台账的下次检查日期列被忽略；乡镇、部门、储备库按名称识别；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；全部在一个事务中写入）",
    params(ImportQuery),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = ImportRefused),
    )
)]
async fn import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_emergency_resources(&a.caller, t, opts)
    })
    .await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ChainParams {
    /// 记录所在区划代码（村或乡镇；填写企业时可不填）
    #[param(value_type = Option<String>, pattern = "^[0-9]{12}$")]
    region: Option<String>,
    /// 行业领域（代码或名称；填写企业时默认企业的第一个行业）
    sector: Option<String>,
    /// 企业编号
    #[param(value_type = Option<i64>, minimum = 1)]
    enterprise_id: Option<String>,
}

#[utoipa::path(
    get,
    path = "/notify-chain",
    tag = "emergency",
    summary = "通知链：某处某行业的记录应通知的人（企业负责人、乡镇、行业主管部门、包片包线领导、安委办），按层级排列，附电话",
    params(ChainParams),
    responses((status = 200, description = "通知链", body = Items<ChainContact>))
)]
async fn chain(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ChainParams>,
) -> ApiResult<Json<Items<ChainContact>>> {
    let query = ChainQuery {
        region: q.region.unwrap_or_default(),
        sector: q.sector.unwrap_or_default(),
        enterprise_id: crate::query::int_param("enterprise_id", &q.enterprise_id, 1, i64::MAX)?,
    };
    let v = blocking(&state, move |app| app.notify_chain(&a.caller, &query)).await?;
    Ok(Items::of(v))
}
