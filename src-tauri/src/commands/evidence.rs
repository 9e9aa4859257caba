//! Evidence bytes for the viewer: hash-checked by the store, then content-sniffed here; only
//! PDF and raster images leave, never SVG, HTML or anything unknown.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use crate::reading_worker::ReadingProgress;
use crate::state::blocking;
use crate::validate;
use jxjy_core::filekind::sniff;
use jxjy_usecases::readings::{self, DeclarationReading};
use tauri::ipc::Response;

#[tauri::command]
pub async fn evidence_content(
    state: AppStateRef<'_>,
    sha256: String,
) -> Result<Response, AppError> {
    validate::sha256(&sha256)?;
    let bytes = blocking(state.inner(), move |s| {
        Ok(s.store.read_evidence(&sha256)?)
    })
    .await?;
    if sniff(&bytes).is_none() {
        return Err(AppError::new(
            ErrorCode::UnsupportedFile,
            "该证明材料不是PDF或图片，为安全起见不予显示，请要求申报人重新上传",
        ));
    }
    Ok(Response::new(bytes))
}

/// What was read from a declaration's certificates beside what it declares; asking for it sends
/// the background reader to this declaration's files next. Never reads on the caller's path.
#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_reading(
    state: AppStateRef<'_>,
    declaration_id: String,
) -> Result<DeclarationReading, AppError> {
    validate::id("申报编号", &declaration_id)?;
    blocking(state.inner(), move |s| {
        let reading = readings::declaration_reading(&s.store, &declaration_id)?;
        let complete = matches!(&reading, DeclarationReading::Ready { summary }
            if summary.files_read >= summary.files_total);
        if let (false, Some(reader)) = (complete, &s.reader) {
            reader.prefer(declaration_id);
        }
        Ok(reading)
    })
    .await
}

/// How far the background reading is (None before its first step).
#[tauri::command]
pub async fn reading_progress(state: AppStateRef<'_>) -> Result<Option<ReadingProgress>, AppError> {
    blocking(state.inner(), |s| {
        Ok(s.reader.as_ref().and_then(|r| r.last()))
    })
    .await
}
