//! The year's assessment (考核): rubrics, evaluations, each unit's results and the records
//! behind its deductions, hand scores, evidence and objections (复核申请).

use super::{ApiResult, Binary, DOCX, Items, XLSX};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery, parse_id};
use crate::{AppState, blocking};
use anjian_app::assessments::{
    AssessmentInput, EvaluationView, HandScoreInput, ItemRecords, ObjectionAnswer, ObjectionInput,
    ObjectionView, Recompute, RubricCopy, RubricInput, RubricView, UnitView,
};
use anjian_app::records::assessments::{Assessment, Evidence, HandScore};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rubrics, create_rubric))
        .routes(routes!(rubric, save_rubric))
        .routes(routes!(copy_rubric))
        .routes(routes!(rubric_sheet))
        .routes(routes!(rubric_template))
        .routes(routes!(import_rubric).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(act))
        .routes(routes!(recompute))
        .routes(routes!(ledger))
        .routes(routes!(summary))
        .routes(routes!(unit))
        .routes(routes!(records))
        .routes(routes!(score))
        .routes(routes!(evidence).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(evidence_file))
        .routes(routes!(file_objection))
        .routes(routes!(objections))
        .routes(routes!(objection))
        .routes(routes!(answer))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct YearQuery {
    /// 年度
    year: Option<String>,
}

fn year_of(q: &YearQuery) -> ApiResult<Option<i64>> {
    super::int_param("year", &q.year, 2000, 2100)
}

/// The `{id}` of a unit and the `{item}` (第N项, from 1) of its rubric.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<(String, String)>`; this names them in the document
struct ItemPath {
    /// 考核单位记录编号
    #[param(minimum = 1)]
    id: i64,
    /// 考核项目序号（第N项，从1起）
    #[param(minimum = 1)]
    item: i64,
}

fn item_path(p: Result<Path<(String, String)>, PathRejection>) -> ApiResult<(i64, i64)> {
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "未找到该记录");
    let Path((id, item)) = p.map_err(|_| not_found())?;
    Ok((
        parse_id(&id).map_err(|_| not_found())?,
        parse_id(&item).map_err(|_| not_found())?,
    ))
}

