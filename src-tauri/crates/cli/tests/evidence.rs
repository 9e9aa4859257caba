//! `jxjy evidence read` and `jxjy credit --evidence-dir` on certificates made as real ones are:
//! the fields printed (absent ones null), and the cross-check flags added to the declarations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use jxjy_certgen::{make, Facts, Fonts, Format, Layout};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::process::Command;

fn jxjy(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jxjy"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn facts(name: &str, no: &str) -> Facts {
    Facts {
        holder_name: name.into(),
        organizer: "兵团专业技术人员继续教育基地".into(),
        title: "现代农业节水灌溉技术培训班".into(),
        start_date: NaiveDate::from_ymd_opt(2019, 5, 10).unwrap(),
        end_date: NaiveDate::from_ymd_opt(2019, 5, 12).unwrap(),
        hours_centi: Some(2400),
        days: None,
        certificate_no: no.into(),
    }
}

fn hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn declaration(id: &str, staff: &str, sha: &str) -> Value {
    json!({
        "id": id, "staff_id": staff, "category": "professional", "form": "base_training",
        "title": "现代农业节水灌溉技术培训班", "organizer": "兵团专业技术人员继续教育基地",
        "start_date": "2019-05-10", "end_date": "2019-05-12", "claimed_hours": 24,
        "evidence": [{"id": format!("E-{id}"), "file_name": "证书.pdf", "media_type": "application/pdf", "size": 1, "sha256": sha}]
    })
}

#[test]
fn credit_with_an_evidence_folder_adds_the_reading_flags() {
    let fonts = Fonts::from_system().expect("fonts of scripts/setup-debian.sh");
    let dir = tempdir();
    let files = dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    // D1 matches; D2's certificate names someone else; D3 and D4 carry one number; D5's file is
    // a scan read by OCR and matches.
    let certs = [
        (
            "D1",
            "S1",
            facts("张建国", "BT201905-000101"),
            Format::TextPdf,
        ),
        (
            "D2",
            "S2",
            facts("李秀华", "BT201905-000102"),
            Format::TextPdf,
        ),
        (
            "D3",
            "S3",
            facts("王海燕", "BT201905-000103"),
            Format::TextPdf,
        ),
        (
            "D4",
            "S4",
            facts("赵志强", "BT201905-000103"),
            Format::TextPdf,
        ),
        ("D5", "S5", facts("马丽娟", "BT201905-000105"), Format::Scan),
    ];
    let names = [
        ("S1", "张建国"),
        ("S2", "李秀英"),
        ("S3", "王海燕"),
        ("S4", "赵志强"),
        ("S5", "马丽娟"),
    ];
    let mut decls = Vec::new();
    for (i, (id, staff, f, format)) in certs.iter().enumerate() {
        let made = make(f, Layout::Qualified, *format, &fonts, 40 + i as u64).unwrap();
        let sha = hex(&made.bytes);
        std::fs::write(files.join(&sha), &made.bytes).unwrap();
        decls.push(declaration(id, staff, &sha));
    }
    let staff: Vec<Value> = names
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name, "id_number": "650102198001010012", "unit_id": "U01"}))
        .collect();
    let input = dir.join("input.json");
    std::fs::write(
        &input,
        json!({"year": 2019, "staff": staff, "declarations": decls}).to_string(),
    )
    .unwrap();
    let (code, out, err) = jxjy(&[
        "credit",
        "--input",
        input.to_str().unwrap(),
        "--evidence-dir",
        files.to_str().unwrap(),
        "--today",
        "2019-12-31",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let flags = |id: &str| -> Vec<String> {
        v["declarations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_owned())
            .filter(|f| f.starts_with("evidence_") || f == "duplicate_certificate_no")
            .collect()
    };
    assert_eq!(flags("D1"), Vec::<String>::new());
    assert_eq!(flags("D2"), vec!["evidence_name_mismatch"]);
    assert_eq!(flags("D3"), vec!["duplicate_certificate_no"]);
    assert_eq!(flags("D4"), vec!["duplicate_certificate_no"]);
    assert_eq!(flags("D5"), Vec::<String>::new());
    // Without the folder, no reading flags at all.
    let (code, out, _) = jxjy(&[
        "credit",
        "--input",
        input.to_str().unwrap(),
        "--today",
        "2019-12-31",
    ]);
    assert_eq!(code, 0);
    assert!(!out.contains("evidence_name_mismatch"));
    // A folder that does not exist is bad input.
    let (code, _, err) = jxjy(&[
        "credit",
        "--input",
        input.to_str().unwrap(),
        "--evidence-dir",
        "/nonexistent/jxjy",
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn evidence_read_prints_every_field_and_null_for_absent_ones() {
    let fonts = Fonts::from_system().expect("fonts of scripts/setup-debian.sh");
    let dir = tempdir();
    let mut f = facts("阿依古丽·买买提", "BT201905-000201");
    f.hours_centi = None;
    let made = make(&f, Layout::Service, Format::TextPdf, &fonts, 3).unwrap();
    let file = dir.join("cert.pdf");
    std::fs::write(&file, &made.bytes).unwrap();
    let (code, out, err) = jxjy(&["evidence", "read", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["engine"], "text_layer");
    assert!(v["ms"].as_u64().is_some());
    let fields = &v["fields"];
    for k in [
        "holder_name",
        "organizer",
        "start_date",
        "end_date",
        "hours",
        "certificate_no",
        "qr_text",
    ] {
        assert!(fields.get(k).is_some(), "{k} missing in {fields}");
    }
    assert_eq!(fields["holder_name"]["value"], "阿依古丽·买买提");
    assert_eq!(fields["start_date"]["value"], "2019-05-10");
    assert_eq!(fields["end_date"]["value"], "2019-05-12");
    assert_eq!(fields["certificate_no"]["value"], "BT201905-000201");
    assert!(
        fields["hours"].is_null(),
        "a service certificate prints no hours"
    );
    assert!(
        fields["holder_name"]["place"]["rect"]["w"]
            .as_u64()
            .unwrap()
            > 0
    );
    // A file that is no certificate: a clear error, exit 2.
    let junk = dir.join("junk.bin");
    std::fs::write(&junk, b"not a certificate").unwrap();
    let (code, _, err) = jxjy(&["evidence", "read", junk.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a PDF, PNG or JPEG"), "{err}");
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "jxjy-evidence-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}
