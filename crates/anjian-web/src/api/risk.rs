//! Risk points (风险点): the list with filters, a point with its history, registration,
//! editing, (re-)assessment, the review steps, the county's cut-offs, the ledger and import.

use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{ApiResult, Binary, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::query::{bool_param, int_param, keyset_of};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::risk::{
    RiskActionInput, RiskAssessInput, RiskPointDetail, RiskPointInput, RiskPointQuery,
    RiskPointView,
};
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
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(cutoffs, set_cutoffs))
        .routes(routes!(show, update))
        .routes(routes!(assess))
        .routes(routes!(act))
}

/// The list's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RiskPointFilters {
    /// 企业
    #[param(value_type = Option<i64>, minimum = 1)]
    pub enterprise_id: Option<String>,
    /// 乡镇（街道）区划代码（含下级）
    #[param(pattern = "^[0-9]{12}$")]
    pub township: Option<String>,
    /// 风险等级
    #[param(value_type = Option<String>, pattern = "^(major|large|general|low)$")]
    pub grade: Option<String>,
    /// 状态
    #[param(value_type = Option<String>, pattern = "^(draft|submitted|accepted|returned|retired)$")]
    pub state: Option<String>,
    /// 只看乡镇公共场所
    #[param(value_type = Option<bool>)]
    pub public_sites: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    pub after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    pub limit: Option<String>,
}

impl RiskPointFilters {
    fn query(&self) -> ApiResult<RiskPointQuery> {
        Ok(RiskPointQuery {
            enterprise_id: int_param("enterprise_id", &self.enterprise_id, 1, i64::MAX)?,
            township: self.township.clone(),
            grade: self.grade.clone(),
            state: self.state.clone(),
            public_sites: bool_param("public_sites", &self.public_sites)?,
        })
    }
}

#[utoipa::path(
    get,
    path = "/risk-points",
    tag = "risk",
    summary = "风险点（本人范围内：企业只见本企业，部门见所管行业企业的，乡镇见本乡镇的）",
    params(RiskPointFilters),
    responses((status = 200, description = "一页风险点", body = Page<RiskPointView>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<RiskPointFilters>,
) -> ApiResult<Json<Page<RiskPointView>>> {
    let k = keyset_of(&q.after, &q.limit)?;
    let query = q.query()?;
    let page = blocking(&state, move |app| {
        app.risk_points_page(&a.caller, &query, &k)
    })
    .await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/risk-points",
    tag = "risk",
    summary = "登记风险点（企业登记本企业的，乡镇登记本乡镇公共场所），可同时进行首次风险评价",
    request_body = RiskPointInput,
    responses((status = 201, description = "风险点", body = RiskPointDetail))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<RiskPointInput>,
) -> ApiResult<(StatusCode, Json<RiskPointDetail>)> {
    let v = blocking(&state, move |app| app.create_risk_point(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/risk-points/{id}",
    tag = "risk",
    summary = "风险点详情（含历次评价和当前可办理的操作）",
    params(super::IdPath),
    responses((status = 200, description = "风险点", body = RiskPointDetail))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<RiskPointDetail>> {
    let v = blocking(&state, move |app| app.risk_point(&a.caller, id)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/risk-points/{id}",
    tag = "risk",
    summary = "修改风险点信息（须带 version；已确认的风险点等级不变）",
    params(super::IdPath),
    request_body = RiskPointInput,
    responses((status = 200, description = "风险点", body = RiskPointDetail))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<RiskPointInput>,
) -> ApiResult<Json<RiskPointDetail>> {
    let v = blocking(&state, move |app| {
        app.update_risk_point(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/risk-points/{id}/assess",
    tag = "risk",
    summary = "风险评价或重新评价（LEC：L、E、C；LS：L、S；只能取方法表中的值；重新评价须填原因）",
    params(super::IdPath),
    request_body = RiskAssessInput,
    responses((status = 200, description = "风险点", body = RiskPointDetail))
)]
async fn assess(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<RiskAssessInput>,
) -> ApiResult<Json<RiskPointDetail>> {
    let v = blocking(&state, move |app| {
        app.assess_risk_point(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/risk-points/{id}/actions",
    tag = "risk",
    summary = "办理：submit 提交审核（企业、乡镇）；accept 审核确认、return 退回（监管部门、安委办）；retire 注销",
    params(super::IdPath),
    request_body = RiskActionInput,
    responses((status = 200, description = "风险点", body = RiskPointDetail))
)]
async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<RiskActionInput>,
) -> ApiResult<Json<RiskPointDetail>> {
    let v = blocking(&state, move |app| {
        app.risk_point_action(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(v))
}

/// The county's cut-offs from score to grade (highest grade first).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskPointCutoffs {
    /// LEC：D 大于第一个值为重大、大于第二个为较大、大于第三个为一般，其余为低，如 "320,160,70"
    pub lec: String,
    /// LS：R 不小于第一个值为重大、不小于第二个为较大、不小于第三个为一般，其余为低，如 "20,15,9"
    pub ls: String,
}

#[utoipa::path(
    get,
    path = "/risk-points/cutoffs",
    tag = "risk",
    summary = "风险分级标准（LEC、LS 的分界值）",
    responses((status = 200, description = "分界值", body = RiskPointCutoffs))
)]
async fn cutoffs(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<RiskPointCutoffs>> {
    let c = blocking(&state, move |app| app.risk_cutoffs()).await?;
    Ok(Json(RiskPointCutoffs {
        lec: c.text(anjian_domain::risk::Method::Lec),
        ls: c.text(anjian_domain::risk::Method::Ls),
    }))
}

#[utoipa::path(
    put,
    path = "/risk-points/cutoffs",
    tag = "risk",
    summary = "修改风险分级标准（安委办；分界值须从重大到一般依次减小）",
    request_body = RiskPointCutoffs,
    responses((status = 200, description = "分界值", body = RiskPointCutoffs))
)]
async fn set_cutoffs(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<RiskPointCutoffs>,
) -> ApiResult<Json<RiskPointCutoffs>> {
    let c = blocking(&state, move |app| {
        app.set_risk_cutoffs(&a.caller, &input.lec, &input.ls)
    })
    .await?;
    Ok(Json(RiskPointCutoffs {
        lec: c.text(anjian_domain::risk::Method::Lec),
        ls: c.text(anjian_domain::risk::Method::Ls),
    }))
}

#[utoipa::path(
    get,
    path = "/risk-points/export",
    tag = "risk",
    summary = "风险点台账（Excel，含最近一次评价的取值）",
    params(RiskPointFilters),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<RiskPointFilters>,
) -> ApiResult<Response> {
    let query = q.query()?;
    let bytes = blocking(&state, move |app| app.risk_point_ledger(&a.caller, &query)).await?;
    Ok(super::xlsx_file(bytes, "risk-points.xlsx"))
}

#[utoipa::path(
    post,
    path = "/risk-points/import",
    tag = "risk",
    summary = "导入风险点（CSV/XLSX；企业导入本企业的，乡镇导入本乡镇公共场所）",
    description = "导入风险点（multipart 字段 file，CSV/XLSX；列与台账相同：风险点、作业活动或设备设施、危险有害因素、事故类型（GB 6441 类别，多个以“、”分隔）、工程技术措施、管理措施、培训教育措施、个体防护措施、应急处置措施、管控层级（公司级/车间级/班组级/岗位级）、责任人、联系电话、评价方法（LEC/LS，可空）、L、E、C、S；单位、所在地、分值、风险等级、状态列不导入；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行）",
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
        app.import_risk_points(&a.caller, t, opts)
    })
    .await
}
