//! The keys exchange files are signed with. Each profile holds its own Ed25519 seed in its
//! encrypted database (so only its unlocked reviewer can sign), the public keys of the regiment
//! profiles its snapshots introduced (decisions files from them are accepted), and the key of
//! the profile whose snapshot it was started from (later snapshots must come from it too).

use crate::db::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use jxjy_exchange::{PublicKey, Signer};
use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

const OWN_SEED: &str = "exchange_signing_seed";
const INTRODUCED: &str = "exchange_introduced_signers";
const SNAPSHOT_SOURCE: &str = "exchange_snapshot_signer";

/// How many introduced keys are remembered (the newest): one per snapshot made.
const MAX_INTRODUCED: usize = 200;

/// A key this profile's snapshot handed to a regiment profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Introduced {
    key: String,
    at: String,
}

fn seed_from_hex(hex: &str) -> Result<Zeroizing<[u8; 32]>, StoreError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    if hex.len() != 64 {
        return Err(StoreError::Corrupt(
            "signing seed of the wrong length".into(),
        ));
    }
    for (i, b) in seed.iter_mut().enumerate() {
        *b = hex
            .get(2 * i..2 * i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .ok_or_else(|| StoreError::Corrupt("signing seed is not hex".into()))?;
    }
    Ok(seed)
}

pub(crate) fn seed_to_hex(seed: &[u8; 32]) -> Zeroizing<String> {
    Zeroizing::new(seed.iter().map(|b| format!("{b:02x}")).collect())
}

use crate::sync_state::write_meta as set;

fn get(conn: &rusqlite::Connection, key: &str) -> Result<Option<Zeroizing<String>>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .map(Zeroizing::new))
}

impl Store {
    /// This profile's signing key; made from `fresh` (32 random bytes from the caller) the
    /// first time it is needed.
    pub(crate) fn own_signer(&self, fresh: &[u8; 32]) -> Result<Signer, StoreError> {
        let seed = match get(&self.conn, OWN_SEED)? {
            Some(hex) => seed_from_hex(&hex)?,
            None => {
                set(&self.conn, OWN_SEED, &seed_to_hex(fresh))?;
                Zeroizing::new(*fresh)
            }
        };
        Ok(Signer::from_seed(&seed)?)
    }

    /// The public half of this profile's signing key, if it has one yet.
    pub fn signing_key(&self) -> Result<Option<PublicKey>, StoreError> {
        match get(&self.conn, OWN_SEED)? {
            Some(hex) => Ok(Some(
                Signer::from_seed(&*seed_from_hex(&hex)?)?.public_key(),
            )),
            None => Ok(None),
        }
    }

    /// Remembers a key a snapshot of this profile handed to a regiment profile.
    pub(crate) fn introduce(&self, key: PublicKey, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut all = self.introduced()?;
        all.push(Introduced {
            key: key.to_hex(),
            at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        let skip = all.len().saturating_sub(MAX_INTRODUCED);
        let kept: Vec<_> = all.into_iter().skip(skip).collect();
        let text = serde_json::to_string(&kept).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        set(&self.conn, INTRODUCED, &text)
    }

    fn introduced(&self) -> Result<Vec<Introduced>, StoreError> {
        match get(&self.conn, INTRODUCED)? {
            Some(text) => {
                serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))
            }
            None => Ok(Vec::new()),
        }
    }

    /// The keys a decisions file imported here may be signed by: this profile's own, and those
    /// its snapshots introduced.
    pub(crate) fn decisions_signers(&self) -> Result<Vec<PublicKey>, StoreError> {
        let mut keys: Vec<PublicKey> = self.signing_key()?.into_iter().collect();
        for i in self.introduced()? {
            let key = PublicKey::from_hex(&i.key)
                .ok_or_else(|| StoreError::Corrupt("an introduced key is not hex".into()))?;
            keys.push(key);
        }
        Ok(keys)
    }
}

/// Refuses a decisions file signed by a key not among `trusted`.
pub(crate) fn check_decisions_signer(
    key: &PublicKey,
    trusted: &[PublicKey],
) -> Result<(), StoreError> {
    if trusted.contains(key) {
        return Ok(());
    }
    Err(StoreError::ExchangeSigner {
        key: key.short(),
        why: "decisions files are accepted only from this profile or from a regiment profile started from one of its snapshots",
    })
}

/// Whether a snapshot's key it carries becomes this profile's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SnapshotFrom {
    /// This profile's own snapshot: nothing changes.
    Itself,
    /// The profile it was started from (or the first snapshot, which pins its maker).
    Source,
}

/// A snapshot may come only from the profile the first snapshot came from; the first one pins
/// its maker — unless this profile already signs files of its own (a connected profile takes
/// no snapshot from another). Written in the import's transaction.
pub(crate) fn check_snapshot_signer(
    tx: &Transaction<'_>,
    key: &PublicKey,
    own: Option<PublicKey>,
) -> Result<SnapshotFrom, StoreError> {
    if own.as_ref() == Some(key) {
        return Ok(SnapshotFrom::Itself);
    }
    let refused = |why| StoreError::ExchangeSigner {
        key: key.short(),
        why,
    };
    match get(tx, SNAPSHOT_SOURCE)? {
        Some(pinned) if pinned.as_str() == key.to_hex() => Ok(SnapshotFrom::Source),
        Some(_) => Err(refused("this profile was started from a snapshot of another profile; later snapshots must come from that profile")),
        None if own.is_some() => Err(refused("this profile signs its own files; it takes no snapshot made by another profile")),
        None => {
            set(tx, SNAPSHOT_SOURCE, &key.to_hex())?;
            Ok(SnapshotFrom::Source)
        }
    }
}

/// Takes the signing key a snapshot handed to this profile: decisions files made here from now
/// on verify at the profile that made the snapshot.
pub(crate) fn adopt_seed(tx: &Transaction<'_>, seed_hex: &str) -> Result<(), StoreError> {
    seed_from_hex(seed_hex)?;
    set(tx, OWN_SEED, seed_hex)
}
