//! Spot-check packs and the office files through the real CLI against the reference platform:
//! the same seed gives the same sample; findings recorded offline reach the platform once;
//! the pack, the xlsx exports and the print views are written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{path, platform};
use serde_json::Value;

fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["declaration_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_pack_is_drawn_recorded_exported_and_its_findings_synced() {
    let p = platform("spotcheck", 30, 5);
    let site = p.site("checker");
    p.login(&site);
    site.ok(&["sync"], "");

    let sample = [
        "spotcheck",
        "sample",
        "--count",
        "8",
        "--min-per-form",
        "1",
        "--seed",
        "42",
    ];
    let a = site.ok(&sample, "");
    let b = site.ok(&sample, "");
    assert!(ids(&a).len() >= 8, "{a}");
    assert_eq!(ids(&a), ids(&b), "the same seed gives the same sample");
    let c = site.ok(
        &["spotcheck", "sample", "--percent", "10", "--seed", "43"],
        "",
    );
    assert_ne!(ids(&a), ids(&c));
    let pack = a["pack"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        site.ok(&["spotcheck", "list"], "")
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Findings, offline; a problem needs a note.
    let items = ids(&a);
    let no_note = site.run_with(&["spotcheck", "record", &pack, &items[0], "problem"], "");
    assert_eq!(no_note.status.code(), Some(2));
    site.ok(
        &[
            "spotcheck",
            "record",
            &pack,
            &items[0],
            "problem",
            "--note",
            "证书日期与会议日期不符",
        ],
        "",
    );
    site.ok(&["spotcheck", "record", &pack, &items[1], "confirmed"], "");
    let report = site.ok(&["sync", "--no-evidence", "--json"], "");
    assert_eq!(report["findings_sent"], 2, "{report}");
    let held = jxjy_platform::manage::findings(&p.conn()).unwrap();
    assert_eq!(held.len(), 2);
    assert!(held
        .iter()
        .any(|f| f.declaration_id == items[0] && f.finding == "problem"));
    // A second sync sends nothing again.
    let again = site.ok(&["sync", "--no-evidence", "--json"], "");
    assert_eq!(again["findings_sent"], 0);
    assert_eq!(jxjy_platform::manage::findings(&p.conn()).unwrap().len(), 2);
    let shown = site.ok(&["spotcheck", "show", &pack], "");
    assert_eq!(shown["items"][0]["upload"], "sent");

    // The pack as folder and zip, with evidence.
    let out = p.dir.join("packs");
    let files = site.ok(&["spotcheck", "export", &pack, "--out", path(&out)], "");
    assert!(std::path::Path::new(files["zip"].as_str().unwrap()).exists());
    let folder = std::path::PathBuf::from(files["folder"].as_str().unwrap());
    assert!(folder.join("抽审清单.xlsx").exists());
    assert!(folder.join("抽审材料汇总.html").exists());
    assert!(std::fs::read_dir(folder.join("evidence")).unwrap().count() > 0);
    assert_eq!(files["missing_evidence"], 0);

    // Exports and print views.
    for what in ["queue", "decisions", "ledger"] {
        let f = p.dir.join(format!("{what}.xlsx"));
        site.ok(&["export", what, "--out", path(&f)], "");
        assert!(std::fs::read(&f).unwrap().starts_with(b"PK"));
    }
    let summary = p.dir.join("summary.html");
    site.ok(&["print", "summary", "--out", path(&summary)], "");
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .contains("初审情况汇总"));
    let staff = shown["items"][0]["staff_id"].as_str().unwrap();
    let cert = p.dir.join("cert.html");
    site.ok(&["print", "staff", staff, "--out", path(&cert)], "");
    assert!(std::fs::read_to_string(&cert).unwrap().contains("学时证明"));
    let _ = std::fs::remove_dir_all(&p.dir);
}
