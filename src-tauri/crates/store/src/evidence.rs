//! Evidence bytes at rest: chunks inside the encrypted database, appended as they arrive (so a
//! download resumes from what is stored) and verified against their SHA-256 when complete and
//! again on every read. Files go in and come out a chunk at a time: nothing here holds a whole
//! file in memory except [`Store::read_evidence`], which is bounded by the evidence size limit.

use crate::db::Store;
use crate::error::StoreError;
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn evidence_err(sha256: &str, problem: impl Into<String>) -> StoreError {
    StoreError::Evidence {
        sha256: sha256.to_owned(),
        problem: problem.into(),
    }
}

/// The most bytes one stored chunk holds: a read brings at most this much into memory.
const CHUNK_BYTES: usize = 256 * 1024;

/// Writes `data` at `offset` as chunks of at most [`CHUNK_BYTES`], in the caller's transaction.
pub(crate) fn insert_chunks(
    tx: &rusqlite::Transaction<'_>,
    sha256: &str,
    offset: i64,
    data: &[u8],
) -> Result<(), StoreError> {
    let mut at = offset;
    for piece in data.chunks(CHUNK_BYTES) {
        tx.execute(
            "INSERT INTO evidence_chunks (sha256, offset, data) VALUES (?1, ?2, ?3)",
            params![sha256, at, piece],
        )?;
        at += i64::try_from(piece.len()).unwrap_or(i64::MAX);
    }
    Ok(())
}

impl Store {
    /// Bytes stored so far and the expected size, if the file is known.
    pub fn evidence_progress(&self, sha256: &str) -> Result<Option<(u64, u64)>, StoreError> {
        let row: Option<(i64, i64)> = self
            .conn
            .query_row(
                "SELECT bytes_stored, size FROM evidence WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(a, b)| (u64::try_from(a).unwrap_or(0), u64::try_from(b).unwrap_or(0))))
    }

    /// Appends bytes at `offset`, which must be where the stored bytes end.
    pub fn append_evidence(
        &mut self,
        sha256: &str,
        offset: u64,
        data: &[u8],
    ) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        let (stored, size): (i64, i64) = tx
            .query_row(
                "SELECT bytes_stored, size FROM evidence WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| evidence_err(sha256, "unknown evidence file"))?;
        let offset = i64::try_from(offset).map_err(|_| evidence_err(sha256, "offset too large"))?;
        if offset != stored {
            return Err(evidence_err(
                sha256,
                format!("write at {offset}, but {stored} bytes are stored"),
            ));
        }
        let len = i64::try_from(data.len()).map_err(|_| evidence_err(sha256, "chunk too large"))?;
        if stored + len > size {
            return Err(evidence_err(sha256, "more bytes than the declared size"));
        }
        insert_chunks(&tx, sha256, offset, data)?;
        let now_stored = stored + len;
        tx.execute(
            "UPDATE evidence SET bytes_stored = ?2, state = 'partial' WHERE sha256 = ?1",
            params![sha256, now_stored],
        )?;
        tx.commit()?;
        Ok(u64::try_from(now_stored).unwrap_or(0))
    }

    /// Checks a complete file against its hash: `present` when it matches; otherwise the bytes
    /// are dropped (the download starts over) and an error says so.
    pub fn finish_evidence(&mut self, sha256: &str) -> Result<(), StoreError> {
        let mut reader = EvidenceReader::new(self, sha256, None);
        let matches = match std::io::copy(&mut reader, &mut std::io::sink()) {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => false,
            Err(e) => return Err(reader.take_error().unwrap_or(StoreError::Io(e))),
        };
        if matches {
            self.conn.execute(
                "UPDATE evidence SET state = 'present' WHERE sha256 = ?1",
                [sha256],
            )?;
            Ok(())
        } else {
            self.reset_evidence(sha256)?;
            Err(evidence_err(
                sha256,
                "content does not match its SHA-256; discarded",
            ))
        }
    }

    /// Drops the stored bytes of a file (the platform sent a different version, or the bytes
    /// did not verify), so that its download starts over.
    pub fn reset_evidence(&mut self, sha256: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM evidence_chunks WHERE sha256 = ?1", [sha256])?;
        tx.execute(
            "UPDATE evidence SET state = 'missing', bytes_stored = 0 WHERE sha256 = ?1",
            [sha256],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Evidence files not yet complete, those of `first` (the declaration on screen) first.
    pub fn evidence_to_fetch(&self, first: Option<&str>) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.sha256, e.size, max(de.declaration_id = ?1) AS urgent FROM evidence e
             JOIN declaration_evidence de ON de.sha256 = e.sha256
             JOIN declarations d ON d.id = de.declaration_id AND d.deleted = 0
             WHERE e.state != 'present' GROUP BY e.sha256 ORDER BY urgent DESC, e.sha256",
        )?;
        let rows = stmt
            .query_map([first.unwrap_or("")], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Stores a whole file at once (after a download or from an import).
    pub fn put_evidence(&mut self, sha256: &str, data: &[u8]) -> Result<(), StoreError> {
        if hex(&Sha256::digest(data)) != sha256 {
            return Err(evidence_err(sha256, "content does not match its SHA-256"));
        }
        let (stored, _) = self
            .evidence_progress(sha256)?
            .ok_or_else(|| evidence_err(sha256, "unknown evidence file"))?;
        if stored == 0 {
            self.append_evidence(sha256, 0, data)?;
        }
        self.finish_evidence(sha256)
    }

    /// A reader of a present file, a chunk at a time; it fails with `InvalidData` at the end
    /// when the bytes read do not match the SHA-256 (so a copy made from it is complete and
    /// verified only when the copy returns Ok).
    pub fn open_evidence(&self, sha256: &str) -> Result<EvidenceReader<'_>, StoreError> {
        let size = self.present_size(sha256)?;
        Ok(EvidenceReader::new(self, sha256, Some(size)))
    }

    /// The size of a file that is present; an error that says why otherwise.
    fn present_size(&self, sha256: &str) -> Result<u64, StoreError> {
        let row: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT state, size FROM evidence WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((state, size)) if state == "present" => Ok(u64::try_from(size).unwrap_or(0)),
            Some(_) => Err(evidence_err(sha256, "not downloaded yet")),
            None => Err(evidence_err(sha256, "unknown evidence file")),
        }
    }

    /// The file's bytes, verified against its SHA-256 on every read. For a file that has to be
    /// whole (the viewer, an exchange record); copies go through [`Store::open_evidence`].
    pub fn read_evidence(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let size = self.present_size(sha256)?;
        let capacity =
            usize::try_from(size.min(jxjy_core::evidence_record::MAX_EVIDENCE_BYTES)).unwrap_or(0);
        let mut out = Vec::with_capacity(capacity);
        let mut reader = EvidenceReader::new(self, sha256, Some(size));
        match std::io::Read::read_to_end(&mut reader, &mut out) {
            Ok(_) => Ok(out),
            Err(e) => Err(reader.take_error().unwrap_or(StoreError::Io(e))),
        }
    }
}

/// Reads a stored file chunk by chunk in offset order, hashing as it goes.
pub struct EvidenceReader<'a> {
    store: &'a Store,
    sha256: String,
    /// The size the file must have (`None`: whatever is stored, as when finishing a download).
    size: Option<u64>,
    next_offset: i64,
    read: u64,
    chunk: Vec<u8>,
    pos: usize,
    hasher: Sha256,
    ended: bool,
    error: Option<StoreError>,
}

