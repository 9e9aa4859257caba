//! Spot-check packs (抽审): draw a reproducible sample, record findings offline, write the pack
//! as a folder and a zip.

use crate::error::UseCaseError;
use crate::ids;
use chrono::{DateTime, Utc};
use jxjy_core::spotcheck::SampleSpec;
use jxjy_office::pack::{self, PackFiles};
use jxjy_store::spotcheck::{Finding, PackItem, PackSummary};
use jxjy_store::Store;
use std::path::Path;

/// Draws and keeps a pack of the year's approved declarations (the review year when `year`
/// is None).
pub fn start_pack(
    store: &mut Store,
    year: Option<i32>,
    spec: &SampleSpec,
    fallback_actor: &str,
    now: DateTime<Utc>,
) -> Result<PackSummary, UseCaseError> {
    let meta = store.profile_meta()?;
    let year = year.unwrap_or(meta.review_year);
    let id = ids::pack_id(now)?;
    Ok(store.create_spotcheck(&id, year, spec, meta.actor(fallback_actor), now)?)
}

/// Records (or changes) the finding on one item; the next sync uploads it.
pub fn record_finding(
    store: &mut Store,
    pack_id: &str,
    declaration_id: &str,
    finding: Finding,
    note: Option<&str>,
    fallback_actor: &str,
    now: DateTime<Utc>,
) -> Result<PackItem, UseCaseError> {
    let meta = store.profile_meta()?;
    let key = ids::finding_key(now)?;
    Ok(store.record_finding(
        pack_id,
        declaration_id,
        finding,
        note,
        meta.actor(fallback_actor),
        &key,
        now,
    )?)
}

/// Writes pack `pack_id` into `dir` as `抽审材料包-<year>-<id tail>-<time>/` and the same as a
/// zip, evidence copied from the store (verified as it is read).
pub fn export_pack(
    store: &Store,
    pack_id: &str,
    dir: &Path,
    local_now: chrono::DateTime<chrono::Local>,
) -> Result<(PackFiles, usize), UseCaseError> {
    let view = store.spotcheck_pack(pack_id)?;
    let meta = store.profile_meta()?;
    let tail = pack_id
        .get(pack_id.len().saturating_sub(8)..)
        .unwrap_or(pack_id);
    let name = format!(
        "抽审材料包-{}-{tail}-{}",
        view.pack.year,
        local_now.format("%Y%m%d-%H%M%S")
    );
    std::fs::create_dir_all(dir).map_err(|e| jxjy_office::atomic::at(dir, "create", e))?;
    let today = local_now.format("%Y-%m-%d").to_string();
    let files = pack::write_pack(dir, &name, &view, meta.unit_name(), &today, |sha| {
        store.open_evidence(sha).ok()
    })?;
    Ok((files, view.items.len()))
}
