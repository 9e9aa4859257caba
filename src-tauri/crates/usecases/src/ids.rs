//! Every id and seed the program makes, from the operating system's random source: decision
//! and finding keys, batch and pack ids, sampling and jitter seeds, the check token of a
//! roster sheet, an exchange file's salt, a new database key. Time comes in as a parameter.

use chrono::{DateTime, Utc};
use jxjy_store::StoreError;

fn fill(bytes: &mut [u8], what: &str) -> Result<(), StoreError> {
    getrandom::fill(bytes)
        .map_err(|e| StoreError::Keyring(format!("no randomness for {what}: {e}")))
}

/// A UUIDv7 from `now` and 80 random bits: sorts by time, never repeats across machines.
fn uuid(now: DateTime<Utc>, what: &str) -> Result<String, StoreError> {
    let mut random = [0u8; 10];
    fill(&mut random, what)?;
    Ok(jxjy_core::ids::uuid_v7(
        u64::try_from(now.timestamp_millis()).unwrap_or(0),
        random,
    ))
}

/// A decision's idempotency key (the platform applies each key at most once).
pub fn decision_key(now: DateTime<Utc>) -> Result<String, StoreError> {
    uuid(now, "a decision key")
}

/// A spot-check finding's idempotency key.
pub fn finding_key(now: DateTime<Utc>) -> Result<String, StoreError> {
    uuid(now, "a finding key")
}

/// A batch approval's id (its decisions are undone together).
pub fn batch_id(now: DateTime<Utc>) -> Result<String, StoreError> {
    uuid(now, "a batch id")
}

/// A spot-check pack's id.
pub fn pack_id(now: DateTime<Utc>) -> Result<String, StoreError> {
    uuid(now, "a pack id")
}

fn u64_or_clock() -> u64 {
    let mut b = [0u8; 8];
    match getrandom::fill(&mut b) {
        Ok(()) => u64::from_le_bytes(b),
        // Neither use needs secrecy: the clock stands in.
        Err(_) => Utc::now().timestamp_micros() as u64,
    }
}

/// A seed for retry jitter.
pub fn jitter_seed() -> u64 {
    u64_or_clock()
}

/// A spot-check sample's seed when the reviewer gives none: nine digits, easy to write down
/// (the same seed draws the same sample).
pub fn sample_seed() -> u64 {
    u64_or_clock() % 1_000_000_000
}

/// The token that ties a roster sheet's confirmation to the check the reviewer saw (53 bits,
/// exact in JavaScript).
pub fn check_token() -> u64 {
    u64_or_clock() >> 11
}

/// Fresh salt and nonce prefix for one exchange file.
pub fn exchange_salt() -> Result<([u8; 16], [u8; 7]), StoreError> {
    let mut salt = [0u8; 16];
    let mut prefix = [0u8; 7];
    fill(&mut salt, "an exchange file")?;
    fill(&mut prefix, "an exchange file")?;
    Ok((salt, prefix))
}

/// Two signing-key seeds for an export: this profile's own (used only if it has none yet) and
/// the one a snapshot hands to the regiment profile started from it.
pub fn signing_seeds() -> Result<([u8; 32], [u8; 32]), StoreError> {
    let mut own = [0u8; 32];
    let mut introduce = [0u8; 32];
    fill(&mut own, "a signing key")?;
    fill(&mut introduce, "a signing key")?;
    Ok((own, introduce))
}

/// A profile's id for the platform's audit anchor: 128 random bits as 32 hex digits (not
/// secret; the clock stands in when the OS source fails).
pub fn profile_id() -> String {
    format!("{:016x}{:016x}", u64_or_clock(), u64_or_clock())
}

/// A new database key (256 bits), a recovery code's 128 bits, and the salts and nonces of
/// the two wraps of the key.
pub fn set_up_fresh() -> Result<jxjy_store::unlock::SetUpFresh, StoreError> {
    let mut f = jxjy_store::unlock::SetUpFresh {
        db_key: [0u8; 32],
        recovery: [0u8; 16],
        wrap: jxjy_store::key_wrap::Fresh {
            salts: [[0u8; 16]; 2],
            nonces: [[0u8; 12]; 2],
        },
    };
    fill(&mut f.db_key, "a new database key")?;
    fill(&mut f.recovery, "a recovery code")?;
    for s in &mut f.wrap.salts {
        fill(s, "a key wrap")?;
    }
    for n in &mut f.wrap.nonces {
        fill(n, "a key wrap")?;
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_uuid_v7_and_distinct() {
        let now = Utc::now();
        let a = decision_key(now).unwrap_or_default();
        let b = decision_key(now).unwrap_or_default();
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes().get(14), Some(&b'7'));
        assert_ne!(a, b);
        assert!(sample_seed() < 1_000_000_000);
        assert!(check_token() < 1 << 53);
    }
}
