//! Errors of the office formats: English for logs, `message_zh` for the reviewer.

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("xlsx: {0}")]
    Write(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot read the spreadsheet: {0}")]
    Read(String),
    #[error("the spreadsheet is not usable: {0}")]
    Sheet(String),
    /// A file beyond a reading limit, refused before anything was sized from it.
    #[error("the spreadsheet is over a limit: {en}")]
    Limit { en: String, zh: String },
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

impl OfficeError {
    pub fn message_zh(&self) -> String {
        match self {
            OfficeError::Write(_) => "生成表格失败".to_owned(),
            OfficeError::Read(_) => {
                "无法读取该表格，请确认是 .xlsx 格式（可在WPS或Excel中另存为 .xlsx）".to_owned()
            }
            OfficeError::Sheet(zh) | OfficeError::Limit { zh, .. } => zh.clone(),
            OfficeError::Zip(_) => "生成压缩包失败".to_owned(),
            OfficeError::Io(_) => "文件读写失败，请检查目标文件夹是否可写".to_owned(),
        }
    }
}
