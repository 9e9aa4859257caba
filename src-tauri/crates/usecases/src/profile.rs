//! Opening a reviewer profile: only with its unlock secret (or, once, its recovery code); the
//! first use chooses the secret. The store comes back with the id the platform's audit anchor
//! knows it by.

use crate::ids;
use chrono::{DateTime, Utc};
use jxjy_store::key_wrap::{Cost, RecoveryCode};
use jxjy_store::unlock::{self, LockState};
use jxjy_store::{DbKey, Home, ProfileName, Store, StoreError};

/// The Argon2id cost of new envelopes (see `Cost::STANDARD` for why).
pub const COST: Cost = Cost::STANDARD;

/// An open store, and the recovery code to show once when this opening set a secret.
#[derive(Debug)]
pub struct Opening {
    pub store: Store,
    pub key: DbKey,
    pub recovery: Option<RecoveryCode>,
}

/// Where `name` stands: new, waiting for a secret, or protected by one.
pub fn lock_state(home: &Home, name: &ProfileName) -> Result<LockState, StoreError> {
    unlock::lock_state(home, name)
}

/// Opens the store with an unwrapped key (the sync worker's second connection).
pub fn open_with_key(home: &Home, name: &ProfileName, key: &DbKey) -> Result<Store, StoreError> {
    let mut store = Store::open(home, name, key)?;
    store.ensure_profile_id(ids::profile_id)?;
    Ok(store)
}

fn opened(
    home: &Home,
    name: &ProfileName,
    key: DbKey,
    recovery: Option<RecoveryCode>,
) -> Result<Opening, StoreError> {
    let store = open_with_key(home, name, &key)?;
    Ok(Opening {
        store,
        key,
        recovery,
    })
}

/// Unlocks a protected profile with its secret. A wrong one is counted and slows the next.
pub fn unlock(
    home: &Home,
    name: &ProfileName,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Opening, StoreError> {
    let key = unlock::unlock(home, name, secret, now)?;
    opened(home, name, key, None)
}

/// Chooses the first secret of a new profile (or of one from before secrets) and opens it.
pub fn set_up(home: &Home, name: &ProfileName, secret: &str) -> Result<Opening, StoreError> {
    let o = unlock::set_up(home, name, secret, COST, ids::set_up_fresh()?)?;
    opened(home, name, o.key, Some(o.recovery))
}

/// Opens with the recovery code and sets a new secret (and a new recovery code).
pub fn recover(
    home: &Home,
    name: &ProfileName,
    code: &str,
    new_secret: &str,
    now: DateTime<Utc>,
) -> Result<Opening, StoreError> {
    let o = unlock::recover(
        home,
        name,
        code,
        new_secret,
        COST,
        ids::set_up_fresh()?,
        now,
    )?;
    opened(home, name, o.key, Some(o.recovery))
}

/// The CLI's rule: `secret` unlocks a protected profile, and becomes the secret of one that
/// has none yet.
pub fn unlock_or_set_up(
    home: &Home,
    name: &ProfileName,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Opening, StoreError> {
    match lock_state(home, name)? {
        LockState::Protected => unlock(home, name, secret, now),
        LockState::New | LockState::NeedsSecret => set_up(home, name, secret),
    }
}
