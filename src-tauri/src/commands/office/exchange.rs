//! Exchange files: export decisions or a snapshot, import either from an upload.

use super::fallback_actor;
use crate::commands::AppStateRef;
use crate::error::AppError;
use crate::state::blocking;
use crate::validate;
use chrono::Utc;
use jxjy_store::exchange::{ExportReport, ImportReport};
use jxjy_usecases::exchange::{self, ExchangeKind};
use jxjy_usecases::files;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ExchangeExportInput {
    pub kind: ExchangeKind,
    pub passphrase: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExchangeWritten {
    pub path: String,
    pub report: ExportReport,
}

#[tauri::command]
pub async fn exchange_export(
    state: AppStateRef<'_>,
    input: ExchangeExportInput,
) -> Result<ExchangeWritten, AppError> {
    validate::text("口令", &input.passphrase, 200)?;
    let dir = state.exports.clone();
    blocking(state.inner(), move |s| {
        let stem = format!("{}-{}", input.kind.stem(), s.profile.as_str());
        let path = files::stamped(&dir, &stem, "jxjy", chrono::Local::now())?;
        let report = exchange::export(&s.store, input.kind, &input.passphrase, &path, Utc::now())?;
        Ok(ExchangeWritten {
            path: path.display().to_string(),
            report,
        })
    })
    .await
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ExchangeImportInput {
    /// The id `upload_begin` gave; the file arrived through `upload_piece`.
    pub upload: String,
    pub passphrase: String,
}

/// Imports an exchange file the reviewer picked, read as a stream from its upload (which is
/// deleted afterwards). A changed file is refused and nothing is applied.
#[tauri::command]
pub async fn exchange_import(
    state: AppStateRef<'_>,
    input: ExchangeImportInput,
) -> Result<ImportReport, AppError> {
    // Taken first, so that the upload is deleted even when the passphrase is refused.
    let uploaded = crate::commands::upload::take(state.home.root(), &input.upload)?;
    validate::text("口令", &input.passphrase, 200)?;
    let result = blocking(state.inner(), move |s| {
        let who = fallback_actor(s);
        let report = exchange::import(
            &mut s.store,
            uploaded.reader(),
            &input.passphrase,
            &who,
            Utc::now(),
        )?;
        if report.imported > 0 {
            s.worker.decided();
        }
        Ok(report)
    })
    .await;
    if let Err(e) = &result {
        state.log.warn(&format!(
            "exchange import refused: {:?}: {}",
            e.code, e.message
        ));
    }
    result
}
