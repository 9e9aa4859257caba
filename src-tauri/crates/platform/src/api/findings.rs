//! Spot-check findings (抽审结果) pushed by units: each item by its idempotency key, for an
//! approved declaration of the reviewer's own unit. A later finding on the same declaration
//! is kept beside the earlier one; the latest by `recorded_at` is the unit's current word.

use super::{parse_body, AppState, Reviewer};
use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FindingsRequest {
    /// Findings, oldest first, each meant to be a `FindingItem`. The batch is taken whole: an
    /// item that is not one (not an object, an unknown field, a wrong type) is rejected in its
    /// own result and the others go on (SYNC.md rule 3), so any JSON values answer 200.
    #[schema(value_type = Vec<Value>)]
    pub items: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingItem {
    /// Client-made (UUIDv7); the server stores each key at most once.
    pub idempotency_key: String,
    /// The unit's spot-check pack the item was drawn in.
    pub pack_id: String,
    pub declaration_id: String,
    /// confirmed | problem
    pub finding: String,
    /// Required for `problem`; at most 500 characters.
    pub note: Option<String>,
    /// When the checker recorded it (client clock).
    pub recorded_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct FindingResult {
    pub idempotency_key: Option<String>,
    /// stored | duplicate | rejected
    pub result: String,
    pub problem: Option<Problem>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FindingsResponse {
    pub results: Vec<FindingResult>,
}

fn rejected(key: Option<String>, p: Problem) -> FindingResult {
    FindingResult {
        idempotency_key: key,
        result: "rejected".into(),
        problem: Some(p),
    }
}

fn one(
    tx: &Transaction<'_>,
    who: &Reviewer,
    raw: serde_json::Value,
    now: &str,
) -> Result<FindingResult, Problem> {
    let key = raw
        .get("idempotency_key")
        .and_then(|k| k.as_str())
        .map(str::to_owned)
        .filter(|k| !k.trim().is_empty() && k.len() <= 128);
    let Some(key) = key else {
        return Ok(rejected(
            None,
            Problem::unprocessable("idempotency_key must be a string of 1 to 128 characters"),
        ));
    };
    let item: FindingItem = match serde_json::from_value(raw) {
        Ok(i) => i,
        Err(e) => return Ok(rejected(Some(key), Problem::invalid_body(&e))),
    };
    let stored: Option<String> = tx
        .query_row(
            "SELECT declaration_id FROM spotcheck_findings WHERE idempotency_key = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(decl) = stored {
        if decl != item.declaration_id {
            return Ok(rejected(
                Some(key),
                Problem::unprocessable("this idempotency key was used for another declaration"),
            ));
        }
        return Ok(FindingResult {
            idempotency_key: Some(key),
            result: "duplicate".into(),
            problem: None,
        });
    }
    let note = item
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let invalid = match item.finding.as_str() {
        "confirmed" | "problem" if note.is_some_and(|n| n.chars().count() > 500) => {
            Some("the note has more than 500 characters")
        }
        "confirmed" => None,
        "problem" if note.is_none() => Some("a problem finding needs a note"),
        "problem" => None,
        _ => Some("finding must be confirmed or problem"),
    };
    if let Some(why) = invalid {
        return Ok(rejected(Some(key), Problem::unprocessable(why)));
    }
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT unit_id, status FROM declarations WHERE id = ?1 AND deleted = 0",
            [&item.declaration_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((unit_id, status)) = row else {
        return Ok(rejected(
            Some(key),
            Problem::not_found("no such declaration"),
        ));
    };
    if unit_id != who.unit_id {
        return Ok(rejected(
            Some(key),
            Problem::forbidden("the declaration belongs to another unit"),
        ));
    }
    if !matches!(
        status.as_str(),
        "unit_approved" | "industry_approved" | "spot_checked"
    ) {
        return Ok(rejected(
            Some(key),
            Problem::unprocessable("only approved declarations are spot-checked"),
        ));
    }
    tx.execute(
        "INSERT INTO spotcheck_findings (idempotency_key, pack_id, declaration_id, unit_id, finding,
                                         note, reviewer, recorded_at, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            key,
            item.pack_id,
            item.declaration_id,
            unit_id,
            item.finding,
            note,
            who.username,
            item.recorded_at,
            now
        ],
    )?;
    Ok(FindingResult {
        idempotency_key: Some(key),
        result: "stored".into(),
        problem: None,
    })
}

/// Push a batch of spot-check findings.
#[utoipa::path(post, path = "/api/v1/spotcheck/findings", operation_id = "pushFindings", request_body = FindingsRequest, security(("bearer" = [])),
    responses((status = 200, body = FindingsResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn push(
    who: Reviewer,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<FindingsResponse>, Problem> {
    let req: FindingsRequest = parse_body(&body)?;
    let results = super::per_item(&state, who, req.items, one).await?;
    Ok(Json(FindingsResponse { results }))
}
