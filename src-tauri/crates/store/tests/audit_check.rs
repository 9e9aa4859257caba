//! The audit chain is checked each time a profile opens, from the entry verified last (#17): a
//! change, a truncation, and the removal of every entry together with the stored head are all
//! found, and a profile that was not touched opens clean.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{approve, fill, key_from, now, open};
use jxjy_store::queries::QueueFilter;
use jxjy_store::Store;

fn reopen(home: &jxjy_store::Home, p: &jxjy_store::ProfileName) -> Store {
    Store::open(home, p, &key_from(1)).unwrap()
}

/// Who edits the file drops the append-only triggers first.
const UNGUARD: &str = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;";

fn decide_some(store: &mut Store, n: usize, tag: &str) {
    let rows = store
        .queue(&QueueFilter {
            status: Some(jxjy_core::Status::PendingUnitReview),
            review_state: Some(jxjy_core::ReviewState::Open),
            limit: n as u32,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows;
    assert_eq!(rows.len(), n);
    for (i, r) in rows.iter().enumerate() {
        let d = approve(store, &r.id, &format!("{tag}-{i}"));
        store.decide(&d, now()).unwrap();
    }
}

#[test]
fn an_untouched_profile_opens_clean_and_each_open_checks_only_what_is_new() {
    let (home, p, mut store) = open("audit-clean");
    fill(&mut store, 10, 5, 4);
    decide_some(&mut store, 3, "a");
    drop(store);
    let store = reopen(&home, &p);
    let r = store.audit_at_open();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.entries, 3);
    let mut store = store;
    decide_some(&mut store, 2, "b");
    drop(store);
    let store = reopen(&home, &p);
    assert!(store.audit_at_open().ok());
    assert_eq!(store.audit_at_open().entries, 5);
}

#[test]
fn removing_every_entry_with_the_head_is_found_at_the_next_open() {
    let (home, p, mut store) = open("audit-wipe");
    fill(&mut store, 10, 5, 4);
    decide_some(&mut store, 3, "a");
    drop(store);
    // Opened once: the chain is verified and the checkpoint set.
    let store = reopen(&home, &p);
    assert!(store.audit_at_open().ok());
    store
        .raw_connection()
        .execute_batch(&format!(
            "{UNGUARD} DELETE FROM audit_log; DELETE FROM meta WHERE key = 'audit_head';"
        ))
        .unwrap();
    // A walk from the start sees an empty, consistent chain…
    assert!(store.verify_audit().unwrap().ok());
    drop(store);
    // …but the next open knows entry 3 was verified before.
    let store = reopen(&home, &p);
    let problem = store.audit_at_open().problem.clone().unwrap();
    assert!(
        problem.contains("entry 3, verified before, was changed or removed"),
        "{problem}"
    );
}

#[test]
fn a_changed_new_entry_and_a_truncation_are_found_at_open() {
    let (home, p, mut store) = open("audit-edit");
    fill(&mut store, 10, 5, 4);
    decide_some(&mut store, 2, "a");
    drop(store);
    let mut store = reopen(&home, &p);
    assert!(store.audit_at_open().ok());
    decide_some(&mut store, 2, "b");
    store
        .raw_connection()
        .execute_batch(&format!(
            "{UNGUARD} UPDATE audit_log SET actor = 'someone-else' WHERE seq = 4;"
        ))
        .unwrap();
    drop(store);
    let store = reopen(&home, &p);
    let problem = store.audit_at_open().problem.clone().unwrap();
    assert_eq!(problem, "entry 4 was changed");

    // Truncated back past the checkpoint (entry 2): found as well.
    let (home, p, mut store) = open("audit-cut");
    fill(&mut store, 10, 5, 4);
    decide_some(&mut store, 3, "a");
    drop(store);
    let store = reopen(&home, &p);
    assert!(store.audit_at_open().ok());
    store
        .raw_connection()
        .execute_batch(&format!(
            "{UNGUARD} DELETE FROM audit_log WHERE seq > 1;
             UPDATE meta SET value = (SELECT seq || ':' || hash FROM audit_log WHERE seq = 1) WHERE key = 'audit_head';"
        ))
        .unwrap();
    drop(store);
    let store = reopen(&home, &p);
    assert!(!store.audit_at_open().ok());
}
