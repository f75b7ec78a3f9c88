use super::{ApiResult, bool_param, int_param};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::export::ExportFormat;
use anjian_domain::RegionCode;
use anjian_domain::enterprise::EnterpriseInput;
use anjian_store::enterprises::{Enterprise, EnterpriseFilter};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list).post(create))
        .route("/enterprises/export", get(export))
        .route("/enterprises/{id}", get(show).put(update))
        .route("/enterprises/{id}/history", get(history))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    pub region_code: Option<String>,
    pub sector: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub is_key: Option<String>,
    pub above_scale: Option<String>,
    pub department_id: Option<String>,
    pub limit: Option<String>,
    pub after: Option<String>,
    pub format: Option<String>,
}

pub(crate) fn filter_of(q: &ListQuery) -> ApiResult<EnterpriseFilter> {
    let unprocessable = |f: &str, m: &str| {
        ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", f, m)
    };
    let region_prefix = match q
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(r) => Some(
            RegionCode::parse_loose(r)
                .map_err(|m| unprocessable("region_code", &m))?
                .subtree_prefix()
                .to_string(),
        ),
        None => None,
    };
    let status = q.status.clone().filter(|s| !s.is_empty());
    if let Some(s) = &status
        && anjian_domain::enterprise::EnterpriseStatus::parse(s).is_none()
    {
        return Err(unprocessable(
            "status",
            "应为 operating、suspended 或 closed",
        ));
    }
    Ok(EnterpriseFilter {
        region_prefix,
        sector: q.sector.clone().filter(|s| !s.is_empty()),
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        status: status
            .and_then(|s| anjian_domain::enterprise::EnterpriseStatus::parse(&s))
            .map(|s| s.as_str().to_string()),
        is_key: bool_param("is_key", &q.is_key)?,
        above_scale: bool_param("above_scale", &q.above_scale)?,
        department_id: int_param("department_id", &q.department_id, 1, i64::MAX)?,
        after: int_param("after", &q.after, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 500)?.unwrap_or(50),
    })
}

/// Personal ID numbers are shown in full only to callers who may edit the record.
pub(crate) fn redact(mut e: Enterprise, can_edit: bool) -> Enterprise {
    if !can_edit {
        e.principal_id_no = e.principal_id_no.map(|s| {
            if s.len() == 18 && s.is_ascii() {
                format!("{}********{}", &s[..6], &s[14..])
            } else {
                "***".into()
            }
        });
    }
    e
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let f = filter_of(&q)?;
    let page = blocking(&state, move |app| app.list_enterprises(&a.caller, &f)).await?;
    let items: Vec<Enterprise> = page.items.into_iter().map(|e| redact(e, false)).collect();
    Ok(Json(json!({ "items": items, "next": page.next })))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let e = blocking(&state, move |app| {
        let e = app.get_enterprise(&a.caller, id)?;
        let can = a.caller.enterprise_write_scope().writable;
        Ok(redact(e, can))
    })
    .await?;
    Ok(Json(json!(e)))
}

async fn history(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.enterprise_history(&a.caller, id)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<EnterpriseInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let e = blocking(&state, move |app| app.create_enterprise(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(e))))
}

async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<EnterpriseInput>,
) -> ApiResult<Json<Value>> {
    let e = blocking(&state, move |app| {
        app.update_enterprise(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(json!(e)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Response> {
    let f = q.format.as_deref().unwrap_or("xlsx");
    let format = ExportFormat::parse(f).ok_or_else(|| {
        ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "format",
            "应为 xlsx 或 csv",
        )
    })?;
    let f = filter_of(&q)?;
    let bytes = blocking(&state, move |app| {
        app.export_enterprises(&a.caller, &f, format)
    })
    .await?;
    Ok(file_response(
        bytes,
        format.content_type(),
        &format!("enterprises.{}", format.ext()),
    ))
}

pub(crate) fn file_response(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
