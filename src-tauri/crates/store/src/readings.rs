//! What the evidence reader found, kept with the evidence: one reading per file (with the
//! reader's version, so a newer reader reads again and nothing else does), and per declaration
//! the flags its files' readings raise, merged into the declaration's flags so that the queue's
//! filters and batch approve see them like every other flag.
//!
//! The store keeps readings as opaque JSON: what a reading holds is the reader's business.

use crate::db::Store;
use crate::error::StoreError;
use crate::import::flag_bit;
use jxjy_core::Flag;
use rusqlite::{params, OptionalExtension};

/// A file to read: its hash and its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToRead {
    pub sha256: String,
    pub media_type: String,
}

/// A stored reading of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReading {
    pub sha256: String,
    pub reader_version: u32,
    pub reading: String,
}

/// A declaration whose reading flags are to be computed (again): a file of it was read since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleDeclaration {
    pub id: String,
    pub version: i64,
    /// The highest reading sequence among its files: stored with the result.
    pub seq: i64,
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Store {
    /// Present files of live declarations without a reading at `version`; the files of `first`
    /// (the declaration on screen) first, then in hash order.
    pub fn evidence_to_read(
        &self,
        version: u32,
        first: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ToRead>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.sha256, e.media_type, max(de.declaration_id = ?1) AS urgent FROM evidence e
             JOIN declaration_evidence de ON de.sha256 = e.sha256
             JOIN declarations d ON d.id = de.declaration_id AND d.deleted = 0
             LEFT JOIN evidence_readings r ON r.sha256 = e.sha256
             WHERE e.state = 'present' AND (r.sha256 IS NULL OR r.reader_version != ?2)
             GROUP BY e.sha256 ORDER BY urgent DESC, e.sha256 LIMIT ?3",
        )?;
        let rows = stmt
            .query_map(
                params![
                    first.unwrap_or(""),
                    i64::from(version),
                    i64::try_from(limit).unwrap_or(i64::MAX)
                ],
                |r| {
                    Ok(ToRead {
                        sha256: r.get(0)?,
                        media_type: r.get(1)?,
                    })
                },
            )?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Files of live declarations read at `version`, and all files of live declarations that
    /// are present: the reading's progress.
    pub fn reading_progress(&self, version: u32) -> Result<(u64, u64), StoreError> {
        let (read, present): (i64, i64) = self.conn.query_row(
            "SELECT count(r.sha256), count(*) FROM evidence e
             LEFT JOIN evidence_readings r ON r.sha256 = e.sha256 AND r.reader_version = ?1
             WHERE e.state = 'present' AND EXISTS (
               SELECT 1 FROM declaration_evidence de JOIN declarations d
                 ON d.id = de.declaration_id AND d.deleted = 0 WHERE de.sha256 = e.sha256)",
            [i64::from(version)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            u64::try_from(read).unwrap_or(0),
            u64::try_from(present).unwrap_or(0),
        ))
    }

    /// Stores what was read from a file (replacing an older reading); `certificate_key` is the
    /// certificate number as compared across declarations.
    pub fn put_reading(
        &mut self,
        sha256: &str,
        version: u32,
        reading: &str,
        certificate_key: Option<&str>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let known: bool = tx
            .query_row("SELECT 1 FROM evidence WHERE sha256 = ?1", [sha256], |_| {
                Ok(true)
            })
            .optional()?
            .unwrap_or(false);
        if !known {
            return Err(StoreError::Evidence {
                sha256: sha256.to_owned(),
                problem: "unknown evidence file".into(),
            });
        }
        let seq: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM evidence_readings",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO evidence_readings (sha256, reader_version, seq, reading, certificate_key)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(sha256) DO UPDATE SET reader_version = excluded.reader_version,
               seq = excluded.seq, reading = excluded.reading,
               certificate_key = excluded.certificate_key",
            params![sha256, i64::from(version), seq, reading, certificate_key],
        )?;
        // Another declaration with the same certificate number must be checked again too.
        if let Some(key) = certificate_key {
            tx.execute(
                "UPDATE declaration_reading SET seq = -1 WHERE declaration_id IN (
                   SELECT de.declaration_id FROM declaration_evidence de
                   JOIN evidence_readings r ON r.sha256 = de.sha256
                   WHERE r.certificate_key = ?1)",
                [key],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The stored reading of a file, if any.
    pub fn reading_of(&self, sha256: &str) -> Result<Option<StoredReading>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT sha256, reader_version, reading FROM evidence_readings WHERE sha256 = ?1",
                [sha256],
                |r| {
                    Ok(StoredReading {
                        sha256: r.get(0)?,
                        reader_version: u32::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                        reading: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Live declarations whose reading flags are missing or older than their files' readings
    /// or their own version; `first` (the declaration on screen) first.
    pub fn stale_reading_declarations(
        &self,
        first: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StaleDeclaration>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.version, max(r.seq) AS latest FROM declarations d
             JOIN declaration_evidence de ON de.declaration_id = d.id
             JOIN evidence_readings r ON r.sha256 = de.sha256
             LEFT JOIN declaration_reading dr ON dr.declaration_id = d.id
             WHERE d.deleted = 0
             GROUP BY d.id
             HAVING max(dr.seq) IS NULL OR max(dr.seq) < latest OR max(dr.version) != d.version
             ORDER BY d.id != ?2, d.id LIMIT ?1",
        )?;
        let rows = stmt
            .query_map(
                params![
                    i64::try_from(limit).unwrap_or(i64::MAX),
                    first.unwrap_or("")
                ],
                |r| {
                    Ok(StaleDeclaration {
                        id: r.get(0)?,
                        version: r.get(1)?,
                        seq: r.get(2)?,
                    })
                },
            )?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The stored readings of a declaration's files, in the declaration's order.
    pub fn readings_of_declaration(
        &self,
        declaration_id: &str,
    ) -> Result<Vec<StoredReading>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.sha256, r.reader_version, r.reading FROM declaration_evidence de
             JOIN evidence_readings r ON r.sha256 = de.sha256
             WHERE de.declaration_id = ?1 ORDER BY de.evidence_id",
        )?;
        let rows = stmt
            .query_map([declaration_id], |r| {
                Ok(StoredReading {
                    sha256: r.get(0)?,
                    reader_version: u32::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    reading: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Other live declarations holding a file whose certificate number compares as `key`.
    pub fn declarations_with_certificate(
        &self,
        key: &str,
        except: &str,
    ) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT de.declaration_id FROM evidence_readings r
             JOIN declaration_evidence de ON de.sha256 = r.sha256
             JOIN declarations d ON d.id = de.declaration_id AND d.deleted = 0
             WHERE r.certificate_key = ?1 AND de.declaration_id != ?2
             ORDER BY de.declaration_id LIMIT 20",
        )?;
        let rows = stmt
            .query_map(params![key, except], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Stores a declaration's reading flags and summary (computed for `version` and readings up
    /// to `seq`) and merges the flags into the declaration's own: flags from an earlier reading
    /// go, the new ones come in. A declaration changed since (another version) is left alone:
    /// it is stale again and computed anew.
    pub fn set_declaration_reading(
        &mut self,
        declaration_id: &str,
        version: i64,
        seq: i64,
        flags: &[Flag],
        summary: &str,
    ) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let row: Option<(i64, Option<String>)> = tx
            .query_row(
                "SELECT version, flags FROM declarations WHERE id = ?1 AND deleted = 0",
                [declaration_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((current, own)) = row else {
            return Ok(false);
        };
        if current != version {
            return Ok(false);
        }
        let own: Vec<Flag> = match own.as_deref() {
            Some(json) => serde_json::from_str(json).map_err(corrupt)?,
            None => Vec::new(),
        };
        let merged = merge_reading_flags(&own, flags);
        let mask = merged.iter().map(|f| flag_bit(*f)).fold(0, |a, b| a | b);
        tx.execute(
            "UPDATE declarations SET flags = ?2, flag_mask = ?3 WHERE id = ?1",
            params![
                declaration_id,
                serde_json::to_string(&merged).map_err(corrupt)?,
                mask
            ],
        )?;
        tx.execute(
            "INSERT INTO declaration_reading (declaration_id, version, seq, flags, summary)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(declaration_id) DO UPDATE SET version = excluded.version,
               seq = excluded.seq, flags = excluded.flags, summary = excluded.summary",
            params![
                declaration_id,
                version,
                seq,
                serde_json::to_string(flags).map_err(corrupt)?,
                summary
            ],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// A declaration's stored reading summary, when it is computed for its current version.
    pub fn declaration_reading_summary(
        &self,
        declaration_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT dr.summary FROM declaration_reading dr
                 JOIN declarations d ON d.id = dr.declaration_id AND d.version = dr.version
                 WHERE dr.declaration_id = ?1",
                [declaration_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The reading flags of every declaration whose reading is computed for its current
    /// version: kept through a re-evaluation, which recomputes the other flags.
    pub(crate) fn current_reading_flags(
        &self,
    ) -> Result<std::collections::HashMap<String, Vec<Flag>>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT dr.declaration_id, dr.flags FROM declaration_reading dr
             JOIN declarations d ON d.id = dr.declaration_id AND d.version = dr.version
             WHERE dr.flags != '[]'",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, json)| Ok((id, serde_json::from_str(&json).map_err(corrupt)?)))
            .collect()
    }
}

/// The declaration's flags with those of an earlier reading replaced by `reading`'s.
pub fn merge_reading_flags(own: &[Flag], reading: &[Flag]) -> Vec<Flag> {
    let mut out: Vec<Flag> = own
        .iter()
        .copied()
        .filter(|f| !f.is_from_reading())
        .collect();
    for f in reading {
        if !out.contains(f) {
            out.push(*f);
        }
    }
    out
}
