//! #17 item 1: a profile opens only with its unlock secret or its recovery code. The keyring
//! entries and the database file together open nothing; wrong attempts slow down and delete
//! nothing; a recovery sets a new secret and keeps every unsent decision. Time is passed in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{approve, fill, first_open_pending, keyring, now, profile, temp_home};
use jxjy_store::key_wrap::{Cost, Fresh};
use jxjy_store::unlock::{self, LockState, SetUpFresh};
use jxjy_store::{keys, memory_keyring, Sensitive, Store, StoreError};

/// Cheapest cost in bounds: these tests check who opens what, not the cost.
const CHEAP: Cost = Cost {
    m_kib: 8 * 1024,
    t: 1,
    p: 1,
};

fn fresh(n: u8) -> SetUpFresh {
    SetUpFresh {
        db_key: [n; 32],
        recovery: [n.wrapping_add(1); 16],
        wrap: Fresh {
            salts: [[n; 16], [n.wrapping_add(2); 16]],
            nonces: [[n; 12], [n.wrapping_add(3); 12]],
        },
    }
}

fn pending(store: &Store) -> i64 {
    store.sync_status().unwrap().pending
}

#[test]
fn the_keyring_and_the_database_file_open_nothing_without_the_secret() {
    keyring();
    let home = temp_home();
    let p = profile("nosecret");
    assert_eq!(unlock::lock_state(&home, &p).unwrap(), LockState::New);
    let opened = unlock::set_up(&home, &p, "246810", CHEAP, fresh(7)).unwrap();
    let mut store = Store::open(&home, &p, &opened.key).unwrap();
    fill(&mut store, 3, 2, 1);
    drop(store);
    assert_eq!(unlock::lock_state(&home, &p).unwrap(), LockState::Protected);

    // Everything the keyring holds for the profile, tried as the database key in every form a
    // thief might: raw bytes, hex, each 32-byte window of the decoded hex.
    let held = memory_keyring::secrets_of(p.as_str());
    assert_eq!(
        held.len(),
        1,
        "only the envelope: {:?}",
        held.iter().map(|h| &h.0).collect::<Vec<_>>()
    );
    let text = String::from_utf8(held[0].1.clone()).unwrap();
    assert!(
        !text.contains(&"07".repeat(32)),
        "the raw key is not stored"
    );
    let mut candidates: Vec<[u8; 32]> = Vec::new();
    for window in held[0].1.windows(32) {
        candidates.push(window.try_into().unwrap());
    }
    for word in text
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() >= 64)
    {
        let bytes: Vec<u8> = (0..word.len() / 2)
            .map(|i| u8::from_str_radix(&word[i * 2..i * 2 + 2], 16).unwrap())
            .collect();
        for window in bytes.windows(32) {
            candidates.push(window.try_into().unwrap());
        }
    }
    assert!(candidates.len() > 10);
    for c in candidates {
        let err = Store::open(&home, &p, &Sensitive::new(c)).unwrap_err();
        assert!(matches!(err, StoreError::WrongKey { .. }), "{err}");
    }
    // And the only way in is the secret.
    let key = unlock::unlock(&home, &p, "246810", now()).unwrap();
    assert!(
        Store::open(&home, &p, &key)
            .unwrap()
            .dashboard()
            .unwrap()
            .total
            > 0
    );
}

