//! The offline exchange end to end, with the real CLI, the real keyring (keyutils, in a session
//! keyring of this test) and the reference platform on loopback:
//! a connected site makes a snapshot → a regiment with no link imports it and decides →
//! its decisions file, once tampered with, is refused with nothing applied → the real file goes
//! through the reviewer's profile at headquarters to the platform (a file sealed with the right
//! passphrase but signed by another profile is refused): applied exactly once, also
//! after a second import and after the regiment syncs too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{path, platform};
use std::collections::HashSet;
use std::path::Path;

const PASS: &str = "十四师二二四团-2026";

fn held(db: &Path) -> Vec<String> {
    jxjy_platform::manage::decisions(&jxjy_platform::db::open(db).unwrap())
        .unwrap()
        .into_iter()
        .map(|d| d.idempotency_key)
        .collect()
}

#[test]
fn decisions_travel_by_file_and_apply_exactly_once() {
    let p = platform("exchange", 20, 4);
    let (dir, db) = (p.dir.clone(), p.db.clone());
    let hq = p.site("hq");
    let regiment = p.site("regiment");

    // Headquarters: log in, sync with evidence, make a snapshot.
    p.login(&hq);
    hq.ok(&["sync"], "");
    let snap = dir.join("unit.jxjy");
    let made = hq.ok(
        &[
            "exchange",
            "snapshot",
            "--out",
            path(&snap),
            "--passphrase-stdin",
            "--json",
        ],
        PASS,
    );
    assert_eq!(made["declarations"], 80, "{made}");
    assert!(made["evidence_files"].as_u64().unwrap() > 0, "{made}");

    // The regiment: no link, never logged in. The snapshot gives it the queue and evidence.
    let wrong = regiment.run_with(
        &["exchange", "import", path(&snap), "--passphrase-stdin"],
        "not the passphrase",
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong passphrase"));
    let got = regiment.ok(
        &[
            "exchange",
            "import",
            path(&snap),
            "--passphrase-stdin",
            "--json",
        ],
        PASS,
    );
    assert_eq!(got["declarations"], 80, "{got}");
    assert_eq!(got["evidence_files"], made["evidence_files"], "{got}");
    let queue = regiment.ok(&["queue", "--status", "pending_unit_review", "--json"], "");
    let ids: Vec<String> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["declaration"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 7, "{} pending", ids.len());
    let mut decided = HashSet::new();
    for (i, id) in ids.iter().take(6).enumerate() {
        let rec = if i % 3 == 2 {
            regiment.ok(
                &[
                    "decide",
                    id,
                    "return",
                    "--reason",
                    "证明材料不清晰，请重新上传",
                    "--json",
                ],
                "",
            )
        } else {
            regiment.ok(&["decide", id, "approve", "--json"], "")
        };
        decided.insert(rec["key"].as_str().unwrap().to_owned());
    }
    // A wrong key taken back before the file is made: `jxjy undo`, once.
    let slip = &ids[6];
    regiment.ok(&["decide", slip, "approve", "--json"], "");
    let undone = regiment.ok(&["undo", slip, "--json"], "");
    assert_eq!(undone["state"], "withdrawn", "{undone}");
    let again = regiment.run_with(&["undo", slip], "");
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("there is no decision on it to undo"), "{err}");
    let back = regiment.ok(&["queue", "--status", "pending_unit_review", "--json"], "");
    let slip_row = back
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["declaration"]["id"] == slip.as_str())
        .unwrap();
    assert_eq!(slip_row["review_state"], "open");

    // The audit trail of all that: intact, and exported line by line with its chain.
    let report = regiment.ok(&["audit", "verify", "--json"], "");
    assert!(report["problem"].is_null(), "{report}");
    assert!(report["entries"].as_i64().unwrap() >= 8, "{report}");
    let trail = dir.join("audit.jsonl");
    regiment.ok(&["audit", "export", "--out", path(&trail)], "");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&trail)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len() as i64, report["entries"].as_i64().unwrap());
    assert!(lines.iter().any(|l| l["action"] == "undo"));
    assert!(lines.windows(2).all(|w| w[1]["prev_hash"] == w[0]["hash"]));

    let file = dir.join("decisions.jxjy");
    let out = regiment.ok(
        &[
            "exchange",
            "export",
            "--out",
            path(&file),
            "--passphrase-stdin",
            "--json",
        ],
        PASS,
    );
    assert_eq!(out["decisions"], 6);

    // A copy with one byte changed is refused at headquarters, and nothing is queued.
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.len() - 40;
    bytes[at] ^= 0x01;
    let tampered = dir.join("tampered.jxjy");
    std::fs::write(&tampered, &bytes).unwrap();
    let refused = hq.run_with(
        &["exchange", "import", path(&tampered), "--passphrase-stdin"],
        PASS,
    );
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("changed or damaged"), "{err}");
    assert_eq!(hq.ok(&["status", "--json"], "")["pending"], 0);

    // The same reviewer's other profile, with the right passphrase: its file is signed by a
    // key headquarters never introduced, and is refused whole.
    let other = p.site("elsewhere");
    p.login(&other);
    other.ok(&["sync", "--no-evidence"], "");
    other.ok(&["decide", &ids[6], "approve"], "");
    let forged = dir.join("forged.jxjy");
    other.ok(
        &[
            "exchange",
            "export",
            "--out",
            path(&forged),
            "--passphrase-stdin",
        ],
        PASS,
    );
    let refused = hq.run_with(
        &["exchange", "import", path(&forged), "--passphrase-stdin"],
        PASS,
    );
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("which this profile does not know"), "{err}");
    assert_eq!(hq.ok(&["status", "--json"], "")["pending"], 0);

    // The real file: queued, synced, on the platform once.
    let first = hq.ok(
        &[
            "exchange",
            "import",
            path(&file),
            "--passphrase-stdin",
            "--json",
        ],
        PASS,
    );
    assert_eq!(first["imported"], 6, "{first}");
    assert_eq!(hq.ok(&["status", "--json"], "")["pending"], 6);
    hq.ok(&["sync", "--no-evidence"], "");
    let on_platform: HashSet<String> = held(&db).into_iter().collect();
    assert_eq!(on_platform, decided);
    // Sent: only the platform can change it now.
    let sent = hq.run_with(&["undo", &ids[0]], "");
    assert_eq!(sent.status.code(), Some(2));
    let err = String::from_utf8_lossy(&sent.stderr);
    assert!(err.contains("already been sent to the platform"), "{err}");

    // Imported again: nothing new; a sync changes nothing on the platform.
    let second = hq.ok(
        &[
            "exchange",
            "import",
            path(&file),
            "--passphrase-stdin",
            "--json",
        ],
        PASS,
    );
    assert_eq!(second["imported"], 0, "{second}");
    assert_eq!(second["already_present"], 6, "{second}");
    hq.ok(&["sync", "--no-evidence"], "");
    assert_eq!(held(&db).len(), 6);

    // When the regiment gets a link and syncs its own copies, the platform still has each once.
    p.login(&regiment);
    regiment.ok(&["sync", "--no-evidence"], "");
    let status = regiment.ok(&["status", "--json"], "");
    assert_eq!(status["pending"], 0, "{status}");
    assert_eq!(status["conflicts"], 0, "{status}");
    assert_eq!(held(&db).len(), 6);
    let _ = std::fs::remove_dir_all(&dir);
}
