//! The encrypted store on disk: keys, profiles, schema, deciding, audit, queries, evidence.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::decision::Outcome;
use jxjy_core::{Flag, Hours, Status};
use jxjy_store::queries::{QueueFilter, SortKey};
use jxjy_store::{Store, StoreError};

#[test]
fn a_wrong_key_is_a_clear_error() {
    let (home, p, store) = open("wrong");
    drop(store);
    let err = Store::open(&home, &p, &key_from(9)).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey { .. }), "{err}");
    assert!(err.message_zh().contains("不匹配"));
}

#[test]
fn a_version_1_database_is_brought_to_the_latest_schema() {
    let (home, p, store) = open("upgrade");
    // Make it look like a database written by the first release.
    store
        .raw_connection()
        .execute_batch(
            "DROP INDEX decisions_batch;
             ALTER TABLE decisions DROP COLUMN batch;
             ALTER TABLE decisions DROP COLUMN seen_doc;
             ALTER TABLE declarations DROP COLUMN claimed_absent;
             DROP INDEX declarations_status_form_end;
             DROP TABLE spotcheck_items;
             DROP TABLE spotcheck_packs;
             DROP TABLE declaration_reading;
             DROP TABLE evidence_readings;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    drop(store);
    let store = Store::open(&home, &p, &key_from(1)).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    let n: i64 = store
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM pragma_table_info('decisions') WHERE name = 'seen_doc'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    let packs: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM spotcheck_packs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(packs, 0, "v4 made the spot-check tables");
}

#[test]
fn an_older_binary_refuses_a_newer_database() {
    let (home, p, store) = open("newer");
    store
        .raw_connection()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    drop(store);
    let err = Store::open(&home, &p, &key_from(1)).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 99,
                supported: 7
            }
        ),
        "{err}"
    );
    assert!(err.message_zh().contains("请升级程序"));
}

#[test]
fn profiles_are_separate() {
    keyring();
    let home = temp_home();
    let a = profile("a");
    let b = profile("b");
    let mut sa = Store::open(&home, &a, &key_from(1)).unwrap();
    let sb = Store::open(&home, &b, &key_from(2)).unwrap();
    fill(&mut sa, 3, 2, 1);
    assert!(sa.dashboard().unwrap().total > 0);
    assert_eq!(sb.dashboard().unwrap().total, 0);
    assert_eq!(home.profiles().unwrap().len(), 2);
}

#[test]
fn nothing_readable_at_rest() {
    let (home, p, mut store) = open("rest");
    let decls = fill(&mut store, 20, 5, 3);
    let input = store.load_input(2019).unwrap();
    let row = first_open_pending(&store);
    store
        .decide(
            &approve(&store, &row.id, "token-like-secret-0123456789"),
            now(),
        )
        .unwrap();
    let sha = decls
        .iter()
        .find_map(|d| d.evidence.first())
        .unwrap()
        .sha256
        .clone();
    // Make that evidence file real: register bytes with the hash the declaration names.
    let bytes = b"%PDF-1.4 evidence of 650102198001011234".to_vec();
    let real_sha = sha256_hex(&bytes);
    store
        .raw_connection()
        .execute(
            "UPDATE evidence SET sha256 = ?1, size = ?2 WHERE sha256 = ?3",
            rusqlite::params![real_sha, bytes.len() as i64, sha],
        )
        .unwrap();
    store.put_evidence(&real_sha, &bytes).unwrap();
    drop(store);

    let dir = home.profile_dir(&p);
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        if data.is_empty() {
            continue;
        }
        files += 1;
        let found = |needle: &[u8]| data.windows(needle.len()).any(|w| w == needle);
        assert!(
            !found(b"SQLite format 3"),
            "{} has a plain SQLite header",
            path.display()
        );
        for s in input.staff.iter().take(20) {
            assert!(
                !found(s.id_number.as_bytes()),
                "ID number in {}",
                path.display()
            );
            assert!(!found(s.name.as_bytes()), "name in {}", path.display());
        }
        assert!(
            !found(b"token-like-secret"),
            "decision key in {}",
            path.display()
        );
        assert!(
            !found(b"%PDF-1.4 evidence"),
            "evidence bytes in {}",
            path.display()
        );
        assert!(
            !found("国家级学术会议".as_bytes()),
            "explanations in {}",
            path.display()
        );
    }
    assert!(files >= 1);
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn deciding_writes_decision_outbox_and_audit_together() {
    let (_h, _p, mut store) = open("decide");
    fill(&mut store, 10, 5, 2);
    let row = first_open_pending(&store);
    let rec = store
        .decide(&approve(&store, &row.id, "k1"), now())
        .unwrap();
    assert_eq!(rec.state, jxjy_core::DecisionState::Pending);
    assert_eq!(store.outbox().unwrap().len(), 1);
    let view = store.declaration(&row.id).unwrap();
    assert_eq!(view.review_state, jxjy_core::ReviewState::Decided);
    assert_eq!(view.decisions.len(), 1);
    let history = store.history(&row.id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "decide");
    assert_eq!(history[0].actor, "reviewer01");
    assert_eq!(history[0].after.as_ref().unwrap()["key"], "k1");
    assert_eq!(store.dashboard().unwrap().pending_upload, 1);

    // Changing one's mind before sending supersedes the first decision, audited.
    let v = view.declaration.version;
    let ret = decision(
        &row.id,
        v,
        Outcome::Return,
        None,
        Some("证明材料不清晰，请重新上传"),
        "k2",
    );
    store.decide(&ret, now()).unwrap();
    let outbox = store.outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].key, "k2");
    let states: Vec<jxjy_core::DecisionState> = store
        .decisions_for(&row.id)
        .unwrap()
        .into_iter()
        .map(|d| d.state)
        .collect();
    assert_eq!(
        states,
        vec![
            jxjy_core::DecisionState::Superseded,
            jxjy_core::DecisionState::Pending
        ]
    );
    assert_eq!(store.history(&row.id).unwrap().len(), 2);
    assert!(store.verify_audit().unwrap().ok());
}

