//! Extractors that answer bad input with our JSON errors (never axum's plain
//! text), request context (id, client address), and caller resolution.

use crate::error::ApiError;
use crate::{AppState, MAX_BODY_BYTES, PageError, quick};
use anjian_app::records::auth::Session;
use anjian_app::{AppError, Caller};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use tracing::Instrument;

pub const SESSION_COOKIE: &str = "anjian_session";

/// Per-request context: an id for logs and the audit trail, and the client address.
#[derive(Debug, Clone)]
pub struct ReqCtx {
    pub id: String,
    pub ip: String,
}

pub async fn request_context(mut req: Request, next: Next) -> Response {
    let mut b = [0u8; 8];
    let id = if getrandom::fill(&mut b).is_ok() {
        hex::encode(b)
    } else {
        "0000000000000000".into()
    };
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into());
    req.extensions_mut().insert(ReqCtx { id: id.clone(), ip });
    // Every log line of the request carries its id (the span), and an internal error's page
    // or JSON shows it (the task-local), so a user's report leads to the log.
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path()
    );
    let mut res = REQUEST_ID
        .scope(id.clone(), next.run(req))
        .instrument(span)
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res.headers_mut()
        .insert("x-frame-options", HeaderValue::from_static("DENY"));
    res
}

tokio::task_local! {
    /// The id of the request being served (set by [`request_context`]).
    pub(crate) static REQUEST_ID: String;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

pub fn ctx(parts: &Parts) -> ReqCtx {
    parts.extensions.get::<ReqCtx>().cloned().unwrap_or(ReqCtx {
        id: String::new(),
        ip: "local".into(),
    })
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Reads the body (bounded), mapping every failure to a JSON error.
async fn body_bytes(req: Request) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("请求体过大（上限 {} KB）", MAX_BODY_BYTES / 1024),
            )
        })
}

/// JSON body: malformed JSON → 400, wrong types / unknown or missing fields → 422 naming the field.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json") || ct.contains("+json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求体须为 JSON（Content-Type: application/json）",
            ));
        }
        let bytes = body_bytes(req).await?;
        parse_json(&bytes).map(AppJson)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!(
                    "JSON 格式错误（第{}行第{}列）",
                    inner.line(),
                    inner.column()
                ),
            ),
            serde_json::error::Category::Data => {
                let msg = inner.to_string();
                let (field, text) = if let Some(rest) = msg.strip_prefix("unknown field `") {
                    let name = rest.split('`').next().unwrap_or_default();
                    // The path already ends with the unknown field's name.
                    let field = if path == "." || path.is_empty() {
                        name.to_string()
                    } else {
                        path.clone()
                    };
                    (field, "不支持的字段".to_string())
                } else if let Some(rest) = msg.strip_prefix("missing field `") {
                    let name = rest.split('`').next().unwrap_or_default();
                    let field = if path == "." || path.is_empty() {
                        name.to_string()
                    } else {
                        format!("{path}.{name}")
                    };
                    (field, "缺少必填字段".to_string())
                } else {
                    let field = if path == "." {
                        "_".to_string()
                    } else {
                        path.clone()
                    };
                    (field, type_message(&msg))
                };
                ApiError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    &field,
                    text,
                )
            }
        }
    })?;
    // Nothing but white space may follow the JSON value.
    de.end().map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("JSON 之后有多余内容（第{}行第{}列）", e.line(), e.column()),
        )
    })?;
    Ok(value)
}

/// A Chinese message for a serde type error.
fn type_message(msg: &str) -> String {
    let expected = [
        ("a string", "应为字符串"),
        ("i64", "应为整数"),
        ("an integer", "应为整数"),
        ("u64", "应为非负整数"),
        ("a boolean", "应为布尔值 true 或 false"),
        ("a sequence", "应为数组"),
        ("struct", "应为对象"),
        ("a map", "应为对象"),
        ("variant", "取值不在允许的范围内"),
    ];
    expected
        .iter()
        .find(|(k, _)| msg.contains(&format!("expected {k}")) || (k.len() > 3 && msg.contains(k)))
        .map(|(_, m)| format!("类型不正确：{m}"))
        .unwrap_or_else(|| "类型或取值不正确".into())
}

