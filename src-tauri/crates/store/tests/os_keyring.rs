//! The store with the platform's real keyring, not the in-memory one: on Windows the Credential
//! Manager (under Wine in CI, `scripts/test-windows.sh`), on Linux the kernel keyring (the
//! Secret Service needs a desktop session CI does not have). A profile is set up, written,
//! closed and opened again from what the keyring kept; the keyring holds only the wrapped key,
//! and the SQLCipher file on disk is unreadable as plain SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{approve, fill, first_open_pending, now, profile, temp_home};
use jxjy_store::key_wrap::{Cost, Fresh};
use jxjy_store::unlock::{self, LockState, SetUpFresh};
use jxjy_store::{keys, Store, StoreError};

#[cfg(windows)]
const BACKEND: keys::Backend = keys::Backend::Os;
#[cfg(target_os = "linux")]
const BACKEND: keys::Backend = keys::Backend::Keyutils;

const CHEAP: Cost = Cost {
    m_kib: 8 * 1024,
    t: 1,
    p: 1,
};

fn fresh() -> SetUpFresh {
    SetUpFresh {
        db_key: [0x5a; 32],
        recovery: [0x21; 16],
        wrap: Fresh {
            salts: [[1; 16], [2; 16]],
            nonces: [[3; 12], [4; 12]],
        },
    }
}

#[test]
fn a_profile_opens_again_from_the_os_keyring_with_its_secret() {
    keys::install(BACKEND);
    let home = temp_home();
    // A name of this run only: the OS keyring outlives the test.
    let p = profile("oskeyring");
    assert_eq!(unlock::lock_state(&home, &p).unwrap(), LockState::New);
    let opened = unlock::set_up(&home, &p, "13572468", CHEAP, fresh()).unwrap();
    let mut store = Store::open(&home, &p, &opened.key).unwrap();
    fill(&mut store, 4, 2, 1);
    let row = first_open_pending(&store);
    store
        .decide(&approve(&store, &row.id, "k-os-keyring"), now())
        .unwrap();
    let pending = store.sync_status().unwrap().pending;
    assert!(pending > 0);
    drop(store);
    drop(opened);

    // A new open reads the envelope back from the OS keyring.
    assert_eq!(unlock::lock_state(&home, &p).unwrap(), LockState::Protected);
    let err = unlock::unlock(&home, &p, "wrong-secret", now()).unwrap_err();
    assert!(matches!(err, StoreError::WrongSecret { .. }), "{err}");
    let key = unlock::unlock(&home, &p, "13572468", now()).unwrap();
    let store = Store::open(&home, &p, &key).unwrap();
    assert_eq!(store.sync_status().unwrap().pending, pending);
    drop(store);

    // The file is SQLCipher, not SQLite: no plain header, and no name of the schema inside.
    let bytes = std::fs::read(home.db_path(&p)).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert!(!bytes
        .windows(8)
        .any(|w| w == b"outbox\0\0" || w == b"CREATE T"));
}
