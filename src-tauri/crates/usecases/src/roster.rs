//! Roster corrections from a spreadsheet: checked row by row, then applied with the unit
//! re-evaluated, so the ledger and flags follow the corrected titles at once.

use crate::error::UseCaseError;
use chrono::{DateTime, Utc};
use jxjy_core::roster_fix::{RosterCorrection, RowCheck};
use jxjy_office::xlsx_in;
use jxjy_store::Store;

/// A checked sheet: every row with its errors, and the corrections of the rows without.
pub struct CheckedSheet {
    pub rows: Vec<RowCheck>,
    pub ready: Vec<RosterCorrection>,
}

/// Checks the bytes of a corrections sheet against the roster; nothing changes.
pub fn check_corrections(store: &Store, bytes: &[u8]) -> Result<CheckedSheet, UseCaseError> {
    let known = store.staff_ids()?;
    let rows = xlsx_in::roster_corrections(bytes, &known)?;
    let ready = rows.iter().filter_map(|r| r.correction.clone()).collect();
    Ok(CheckedSheet { rows, ready })
}

/// Applies `corrections` (audited) and re-evaluates the review year; returns how many staff
/// records changed.
pub fn apply_corrections(
    store: &mut Store,
    corrections: &[RosterCorrection],
    fallback_actor: &str,
    now: DateTime<Utc>,
) -> Result<usize, UseCaseError> {
    let meta = store.profile_meta()?;
    let changed = store.apply_roster_corrections(corrections, meta.actor(fallback_actor), now)?;
    let rules = store.stored_rules(meta.review_year)?;
    store.reevaluate(&rules, meta.review_year, now.date_naive())?;
    Ok(changed)
}
