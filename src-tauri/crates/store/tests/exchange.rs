//! Exchange files into a real store: decisions from another machine get the checks a decision
//! made here gets, and a file for another reviewer is refused whole.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::Status;
use jxjy_exchange::{Kind, Origin, Record, Sealer};
use jxjy_store::exchange::Seal;
use jxjy_store::queries::QueueFilter;
use jxjy_store::{Store, StoreError};
use serde_json::json;

const PASS: &str = "regiment-passphrase";

fn owned(tag: &str, user: &str) -> Store {
    let (_h, _p, mut s) = open(tag);
    fill(&mut s, 10, 4, 1);
    s.set_meta("username", user).unwrap();
    s.set_meta("unit_id", "U01").unwrap();
    s
}

fn seal() -> Seal<'static> {
    Seal {
        passphrase: PASS,
        salt: [1; 16],
        nonce_prefix: [2; 7],
    }
}

/// A decisions file written by hand, as a changed program (or a person with the passphrase)
/// could: the items are authentic but their content is not what a decision may be.
fn crafted(user: &str, items: &[serde_json::Value]) -> Vec<u8> {
    let origin = Origin {
        kind: Kind::Decisions,
        created_at: "2020-01-15T09:30:00Z".into(),
        origin: "crafted".into(),
    };
    let mut s = Sealer::with_passphrase(Vec::new(), origin, PASS, [3; 16], [4; 7]).unwrap();
    let manifest = json!({"owner": {"username": user, "unit_id": "U01"}, "profile": "x",
                          "server": null, "count": items.len()});
    s.record(&Record::Manifest(manifest.to_string().into_bytes()))
        .unwrap();
    for i in items {
        let item = json!({"decision": i, "seen_doc": null, "audit": []});
        s.record(&Record::Item(item.to_string().into_bytes()))
            .unwrap();
    }
    s.finish().unwrap().0
}

fn pending_clean(s: &Store) -> Vec<jxjy_store::queries::QueueRow> {
    s.queue_all(&QueueFilter {
        status: Some(Status::PendingUnitReview),
        flagged: Some(false),
        ..QueueFilter::default()
    })
    .unwrap()
}

#[test]
fn imported_decisions_are_checked_like_local_ones() {
    let b = &mut owned("ex-b", "reviewer01");
    let rows = pending_clean(b);
    let (one, two) = (&rows[0], &rows[1]);
    let base = |id: &str, key: &str| {
        json!({"key": key, "declaration_id": id, "declaration_version": 1, "outcome": "approve",
               "credited_hours": 1.0, "category": "professional", "reason": null,
               "reviewer": "reviewer01", "decided_at": "2020-01-15T09:30:00Z", "state": "pending",
               "server_note": null})
    };
    let mut no_reason = base(&one.id, "bad-1");
    no_reason["outcome"] = json!("return");
    no_reason["credited_hours"] = json!(null);
    no_reason["category"] = json!(null);
    // Hours other than the computed ones, without a reason, on a version this profile holds.
    let mut changed = base(&two.id, "bad-2");
    changed["credited_hours"] = json!(one.credited_hours.unwrap().as_f64() + 999.0);
    let mut someone_else = base(&two.id, "bad-3");
    someone_else["reviewer"] = json!("reviewer02");
    let file = crafted("reviewer01", &[no_reason, changed, someone_else]);
    let r = b
        .import_exchange(&file[..], PASS, "reviewer01", now())
        .unwrap();
    assert_eq!(r.imported, 0, "{r:?}");
    assert_eq!(r.skipped.len(), 3);
    assert!(r.skipped[0].reason.contains("须填写原因"), "{r:?}");
    assert!(r.skipped[1].reason.contains("须填写原因"), "{r:?}");
    assert!(r.skipped[2].reason.contains("不是本档案的审核人"), "{r:?}");
    assert_eq!(b.outbox().unwrap().len(), 0);

    // A real export of another profile of the same reviewer goes in, once.
    let a = &mut owned("ex-a", "reviewer01");
    let row = pending_clean(a).remove(0);
    a.decide(&approve(a, &row.id, "good-1"), now()).unwrap();
    let mut bytes = Vec::new();
    let out = a.export_decisions(&mut bytes, &seal(), now()).unwrap();
    assert_eq!(out.decisions, 1);
    let r = b
        .import_exchange(&bytes[..], PASS, "reviewer01", now())
        .unwrap();
    assert_eq!((r.imported, r.skipped.len()), (1, 0), "{r:?}");
    let r = b
        .import_exchange(&bytes[..], PASS, "reviewer01", now())
        .unwrap();
    assert_eq!((r.imported, r.already_present), (0, 1));
    assert_eq!(b.outbox().unwrap().len(), 1);
    assert!(b.verify_audit().unwrap().ok());

    // Another reviewer's profile refuses the whole file.
    let c = &mut owned("ex-c", "reviewer02");
    let err = c
        .import_exchange(&bytes[..], PASS, "reviewer02", now())
        .unwrap_err();
    assert!(matches!(err, StoreError::ExchangeOwner { .. }), "{err}");
    assert!(err.message_zh().contains("未导入任何内容"));
    assert_eq!(c.outbox().unwrap().len(), 0);
}

/// A snapshot that would start a profile talking plain http to another computer is refused
/// whole, before a new profile takes anything from it.
#[test]
fn a_snapshot_presetting_plain_http_elsewhere_is_refused() {
    for (server, refused) in [
        ("http://192.168.1.10:8787", true),
        ("https://zj.example.cn", false),
        ("http://127.0.0.1:8787", false),
    ] {
        let mut a = owned(&format!("snap-{refused}"), "reviewer01");
        a.set_meta("server", server).unwrap();
        let mut file = Vec::new();
        a.export_snapshot(&mut file, &seal(), now()).unwrap();
        let (_h, _p, mut fresh) = open("snap-fresh");
        let result = fresh.import_exchange(&file[..], PASS, "reviewer01", now());
        if refused {
            let err = result.unwrap_err();
            assert!(matches!(err, StoreError::SnapshotAddress(_)), "{err:?}");
            assert!(err.message_zh().contains("https://192.168.1.10:8787"));
            assert_eq!(fresh.meta("server").unwrap(), None);
            assert_eq!(fresh.queue(&QueueFilter::default()).unwrap().total, 0);
        } else {
            result.unwrap();
            assert_eq!(fresh.meta("server").unwrap().as_deref(), Some(server));
        }
    }
}

/// A snapshot's rules serve offline but never stand in for the platform's (#17): importing one
/// makes the next sync that reaches the platform fetch the rules again, however recent the
/// last fetch was.
#[test]
fn a_snapshot_import_makes_the_next_sync_fetch_the_rules_again() {
    let mut a = owned("snap-rules-a", "reviewer01");
    a.set_meta(
        "rules_2019",
        &serde_json::to_string(&jxjy_core::RuleSet::for_year(2019).unwrap()).unwrap(),
    )
    .unwrap();
    let mut file = Vec::new();
    a.export_snapshot(&mut file, &seal(), now()).unwrap();
    let mut b = owned("snap-rules-b", "reviewer01");
    b.set_meta("rules_fetched_at", &now().to_rfc3339()).unwrap();
    b.import_exchange(&file[..], PASS, "reviewer01", now())
        .unwrap();
    assert_eq!(b.meta("rules_fetched_at").unwrap(), None);
    assert!(
        b.meta("rules_2019").unwrap().is_some(),
        "kept for offline work"
    );
}
