//! The one error that crosses IPC: a closed set of codes (mirrored in TypeScript through the
//! generated bindings) and a message in Chinese for the reviewer. English details go to the log.

use jxjy_store::StoreError;
use jxjy_sync::SyncError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The page sent something the app cannot accept.
    InvalidInput,
    /// A rule set is missing or broken.
    RuleSet,
    /// No reviewer profile is open.
    NoProfile,
    /// The profile is locked: the page shows the unlock screen.
    Locked,
    /// The profile has no unlock secret yet: the reviewer chooses one.
    NoUnlockSecret,
    /// The unlock secret or recovery code is wrong; the next try waits longer.
    WrongSecret,
    /// Too many wrong tries: wait before the next (nothing was deleted).
    UnlockThrottled,
    /// The profile has no platform login yet, or it expired.
    NotLoggedIn,
    /// The database key is not in the OS keyring.
    KeyMissing,
    WrongKey,
    /// The OS keyring cannot be reached.
    Keyring,
    DatabaseTooNew,
    Io,
    NotFound,
    /// The declaration changed or was withdrawn since the reviewer saw it.
    Stale,
    /// The action is not allowed in the item's state.
    NotAllowed,
    Evidence,
    /// The file is of a kind the viewer refuses (script-capable or unknown).
    UnsupportedFile,
    Database,
    /// The platform cannot be reached now.
    Offline,
    /// The platform refused the request.
    Refused,
    /// The platform sent data the app cannot use.
    BadData,
    Cancelled,
    /// A sync is already running.
    Busy,
    /// An exchange file's passphrase does not open it.
    WrongPassphrase,
    /// A file was refused: changed, damaged or not ours; nothing of it was applied.
    FileRefused,
    /// Another window of the app has this data folder open.
    AlreadyRunning,
    /// Anything unexpected; details go to the log.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
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

    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::InvalidInput, message)
    }

    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        AppError::new(ErrorCode::Internal, format!("内部错误：{detail}"))
    }
}

impl From<jxjy_core::InputError> for AppError {
    fn from(e: jxjy_core::InputError) -> AppError {
        AppError::invalid(format!("申报数据有误：{e}"))
    }
}

impl From<jxjy_core::RuleSetError> for AppError {
    fn from(e: jxjy_core::RuleSetError) -> AppError {
        AppError::new(ErrorCode::RuleSet, format!("学时认定标准有误：{e}"))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError::new(store_code(&e), e.message_zh())
    }
}

impl From<jxjy_usecases::UseCaseError> for AppError {
    fn from(e: jxjy_usecases::UseCaseError) -> AppError {
        AppError::new(code_of(e.code()), e.message_zh())
    }
}

fn store_code(e: &StoreError) -> ErrorCode {
    code_of(e.code())
}

/// The IPC code of a store or use-case error code.
fn code_of(code: &str) -> ErrorCode {
    match code {
        "key_missing" => ErrorCode::KeyMissing,
        "locked" => ErrorCode::Locked,
        "no_unlock_secret" => ErrorCode::NoUnlockSecret,
        "wrong_secret" => ErrorCode::WrongSecret,
        "unlock_throttled" => ErrorCode::UnlockThrottled,
        "wrong_key" => ErrorCode::WrongKey,
        "keyring" => ErrorCode::Keyring,
        "database_too_new" => ErrorCode::DatabaseTooNew,
        "invalid_input" => ErrorCode::InvalidInput,
        "io" => ErrorCode::Io,
        "not_found" => ErrorCode::NotFound,
        "stale" => ErrorCode::Stale,
        "not_allowed" => ErrorCode::NotAllowed,
        "evidence" => ErrorCode::Evidence,
        "database" => ErrorCode::Database,
        "wrong_passphrase" => ErrorCode::WrongPassphrase,
        "file_refused" => ErrorCode::FileRefused,
        "bad_data" => ErrorCode::BadData,
        _ => ErrorCode::Internal,
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> AppError {
        let code = match &e {
            SyncError::Transient(_) | SyncError::RateLimited { .. } | SyncError::GaveUp { .. } => {
                ErrorCode::Offline
            }
            SyncError::Unauthorized(_) | SyncError::NotLoggedIn => ErrorCode::NotLoggedIn,
            SyncError::Refused { .. } => ErrorCode::Refused,
            SyncError::Cancelled => ErrorCode::Cancelled,
            SyncError::BadData(_) | SyncError::TooLarge { .. } => ErrorCode::BadData,
            SyncError::Redirected { .. } => ErrorCode::Refused,
            SyncError::Address(_) => ErrorCode::InvalidInput,
            SyncError::Store(s) => store_code(s),
        };
        AppError::new(code, e.message_zh())
    }
}
