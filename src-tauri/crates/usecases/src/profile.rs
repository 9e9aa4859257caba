//! Opening a reviewer profile: its encrypted store, created on first use with a fresh key,
//! with the id the platform's audit anchor knows it by.

use crate::ids;
use jxjy_store::{Home, ProfileName, Store, StoreError};

/// Opens `name` under `home` (creating it, with a new 256-bit key in the OS keyring, on first
/// use). The keyring backend is the shell's choice and must be installed before.
pub fn open(home: &Home, name: &ProfileName) -> Result<Store, StoreError> {
    let key = ids::database_key()?;
    let mut store = Store::open(home, name, move || key)?;
    store.ensure_profile_id(ids::profile_id)?;
    Ok(store)
}
