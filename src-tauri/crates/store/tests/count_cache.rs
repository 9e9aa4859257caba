//! The queue's counts are remembered, and never outlive a change: made by the same connection
//! (a decision in the review screens) or by another (the sync worker's).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::Status;
use jxjy_store::queries::QueueFilter;
use jxjy_store::Store;

fn open_pending() -> QueueFilter {
    QueueFilter {
        status: Some(Status::PendingUnitReview),
        review_state: Some(jxjy_core::ReviewState::Open),
        limit: 5,
        ..QueueFilter::default()
    }
}

/// What the count is, asked of the database directly.
fn truth(store: &Store) -> i64 {
    store
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM declarations
             WHERE deleted = 0 AND status = 'pending_unit_review' AND review_state = 'open'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_decision_on_the_same_connection_changes_the_count_at_once() {
    let (_home, _p, mut store) = open("count-same");
    fill(&mut store, 6, 5, 3);
    let before = store.queue(&open_pending()).unwrap();
    assert_eq!(before.total, truth(&store));
    // Asked again, unchanged: the same answer.
    assert_eq!(store.queue(&open_pending()).unwrap().total, before.total);

    let id = before.rows[0].id.clone();
    store.decide(&approve(&store, &id, "c-1"), now()).unwrap();
    let after = store.queue(&open_pending()).unwrap().total;
    assert_eq!(after, before.total - 1);
    assert_eq!(after, truth(&store));
}

#[test]
fn a_change_by_another_connection_changes_the_count() {
    let (home, p, mut store) = open("count-other");
    fill(&mut store, 6, 5, 4);
    let before = store.queue(&open_pending()).unwrap();

    // The sync worker's connection, as in the app.
    let mut worker = Store::open(&home, &p, &key_from(1)).unwrap();
    for (i, row) in before.rows.iter().take(3).enumerate() {
        worker
            .decide(&approve(&worker, &row.id, &format!("w-{i}")), now())
            .unwrap();
    }
    let after = store.queue(&open_pending()).unwrap().total;
    assert_eq!(after, before.total - 3);
    assert_eq!(after, truth(&store));
}

#[test]
fn each_filter_has_its_own_count() {
    let (_home, _p, mut store) = open("count-filters");
    fill(&mut store, 6, 5, 5);
    let all = store.queue(&QueueFilter::default()).unwrap().total;
    let pending = store.queue(&open_pending()).unwrap().total;
    let flagged = store
        .queue(&QueueFilter {
            flagged: Some(true),
            ..QueueFilter::default()
        })
        .unwrap()
        .total;
    assert!(pending < all && flagged < all, "{pending} {flagged} {all}");
    assert_eq!(store.queue(&QueueFilter::default()).unwrap().total, all);
    assert_eq!(store.queue(&open_pending()).unwrap().total, pending);
}
