//! Evidence bytes at rest: chunks inside the encrypted database, appended as they arrive (so a
//! download resumes from what is stored) and verified against their SHA-256 when complete and
//! again on every read.

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
        tx.execute(
            "INSERT INTO evidence_chunks (sha256, offset, data) VALUES (?1, ?2, ?3)",
            params![sha256, offset, data],
        )?;
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
        let bytes = self.evidence_bytes(sha256)?;
        if hex(&Sha256::digest(&bytes)) == sha256 {
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

    fn evidence_bytes(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT data FROM evidence_chunks WHERE sha256 = ?1 ORDER BY offset")?;
        let mut out = Vec::new();
        let mut rows = stmt.query([sha256])?;
        while let Some(r) = rows.next()? {
            let chunk: Vec<u8> = r.get(0)?;
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// The file's bytes, verified against its SHA-256 on every read.
    pub fn read_evidence(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let state: Option<String> = self
            .conn
            .query_row(
                "SELECT state FROM evidence WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?;
        match state.as_deref() {
            Some("present") => {}
            Some(_) => return Err(evidence_err(sha256, "not downloaded yet")),
            None => return Err(evidence_err(sha256, "unknown evidence file")),
        }
        let bytes = self.evidence_bytes(sha256)?;
        if hex(&Sha256::digest(&bytes)) != sha256 {
            return Err(evidence_err(
                sha256,
                "stored bytes do not match their SHA-256",
            ));
        }
        Ok(bytes)
    }
}
