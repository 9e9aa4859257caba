//! The use cases' one error: English for logs and the CLI (Display), Chinese for the reviewer
//! (`message_zh`), and the stable code the IPC error maps from.

use jxjy_office::OfficeError;
use jxjy_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum UseCaseError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Office(#[from] OfficeError),
    #[error("cannot write the spreadsheet: {0}")]
    Xlsx(#[from] jxjy_office::XlsxError),
    /// A file operation; the message names the file (`jxjy_office::atomic::at`).
    #[error(transparent)]
    File(#[from] std::io::Error),
    /// Something the reviewer asked for that cannot be done as asked.
    #[error("{en}")]
    Input { en: String, zh: String },
}

impl UseCaseError {
    pub fn input(en: impl Into<String>, zh: impl Into<String>) -> UseCaseError {
        UseCaseError::Input {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The same codes as `StoreError::code`.
    pub fn code(&self) -> &'static str {
        match self {
            UseCaseError::Store(e) => e.code(),
            UseCaseError::Office(
                OfficeError::Read(_) | OfficeError::Sheet(_) | OfficeError::Limit { .. },
            ) => "invalid_input",
            UseCaseError::Office(_) | UseCaseError::File(_) => "io",
            UseCaseError::Xlsx(_) => "internal",
            UseCaseError::Input { .. } => "invalid_input",
        }
    }

    /// Whether the request, not the machine, is at fault (the CLI exits 2 for these).
    pub fn is_input(&self) -> bool {
        matches!(
            self.code(),
            "invalid_input"
                | "not_found"
                | "not_allowed"
                | "stale"
                | "wrong_passphrase"
                | "file_refused"
                | "bad_data"
                | "locked"
                | "no_unlock_secret"
                | "wrong_secret"
                | "unlock_throttled"
        )
    }

    /// What the reviewer reads.
    pub fn message_zh(&self) -> String {
        match self {
            UseCaseError::Store(e) => e.message_zh(),
            UseCaseError::Office(e) => e.message_zh(),
            UseCaseError::Xlsx(_) => "生成表格失败".to_owned(),
            UseCaseError::File(e) => format!("文件读写失败：{e}"),
            UseCaseError::Input { zh, .. } => zh.clone(),
        }
    }
}
