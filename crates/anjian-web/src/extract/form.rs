//! Query strings and HTML form bodies.

use super::*;

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
    /// Every value of a repeated field in order, trimmed, empty ones kept: the i-th is the
    /// i-th input of that name on the page (a row of a table form).
    pub fn column(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }
    pub fn flag(&self, k: &str) -> bool {
        matches!(self.get(k).as_str(), "on" | "1" | "true" | "是")
    }
}
