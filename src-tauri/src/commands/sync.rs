//! Sync controls for the sync bar; progress and state arrive as `sync` events.

use super::AppStateRef;
use crate::error::AppError;
use crate::state::blocking;
use crate::sync_worker::SyncState;
use crate::validate;

/// Starts a sync now; `evidence_first` names the declaration on screen, whose files come first.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(
    state: AppStateRef<'_>,
    evidence_first: Option<String>,
) -> Result<(), AppError> {
    if let Some(id) = &evidence_first {
        validate::id("申报编号", id)?;
    }
    blocking(state.inner(), move |s| s.worker.request(evidence_first)).await
}

/// Stops the running sync at its next step (downloads resume later from where they stopped).
#[tauri::command]
pub async fn sync_pause(state: AppStateRef<'_>) -> Result<(), AppError> {
    blocking(state.inner(), |s| {
        s.worker.pause();
        Ok(())
    })
    .await
}

/// The sync bar's state now (events keep it current afterwards).
#[tauri::command]
pub async fn sync_state(state: AppStateRef<'_>) -> Result<SyncState, AppError> {
    blocking(state.inner(), |s| {
        Ok(SyncState {
            running: s.worker.running(),
            status: Some(s.store.sync_status()?),
            error: None,
            report: None,
            next_in_secs: None,
        })
    })
    .await
}
