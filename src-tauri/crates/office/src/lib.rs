//! jxjy-office: the files offices live in. Spreadsheets open in WPS and LibreOffice (plain
//! xlsx: strings, numbers, one bold heading row, frozen, with filters); print views are
//! self-contained A4 HTML in Chinese; a spot-check pack is a folder and the same as a zip.

pub mod atomic;
mod error;
pub mod html;
pub mod pack;
pub mod print;
pub mod xlsx_in;
pub mod xlsx_out;

pub use error::OfficeError;
pub use rust_xlsxwriter::XlsxError;

/// How ID numbers appear in an export: masked unless the reviewer asked (and it was audited).
pub enum IdNumbers<'a> {
    Masked,
    Full(&'a std::collections::HashMap<String, String>),
}

impl IdNumbers<'_> {
    /// The heading of the ID column.
    pub fn heading(&self) -> &'static str {
        match self {
            IdNumbers::Masked => "身份证号（已脱敏）",
            IdNumbers::Full(_) => "身份证号",
        }
    }

    /// The cell for `staff_id`, given its masked form.
    pub fn cell(&self, staff_id: &str, masked: Option<&str>) -> String {
        match self {
            IdNumbers::Masked => masked.unwrap_or_default().to_owned(),
            IdNumbers::Full(map) => map
                .get(staff_id)
                .cloned()
                .unwrap_or_else(|| masked.unwrap_or_default().to_owned()),
        }
    }
}
