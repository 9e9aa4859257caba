//! The office side, a file per feature: spot-check packs, xlsx exports and print views, roster
//! corrections and exchange files. Files the page chooses arrive as raw bytes (the page has no
//! file-system access): a sheet in one message, an exchange file in pieces (`upload`); files
//! the app writes go to the exports folder, whose path is shown to the reviewer.

pub mod exchange;
pub mod exports;
pub mod roster;
pub mod spotcheck;

use crate::error::AppError;
use serde::Serialize;

/// Files the app wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Written {
    /// Full paths, the first being the main one.
    pub paths: Vec<String>,
    pub rows: u64,
    /// Evidence files not on this machine yet (packs only).
    pub missing_evidence: u64,
    /// The file holds full ID numbers: written for its owner only, and the page says so.
    pub full_ids: bool,
}

/// The name the reviewer's work is recorded under when the profile has never logged in.
fn fallback_actor(s: &crate::state::Session) -> String {
    s.profile.as_str().to_owned()
}

/// Checks an id the page sends (a pack, a staff member).
fn id(what: &str, value: &str) -> Result<(), AppError> {
    crate::validate::id(what, value)
}
