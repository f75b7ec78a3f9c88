//! Stationed supervisors (派驻监督员): key places, assignments, the supervisor's day and
//! check-ins with photos, a finding turned into a hazard, the week's confirmation, coverage,
//! spot checks, monthly ratings and the period's figures.

use super::{ApiResult, Items};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::hazards::HazardView;
use anjian_app::records::station::{
    Assignment, AssignmentFilter, Attachment, KeyPlace, SpotCheck, StationRating, Visit, Week,
};
use anjian_app::station::{
    AssignmentDraft, Coverage, KeyPlaceDraft, SpotCheckDraft, StationFigures, TodaySite,
    VisitDraft, VisitHazardDraft,
};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(key_places, create_key_place))
        .routes(routes!(assignments, create_assignment))
        .routes(routes!(roster_export))
        .routes(routes!(roster_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(assignment))
        .routes(routes!(end_assignment))
        .routes(routes!(today))
        .routes(routes!(check_in).layer(DefaultBodyLimit::max(crate::files::EVIDENCE_FORM_LIMIT)))
        .routes(routes!(visits))
        .routes(routes!(visit))
        .routes(routes!(visit_hazard))
        .routes(routes!(confirm_week))
        .routes(routes!(coverage))
        .routes(routes!(spot_checks, create_spot_check))
        .routes(routes!(ratings, rate))
        .routes(routes!(figures))
}

/// A period `[from, to]` as query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Period {
    /// 起始日期（YYYY-MM-DD）
    #[param(value_type = String, format = Date)]
    from: Option<String>,
    /// 截止日期（YYYY-MM-DD）
    #[param(value_type = String, format = Date)]
    to: Option<String>,
}

impl Period {
    fn days(&self) -> ApiResult<(chrono::NaiveDate, chrono::NaiveDate)> {
        let from = crate::query::date_param("from", &self.from)?
            .ok_or_else(|| crate::query::bad("from", "请提供起始日期 from"))?;
        let to = crate::query::date_param("to", &self.to)?
            .ok_or_else(|| crate::query::bad("to", "请提供截止日期 to"))?;
        if to < from {
            return Err(crate::query::bad("to", "截止日期不能早于起始日期"));
        }
        if (to - from).num_days() > 366 {
            return Err(crate::query::bad("to", "一次最多查询一年"));
        }
        Ok((from, to))
    }
}

