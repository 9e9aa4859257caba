//! xlsx exports and print views, the same for the app and the CLI.

use crate::error::UseCaseError;
use chrono::{DateTime, Utc};
use jxjy_office::{print, xlsx_out, IdNumbers};
use jxjy_store::queries::QueueFilter;
use jxjy_store::Store;
use serde::Deserialize;

/// Which table to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// The declarations matching a filter.
    Queue,
    /// Every decision of this profile.
    Decisions,
    /// The roster with the year's ledger.
    Ledger,
}

impl ExportKind {
    /// The file name's stem.
    pub fn stem(self) -> &'static str {
        match self {
            ExportKind::Queue => "申报列表",
            ExportKind::Decisions => "审核意见",
            ExportKind::Ledger => "年度完成情况",
        }
    }
}

/// A workbook and how many rows it holds.
pub struct Workbook {
    pub bytes: Vec<u8>,
    pub rows: usize,
    /// Whether it holds full ID numbers: then it is written for its owner only, and says so in
    /// its name.
    pub full_ids: bool,
}

/// What a file name says of a workbook with full ID numbers.
pub const FULL_IDS_MARK: &str = "含完整身份证号";

impl Workbook {
    /// Who may read the file.
    pub fn readers(&self) -> crate::files::Readers {
        if self.full_ids {
            crate::files::Readers::Owner
        } else {
            crate::files::Readers::Default
        }
    }

    /// A stem for the file name (`申报列表`, or `申报列表-含完整身份证号`).
    pub fn stem(&self, kind: ExportKind) -> String {
        if self.full_ids {
            format!("{}-{FULL_IDS_MARK}", kind.stem())
        } else {
            kind.stem().to_owned()
        }
    }

    /// Writes it to `path` (for the owner only when it holds full ID numbers).
    pub fn write(&self, path: &std::path::Path) -> Result<(), UseCaseError> {
        crate::files::write_bytes_for(path, self.readers(), &self.bytes)
    }
}

/// Builds the workbook of `kind`. Full ID numbers only when `full_ids` (the reading is audited);
/// `filter` narrows the queue (paging ignored); `year` defaults to the review year.
pub fn xlsx(
    store: &mut Store,
    kind: ExportKind,
    full_ids: bool,
    filter: &QueueFilter,
    year: Option<i32>,
    fallback_actor: &str,
    now: DateTime<Utc>,
) -> Result<Workbook, UseCaseError> {
    let meta = store.profile_meta()?;
    let year = year.unwrap_or(meta.review_year);
    let full = if full_ids {
        Some(store.reveal_all_id_numbers("xlsx export", meta.actor(fallback_actor), now)?)
    } else {
        None
    };
    let ids = full.as_ref().map_or(IdNumbers::Masked, IdNumbers::Full);
    let (bytes, rows) = match kind {
        ExportKind::Queue => {
            let rows = store.queue_all(filter)?;
            (xlsx_out::queue(&rows, &ids)?, rows.len())
        }
        ExportKind::Decisions => {
            let rows = store.all_decisions()?;
            let name = |id: &str| {
                store
                    .declaration(id)
                    .ok()
                    .and_then(|v| v.staff.map(|s| s.name))
            };
            (xlsx_out::decisions(&rows, name)?, rows.len())
        }
        ExportKind::Ledger => {
            let rows = store.roster_all(year)?;
            (xlsx_out::ledger(&rows, year, &ids)?, rows.len())
        }
    };
    Ok(Workbook {
        bytes,
        rows,
        full_ids,
    })
}

/// A print view to produce.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "what", content = "id")]
pub enum PrintInput {
    /// A staff member's hours certificate.
    Staff(String),
    /// The unit's review summary.
    Summary,
    /// A spot-check pack's summary.
    Pack(String),
}

/// A self-contained A4 HTML page (no script; its own CSP).
pub fn print_view(
    store: &Store,
    what: &PrintInput,
    year: Option<i32>,
    fallback_actor: &str,
    local_now: chrono::DateTime<chrono::Local>,
) -> Result<String, UseCaseError> {
    let meta = store.profile_meta()?;
    let year = year.unwrap_or(meta.review_year);
    let today = local_now.format("%Y-%m-%d").to_string();
    Ok(match what {
        PrintInput::Staff(id) => {
            let c = store
                .certificate(id, year, local_now.date_naive())?
                .ok_or_else(|| jxjy_store::StoreError::NotFound {
                    what: "staff",
                    id: id.clone(),
                })?;
            print::staff_certificate(meta.unit_name(), year, &c, &today)
        }
        PrintInput::Summary => {
            let f = store.unit_figures(year)?;
            print::unit_summary(&f, meta.actor(fallback_actor), &today)
        }
        PrintInput::Pack(id) => {
            let view = store.spotcheck_pack(id)?;
            print::pack_summary(&view, meta.unit_name(), &today)
        }
    })
}
