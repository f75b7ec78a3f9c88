use super::{ApiResult, int_param};
use crate::extract::{ApiCaller, AppQuery};
use crate::{AppState, blocking};
use anjian_store::audit::AuditFilter;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(list))
        .route("/audit/verify", get(verify))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub before: Option<String>,
    pub limit: Option<String>,
}

pub(crate) fn filter_of(q: &AuditQuery) -> ApiResult<AuditFilter> {
    let date = |name: &str, v: &Option<String>| -> ApiResult<Option<String>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => anjian_domain::validation::parse_date(s)
                .map(|d| Some(d.to_string()))
                .map_err(|m| {
                    crate::ApiError::field(
                        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                        "validation_failed",
                        name,
                        m,
                    )
                }),
        }
    };
    let clean = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    Ok(AuditFilter {
        entity: clean(&q.entity),
        entity_id: clean(&q.entity_id),
        actor: clean(&q.actor),
        action_prefix: clean(&q.action),
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
        before_seq: int_param("before", &q.before, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 500)?.unwrap_or(100),
    })
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<AuditQuery>,
) -> ApiResult<Json<Value>> {
    let f = filter_of(&q)?;
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