#[test]
fn wrong_secrets_slow_down_and_never_delete_anything() {
    keyring();
    let home = temp_home();
    let p = profile("wrong");
    let opened = unlock::set_up(&home, &p, "secret-of-8", CHEAP, fresh(3)).unwrap();
    let mut store = Store::open(&home, &p, &opened.key).unwrap();
    fill(&mut store, 4, 3, 2);
    let row = first_open_pending(&store);
    store
        .decide(&approve(&store, &row.id, "k-unsent"), now())
        .unwrap();
    drop(store);
    let size = std::fs::metadata(home.db_path(&p)).unwrap().len();

    let t0 = now();
    let waits: Vec<u64> = (0..3)
        .map(
            |_| match unlock::unlock(&home, &p, "guess-123", t0).unwrap_err() {
                StoreError::WrongSecret { wait_s, .. } => wait_s,
                e => panic!("{e}"),
            },
        )
        .collect();
    assert_eq!(waits, vec![0, 0, 10], "three free tries, then a delay");
    // Even the right secret waits out the delay, and the wait does not count as a failure.
    let err = unlock::unlock(&home, &p, "secret-of-8", t0 + Duration::seconds(4)).unwrap_err();
    assert!(
        matches!(err, StoreError::UnlockThrottled { wait_s: 6, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("nothing was deleted"));
    assert!(err.message_zh().contains("不会因此删除"));
    // A fourth wrong one after the wait doubles it.
    let err = unlock::unlock(&home, &p, "guess-456", t0 + Duration::seconds(10)).unwrap_err();
    assert!(
        matches!(err, StoreError::WrongSecret { wait_s: 20, .. }),
        "{err}"
    );
    let key = unlock::unlock(&home, &p, "secret-of-8", t0 + Duration::seconds(30)).unwrap();
    // The right secret clears the count.
    assert!(matches!(
        unlock::unlock(&home, &p, "nope-nope", t0 + Duration::seconds(31)).unwrap_err(),
        StoreError::WrongSecret { wait_s: 0, .. }
    ));
    assert_eq!(std::fs::metadata(home.db_path(&p)).unwrap().len(), size);
    let store = Store::open(&home, &p, &key).unwrap();
    assert_eq!(pending(&store), 1, "the unsent decision is still there");
}

#[test]
fn the_recovery_code_unlocks_once_and_sets_a_new_secret() {
    keyring();
    let home = temp_home();
    let p = profile("recover");
    let first = unlock::set_up(&home, &p, "111222", CHEAP, fresh(5)).unwrap();
    let code = first.recovery.grouped();
    let mut store = Store::open(&home, &p, &first.key).unwrap();
    fill(&mut store, 3, 3, 3);
    let row = first_open_pending(&store);
    store
        .decide(&approve(&store, &row.id, "k-r"), now())
        .unwrap();
    drop(store);

    // A wrong code counts like a wrong secret; a weak new secret is refused before anything.
    let err = unlock::recover(
        &home,
        &p,
        "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA",
        "333444",
        CHEAP,
        fresh(6),
        now(),
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::WrongRecoveryCode { .. }), "{err}");
    let err = unlock::recover(&home, &p, &code, "123", CHEAP, fresh(6), now()).unwrap_err();
    assert!(matches!(err, StoreError::WeakSecret(_)), "{err}");

    let again = unlock::recover(
        &home,
        &p,
        &code.to_lowercase(),
        "333444",
        CHEAP,
        fresh(6),
        now(),
    )
    .unwrap();
    assert_ne!(
        again.recovery.expose(),
        first.recovery.expose(),
        "a new code, the old was seen"
    );
    assert!(matches!(
        unlock::unlock(&home, &p, "111222", now()).unwrap_err(),
        StoreError::WrongSecret { .. }
    ));
    // The old recovery code no longer opens it either.
    assert!(unlock::recover(&home, &p, &code, "555666", CHEAP, fresh(8), now()).is_err());
    let key = unlock::unlock(&home, &p, "333444", now()).unwrap();
    let store = Store::open(&home, &p, &key).unwrap();
    assert_eq!(
        pending(&store),
        1,
        "nothing unsent was lost through the recovery"
    );
}

#[test]
fn a_profile_from_before_secrets_keeps_its_data_and_loses_its_bare_key() {
    keyring();
    let home = temp_home();
    let p = profile("legacy");
    let raw = Sensitive::new([0x5au8; 32]);
    keys::save_legacy_db_key(&p, &raw).unwrap();
    let mut store = Store::open(&home, &p, &raw).unwrap();
    fill(&mut store, 2, 2, 4);
    drop(store);
    assert_eq!(
        unlock::lock_state(&home, &p).unwrap(),
        LockState::NeedsSecret
    );
    // Only a real secret is taken.
    assert!(matches!(
        unlock::set_up(&home, &p, "12345", CHEAP, fresh(9)).unwrap_err(),
        StoreError::WeakSecret(_)
    ));
    let opened = unlock::set_up(&home, &p, "87654321", CHEAP, fresh(9)).unwrap();
    assert_eq!(
        opened.key.expose(),
        raw.expose(),
        "the existing key is wrapped, not replaced"
    );
    let held = memory_keyring::secrets_of(p.as_str());
    assert_eq!(held.len(), 1, "the bare key is gone from the keyring");
    assert!(held[0].0.ends_with("db-envelope"));
    // A second set-up is refused: changing it needs the secret or the recovery code.
    assert!(matches!(
        unlock::set_up(&home, &p, "99999999", CHEAP, fresh(1)).unwrap_err(),
        StoreError::HasUnlockSecret { .. }
    ));
    let key = unlock::unlock(&home, &p, "87654321", now()).unwrap();
    assert!(
        Store::open(&home, &p, &key)
            .unwrap()
            .dashboard()
            .unwrap()
            .total
            > 0
    );
}

#[test]
fn data_without_any_key_is_a_clear_error_and_is_kept() {
    keyring();
    let home = temp_home();
    let p = profile("keyless");
    let store = Store::open(&home, &p, &Sensitive::new([1u8; 32])).unwrap();
    drop(store);
    let size = std::fs::metadata(home.db_path(&p)).unwrap().len();
    let err = unlock::lock_state(&home, &p).unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing { .. }), "{err}");
    assert!(err.message_zh().contains("不会被删除"));
    assert!(unlock::set_up(&home, &p, "12345678", CHEAP, fresh(2)).is_err());
    assert_eq!(std::fs::metadata(home.db_path(&p)).unwrap().len(), size);
}

