//! JSON bodies: malformed JSON is 400, a wrong type or an unknown or missing field 422 naming
//! the field.

use super::*;

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
