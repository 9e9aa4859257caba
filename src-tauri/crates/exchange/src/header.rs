//! The clear header: what the file holds and how its key is derived. It is authenticated as
//! associated data of every segment, so it cannot be changed either.

use crate::error::ExchangeError;
use serde::{Deserialize, Serialize};

/// The first eight bytes of every exchange file.
pub const MAGIC: &[u8; 8] = b"JXJYEXC1";

/// The largest header accepted.
pub(crate) const MAX_HEADER: u32 = 4096;

/// What the file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Pending decisions with their audit entries, from a site with no link.
    Decisions,
    /// Roster, declarations and evidence, for a site with no link.
    Snapshot,
}

/// Argon2id parameters and salt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kdf {
    pub alg: String,
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
    pub salt: String,
}

impl Kdf {
    /// Argon2id with 64 MiB and 3 passes: about a third of a second on an office PC.
    pub fn standard(salt: [u8; 16]) -> Kdf {
        Kdf {
            alg: "argon2id".into(),
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
            salt: crate::hex(&salt),
        }
    }

    /// Bounds that keep a hostile header from asking for gigabytes or hours.
    pub fn check(&self) -> Result<(), ExchangeError> {
        let ok = self.alg == "argon2id"
            && (8 * 1024..=512 * 1024).contains(&self.m_kib)
            && (1..=10).contains(&self.t)
            && (1..=4).contains(&self.p);
        if !ok {
            return Err(ExchangeError::BadHeader(
                "key derivation parameters out of range".into(),
            ));
        }
        self.salt_bytes().map(|_| ())
    }

    pub(crate) fn salt_bytes(&self) -> Result<Vec<u8>, ExchangeError> {
        match crate::unhex(&self.salt) {
            Some(s) if s.len() == 16 => Ok(s),
            _ => Err(ExchangeError::BadHeader("salt must be 16 bytes".into())),
        }
    }
}

/// The format written: 2 adds the maker's signature (format 1 files are refused as unsigned).
pub const FORMAT: u32 = 2;

/// The header as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: u32,
    pub kind: Kind,
    /// When the file was made (RFC 3339), for the import screen.
    pub created_at: String,
    /// The profile, reviewer and unit it came from, shown before import.
    pub origin: String,
    pub kdf: Kdf,
    /// Tells a wrong passphrase from a changed file.
    pub key_check: String,
    pub nonce_prefix: String,
    pub segment_size: u32,
}

impl Header {
    pub(crate) fn prefix(&self) -> Result<[u8; 7], ExchangeError> {
        crate::unhex(&self.nonce_prefix)
            .and_then(|v| <[u8; 7]>::try_from(v).ok())
            .ok_or_else(|| ExchangeError::BadHeader("nonce prefix must be 7 bytes".into()))
    }

    pub(crate) fn check(&self) -> Result<(), ExchangeError> {
        match self.format {
            FORMAT => {}
            1 => return Err(ExchangeError::Unsigned),
            f => return Err(ExchangeError::UnsupportedVersion(f)),
        }
        if !(1024..=4 * 1024 * 1024).contains(&self.segment_size) {
            return Err(ExchangeError::BadHeader("segment size out of range".into()));
        }
        self.prefix()?;
        self.kdf.check()
    }
}

/// What every segment authenticates besides its own bytes: the digest of magic and header.
pub(crate) fn associated_data(header_bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(MAGIC);
    h.update((header_bytes.len() as u32).to_le_bytes());
    h.update(header_bytes);
    h.finalize().into()
}
