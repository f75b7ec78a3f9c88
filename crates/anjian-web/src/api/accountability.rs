//! Accountability: 警示约谈, 通报批评 and 问责 records.

use super::ApiResult;
use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{Binary, Done, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::accountability::{
    AccountabilityDraft, AccountabilityQuery, AccountabilityView, RefDraft,
};
use anjian_domain::accountability::{Kind, Person, TargetKind, Theme};
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
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Filters {
    /// 年度（按决定或约谈日期）
    #[param(value_type = Option<i32>)]
    year: Option<String>,
    /// interview | criticism | accountability
    #[param(value_type = Option<Kind>, inline)]
    kind: Option<String>,
    /// forest_fire | hazards | accident | other
    #[param(value_type = Option<Theme>, inline)]
    theme: Option<String>,
    /// township | department | enterprise | person
    #[param(value_type = Option<TargetKind>, inline)]
    target_kind: Option<String>,
    /// 乡镇区划代码
    region: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}

impl Filters {
    fn query(&self) -> AccountabilityQuery {
        AccountabilityQuery {
            year: self.year.clone(),
            kind: self.kind.clone(),
            theme: self.theme.clone(),
            target_kind: self.target_kind.clone(),
            region: self.region.clone(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/accountability",
    tag = "accountability",
    summary = "约谈问责记录（本人范围内；乡镇、部门只见涉及本单位的）",
    params(Filters),
    responses((status = 200, description = "一页记录", body = Page<AccountabilityView>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Json<Page<AccountabilityView>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let query = q.query();
    let page = blocking(&state, move |app| {
        app.accountability_page(&a.caller, &query, &k)
    })
    .await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/accountability",
    tag = "accountability",
    summary = "登记警示约谈、通报批评或问责决定（管理员）",
    request_body = AccountabilityDraft,
    responses((status = 201, description = "记录", body = AccountabilityView))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<AccountabilityDraft>,
) -> ApiResult<(StatusCode, Json<AccountabilityView>)> {
    let v = blocking(&state, move |app| app.create_accountability(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/accountability/{id}",
    tag = "accountability",
    summary = "约谈问责记录",
    params(super::IdPath),
    responses((status = 200, description = "记录", body = AccountabilityView))
)]
async fn get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<AccountabilityView>> {
    let v = blocking(&state, move |app| app.accountability(&a.caller, id)).await?;
    Ok(Json(v))
}

/// A record's correction: the fields and the version read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Edit {
    kind: String,
    theme: String,
    target_kind: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    region_code: Option<String>,
    #[serde(default)]
    persons: Vec<Person>,
    #[serde(default)]
    measure: String,
    decided_by: String,
    decided_on: String,
    reason: String,
    #[serde(default)]
    refs: Vec<RefDraft>,
    #[serde(default)]
    doc_no: String,
    /// 修改时须带上读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/accountability/{id}",
    tag = "accountability",
    summary = "更正约谈问责记录（管理员）",
    params(super::IdPath),
    request_body = Edit,
    responses((status = 200, description = "更正后的记录", body = AccountabilityView))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<Edit>,
) -> ApiResult<Json<AccountabilityView>> {
    let Some(version) = b.version else {
        return Err(crate::query::bad(
            "version",
            "修改时须提供读取时的版本号 version",
        ));
    };
    let d = AccountabilityDraft {
        kind: b.kind,
        theme: b.theme,
        target_kind: b.target_kind,
        target: b.target,
        region_code: b.region_code,
        persons: b.persons,
        measure: b.measure,
        decided_by: b.decided_by,
        decided_on: b.decided_on,
        reason: b.reason,
        refs: b.refs,
        doc_no: b.doc_no,
    };
    let v = blocking(&state, move |app| {
        app.update_accountability(&a.caller, id, version, &d)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct VersionParam {
    /// 读取时的版本号
    #[param(value_type = i64)]
    version: String,
}

#[utoipa::path(
    delete,
    path = "/accountability/{id}",
    tag = "accountability",
    summary = "删除误登的约谈问责记录（管理员；审计日志保留原记录）",
    params(super::IdPath, VersionParam),
    responses((status = 200, description = "已删除", body = Done))
)]
async fn delete(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<VersionParam>,
) -> ApiResult<Json<Done>> {
    let version = crate::query::int_param("version", &Some(q.version), 1, i64::MAX)?
        .ok_or_else(|| crate::query::bad("version", "请提供读取时的版本号"))?;
    blocking(&state, move |app| {
        app.delete_accountability(&a.caller, id, version)
    })
    .await?;
    Ok(Json(Done { ok: true }))
}

#[utoipa::path(
    get,
    path = "/accountability/export",
    tag = "accountability",
    summary = "约谈问责台账（Excel，列与导入相同）",
    params(Filters),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<Filters>,
) -> ApiResult<Response> {
    let query = q.query();
    let bytes = blocking(&state, move |app| {
        app.accountability_ledger(&a.caller, &query)
    })
    .await?;
    Ok(super::xlsx_file(bytes, "accountability.xlsx"))
}

#[utoipa::path(
    post,
    path = "/accountability/import",
    tag = "accountability",
    summary = "导入约谈问责记录（CSV/XLSX，管理员）",
    description = "导入约谈问责记录（multipart 字段 file，CSV/XLSX；列：类型（警示约谈/通报批评/问责）、主题（森林防灭火/隐患治理/生产安全事故/其他）、对象类别（乡镇（街道）/部门/企业/个人）、对象（乡镇、部门、企业的名称或代码；个人填其单位所在乡镇，可空）、涉及人员（“姓名/职务/单位”，多人以“；”分隔）、处理措施、决定机关、日期、事由、关联记录（“隐患：编号；考核：说明”）、文号；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束，超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略）",
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
        app.import_accountability(&a.caller, t, opts)
    })
    .await
}
