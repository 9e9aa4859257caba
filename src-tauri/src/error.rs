//! The one error that crosses IPC: a closed set of codes (mirrored in TypeScript) and a message
//! in Chinese for the reviewer.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The page sent something the app cannot accept.
    InvalidInput,
    /// A rule set is missing or broken.
    RuleSet,
    /// Anything unexpected; details go to the log.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }
}

impl From<jxjy_core::InputError> for AppError {
    fn from(e: jxjy_core::InputError) -> AppError {
        AppError::new(ErrorCode::InvalidInput, format!("申报数据有误：{e}"))
    }
}

impl From<jxjy_core::RuleSetError> for AppError {
    fn from(e: jxjy_core::RuleSetError) -> AppError {
        AppError::new(ErrorCode::RuleSet, format!("学时认定标准有误：{e}"))
    }
}
