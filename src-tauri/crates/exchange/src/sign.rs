//! Who made a file: an Ed25519 key pair held by a reviewer profile (its seed lives in the
//! profile's encrypted database), and the running digest a signature covers.

use crate::error::ExchangeError;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use sha2::{Digest, Sha256};

/// An Ed25519 public key: what a profile knows its trusted makers by.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    pub fn to_hex(&self) -> String {
        crate::hex(&self.0)
    }

    pub fn from_hex(s: &str) -> Option<PublicKey> {
        crate::unhex(s)
            .and_then(|v| <[u8; 32]>::try_from(v).ok())
            .map(PublicKey)
    }

    /// The first 8 bytes in hex: enough for a person to compare two keys by eye.
    pub fn short(&self) -> String {
        crate::hex(&self.0[..8])
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.short())
    }
}

/// A key pair that signs files; made from a 32-byte seed the caller keeps secret.
pub struct Signer(Ed25519KeyPair);

impl Signer {
    pub fn from_seed(seed: &[u8; 32]) -> Result<Signer, ExchangeError> {
        Ed25519KeyPair::from_seed_unchecked(seed)
            .map(Signer)
            .map_err(|_| ExchangeError::Crypto)
    }

    pub fn public_key(&self) -> PublicKey {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.0.public_key().as_ref());
        PublicKey(out)
    }

    pub(crate) fn sign(&self, digest: &[u8; 32]) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(self.0.sign(digest).as_ref());
        out
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.public_key().short())
    }
}

/// The digest a signature covers: the header's digest, then each record's kind, length and
/// body, in order. Maker and reader compute it alike.
pub(crate) struct Transcript(Sha256);

impl Transcript {
    pub(crate) fn new(aad: &[u8; 32]) -> Transcript {
        let mut h = Sha256::new();
        h.update(b"jxjy-exchange signature v1\n");
        h.update(aad);
        Transcript(h)
    }

    pub(crate) fn record(&mut self, kind: u8, parts: &[&[u8]]) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        self.0.update([kind]);
        self.0.update((len as u64).to_le_bytes());
        for p in parts {
            self.0.update(p);
        }
    }

    pub(crate) fn digest(&self) -> [u8; 32] {
        self.0.clone().finalize().into()
    }
}

/// Checks a signature record's body against the digest; gives the maker's key.
pub(crate) fn verify(body: &[u8], digest: &[u8; 32]) -> Result<PublicKey, ExchangeError> {
    if body.len() != crate::record::SIGNATURE_LEN {
        return Err(ExchangeError::BadRecord(
            "signature of the wrong length".into(),
        ));
    }
    let (key, sig) = body.split_at(32);
    UnparsedPublicKey::new(&ED25519, key)
        .verify(digest, sig)
        .map_err(|_| ExchangeError::BadSignature)?;
    let mut out = [0u8; 32];
    out.copy_from_slice(key);
    Ok(PublicKey(out))
}
