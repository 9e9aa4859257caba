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
    /// The platform answered with a redirect; it is not followed, so neither a body (a
    /// password) nor a token goes to another address.
    #[error(
        "the platform answered {status} (a redirect{to}); redirects are not followed, so no \
         password or token goes elsewhere: use the platform's final https:// address"
    )]
    Redirected { status: u16, to: String },
    /// An answer larger than the client reads for its endpoint (a compression bomb, a broken
    /// proxy): refused with nothing applied.
    #[error("the answer to {what} is larger than {cap} bytes once decompressed; refused, nothing applied")]
    TooLarge { what: &'static str, cap: u64 },
    #[error(transparent)]
    Address(#[from] jxjy_core::address::AddressError),
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
            SyncError::Redirected { .. } => {
                "平台地址返回了重定向，为保护密码和令牌不予跟随：请填写平台的最终地址（https://…）"
                    .to_owned()
            }
            SyncError::TooLarge { .. } => {
                "平台返回的数据超出允许的大小，已拒绝，本地数据未改变，请联系平台管理员".to_owned()
            }
            SyncError::Address(e) => e.message_zh(),
            SyncError::Store(e) => e.message_zh(),
        }
    }
}
