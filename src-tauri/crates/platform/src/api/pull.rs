//! Delta pulls of a unit's roster and declarations: `since=<opaque cursor>`, pages in change
//! order, tombstones for withdrawn or deleted items, and on the last page the scope's count and
//! an order-independent checksum the client can compute from what it holds.

use super::{AppState, Reviewer};
use crate::problem::Problem;
use axum::extract::{Path, Query, State};
use axum::Json;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The cursor of the last page applied; absent for a first pull.
    pub since: Option<String>,
    /// Page size (default 500, at most 5000 — the reference server's default cap).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PullResponse {
    /// Staff members or declarations in the interchange JSON of DOMAIN.md.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
    /// Ids of withdrawn or deleted items.
    pub tombstones: Vec<String>,
    /// Opaque; send it back as `since` for the next page or the next sync.
    pub next_cursor: String,
    pub has_more: bool,
    /// Live items in the scope (last page only).
    pub count: Option<i64>,
    /// XOR of SHA-256(`id`) for staff or SHA-256(`id:version`) for declarations over the live
    /// items of the scope, hex (last page only).
    pub checksum: Option<String>,
}

#[derive(Clone, Copy)]
enum Scope {
    Staff,
    Declarations,
}

impl Scope {
    fn name(self) -> &'static str {
        match self {
            Scope::Staff => "staff",
            Scope::Declarations => "declarations",
        }
    }
}

fn encode_cursor(scope: Scope, seq: i64) -> String {
    crate::auth::hex(format!("v1:{}:{seq}", scope.name()).as_bytes())
}

fn decode_cursor(scope: Scope, cursor: &str) -> Result<i64, Problem> {
    let bad = || Problem::bad_request("the cursor is not one this server gave for this scope");
    if !cursor.len().is_multiple_of(2) || cursor.len() > 200 {
        return Err(bad());
    }
    let bytes: Vec<u8> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let rest = text
        .strip_prefix("v1:")
        .and_then(|r| r.strip_prefix(scope.name()))
        .and_then(|r| r.strip_prefix(':'))
        .ok_or_else(bad)?;
    rest.parse::<i64>().map_err(|_| bad())
}

/// The sequence number a `since` cursor stands for (none: the start).
fn since_of(scope: Scope, cursor: Option<&str>) -> Result<i64, Problem> {
    match cursor {
        None | Some("") => Ok(0),
        Some(c) => decode_cursor(scope, c),
    }
}

/// The page size asked for, within the server's limit.
fn page_limit(state: &AppState, asked: Option<usize>) -> Result<usize, Problem> {
    let limit = asked.unwrap_or(state.config.default_page);
    if limit == 0 || limit > state.config.max_page {
        return Err(Problem::bad_request(format!(
            "limit must be between 1 and {}",
            state.config.max_page
        )));
    }
    Ok(limit)
}

/// The checksum of a set of keys, independent of their order.
pub fn checksum<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    let mut acc = [0u8; 32];
    for k in keys {
        for (a, b) in acc.iter_mut().zip(Sha256::digest(k.as_bytes())) {
            *a ^= b;
        }
    }
    crate::auth::hex(&acc)
}

async fn pull(
    who: Reviewer,
    state: AppState,
    unit_id: String,
    q: PullQuery,
    scope: Scope,
) -> Result<Json<PullResponse>, Problem> {
    if unit_id != who.unit_id {
        return Err(Problem::forbidden("a reviewer sees only their own unit"));
    }
    let since = since_of(scope, q.since.as_deref())?;
    let limit = page_limit(&state, q.limit)?;
    state
        .db(move |conn| page(conn, &unit_id, scope, since, limit).map(Json))
        .await
}

