//! `jxjy credit` as scripts use it: JSON on stdout and exit 0, or exit 2 with one English line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Output};

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../..")
        .join(rel)
}

fn jxjy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jxjy"))
        .args(args)
        .output()
        .unwrap()
}

fn credit_json(doc: &str) -> Output {
    let dir = tempdir();
    let path = dir.join("input.json");
    std::fs::write(&path, doc).unwrap();
    jxjy(&[
        "credit",
        "--input",
        path.to_str().unwrap(),
        "--today",
        "2020-01-15",
    ])
}

fn tempdir() -> PathBuf {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("jxjy-cli-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn example() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(repo_file("examples/domain-example.json")).unwrap(),
    )
    .unwrap()
}

/// Asserts exit 2, nothing on stdout, one stderr line containing every `needle`.
fn assert_bad_input(out: &Output, needles: &[&str]) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "stdout must be empty");
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    for n in needles {
        assert!(err.contains(n), "{err:?} should contain {n:?}");
    }
}

#[test]
fn evaluates_the_domain_example() {
    let out = jxjy(&[
        "credit",
        "--input",
        repo_file("examples/domain-example.json").to_str().unwrap(),
        "--today",
        "2019-12-31",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["declarations"][0];
    assert_eq!(d["id"], "D001");
    assert_eq!(d["staff_id"], "S001");
    assert_eq!(d["category"], "professional");
    assert_eq!(d["credited_hours"], 24);
    assert_eq!(d["deemed"], Value::Null);
    assert_eq!(d["clause"], "A4");
    assert_eq!(
        d["explanation"],
        "国家级学术会议 3天×6学时 + 宣读论文6学时 = 24学时"
    );
    assert_eq!(d["flags"], json!([]));
    let l = &v["ledger"][0];
    assert_eq!(l["staff_id"], "S001");
    assert_eq!(l["year"], 2019);
    assert_eq!(l["public_hours"], 0);
    assert_eq!(l["professional_hours"], 24);
    assert_eq!(l["public_satisfied"], false);
    assert_eq!(l["professional_satisfied"], false);
    assert_eq!(l["complete"], false);
    assert_eq!(l["deemed_by"], json!([]));
    assert_eq!(l["shortfall"], json!({"public": 30, "professional": 36}));
    assert_eq!(l["flags"], json!(["promotion_needs_face_to_face"]));
}

#[test]
fn evaluates_a_generated_unit() {
    let out = jxjy(&["generate", "--staff", "200", "--seed", "7"]);
    assert!(out.status.success());
    let doc = String::from_utf8(out.stdout).unwrap();
    let input: Value = serde_json::from_str(&doc).unwrap();
    let out = credit_json(&doc);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = input["declarations"].as_array().unwrap().len();
    assert_eq!(v["declarations"].as_array().unwrap().len(), n);
    // Every roster member has an entry for the year.
    let ledger = v["ledger"].as_array().unwrap();
    for s in input["staff"].as_array().unwrap() {
        assert!(ledger
            .iter()
            .any(|l| l["staff_id"] == s["id"] && l["year"] == 2019));
    }
    for d in v["declarations"].as_array().unwrap() {
        assert!(d["explanation"].as_str().unwrap().contains("学时"), "{d}");
    }
}

#[test]
fn generate_is_deterministic() {
    let a = jxjy(&["generate", "--staff", "20", "--seed", "3"]).stdout;
    let b = jxjy(&["generate", "--staff", "20", "--seed", "3"]).stdout;
    let c = jxjy(&["generate", "--staff", "20", "--seed", "4"]).stdout;
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn malformed_json() {
    assert_bad_input(
        &credit_json("{\"year\": 2019, \"declarations\": [}"),
        &["not valid JSON", "line 1"],
    );
}

#[test]
fn unknown_enum_value() {
    let mut v = example();
    v["declarations"][0]["form"] = json!("webinar");
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["declaration D001", "`form`", "webinar"],
    );
    let mut v = example();
    v["declarations"][0]["status"] = json!("approved");
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["declaration D001", "`status`"],
    );
    let mut v = example();
    v["staff"][0]["title_level"] = json!("master");
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["staff S001", "`title_level`"],
    );
}

#[test]
fn missing_required_field() {
    let mut v = example();
    v["declarations"][0]
        .as_object_mut()
        .unwrap()
        .remove("category");
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["declaration D001", "`category`", "missing"],
    );
    let mut v = example();
    v.as_object_mut().unwrap().remove("year");
    assert_bad_input(&credit_json(&v.to_string()), &["`year`"]);
    let mut v = example();
    v["declarations"][0]["evidence"][0]
        .as_object_mut()
        .unwrap()
        .remove("sha256");
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["declaration D001", "evidence[0]", "sha256"],
    );
}

#[test]
fn end_date_before_start_date() {
    let mut v = example();
    v["declarations"][0]["end_date"] = json!("2019-05-01");
    assert_bad_input(
        &credit_json(&v.to_string()),
        &[
            "declaration D001",
            "`end_date`",
            "before start_date 2019-05-10",
        ],
    );
}

#[test]
fn negative_hours() {
    let mut v = example();
    v["declarations"][0]["claimed_hours"] = json!(-3);
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["declaration D001", "`claimed_hours`", "non-negative"],
    );
    let mut v = example();
    v["declarations"][0]["certified_hours"] = json!(-0.5);
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["declaration D001", "`certified_hours`"],
    );
}

#[test]
fn unknown_rule_set() {
    let mut v = example();
    v["rules"] = json!("xinjiang-1999");
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["`rules`", "unknown rule set `xinjiang-1999`"],
    );
    let mut v = example();
    v.as_object_mut().unwrap().remove("rules");
    v["year"] = json!(2015);
    assert_bad_input(
        &credit_json(&v.to_string()),
        &["no rule set covers year 2015"],
    );
}

#[test]
fn rule_file_overrides_and_is_validated() {
    let dir = tempdir();
    let rules_text =
        std::fs::read_to_string(repo_file("src-tauri/crates/core/rules/bingtuan-2019.json"))
            .unwrap();
    let cheap = dir.join("cheap.json");
    std::fs::write(
        &cheap,
        rules_text.replace("\"hours_per_day\": 6", "\"hours_per_day\": 5"),
    )
    .unwrap();
    let input = repo_file("examples/domain-example.json");
    let out = jxjy(&[
        "credit",
        "--input",
        input.to_str().unwrap(),
        "--rules",
        cheap.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["declarations"][0]["credited_hours"], 21);

    let broken = dir.join("broken.json");
    std::fs::write(
        &broken,
        rules_text.replace("\"annual_cap\": 40", "\"annual_cap\": 0"),
    )
    .unwrap();
    let out = jxjy(&[
        "credit",
        "--input",
        input.to_str().unwrap(),
        "--rules",
        broken.to_str().unwrap(),
    ]);
    assert_bad_input(&out, &["conference.annual_cap", "greater than 0"]);
}

#[test]
fn unreadable_input_file() {
    assert_bad_input(
        &jxjy(&["credit", "--input", "/nonexistent/x.json"]),
        &["cannot read input file"],
    );
}
