//! The review use cases on a real SQLCipher store (in-memory keyring): decide, batch approve,
//! and undo while a decision is on this PC — refused, with the reason, once it has left.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use jxjy_core::decision::Outcome;
use jxjy_core::synth::{generate, SynthParams};
use jxjy_core::{DecisionState, ReviewState, RuleSet, Status, SyncScope};
use jxjy_store::import::PullPage;
use jxjy_store::queries::QueueFilter;
use jxjy_store::sync_state::PushOutcome;
use jxjy_store::undo::UndoRefusal;
use jxjy_store::{Home, ProfileName, Store, StoreError};
use jxjy_usecases::review::{self, DecideRequest};
use jxjy_usecases::UseCaseError;
use std::sync::atomic::{AtomicU64, Ordering};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 15, 9, 30, 0).unwrap()
}

/// A logged-in profile holding an evaluated synthetic unit.
fn unit(tag: &str, logged_in: bool) -> Store {
    static N: AtomicU64 = AtomicU64::new(0);
    jxjy_store::keys::install(jxjy_store::keys::Backend::Memory);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("jxjy-uc-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let name = ProfileName::new(&format!("{tag}-{}-{n}", std::process::id())).unwrap();
    let mut store = jxjy_usecases::profile::set_up(&Home::new(dir), &name, "12345678")
        .unwrap()
        .store;
    let input = generate(&SynthParams {
        staff: 12,
        declarations_per_staff: 5,
        seed: 3,
        ..SynthParams::default()
    });
    store
        .apply_page(
            &PullPage {
                declarations: input.declarations,
                cursor: "d".into(),
                ..PullPage::empty(SyncScope::Declarations)
            },
            now(),
        )
        .unwrap();
    store
        .apply_page(
            &PullPage {
                staff: input.staff,
                cursor: "s".into(),
                ..PullPage::empty(SyncScope::Staff)
            },
            now(),
        )
        .unwrap();
    let today = NaiveDate::from_ymd_opt(2020, 1, 15).unwrap();
    store
        .reevaluate(&RuleSet::for_year(2019).unwrap(), 2019, today)
        .unwrap();
    if logged_in {
        store
            .set_login_meta("http://127.0.0.1:1", "reviewer01", "U01", "第一师", 2019)
            .unwrap();
    }
    store
}

/// Open declarations pending unit review; `flagged`: with or without flags.
fn open_ids(store: &Store, flagged: bool, n: usize) -> Vec<String> {
    store
        .queue(&QueueFilter {
            status: Some(Status::PendingUnitReview),
            review_state: Some(ReviewState::Open),
            flagged: Some(flagged),
            limit: n as u32,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn approve(id: &str) -> DecideRequest {
    DecideRequest {
        declaration_id: id.to_owned(),
        declaration_version: None,
        outcome: Outcome::Approve,
        credited_hours: None,
        reason: None,
    }
}

fn refusal(e: UseCaseError) -> UndoRefusal {
    match e {
        UseCaseError::Store(StoreError::CannotUndo { why, .. }) => why,
        other => panic!("expected a refused undo, got {other}"),
    }
}

#[test]
fn undo_takes_a_queued_decision_back_with_an_audit_entry() {
    let mut store = unit("undo", true);
    let id = open_ids(&store, false, 1).remove(0);
    let rec = review::decide(&mut store, approve(&id), now()).unwrap();
    assert_eq!(rec.state, DecisionState::Pending);
    assert_eq!(store.outbox().unwrap().len(), 1);

    let undone = review::undo(&mut store, &id, now()).unwrap();
    assert_eq!(undone.key, rec.key);
    assert_eq!(undone.state, DecisionState::Withdrawn);
    assert!(store.outbox().unwrap().is_empty(), "nothing left to send");
    let view = store.declaration(&id).unwrap();
    assert_eq!(view.review_state, ReviewState::Open, "back in the queue");
    assert_eq!(view.decisions[0].state, DecisionState::Withdrawn);
    let history = store.history(&id).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| h.action.as_str())
            .collect::<Vec<_>>(),
        ["decide", "undo"]
    );
    assert!(store.verify_audit().unwrap().ok());

    // Undone twice: nothing left to undo, and nothing changes.
    let again = review::undo(&mut store, &id, now()).unwrap_err();
    assert!(
        again.message_zh().contains("没有可撤销"),
        "{}",
        again.message_zh()
    );
    assert_eq!(refusal(again), UndoRefusal::Nothing);
    // And it can be decided again.
    review::decide(&mut store, approve(&id), now()).unwrap();
    assert_eq!(store.outbox().unwrap().len(), 1);
}

#[test]
fn a_decision_being_sent_or_sent_cannot_be_undone_here() {
    let mut store = unit("sent", true);
    let ids = open_ids(&store, false, 2);
    for id in &ids {
        review::decide(&mut store, approve(id), now()).unwrap();
    }
    let taken = store.take_outbox_batch(1).unwrap();
    let sending = taken[0].declaration_id.clone();
    let e = review::undo(&mut store, &sending, now()).unwrap_err();
    assert!(e.message_zh().contains("正在上传"), "{}", e.message_zh());
    assert_eq!(refusal(e), UndoRefusal::Sending);

    store
        .record_push_result(
            &taken[0].key,
            &PushOutcome::Applied { version: None },
            now(),
        )
        .unwrap();
    let e = review::undo(&mut store, &sending, now()).unwrap_err();
    assert!(
        e.message_zh().contains("已上传到平台"),
        "{}",
        e.message_zh()
    );
    assert!(e.to_string().contains("already been sent"), "{e}");
    assert_eq!(refusal(e), UndoRefusal::Sent);
    let view = store.declaration(&sending).unwrap();
    assert_eq!(view.decisions[0].state, DecisionState::Applied, "untouched");
    assert_eq!(view.review_state, ReviewState::Decided);
}

#[test]
fn a_batch_is_undone_as_one_except_what_already_left() {
    let mut store = unit("batch", true);
    let ids = open_ids(&store, false, 4);
    assert_eq!(ids.len(), 4, "the synthetic unit has clean items");
    let result = review::batch_approve(&mut store, &ids, now()).unwrap();
    assert_eq!(result.approved.len(), 4);
    assert!(store
        .outbox()
        .unwrap()
        .iter()
        .all(|d| d.batch.as_deref() == Some(result.batch.as_str())));

    // One item of the batch leaves before the undo.
    let sent = store.take_outbox_batch(1).unwrap().remove(0);
    store
        .record_push_result(&sent.key, &PushOutcome::Applied { version: None }, now())
        .unwrap();

    let undo = review::undo_batch(&mut store, &result.batch, now()).unwrap();
    assert_eq!(undo.undone.len(), 3);
    assert_eq!(undo.kept, vec![sent.declaration_id.clone()]);
    assert!(store.outbox().unwrap().is_empty());
    for id in &undo.undone {
        assert_eq!(
            store.declaration(id).unwrap().review_state,
            ReviewState::Open
        );
    }
    assert!(store.verify_audit().unwrap().ok());

    let unknown = review::undo_batch(&mut store, "no-such-batch", now()).unwrap_err();
    assert_eq!(unknown.code(), "not_found");
}

#[test]
fn deciding_needs_a_login_and_a_reviewable_declaration() {
    let mut store = unit("nologin", false);
    let id = open_ids(&store, false, 1).remove(0);
    let e = review::decide(&mut store, approve(&id), now()).unwrap_err();
    assert_eq!(e.code(), "not_allowed");
    assert!(store.outbox().unwrap().is_empty());

    let mut store = unit("stale", true);
    let id = open_ids(&store, false, 1).remove(0);
    let mut stale = approve(&id);
    stale.declaration_version = Some(99);
    let e = review::decide(&mut store, stale, now()).unwrap_err();
    assert_eq!(e.code(), "stale");
    assert!(e.is_input());

    let e = review::batch_approve(&mut store, &[], now()).unwrap_err();
    assert_eq!(e.message_zh(), "请先选择要通过的申报");
}

#[test]
fn the_view_says_why_a_declaration_cannot_be_decided() {
    let store = unit("why", true);
    let id = open_ids(&store, true, 1).remove(0);
    assert_eq!(store.declaration(&id).unwrap().cannot_decide, None);
    let other = store
        .queue(&QueueFilter {
            status: Some(Status::UnitApproved),
            limit: 1,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows;
    let row = other
        .first()
        .expect("the synthetic unit has approved items");
    let why = store.declaration(&row.id).unwrap().cannot_decide.unwrap();
    assert!(why.contains("初审通过"), "{why}");
}