/// One page of one scope of a unit.
fn page(
    conn: &mut rusqlite::Connection,
    unit_id: &str,
    scope: Scope,
    since: i64,
    limit: usize,
) -> Result<PullResponse, Problem> {
    let (table, key) = match scope {
        Scope::Staff => ("staff", "id"),
        Scope::Declarations => ("declarations", "id || ':' || version"),
    };
    let mut stmt = conn.prepare(&format!(
            "SELECT id, doc, seq, deleted FROM {table} WHERE unit_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
        ))?;
    let rows: Vec<(String, String, i64, bool)> = stmt
        .query_map(params![unit_id, since, (limit + 1) as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    let has_more = rows.len() > limit;
    let page = &rows[..rows.len().min(limit)];
    let mut items = Vec::new();
    let mut tombstones = Vec::new();
    for (id, doc, _, deleted) in page {
        if *deleted {
            tombstones.push(id.clone());
        } else {
            items.push(serde_json::from_str(doc).map_err(|e| Problem::internal(e.to_string()))?);
        }
    }
    let last = page.last().map_or(since, |r| r.2);
    let (count, sum) = if has_more {
        (None, None)
    } else {
        let mut stmt = conn.prepare(&format!(
            "SELECT {key} FROM {table} WHERE unit_id = ?1 AND deleted = 0"
        ))?;
        let keys: Vec<String> = stmt
            .query_map([unit_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        (
            Some(keys.len() as i64),
            Some(checksum(keys.iter().map(String::as_str))),
        )
    };
    Ok(PullResponse {
        items,
        tombstones,
        next_cursor: encode_cursor(scope, last),
        has_more,
        count,
        checksum: sum,
    })
}

/// The unit's roster, as a delta since a cursor.
#[utoipa::path(get, path = "/api/v1/units/{unit_id}/staff", operation_id = "pullStaff", params(("unit_id" = String, Path), PullQuery),
    security(("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn staff(
    who: Reviewer,
    State(state): State<AppState>,
    Path(unit_id): Path<String>,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, Problem> {
    pull(who, state, unit_id, q, Scope::Staff).await
}

/// The unit's declarations, as a delta since a cursor.
#[utoipa::path(get, path = "/api/v1/units/{unit_id}/declarations", operation_id = "pullDeclarations", params(("unit_id" = String, Path), PullQuery),
    security(("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn declarations(
    who: Reviewer,
    State(state): State<AppState>,
    Path(unit_id): Path<String>,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, Problem> {
    pull(who, state, unit_id, q, Scope::Declarations).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The roster cursor of the last sync; absent for a first pull.
    pub staff_since: Option<String>,
    /// The declarations cursor of the last sync.
    pub declarations_since: Option<String>,
    /// Page size per scope (default 500, at most 5000).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangesResponse {
    pub staff: PullResponse,
    pub declarations: PullResponse,
}

/// Both scopes in one request: a sync with nothing new costs one round trip. A scope with
/// `has_more` continues on its own path.
#[utoipa::path(get, path = "/api/v1/units/{unit_id}/changes", operation_id = "pullChanges", params(("unit_id" = String, Path), ChangesQuery),
    security(("bearer" = [])),
    responses((status = 200, body = ChangesResponse), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn changes(
    who: Reviewer,
    State(state): State<AppState>,
    Path(unit_id): Path<String>,
    Query(q): Query<ChangesQuery>,
) -> Result<Json<ChangesResponse>, Problem> {
    if unit_id != who.unit_id {
        return Err(Problem::forbidden("a reviewer sees only their own unit"));
    }
    let staff_since = since_of(Scope::Staff, q.staff_since.as_deref())?;
    let decl_since = since_of(Scope::Declarations, q.declarations_since.as_deref())?;
    let limit = page_limit(&state, q.limit)?;
    state
        .db(move |conn| {
            Ok(Json(ChangesResponse {
                staff: page(conn, &unit_id, Scope::Staff, staff_since, limit)?,
                declarations: page(conn, &unit_id, Scope::Declarations, decl_since, limit)?,
            }))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_scoped() {
        let c = encode_cursor(Scope::Declarations, 42);
        assert_eq!(decode_cursor(Scope::Declarations, &c).unwrap(), 42);
        assert!(decode_cursor(Scope::Staff, &c).is_err());
        assert!(decode_cursor(Scope::Staff, "zz").is_err());
    }

    #[test]
    fn checksum_ignores_order() {
        assert_eq!(
            checksum(["a", "b"].into_iter()),
            checksum(["b", "a"].into_iter())
        );
        assert_ne!(
            checksum(["a"].into_iter()),
            checksum(["a", "b"].into_iter())
        );
    }
}
