//! 教育培训: training sessions (培训班, 理论中心组学习) with their attendees (a list, or a
//! roster imported), their files and the ledger; the certificates of enterprises' principals
//! and safety managers (考核合格证), their list (by enterprise, expiring) and ledger.

use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{ApiResult, Binary, Items, XLSX};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::records::training::{Attachment, Session, SessionAttendee};
use anjian_app::training::certificates::{CertificateDraft, CertificateQuery, CertificateView};
use anjian_app::training::{AttendeeDraft, SessionDetail, SessionDraft, SessionQuery};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sessions, create_session))
        .routes(routes!(session))
        .routes(routes!(attendees, add_attendees))
        .routes(routes!(roster).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(roster_sheet))
        .routes(routes!(files, upload).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(file))
        .routes(routes!(session_ledger))
        .routes(routes!(certificates, create_certificate))
        .routes(routes!(certificate))
        .routes(routes!(certificate_ledger))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SessionFilters {
    /// 年度（按开始日期）
    #[param(value_type = Option<i32>)]
    year: Option<String>,
    /// class（培训班）| study（理论中心组学习）
    #[param(value_type = Option<String>)]
    kind: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

impl SessionFilters {
    fn query(&self) -> SessionQuery {
        SessionQuery {
            year: self.year.clone(),
            kind: self.kind.clone(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/training-sessions",
    tag = "training",
    summary = "培训记录（本人范围内：乡镇见本乡镇的，部门见本部门的）",
    params(SessionFilters),
    responses((status = 200, description = "一页培训记录", body = Page<Session>))
)]
async fn sessions(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SessionFilters>,
) -> ApiResult<Json<Page<Session>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let query = q.query();
    let page = blocking(&state, move |app| app.training_page(&a.caller, &query, &k)).await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/training-sessions",
    tag = "training",
    summary = "登记培训（培训班或理论中心组学习，可同时登记参训人员）",
    description = "kind：培训班 / 理论中心组学习（或 class / study）；unit：主办单位 township:{区划代码} 或 department:{部门编号}，不填为本人单位；starts_on、ends_on（不填为当天，不早于开始日期）；hours 学时（最多一位小数）；attendees 参训人员（姓名必填，电话可不填）。有误时 422，fields 逐项指明（参训人员为 attendees[序号].name 等）。",
    request_body = SessionDraft,
    responses(
        (status = 201, description = "培训记录", body = Session),
        (status = 422, description = "填写有误", body = super::openapi::ErrorBody),
    )
)]
async fn create_session(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<SessionDraft>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let v = blocking(&state, move |app| {
        app.create_training_session(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/training-sessions/{id}",
    tag = "training",
    summary = "一条培训记录（参训人员、附件）",
    params(super::IdPath),
    responses((status = 200, description = "培训记录", body = SessionDetail))
)]
async fn session(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<SessionDetail>> {
    let v = blocking(&state, move |app| app.training_session(&a.caller, id)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/training-sessions/{id}/attendees",
    tag = "training",
    summary = "参训人员",
    params(super::IdPath),
    responses((status = 200, description = "参训人员", body = Items<SessionAttendee>))
)]
async fn attendees(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Items<SessionAttendee>>> {
    let v = blocking(&state, move |app| app.training_session(&a.caller, id)).await?;
    Ok(Items::of(v.attendees))
}

/// Attendees to add.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = TrainingAttendeesBody)]
#[serde(deny_unknown_fields)]
struct AttendeesBody {
    attendees: Vec<AttendeeDraft>,
}

#[utoipa::path(
    post,
    path = "/training-sessions/{id}/attendees",
    tag = "training",
    summary = "添加参训人员（全部核对无误才写入；有误时 422，fields 为 attendees[序号].name 等）",
    params(super::IdPath),
    request_body = AttendeesBody,
    responses(
        (status = 201, description = "已添加的参训人员", body = Items<SessionAttendee>),
        (status = 422, description = "填写有误", body = super::openapi::ErrorBody),
    )
)]
async fn add_attendees(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<AttendeesBody>,
) -> ApiResult<(StatusCode, Json<Items<SessionAttendee>>)> {
    let v = blocking(&state, move |app| {
        app.add_training_attendees(&a.caller, id, &b.attendees)
    })
    .await?;
    Ok((StatusCode::CREATED, Items::of(v)))
}

#[utoipa::path(
    post,
    path = "/training-sessions/{id}/roster",
    tag = "training",
    summary = "导入参训人员花名册（CSV/XLSX）",
    description = "multipart 字段 file，CSV/XLSX；列：姓名（必填）、单位、联系电话（及常见别名：参训人员、工作单位、手机……）；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束，超限 413",
    params(super::IdPath, ImportQuery),
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = ImportRefused),
    )
)]
async fn roster(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_training_roster(&a.caller, id, t, opts)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/training-sessions/{id}/roster.xlsx",
    tag = "training",
    summary = "参训人员花名册（Excel，列与导入相同）",
    params(super::IdPath),
    responses((status = 200, description = "花名册", content_type = XLSX, body = Binary))
)]
async fn roster_sheet(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.training_roster_sheet(&a.caller, id)).await?;
    Ok(super::xlsx_file(bytes, "roster.xlsx"))
}

