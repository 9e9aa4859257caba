//! Batched decision push. Each item carries its idempotency key and the declaration version it
//! was made against, and gets its own result: `applied`, `duplicate` (the stored result
//! replayed), `conflict` (with the current declaration) or `rejected` (with a problem). One bad
//! item never fails the batch.

use super::{parse_body, AppState, Reviewer};
use crate::db::next_seq;
use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jxjy_core::decision::Outcome;
use jxjy_core::{Category, Declaration, Status};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PushRequest {
    /// Decisions, oldest first, each meant to be a `PushItem`. The batch is taken whole: an
    /// item that is not one (not an object, an unknown field, a wrong type) is rejected in its
    /// own result and the others go on (SYNC.md rule 3), so any JSON values answer 200.
    #[schema(value_type = Vec<Value>)]
    pub items: Vec<serde_json::Value>,
    /// The head of the reviewer's local audit chain, so that a rewrite or a truncation on the
    /// PC is found at the next sync. Optional (older clients send none).
    #[serde(default)]
    pub audit: Option<AuditHead>,
}

/// A local audit chain's head: its last entry's number and hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    /// The client profile's random id: 32 lowercase hexadecimal digits.
    #[schema(pattern = "^[0-9a-f]{32}$")]
    pub profile: String,
    /// The head entry's number; at most 2^53 − 1, the largest integer every JSON reader keeps.
    #[schema(maximum = 9007199254740991_u64)]
    pub seq: u64,
    /// SHA-256 of the head entry: 64 lowercase hexadecimal digits.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub hash: String,
}

/// A chain head as the platform holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditSeen {
    pub seq: u64,
    pub hash: String,
}

