//! Risk steering: the enterprises' risk grades (effective, from points, override and its
//! history), the county's settings per grade, the plan's proposal and the enterprises behind
//! their frequency, and the 四色图 as SVG.

use super::{ApiResult, Items};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::risk_steering::{
    EnterpriseRiskGrade, EnterpriseRiskGradeDetail, EnterpriseRiskGradeOverrideInput,
    EnterpriseRiskGradeQuery, RiskSteeringPlanProposal, RiskSteeringSettingsInput,
    RiskSteeringSettingsView,
};
use anjian_domain::ValidationErrors;
use anjian_domain::risk_grade::Grade;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
        .routes(routes!(get))
        .routes(routes!(set_override))
        .routes(routes!(clear_override))
        .routes(routes!(enterprise_svg))
        .routes(routes!(township_svg))
        .routes(routes!(settings, save_settings))
        .routes(routes!(plan_proposal))
        .routes(routes!(plan_behind))
}

const SVG: &str = "image/svg+xml";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Filters {
    /// 乡镇区划代码
    region: Option<String>,
    /// 有效风险等级：major | large | general | low
    #[param(value_type = Option<Grade>, inline)]
    grade: Option<String>,
    /// 只列出超过检查周期未检查的企业
    #[param(value_type = Option<bool>)]
    behind: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

fn invalid(field: &str, message: &str) -> crate::error::ApiError {
    anjian_app::AppError::from(ValidationErrors::single(field, message)).into()
}

fn region_prefix(region: &Option<String>) -> ApiResult<Option<String>> {
    match region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => anjian_domain::RegionCode::parse(r)
            .map(|c| Some(c.subtree_prefix().to_string()))
            .map_err(|_| invalid("region", "区划代码不正确")),
    }
}

#[utoipa::path(
    get,
    path = "/enterprise-risk-grades",
    tag = "risk_steering",
    summary = "企业风险等级（有效等级、按风险点确定的等级、人工认定、检查周期与是否超期）",
    params(Filters),
    responses((status = 200, description = "一页企业", body = Page<EnterpriseRiskGrade>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Json<Page<EnterpriseRiskGrade>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let query = q.query()?;
    let page = blocking(&state, move |app| {
        app.enterprise_risk_grades_page(&a.caller, &query, &k)
    })
    .await?;
    Ok(Json(page))
}

impl Filters {
    fn query(&self) -> ApiResult<EnterpriseRiskGradeQuery> {
        let grade = match self
            .grade
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            None => None,
            Some(g) => Some(
                Grade::from_words(g)
                    .ok_or_else(|| invalid("grade", "风险等级应为 major、large、general 或 low"))?,
            ),
        };
        Ok(EnterpriseRiskGradeQuery {
            region_prefix: region_prefix(&self.region)?,
            grade,
            behind_only: super::bool_param("behind", &self.behind)?.unwrap_or(false),
        })
    }
}

#[utoipa::path(
    get,
    path = "/enterprise-risk-grades/export",
    tag = "risk_steering",
    summary = "企业风险等级台账（Excel：有效等级、确定方式、各色风险点数、人工认定理由、检查期限）",
    params(Filters),
    responses((status = 200, description = "台账", content_type = super::XLSX, body = super::Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<axum::response::Response> {
    let query = q.query()?;
    let bytes = blocking(&state, move |app| {
        app.enterprise_risk_grade_ledger(&a.caller, &query)
    })
    .await?;
    Ok(super::xlsx_file(bytes, "enterprise-risk-grades.xlsx"))
}

#[utoipa::path(
    get,
    path = "/enterprise-risk-grades/{id}",
    tag = "risk_steering",
    summary = "一家企业的风险等级及人工认定历史（id 为企业编号）",
    params(super::IdPath),
    responses((status = 200, description = "风险等级", body = EnterpriseRiskGradeDetail))
)]
async fn get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<EnterpriseRiskGradeDetail>> {
    let v = blocking(&state, move |app| app.enterprise_risk_grade(&a.caller, id)).await?;
    Ok(Json(v))
}

