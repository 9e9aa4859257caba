//! xlsx exports and the print preview.

use super::{fallback_actor, Written};
use crate::commands::AppStateRef;
use crate::error::AppError;
use crate::state::blocking;
use crate::validate;
use chrono::Utc;
use jxjy_store::queries::QueueFilter;
use jxjy_usecases::exports::{self, ExportKind, PrintInput};
use jxjy_usecases::files;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ExportInput {
    pub what: ExportKind,
    /// Full ID numbers (the reading is audited); masked otherwise.
    pub full_ids: bool,
    /// Queue only: the filter on screen (paging is ignored: every matching row).
    pub filter: Option<QueueFilter>,
}

#[tauri::command]
pub async fn export_xlsx(state: AppStateRef<'_>, input: ExportInput) -> Result<Written, AppError> {
    if let Some(q) = input.filter.as_ref().and_then(|f| f.search.as_ref()) {
        validate::text("搜索内容", q, 64)?;
    }
    let dir = state.exports.clone();
    blocking(state.inner(), move |s| {
        s.store.profile_meta()?.reviewer()?;
        let who = fallback_actor(s);
        let book = exports::xlsx(
            &mut s.store,
            input.what,
            input.full_ids,
            &input.filter.unwrap_or_default(),
            None,
            &who,
            Utc::now(),
        )?;
        let path = files::stamped(&dir, &book.stem(input.what), "xlsx", chrono::Local::now())?;
        book.write(&path)?;
        Ok(Written {
            paths: vec![path.display().to_string()],
            rows: book.rows as u64,
            missing_evidence: 0,
            full_ids: book.full_ids,
        })
    })
    .await
}

/// A self-contained A4 HTML page (no script; its own CSP) for the print preview.
#[tauri::command]
pub async fn print_view(state: AppStateRef<'_>, input: PrintInput) -> Result<String, AppError> {
    if let PrintInput::Staff(id) | PrintInput::Pack(id) = &input {
        validate::id("编号", id)?;
    }
    blocking(state.inner(), move |s| {
        if matches!(input, PrintInput::Summary) {
            s.store.profile_meta()?.reviewer()?;
        }
        let who = fallback_actor(s);
        Ok(exports::print_view(
            &s.store,
            &input,
            None,
            &who,
            chrono::Local::now(),
        )?)
    })
    .await
}
