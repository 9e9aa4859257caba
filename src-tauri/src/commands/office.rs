//! Spot-check packs, xlsx exports, print views, roster corrections and exchange files. Files
//! the page chooses arrive as raw bytes (the page has no file-system access): a sheet in one
//! message, an exchange file in pieces (`upload`); files the app writes go to the exports
//! folder, whose path is shown to the reviewer.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use crate::state::{blocking, Session};
use crate::validate;
use chrono::Utc;
use jxjy_core::roster_fix::RowCheck;
use jxjy_core::spotcheck::{SampleSize, SampleSpec};
use jxjy_office::{pack, print, xlsx_in, xlsx_out, IdNumbers};
use jxjy_store::exchange::{ExportReport, ImportReport, Seal};
use jxjy_store::keys;
use jxjy_store::queries::QueueFilter;
use jxjy_store::spotcheck::{Finding, PackItem, PackSummary, PackView};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::ipc::{InvokeBody, Request};

/// The largest corrections sheet the page may hand over in one message.
const MAX_SHEET: usize = 20 * 1024 * 1024;

fn office(e: jxjy_office::OfficeError) -> AppError {
    let code = match e {
        jxjy_office::OfficeError::Read(_) | jxjy_office::OfficeError::Sheet(_) => {
            ErrorCode::InvalidInput
        }
        _ => ErrorCode::Io,
    };
    AppError::new(code, e.message_zh())
}

fn io(e: std::io::Error) -> AppError {
    AppError::new(ErrorCode::Io, format!("文件写入失败：{e}"))
}

