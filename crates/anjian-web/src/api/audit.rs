use super::ApiResult;
use crate::extract::{ApiCaller, AppQuery};
use crate::{AppState, blocking};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(list))
        .route("/audit/verify", get(verify))
        .route("/audit/export", get(export))
}

/// The audit entries of a date range as CSV or Excel (admin).
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

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::AuditQuery>,
) -> ApiResult<Json<Value>> {
    let f = crate::query::audit_filter_of(&q)?;
    let limit = f.limit;
    let items = blocking(&state, move |app| app.list_audit(&a.caller, &f)).await?;
    let next = if items.len() as i64 == limit {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(Json(json!({ "items": items, "next": next })))
}

async fn verify(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.verify_audit(Some(&a.caller))).await?;
    Ok(Json(
        json!({ "ok": r.ok(), "checked": r.checked, "head_seq": r.head_seq, "problems": r.problems }),
    ))
}
