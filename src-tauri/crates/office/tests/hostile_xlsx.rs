//! Crafted roster-corrections spreadsheets: each is refused with a Chinese message before
//! anything is sized from what it declares, and a plain sheet still reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jxjy_office::xlsx_in::{read_sheet, roster_corrections, MAX_FILE_BYTES};
use jxjy_office::OfficeError;
use std::collections::HashSet;
use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A minimal xlsx, written part by part, whose first sheet has `dimension` (if any) and `rows`.
fn xlsx(dimension: Option<&str>, rows: &str) -> Vec<u8> {
    let dim = dimension
        .map(|d| format!(r#"<dimension ref="{d}"/>"#))
        .unwrap_or_default();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>"#
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", sheet.as_str()),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn cell(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

fn refused(bytes: &[u8], zh: &str) {
    match read_sheet(bytes) {
        Err(e @ OfficeError::Limit { .. }) => {
            assert!(e.message_zh().contains(zh), "{}", e.message_zh());
            assert!(e.to_string().is_ascii(), "English for the log: {e}");
        }
        other => panic!("expected a limit error, got {other:?}"),
    }
}

#[test]
fn one_cell_at_the_last_cell_of_the_grid_is_refused_not_allocated() {
    // The dimension says nothing wrong; the one cell sits at XFD1048576.
    let rows = format!(
        r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
        cell("A1", "人员编号"),
        cell("XFD1048576", "x")
    );
    refused(&xlsx(Some("A1:A1"), &rows), "行");
    // Without a dimension at all.
    refused(&xlsx(None, &rows), "行");
    // A far column on the first row.
    let wide = format!(
        r#"<row r="1">{}{}</row>"#,
        cell("A1", "人员编号"),
        cell("XFD1", "x")
    );
    refused(&xlsx(None, &wide), "列");
}

#[test]
fn a_declared_dimension_beyond_the_limits_is_refused_before_the_cells() {
    let rows = format!(r#"<row r="1">{}</row>"#, cell("A1", "人员编号"));
    refused(&xlsx(Some("A1:XFD1048576"), &rows), "行");
    refused(&xlsx(Some("A1:ZZ2"), &rows), "列");
}

#[test]
fn oversized_files_and_inflated_parts_are_refused() {
    refused(&vec![0u8; MAX_FILE_BYTES + 1], "MB");
    // A part that inflates to 100 MiB from a few hundred KB.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("xl/sharedStrings.xml", opts).unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..100 {
        z.write_all(&zeros).unwrap();
    }
    let bomb = z.finish().unwrap().into_inner();
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    refused(&bomb, "过大");
}

#[test]
fn a_plain_sheet_still_reads_from_its_first_used_cell() {
    let rows = format!(
        r#"<row r="2">{}{}</row><row r="3">{}{}</row>"#,
        cell("B2", "人员编号"),
        cell("C2", "姓名"),
        cell("B3", "S0001"),
        cell("C3", "张三")
    );
    let (heading, body) = read_sheet(&xlsx(Some("B2:C3"), &rows)).unwrap();
    assert_eq!(heading, ["人员编号", "姓名"]);
    assert_eq!(body, [["S0001", "张三"]]);
    // And through the import entry point: a checked row comes back, nothing is refused.
    let known: HashSet<String> = ["S0001".to_owned()].into();
    assert!(roster_corrections(&xlsx(Some("B2:C3"), &rows), &known).is_ok());
}
