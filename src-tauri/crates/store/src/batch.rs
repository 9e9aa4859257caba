//! Batch approval: the core's `batch_skip_reason` sorts the items; every one left out is listed
//! with its reason, so the summary the reviewer confirms is exactly what will be recorded.

use crate::db::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use jxjy_core::decision::{batch_skip_reason, Decision, Outcome};
use jxjy_core::{Category, Hours};
use serde::Serialize;

/// At most this many items per batch.
pub const MAX_BATCH: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchItem {
    pub id: String,
    pub version: u64,
    pub staff_name: Option<String>,
    pub credited_hours: Hours,
    pub category: Category,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchSkip {
    pub id: String,
    /// Why, in Chinese.
    pub reason: String,
}

/// What a batch approval would record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchPlan {
    pub eligible: Vec<BatchItem>,
    pub skipped: Vec<BatchSkip>,
    pub total_hours: Hours,
}

impl Store {
    /// Sorts `ids` into those a batch approval may record and those it must leave out.
    pub fn batch_plan(&self, ids: &[String]) -> Result<BatchPlan, StoreError> {
        let mut eligible = Vec::new();
        let mut skipped = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for id in ids.iter().filter(|id| seen.insert(id.as_str())) {
            let skip = |reason: &str| BatchSkip {
                id: id.clone(),
                reason: reason.to_owned(),
            };
            let view = match self.declaration(id) {
                Ok(v) => v,
                Err(StoreError::NotFound { .. }) => {
                    skipped.push(skip("本地没有这条申报"));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let reason = batch_skip_reason(
                view.declaration.status,
                view.review_state,
                view.withdrawn,
                view.evaluation.as_ref(),
            );
            match (reason, view.evaluation) {
                (None, Some(e)) => eligible.push(BatchItem {
                    id: id.clone(),
                    version: view.declaration.version,
                    staff_name: view.staff.map(|s| s.name),
                    credited_hours: e.credited_hours,
                    category: e.category,
                }),
                (reason, _) => skipped.push(BatchSkip {
                    id: id.clone(),
                    reason: reason.unwrap_or_else(|| "尚未核算学时".to_owned()),
                }),
            }
        }
        let total_hours = eligible.iter().map(|i| i.credited_hours).sum();
        Ok(BatchPlan {
            eligible,
            skipped,
            total_hours,
        })
    }

    /// Records an approval with the computed credit for every eligible item of `plan`, each in
    /// its own transaction and marked with `batch` (so the batch can be undone as one); `key`
    /// makes each decision's idempotency key.
    pub fn batch_approve(
        &mut self,
        plan: &BatchPlan,
        batch: &str,
        reviewer: &str,
        now: DateTime<Utc>,
        mut key: impl FnMut() -> String,
    ) -> Result<Vec<String>, StoreError> {
        let mut done = Vec::with_capacity(plan.eligible.len());
        for item in &plan.eligible {
            let decision = Decision {
                declaration_id: item.id.clone(),
                declaration_version: item.version,
                outcome: Outcome::Approve,
                credited_hours: Some(item.credited_hours),
                category: Some(item.category),
                reason: None,
                reviewer: reviewer.to_owned(),
                decided_at: now,
                idempotency_key: key(),
            };
            self.decide_in_batch(&decision, Some(batch), now)?;
            done.push(item.id.clone());
        }
        Ok(done)
    }
}
