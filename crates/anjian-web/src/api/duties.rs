//! 职责清单: the member units' duty items, a department's duty list, and who supervises a
//! sector on a day.

use super::ApiResult;
use super::stats::import::{ImportAnswer, ImportQuery, ImportRefused, Upload, import_with};
use super::{Binary, Items, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::duties::{DutyDraft, DutyLine, DutyQuery, DutyView, Supervision};
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
        .routes(routes!(get, update))
        .routes(routes!(department_list))
        .routes(routes!(supervisor))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DutyParams {
    /// 部门编号
    #[param(value_type = Option<i64>)]
    department_id: Option<String>,
    /// 行业领域代码
    sector: Option<String>,
    /// 只列该日（YYYY-MM-DD）有效的职责
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

#[utoipa::path(
    get,
    path = "/duties",
    tag = "duties",
    summary = "安委会成员单位职责清单（职责条目）",
    params(DutyParams),
    responses((status = 200, description = "职责条目", body = Items<DutyView>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<DutyParams>,
) -> ApiResult<Json<Items<DutyView>>> {
    let query = DutyQuery {
        department_id: crate::query::int_param("department_id", &q.department_id, 1, i64::MAX)?,
        sector_code: q.sector,
        as_of: q.as_of,
    };
    let items = blocking(&state, move |app| app.duties(&a.caller, &query)).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    post,
    path = "/duties",
    tag = "duties",
    summary = "新增职责条目（管理员）：部门、职责内容、决定文件（类别、名称、文号、日期）、行业领域、有效期",
    request_body = DutyDraft,
    responses((status = 201, description = "职责条目", body = DutyView))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<DutyDraft>,
) -> ApiResult<(StatusCode, Json<DutyView>)> {
    let v = blocking(&state, move |app| app.create_duty(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/duties/{id}",
    tag = "duties",
    summary = "职责条目",
    params(super::IdPath),
    responses((status = 200, description = "职责条目", body = DutyView))
)]
async fn get(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<DutyView>> {
    let v = blocking(&state, move |app| app.duty(&a.caller, id)).await?;
    Ok(Json(v))
}

/// A duty item's edit: the fields and the version read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DutyEdit {
    department_id: i64,
    content: String,
    doc_kind: String,
    #[serde(default)]
    doc_title: String,
    #[serde(default)]
    doc_no: String,
    #[serde(default)]
    decided_on: Option<String>,
    #[serde(default)]
    sector_code: Option<String>,
    valid_from: String,
    #[serde(default)]
    valid_to: Option<String>,
    /// 修改时须带上读取时的版本号
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/duties/{id}",
    tag = "duties",
    summary = "修改职责条目（管理员；终止即填写终止日期）",
    params(super::IdPath),
    request_body = DutyEdit,
    responses((status = 200, description = "修改后的职责条目", body = DutyView))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<DutyEdit>,
) -> ApiResult<Json<DutyView>> {
    let Some(version) = b.version else {
        return Err(crate::query::bad(
            "version",
            "修改时须提供读取时的版本号 version",
        ));
    };
    let d = DutyDraft {
        department_id: b.department_id,
        content: b.content,
        doc_kind: b.doc_kind,
        doc_title: b.doc_title,
        doc_no: b.doc_no,
        decided_on: b.decided_on,
        sector_code: b.sector_code,
        valid_from: b.valid_from,
        valid_to: b.valid_to,
    };
    let v = blocking(&state, move |app| {
        app.update_duty(&a.caller, id, version, &d)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AsOf {
    /// 只列该日（YYYY-MM-DD）有效的
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

#[utoipa::path(
    get,
    path = "/departments/{id}/duties",
    tag = "duties",
    summary = "部门的职责清单：职责条目（明确到行业领域的条目即其监管的行业领域）",
    params(super::IdPath, AsOf),
    responses((status = 200, description = "职责", body = Items<DutyLine>))
)]
async fn department_list(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<AsOf>,
) -> ApiResult<Json<Items<DutyLine>>> {
    let items = blocking(&state, move |app| {
        app.department_duties(&a.caller, id, q.as_of.as_deref())
    })
    .await?;
    Ok(Items::of(items))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SupervisorParams {
    /// 行业领域代码或名称
    sector: String,
    /// 哪一天（YYYY-MM-DD，默认今天）
    #[param(value_type = Option<String>, format = Date)]
    on: Option<String>,
}

/// Who supervised a sector on a day.
#[derive(Serialize, ToSchema)]
struct SupervisorAnswer {
    /// 该日的监管部门及依据；无部门负责时为 null
    supervision: Option<Supervision>,
}

#[utoipa::path(
    get,
    path = "/duties/supervisor",
    tag = "duties",
    summary = "某日由哪个部门监管某行业领域（该日有效、明确到该行业领域的职责条目中，取最近的决定）",
    params(SupervisorParams),
    responses((status = 200, description = "监管部门", body = SupervisorAnswer))
)]
async fn supervisor(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SupervisorParams>,
) -> ApiResult<Json<SupervisorAnswer>> {
    let on = crate::query::date_param("on", &q.on)?;
    let supervision = blocking(&state, move |app| {
        let on = on.unwrap_or_else(|| app.clock.today());
        app.who_supervises(&a.caller, &q.sector, on)
    })
    .await?;
    Ok(Json(SupervisorAnswer { supervision }))
}

#[utoipa::path(
    get,
    path = "/duties/export",
    tag = "duties",
    summary = "职责清单台账（Excel，列与导入相同）",
    params(AsOf),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<AsOf>,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| {
        app.duties_ledger(
            &a.caller,
            q.as_of.as_deref().filter(|s| !s.trim().is_empty()),
        )
    })
    .await?;
    Ok(super::xlsx_file(bytes, "duties.xlsx"))
}

#[utoipa::path(
    post,
    path = "/duties/import",
    tag = "duties",
    summary = "导入职责条目（CSV/XLSX，管理员）",
    description = "导入职责条目（multipart 字段 file，CSV/XLSX；列：部门（全称或简称）、职责内容、文件类别（三定方案/安委会决定/任务分工/其他文件）、文件名称、文号、决定日期、行业领域、起始日期、终止日期；先逐行校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束，超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略）",
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
        app.import_duties(&a.caller, t, opts)
    })
    .await
}
