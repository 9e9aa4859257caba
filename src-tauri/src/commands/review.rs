//! The review screens: queue, declaration, decisions (one and batch), conflicts, staff, history.

use super::AppStateRef;
use crate::error::AppError;
use crate::state::blocking;
use crate::validate;
use chrono::Utc;
use jxjy_store::audit::AuditEntry;
use jxjy_store::batch::{BatchPlan, MAX_BATCH};
use jxjy_store::decide::DecisionRecord;
use jxjy_store::queries::{Dashboard, DeclarationView, QueueFilter, QueuePage};
use jxjy_store::roster::{RosterFilter, RosterPage};
use jxjy_store::sync_state::ConflictView;
use jxjy_store::undo::BatchUndo;
use jxjy_usecases::review::{self, BatchResult, DecideRequest};

#[tauri::command]
pub async fn queue(state: AppStateRef<'_>, filter: QueueFilter) -> Result<QueuePage, AppError> {
    if let Some(q) = &filter.search {
        validate::text("搜索内容", q, 64)?;
    }
    if let Some(id) = &filter.staff_id {
        validate::id("人员编号", id)?;
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

/// Records one decision; the sync worker is woken to send it (after a short pause, so that a
/// burst of decisions goes in one push).
#[tauri::command]
pub async fn decide(
    state: AppStateRef<'_>,
    input: DecideRequest,
) -> Result<DecisionRecord, AppError> {
    validate::id("申报编号", &input.declaration_id)?;
    if let Some(r) = &input.reason {
        validate::text("审核意见", r, 500)?;
    }
    blocking(state.inner(), move |s| {
        let record = review::decide(&mut s.store, input, Utc::now())?;
        s.worker.decided();
        Ok(record)
    })
    .await
}

fn check_ids(ids: &[String]) -> Result<(), AppError> {
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
    check_ids(&ids)?;
    blocking(state.inner(), move |s| {
        Ok(review::batch_plan(&s.store, &ids)?)
    })
    .await
}

/// Approves, with the computed credit, every item of `ids` that qualifies (re-checked here).
#[tauri::command]
pub async fn batch_approve(
    state: AppStateRef<'_>,
    ids: Vec<String>,
) -> Result<BatchResult, AppError> {
    check_ids(&ids)?;
    blocking(state.inner(), move |s| {
        let result = review::batch_approve(&mut s.store, &ids, Utc::now())?;
        if !result.approved.is_empty() {
            s.worker.decided();
        }
        Ok(result)
    })
    .await
}

/// Takes back the decision on a declaration while it has not left this PC.
#[tauri::command]
pub async fn undo(state: AppStateRef<'_>, id: String) -> Result<DecisionRecord, AppError> {
    validate::id("申报编号", &id)?;
    blocking(state.inner(), move |s| {
        Ok(review::undo(&mut s.store, &id, Utc::now())?)
    })
    .await
}

/// Takes back what is still on this PC of a batch approval.
#[tauri::command]
pub async fn undo_batch(state: AppStateRef<'_>, batch: String) -> Result<BatchUndo, AppError> {
    validate::id("批量审核编号", &batch)?;
    blocking(state.inner(), move |s| {
        Ok(review::undo_batch(&mut s.store, &batch, Utc::now())?)
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
        let meta = s.store.profile_meta()?;
        Ok(s.store
            .reveal_id_number(&staff_id, meta.reviewer()?, Utc::now())?)
    })
    .await
}
