//! Writes seed inputs for the fuzz targets into `fuzz/corpus/`: valid corrections sheets
//! (good rows, bad rows, numbers, blanks) and exchange files. Run from the repository root:
//! `cargo run -p jxjy-office --example fuzz_corpus`.

use rust_xlsxwriter::Workbook;
use std::path::Path;

fn sheet(rows: &[&[&str]]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) if !v.starts_with('S') => ws.write_number(r as u32, c as u16, n)?,
                _ => ws.write_string(r as u32, c as u16, *v)?,
            };
        }
    }
    wb.save_to_buffer()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let xlsx = Path::new("fuzz/corpus/xlsx_import");
    std::fs::create_dir_all(xlsx)?;
    let heading: &[&str] = &[
        "人员编号",
        "姓名",
        "身份证号",
        "职称系列",
        "职称级别",
        "申报上一级资格",
        "在岗",
    ];
    let sheets: Vec<Vec<&[&str]>> = vec![
        vec![
            heading,
            &[
                "S0001",
                "张三",
                "11010519491231002X",
                "工程",
                "中级",
                "是",
                "是",
            ],
        ],
        vec![
            heading,
            &["S0002", "", "110105194912310021", "", "高级", "也许", ""],
            &["", "", "", "", "", "", ""],
        ],
        vec![&["姓名"], &["李四"]],
        vec![
            heading,
            &["S0003", "王五", "", "", "正高级", "否", "否"],
            &["S0003", "重复", "", "", "", "", ""],
        ],
    ];
    for (i, rows) in sheets.iter().enumerate() {
        std::fs::write(xlsx.join(format!("seed-{i}.xlsx")), sheet(rows)?)?;
    }

    let ex = Path::new("fuzz/corpus/exchange_reader");
    std::fs::create_dir_all(ex)?;
    let key = jxjy_exchange::FileKey::from_bytes([42u8; 32]);
    let origin = || jxjy_exchange::Origin {
        kind: jxjy_exchange::Kind::Decisions,
        created_at: "2026-11-26T00:00:00Z".into(),
        origin: "seed".into(),
    };
    let mut s = jxjy_exchange::Sealer::with_key(
        Vec::new(),
        origin(),
        jxjy_exchange::Kdf::standard([1; 16]),
        &key,
        [2; 7],
    )?;
    s.record(&jxjy_exchange::Record::Manifest(br#"{"count":1}"#.to_vec()))?;
    s.record(&jxjy_exchange::Record::Item(br#"{"decision":{}}"#.to_vec()))?;
    let data = b"%PDF-1.4 seed".to_vec();
    s.record(&jxjy_exchange::Record::Blob {
        sha256: jxjy_exchange::sha256_hex(&data),
        data,
    })?;
    let (file, _) = s.finish(&jxjy_exchange::Signer::from_seed(&[3; 32])?)?;
    // Mode byte 0: a whole file; mode byte 1: plaintext to be sealed by the target.
    let mut whole = vec![0u8];
    whole.extend_from_slice(&file);
    std::fs::write(ex.join("seed-file"), whole)?;
    let mut plain = vec![
        1u8, 1, 2, 0, 0, 0, b'{', b'}', 2, 0, 0, 0, 0, 0xff, 0, 0, 0, 0,
    ];
    plain.extend_from_slice(&[3, 64, 0, 0, 0]);
    std::fs::write(ex.join("seed-plain"), plain)?;
    Ok(())
}
