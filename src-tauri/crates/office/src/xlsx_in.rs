//! Reading a roster-corrections sheet (calamine): the first sheet, the first row as headings,
//! every cell as text. Checking is the core's (`roster_fix::check_rows`).
//!
//! The file may be crafted: its size, its zip entries' declared sizes and the sheet's declared
//! dimension are checked before anything is sized from them, and cells are read one at a time
//! (calamine's cell reader) so a single cell at `XFD1048576` is refused instead of making a
//! grid of 17 billion cells.

use crate::OfficeError;
use calamine::{open_workbook_from_rs, Data, DataRef, Reader, Xlsx};
use jxjy_core::roster_fix::{check_rows, RowCheck};
use std::collections::HashSet;
use std::io::Cursor;

/// The most rows a corrections sheet may have.
pub const MAX_ROWS: usize = 20_000;
/// The most columns: a corrections sheet has a handful.
pub const MAX_COLS: usize = 64;
/// The largest file accepted: 20,000 rows of corrections are well under 5 MB.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// The most one zip entry, and all of them together, may declare once inflated.
const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
const MAX_TOTAL_BYTES: u64 = 160 * 1024 * 1024;
const MAX_ENTRIES: usize = 1_000;

fn limit(en: String, zh: String) -> OfficeError {
    OfficeError::Limit { en, zh }
}

/// Refuses a file whose size or zip entries are beyond the limits, before calamine opens it.
fn check_container(bytes: &[u8]) -> Result<(), OfficeError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(limit(
            format!(
                "the file has {} bytes; at most {MAX_FILE_BYTES}",
                bytes.len()
            ),
            format!(
                "表格文件超过{}MB，请分批导入",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| OfficeError::Read(e.to_string()))?;
    if zip.len() > MAX_ENTRIES {
        return Err(limit(
            format!("the file has {} parts", zip.len()),
            "表格文件结构异常（部件过多），不予读取".into(),
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| OfficeError::Read(e.to_string()))?;
        let size = entry.size();
        total = total.saturating_add(size);
        if size > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES {
            return Err(limit(
                format!("a part declares {size} bytes inflated (total {total})"),
                "表格文件解压后过大，可能已损坏或被篡改，不予读取".into(),
            ));
        }
    }
    Ok(())
}

fn beyond_grid(row: usize, col: usize) -> Option<OfficeError> {
    if row > MAX_ROWS {
        return Some(limit(
            format!(
                "a cell is on row {}; at most {} rows",
                row + 1,
                MAX_ROWS + 1
            ),
            format!("表格超过{MAX_ROWS}行，请分批导入"),
        ));
    }
    if col >= MAX_COLS {
        return Some(limit(
            format!("a cell is in column {}; at most {MAX_COLS}", col + 1),
            format!("表格超过{MAX_COLS}列，请只保留更正所需的列"),
        ));
    }
    None
}

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

/// The first sheet as a heading and rows of text, from its first used row and column (as
/// calamine's ranges start).
pub fn read_sheet(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>), OfficeError> {
    check_container(bytes)?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| OfficeError::Read(e.to_string()))?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| OfficeError::Sheet("表格中没有工作表".into()))?;
    let mut cells = wb
        .worksheet_cells_reader(&first)
        .map_err(|e| OfficeError::Read(e.to_string()))?;
    let declared = cells.dimensions();
    if let Some(e) = beyond_grid(declared.end.0 as usize, declared.end.1 as usize) {
        return Err(e);
    }
    // Sparse first: at most MAX_ROWS+1 × MAX_COLS cells get here, each checked on arrival.
    let mut found: Vec<((usize, usize), String)> = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| OfficeError::Read(e.to_string()))?
    {
        let (row, col) = cell.get_position();
        let (row, col) = (row as usize, col as usize);
        if let Some(e) = beyond_grid(row, col) {
            return Err(e);
        }
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        if found.len() >= (MAX_ROWS + 1) * MAX_COLS {
            return Err(limit(
                "more cells than the sheet's limits hold".into(),
                format!("表格超过{MAX_ROWS}行，请分批导入"),
            ));
        }
        found.push(((row, col), cell_text(&Data::from(cell.get_value().clone()))));
    }
    let Some(top) = found.iter().map(|((r, _), _)| *r).min() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let left = found.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let bottom = found.iter().map(|((r, _), _)| *r).max().unwrap_or(top);
    let right = found.iter().map(|((_, c), _)| *c).max().unwrap_or(left);
    let width = right - left + 1;
    let mut grid = vec![vec![String::new(); width]; bottom - top + 1];
    for ((r, c), text) in found {
        grid[r - top][c - left] = text;
    }
    let mut rows = grid.into_iter();
    let heading = rows.next().unwrap_or_default();
    let body: Vec<Vec<String>> = rows.collect();
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
