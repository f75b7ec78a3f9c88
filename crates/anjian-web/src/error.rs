//! Errors as HTTP: JSON for the API, an HTML page for the UI.

use anjian_app::AppError;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use std::collections::BTreeMap;

/// An API error: `{"error": CODE, "message": TEXT, "fields": {FIELD: [TEXT...]}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: BTreeMap<String, Vec<String>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    pub fn field(
        status: StatusCode,
        code: &'static str,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        let mut fields = BTreeMap::new();
        fields.insert(field.to_string(), vec![message.clone()]);
        Self {
            status,
            code,
            message: format!("{field}：{message}"),
            fields,
        }
    }
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Locked(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::ImportRefused(r) => match r.kind {
            anjian_app::import::RefusalKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            anjian_app::import::RefusalKind::Unreadable => StatusCode::BAD_REQUEST,
            anjian_app::import::RefusalKind::Columns => StatusCode::UNPROCESSABLE_ENTITY,
        },
        AppError::Internal(_) | AppError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An internal error's message names the request, so the log lines can be found.
fn with_request_id(e: &AppError, message: String) -> String {
    match (e, crate::extract::current_request_id()) {
        (e, Some(id)) if e.is_internal() => format!("{message}（请求编号：{id}）"),
        _ => message,
    }
}

/// A JSON API handler's result.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        if e.is_internal() {
            tracing::error!(cause = %e.chain(), "internal error");
        }
        let fields = match &e {
            AppError::Validation(v) => v.fields.clone(),
            AppError::ImportRefused(r) if !r.columns.is_empty() => {
                BTreeMap::from([("columns".to_string(), r.columns.clone())])
            }
            AppError::ImportRefused(r) => {
                BTreeMap::from([("file".to_string(), vec![r.message.clone()])])
            }
            _ => BTreeMap::new(),
        };
        let message = match &e {
            AppError::Validation(v) => v.summary(),
            other => with_request_id(&e, other.user_message()),
        };
        Self {
            status: status_of(&e),
            code: e.code(),
            message,
            fields,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.code, "message": self.message, "fields": self.fields});
        (self.status, axum::Json(body)).into_response()
    }
}

/// A UI error: a Chinese error page (or a redirect to the login page).
#[derive(Debug)]
pub enum PageError {
    Login(String),
    /// A local page the user must see first (e.g. the forced password change).
    Redirect(String),
    App(AppError),
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Unauthorized(_) => PageError::Login("/".into()),
            other => PageError::App(other),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login(next) => {
                let to = format!("/login?next={}", crate::ui::urlencode(&next));
                (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
            }
            PageError::Redirect(to) => {
                (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
            }
            PageError::App(e) => {
                if e.is_internal() {
                    tracing::error!(cause = %e.chain(), "internal error");
                }
                let status = status_of(&e);
                let title = match status {
                    StatusCode::NOT_FOUND => "页面或记录不存在",
                    StatusCode::FORBIDDEN => "无权访问",
                    StatusCode::CONFLICT => "数据冲突",
                    _ => "操作未能完成",
                };
                (
                    status,
                    Html(crate::ui::error_page(
                        title,
                        &with_request_id(&e, e.user_message()),
                    )),
                )
                    .into_response()
            }
        }
    }
}

/// Unknown routes: JSON under `/api`, an HTML page elsewhere.
pub async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("接口不存在：{}", uri.path()),
        )
        .into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Html(crate::ui::error_page(
                "页面不存在",
                "您访问的页面不存在，请从左侧菜单进入。",
            )),
        )
            .into_response()
    }
}

/// A panic in a handler becomes a JSON 500 (logged), never a dropped connection.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(panic = %detail, "handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "系统内部错误，请稍后重试或联系管理员",
    )
    .into_response()
}

#[cfg(test)]
mod request_id_tests {
    use super::*;

    #[tokio::test]
    async fn an_internal_error_names_its_request_and_hides_its_cause() {
        let e = crate::extract::REQUEST_ID
            .scope("5eed1d".into(), async {
                ApiError::from(AppError::Internal("disk full at /var/x".into()))
            })
            .await;
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(e.message.contains("请求编号：5eed1d"), "{}", e.message);
        assert!(!e.message.contains("disk full"));
        // Other errors say what the user can act on, without an id.
        let e = crate::extract::REQUEST_ID
            .scope("5eed1d".into(), async {
                ApiError::from(AppError::NotFound)
            })
            .await;
        assert!(!e.message.contains("5eed1d"));
    }
}
