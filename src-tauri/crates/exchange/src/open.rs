//! Reading an exchange file. Each segment is authenticated before any of its bytes are used;
//! a caller that applies records in one transaction and rolls back on error applies nothing
//! from a changed file.

use crate::error::ExchangeError;
use crate::header::{associated_data, Header, MAGIC, MAX_HEADER};
use crate::record::{
    parse_blob, Record, KIND_BLOB, KIND_END, KIND_ITEM, KIND_MANIFEST, KIND_SIGNATURE,
};
use crate::sign::{PublicKey, Transcript};
use crate::{segment_nonce, FileKey, MAX_RECORD};
use ring::aead::{Aad, LessSafeKey};
use std::io::Read;

const TAG: usize = 16;

/// Reads records out of an exchange file.
pub struct Opener<R: Read> {
    input: R,
    header: Header,
    key: LessSafeKey,
    aad: [u8; 32],
    prefix: [u8; 7],
    segment: u32,
    size: usize,
    plain: Vec<u8>,
    pos: usize,
    last_seen: bool,
    records: u64,
    ended: bool,
    transcript: Transcript,
    /// The maker's key, once its signature has verified (only the end may follow it).
    signer: Option<PublicKey>,
}

/// Reads the magic and the header only: what the import screen shows before the passphrase.
pub fn read_header<R: Read>(input: &mut R) -> Result<(Header, Vec<u8>), ExchangeError> {
    let mut magic = [0u8; 8];
    read_full(input, &mut magic).and_then(|n| {
        if n == magic.len() && &magic == MAGIC {
            Ok(())
        } else {
            Err(ExchangeError::NotExchangeFile)
        }
    })?;
    let mut len = [0u8; 4];
    if read_full(input, &mut len)? != 4 {
        return Err(ExchangeError::Truncated);
    }
    let len = u32::from_le_bytes(len);
    if len == 0 || len > MAX_HEADER {
        return Err(ExchangeError::BadHeader(format!("header length {len}")));
    }
    let mut bytes = vec![0u8; len as usize];
    if read_full(input, &mut bytes)? != bytes.len() {
        return Err(ExchangeError::Truncated);
    }
    let header: Header =
        serde_json::from_slice(&bytes).map_err(|e| ExchangeError::BadHeader(e.to_string()))?;
    header.check()?;
    Ok((header, bytes))
}

impl<R: Read> Opener<R> {
    /// Reads the header and derives the key from `passphrase`.
    pub fn with_passphrase(mut input: R, passphrase: &str) -> Result<Opener<R>, ExchangeError> {
        let (header, bytes) = read_header(&mut input)?;
        let key = FileKey::derive(passphrase, &header.kdf)?;
        Opener::start(input, header, &bytes, &key)
    }

    /// Reads the header and uses `key` as given (fuzzing and tests).
    pub fn with_key(mut input: R, key: &FileKey) -> Result<Opener<R>, ExchangeError> {
        let (header, bytes) = read_header(&mut input)?;
        Opener::start(input, header, &bytes, key)
    }