#[utoipa::path(
    get,
    path = "/key-places",
    tag = "station",
    summary = "重点地段（本人范围内）",
    responses((status = 200, description = "重点地段", body = Items<KeyPlace>))
)]
async fn key_places(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<KeyPlace>>> {
    let v = blocking(&state, move |app| app.key_places(&a.caller)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/key-places",
    tag = "station",
    summary = "登记重点地段（乡镇、部门、安委办）",
    request_body = KeyPlaceDraft,
    responses((status = 201, description = "重点地段", body = KeyPlace))
)]
async fn create_key_place(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<KeyPlaceDraft>,
) -> ApiResult<(StatusCode, Json<KeyPlace>)> {
    let v = blocking(&state, move |app| app.create_key_place(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AssignmentQuery {
    /// 期间起（派驻期间与之有交集）
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// 期间止
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    /// 监督员（用户编号）
    #[param(value_type = Option<i64>, minimum = 1)]
    supervisor_id: Option<String>,
}

#[utoipa::path(
    get,
    path = "/station-assignments/export",
    tag = "station",
    summary = "派驻监督员花名册（Excel：期间内的派驻，含监督员、派出单位、驻守企业或重点地段、期间）",
    params(AssignmentQuery),
    responses((status = 200, description = "花名册", content_type = super::XLSX, body = super::Binary))
)]
async fn roster_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<AssignmentQuery>,
) -> ApiResult<axum::response::Response> {
    let f = AssignmentFilter {
        from: crate::query::date_param("from", &q.from)?,
        to: crate::query::date_param("to", &q.to)?,
        supervisor_id: crate::query::int_param("supervisor_id", &q.supervisor_id, 1, i64::MAX)?,
        ..Default::default()
    };
    let bytes = blocking(&state, move |app| app.station_roster_ledger(&a.caller, &f)).await?;
    Ok(super::xlsx_file(bytes, "station-roster.xlsx"))
}

#[utoipa::path(
    post,
    path = "/station-assignments/import",
    tag = "station",
    summary = "导入派驻花名册（CSV/XLSX）",
    description = "导入派驻花名册（multipart 字段 file，CSV/XLSX；列：监督员（用户名或姓名）、派出单位（乡镇或部门名称；乡镇、部门用户可不填，即本单位）、驻守企业（重点地段）（重点地段名称，或企业名称、统一社会信用代码）、开始日期、结束日期、备注；导出的花名册可直接导入（所在地列不导入）；先逐行按派驻规则校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；全部在一个事务中写入）",
    params(super::stats::import::ImportQuery),
    request_body(content = super::stats::import::Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = super::stats::import::ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = super::stats::import::ImportRefused),
    )
)]
async fn roster_import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<super::stats::import::ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<axum::response::Response> {
    let user = a.caller.user.username.clone();
    super::stats::import::import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_station_roster(&a.caller, t, opts)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/station-assignments",
    tag = "station",
    summary = "派驻安排（本人范围内；监督员看到自己的）",
    params(AssignmentQuery),
    responses((status = 200, description = "派驻安排", body = Items<Assignment>))
)]
async fn assignments(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<AssignmentQuery>,
) -> ApiResult<Json<Items<Assignment>>> {
    let f = AssignmentFilter {
        from: crate::query::date_param("from", &q.from)?,
        to: crate::query::date_param("to", &q.to)?,
        supervisor_id: crate::query::int_param("supervisor_id", &q.supervisor_id, 1, i64::MAX)?,
        ..Default::default()
    };
    let v = blocking(&state, move |app| app.station_assignments(&a.caller, &f)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/station-assignments",
    tag = "station",
    summary = "派驻监督员到企业或重点地段（派出单位：乡镇或部门）",
    request_body = AssignmentDraft,
    responses((status = 201, description = "派驻安排", body = Assignment))
)]
async fn create_assignment(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<AssignmentDraft>,
) -> ApiResult<(StatusCode, Json<Assignment>)> {
    let v = blocking(&state, move |app| {
        app.create_station_assignment(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/station-assignments/{id}",
    tag = "station",
    summary = "一项派驻安排",
    params(super::IdPath),
    responses((status = 200, description = "派驻安排", body = Assignment))
)]
async fn assignment(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Assignment>> {
    let v = blocking(&state, move |app| app.station_assignment(&a.caller, id)).await?;
    Ok(Json(v))
}

/// The end of an assignment.
#[derive(Deserialize, ToSchema)]
#[schema(as = StationAssignmentEnd)]
#[serde(deny_unknown_fields)]
struct EndBody {
    /// 派驻结束日期（YYYY-MM-DD）
    ends_on: String,
    /// 读取时的版本号
    version: i64,
}

#[utoipa::path(
    post,
    path = "/station-assignments/{id}/end",
    tag = "station",
    summary = "结束派驻（调整驻点或人员时先结束原安排，再新建）",
    params(super::IdPath),
    request_body = EndBody,
    responses((status = 200, description = "派驻安排", body = Assignment))
)]
async fn end_assignment(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<EndBody>,
) -> ApiResult<Json<Assignment>> {
    let v = blocking(&state, move |app| {
        app.end_station_assignment(&a.caller, id, b.version, &b.ends_on)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/station/today",
    tag = "station",
    summary = "监督员今天的驻点（含检查表）",
    responses((status = 200, description = "今天的驻点", body = Items<TodaySite>))
)]
async fn today(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Items<TodaySite>>> {
    let v = blocking(&state, move |app| app.station_today(&a.caller)).await?;
    Ok(Items::of(v))
}

/// A check-in as the multipart form sends it (documentation of the parts).
#[derive(ToSchema)]
#[schema(as = StationCheckInForm)]
#[allow(dead_code)] // names the parts in the document
struct CheckInForm {
    /// 派驻安排编号
    assignment_id: i64,
    /// 签到时间 YYYY-MM-DD HH:MM（不填为现在）
    visited_at: Option<String>,
    /// 发现的问题（有“有问题”的检查项时必填）
    findings: Option<String>,
    /// 现场照片（可多张，JPG/PNG）
    #[schema(value_type = Vec<String>, format = Binary)]
    photo: Option<Vec<String>>,
}

/// A visit recorded, with its photos.
#[derive(Serialize, ToSchema)]
#[schema(as = StationVisitRecorded)]
struct Recorded {
    visit: Visit,
    photos: Vec<Attachment>,
}

#[utoipa::path(
    post,
    path = "/station-visits",
    tag = "station",
    summary = "驻点签到检查（监督员本人；multipart：检查表、发现的问题、照片）",
    description = "multipart/form-data：assignment_id、visited_at（可不填，为现在）、findings、photo（可多张，JPG/PNG，按内容核验）；检查表每项一部分，名为 item.{检查项代码}（代码见 GET /station/today 的 checklist），值为 正常、有问题 或 不适用，须逐项填写；有“有问题”的项时须填写 findings。",
    request_body(content = CheckInForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "签到记录", body = Recorded),
        (status = 422, description = "检查表未填全、有问题未写明、照片不是图片或时间不在派驻期间", body = super::openapi::ErrorBody),
    )
)]
async fn check_in(
    State(state): State<AppState>,
    a: ApiCaller,
    mp: Multipart,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let (pairs, files) = crate::files::read_form_with_files(mp, "photo")
        .await
        .map_err(|(e, _)| e)?;
    let assignment_id = crate::query::int_param(
        "assignment_id",
        &Some(pairs.get("assignment_id")),
        1,
        i64::MAX,
    )?
    .ok_or_else(|| crate::query::bad("assignment_id", "请提供派驻安排编号"))?;
    let answers: BTreeMap<String, String> = pairs
        .0
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("item.")?.to_string(), v.clone())))
        .collect();
    let d = VisitDraft {
        assignment_id,
        visited_at: pairs.get("visited_at"),
        answers,
        findings: pairs.get("findings"),
    };
    let photos: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.name, f.data)).collect();
    let (visit, photos) = blocking(&state, move |app| app.check_in(&a.caller, &d, photos)).await?;
    Ok((StatusCode::CREATED, Json(Recorded { visit, photos })))
}