/// Query string: parse failures → 422 naming the parameter.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(q.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(AppQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                let msg = e.into_inner().to_string();
                let field = msg
                    .strip_prefix("unknown field `")
                    .and_then(|r| r.split('`').next())
                    .map(str::to_string)
                    .unwrap_or(if path == "." { "query".into() } else { path });
                ApiError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    &field,
                    format!("查询参数不正确（{msg}）"),
                )
            })
    }
}

fn form_urlencoded_parse(b: &[u8]) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(b)
}

/// Form body as ordered key/value pairs (repeated keys kept, for checkboxes).
pub struct FormPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormPairs {
    type Rejection = PageError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req)
            .await
            .map_err(|e| PageError::App(AppError::BadRequest(e.message)))?;
        Ok(FormPairs(
            form_urlencoded::parse(&bytes).into_owned().collect(),
        ))
    }
}

impl FormPairs {
    pub fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
    pub fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k)).filter(|s| !s.is_empty())
    }
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
    pub fn flag(&self, k: &str) -> bool {
        matches!(self.get(k).as_str(), "on" | "1" | "true" | "是")
    }
}

async fn resolve(
    state: &AppState,
    parts: &Parts,
) -> Result<(Caller, Session, bool, String), AppError> {
    let c = ctx(parts);
    let (token, via_cookie) = match bearer(&parts.headers) {
        Some(t) => (t, false),
        None => match cookie(&parts.headers, SESSION_COOKIE) {
            Some(t) => (t, true),
            None => return Err(AppError::Unauthorized("请先登录".into())),
        },
    };
    let t = token.clone();
    let (caller, session) = quick(state, move |app| app.authenticate(&t, &c.id, &c.ip)).await?;
    Ok((caller, session, via_cookie, token))
}

/// The authenticated API caller (bearer token, or session cookie plus `X-CSRF-Token` for writes).
pub struct ApiCaller {
    pub caller: Caller,
    pub token: String,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (caller, session, via_cookie, token) = resolve(state, parts).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if via_cookie && !safe {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if sent != session.csrf_token {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "缺少或错误的 CSRF 令牌（X-CSRF-Token）",
                ));
            }
        }
        Ok(ApiCaller { caller, token })
    }
}

/// The signed-in UI user; unauthenticated requests are redirected to the login page.
pub struct PageCaller {
    pub caller: Caller,
    pub csrf: String,
    pub token: String,
}

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match resolve(state, parts).await {
            Ok((caller, session, _, token)) => Ok(PageCaller {
                caller,
                csrf: session.csrf_token,
                token,
            }),
            Err(AppError::Unauthorized(_)) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".into());
                Err(PageError::Login(next))
            }
            Err(e) => Err(PageError::App(e)),
        }
    }
}

impl PageCaller {
    /// Rejects a form whose CSRF token does not match the session's.
    pub fn check_csrf(&self, form: &FormPairs) -> Result<(), PageError> {
        if form.get("_csrf") == self.csrf && !self.csrf.is_empty() {
            Ok(())
        } else {
            Err(PageError::App(AppError::Forbidden(
                "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
            )))
        }
    }
}

/// Path ids: a non-numeric id is simply "not found".
pub fn parse_id(s: &str) -> Result<i64, AppError> {
    s.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or(AppError::NotFound)
}

/// The `{id}` path segment of an API route: anything that is not a positive integer
/// (including bytes that are not UTF-8) is a JSON 404.
pub struct ApiId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let not_found = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "未找到该记录");
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| not_found())?;
        parse_id(&raw).map(ApiId).map_err(|_| not_found())
    }
}

/// The `{id}` path segment of a UI route: anything else is the "not found" page.
pub struct PageId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| PageError::App(AppError::NotFound))?;
        parse_id(&raw).map(PageId).map_err(PageError::App)
    }
}
