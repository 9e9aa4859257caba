//! A store in a temporary home with the in-memory keyring, filled from the synthetic unit.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use jxjy_core::decision::{Decision, Outcome};
use jxjy_core::synth::{generate, SynthParams};
use jxjy_core::{Declaration, Hours, RuleSet};
use jxjy_store::import::PullPage;
use jxjy_store::{Home, ProfileName, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

pub fn keyring() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| jxjy_store::keys::install(jxjy_store::keys::Backend::Memory));
}

/// A fresh, empty home folder under the system temp dir.
pub fn temp_home() -> Home {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "jxjy-store-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Home::new(dir)
}

/// A unique profile per test: keyring entries are process-wide.
pub fn profile(tag: &str) -> ProfileName {
    static N: AtomicU64 = AtomicU64::new(0);
    ProfileName::new(&format!(
        "{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ))
    .unwrap()
}

/// A fixed database key: these tests are about the store, not the unlock (tests/unlock.rs).
pub fn key_from(seed: u8) -> jxjy_store::DbKey {
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = seed.wrapping_mul(31).wrapping_add(i as u8).wrapping_mul(7);
    }
    jxjy_store::Sensitive::new(k)
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 15, 9, 30, 0).unwrap()
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 15).unwrap()
}

pub fn open(tag: &str) -> (Home, ProfileName, Store) {
    keyring();
    let home = temp_home();
    let p = profile(tag);
    let store = Store::open(&home, &p, &key_from(1)).unwrap();
    (home, p, store)
}

/// Fills the store with a synthetic unit and evaluates it.
pub fn fill(store: &mut Store, staff: usize, per_staff: usize, seed: u64) -> Vec<Declaration> {
    let input = generate(&SynthParams {
        staff,
        declarations_per_staff: per_staff,
        seed,
        ..SynthParams::default()
    });
    for chunk in input.declarations.chunks(2_000) {
        let page = PullPage {
            scope: jxjy_core::SyncScope::Declarations,
            declarations: chunk.to_vec(),
            cursor: "c".into(),
            ..PullPage::empty(jxjy_core::SyncScope::Declarations)
        };
        store.apply_page(&page, now()).unwrap();
    }
    let page = PullPage {
        scope: jxjy_core::SyncScope::Staff,
        staff: input.staff.clone(),
        cursor: "s".into(),
        ..PullPage::empty(jxjy_core::SyncScope::Declarations)
    };
    store.apply_page(&page, now()).unwrap();
    store
        .reevaluate(&RuleSet::for_year(2019).unwrap(), 2019, today())
        .unwrap();
    input.declarations
}

/// An approval of the computed credit.
pub fn approve(store: &Store, id: &str, key: &str) -> Decision {
    let view = store.declaration(id).unwrap();
    let eval = view.evaluation.unwrap();
    Decision {
        declaration_id: id.into(),
        declaration_version: view.declaration.version,
        outcome: Outcome::Approve,
        credited_hours: Some(eval.credited_hours),
        category: Some(eval.category),
        reason: None,
        reviewer: "reviewer01".into(),
        decided_at: now(),
        idempotency_key: key.into(),
    }
}

pub fn decision(
    id: &str,
    version: u64,
    outcome: Outcome,
    hours: Option<Hours>,
    reason: Option<&str>,
    key: &str,
) -> Decision {
    Decision {
        declaration_id: id.into(),
        declaration_version: version,
        outcome,
        credited_hours: hours,
        category: hours.map(|_| jxjy_core::Category::Professional),
        reason: reason.map(str::to_owned),
        reviewer: "reviewer01".into(),
        decided_at: now(),
        idempotency_key: key.into(),
    }
}

/// The first open, unflagged declaration pending unit review.
pub fn first_open_pending(store: &Store) -> jxjy_store::queries::QueueRow {
    store
        .queue(&jxjy_store::queries::QueueFilter {
            status: Some(jxjy_core::Status::PendingUnitReview),
            review_state: Some(jxjy_core::ReviewState::Open),
            flagged: Some(false),
            limit: 1,
            ..jxjy_store::queries::QueueFilter::default()
        })
        .unwrap()
        .rows
        .remove(0)
}