/// What the platform says of a pushed audit head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditAnswer {
    /// `first` (nothing held before), `extended` (a later head) or `unchanged`: kept as the
    /// new anchor. `rewound` (fewer entries than before) or `rewritten` (the same number of
    /// entries, another hash): refused, the anchor stays as it was.
    pub result: String,
    /// The head held before this push (null the first time). The client checks that its own
    /// entry with that number still has that hash; if not, its chain was rewritten.
    pub previous: Option<AuditSeen>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushItem {
    /// Client-made (UUIDv7); the server applies each key at most once.
    pub idempotency_key: String,
    pub declaration_id: String,
    pub declaration_version: u64,
    /// approve | return | reject
    #[schema(value_type = String)]
    pub outcome: Outcome,
    /// Approve only, in hours with at most two decimals: never more than the rule gives the
    /// declaration on its own (before the yearly limits), and a figure other than the rule's
    /// result needs a `reason` (under a yearly limit — A4's conference cap, A7's once a year —
    /// the platform takes any figure up to the rule's own, as its share depends on the order
    /// in which the person's other decisions arrive).
    pub credited_hours: Option<f64>,
    /// Approve only: public | professional.
    #[schema(value_type = Option<String>)]
    pub category: Option<Category>,
    /// Required for return and reject, and for a credit that differs from the rule's result.
    pub reason: Option<String>,
    /// When the reviewer decided (client clock, informational).
    pub decided_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct PushResult {
    pub idempotency_key: Option<String>,
    /// applied | duplicate | conflict | rejected
    pub result: String,
    /// The declaration's version after the decision was applied.
    pub applied_version: Option<u64>,
    /// For a conflict: the declaration as it is now (null when withdrawn).
    #[schema(value_type = Option<Object>)]
    pub declaration: Option<serde_json::Value>,
    pub problem: Option<Problem>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
    /// The answer to the request's `audit` head; absent when none was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditAnswer>,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The largest audit entry number taken: 2^53 − 1, exact in every JSON reader (and in i64).
const MAX_AUDIT_SEQ: u64 = (1 << 53) - 1;

/// Compares `head` with the anchor held for the reviewer's profile and keeps it when it
/// extends the anchor.
fn anchor(
    tx: &Transaction<'_>,
    who: &Reviewer,
    head: &AuditHead,
    now: &str,
) -> Result<AuditAnswer, Problem> {
    if !is_hex(&head.profile, 32) || !is_hex(&head.hash, 64) || head.seq > MAX_AUDIT_SEQ {
        return Err(Problem::unprocessable(
            "audit: profile must be 32 and hash 64 lowercase hexadecimal digits, seq at most 2^53 - 1",
        ));
    }
    let previous: Option<AuditSeen> = tx
        .query_row(
            "SELECT seq, hash FROM audit_heads WHERE username = ?1 AND profile = ?2",
            params![who.username, head.profile],
            |r| {
                Ok(AuditSeen {
                    seq: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    hash: r.get(1)?,
                })
            },
        )
        .optional()?;
    let result = match &previous {
        None => "first",
        Some(p) if head.seq < p.seq => "rewound",
        Some(p) if head.seq == p.seq && head.hash != p.hash => "rewritten",
        Some(p) if head.seq == p.seq => "unchanged",
        Some(_) => "extended",
    };
    if matches!(result, "first" | "extended") {
        tx.execute(
            "INSERT INTO audit_heads (username, profile, seq, hash, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(username, profile) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, updated_at = excluded.updated_at",
            params![who.username, head.profile, head.seq as i64, head.hash, now],
        )?;
    }
    Ok(AuditAnswer {
        result: result.to_owned(),
        previous,
    })
}

fn rejected(key: Option<String>, p: Problem) -> PushResult {
    PushResult {
        idempotency_key: key,
        result: "rejected".into(),
        applied_version: None,
        declaration: None,
        problem: Some(p),
    }
}

fn conflict(key: &str, declaration: Option<serde_json::Value>, detail: &str) -> PushResult {
    PushResult {
        idempotency_key: Some(key.to_owned()),
        result: "conflict".into(),
        applied_version: None,
        declaration,
        problem: Some(Problem::new(StatusCode::CONFLICT, "conflict", detail)),
    }
}

fn one(
    tx: &Transaction<'_>,
    who: &Reviewer,
    raw: serde_json::Value,
    now: &str,
) -> Result<PushResult, Problem> {
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
    let item: PushItem = match serde_json::from_value(raw) {
        Ok(i) => i,
        Err(e) => return Ok(rejected(Some(key), Problem::invalid_body(&e))),
    };
    // The unit is checked before anything else is looked up: a key replayed from another
    // unit learns nothing of that unit's decisions.
    let row: Option<(String, i64, String, bool)> = tx
        .query_row(
            "SELECT unit_id, version, doc, deleted FROM declarations WHERE id = ?1",
            [&item.declaration_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((unit_id, version, doc, deleted)) = row else {
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
    let stored: Option<(String, String)> = tx
        .query_row(
            "SELECT declaration_id, result FROM decisions WHERE idempotency_key = ?1",
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((decl, result)) = stored {
        if decl != item.declaration_id {
            return Ok(rejected(
                Some(key),
                Problem::unprocessable("this idempotency key was used for another declaration"),
            ));
        }
        let mut replay: PushResult =
            serde_json::from_str(&result).map_err(|e| Problem::internal(e.to_string()))?;
        replay.result = "duplicate".into();
        return Ok(replay);
    }
    if deleted {
        return Ok(conflict(&key, None, "the declaration was withdrawn"));
    }
    let mut declaration: Declaration =
        serde_json::from_str(&doc).map_err(|e| Problem::internal(e.to_string()))?;
    let current =
        serde_json::to_value(&declaration).map_err(|e| Problem::internal(e.to_string()))?;
    if u64::try_from(version).ok() != Some(item.declaration_version) {
        return Ok(conflict(
            &key,
            Some(current),
            "the declaration changed after the decision was made",
        ));
    }
    if declaration.status != Status::PendingUnitReview {
        return Ok(conflict(
            &key,
            Some(current),
            "the declaration is no longer pending unit review",
        ));
    }
    let has_reason = item.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
    let invalid = match item.outcome {
        Outcome::Approve => match (item.credited_hours, item.category) {
            (Some(h), Some(_)) if h.is_finite() && (0.0..=10_000.0).contains(&h) => None,
            _ => Some("an approval needs credited_hours (0 to 10000) and a category"),
        },
        Outcome::Return | Outcome::Reject => {
            if item.credited_hours.is_some() {
                Some("only an approval carries credited_hours")
            } else if !has_reason {
                Some("a return or a rejection needs a reason")
            } else {
                None
            }
        }
    };
    if let Some(why) = invalid {
        return Ok(rejected(Some(key), Problem::unprocessable(why)));
    }
    if let (Outcome::Approve, Some(category)) = (item.outcome, item.category) {
        if category != declaration.category {
            return Ok(rejected(
                Some(key),
                Problem::unprocessable("the category is not the declaration's"),
            ));
        }
    }
    if item.outcome == Outcome::Approve {
        if let Some(p) =
            super::credit_check::refusal(tx, &declaration, &unit_id, &item, &who.username)?
        {
            return Ok(rejected(Some(key), p));
        }
    }
    declaration.status = match item.outcome {
        Outcome::Approve => Status::UnitApproved,
        Outcome::Return => Status::Returned,
        Outcome::Reject => Status::Rejected,
    };
    declaration.version += 1;
    let seq = next_seq(tx)?;
    tx.execute(
        "UPDATE declarations SET version = ?2, status = ?3, doc = ?4, seq = ?5 WHERE id = ?1",
        params![
            declaration.id,
            declaration.version as i64,
            serde_json::to_value(declaration.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned)),
            serde_json::to_string(&declaration).map_err(|e| Problem::internal(e.to_string()))?,
            seq
        ],
    )?;
    let result = PushResult {
        idempotency_key: Some(key.clone()),
        result: "applied".into(),
        applied_version: Some(declaration.version),
        declaration: None,
        problem: None,
    };
    tx.execute(
        "INSERT INTO decisions (idempotency_key, declaration_id, declaration_version, unit_id, outcome,
                                credited_hours, category, reason, reviewer, decided_at, received_at, result)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            key,
            item.declaration_id,
            item.declaration_version as i64,
            unit_id,
            serde_json::to_value(item.outcome).ok().and_then(|v| v.as_str().map(str::to_owned)),
            item.credited_hours,
            item.category.and_then(|c| serde_json::to_value(c).ok()).and_then(|v| v.as_str().map(str::to_owned)),
            item.reason.map(|r| r.trim().to_owned()),
            who.username,
            item.decided_at,
            now,
            serde_json::to_string(&result).map_err(|e| Problem::internal(e.to_string()))?
        ],
    )?;
    Ok(result)
}

/// Push a batch of decisions.
#[utoipa::path(post, path = "/api/v1/decisions", operation_id = "pushDecisions", request_body = PushRequest, security(("bearer" = [])),
    responses((status = 200, body = PushResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn push(
    who: Reviewer,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<PushResponse>, Problem> {
    let req: PushRequest = parse_body(&body)?;
    let audit = match req.audit {
        None => None,
        Some(head) => {
            let who = who.clone();
            Some(
                state
                    .db(move |conn| {
                        let tx = conn.transaction()?;
                        let answer = anchor(&tx, &who, &head, &chrono::Utc::now().to_rfc3339())?;
                        tx.commit()?;
                        Ok(answer)
                    })
                    .await?,
            )
        }
    };
    let results = super::per_item(&state, who, req.items, one).await?;
    Ok(Json(PushResponse { results, audit }))
}