#[utoipa::path(
    get,
    path = "/assessment-rubrics",
    tag = "assessments",
    summary = "考核细则（按年度）",
    params(YearQuery),
    responses((status = 200, description = "考核细则", body = Items<RubricView>))
)]
async fn rubrics(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Json<Items<RubricView>>> {
    let year = year_of(&q)?;
    Ok(Items::of(
        blocking(&state, move |app| app.rubrics(&a.caller, year)).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/assessment-rubrics",
    tag = "assessments",
    summary = "制定考核细则（安委办）：年度、考核对象（township 乡镇 / department 市直部门）、名称、考核项目（按指标计算：指标、目标方向、目标值、每差一个单位扣分、最多扣分；人工评分：评分标准）",
    request_body = RubricInput,
    responses((status = 201, description = "考核细则", body = RubricView))
)]
async fn create_rubric(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<RubricInput>,
) -> ApiResult<(StatusCode, Json<RubricView>)> {
    let r = blocking(&state, move |app| app.save_rubric(&a.caller, None, &input)).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(
    get,
    path = "/assessment-rubrics/{id}",
    tag = "assessments",
    summary = "考核细则",
    params(super::IdPath),
    responses((status = 200, description = "考核细则", body = RubricView))
)]
async fn rubric(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<RubricView>> {
    Ok(Json(
        blocking(&state, move |app| app.rubric(&a.caller, id)).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/assessment-rubrics/{id}",
    tag = "assessments",
    summary = "修改考核细则（安委办；带 version；已有审定结果的细则不能修改）",
    params(super::IdPath),
    request_body = RubricInput,
    responses((status = 200, description = "考核细则", body = RubricView))
)]
async fn save_rubric(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<RubricInput>,
) -> ApiResult<Json<RubricView>> {
    Ok(Json(
        blocking(&state, move |app| {
            app.save_rubric(&a.caller, Some(id), &input)
        })
        .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/assessment-rubrics/{id}/copy",
    tag = "assessments",
    summary = "复制考核细则到另一年度（如沿用上年细则）",
    params(super::IdPath),
    request_body = RubricCopy,
    responses((status = 201, description = "新的考核细则", body = RubricView))
)]
async fn copy_rubric(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<RubricCopy>,
) -> ApiResult<(StatusCode, Json<RubricView>)> {
    let r = blocking(&state, move |app| app.copy_rubric(&a.caller, id, &input)).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(
    get,
    path = "/assessment-rubrics/{id}/xlsx",
    tag = "assessments",
    summary = "考核细则（Excel，列与导入相同）",
    params(super::IdPath),
    responses((status = 200, description = "考核细则", content_type = XLSX, body = Binary))
)]
async fn rubric_sheet(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.rubric_sheet(&a.caller, id)).await?;
    Ok(super::xlsx_file(
        bytes,
        &format!("assessment-rubric-{id}.xlsx"),
    ))
}

#[utoipa::path(
    get,
    path = "/assessment-rubrics/template",
    tag = "assessments",
    summary = "考核细则导入表（Excel，空白，列与导入相同；安委办）",
    responses((status = 200, description = "导入表", content_type = XLSX, body = Binary))
)]
async fn rubric_template(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.rubric_template_sheet(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "assessment-rubric-template.xlsx"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    /// 年度
    year: String,
    /// 考核对象：township 或 department
    unit_kind: String,
    /// 细则名称（新建时；缺省按年度和考核对象命名）
    title: Option<String>,
    /// 确认忽略未识别的列
    #[param(value_type = Option<bool>)]
    ignore_columns: Option<String>,
}

#[utoipa::path(
    post,
    path = "/assessment-rubrics/import",
    tag = "assessments",
    description = "导入考核细则（multipart 字段 file，CSV/XLSX；列：考核内容、分值、评分方式、指标、比率分母指标、目标方向、目标值、每差一个单位扣分、最多扣分、评分标准；逐行校验，有错行则 422 列出行号且不写入；该年度该对象的细则已存在时保存为新版本）",
    params(ImportQuery),
    request_body(content = super::stats::import::Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = super::stats::import::ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = super::stats::import::ImportRefused),
    )
)]
async fn import_rubric(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let year = super::int_param("year", &Some(q.year.clone()), 2000, 2100)?.unwrap_or(0);
    let opts = super::stats::import::import_options(&None, &q.ignore_columns)?;
    let user = a.caller.user.username.clone();
    super::stats::import::import_with(&state, opts, mp, user, move |app, t, opts| {
        app.import_rubric(&a.caller, year, &q.unit_kind, q.title.as_deref(), t, opts)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/assessments",
    tag = "assessments",
    summary = "考核（上半年、全年）",
    params(YearQuery),
    responses((status = 200, description = "考核", body = Items<Assessment>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Json<Items<Assessment>>> {
    let year = year_of(&q)?;
    Ok(Items::of(
        blocking(&state, move |app| app.assessments(&a.caller, year)).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/assessments",
    tag = "assessments",
    summary = "开展考核（安委办）：按考核细则对全部乡镇或市直部门进行上半年（half）或全年（year）考核",
    request_body = AssessmentInput,
    responses((status = 201, description = "考核", body = Assessment))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<AssessmentInput>,
) -> ApiResult<(StatusCode, Json<Assessment>)> {
    let r = blocking(&state, move |app| app.create_assessment(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(
    get,
    path = "/assessments/{id}",
    tag = "assessments",
    summary = "考核结果：考核项目和各单位得分、名次（乡镇、部门只看到本单位）",
    params(super::IdPath),
    responses((status = 200, description = "考核结果", body = EvaluationView))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<EvaluationView>> {
    Ok(Json(
        blocking(&state, move |app| app.assessment(&a.caller, id)).await?,
    ))
}

/// A step of the evaluation loop.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Step {
    /// approve（审定）
    action: String,
    version: i64,
}

#[utoipa::path(
    post,
    path = "/assessments/{id}/actions",
    tag = "assessments",
    summary = "办理：approve（审定，冻结各项数值、得分和扣分所依据的记录；人工评分须已完成）",
    params(super::IdPath),
    request_body = Step,
    responses((status = 200, description = "审定后的考核", body = Assessment))
)]
async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(step): AppJson<Step>,
) -> ApiResult<Json<Assessment>> {
    if step.action != "approve" {
        return Err(ApiError::from(anjian_app::AppError::Validation(
            anjian_domain::ValidationErrors::single("action", "办理应为审定（approve）"),
        )));
    }
    Ok(Json(
        blocking(&state, move |app| {
            app.approve_assessment(&a.caller, id, step.version)
        })
        .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/assessments/{id}/recompute",
    tag = "assessments",
    summary = "重新计算：已审定的结果与按当前记录计算的结果对照（有差异的项目及增减的记录）",
    params(super::IdPath),
    responses(
        (status = 200, description = "对照", body = Recompute),
        (status = 409, description = "考核尚未审定，无可对照的结果", body = super::openapi::ErrorBody)
    )
)]
async fn recompute(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Recompute>> {
    Ok(Json(
        blocking(&state, move |app| app.recompute_assessment(&a.caller, id)).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/assessments/{id}/xlsx",
    tag = "assessments",
    summary = "考核结果排名（Excel）",
    params(super::IdPath),
    responses((status = 200, description = "排名", content_type = XLSX, body = Binary))
)]
async fn ledger(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.assessment_ledger(&a.caller, id)).await?;
    Ok(super::xlsx_file(bytes, &format!("assessment-{id}.xlsx")))
}

#[utoipa::path(
    get,
    path = "/assessments/{id}/docx",
    tag = "assessments",
    summary = "考核结果通报（Word）",
    params(super::IdPath),
    responses((status = 200, description = "通报", content_type = DOCX, body = Binary))
)]
async fn summary(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| {
        app.assessment_summary_docx(&a.caller, id)
    })
    .await?;
    Ok(crate::files::docx_response(
        "考核结果通报.docx",
        &format!("assessment-{id}.docx"),
        bytes,
    ))
}

#[utoipa::path(
    get,
    path = "/assessment-units/{id}",
    tag = "assessments",
    summary = "一个单位的考核结果：各项数值、扣分、得分及评分人，佐证材料和复核申请",
    params(super::IdPath),
    responses((status = 200, description = "单位考核结果", body = UnitView))
)]
async fn unit(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<UnitView>> {
    Ok(Json(
        blocking(&state, move |app| app.assessment_unit(&a.caller, id)).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/assessment-units/{id}/items/{item}/records",
    tag = "assessments",
    summary = "扣分依据：该项扣分所依据的记录（已审定的为审定时冻结的记录）",
    params(ItemPath),
    responses((status = 200, description = "记录", body = ItemRecords))
)]
async fn records(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<Json<ItemRecords>> {
    let (id, item) = item_path(p)?;
    Ok(Json(
        blocking(&state, move |app| {
            app.assessment_item_records(&a.caller, id, item)
        })
        .await?,
    ))
}

#[utoipa::path(
    put,
    path = "/assessment-units/{id}/items/{item}/score",
    tag = "assessments",
    summary = "人工评分（安委办，审定前）：score、note",
    params(ItemPath),
    request_body = HandScoreInput,
    responses((status = 200, description = "评分", body = HandScore))
)]
async fn score(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(input): AppJson<HandScoreInput>,
) -> ApiResult<Json<HandScore>> {
    let (id, item) = item_path(p)?;
    Ok(Json(
        blocking(&state, move |app| {
            app.score_assessment_item(&a.caller, id, item, &input)
        })
        .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/assessment-units/{id}/items/{item}/evidence",
    tag = "assessments",
    summary = "上传佐证材料（本单位或安委办；multipart 字段 file，可选 note；JPG/PNG/PDF/Word/Excel，10 MB 以内）",
    params(ItemPath),
    request_body(content = super::stats::import::Upload, content_type = "multipart/form-data"),
    responses((status = 201, description = "已上传（含 sha256）", body = Evidence))
)]
async fn evidence(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Evidence>)> {
    let (id, item) = item_path(p)?;
    let mp = mp.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 上传文件（字段名 file）",
        )
    })?;
    let (name, data, note, _) = crate::files::read_upload(mp).await?;
    let e = blocking(&state, move |app| {
        app.add_assessment_evidence(&a.caller, id, item, &name, data, &note)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[utoipa::path(
    get,
    path = "/assessment-evidence/{id}",
    tag = "assessments",
    summary = "下载考核佐证材料",
    params(super::IdPath),
    responses((status = 200, description = "文件（按内容识别的类型）", content(
        (Binary = "image/jpeg"), (Binary = "image/png"), (Binary = "application/pdf"),
        (Binary = DOCX), (Binary = XLSX),
    )))
)]
async fn evidence_file(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (e, data) = blocking(&state, move |app| {
        app.assessment_evidence_file(&a.caller, id)
    })
    .await?;
    Ok(crate::files::file_response(
        data,
        &e.content_type,
        &e.file_name,
    ))
}

#[utoipa::path(
    post,
    path = "/assessment-units/{id}/objections",
    tag = "assessments",
    summary = "申请复核（本单位）：item（第N项）、reason",
    params(super::IdPath),
    request_body = ObjectionInput,
    responses((status = 201, description = "复核申请", body = ObjectionView))
)]
async fn file_objection(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<ObjectionInput>,
) -> ApiResult<(StatusCode, Json<ObjectionView>)> {
    let o = blocking(&state, move |app| app.file_objection(&a.caller, id, &input)).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ObjectionQuery {
    /// 考核编号
    assessment: Option<String>,
}

#[utoipa::path(
    get,
    path = "/assessment-objections",
    tag = "assessments",
    summary = "复核申请（乡镇、部门只看到本单位的）",
    params(ObjectionQuery),
    responses((status = 200, description = "复核申请", body = Items<ObjectionView>))
)]
async fn objections(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ObjectionQuery>,
) -> ApiResult<Json<Items<ObjectionView>>> {
    let assessment = super::int_param("assessment", &q.assessment, 1, i64::MAX)?;
    Ok(Items::of(
        blocking(&state, move |app| {
            app.objection_views(&a.caller, assessment)
        })
        .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/assessment-objections/{id}",
    tag = "assessments",
    summary = "复核申请",
    params(super::IdPath),
    responses((status = 200, description = "复核申请", body = ObjectionView))
)]
async fn objection(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<ObjectionView>> {
    Ok(Json(
        blocking(&state, move |app| app.objection(&a.caller, id)).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/assessment-objections/{id}/actions",
    tag = "assessments",
    summary = "答复复核申请（安委办）：accept（采纳，score 为重新评定的得分）、reject（不予采纳，answer 为理由）；带 version",
    params(super::IdPath),
    request_body = ObjectionAnswer,
    responses((status = 200, description = "复核申请", body = ObjectionView))
)]
async fn answer(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<ObjectionAnswer>,
) -> ApiResult<Json<ObjectionView>> {
    Ok(Json(
        blocking(&state, move |app| {
            app.answer_objection(&a.caller, id, &input)
        })
        .await?,
    ))
}
