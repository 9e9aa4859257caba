//! Taking a decision back while it is still on this PC: the decision is marked withdrawn, its
//! outbox entry goes and the declaration returns to the queue, with an audit entry, in one
//! transaction. A decision being sent, or already answered by the platform, stays.

use crate::audit;
use crate::db::Store;
use crate::decide::{decision_from_row, DecisionRecord, DECISION_COLUMNS};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use jxjy_core::{DecisionState, ReviewState};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

/// Why a decision cannot be undone here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum UndoRefusal {
    /// No decision on the declaration has been recorded here (or all were undone).
    Nothing,
    /// The decision is being uploaded right now.
    Sending,
    /// The decision has left this PC: the platform applied, refused or answered it with a
    /// conflict.
    Sent,
}

impl UndoRefusal {
    pub fn en(self) -> &'static str {
        match self {
            UndoRefusal::Nothing => "there is no decision on it to undo",
            UndoRefusal::Sending => "its decision is being uploaded right now",
            UndoRefusal::Sent => "its decision has already been sent to the platform; only the platform can change it now",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            UndoRefusal::Nothing => "没有可撤销的审核意见",
            UndoRefusal::Sending => "审核意见正在上传，不能撤销；请在同步完成后到平台处理",
            UndoRefusal::Sent => "审核意见已上传到平台，不能在本机撤销；如需更改请联系平台",
        }
    }
}

/// What a batch undo did: the declarations back in the queue, and those whose decision had
/// already left.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchUndo {
    pub undone: Vec<String>,
    /// Declarations whose decision of the batch could not be undone any more.
    pub kept: Vec<String>,
}

/// The decision waiting in the outbox for `declaration_id`, with its in-flight mark.
fn queued(
    tx: &Transaction<'_>,
    declaration_id: &str,
) -> Result<Option<(DecisionRecord, bool)>, StoreError> {
    Ok(tx
        .query_row(
            &format!(
                "SELECT {DECISION_COLUMNS}, o.in_flight FROM decisions d JOIN outbox o ON o.decision_key = d.key
                 WHERE d.declaration_id = ?1"
            ),
            [declaration_id],
            |r| Ok((decision_from_row(r)?, r.get::<_, bool>(12)?)),
        )
        .optional()?)
}

/// Withdraws the queued decision on `declaration_id`, or says why not.
fn undo_tx(
    tx: &Transaction<'_>,
    declaration_id: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<DecisionRecord, StoreError> {
    let refused = |why| StoreError::CannotUndo {
        id: declaration_id.to_owned(),
        why,
    };
    let Some((record, in_flight)) = queued(tx, declaration_id)? else {
        let answered: Option<String> = tx
            .query_row(
                "SELECT state FROM decisions WHERE declaration_id = ?1 AND state IN ('applied', 'conflict', 'rejected') LIMIT 1",
                [declaration_id],
                |r| r.get(0),
            )
            .optional()?;
        return Err(refused(if answered.is_some() {
            UndoRefusal::Sent
        } else {
            UndoRefusal::Nothing
        }));
    };
    if in_flight {
        return Err(refused(UndoRefusal::Sending));
    }
    let at = now.to_rfc3339();
    tx.execute("DELETE FROM outbox WHERE decision_key = ?1", [&record.key])?;
    tx.execute(
        "UPDATE decisions SET state = ?2, updated_at = ?3 WHERE key = ?1",
        params![record.key, DecisionState::Withdrawn.code(), at],
    )?;
    tx.execute(
        "UPDATE declarations SET review_state = ?2 WHERE id = ?1",
        params![declaration_id, ReviewState::Open.code()],
    )?;
    let after = serde_json::json!({ "key": record.key, "state": DecisionState::Withdrawn, "review_state": ReviewState::Open });
    let before = serde_json::to_value(&record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    audit::append(
        tx,
        now,
        actor,
        "undo",
        &format!("declaration:{declaration_id}"),
        Some(&before),
        Some(&after),
    )?;
    Ok(DecisionRecord {
        state: DecisionState::Withdrawn,
        ..record
    })
}

impl Store {
    /// Undoes the decision on `declaration_id` that is still waiting in the outbox.
    pub fn undo(
        &mut self,
        declaration_id: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<DecisionRecord, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let record = undo_tx(&tx, declaration_id, actor, now)?;
        tx.commit()?;
        Ok(record)
    }

    /// Undoes every decision of batch approval `batch` still waiting in the outbox, in one
    /// transaction; those already sent (or being sent) are listed as kept.
    pub fn undo_batch(
        &mut self,
        batch: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<BatchUndo, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let members: Vec<(String, String)> = tx
            .prepare("SELECT declaration_id, state FROM decisions WHERE batch = ?1 ORDER BY declaration_id")?
            .query_map([batch], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if members.is_empty() {
            return Err(StoreError::NotFound {
                what: "batch",
                id: batch.to_owned(),
            });
        }
        let mut result = BatchUndo {
            undone: Vec::new(),
            kept: Vec::new(),
        };
        for (id, state) in members {
            // Only the batch's own decision: a later one made on the item stays.
            match DecisionState::parse(&state) {
                Some(DecisionState::Pending) => match undo_tx(&tx, &id, actor, now) {
                    Ok(_) => result.undone.push(id),
                    Err(StoreError::CannotUndo { .. }) => result.kept.push(id),
                    Err(e) => return Err(e),
                },
                Some(DecisionState::Withdrawn | DecisionState::Superseded) => {}
                _ => result.kept.push(id),
            }
        }
        tx.commit()?;
        Ok(result)
    }
}
