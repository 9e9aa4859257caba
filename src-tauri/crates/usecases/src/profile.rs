//! Opening a reviewer profile: its encrypted store, created on first use with a fresh key.

use crate::ids;
use jxjy_store::{Home, ProfileMeta, ProfileName, Store, StoreError};

/// An open profile: its name, its store and what it knows of its reviewer, read once.
pub struct Profile {
    pub name: ProfileName,
    pub store: Store,
    pub meta: ProfileMeta,
}

/// Opens `name` under `home` (creating it, with a new 256-bit key in the OS keyring, on first
/// use). The keyring backend is the shell's choice and must be installed before.
pub fn open(home: &Home, name: &ProfileName) -> Result<Profile, StoreError> {
    let key = ids::database_key()?;
    let mut store = Store::open(home, name, move || key)?;
    // The id the platform's audit anchor knows this profile by.
    store.ensure_profile_id(ids::profile_id)?;
    let meta = store.profile_meta()?;
    Ok(Profile {
        name: name.clone(),
        store,
        meta,
    })
}
