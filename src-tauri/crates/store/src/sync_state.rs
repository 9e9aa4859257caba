//! What the sync engine reads and writes besides pages: settings in `meta`, the outbox batch in
//! flight, per-item push results (applied, conflict with both versions, rejected), scope
//! checksums, and the status summary.

use crate::audit;
use crate::db::Store;
use crate::decide::{decision_from_row, DecisionRecord, DECISION_COLUMNS};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use jxjy_core::{Declaration, SyncScope};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The platform's answer to one pushed decision.
#[derive(Debug, Clone, PartialEq)]
pub enum PushOutcome {
    /// Applied now or before (a duplicate); `version` is the declaration's new version.
    Applied { version: Option<u64> },
    /// The declaration changed on the platform; `current` is its state there (None: withdrawn).
    Conflict {
        current: Option<Box<Declaration>>,
        detail: String,
    },
    /// Refused, with the platform's reason; the item leaves the queue.
    Rejected { detail: String },
}

/// The sync bar's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    pub pending: i64,
    pub in_flight: i64,
    pub conflicts: i64,
    pub rejected: i64,
    pub last_sync: Option<String>,
    pub last_attempt: Option<String>,
    pub last_error: Option<String>,
    /// Whether the last attempt reached the platform and succeeded.
    pub online: bool,
    /// Server time minus local time at the last sync, seconds.
    pub clock_offset_secs: Option<i64>,
    pub server: Option<String>,
    pub username: Option<String>,
    pub unit_id: Option<String>,
}

/// A conflict as the reviewer sees it: their decision and the platform's current declaration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictView {
    pub id: i64,
    pub declaration_id: String,
    pub decision: DecisionRecord,
    /// The declaration as the reviewer saw it when deciding (None for decisions made before
    /// this was kept).
    pub seen: Option<Declaration>,
    pub server: Option<Declaration>,
    pub detected_at: String,
}

