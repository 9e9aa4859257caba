//! Roster corrections: check an uploaded sheet, then apply exactly the rows that were shown.

use super::fallback_actor;
use crate::commands::AppStateRef;
use crate::error::{AppError, ErrorCode};
use crate::state::blocking;
use chrono::Utc;
use jxjy_core::roster_fix::RowCheck;
use jxjy_usecases::{ids, roster};
use serde::Serialize;
use tauri::ipc::{InvokeBody, Request};

/// The largest corrections sheet the page may hand over in one message.
const MAX_SHEET: usize = 20 * 1024 * 1024;

fn raw_body<'a>(request: &'a Request<'_>) -> Result<&'a [u8], AppError> {
    match request.body() {
        InvokeBody::Raw(bytes) if bytes.len() <= MAX_SHEET => Ok(bytes),
        InvokeBody::Raw(_) => Err(AppError::invalid("表格过大（超过20MB）")),
        InvokeBody::Json(_) => Err(AppError::invalid("应上传文件内容")),
    }
}

/// The checked rows of a corrections sheet; `token` confirms exactly these.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RosterCheck {
    #[ts(type = "number")]
    pub token: u64,
    pub rows: Vec<RowCheck>,
    pub ready: u64,
}

/// Checks an uploaded corrections sheet; nothing changes until `roster_import_apply`.
#[tauri::command]
pub async fn roster_import_check(
    state: AppStateRef<'_>,
    request: Request<'_>,
) -> Result<RosterCheck, AppError> {
    let bytes = raw_body(&request)?.to_vec();
    blocking(state.inner(), move |s| {
        let sheet = roster::check_corrections(&s.store, &bytes)?;
        let token = ids::check_token();
        let ready = sheet.ready.len() as u64;
        s.pending_roster = Some((token, sheet.ready));
        Ok(RosterCheck {
            token,
            rows: sheet.rows,
            ready,
        })
    })
    .await
}

/// Applies the rows without errors of the sheet checked under `token`.
#[tauri::command]
pub async fn roster_import_apply(state: AppStateRef<'_>, token: u64) -> Result<u64, AppError> {
    blocking(state.inner(), move |s| {
        let Some((t, rows)) = s.pending_roster.take() else {
            return Err(AppError::new(ErrorCode::NotAllowed, "请先选择并检查表格"));
        };
        if t != token {
            s.pending_roster = Some((t, rows));
            return Err(AppError::new(
                ErrorCode::Stale,
                "表格已重新检查，请按最新结果确认",
            ));
        }
        s.store.profile_meta()?.reviewer()?;
        let who = fallback_actor(s);
        let n = roster::apply_corrections(&mut s.store, &rows, &who, Utc::now())?;
        Ok(n as u64)
    })
    .await
}