    fn start(
        input: R,
        header: Header,
        bytes: &[u8],
        key: &FileKey,
    ) -> Result<Opener<R>, ExchangeError> {
        if key.check_value() != header.key_check {
            return Err(ExchangeError::WrongPassphrase);
        }
        let aad = associated_data(bytes);
        Ok(Opener {
            input,
            prefix: header.prefix()?,
            size: header.segment_size as usize,
            header,
            key: key.aead()?,
            aad,
            transcript: Transcript::new(&aad),
            signer: None,
            segment: 0,
            plain: Vec::new(),
            pos: 0,
            last_seen: false,
            records: 0,
            ended: false,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Who signed the file: known only once the end has been read (`next_record` gave `None`),
    /// and always then — an unsigned file never reaches its end.
    pub fn signer(&self) -> Option<PublicKey> {
        self.signer.filter(|_| self.ended)
    }

    /// The next record, or `None` after the end record (which also proves nothing follows).
    pub fn next_record(&mut self) -> Result<Option<Record>, ExchangeError> {
        if self.ended {
            return Ok(None);
        }
        let mut frame = [0u8; 5];
        self.take(&mut frame)?;
        let kind = frame[0];
        let len = u32::from_le_bytes([frame[1], frame[2], frame[3], frame[4]]);
        if len > MAX_RECORD {
            return Err(ExchangeError::TooLarge(u64::from(len)));
        }
        let first = self.records == 0;
        self.records += 1;
        if self.signer.is_some() && kind != KIND_END {
            return Err(ExchangeError::BadRecord(
                "a record after the signature".into(),
            ));
        }
        match (kind, first) {
            (KIND_END, false) => {
                if self.signer.is_none() {
                    return Err(ExchangeError::Unsigned);
                }
                if len != 0 {
                    return Err(ExchangeError::BadRecord("end record with a body".into()));
                }
                if self.pos == self.plain.len() && !self.last_seen {
                    // The payload filled its last segment: an empty final segment follows.
                    self.open_segment()?;
                }
                if self.pos != self.plain.len() || !self.last_seen {
                    return Err(ExchangeError::TrailingData);
                }
                self.ended = true;
                return Ok(None);
            }
            (KIND_SIGNATURE, false) => {
                if len as usize != crate::record::SIGNATURE_LEN {
                    return Err(ExchangeError::BadRecord(
                        "signature of the wrong length".into(),
                    ));
                }
                let mut body = [0u8; crate::record::SIGNATURE_LEN];
                self.take(&mut body)?;
                self.signer = Some(crate::sign::verify(&body, &self.transcript.digest())?);
                return self.next_record();
            }
            (KIND_MANIFEST, true) | (KIND_ITEM | KIND_BLOB, false) => {}
            (KIND_MANIFEST, false) => {
                return Err(ExchangeError::BadRecord("a second manifest".into()))
            }
            (_, true) => return Err(ExchangeError::BadRecord("no manifest first".into())),
            (k, _) => return Err(ExchangeError::BadRecord(format!("unknown record kind {k}"))),
        }
        let mut body = vec![0u8; len as usize];
        self.take(&mut body)?;
        self.transcript.record(kind, &[&body]);
        Ok(Some(match kind {
            KIND_MANIFEST => Record::Manifest(body),
            KIND_ITEM => Record::Item(body),
            _ => parse_blob(body)?,
        }))
    }

    /// Reads every record to the end: proves the whole file authentic without keeping it.
    pub fn verify_to_end(&mut self) -> Result<u64, ExchangeError> {
        while self.next_record()?.is_some() {}
        Ok(self.records)
    }

    /// Fills `out` with plaintext, opening segments as needed.
    fn take(&mut self, out: &mut [u8]) -> Result<(), ExchangeError> {
        let mut filled = 0;
        while filled < out.len() {
            if self.pos == self.plain.len() {
                self.open_segment()?;
            }
            let n = (out.len() - filled).min(self.plain.len() - self.pos);
            out[filled..filled + n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
            self.pos += n;
            filled += n;
        }
        Ok(())
    }

    fn open_segment(&mut self) -> Result<(), ExchangeError> {
        if self.last_seen {
            return Err(ExchangeError::Truncated);
        }
        let mut chunk = vec![0u8; self.size + TAG];
        let n = read_full(&mut self.input, &mut chunk)?;
        if n < TAG {
            return Err(ExchangeError::Truncated);
        }
        chunk.truncate(n);
        let last = n < self.size + TAG;
        let nonce = segment_nonce(&self.prefix, self.segment, last);
        let plain_len = self
            .key
            .open_in_place(nonce, Aad::from(self.aad), &mut chunk)
            .map_err(|_| ExchangeError::Tampered {
                segment: self.segment,
            })?
            .len();
        chunk.truncate(plain_len);
        self.plain = chunk;
        self.pos = 0;
        self.last_seen = last;
        self.segment = self
            .segment
            .checked_add(1)
            .ok_or(ExchangeError::Truncated)?;
        Ok(())
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full<R: Read>(input: &mut R, buf: &mut [u8]) -> Result<usize, ExchangeError> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(n)
}
