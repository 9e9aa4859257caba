//! Evidence bytes for the viewer: hash-checked by the store, then content-sniffed here; only
//! PDF and raster images leave, never SVG, HTML or anything unknown.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use crate::state::blocking;
use crate::validate;
use jxjy_core::filekind::sniff;
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