#[test]
fn an_envelope_whose_database_is_gone_is_set_aside_and_the_profile_starts_again() {
    keyring();
    let p = profile("orphan");
    let first = temp_home();
    let opened = unlock::set_up(&first, &p, "11223344", CHEAP, fresh(31)).unwrap();
    drop(Store::open(&first, &p, &opened.key).unwrap());
    assert_eq!(
        unlock::lock_state(&first, &p).unwrap(),
        LockState::Protected
    );

    // The data folder deleted (or a new one), the OS keyring's entries kept: the reviewer is
    // not asked for a secret that guards nothing, and may choose a new one.
    std::fs::remove_dir_all(first.root()).unwrap();
    let again = temp_home();
    assert_eq!(unlock::lock_state(&again, &p).unwrap(), LockState::New);
    let reopened = unlock::set_up(&again, &p, "55667788", CHEAP, fresh(41)).unwrap();
    let store = Store::open(&again, &p, &reopened.key).unwrap();
    drop(store);
    assert_eq!(
        unlock::lock_state(&again, &p).unwrap(),
        LockState::Protected
    );
    assert!(unlock::unlock(&again, &p, "55667788", now()).is_ok());
    // The old envelope is set aside, not lost: it still opens with the old secret.
    let held = memory_keyring::secrets_of(p.as_str());
    let aside = held
        .iter()
        .find(|(user, _)| user.ends_with(":db-envelope-replaced"))
        .expect("the old envelope is kept");
    let old =
        jxjy_store::key_wrap::Envelope::from_text(std::str::from_utf8(&aside.1).unwrap()).unwrap();
    assert_eq!(
        old.open_with_secret(p.as_str(), "11223344")
            .unwrap()
            .expose(),
        &[31; 32]
    );
}