fn year(s: &Session) -> Result<i32, AppError> {
    Ok(s.store
        .meta("review_year")?
        .and_then(|y| y.parse().ok())
        .unwrap_or(2019))
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// `dir/<stem>-<yyyymmdd-hhmmss>.<ext>`, written through a temporary name.
fn write_export(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf, AppError> {
    std::fs::create_dir_all(dir).map_err(io)?;
    let path = dir.join(format!(
        "{stem}-{}.{ext}",
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    ));
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(path)
}

fn raw_body<'a>(request: &'a Request<'_>) -> Result<&'a [u8], AppError> {
    match request.body() {
        InvokeBody::Raw(bytes) if bytes.len() <= MAX_SHEET => Ok(bytes),
        InvokeBody::Raw(_) => Err(AppError::invalid("表格过大（超过20MB）")),
        InvokeBody::Json(_) => Err(AppError::invalid("应上传文件内容")),
    }
}

#[tauri::command]
pub async fn spotcheck_list(state: AppStateRef<'_>) -> Result<Vec<PackSummary>, AppError> {
    blocking(state.inner(), |s| Ok(s.store.spotcheck_packs()?)).await
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct SpotcheckInput {
    /// The review year when left out.
    pub year: Option<i32>,
    pub size: SampleSize,
    pub min_per_form: u32,
    /// Digits; a random seed is chosen (and kept with the pack) when left out.
    pub seed: Option<String>,
}

#[tauri::command]
pub async fn spotcheck_create(
    state: AppStateRef<'_>,
    input: SpotcheckInput,
) -> Result<PackSummary, AppError> {
    let seed = match input
        .seed
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(t) => t
            .parse::<u64>()
            .map_err(|_| AppError::invalid("随机种子应为不超过20位的数字"))?,
        None => keys::jitter_seed() % 1_000_000_000,
    };
    match input.size {
        SampleSize::Count(n) if (1..=100_000).contains(&n) => {}
        SampleSize::PerMille(pm) if (1..=1000).contains(&pm) => {}
        _ => {
            return Err(AppError::invalid(
                "抽取数量应为1至100000条，比例应为0.1%至100%",
            ))
        }
    }
    if input.min_per_form > 100 {
        return Err(AppError::invalid("每种学习形式至少抽取数不能超过100"));
    }
    let spec = SampleSpec {
        size: input.size,
        min_per_form: input.min_per_form,
        seed,
    };
    blocking(state.inner(), move |s| {
        let who = s.reviewer()?;
        let year = match input.year {
            Some(y) if (2000..=2100).contains(&y) => y,
            Some(_) => return Err(AppError::invalid("年度有误")),
            None => year(s)?,
        };
        let now = Utc::now();
        let id = keys::new_decision_key(now)?;
        Ok(s.store.create_spotcheck(&id, year, &spec, &who, now)?)
    })
    .await
}

#[tauri::command]
pub async fn spotcheck_pack(state: AppStateRef<'_>, id: String) -> Result<PackView, AppError> {
    validate::id("材料包编号", &id)?;
    blocking(state.inner(), move |s| Ok(s.store.spotcheck_pack(&id)?)).await
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct FindingInput {
    pub pack_id: String,
    pub declaration_id: String,
    pub finding: Finding,
    pub note: Option<String>,
}

#[tauri::command]
pub async fn spotcheck_record(
    state: AppStateRef<'_>,
    input: FindingInput,
) -> Result<PackItem, AppError> {
    validate::id("材料包编号", &input.pack_id)?;
    validate::id("申报编号", &input.declaration_id)?;
    if let Some(n) = &input.note {
        validate::text("问题说明", n, 500)?;
    }
    blocking(state.inner(), move |s| {
        let who = s.reviewer()?;
        let now = Utc::now();
        let key = keys::new_decision_key(now)?;
        let item = s.store.record_finding(
            &input.pack_id,
            &input.declaration_id,
            input.finding,
            input.note.as_deref(),
            &who,
            &key,
            now,
        )?;
        Ok(item)
    })
    .await
}

/// Files the app wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Written {
    /// Full paths, the first being the main one.
    pub paths: Vec<String>,
    pub rows: u64,
    /// Evidence files not on this machine yet (packs only).
    pub missing_evidence: u64,
}

#[tauri::command]
pub async fn spotcheck_export(state: AppStateRef<'_>, id: String) -> Result<Written, AppError> {
    validate::id("材料包编号", &id)?;
    let dir = state.exports.clone();
    blocking(state.inner(), move |s| {
        let view = s.store.spotcheck_pack(&id)?;
        let unit = s.store.meta("unit_name")?.unwrap_or_default();
        let name = format!(
            "抽审材料包-{}-{}",
            view.pack.year,
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        );
        std::fs::create_dir_all(&dir).map_err(io)?;
        let store = &s.store;
        let files = pack::write_pack(&dir, &name, &view, &unit, &today(), |sha| {
            store.open_evidence(sha).ok()
        })
        .map_err(office)?;
        Ok(Written {
            paths: vec![
                files.zip.display().to_string(),
                files.folder.display().to_string(),
            ],
            rows: view.items.len() as u64,
            missing_evidence: files.missing_evidence as u64,
        })
    })
    .await
}

#[derive(Debug, Clone, Copy, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Queue,
    Decisions,
    Ledger,
}

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
        let who = s.reviewer()?;
        let year = year(s)?;
        let full = if input.full_ids {
            Some(
                s.store
                    .reveal_all_id_numbers("xlsx export", &who, Utc::now())?,
            )
        } else {
            None
        };
        let ids = full.as_ref().map_or(IdNumbers::Masked, IdNumbers::Full);
        let xl = |e: jxjy_office::XlsxError| AppError::internal(e);
        let (stem, bytes, rows) = match input.what {
            ExportKind::Queue => {
                let rows = s.store.queue_all(&input.filter.unwrap_or_default())?;
                (
                    "申报列表",
                    xlsx_out::queue(&rows, &ids).map_err(xl)?,
                    rows.len(),
                )
            }
            ExportKind::Decisions => {
                let rows = s.store.all_decisions()?;
                let store = &s.store;
                let name = |id: &str| {
                    store
                        .declaration(id)
                        .ok()
                        .and_then(|v| v.staff.map(|s| s.name))
                };
                (
                    "审核意见",
                    xlsx_out::decisions(&rows, name).map_err(xl)?,
                    rows.len(),
                )
            }
            ExportKind::Ledger => {
                let rows = s.store.roster_all(year)?;
                (
                    "年度完成情况",
                    xlsx_out::ledger(&rows, year, &ids).map_err(xl)?,
                    rows.len(),
                )
            }
        };
        let path = write_export(&dir, stem, "xlsx", &bytes)?;
        Ok(Written {
            paths: vec![path.display().to_string()],
            rows: rows as u64,
            missing_evidence: 0,
        })
    })
    .await
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "what", content = "id")]
pub enum PrintInput {
    /// A staff member's hours certificate.
    Staff(String),
    /// The unit's review summary.
    Summary,
    /// A spot-check pack's summary.
    Pack(String),
}

