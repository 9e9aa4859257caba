//! The review screens: queue, declaration, decisions (one and batch), conflicts, staff, history.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use crate::state::blocking;
use crate::validate;
use chrono::Utc;
use jxjy_core::decision::{Decision, Outcome, Review};
use jxjy_core::Hours;
use jxjy_store::audit::AuditEntry;
use jxjy_store::batch::{BatchPlan, MAX_BATCH};
use jxjy_store::decide::DecisionRecord;
use jxjy_store::keys;
use jxjy_store::queries::{Dashboard, DeclarationView, QueueFilter, QueuePage};
use jxjy_store::roster::{RosterFilter, RosterPage};
use jxjy_store::sync_state::ConflictView;
use jxjy_store::StoreError;
use serde::{Deserialize, Serialize};

#[tauri::command]
pub async fn queue(state: AppStateRef<'_>, filter: QueueFilter) -> Result<QueuePage, AppError> {
    if let Some(q) = &filter.search {
        validate::text("搜索内容", q, 64)?;
    }
    if let Some(id) = &filter.staff_id {
        validate::id("人员编号", id)?;
    }
    if let Some(s) = &filter.review_state {
        if !matches!(s.as_str(), "open" | "decided" | "conflict") {
            return Err(AppError::invalid(
                "审核状态只能是 open、decided 或 conflict",
            ));
        }
    }
    if filter.limit > 500 {
        return Err(AppError::invalid("每页最多500条"));
    }
    blocking(state.inner(), move |s| Ok(s.store.queue(&filter)?)).await
}

#[tauri::command]
pub async fn dashboard(state: AppStateRef<'_>) -> Result<Dashboard, AppError> {
    blocking(state.inner(), |s| Ok(s.store.dashboard()?)).await
}

#[tauri::command]
pub async fn declaration(state: AppStateRef<'_>, id: String) -> Result<DeclarationView, AppError> {
    validate::id("申报编号", &id)?;
    blocking(state.inner(), move |s| Ok(s.store.declaration(&id)?)).await
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct DecideInput {
    pub declaration_id: String,
    /// The version the reviewer saw; a newer one on file makes this a `stale` error.
    pub declaration_version: u64,
    pub outcome: Outcome,
    /// Approve only; the computed credit when left out. A different figure needs a reason.
    pub credited_hours: Option<Hours>,
    pub reason: Option<String>,
}

#[tauri::command]
pub async fn decide(
    state: AppStateRef<'_>,
    input: DecideInput,
) -> Result<DecisionRecord, AppError> {
    validate::id("申报编号", &input.declaration_id)?;
    if let Some(r) = &input.reason {
        validate::text("审核意见", r, 500)?;
    }
    blocking(state.inner(), move |s| {
        let reviewer = s.reviewer()?;
        let view = s.store.declaration(&input.declaration_id)?;
        let eval = view.evaluation.ok_or_else(|| {
            AppError::new(ErrorCode::NotAllowed, "这条申报尚未核算学时，请先同步")
        })?;
        let now = Utc::now();
        let review = Review {
            outcome: input.outcome,
            credited_hours: input.credited_hours,
            reason: input.reason,
        };
        let decision = Decision::from_review(
            &eval,
            input.declaration_version,
            review,
            &reviewer,
            now,
            keys::new_decision_key(now)?,
        )
        .map_err(StoreError::from)?;
        Ok(s.store.decide(&decision, now)?)
    })
    .await
}

fn check_batch(ids: &[String]) -> Result<(), AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid("请先选择要通过的申报"));
    }
    if ids.len() > MAX_BATCH {
        return Err(AppError::invalid(format!("一次最多批量通过{MAX_BATCH}条")));
    }
    ids.iter().try_for_each(|id| validate::id("申报编号", id))
}

/// What a batch approval of `ids` would record, and what it leaves out and why.
#[tauri::command]
pub async fn batch_preview(
    state: AppStateRef<'_>,
    ids: Vec<String>,
) -> Result<BatchPlan, AppError> {
    check_batch(&ids)?;
    blocking(state.inner(), move |s| Ok(s.store.batch_plan(&ids)?)).await
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BatchResult {
    pub approved: Vec<String>,
    pub plan: BatchPlan,
}

/// Approves, with the computed credit, every item of `ids` that qualifies (re-checked here).
#[tauri::command]
pub async fn batch_approve(
    state: AppStateRef<'_>,
    ids: Vec<String>,
) -> Result<BatchResult, AppError> {
    check_batch(&ids)?;
    blocking(state.inner(), move |s| {
        let reviewer = s.reviewer()?;
        let plan = s.store.batch_plan(&ids)?;
        let now = Utc::now();
        let mut fresh = Vec::with_capacity(plan.eligible.len());
        for _ in &plan.eligible {
            fresh.push(keys::new_decision_key(now)?);
        }
        let mut fresh = fresh.into_iter();
        let approved = s
            .store
            .batch_approve(&plan, &reviewer, now, || fresh.next().unwrap_or_default())?;
        Ok(BatchResult { approved, plan })
    })
    .await
}

#[tauri::command]
pub async fn conflicts(state: AppStateRef<'_>) -> Result<Vec<ConflictView>, AppError> {
    blocking(state.inner(), |s| Ok(s.store.conflicts()?)).await
}

#[tauri::command]
pub async fn history(state: AppStateRef<'_>, id: String) -> Result<Vec<AuditEntry>, AppError> {
    validate::id("申报编号", &id)?;
    blocking(state.inner(), move |s| Ok(s.store.history(&id)?)).await
}

#[tauri::command]
pub async fn roster(state: AppStateRef<'_>, filter: RosterFilter) -> Result<RosterPage, AppError> {
    if let Some(q) = &filter.search {
        validate::text("搜索内容", q, 64)?;
    }
    if filter.limit > 500 {
        return Err(AppError::invalid("每页最多500条"));
    }
    blocking(state.inner(), move |s| Ok(s.store.roster(&filter)?)).await
}

/// The full ID number of one staff member; the reading is written to the audit log.
#[tauri::command(rename_all = "snake_case")]
pub async fn reveal_id_number(
    state: AppStateRef<'_>,
    staff_id: String,
) -> Result<String, AppError> {
    validate::id("人员编号", &staff_id)?;
    blocking(state.inner(), move |s| {
        let reviewer = s.reviewer()?;
        Ok(s.store.reveal_id_number(&staff_id, &reviewer, Utc::now())?)
    })
    .await
}
