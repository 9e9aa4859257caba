//! Reading the interchange JSON with errors that name the record and the field, so a clerk can
//! find the bad line in a file of thousands.

use crate::model::{Declaration, Form, Input, Staff};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashSet;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum InputError {
    #[error("input is not valid JSON: {0}")]
    Syntax(String),
    #[error("input field `{field}`: {message}")]
    Document { field: String, message: String },
    #[error("staff {id}: field `{field}`: {message}")]
    Staff {
        id: String,
        field: String,
        message: String,
    },
    #[error("declaration {id}: field `{field}`: {message}")]
    Declaration {
        id: String,
        field: String,
        message: String,
    },
}

/// Parses and validates an interchange document.
pub fn parse_input(text: &str) -> Result<Input, InputError> {
    let value: Value = serde_json::from_str(text).map_err(|e| InputError::Syntax(e.to_string()))?;
    let Value::Object(mut doc) = value else {
        return Err(doc_err("", "the document must be a JSON object"));
    };
    let year = match doc.remove("year") {
        None => return Err(doc_err("year", "missing field `year`")),
        Some(v) => v
            .as_i64()
            .and_then(|y| i32::try_from(y).ok())
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| doc_err("year", "must be a year such as 2019"))?,
    };
    let rules = match doc.remove("rules") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err(doc_err("rules", "must be a rule set id string")),
    };
    let staff = records(doc.remove("staff"), "staff", |id, field, message| {
        InputError::Staff { id, field, message }
    })?;
    let declarations = records(
        doc.remove("declarations"),
        "declarations",
        |id, field, message| InputError::Declaration { id, field, message },
    )?;
    let input = Input {
        year,
        rules,
        staff,
        declarations,
    };
    validate(&input)?;
    Ok(input)
}

fn doc_err(field: &str, message: &str) -> InputError {
    InputError::Document {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

type RecordErr = fn(String, String, String) -> InputError;

/// Deserializes each element on its own so the error can name the element's `id`.
fn records<T: DeserializeOwned>(
    value: Option<Value>,
    name: &str,
    make_err: RecordErr,
) -> Result<Vec<T>, InputError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(doc_err(name, "must be an array")),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .map_or_else(|| format!("#{} (no id)", i + 1), str::to_owned);
            serde_path_to_error::deserialize(item).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                let field = if path == "." {
                    missing_field_name(&inner).unwrap_or_default()
                } else {
                    path
                };
                make_err(id, field, inner)
            })
        })
        .collect()
}

/// serde reports a missing field at the record's own path; take the name from its message.
fn missing_field_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}

fn decl_err(d: &Declaration, field: &str, message: String) -> InputError {
    InputError::Declaration {
        id: d.id.clone(),
        field: field.to_owned(),
        message,
    }
}

/// The rules the types cannot express.
fn validate(input: &Input) -> Result<(), InputError> {
    let mut staff_ids = HashSet::new();
    for s in &input.staff {
        if s.id.trim().is_empty() {
            return Err(InputError::Staff {
                id: s.id.clone(),
                field: "id".into(),
                message: "must not be empty".into(),
            });
        }
        if !staff_ids.insert(s.id.as_str()) {
            return Err(InputError::Staff {
                id: s.id.clone(),
                field: "id".into(),
                message: "the same staff id appears twice".into(),
            });
        }
    }
    let mut ids = HashSet::new();
    for d in &input.declarations {
        if d.id.trim().is_empty() {
            return Err(decl_err(d, "id", "must not be empty".into()));
        }
        if !ids.insert(d.id.as_str()) {
            return Err(decl_err(
                d,
                "id",
                "the same declaration id appears twice".into(),
            ));
        }
        if d.end_date < d.start_date {
            return Err(decl_err(
                d,
                "end_date",
                format!("{} is before start_date {}", d.end_date, d.start_date),
            ));
        }
        if d.days == Some(0) {
            return Err(decl_err(d, "days", "must be at least 1".into()));
        }
        if d.form == Form::AcademicConference && d.level.is_none() {
            return Err(decl_err(
                d,
                "level",
                "required for academic_conference (national or corps)".into(),
            ));
        }
        if d.form == Form::QualificationExam && d.exam_level.is_none() {
            return Err(decl_err(
                d,
                "exam_level",
                "required for qualification_exam (senior, intermediate or junior)".into(),
            ));
        }
        for (i, e) in d.evidence.iter().enumerate() {
            match crate::evidence_record::check_evidence(e) {
                Ok(()) => {}
                Err(crate::evidence_record::EvidenceRecordError::BadHash { .. }) => {
                    return Err(decl_err(
                        d,
                        &format!("evidence[{i}].sha256"),
                        "must be 64 hexadecimal digits".into(),
                    ))
                }
                Err(e @ crate::evidence_record::EvidenceRecordError::TooLarge { .. }) => {
                    return Err(decl_err(d, &format!("evidence[{i}].size"), e.to_string()))
                }
            }
        }
    }
    Ok(())
}

/// Staff members by id, for lookups during evaluation.
pub fn staff_index(staff: &[Staff]) -> rustc_hash::FxHashMap<&str, &Staff> {
    staff.iter().map(|s| (s.id.as_str(), s)).collect()
}