/// A self-contained A4 HTML page (no script; its own CSP) for the print preview.
#[tauri::command]
pub async fn print_view(state: AppStateRef<'_>, input: PrintInput) -> Result<String, AppError> {
    if let PrintInput::Staff(id) | PrintInput::Pack(id) = &input {
        validate::id("编号", id)?;
    }
    blocking(state.inner(), move |s| {
        let year = year(s)?;
        let unit = s.store.meta("unit_name")?.unwrap_or_default();
        Ok(match input {
            PrintInput::Staff(id) => {
                let c = s
                    .store
                    .certificate(&id, year, chrono::Local::now().date_naive())?
                    .ok_or_else(|| {
                        AppError::new(ErrorCode::NotFound, format!("找不到人员：{id}"))
                    })?;
                print::staff_certificate(&unit, year, &c, &today())
            }
            PrintInput::Summary => {
                let f = s.store.unit_figures(year)?;
                print::unit_summary(&f, &s.reviewer()?, &today())
            }
            PrintInput::Pack(id) => {
                let view = s.store.spotcheck_pack(&id)?;
                print::pack_summary(&view, &unit, &today())
            }
        })
    })
    .await
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
        let known = s.store.staff_ids()?;
        let rows = xlsx_in::roster_corrections(&bytes, &known).map_err(office)?;
        let ready: Vec<_> = rows.iter().filter_map(|r| r.correction.clone()).collect();
        let token = keys::jitter_seed() >> 11;
        let n = ready.len() as u64;
        s.pending_roster = Some((token, ready));
        Ok(RosterCheck {
            token,
            rows,
            ready: n,
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
        let who = s.reviewer()?;
        let now = Utc::now();
        let n = s.store.apply_roster_corrections(&rows, &who, now)?;
        let year = year(s)?;
        let rules = s.store.stored_rules(year)?;
        s.store.reevaluate(&rules, year, now.date_naive())?;
        Ok(n as u64)
    })
    .await
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ExchangeExportInput {
    /// decisions | snapshot
    pub kind: String,
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
    let snapshot = match input.kind.as_str() {
        "decisions" => false,
        "snapshot" => true,
        _ => {
            return Err(AppError::invalid(
                "交换文件类型只能是 decisions 或 snapshot",
            ))
        }
    };
    let dir = state.exports.clone();
    blocking(state.inner(), move |s| {
        let (salt, nonce_prefix) = keys::exchange_random()?;
        let seal = Seal {
            passphrase: &input.passphrase,
            salt,
            nonce_prefix,
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let stem = if snapshot {
            "数据快照"
        } else {
            "审核意见"
        };
        let path = dir.join(format!(
            "{stem}-{}-{}.jxjy",
            s.profile.as_str(),
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        ));
        let tmp = path.with_extension("partial");
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut w = std::io::BufWriter::new(file);
        let now = Utc::now();
        let result = if snapshot {
            s.store.export_snapshot(&mut w, &seal, now)
        } else {
            s.store.export_decisions(&mut w, &seal, now)
        };
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                drop(w);
                let _ = std::fs::remove_file(&tmp);
                return Err(e.into());
            }
        };
        use std::io::Write;
        w.flush().map_err(io)?;
        w.get_ref().sync_all().map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
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
    let uploaded = super::upload::take(state.home.root(), &input.upload)?;
    validate::text("口令", &input.passphrase, 200)?;
    let result = blocking(state.inner(), move |s| {
        let who = s
            .store
            .meta("username")?
            .unwrap_or_else(|| s.profile.as_str().to_owned());
        Ok(s.store
            .import_exchange(uploaded.reader(), &input.passphrase, &who, Utc::now())?)
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
