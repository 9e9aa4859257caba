//! Reading a roster-corrections sheet (calamine): the first sheet, the first row as headings,
//! every cell as text. Checking is the core's (`roster_fix::check_rows`).

use crate::OfficeError;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use jxjy_core::roster_fix::{check_rows, RowCheck};
use std::collections::HashSet;
use std::io::Cursor;

/// The most rows a corrections sheet may have.
pub const MAX_ROWS: usize = 20_000;

/// Cells as text; a whole number stays whole (an ID typed as a number), a number too large to
/// hold every digit is refused by the checks (it will not pass the checksum).
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
            format!("{f:.0}")
        }
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(dt) => dt.to_string(),
    }
}

/// The first sheet as a heading and rows of text.
pub fn read_sheet(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>), OfficeError> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| OfficeError::Read(e.to_string()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| OfficeError::Sheet("表格中没有工作表".into()))?
        .map_err(|e| OfficeError::Read(e.to_string()))?;
    let mut rows = range.rows();
    let heading: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    let body: Vec<Vec<String>> = rows
        .take(MAX_ROWS + 1)
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    if body.len() > MAX_ROWS {
        return Err(OfficeError::Sheet(format!(
            "表格超过{MAX_ROWS}行，请分批导入"
        )));
    }
    Ok((heading, body))
}

/// Reads and checks a corrections sheet against the roster; nothing is applied here.
pub fn roster_corrections(
    bytes: &[u8],
    known_staff: &HashSet<String>,
) -> Result<Vec<RowCheck>, OfficeError> {
    let (heading, rows) = read_sheet(bytes)?;
    check_rows(&heading, &rows, known_staff).map_err(OfficeError::Sheet)
}
