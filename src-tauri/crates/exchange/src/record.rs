//! Records inside the sealed stream: `[kind u8][length u32 LE][body]`.

use crate::error::ExchangeError;

pub(crate) const KIND_MANIFEST: u8 = 1;
pub(crate) const KIND_ITEM: u8 = 2;
pub(crate) const KIND_BLOB: u8 = 3;
/// The maker's Ed25519 public key and its signature over everything before it; last but the end.
pub(crate) const KIND_SIGNATURE: u8 = 4;
pub(crate) const KIND_END: u8 = 0xff;

/// A signature record's body: the public key (32 bytes) and the signature (64 bytes).
pub(crate) const SIGNATURE_LEN: usize = 32 + 64;

/// One record of the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// The payload's description (JSON), first and once.
    Manifest(Vec<u8>),
    /// One item (JSON).
    Item(Vec<u8>),
    /// A file named by its SHA-256; the reader has checked the hash.
    Blob { sha256: String, data: Vec<u8> },
}

impl Record {
    pub(crate) fn kind(&self) -> u8 {
        match self {
            Record::Manifest(_) => KIND_MANIFEST,
            Record::Item(_) => KIND_ITEM,
            Record::Blob { .. } => KIND_BLOB,
        }
    }
}

/// The SHA-256 of `data` in lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    crate::hex(&Sha256::digest(data))
}

/// Splits a blob body into its hash (64 hex characters) and bytes, and checks the hash.
pub(crate) fn parse_blob(body: Vec<u8>) -> Result<Record, ExchangeError> {
    if body.len() < 64 {
        return Err(ExchangeError::BadRecord("blob without its hash".into()));
    }
    let (sha, data) = body.split_at(64);
    let sha = std::str::from_utf8(sha)
        .ok()
        .filter(|s| {
            s.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        })
        .ok_or_else(|| ExchangeError::BadRecord("blob hash is not hex".into()))?
        .to_owned();
    if sha256_hex(data) != sha {
        return Err(ExchangeError::BadRecord(format!(
            "blob {sha} does not match its hash"
        )));
    }
    Ok(Record::Blob {
        sha256: sha,
        data: data.to_vec(),
    })
}
