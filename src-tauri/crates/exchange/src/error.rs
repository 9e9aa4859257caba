//! What can go wrong reading or writing an exchange file. Messages are English (logs, CLI);
//! the app maps each variant to Chinese.

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("not a jxjy exchange file")]
    NotExchangeFile,
    #[error("exchange file format {0} is newer than this program supports")]
    UnsupportedVersion(u32),
    #[error("the exchange file's header is damaged: {0}")]
    BadHeader(String),
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("the exchange file was changed or damaged (segment {segment} fails authentication)")]
    Tampered { segment: u32 },
    #[error("the exchange file is incomplete (it ends early)")]
    Truncated,
    #[error("the exchange file has bytes after its end")]
    TrailingData,
    #[error("a record of the exchange file is malformed: {0}")]
    BadRecord(String),
    #[error("the passphrase must have at least {min} characters", min = crate::MIN_PASSPHRASE_CHARS)]
    WeakPassphrase,
    #[error("record too large ({0} bytes)")]
    TooLarge(u64),
    #[error("encryption failed")]
    Crypto,
    #[error("the exchange file is not signed (made by an older version of the program, or altered): make it again")]
    Unsigned,
    #[error("the exchange file's signature does not verify: it was changed after it was signed")]
    BadSignature,
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}
