//! Evaluating an interchange document without a profile (a preview of the rules).

use crate::error::AppError;
use jxjy_core::{evaluate, parse_input, Evaluation, RuleSet};

/// Evaluates an interchange document with the built-in rules for its year, as of `today`.
#[tauri::command]
pub fn credit_preview(document: String, today: chrono::NaiveDate) -> Result<Evaluation, AppError> {
    const MAX_LEN: usize = 64 * 1024 * 1024;
    if document.len() > MAX_LEN {
        return Err(AppError::invalid("申报数据过大（超过64MB）"));
    }
    let input = parse_input(&document)?;
    let rules = match &input.rules {
        Some(id) => RuleSet::builtin(id)?,
        None => RuleSet::for_year(input.year)?,
    };
    Ok(evaluate(&input, &rules, today))
}
