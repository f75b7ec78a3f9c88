//! The one application error type.

use anjian_domain::ValidationErrors;
use anjian_domain::workflow::TransitionError;
use anjian_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("未找到该记录")]
    NotFound,
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("提交的数据有误")]
    Validation(ValidationErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    BadRequest(String),
    /// A file refused as a whole before any row was read (import limits, columns, format).
    #[error("{}", .0.message)]
    ImportRefused(crate::import::Refusal),
    #[error("internal error: {0}")]
    Internal(String),
    /// A failure below the use cases (the database), with its cause chain.
    #[error("store error")]
    Store(#[source] StoreError),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Validation(e)
    }
}

/// The one mapping of a refused workflow step: not possible in this state is a conflict, not
/// the caller's step is forbidden, an unmet precondition names its fields, too early is a
/// conflict.
impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::NotInThisState { .. } | TransitionError::NotYet(_) => {
                AppError::Conflict(e.to_string())
            }
            TransitionError::NotYourAction(_) => AppError::Forbidden(e.to_string()),
            TransitionError::Unmet(v) => AppError::Validation(v),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => {
                AppError::Forbidden("该记录不在您的管辖范围内，或您无权修改".into())
            }
            StoreError::Duplicate(k) => AppError::Conflict(format!("记录已存在（{k}）")),
            StoreError::Conflict(_) => {
                AppError::Conflict("该记录已被他人修改，请刷新后重试".into())
            }
            StoreError::Invalid(m) => AppError::Validation(ValidationErrors::single(
                "_",
                format!("数据不符合约束：{m}"),
            )),
            e @ (StoreError::Backend(_)
            | StoreError::Migration(_)
            | StoreError::Database(_)
            | StoreError::Corrupt { .. }) => AppError::Store(e),
        }
    }
}

impl AppError {
    /// A failure of the system rather than of the request (500).
    pub fn is_internal(&self) -> bool {
        matches!(self, AppError::Internal(_) | AppError::Store(_))
    }

    /// The error with its whole cause chain, for logs.
    pub fn chain(&self) -> String {
        anjian_store::error_chain(self)
    }

    /// Stable machine-readable code for the JSON error contract.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::Locked(_) => "account_locked",
            AppError::BadRequest(_) => "bad_request",
            AppError::ImportRefused(r) => r.code,
            AppError::Internal(_) | AppError::Store(_) => "internal",
        }
    }

    /// A message fit to show a user (never internal details).
    pub fn user_message(&self) -> String {
        match self {
            AppError::Validation(v) => {
                let n: usize = v.fields.values().map(Vec::len).sum();
                format!("提交的数据有{n}处错误，请按提示修改")
            }
            AppError::Internal(_) | AppError::Store(_) => {
                "系统内部错误，请稍后重试或联系管理员".into()
            }
            other => other.to_string(),
        }
    }
}

/// A store's refusal of a named field (`Invalid(key)`, or `duplicate` for a unique key) in
/// the form's words: each entry is (key, form field — the key itself when empty, message);
/// any other error converts as usual.
pub(crate) fn refused_field(
    err: anjian_store::StoreError,
    words: &[(&str, &str, &str)],
) -> AppError {
    use anjian_store::StoreError;
    let key = match &err {
        StoreError::Invalid(f) => f.as_str(),
        StoreError::Duplicate(_) => "duplicate",
        _ => return err.into(),
    };
    match words.iter().find(|(k, _, _)| *k == key) {
        Some((k, field, message)) => anjian_domain::ValidationErrors::single(
            if field.is_empty() { k } else { field },
            *message,
        )
        .into(),
        None => err.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anjian_store::DbFailure;

    #[test]
    fn a_database_failure_keeps_its_cause_chain() {
        let driver = std::io::Error::other("disk I/O error");
        let e = AppError::from(StoreError::Database(DbFailure::new("SQLite", driver)));
        assert!(e.is_internal());
        assert_eq!(e.code(), "internal");
        assert_eq!(
            e.chain(),
            "store error: database error: SQLite: disk I/O error"
        );
        // What a user sees names nothing of it.
        assert!(!e.user_message().contains("disk"));
        // Refusals the client can fix stay what they were.
        assert!(!AppError::from(StoreError::NotFound).is_internal());
    }
}
