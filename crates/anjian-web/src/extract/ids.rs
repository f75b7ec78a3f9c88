//! Record ids in paths: not a positive integer is 404.

use super::*;

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
