//! Recording a decision: validated by the core against the stored evaluation, then decision,
//! outbox entry and audit entry in one transaction.

use crate::audit;
use crate::codes::{from_code, to_code};
use crate::db::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use jxjy_core::decision::{Decision, Outcome};
use jxjy_core::{Category, DecisionState, DeclarationResult, Hours, ReviewState};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// A stored decision and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionRecord {
    pub key: String,
    pub declaration_id: String,
    pub declaration_version: u64,
    pub outcome: Outcome,
    pub credited_hours: Option<Hours>,
    pub category: Option<Category>,
    pub reason: Option<String>,
    pub reviewer: String,
    pub decided_at: String,
    pub state: DecisionState,
    pub server_note: Option<String>,
    /// The batch approval this decision was part of (undone together), if any.
    #[serde(default)]
    pub batch: Option<String>,
}

pub(crate) const DECISION_COLUMNS: &str = "key, declaration_id, declaration_version, outcome, credited_centi, category, reason, reviewer, decided_at, state, server_note, batch";

pub(crate) fn decision_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DecisionRecord> {
    let outcome: String = r.get(3)?;
    let category: Option<String> = r.get(5)?;
    let version: i64 = r.get(2)?;
    Ok(DecisionRecord {
        key: r.get(0)?,
        declaration_id: r.get(1)?,
        declaration_version: u64::try_from(version).unwrap_or(0),
        outcome: from_code(&outcome)
            .map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))?,
        credited_hours: r.get::<_, Option<i64>>(4)?.map(Hours::from_centi),
        category: category.and_then(|c| from_code(&c).ok()),
        reason: r.get(6)?,
        reviewer: r.get(7)?,
        decided_at: r.get(8)?,
        state: from_code(&r.get::<_, String>(9)?)
            .map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))?,
        server_note: r.get(10)?,
        batch: r.get(11)?,
    })
}

struct Current {
    version: u64,
    status: String,
    deleted: bool,
    review_state: ReviewState,
    evaluation: Option<DeclarationResult>,
}

fn current(tx: &Transaction<'_>, id: &str) -> Result<Current, StoreError> {
    let row = tx
        .query_row(
            "SELECT d.version, d.status, d.deleted, d.review_state, d.staff_id, d.category, d.year,
                    d.computed_centi, d.credited_centi, d.deemed, d.clause, doc.explanation, d.flags
             FROM declarations d LEFT JOIN declaration_docs doc ON doc.id = d.id WHERE d.id = ?1",
            [id],
            |r| {
                let version: i64 = r.get(0)?;
                let credited: Option<i64> = r.get(8)?;
                let evaluation = match credited {
                    None => None,
                    Some(c) => {
                        let category: String = r.get(5)?;
                        let deemed: Option<String> = r.get(9)?;
                        let flags: String = r.get(12)?;
                        Some(DeclarationResult {
                            id: id.to_owned(),
                            staff_id: r.get(4)?,
                            category: from_code(&category).unwrap_or(Category::Professional),
                            year: r.get::<_, Option<i32>>(6)?.unwrap_or_default(),
                            computed_hours: Hours::from_centi(
                                r.get::<_, Option<i64>>(7)?.unwrap_or(c),
                            ),
                            credited_hours: Hours::from_centi(c),
                            deemed: deemed.and_then(|d| from_code(&d).ok()),
                            clause: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                            explanation: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                            flags: serde_json::from_str(&flags).unwrap_or_default(),
                        })
                    }
                };
                Ok(Current {
                    version: u64::try_from(version).unwrap_or(0),
                    status: r.get(1)?,
                    deleted: r.get(2)?,
                    review_state: from_code(&r.get::<_, String>(3)?)
                        .map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))?,
                    evaluation,
                })
            },
        )
        .optional()?;
    row.ok_or_else(|| StoreError::NotFound {
        what: "declaration",
        id: id.to_owned(),
    })
}

/// Queues `record` for upload: the decision, its outbox entry and the declaration's review
/// state. The one writer of a queued decision, for one made here and one imported from an
/// exchange file alike; the caller's transaction adds the audit entry.
pub(crate) fn enqueue(
    tx: &Transaction<'_>,
    record: &DecisionRecord,
    seen_doc: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO decisions (key, declaration_id, declaration_version, outcome, credited_centi,
                                category, reason, reviewer, decided_at, state, updated_at, seen_doc, batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            record.key,
            record.declaration_id,
            i64::try_from(record.declaration_version).unwrap_or(i64::MAX),
            to_code(&record.outcome),
            record.credited_hours.map(Hours::centi),
            record.category.map(|c| to_code(&c)),
            record.reason,
            record.reviewer,
            record.decided_at,
            DecisionState::Pending.code(),
            now.to_rfc3339(),
            seen_doc,
            record.batch,
        ],
    )?;
    tx.execute(
        "INSERT INTO outbox (decision_key, enqueued_at) VALUES (?1, ?2)",
        params![record.key, now.to_rfc3339()],
    )?;
    tx.execute(
        "UPDATE declarations SET review_state = ?2 WHERE id = ?1",
        params![record.declaration_id, ReviewState::Decided.code()],
    )?;
    Ok(())
}

