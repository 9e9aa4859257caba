//! Tauri commands: convert the input, call the core, map the error. Nothing else.

use crate::error::AppError;
use jxjy_core::{evaluate, parse_input, Evaluation, RuleSet};
use serde::Serialize;

/// What the window shows before any data is loaded.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    pub version: String,
    pub rule_sets: Vec<RuleSetInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleSetInfo {
    pub id: String,
    pub name: String,
    pub first_year: i32,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        rule_sets: jxjy_core::ruleset::builtins()
            .into_iter()
            .map(|s| RuleSetInfo {
                id: s.id,
                name: s.name,
                first_year: s.first_year,
            })
            .collect(),
    }
}

/// Evaluates an interchange document with the built-in rules for its year, as of `today`.
#[tauri::command]
pub fn credit_preview(document: String, today: chrono::NaiveDate) -> Result<Evaluation, AppError> {
    const MAX_LEN: usize = 64 * 1024 * 1024;
    if document.len() > MAX_LEN {
        return Err(AppError::new(
            crate::error::ErrorCode::InvalidInput,
            "申报数据过大（超过64MB）",
        ));
    }
    let input = parse_input(&document)?;
    let rules = match &input.rules {
        Some(id) => RuleSet::builtin(id)?,
        None => RuleSet::for_year(input.year)?,
    };
    Ok(evaluate(&input, &rules, today))
}
