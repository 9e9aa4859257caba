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
    seal_with(1)
}

/// A seal whose signing-key seeds are made of `n` (each profile gets its own).
fn seal_with(n: u8) -> Seal<'static> {
    Seal {
        passphrase: PASS,
        salt: [1; 16],
        nonce_prefix: [2; 7],
        own_seed: [n; 32],
        introduce_seed: [n.wrapping_add(100); 32],
    }
}

/// The signing seed a snapshot hands to the regiment profile: anyone with the passphrase can
/// read it, as a regiment does when it imports the snapshot.
fn regiment_seed(snapshot: &[u8]) -> [u8; 32] {
    let mut o = jxjy_exchange::Opener::with_passphrase(snapshot, PASS).unwrap();
    let Some(Record::Manifest(m)) = o.next_record().unwrap() else {
        panic!("no manifest")
    };
    let m: serde_json::Value = serde_json::from_slice(&m).unwrap();
    let hex = m["signing_seed"].as_str().unwrap();
    let mut seed = [0u8; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    seed
}

/// A decisions file written by hand, as a changed program (or a person with the passphrase)
/// could: the items are authentic but their content is not what a decision may be.
fn crafted(user: &str, items: &[serde_json::Value], seed: &[u8; 32]) -> Vec<u8> {
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
    s.finish(&jxjy_exchange::Signer::from_seed(seed).unwrap())
        .unwrap()
        .0
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
    // b is the connected profile; its snapshot starts the regiment profile a.
    let b = &mut owned("ex-b", "reviewer01");
    let mut snapshot = Vec::new();
    b.export_snapshot(&mut snapshot, &seal_with(1), now())
        .unwrap();
    let regiment = regiment_seed(&snapshot);
    let rows = pending_clean(b);
    let one = &rows[0];
    let two = rows[1..]
        .iter()
        .find(|r| r.credited_hours.is_some_and(|h| h.as_f64() >= 1.0))
        .unwrap();
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
    changed["credited_hours"] = json!((two.credited_hours.unwrap().as_f64() - 0.5).max(0.0));
    let mut someone_else = base(&two.id, "bad-3");
    someone_else["reviewer"] = json!("reviewer02");
    // Made with the regiment's key by hand, as a changed program could: the content checks
    // still apply.
    let file = crafted("reviewer01", &[no_reason, changed, someone_else], &regiment);
    let r = b
        .import_exchange(&file[..], PASS, "reviewer01", now())
        .unwrap();
    assert_eq!(r.imported, 0, "{r:?}");
    assert_eq!(r.skipped.len(), 3);
    assert!(r.skipped[0].reason.contains("须填写原因"), "{r:?}");
    assert!(r.skipped[1].reason.contains("须填写原因"), "{r:?}");
    assert!(r.skipped[2].reason.contains("不是本档案的审核人"), "{r:?}");
    assert_eq!(b.outbox().unwrap().len(), 0);

    // The regiment profile started from b's snapshot: its real export goes in, once.
    let (_h, _p, mut a) = open("ex-a");
    a.import_exchange(&snapshot[..], PASS, "reviewer01", now())
        .unwrap();
    let a = &mut a;
    let row = pending_clean(a).remove(0);
    a.decide(&approve(a, &row.id, "good-1"), now()).unwrap();
    let mut bytes = Vec::new();
    let out = a
        .export_decisions(&mut bytes, &seal_with(2), now())
        .unwrap();
    assert_eq!(out.decisions, 1);

    // The same decisions, sealed with the right passphrase by another profile of the same
    // reviewer (its own key), or unsigned: refused whole, nothing changed.
    let d = &mut owned("ex-d", "reviewer01");
    d.decide(&approve(d, &row.id, "forged-1"), now()).unwrap();
    let mut forged = Vec::new();
    d.export_decisions(&mut forged, &seal_with(3), now())
        .unwrap();
    let err = b
        .import_exchange(&forged[..], PASS, "reviewer01", now())
        .unwrap_err();
    assert!(matches!(err, StoreError::ExchangeSigner { .. }), "{err}");
    assert!(
        err.message_zh().contains("未导入任何内容"),
        "{}",
        err.message_zh()
    );
    assert_eq!(b.outbox().unwrap().len(), 0);
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

/// A regiment profile takes snapshots only from the profile it was started from, and a
/// connected profile takes none made by another; its own come back without changing its key.
#[test]
fn snapshots_come_only_from_the_profile_that_started_the_regiment() {
    let hq = &mut owned("sig-hq", "reviewer01");
    let mut first = Vec::new();
    hq.export_snapshot(&mut first, &seal_with(1), now())
        .unwrap();
    let hq_key = hq.signing_key().unwrap().unwrap();
    let other = &mut owned("sig-other", "reviewer01");
    let mut foreign = Vec::new();
    other
        .export_snapshot(&mut foreign, &seal_with(5), now())
        .unwrap();

    let (_h, _p, mut regiment) = open("sig-regiment");
    regiment
        .import_exchange(&first[..], PASS, "reviewer01", now())
        .unwrap();
    let taken = regiment.signing_key().unwrap().unwrap();
    assert_ne!(taken, hq_key, "the regiment signs with a key of its own");
    let err = regiment
        .import_exchange(&foreign[..], PASS, "reviewer01", now())
        .unwrap_err();
    assert!(matches!(err, StoreError::ExchangeSigner { .. }), "{err}");
    assert_eq!(
        regiment.signing_key().unwrap(),
        Some(taken),
        "nothing changed"
    );
    // A newer snapshot of hq: accepted, with a newly introduced key hq also knows.
    let mut second = Vec::new();
    hq.export_snapshot(&mut second, &seal_with(7), now())
        .unwrap();
    assert_eq!(
        hq.signing_key().unwrap(),
        Some(hq_key),
        "hq's own key stays"
    );
    regiment
        .import_exchange(&second[..], PASS, "reviewer01", now())
        .unwrap();
    assert_ne!(regiment.signing_key().unwrap(), Some(taken));

    // hq signs its own files: another's snapshot is refused, its own changes nothing.
    let err = hq
        .import_exchange(&foreign[..], PASS, "reviewer01", now())
        .unwrap_err();
    assert!(matches!(err, StoreError::ExchangeSigner { .. }), "{err}");
    hq.import_exchange(&second[..], PASS, "reviewer01", now())
        .unwrap();
    assert_eq!(hq.signing_key().unwrap(), Some(hq_key));
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
