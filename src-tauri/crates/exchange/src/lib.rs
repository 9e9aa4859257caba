//! jxjy-exchange: the offline exchange file.
//!
//! Remote regiments move decisions out, and platform snapshots in, on a USB stick. The file is
//! sealed with a key derived from a passphrase the reviewer chooses (Argon2id), and every byte
//! is authenticated: the header is bound into each segment, segments are numbered, and the last
//! one is marked, so a changed, reordered, dropped or appended byte is refused.
//!
//! Layout: `MAGIC`, header length (u32 LE), header JSON, then segments of `segment_size`
//! plaintext bytes sealed with ChaCha20-Poly1305 (the final segment shorter, possibly empty).
//! Inside the sealed stream: records, each `[kind u8][length u32 LE][body]`, ending with an
//! end record. Just before the end, a signature record carries the maker's Ed25519 public key
//! and its signature over the header digest and every record before it: the passphrase proves
//! who may read a file, the signature who made it (the caller decides whether it knows that
//! key). Pure computation over `Read`/`Write`; the caller passes salt, nonce and key seeds.

mod error;
mod header;
mod open;
mod record;
mod seal;
mod sign;

pub use error::ExchangeError;
pub use header::{Header, Kdf, Kind, MAGIC};
pub use open::{read_header, Opener};
pub use record::{sha256_hex, Record};
pub use seal::{Origin, Sealer};
pub use sign::{PublicKey, Signer};

/// The fewest characters a passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Plaintext bytes per sealed segment.
pub const SEGMENT_SIZE: u32 = 64 * 1024;

/// The largest record body accepted: an evidence file (at most 50 MiB, the limit of
/// `jxjy_core::evidence_record`) with room to spare, so a crafted length allocates little.
pub const MAX_RECORD: u32 = 64 * 1024 * 1024;

/// A derived key; never printed.
#[derive(Clone)]
pub struct FileKey([u8; 32]);

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileKey(..)")
    }
}

impl FileKey {
    /// A key given directly (fuzzing and tests skip the deliberately slow derivation).
    pub fn from_bytes(bytes: [u8; 32]) -> FileKey {
        FileKey(bytes)
    }

    /// Derives the key from a passphrase with the header's KDF parameters.
    pub fn derive(passphrase: &str, kdf: &Kdf) -> Result<FileKey, ExchangeError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(ExchangeError::WeakPassphrase);
        }
        kdf.check()?;
        let params = argon2::Params::new(kdf.m_kib, kdf.t, kdf.p, Some(32))
            .map_err(|e| ExchangeError::BadHeader(e.to_string()))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = [0u8; 32];
        argon
            .hash_password_into(passphrase.as_bytes(), &kdf.salt_bytes()?, &mut out)
            .map_err(|e| ExchangeError::BadHeader(e.to_string()))?;
        Ok(FileKey(out))
    }

    /// A short value stored in the header that tells a wrong passphrase from a changed file.
    pub(crate) fn check_value(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"jxjy-exchange key check\n");
        h.update(self.0);
        hex(&h.finalize()[..8])
    }

    pub(crate) fn aead(&self) -> Result<ring::aead::LessSafeKey, ExchangeError> {
        let unbound = ring::aead::UnboundKey::new(&ring::aead::CHACHA20_POLY1305, &self.0)
            .map_err(|_| ExchangeError::Crypto)?;
        Ok(ring::aead::LessSafeKey::new(unbound))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The nonce of segment `index`: the file's 7-byte prefix, the index, and whether it is last.
pub(crate) fn segment_nonce(prefix: &[u8; 7], index: u32, last: bool) -> ring::aead::Nonce {
    let mut n = [0u8; 12];
    n[..7].copy_from_slice(prefix);
    n[7..11].copy_from_slice(&index.to_be_bytes());
    n[11] = u8::from(last);
    ring::aead::Nonce::assume_unique_for_key(n)
}

#[cfg(test)]
mod tests;
