//! Writing an exchange file: header, then records sealed segment by segment.

use crate::error::ExchangeError;
use crate::header::{associated_data, Header, Kdf, Kind, MAGIC};
use crate::record::{Record, KIND_END, KIND_SIGNATURE};
use crate::sign::{Signer, Transcript};
use crate::{segment_nonce, FileKey, SEGMENT_SIZE};
use ring::aead::{Aad, LessSafeKey};
use std::io::Write;

/// Seals records into `out`. Call `finish`, or the file has no end and will be refused.
pub struct Sealer<W: Write> {
    out: W,
    key: LessSafeKey,
    aad: [u8; 32],
    transcript: Transcript,
    prefix: [u8; 7],
    segment: u32,
    size: usize,
    buf: Vec<u8>,
    written: u64,
}

/// Who made the file and when; shown on the import screen.
#[derive(Debug, Clone)]
pub struct Origin {
    pub kind: Kind,
    pub created_at: String,
    pub origin: String,
}

impl<W: Write> Sealer<W> {
    /// Derives the key from `passphrase` (Argon2id, standard cost) and writes the header.
    /// `salt` and `nonce_prefix` must be fresh random bytes for every file.
    pub fn with_passphrase(
        out: W,
        origin: Origin,
        passphrase: &str,
        salt: [u8; 16],
        nonce_prefix: [u8; 7],
    ) -> Result<Sealer<W>, ExchangeError> {
        let kdf = Kdf::standard(salt);
        let key = FileKey::derive(passphrase, &kdf)?;
        Sealer::with_key(out, origin, kdf, &key, nonce_prefix)
    }

    /// Writes the header for an already derived `key` (tests and fuzz corpora).
    pub fn with_key(
        mut out: W,
        origin: Origin,
        kdf: Kdf,
        key: &FileKey,
        nonce_prefix: [u8; 7],
    ) -> Result<Sealer<W>, ExchangeError> {
        let header = Header {
            format: crate::header::FORMAT,
            kind: origin.kind,
            created_at: origin.created_at,
            origin: origin.origin,
            kdf,
            key_check: key.check_value(),
            nonce_prefix: crate::hex(&nonce_prefix),
            segment_size: SEGMENT_SIZE,
        };
        let bytes =
            serde_json::to_vec(&header).map_err(|e| ExchangeError::BadHeader(e.to_string()))?;
        let len = u32::try_from(bytes.len())
            .map_err(|_| ExchangeError::BadHeader("header too long".into()))?;
        out.write_all(MAGIC)?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(&bytes)?;
        let aad = associated_data(&bytes);
        Ok(Sealer {
            out,
            key: key.aead()?,
            aad,
            transcript: Transcript::new(&aad),
            prefix: nonce_prefix,
            segment: 0,
            size: SEGMENT_SIZE as usize,
            buf: Vec::with_capacity(SEGMENT_SIZE as usize * 2),
            written: (MAGIC.len() + 4 + bytes.len()) as u64,
        })
    }

    /// Appends one record.
    pub fn record(&mut self, record: &Record) -> Result<(), ExchangeError> {
        let (head, body): (&[u8], &[u8]) = match record {
            Record::Manifest(b) | Record::Item(b) => (&[], b),
            Record::Blob { sha256, data } => {
                if sha256.len() != 64 {
                    return Err(ExchangeError::BadRecord("blob hash must be 64 hex".into()));
                }
                (sha256.as_bytes(), data)
            }
        };
        let len = head.len() + body.len();
        if len > crate::MAX_RECORD as usize {
            return Err(ExchangeError::TooLarge(len as u64));
        }
        self.transcript.record(record.kind(), &[head, body]);
        self.frame(record.kind(), len as u32);
        self.push(head)?;
        self.push(body)
    }

    /// Appends raw payload bytes without record framing: only for fuzzing the reader with
    /// authentic segments around arbitrary plaintext.
    #[doc(hidden)]
    pub fn raw_for_fuzzing(&mut self, bytes: &[u8]) -> Result<(), ExchangeError> {
        self.push(bytes)
    }

    /// Seals the buffered bytes as the final segment without an end record (fuzzing only).
    #[doc(hidden)]
    pub fn finish_raw_for_fuzzing(mut self) -> Result<W, ExchangeError> {
        self.drain_full()?;
        if self.buf.len() == self.size {
            self.seal(self.size, false)?;
        }
        let rest = self.buf.len();
        self.seal(rest, true)?;
        Ok(self.out)
    }

    /// Signs everything written with `signer`, then writes the end record and the final
    /// segment; returns the writer and the bytes written.
    pub fn finish(mut self, signer: &Signer) -> Result<(W, u64), ExchangeError> {
        let signature = signer.sign(&self.transcript.digest());
        self.frame(KIND_SIGNATURE, crate::record::SIGNATURE_LEN as u32);
        self.push(&signer.public_key().0)?;
        self.push(&signature)?;
        self.finish_unsigned()
    }

    /// The digest a signature made now would cover (tests of the reader's rules).
    #[cfg(test)]
    pub(crate) fn digest_for_tests(&self) -> [u8; 32] {
        self.transcript.digest()
    }

    /// Ends the file with no signature: readers refuse it (tests of that refusal only).
    #[doc(hidden)]
    pub fn finish_unsigned(mut self) -> Result<(W, u64), ExchangeError> {
        self.frame(KIND_END, 0);
        self.drain_full()?;
        if self.buf.len() == self.size {
            self.seal(self.size, false)?;
        }
        let rest = self.buf.len();
        self.seal(rest, true)?;
        self.out.flush()?;
        Ok((self.out, self.written))
    }

    fn frame(&mut self, kind: u8, len: u32) {
        self.buf.push(kind);
        self.buf.extend_from_slice(&len.to_le_bytes());
    }

    fn push(&mut self, mut bytes: &[u8]) -> Result<(), ExchangeError> {
        while !bytes.is_empty() {
            let room = (2 * self.size).saturating_sub(self.buf.len()).max(1);
            let take = room.min(bytes.len());
            self.buf.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            self.drain_full()?;
        }
        Ok(())
    }

    /// Seals whole segments while more than one segment is buffered, so the final segment
    /// is always the short one.
    fn drain_full(&mut self) -> Result<(), ExchangeError> {
        while self.buf.len() > self.size {
            self.seal(self.size, false)?;
        }
        Ok(())
    }

    fn seal(&mut self, n: usize, last: bool) -> Result<(), ExchangeError> {
        let mut chunk: Vec<u8> = self.buf.drain(..n).collect();
        let nonce = segment_nonce(&self.prefix, self.segment, last);
        self.key
            .seal_in_place_append_tag(nonce, Aad::from(self.aad), &mut chunk)
            .map_err(|_| ExchangeError::Crypto)?;
        self.out.write_all(&chunk)?;
        self.written += chunk.len() as u64;
        self.segment = self
            .segment
            .checked_add(1)
            .ok_or(ExchangeError::TooLarge(self.written))?;
        Ok(())
    }
}