#[utoipa::path(
    get,
    path = "/station-visits",
    tag = "station",
    summary = "驻点签到记录（本人范围内；监督员看到自己的）",
    params(Period),
    responses((status = 200, description = "签到记录", body = Items<Visit>))
)]
async fn visits(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Period>,
) -> ApiResult<Json<Items<Visit>>> {
    let (from, to) = q.days()?;
    let v = blocking(&state, move |app| app.visits(&a.caller, from, to, None)).await?;
    Ok(Items::of(v))
}

/// A visit with its photos and the hazards registered from it.
#[derive(Serialize, ToSchema)]
#[schema(as = StationVisitDetail)]
struct VisitDetail {
    visit: Visit,
    photos: Vec<Attachment>,
    hazard_ids: Vec<i64>,
}

#[utoipa::path(
    get,
    path = "/station-visits/{id}",
    tag = "station",
    summary = "一条签到记录（照片、转出的隐患）",
    params(super::IdPath),
    responses((status = 200, description = "签到记录", body = VisitDetail))
)]
async fn visit(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<VisitDetail>> {
    let (visit, photos, hazard_ids) = blocking(&state, move |app| app.visit(&a.caller, id)).await?;
    Ok(Json(VisitDetail {
        visit,
        photos,
        hazard_ids,
    }))
}

#[utoipa::path(
    post,
    path = "/station-visits/{id}/hazard",
    tag = "station",
    summary = "把签到发现的问题登记为隐患（监督员本人）",
    params(super::IdPath),
    request_body = VisitHazardDraft,
    responses((status = 201, description = "隐患", body = HazardView))
)]
async fn visit_hazard(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<VisitHazardDraft>,
) -> ApiResult<(StatusCode, Json<HazardView>)> {
    let v = blocking(&state, move |app| app.visit_to_hazard(&a.caller, id, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A week's confirmation.
#[derive(Deserialize, ToSchema)]
#[schema(as = StationWeekConfirm)]
#[serde(deny_unknown_fields)]
struct WeekBody {
    /// 该周的任意一天（YYYY-MM-DD）
    week: String,
    #[serde(default)]
    note: String,
}

#[utoipa::path(
    post,
    path = "/station/weeks",
    tag = "station",
    summary = "监督员确认一周小结",
    request_body = WeekBody,
    responses((status = 200, description = "已确认的周小结", body = Week))
)]
async fn confirm_week(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<WeekBody>,
) -> ApiResult<Json<Week>> {
    let v = blocking(&state, move |app| {
        app.confirm_week(&a.caller, &b.week, &b.note)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct WeekQuery {
    /// 该周的任意一天（YYYY-MM-DD，默认今天）
    #[param(value_type = Option<String>, format = Date)]
    week: Option<String>,
}

#[utoipa::path(
    get,
    path = "/station/coverage",
    tag = "station",
    summary = "一周驻点覆盖情况：应到驻点数、已到数、本周未到的驻点",
    params(WeekQuery),
    responses((status = 200, description = "覆盖情况", body = Coverage))
)]
async fn coverage(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<WeekQuery>,
) -> ApiResult<Json<Coverage>> {
    let day = crate::query::date_param("week", &q.week)?;
    let v = blocking(&state, move |app| {
        let day = day.unwrap_or_else(|| app.clock.today());
        app.station_coverage(&a.caller, day)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/station/spot-checks",
    tag = "station",
    summary = "抽查记录（本人范围内）",
    params(Period),
    responses((status = 200, description = "抽查记录", body = Items<SpotCheck>))
)]
async fn spot_checks(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Period>,
) -> ApiResult<Json<Items<SpotCheck>>> {
    let (from, to) = q.days()?;
    let v = blocking(&state, move |app| app.spot_checks(&a.caller, from, to)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/station/spot-checks",
    tag = "station",
    summary = "抽查派驻监督员：是否在岗、记录是否真实，不合格须写处理意见",
    request_body = SpotCheckDraft,
    responses((status = 201, description = "抽查记录", body = SpotCheck))
)]
async fn create_spot_check(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<SpotCheckDraft>,
) -> ApiResult<(StatusCode, Json<SpotCheck>)> {
    let v = blocking(&state, move |app| app.create_spot_check(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct MonthQuery {
    /// 月份（YYYY-MM）
    month: String,
}

#[utoipa::path(
    get,
    path = "/station/ratings",
    tag = "station",
    summary = "监督员月度评价（本人范围内派驻的监督员）",
    params(MonthQuery),
    responses((status = 200, description = "月度评价", body = Items<StationRating>))
)]
async fn ratings(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<MonthQuery>,
) -> ApiResult<Json<Items<StationRating>>> {
    let v = blocking(&state, move |app| app.station_ratings(&a.caller, &q.month)).await?;
    Ok(Items::of(v))
}

/// A monthly rating.
#[derive(Deserialize, ToSchema)]
#[schema(as = StationRatingDraft)]
#[serde(deny_unknown_fields)]
struct RateBody {
    supervisor_id: i64,
    /// 月份（YYYY-MM）
    month: String,
    /// 优秀 / 称职 / 基本称职 / 不称职
    rating: String,
    #[serde(default)]
    remarks: String,
    /// 修改已有评价时读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/station/ratings",
    tag = "station",
    summary = "评价派驻监督员（每人每月一次，可更正）",
    request_body = RateBody,
    responses((status = 200, description = "月度评价", body = StationRating))
)]
async fn rate(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<RateBody>,
) -> ApiResult<Json<StationRating>> {
    let v = blocking(&state, move |app| {
        app.rate_supervisor(
            &a.caller,
            b.supervisor_id,
            &b.month,
            &b.rating,
            &b.remarks,
            b.version,
        )
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/station/figures",
    tag = "station",
    summary = "期间内的派驻数字：派出乡镇和部门、监督员、驻点、签到、发现问题、抽查",
    params(Period),
    responses((status = 200, description = "派驻数字", body = StationFigures))
)]
async fn figures(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Period>,
) -> ApiResult<Json<StationFigures>> {
    let (from, to) = q.days()?;
    let v = blocking(&state, move |app| app.station_figures(&a.caller, from, to)).await?;
    Ok(Json(v))
}
