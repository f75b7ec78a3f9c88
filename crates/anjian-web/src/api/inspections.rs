use super::{ApiResult, int_param};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery, parse_id};
use crate::{AppState, blocking};
use anjian_app::inspections::{FindingToHazard, InspectionInput, RosterOfficer};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, DOCX, Items};
use anjian_app::Page;
use anjian_app::hazards::HazardView;
use anjian_app::records::inspections::{Finding, Inspection, Template};

/// An inspection with the problems it found.
#[derive(Serialize, ToSchema)]
struct WithFindings {
    #[serde(flatten)]
    inspection: Inspection,
    findings: Vec<Finding>,
}

/// The `{id}` and `{fid}` of a finding's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<(String, String)>`; this names them in the document
struct FindingPath {
    /// 检查记录编号
    #[param(minimum = 1)]
    id: i64,
    /// 发现的问题编号
    #[param(minimum = 1)]
    fid: i64,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(record))
        .routes(routes!(to_hazard))
        .routes(routes!(templates, save_template))
        .routes(routes!(officers))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct OfficersQuery {
    /// 检查日期（YYYY-MM-DD，默认今天）：valid 表示执法证当日是否有效
    #[param(value_type = Option<String>, format = Date)]
    on: Option<String>,
}

/// The caller's roster of certified officers, for an inspection's `officer_ids`.
#[utoipa::path(
    get,
    path = "/officers",
    tag = "inspections",
    summary = "执法人员名册（可选作检查的执法人员，含执法证号及有效期）",
    params(OfficersQuery),
    responses((status = 200, description = "执法人员", body = Items<RosterOfficer>))
)]
async fn officers(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<OfficersQuery>,
) -> ApiResult<Json<Items<RosterOfficer>>> {
    let on = match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => state.app.clock.today(),
        Some(d) => anjian_domain::validation::parse_date(d).map_err(|m| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "on",
                format!("检查日期{m}"),
            )
        })?,
    };
    let items = blocking(&state, move |app| app.officer_roster(&a.caller, on)).await?;
    Ok(Items::of(items))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// 企业
    #[param(value_type = Option<i64>, minimum = 1)]
    enterprise_id: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}
#[utoipa::path(
    get,
    path = "/inspections",
    tag = "inspections",
    summary = "监督检查记录",
    params(ListQuery),
    responses((status = 200, description = "一页检查记录", body = Page<Inspection>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Page<Inspection>>> {
    let e = int_param("enterprise_id", &q.enterprise_id, 1, i64::MAX)?;
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.inspections_page(&a.caller, e, &k)).await?;
    Ok(Json(page))
}
#[utoipa::path(
    post,
    path = "/inspections",
    tag = "inspections",
    summary = "记录监督检查（行政执法检查须有两名以上持有效执法证的执法人员）",
    request_body = InspectionInput,
    responses((status = 201, description = "检查记录（含发现的问题）", body = WithFindings))
)]

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<InspectionInput>,
) -> ApiResult<(StatusCode, Json<WithFindings>)> {
    let (i, f) = blocking(&state, move |app| {
        let i = app.record_inspection(&a.caller, &input)?;
        app.inspection(&a.caller, i.id)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(WithFindings {
            inspection: i,
            findings: f,
        }),
    ))
}
#[utoipa::path(
    get,
    path = "/inspections/{id}",
    tag = "inspections",
    summary = "检查记录（含发现的问题）",
    params(super::IdPath),
    responses((status = 200, description = "检查记录", body = WithFindings))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<WithFindings>> {
    let (i, f) = blocking(&state, move |app| app.inspection(&a.caller, id)).await?;
    Ok(Json(WithFindings {
        inspection: i,
        findings: f,
    }))
}
#[utoipa::path(
    get,
    path = "/inspections/{id}/record",
    tag = "inspections",
    summary = "现场检查记录（Word）",
    params(super::IdPath),
    responses((status = 200, description = "Word 文件", content_type = DOCX, body = Binary))
)]

async fn record(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let doc = blocking(&state, move |app| app.inspection_record_docx(&a.caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("现场检查记录{id}.docx"),
        &format!("inspection-record-{id}.docx"),
        doc,
    ))
}
#[utoipa::path(
    post,
    path = "/inspections/{id}/findings/{fid}/hazard",
    tag = "inspections",
    summary = "将发现的问题转为隐患",
    params(FindingPath),
    request_body = FindingToHazard,
    responses((status = 201, description = "登记的隐患", body = HazardView))
)]

async fn to_hazard(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(input): AppJson<FindingToHazard>,
) -> ApiResult<(StatusCode, Json<HazardView>)> {
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "未找到该记录");
    let Path((id, fid)) = p.map_err(|_| not_found())?;
    let (id, fid) = (
        parse_id(&id).map_err(|_| not_found())?,
        parse_id(&fid).map_err(|_| not_found())?,
    );
    let h = blocking(&state, move |app| {
        app.finding_to_hazard(&a.caller, id, fid, &input)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(h)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SectorQuery {
    /// 行业领域
    sector: Option<String>,
}
#[utoipa::path(
    get,
    path = "/checklist-templates",
    tag = "inspections",
    summary = "检查表模板",
    params(SectorQuery),
    responses((status = 200, description = "模板", body = Items<Template>))
)]

async fn templates(
    State(state): State<AppState>,
    _a: ApiCaller,
    AppQuery(q): AppQuery<SectorQuery>,
) -> ApiResult<Json<Items<Template>>> {
    let items = blocking(&state, move |app| {
        app.templates(q.sector.as_deref().filter(|s| !s.is_empty()))
    })
    .await?;
    Ok(Items::of(items))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TemplateItem {
    text: String,
    #[serde(default)]
    basis: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TemplateBody {
    sector: String,
    name: String,
    items: Vec<TemplateItem>,
}
#[utoipa::path(
    put,
    path = "/checklist-templates",
    tag = "inspections",
    summary = "保存检查表模板（管理员）",
    request_body = TemplateBody,
    responses((status = 200, description = "保存后的模板", body = Template))
)]

async fn save_template(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<TemplateBody>,
) -> ApiResult<Json<Template>> {
    let items: Vec<(String, String)> = b.items.into_iter().map(|i| (i.text, i.basis)).collect();
    let t = blocking(&state, move |app| {
        app.save_template(&a.caller, &b.sector, &b.name, &items)
    })
    .await?;
    Ok(Json(t))
}
