//! Deciding: one decision, a batch approval, and taking either back while it is on this PC.

use crate::error::UseCaseError;
use crate::ids;
use chrono::{DateTime, Utc};
use jxjy_core::decision::{Decision, Outcome, Review};
use jxjy_core::Hours;
use jxjy_store::batch::{BatchPlan, MAX_BATCH};
use jxjy_store::decide::DecisionRecord;
use jxjy_store::undo::BatchUndo;
use jxjy_store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// What the reviewer asks for on one declaration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecideRequest {
    pub declaration_id: String,
    /// The version the reviewer saw; a newer one on file makes this a `stale` error. Left out
    /// (the CLI), the version on file.
    #[serde(default)]
    pub declaration_version: Option<u64>,
    pub outcome: Outcome,
    /// Approve only; the computed credit when left out. A different figure needs a reason.
    #[serde(default)]
    pub credited_hours: Option<Hours>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Records one decision: built by the core from the stored evaluation, validated, and written
/// with its outbox and audit entries in one transaction.
pub fn decide(
    store: &mut Store,
    request: DecideRequest,
    now: DateTime<Utc>,
) -> Result<DecisionRecord, UseCaseError> {
    let meta = store.profile_meta()?;
    let reviewer = meta.reviewer()?;
    let view = store.declaration(&request.declaration_id)?;
    let evaluation = view.evaluation.ok_or_else(|| StoreError::NotEvaluated {
        id: request.declaration_id.clone(),
    })?;
    let review = Review {
        outcome: request.outcome,
        credited_hours: request.credited_hours,
        reason: request.reason,
    };
    let decision = Decision::from_review(
        &evaluation,
        request
            .declaration_version
            .unwrap_or(view.declaration.version),
        review,
        reviewer,
        now,
        ids::decision_key(now)?,
    )
    .map_err(StoreError::from)?;
    Ok(store.decide(&decision, now)?)
}

/// A batch approval as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchResult {
    /// The batch's id: `undo_batch` takes it back as one.
    pub batch: String,
    pub approved: Vec<String>,
    pub plan: BatchPlan,
}

fn check_batch(ids: &[String]) -> Result<(), UseCaseError> {
    if ids.is_empty() {
        return Err(UseCaseError::input(
            "no declarations given",
            "请先选择要通过的申报",
        ));
    }
    if ids.len() > MAX_BATCH {
        return Err(UseCaseError::input(
            format!("at most {MAX_BATCH} declarations per batch"),
            format!("一次最多批量通过{MAX_BATCH}条"),
        ));
    }
    Ok(())
}

/// What a batch approval of `ids` would record, and what it leaves out and why.
pub fn batch_plan(store: &Store, ids: &[String]) -> Result<BatchPlan, UseCaseError> {
    check_batch(ids)?;
    Ok(store.batch_plan(ids)?)
}

/// Approves, with the computed credit, every item of `ids` that qualifies (re-checked here),
/// all under one batch id.
pub fn batch_approve(
    store: &mut Store,
    declaration_ids: &[String],
    now: DateTime<Utc>,
) -> Result<BatchResult, UseCaseError> {
    check_batch(declaration_ids)?;
    let reviewer = store.profile_meta()?.reviewer()?.to_owned();
    let plan = store.batch_plan(declaration_ids)?;
    let keys = plan
        .eligible
        .iter()
        .map(|_| ids::decision_key(now))
        .collect::<Result<Vec<_>, _>>()?;
    let batch = ids::batch_id(now)?;
    let mut keys = keys.into_iter();
    let approved = store.batch_approve(&plan, &batch, &reviewer, now, || {
        keys.next().unwrap_or_default()
    })?;
    Ok(BatchResult {
        batch,
        approved,
        plan,
    })
}

/// Takes back the decision on `declaration_id` while it waits in the outbox.
pub fn undo(
    store: &mut Store,
    declaration_id: &str,
    now: DateTime<Utc>,
) -> Result<DecisionRecord, UseCaseError> {
    let actor = store.profile_meta()?.reviewer()?.to_owned();
    Ok(store.undo(declaration_id, &actor, now)?)
}

/// Takes back what is still on this PC of batch approval `batch`.
pub fn undo_batch(
    store: &mut Store,
    batch: &str,
    now: DateTime<Utc>,
) -> Result<BatchUndo, UseCaseError> {
    let actor = store.profile_meta()?.reviewer()?.to_owned();
    Ok(store.undo_batch(batch, &actor, now)?)
}