impl<'a> EvidenceReader<'a> {
    fn new(store: &'a Store, sha256: &str, size: Option<u64>) -> EvidenceReader<'a> {
        EvidenceReader {
            store,
            sha256: sha256.to_owned(),
            size,
            next_offset: 0,
            read: 0,
            chunk: Vec::new(),
            pos: 0,
            hasher: Sha256::new(),
            ended: false,
            error: None,
        }
    }

    /// The store error behind a failed read, if it was one.
    pub fn take_error(&mut self) -> Option<StoreError> {
        self.error.take()
    }

    fn fail(&mut self, e: StoreError) -> std::io::Error {
        let io = std::io::Error::other(e.to_string());
        self.error = Some(e);
        io
    }

    /// Loads the next chunk; false at the end of the stored bytes.
    fn next_chunk(&mut self) -> Result<bool, StoreError> {
        let row: Option<(i64, Vec<u8>)> = self
            .store
            .conn
            .query_row(
                "SELECT offset, data FROM evidence_chunks WHERE sha256 = ?1 AND offset >= ?2
                 ORDER BY offset LIMIT 1",
                params![self.sha256, self.next_offset],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((offset, data)) = row else {
            return Ok(false);
        };
        if offset != self.next_offset {
            return Err(evidence_err(&self.sha256, "a stored chunk is missing"));
        }
        self.next_offset = offset.saturating_add(i64::try_from(data.len()).unwrap_or(i64::MAX));
        self.chunk = data;
        self.pos = 0;
        Ok(true)
    }
}

impl std::io::Read for EvidenceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.ended || buf.is_empty() {
            return Ok(0);
        }
        while self.pos >= self.chunk.len() {
            match self.next_chunk() {
                Ok(true) => {}
                Ok(false) => {
                    self.ended = true;
                    let digest = hex(&std::mem::take(&mut self.hasher).finalize());
                    let whole = self.size.is_none_or(|s| s == self.read);
                    if whole && digest == self.sha256 {
                        return Ok(0);
                    }
                    self.error = Some(evidence_err(
                        &self.sha256,
                        "stored bytes do not match their SHA-256",
                    ));
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "stored evidence bytes do not match their SHA-256",
                    ));
                }
                Err(e) => return Err(self.fail(e)),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        let piece = &self.chunk[self.pos..self.pos + n];
        buf[..n].copy_from_slice(piece);
        self.hasher.update(piece);
        self.pos += n;
        self.read += n as u64;
        Ok(n)
    }
}
