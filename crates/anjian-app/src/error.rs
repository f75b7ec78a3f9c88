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
    #[error("internal error: {0}")]
    Internal(String),
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
            StoreError::Backend(m) | StoreError::Migration(m) => AppError::Internal(m),
        }
    }
}

impl AppError {
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
            AppError::Internal(_) => "internal",
        }
    }

    /// A message fit to show a user (never internal details).
    pub fn user_message(&self) -> String {
        match self {
            AppError::Validation(v) => {
                let n: usize = v.fields.values().map(Vec::len).sum();
                format!("提交的数据有{n}处错误，请按提示修改")
            }
            AppError::Internal(_) => "系统内部错误，请稍后重试或联系管理员".into(),
            other => other.to_string(),
        }
    }
}