/// The stored evaluation of a declaration if this profile holds it at `version`.
pub(crate) fn evaluation_at(
    tx: &Transaction<'_>,
    id: &str,
    version: u64,
) -> Result<Option<DeclarationResult>, StoreError> {
    match current(tx, id) {
        Ok(cur) if cur.version == version && !cur.deleted => Ok(cur.evaluation),
        Ok(_) | Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

impl Store {
    /// Records `decision`. The core validates it against the stored evaluation; an earlier
    /// decision on the same declaration that is still waiting to be sent is superseded (and
    /// audited), one already being sent is not touched.
    pub fn decide(
        &mut self,
        decision: &Decision,
        now: DateTime<Utc>,
    ) -> Result<DecisionRecord, StoreError> {
        self.decide_in_batch(decision, None, now)
    }

    /// `decide`, the decision marked as part of batch approval `batch` (undone together).
    pub fn decide_in_batch(
        &mut self,
        decision: &Decision,
        batch: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DecisionRecord, StoreError> {
        let id = decision.declaration_id.as_str();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let cur = current(&tx, id)?;
        if cur.deleted {
            return Err(StoreError::Withdrawn { id: id.to_owned() });
        }
        if cur.version != decision.declaration_version {
            return Err(StoreError::StaleVersion {
                id: id.to_owned(),
                seen: decision.declaration_version,
                current: cur.version,
            });
        }
        if cur.status != "pending_unit_review" {
            return Err(StoreError::NotReviewable {
                id: id.to_owned(),
                status: cur.status,
            });
        }
        let evaluation = cur
            .evaluation
            .ok_or_else(|| StoreError::NotEvaluated { id: id.to_owned() })?;
        decision.validate(&evaluation)?;

        let earlier: Option<(DecisionRecord, bool)> = tx
            .query_row(
                &format!(
                    "SELECT {DECISION_COLUMNS}, o.in_flight FROM decisions d JOIN outbox o ON o.decision_key = d.key
                     WHERE d.declaration_id = ?1 AND d.state = 'pending'"
                ),
                [id],
                |r| Ok((decision_from_row(r)?, r.get::<_, bool>(12)?)),
            )
            .optional()?;
        if let Some((old, in_flight)) = &earlier {
            if *in_flight {
                return Err(StoreError::InFlight { id: id.to_owned() });
            }
            tx.execute("DELETE FROM outbox WHERE decision_key = ?1", [&old.key])?;
            tx.execute(
                "UPDATE decisions SET state = 'superseded', updated_at = ?2 WHERE key = ?1",
                params![old.key, now.to_rfc3339()],
            )?;
        }

        let record = DecisionRecord {
            key: decision.idempotency_key.clone(),
            declaration_id: id.to_owned(),
            declaration_version: decision.declaration_version,
            outcome: decision.outcome,
            credited_hours: decision.credited_hours,
            category: decision.category,
            reason: decision.reason.as_deref().map(|r| r.trim().to_owned()),
            reviewer: decision.reviewer.clone(),
            decided_at: decision
                .decided_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            state: DecisionState::Pending,
            server_note: None,
            batch: batch.map(str::to_owned),
        };
        let seen_doc: Option<String> = tx
            .query_row(
                "SELECT doc FROM declaration_docs WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        enqueue(&tx, &record, seen_doc.as_deref(), now)?;
        Store::resolve_conflicts_tx(&tx, id, &now.to_rfc3339())?;
        let before = serde_json::json!({
            "review_state": cur.review_state,
            "superseded": earlier.as_ref().map(|(d, _)| d),
        });
        let after =
            serde_json::to_value(&record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        audit::append(
            &tx,
            now,
            &decision.reviewer,
            "decide",
            &format!("declaration:{id}"),
            Some(&before),
            Some(&after),
        )?;
        tx.commit()?;
        Ok(record)
    }

    /// Decisions waiting in the outbox, oldest first.
    pub fn outbox(&self) -> Result<Vec<DecisionRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DECISION_COLUMNS} FROM decisions d JOIN outbox o ON o.decision_key = d.key ORDER BY o.seq"
        ))?;
        let rows = stmt
            .query_map([], decision_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every decision ever recorded on a declaration, oldest first.
    pub fn decisions_for(&self, declaration_id: &str) -> Result<Vec<DecisionRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DECISION_COLUMNS} FROM decisions WHERE declaration_id = ?1 ORDER BY decided_at, key"
        ))?;
        let rows = stmt
            .query_map([declaration_id], decision_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