/// A file upload with its note (multipart/form-data); described only.
#[derive(ToSchema)]
#[schema(as = TrainingFileUpload)]
#[allow(dead_code)]
struct FileUpload {
    /// 签到表、照片、课件（JPG/PNG/PDF/Word/Excel，10 MB 以内）
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// 说明
    note: Option<String>,
}

#[utoipa::path(
    get,
    path = "/training-sessions/{id}/files",
    tag = "training",
    summary = "培训附件（签到表、照片等）",
    params(super::IdPath),
    responses((status = 200, description = "附件", body = Items<Attachment>))
)]
async fn files(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Items<Attachment>>> {
    let v = blocking(&state, move |app| app.training_session(&a.caller, id)).await?;
    Ok(Items::of(v.files))
}

#[utoipa::path(
    post,
    path = "/training-sessions/{id}/files",
    tag = "training",
    summary = "上传培训附件（multipart/form-data，字段 file，可选 note；按内容核验）",
    params(super::IdPath),
    request_body(content = FileUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "已上传（含 sha256）", body = Attachment),
        (status = 422, description = "文件类型与内容不符", body = super::openapi::ErrorBody),
    )
)]
async fn upload(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let mp = mp.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 上传文件（字段名 file）",
        )
    })?;
    let (name, data, note, _) = crate::files::read_upload(mp).await?;
    let v = blocking(&state, move |app| {
        app.attach_training_file(&a.caller, id, &name, data, &note)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/training-files/{id}",
    tag = "training",
    summary = "下载培训附件",
    params(super::IdPath),
    responses(
        (status = 200, description = "文件（按内容识别的类型）", content(
            (Binary = "image/jpeg"), (Binary = "image/png"), (Binary = "application/pdf"),
            (Binary = super::DOCX), (Binary = XLSX), (Binary = "application/msword"),
            (Binary = "application/vnd.ms-excel"),
        )),
        (status = 404, description = "没有该附件（或不在您的范围内）", body = super::openapi::ErrorBody),
    )
)]
async fn file(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (att, data) = blocking(&state, move |app| app.training_file(&a.caller, id)).await?;
    Ok(crate::files::file_download(&att, data))
}

#[utoipa::path(
    get,
    path = "/training-sessions/export",
    tag = "training",
    summary = "培训台账（Excel）",
    params(SessionFilters),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn session_ledger(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SessionFilters>,
) -> ApiResult<Response> {
    let query = q.query();
    let bytes = blocking(&state, move |app| app.training_ledger(&a.caller, &query)).await?;
    Ok(super::xlsx_file(bytes, "training.xlsx"))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct CertificateFilters {
    /// 企业编号
    #[param(value_type = Option<i64>, minimum = 1)]
    enterprise_id: Option<String>,
    /// principal（主要负责人）| safety_manager（安全生产管理人员）
    #[param(value_type = Option<String>)]
    role: Option<String>,
    /// 只列已过期和60天内到期的
    #[param(value_type = Option<bool>)]
    expiring: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

impl CertificateFilters {
    fn query(&self) -> ApiResult<CertificateQuery> {
        Ok(CertificateQuery {
            enterprise_id: crate::query::int_param(
                "enterprise_id",
                &self.enterprise_id,
                1,
                i64::MAX,
            )?,
            role: self.role.clone(),
            expiring: crate::query::bool_param("expiring", &self.expiring)?.unwrap_or(false),
        })
    }
}

#[utoipa::path(
    get,
    path = "/certificates",
    tag = "training",
    summary = "主要负责人和安全生产管理人员考核合格证（本人范围内的企业）",
    params(CertificateFilters),
    responses((status = 200, description = "一页合格证", body = Page<CertificateView>))
)]
async fn certificates(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<CertificateFilters>,
) -> ApiResult<Json<Page<CertificateView>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let query = q.query()?;
    let page = blocking(&state, move |app| {
        app.certificate_page(&a.caller, &query, &k)
    })
    .await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/certificates",
    tag = "training",
    summary = "登记考核合格证（本人辖区内的企业）",
    description = "enterprise_id 企业编号；holder_name 持证人；role 主要负责人 / 安全生产管理人员；cert_no 证书编号（县内唯一）；issued_on 发证日期；expires_on 有效期至（晚于发证日期）；issuer 发证机关。有误时 422，fields 逐项指明。",
    request_body = CertificateDraft,
    responses(
        (status = 201, description = "合格证", body = CertificateView),
        (status = 422, description = "填写有误或编号已登记", body = super::openapi::ErrorBody),
    )
)]
async fn create_certificate(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<CertificateDraft>,
) -> ApiResult<(StatusCode, Json<CertificateView>)> {
    let v = blocking(&state, move |app| app.create_certificate(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/certificates/{id}",
    tag = "training",
    summary = "一张考核合格证",
    params(super::IdPath),
    responses((status = 200, description = "合格证", body = CertificateView))
)]
async fn certificate(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<CertificateView>> {
    let v = blocking(&state, move |app| app.certificate(&a.caller, id)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/certificates/export",
    tag = "training",
    summary = "考核合格证台账（Excel）",
    params(CertificateFilters),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn certificate_ledger(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<CertificateFilters>,
) -> ApiResult<Response> {
    let query = q.query()?;
    let bytes = blocking(&state, move |app| app.certificate_ledger(&a.caller, &query)).await?;
    Ok(super::xlsx_file(bytes, "certificates.xlsx"))
}