/// The regulator's grade with the reason and the override's version as read.
#[derive(Deserialize, ToSchema)]
#[schema(as = EnterpriseRiskGradeOverride)]
#[serde(deny_unknown_fields)]
struct OverrideBody {
    /// major（重大）| large（较大）| general（一般）| low（低）
    grade: String,
    reason: String,
    /// 现有人工认定的版本号（首次认定时不填）
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/enterprise-risk-grades/{id}/override",
    tag = "risk_steering",
    summary = "监管部门认定企业风险等级（须写明理由；已有认定时带上其版本号）",
    params(super::IdPath),
    request_body = OverrideBody,
    responses((status = 200, description = "风险等级", body = EnterpriseRiskGradeDetail))
)]
async fn set_override(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<OverrideBody>,
) -> ApiResult<Json<EnterpriseRiskGradeDetail>> {
    if b.grade.trim().is_empty() {
        return Err(invalid("grade", "请选择认定的风险等级"));
    }
    let input = EnterpriseRiskGradeOverrideInput {
        grade: Some(b.grade),
        reason: b.reason,
        version: b.version,
    };
    let v = blocking(&state, move |app| {
        app.enterprise_risk_grade_override(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(v))
}

/// Clearing the override: the reason and its version.
#[derive(Deserialize, ToSchema)]
#[schema(as = EnterpriseRiskGradeClear)]
#[serde(deny_unknown_fields)]
struct ClearBody {
    reason: String,
    /// 现有人工认定的版本号
    version: i64,
}

#[utoipa::path(
    post,
    path = "/enterprise-risk-grades/{id}/override/clear",
    tag = "risk_steering",
    summary = "取消人工认定（恢复按风险点确定的等级；须写明理由）",
    params(super::IdPath),
    request_body = ClearBody,
    responses((status = 200, description = "风险等级", body = EnterpriseRiskGradeDetail))
)]
async fn clear_override(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<ClearBody>,
) -> ApiResult<Json<EnterpriseRiskGradeDetail>> {
    let input = EnterpriseRiskGradeOverrideInput {
        grade: None,
        reason: b.reason,
        version: Some(b.version),
    };
    let v = blocking(&state, move |app| {
        app.enterprise_risk_grade_override(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(v))
}

fn svg_file(svg: String, name: &str, fallback: &str) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, format!("{SVG}; charset=utf-8")),
            (
                header::CONTENT_DISPOSITION,
                crate::files::content_disposition(name, fallback),
            ),
        ],
        svg,
    )
        .into_response()
}

#[utoipa::path(
    get,
    path = "/enterprise-risk-grades/{id}/svg",
    tag = "risk_steering",
    summary = "企业安全风险四色分布图（SVG，按风险点）",
    params(super::IdPath),
    responses((status = 200, description = "SVG 图", content_type = "image/svg+xml", body = String))
)]
async fn enterprise_svg(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let svg = blocking(&state, move |app| {
        app.enterprise_risk_grade_enterprise_svg(&a.caller, id)
    })
    .await?;
    Ok(svg_file(
        svg,
        &format!("企业四色图-{id}.svg"),
        &format!("risk-enterprise-{id}.svg"),
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RegionQuery {
    /// 乡镇（或县）区划代码
    region: String,
}

#[utoipa::path(
    get,
    path = "/risk-steering/township-svg",
    tag = "risk_steering",
    summary = "乡镇企业安全风险四色分布图（SVG，按企业有效风险等级）",
    params(RegionQuery),
    responses((status = 200, description = "SVG 图", content_type = "image/svg+xml", body = String))
)]
async fn township_svg(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<RegionQuery>,
) -> ApiResult<Response> {
    let region = q.region.trim().to_string();
    let fallback = format!(
        "risk-township-{}.svg",
        region
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    );
    let svg = blocking(&state, move |app| {
        app.enterprise_risk_grade_township_svg(&a.caller, &region)
    })
    .await?;
    Ok(svg_file(svg, "乡镇四色图.svg", &fallback))
}

#[utoipa::path(
    get,
    path = "/risk-steering/settings",
    tag = "risk_steering",
    summary = "风险分级监管参数：企业等级规则、各等级检查周期（月）与双随机抽取权重",
    responses((status = 200, description = "参数", body = RiskSteeringSettingsView))
)]
async fn settings(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<RiskSteeringSettingsView>> {
    let v = blocking(&state, move |app| app.risk_steering_settings(&a.caller)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/risk-steering/settings",
    tag = "risk_steering",
    summary = "设置风险分级监管参数（管理员、安委办；已保存过时带上版本号）",
    request_body = RiskSteeringSettingsInput,
    responses((status = 200, description = "参数", body = RiskSteeringSettingsView))
)]
async fn save_settings(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<RiskSteeringSettingsInput>,
) -> ApiResult<Json<RiskSteeringSettingsView>> {
    let v = blocking(&state, move |app| {
        app.risk_steering_save_settings(&a.caller, &input)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ProposalQuery {
    /// 编制计划的部门（默认本部门）
    #[param(value_type = Option<i64>)]
    department_id: Option<String>,
}

#[utoipa::path(
    get,
    path = "/risk-steering/plan-proposal",
    tag = "risk_steering",
    summary = "按风险等级生成执法计划建议：重点企业（重大、较大）与各月计划检查数",
    params(ProposalQuery),
    responses((status = 200, description = "建议", body = RiskSteeringPlanProposal))
)]
async fn plan_proposal(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ProposalQuery>,
) -> ApiResult<Json<RiskSteeringPlanProposal>> {
    let dep = super::int_param("department_id", &q.department_id, 1, i64::MAX)?;
    let v = blocking(&state, move |app| {
        app.risk_steering_plan_proposal(&a.caller, dep)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/risk-steering/plans/{id}/behind",
    tag = "risk_steering",
    summary = "计划所属部门监管行业中超过检查周期未检查的企业",
    params(super::IdPath),
    responses((status = 200, description = "企业", body = Items<EnterpriseRiskGrade>))
)]
async fn plan_behind(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Items<EnterpriseRiskGrade>>> {
    let v = blocking(&state, move |app| {
        app.risk_steering_plan_behind(&a.caller, id)
    })
    .await?;
    Ok(Items::of(v))
}
