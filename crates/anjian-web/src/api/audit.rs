use super::ApiResult;
use crate::extract::{ApiCaller, AppQuery};
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, CSV, XLSX};
use anjian_app::Page;
use anjian_app::records::audit::AuditEntry;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(verify))
        .routes(routes!(export))
}

/// The audit entries of a date range as CSV or Excel (admin).
#[utoipa::path(
    get,
    path = "/audit/export",
    tag = "audit",
    summary = "导出审计日志（管理员；按日期范围与筛选条件，最早的在前，含哈希）",
    params(crate::query::AuditExportQuery),
    responses((status = 200, description = "审计日志文件", content((Binary = CSV), (Binary = XLSX))))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::AuditExportQuery>,
) -> ApiResult<axum::response::Response> {
    let (f, format) = crate::query::audit_export_of(&q)?;
    let bytes = blocking(&state, move |app| app.export_audit(&a.caller, &f, format)).await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("audit.{}", format.ext()),
    ))
}

#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    summary = "审计日志（管理员）",
    params(crate::query::AuditQuery),
    responses((status = 200, description = "审计记录，最新的在前", body = Page<AuditEntry>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::AuditQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let f = crate::query::audit_filter_of(&q)?;
    let limit = f.limit;
    let items = blocking(&state, move |app| app.list_audit(&a.caller, &f)).await?;
    let next = if items.len() as i64 == limit {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(Json(Page { items, next }))
}

/// The audit chain's check.
#[derive(Serialize, ToSchema)]
#[schema(as = AuditVerified)]
struct Verified {
    /// 哈希链完整
    ok: bool,
    checked: i64,
    head_seq: i64,
    problems: Vec<anjian_app::records::audit::AuditProblem>,
}

#[utoipa::path(
    get,
    path = "/audit/verify",
    tag = "audit",
    summary = "校验审计哈希链",
    responses((status = 200, description = "校验结果", body = Verified))
)]
async fn verify(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Verified>> {
    let r = blocking(&state, move |app| app.verify_audit(Some(&a.caller))).await?;
    Ok(Json(Verified {
        ok: r.ok(),
        checked: r.checked,
        head_seq: r.head_seq,
        problems: r.problems,
    }))
}