impl Store {
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        write_meta(&self.conn, key, value)
    }

    /// Forgets a scope's cursor so that the next pull starts over (a checksum mismatch).
    pub fn reset_cursor(&mut self, scope: SyncScope) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM sync_cursors WHERE scope = ?1", [scope.code()])?;
        Ok(())
    }

    /// Count and checksum of a scope as the platform computes them (XOR of SHA-256 of `id`
    /// for staff, of `id:version` for declarations, over live items).
    pub fn scope_checksum(&self, scope: SyncScope) -> Result<(i64, String), StoreError> {
        let sql = match scope {
            SyncScope::Staff => "SELECT id FROM staff WHERE deleted = 0",
            SyncScope::Declarations => {
                "SELECT id || ':' || version FROM declarations WHERE deleted = 0"
            }
        };
        let mut stmt = self.conn.prepare(sql)?;
        let mut acc = [0u8; 32];
        let mut n = 0;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let k: String = r.get(0)?;
            for (a, b) in acc.iter_mut().zip(Sha256::digest(k.as_bytes())) {
                *a ^= b;
            }
            n += 1;
        }
        Ok((n, acc.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// Marks live items of a scope that a full re-pull did not bring as withdrawn (kept, never
    /// deleted: a decision may refer to them).
    pub fn mark_unseen_withdrawn(
        &mut self,
        scope: SyncScope,
        seen: &std::collections::HashSet<String>,
    ) -> Result<usize, StoreError> {
        let table = match scope {
            SyncScope::Staff => "staff",
            SyncScope::Declarations => "declarations",
        };
        let ids: Vec<String> = self
            .conn
            .prepare(&format!("SELECT id FROM {table} WHERE deleted = 0"))?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let tx = self.conn.transaction()?;
        let mut n = 0;
        for id in ids.iter().filter(|id| !seen.contains(*id)) {
            tx.execute(
                &format!("UPDATE {table} SET deleted = 1 WHERE id = ?1"),
                [id],
            )?;
            n += 1;
        }
        tx.commit()?;
        Ok(n)
    }

    /// The next decisions to send, oldest first; they are marked in flight.
    pub fn take_outbox_batch(&mut self, limit: usize) -> Result<Vec<DecisionRecord>, StoreError> {
        let tx = self.conn.transaction()?;
        let batch: Vec<DecisionRecord> = tx
            .prepare(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions d JOIN outbox o ON o.decision_key = d.key
                 ORDER BY o.seq LIMIT ?1"
            ))?
            .query_map([limit as i64], decision_from_row)?
            .collect::<Result<_, _>>()?;
        for d in &batch {
            tx.execute(
                "UPDATE outbox SET in_flight = 1, attempts = attempts + 1 WHERE decision_key = ?1",
                [&d.key],
            )?;
        }
        tx.commit()?;
        Ok(batch)
    }

    /// Notes a failed send of the in-flight batch; the items stay queued (and in flight: the
    /// platform may have applied them, so they are resent with the same keys).
    pub fn note_push_error(&mut self, error: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET last_error = ?1 WHERE in_flight = 1",
            [error],
        )?;
        Ok(())
    }

    /// Records the platform's answer for one decision, in one transaction with its audit entry.
    pub fn record_push_result(
        &mut self,
        key: &str,
        outcome: &PushOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let decision: Option<DecisionRecord> = tx
            .query_row(
                &format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE key = ?1"),
                [key],
                decision_from_row,
            )
            .optional()?;
        let Some(decision) = decision else {
            return Err(StoreError::NotFound {
                what: "decision",
                id: key.to_owned(),
            });
        };
        let at = now.to_rfc3339();
        use jxjy_core::{DecisionState as D, ReviewState as R};
        let (state, note, review_state) = match outcome {
            PushOutcome::Applied { .. } => (D::Applied, None, R::Decided),
            PushOutcome::Conflict { detail, .. } => {
                (D::Conflict, Some(detail.clone()), R::Conflict)
            }
            PushOutcome::Rejected { detail } => (D::Rejected, Some(detail.clone()), R::Open),
        };
        tx.execute(
            "UPDATE decisions SET state = ?2, server_note = ?3, updated_at = ?4 WHERE key = ?1",
            params![key, state.code(), note, at],
        )?;
        tx.execute("DELETE FROM outbox WHERE decision_key = ?1", [key])?;
        tx.execute(
            "UPDATE declarations SET review_state = ?2 WHERE id = ?1",
            params![decision.declaration_id, review_state.code()],
        )?;
        if let PushOutcome::Conflict { current, .. } = outcome {
            let local =
                serde_json::to_string(&decision).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let server =
                serde_json::to_string(current).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO conflicts (declaration_id, decision_key, local, server, detected_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![decision.declaration_id, key, local, server, at],
            )?;
        }
        let after = serde_json::json!({"key": key, "state": state, "note": note});
        audit::append(
            &tx,
            now,
            "sync",
            &format!("push_{state}"),
            &format!("declaration:{}", decision.declaration_id),
            Some(&serde_json::json!({"state": decision.state})),
            Some(&after),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Open conflicts, oldest first.
    pub fn conflicts(&self) -> Result<Vec<ConflictView>, StoreError> {
        type Row = (i64, String, String, String, String, Option<String>);
        let rows: Vec<Row> = self
            .conn
            .prepare(
                "SELECT c.id, c.declaration_id, c.local, c.server, c.detected_at, d.seen_doc
                 FROM conflicts c LEFT JOIN decisions d ON d.key = c.decision_key
                 WHERE c.resolved_at IS NULL ORDER BY c.id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, declaration_id, local, server, detected_at, seen)| {
                let decision: DecisionRecord = decision_from_json(&local)?;
                let server: Option<Declaration> = serde_json::from_str(&server)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let seen: Option<Declaration> = seen
                    .map(|s| serde_json::from_str(&s))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(ConflictView {
                    id,
                    declaration_id,
                    decision,
                    seen,
                    server,
                    detected_at,
                })
            })
            .collect()
    }

    /// Closes the open conflicts of a declaration (the reviewer decided again).
    pub(crate) fn resolve_conflicts_tx(
        tx: &rusqlite::Transaction<'_>,
        declaration_id: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        tx.execute(
            "UPDATE conflicts SET resolved_at = ?2 WHERE declaration_id = ?1 AND resolved_at IS NULL",
            params![declaration_id, now],
        )?;
        Ok(())
    }

    /// The sync bar's summary.
    pub fn sync_status(&self) -> Result<SyncStatus, StoreError> {
        let one = |sql: &str| -> Result<i64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
        };
        let meta = self.profile_meta()?;
        Ok(SyncStatus {
            pending: one("SELECT count(*) FROM outbox")?,
            in_flight: one("SELECT count(*) FROM outbox WHERE in_flight = 1")?,
            conflicts: one("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL")?,
            rejected: one("SELECT count(*) FROM decisions WHERE state = 'rejected'")?,
            online: {
                let (last, attempt) = (self.meta("last_sync")?, self.meta("last_attempt")?);
                let clean = self.meta("last_error")?.is_none_or(|e| e.is_empty());
                clean && last.is_some() && last >= attempt
            },
            last_sync: self.meta("last_sync")?,
            last_attempt: self.meta("last_attempt")?,
            last_error: self.meta("last_error")?.filter(|e| !e.is_empty()),
            clock_offset_secs: self.meta("clock_offset_secs")?.and_then(|v| v.parse().ok()),
            server: meta.server,
            username: meta.username,
            unit_id: meta.unit_id,
        })
    }
}

fn decision_from_json(text: &str) -> Result<DecisionRecord, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Sets one meta value on `conn` (a connection or an open transaction).
pub(crate) fn write_meta(
    conn: &rusqlite::Connection,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
