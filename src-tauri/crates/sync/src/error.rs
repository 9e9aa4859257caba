//! The three kinds of failure (SYNC.md rule 3): transient (retry), per-item rejection (mark and
//! go on), authentication (log in again); plus the local ones.

use jxjy_store::StoreError;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum SyncError {
    /// Network error, timeout, 5xx, or an answer that is not what the API sends (a captive
    /// portal's page): try again later.
    #[error("temporary failure: {0}")]
    Transient(String),
    #[error("the platform asks to slow down")]
    RateLimited { retry_after: Option<Duration> },
    #[error("not authorized: {0}")]
    Unauthorized(String),
    /// The platform refused the request for good (4xx other than 401/429).
    #[error("refused by the platform ({status}): {detail}")]
    Refused { status: u16, detail: String },
    #[error("not logged in: run `jxjy login` first")]
    NotLoggedIn,
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp { attempts: u32, last: String },
    #[error("cancelled")]
    Cancelled,
    #[error("the platform sent data this program cannot use: {0}")]
    BadData(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            SyncError::Transient(_) | SyncError::RateLimited { .. }
        )
    }

    pub fn message_zh(&self) -> String {
        match self {
            SyncError::Transient(_) | SyncError::GaveUp { .. } => {
                "网络不通或平台暂时无法访问，稍后将自动重试".to_owned()
            }
            SyncError::RateLimited { .. } => "平台繁忙，稍后将自动重试".to_owned(),
            SyncError::Unauthorized(_) | SyncError::NotLoggedIn => {
                "登录已失效，请重新登录".to_owned()
            }
            SyncError::Refused { detail, .. } => format!("平台拒绝了请求：{detail}"),
            SyncError::Cancelled => "同步已取消".to_owned(),
            SyncError::BadData(_) => "平台返回的数据无法识别，请联系管理员".to_owned(),
            SyncError::Store(e) => e.message_zh(),
        }
    }
}