#[test]
fn the_core_validates_before_anything_is_written() {
    let (_h, _p, mut store) = open("validate");
    fill(&mut store, 10, 5, 2);
    let row = first_open_pending(&store);
    let v = row.version;
    let credited = row.credited_hours.unwrap();
    assert!(
        credited >= Hours::whole(1),
        "a row the rule credits: {credited}"
    );
    let computed = store
        .declaration(&row.id)
        .unwrap()
        .evaluation
        .unwrap()
        .computed_hours;
    let cases = [
        (
            decision(&row.id, v, Outcome::Return, None, None, "a"),
            "须填写原因",
        ),
        (
            decision(&row.id, v, Outcome::Reject, None, Some("  "), "b"),
            "须填写原因",
        ),
        (
            decision(
                &row.id,
                v,
                Outcome::Approve,
                Some(credited - Hours::whole(1)),
                None,
                "c",
            ),
            "须填写原因",
        ),
        (
            decision(
                &row.id,
                v,
                Outcome::Approve,
                Some(computed + Hours::whole(5)),
                Some("证书写明更多学时"),
                "c2",
            ),
            "只能少计，不能多计",
        ),
        (
            decision(&row.id, v + 1, Outcome::Return, None, Some("x"), "d"),
            "已在平台上更新",
        ),
    ];
    for (d, zh) in cases {
        let err = store.decide(&d, now()).unwrap_err();
        assert!(
            err.message_zh().contains(zh),
            "{err} / {}",
            err.message_zh()
        );
    }
    // A lower credit with a reason is fine.
    let mut d = decision(
        &row.id,
        v,
        Outcome::Approve,
        Some(credited - Hours::whole(1)),
        Some("主办单位补充证明"),
        "e",
    );
    d.category = Some(row.category);
    store.decide(&d, now()).unwrap();
    assert_eq!(store.outbox().unwrap().len(), 1);
    assert_eq!(store.verify_audit().unwrap().entries, 1);

    // An approved declaration is not in unit review.
    let approved = store
        .queue(&QueueFilter {
            status: Some(Status::UnitApproved),
            limit: 1,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows
        .remove(0);
    let err = store
        .decide(
            &decision(
                &approved.id,
                approved.version,
                Outcome::Return,
                None,
                Some("x"),
                "f",
            ),
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::NotReviewable { .. }));
}

#[test]
fn the_audit_log_is_append_only_and_tampering_is_detected() {
    let (_h, _p, mut store) = open("audit");
    fill(&mut store, 10, 6, 4);
    let ids: Vec<String> = store
        .queue(&QueueFilter {
            status: Some(Status::PendingUnitReview),
            limit: 5,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let mut d = approve(&store, id, &format!("key-{i}"));
        d.reason = Some("ok".into());
        store.decide(&d, now()).unwrap();
    }
    store
        .reveal_id_number(
            &store.declaration(&ids[0]).unwrap().declaration.staff_id,
            "reviewer01",
            now(),
        )
        .unwrap();
    assert_eq!(
        store.verify_audit().unwrap(),
        jxjy_store::audit::AuditReport {
            entries: 6,
            problem: None
        }
    );

    let conn = store.raw_connection();
    assert!(
        conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", [])
            .is_err(),
        "trigger refuses"
    );
    assert!(
        conn.execute("DELETE FROM audit_log WHERE seq = 2", [])
            .is_err(),
        "trigger refuses"
    );

    let mut out = Vec::new();
    assert_eq!(store.export_audit(&mut out).unwrap(), 6);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 6);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["seq"], 1);

    // Someone with the key drops the triggers and edits, inserts, deletes.
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    let snapshot: Vec<(i64, String)> = conn
        .prepare("SELECT seq, actor FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(snapshot.len(), 6);

    conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3", [])
        .unwrap();
    let r = store.verify_audit().unwrap();
    assert_eq!(r.problem.as_deref(), Some("entry 3 was changed"));
    conn.execute(
        "UPDATE audit_log SET actor = 'reviewer01' WHERE seq = 3",
        [],
    )
    .unwrap();
    assert!(
        store.verify_audit().unwrap().ok(),
        "restoring the row restores the chain"
    );

    conn.execute("DELETE FROM audit_log WHERE seq = 4", [])
        .unwrap();
    assert!(
        !store.verify_audit().unwrap().ok(),
        "a deleted entry is detected"
    );
}

#[test]
fn inserted_and_truncated_entries_are_detected() {
    let (_h, _p, mut store) = open("audit2");
    fill(&mut store, 10, 6, 4);
    let rows = store
        .queue(&QueueFilter {
            status: Some(Status::PendingUnitReview),
            limit: 3,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows;
    for (i, r) in rows.iter().enumerate() {
        let mut d = approve(&store, &r.id, &format!("key-{i}"));
        d.reason = Some("ok".into());
        store.decide(&d, now()).unwrap();
    }
    let conn = store.raw_connection();
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    // An inserted entry at the end that copies the shape but not the chain.
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, before, after, prev_hash, hash)
         SELECT 4, at, actor, action, entity, before, after, hash, hash FROM audit_log WHERE seq = 3",
        [],
    )
    .unwrap();
    assert!(
        !store.verify_audit().unwrap().ok(),
        "an inserted entry is detected"
    );
    conn.execute("DELETE FROM audit_log WHERE seq = 4", [])
        .unwrap();
    assert!(store.verify_audit().unwrap().ok());
    // Removing the newest entry: the chain alone looks fine, the head says otherwise.
    conn.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    let r = store.verify_audit().unwrap();
    assert_eq!(
        r.problem.as_deref(),
        Some("entries after 2 up to 3 were removed")
    );
}

#[test]
fn queue_filters_sorts_pages_and_masks() {
    let (_h, _p, mut store) = open("queue");
    let decls = fill(&mut store, 60, 8, 5);
    let all = store
        .queue(&QueueFilter {
            limit: 500,
            ..QueueFilter::default()
        })
        .unwrap();
    assert_eq!(all.total as usize, decls.len());

    let pending = store
        .queue(&QueueFilter {
            status: Some(Status::PendingUnitReview),
            limit: 10,
            ..QueueFilter::default()
        })
        .unwrap();
    let expected = decls
        .iter()
        .filter(|d| d.status == Status::PendingUnitReview)
        .count();
    assert_eq!(pending.total as usize, expected);
    assert_eq!(pending.rows.len(), 10);
    assert!(
        pending
            .rows
            .windows(2)
            .all(|w| w[0].end_date <= w[1].end_date),
        "sorted by end date"
    );
    for r in &pending.rows {
        let masked = r.id_number_masked.as_deref().unwrap_or("");
        assert!(masked.contains("**********"), "{masked}");
    }
    let page2 = store
        .queue(&QueueFilter {
            status: Some(Status::PendingUnitReview),
            limit: 10,
            offset: 10,
            ..QueueFilter::default()
        })
        .unwrap();
    assert!(
        page2
            .rows
            .iter()
            .all(|r| pending.rows.iter().all(|p| p.id != r.id)),
        "pages do not overlap"
    );

    let flagged = store
        .queue(&QueueFilter {
            flag: Some(Flag::HoursMismatch),
            limit: 500,
            ..QueueFilter::default()
        })
        .unwrap();
    assert!(flagged.total > 0);
    assert!(flagged
        .rows
        .iter()
        .all(|r| r.flags.contains(&Flag::HoursMismatch)));

    // Search by a name fragment, and by the last digits of an ID number.
    let input = store.load_input(2019).unwrap();
    let someone = &input.staff[7];

    // One person: exactly their declarations, in every state.
    let theirs = store
        .queue(&QueueFilter {
            staff_id: Some(someone.id.clone()),
            limit: 500,
            ..QueueFilter::default()
        })
        .unwrap();
    let mut expected: Vec<&str> = decls
        .iter()
        .filter(|d| d.staff_id == someone.id)
        .map(|d| d.id.as_str())
        .collect();
    let mut got: Vec<&str> = theirs.rows.iter().map(|r| r.id.as_str()).collect();
    expected.sort_unstable();
    got.sort_unstable();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
    assert_eq!(theirs.total as usize, expected.len());
    let frag: String = someone.name.chars().skip(1).collect();
    let by_name = store
        .queue(&QueueFilter {
            search: Some(frag.clone()),
            limit: 500,
            ..QueueFilter::default()
        })
        .unwrap();
    assert!(by_name.rows.iter().any(|r| r.staff_id == someone.id));
    assert!(by_name
        .rows
        .iter()
        .all(|r| r.staff_name.as_deref().unwrap_or("").contains(&frag) || r.id.contains(&frag)));
    // The last four digits are what the mask shows (hidden ones find nothing: tests/id_mask.rs).
    let tail = &someone.id_number[14..];
    let by_id = store
        .queue(&QueueFilter {
            search: Some(tail.into()),
            limit: 500,
            ..QueueFilter::default()
        })
        .unwrap();
    assert!(by_id.rows.iter().any(|r| r.staff_id == someone.id));
    // LIKE wildcards in the search are literal.
    let none = store
        .queue(&QueueFilter {
            search: Some("%".into()),
            ..QueueFilter::default()
        })
        .unwrap();
    assert_eq!(none.total, 0);
    // A search that looks like SQL is only text.
    let sql = store
        .queue(&QueueFilter {
            search: Some("' OR 1=1 --".into()),
            ..QueueFilter::default()
        })
        .unwrap();
    assert_eq!(sql.total, 0);

    let by_name_sorted = store
        .queue(&QueueFilter {
            sort: SortKey::ClaimedHours,
            descending: true,
            limit: 50,
            ..QueueFilter::default()
        })
        .unwrap();
    assert!(by_name_sorted
        .rows
        .windows(2)
        .all(|w| w[0].claimed_hours >= w[1].claimed_hours));

    let staff = store.staff(&someone.id).unwrap().unwrap();
    assert_eq!(
        staff.id_number_masked,
        jxjy_core::idnumber::mask(&someone.id_number)
    );
    assert_eq!(
        store
            .reveal_id_number(&someone.id, "reviewer01", now())
            .unwrap(),
        someone.id_number
    );
    let audit = store.verify_audit().unwrap();
    assert_eq!(audit.entries, 1, "revealing is audited");
}

#[test]
fn declaration_view_has_evaluation_evidence_and_ledger() {
    let (_h, _p, mut store) = open("view");
    let decls = fill(&mut store, 10, 8, 6);
    let d = decls
        .iter()
        .find(|d| !d.evidence.is_empty() && d.staff_id != "X-S00000")
        .unwrap();
    let view = store.declaration(&d.id).unwrap();
    assert_eq!(&view.declaration, d);
    let eval = view.evaluation.unwrap();
    assert!(eval.explanation.contains("学时"));
    assert_eq!(view.evidence.len(), d.evidence.len());
    assert_eq!(view.evidence[0].state, "missing");
    assert!(view.staff.unwrap().id_number_masked.contains('*'));
    let ledger = view.ledger.unwrap();
    assert_eq!(ledger.staff_id, d.staff_id);
    let dash = store.dashboard().unwrap();
    assert_eq!(dash.total as usize, decls.len());
    assert!(dash.to_review > 0 && dash.to_review_flagged <= dash.to_review);
}

/// Fills a small unit and gives one of its declarations a single evidence file of `bytes`, as
/// a pull would; returns the file's SHA-256 (nothing is stored for it yet).
fn declare_file(store: &mut Store, bytes: &[u8], file_name: &str, media_type: &str) -> String {
    let sha = sha256_hex(bytes);
    let mut d = fill(store, 2, 3, 7)
        .into_iter()
        .find(|d| d.staff_id != "X-S00000")
        .unwrap();
    d.evidence = vec![jxjy_core::Evidence {
        id: "E1".into(),
        file_name: file_name.into(),
        media_type: media_type.into(),
        size: bytes.len() as u64,
        sha256: sha.clone(),
    }];
    store
        .apply_page(
            &jxjy_store::import::PullPage {
                scope: jxjy_core::SyncScope::Declarations,
                declarations: vec![d],
                cursor: "x".into(),
                ..jxjy_store::import::PullPage::empty(jxjy_core::SyncScope::Declarations)
            },
            now(),
        )
        .unwrap();
    sha
}

#[test]
fn evidence_is_verified_when_stored_and_when_read() {
    let (_h, _p, mut store) = open("evidence");
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let sha = declare_file(&mut store, &bytes, "证书.pdf", "application/pdf");
    assert!(store
        .read_evidence(&sha)
        .unwrap_err()
        .to_string()
        .contains("not downloaded"));

    // Resumable: two chunks, the second at the end of the first.
    assert_eq!(
        store.append_evidence(&sha, 0, &bytes[..4000]).unwrap(),
        4000
    );
    assert!(
        store.append_evidence(&sha, 100, &bytes[4000..]).is_err(),
        "must append at the end"
    );
    assert_eq!(store.evidence_progress(&sha).unwrap(), Some((4000, 10_000)));
    store.append_evidence(&sha, 4000, &bytes[4000..]).unwrap();
    store.finish_evidence(&sha).unwrap();
    assert_eq!(store.read_evidence(&sha).unwrap(), bytes);

    // A flipped byte at rest is caught on read.
    store.raw_connection().execute(
        "UPDATE evidence_chunks SET data = zeroblob(length(data)) WHERE sha256 = ?1 AND offset = 0", [&sha]).unwrap();
    let err = store.read_evidence(&sha).unwrap_err();
    assert!(err.to_string().contains("do not match"), "{err}");
    // Wrong content is refused on put.
    assert!(store.put_evidence(&sha, b"something else").is_err());
}

/// A large file goes in and comes out in bounded chunks: stored as pieces of at most 256 KiB
/// whatever size it was written in, read back through a reader that verifies at the end.
#[test]
fn evidence_is_stored_and_read_a_chunk_at_a_time() {
    use std::io::Read;
    let (_h, _p, mut store) = open("evidence-chunks");
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let sha = declare_file(&mut store, &bytes, "扫描件.jpg", "image/jpeg");
    store.put_evidence(&sha, &bytes).unwrap();
    let conn = store.raw_connection();
    let (chunks, largest): (i64, i64) = conn
        .query_row(
            "SELECT count(*), max(length(data)) FROM evidence_chunks WHERE sha256 = ?1",
            [&sha],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(chunks, 12, "3,000,000 bytes in pieces of 256 KiB");
    assert!(largest <= 256 * 1024);
    // A small read buffer sees the whole file, in order, and the end verifies.
    let mut reader = store.open_evidence(&sha).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 1000];
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    assert_eq!(out, bytes);
    // A changed chunk in the middle: the reader fails at its end, never reports success.
    conn.execute(
        "UPDATE evidence_chunks SET data = zeroblob(length(data)) WHERE sha256 = ?1 AND offset = ?2",
        rusqlite::params![&sha, 5 * 256 * 1024],
    )
    .unwrap();
    let mut sink = Vec::new();
    let err = store
        .open_evidence(&sha)
        .unwrap()
        .read_to_end(&mut sink)
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    // A missing chunk is an error too, not a shorter file.
    conn.execute(
        "DELETE FROM evidence_chunks WHERE sha256 = ?1 AND offset = ?2",
        rusqlite::params![&sha, 5 * 256 * 1024],
    )
    .unwrap();
    assert!(store
        .open_evidence(&sha)
        .unwrap()
        .read_to_end(&mut sink)
        .is_err());
}

#[test]
fn tombstones_keep_decisions() {
    let (_h, _p, mut store) = open("tomb");
    fill(&mut store, 10, 5, 8);
    let row = first_open_pending(&store);
    store
        .decide(&approve(&store, &row.id, "kt"), now())
        .unwrap();
    store
        .apply_page(
            &jxjy_store::import::PullPage {
                scope: jxjy_core::SyncScope::Declarations,
                tombstones: vec![row.id.clone()],
                cursor: "t".into(),
                ..jxjy_store::import::PullPage::empty(jxjy_core::SyncScope::Declarations)
            },
            now(),
        )
        .unwrap();
    assert_eq!(
        store
            .cursor(jxjy_core::SyncScope::Declarations)
            .unwrap()
            .as_deref(),
        Some("t")
    );
    assert!(store.declaration(&row.id).unwrap().withdrawn);
    assert_eq!(
        store.outbox().unwrap().len(),
        1,
        "the unsynced decision stays"
    );
    let q = store
        .queue(&QueueFilter {
            search: Some(row.id.clone()),
            ..QueueFilter::default()
        })
        .unwrap();
    assert_eq!(q.total, 0, "withdrawn items leave the queue");
}

#[test]
fn a_page_without_its_total_has_the_same_rows_and_status_with_form_is_served_by_an_index() {
    let (_h, _p, mut store) = open("skip-total");
    fill(&mut store, 20, 8, 4);
    let filter = QueueFilter {
        status: Some(Status::PendingUnitReview),
        form: Some(jxjy_core::Form::OnlineCourse),
        offset: 3,
        limit: 10,
        ..QueueFilter::default()
    };
    let with = store.queue(&filter).unwrap();
    assert!(with.total > 0);
    let without = store
        .queue(&QueueFilter {
            skip_total: true,
            ..filter.clone()
        })
        .unwrap();
    assert_eq!(without.total, -1);
    assert_eq!(without.rows, with.rows);
    let plan: Vec<String> = store
        .raw_connection()
        .prepare(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM declarations d
             WHERE d.deleted = 0 AND d.status = 'pending_unit_review' AND d.form = 'online_course'",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        plan.iter()
            .any(|p| p.contains("COVERING INDEX declarations_status_form_end")),
        "{plan:?}"
    );
}

/// The one declaration writer refuses an evidence record that names no file this program will
/// fetch (a non-hex hash, a size over the limit), for every way declarations arrive; the
/// whole document is refused and nothing of it is stored.
#[test]
fn crafted_evidence_records_are_refused_by_the_writer() {
    let (_h, _p, mut store) = open("evidence-records");
    let mut input = jxjy_core::synth::generate(&jxjy_core::synth::SynthParams {
        staff: 3,
        declarations_per_staff: 6,
        seed: 5,
        ..Default::default()
    });
    let i = input
        .declarations
        .iter()
        .position(|d| !d.evidence.is_empty())
        .unwrap();
    for (edit, expected) in [
        (
            (|e: &mut jxjy_core::Evidence| e.sha256 = "../../etc/passwd".into())
                as fn(&mut jxjy_core::Evidence),
            "64 hexadecimal",
        ),
        (|e| e.size = 60 << 20, "over the limit"),
    ] {
        let mut bad = input.clone();
        edit(&mut bad.declarations[i].evidence[0]);
        let err = store.import_input(&bad).unwrap_err();
        assert!(
            matches!(err, StoreError::BadEvidenceRecord { .. })
                && err.to_string().contains(expected),
            "{err}"
        );
        assert!(err.message_zh().contains("证明材料记录不合规"));
        assert_eq!(store.queue(&QueueFilter::default()).unwrap().total, 0);
    }
    input.declarations.truncate(i + 1);
    store.import_input(&input).unwrap();
    assert_eq!(
        store.queue(&QueueFilter::default()).unwrap().total,
        (i + 1) as i64
    );
}
