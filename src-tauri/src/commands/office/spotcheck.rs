//! Spot-check packs: list, draw, show, record a finding, write the pack.

use super::{fallback_actor, id, Written};
use crate::commands::AppStateRef;
use crate::error::AppError;
use crate::state::blocking;
use crate::validate;
use chrono::Utc;
use jxjy_core::spotcheck::{SampleSize, SampleSpec};
use jxjy_store::spotcheck::{Finding, PackItem, PackSummary, PackView};
use jxjy_usecases::{ids, spotcheck};
use serde::Deserialize;

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
        None => ids::sample_seed(),
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
    if input.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(AppError::invalid("年度有误"));
    }
    let spec = SampleSpec {
        size: input.size,
        min_per_form: input.min_per_form,
        seed,
    };
    blocking(state.inner(), move |s| {
        s.store.profile_meta()?.reviewer()?;
        let who = fallback_actor(s);
        Ok(spotcheck::start_pack(
            &mut s.store,
            input.year,
            &spec,
            &who,
            Utc::now(),
        )?)
    })
    .await
}

#[tauri::command]
pub async fn spotcheck_pack(state: AppStateRef<'_>, id: String) -> Result<PackView, AppError> {
    super::id("材料包编号", &id)?;
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
    id("材料包编号", &input.pack_id)?;
    id("申报编号", &input.declaration_id)?;
    if let Some(n) = &input.note {
        validate::text("问题说明", n, 500)?;
    }
    blocking(state.inner(), move |s| {
        s.store.profile_meta()?.reviewer()?;
        let who = fallback_actor(s);
        Ok(spotcheck::record_finding(
            &mut s.store,
            &input.pack_id,
            &input.declaration_id,
            input.finding,
            input.note.as_deref(),
            &who,
            Utc::now(),
        )?)
    })
    .await
}

#[tauri::command]
pub async fn spotcheck_export(state: AppStateRef<'_>, id: String) -> Result<Written, AppError> {
    super::id("材料包编号", &id)?;
    let dir = state.exports.clone();
    blocking(state.inner(), move |s| {
        let (files, rows) = spotcheck::export_pack(&s.store, &id, &dir, chrono::Local::now())?;
        Ok(Written {
            paths: vec![
                files.zip.display().to_string(),
                files.folder.display().to_string(),
            ],
            rows: rows as u64,
            missing_evidence: files.missing_evidence as u64,
            // A pack shows masked numbers only.
            full_ids: false,
        })
    })
    .await
}
