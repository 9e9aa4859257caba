//! Login with user name and password, refresh with rotation, logout. Tokens are returned once
//! and stored hashed; every token belongs to a session with an absolute lifetime.

use super::{parse_body, AppState};
use crate::auth::{new_token, token_hash, verify_password};
use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::time::Instant;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    pub username: String,
    pub unit_id: String,
    pub unit_name: String,
}

/// New access and refresh tokens in `session`, which ends at `ends_at` (both expire by then).
fn issue(
    tx: &rusqlite::Transaction<'_>,
    username: &str,
    session: &str,
    ends_at: i64,
    config: &super::Config,
) -> Result<TokenResponse, Problem> {
    let now = chrono::Utc::now().timestamp();
    let access = new_token().map_err(Problem::internal)?;
    let refresh = new_token().map_err(Problem::internal)?;
    tx.execute("DELETE FROM tokens WHERE expires_at <= ?1", [now])?;
    tx.execute(
        "DELETE FROM sessions WHERE ends_at <= ?1 AND id NOT IN (SELECT session FROM tokens)",
        [now],
    )?;
    let access_exp = (now + config.access_ttl_secs).min(ends_at);
    tx.execute(
        "INSERT INTO tokens (token_hash, kind, username, expires_at, session) VALUES (?1, 'access', ?2, ?3, ?4)",
        params![token_hash(&access), username, access_exp, session],
    )?;
    tx.execute(
        "INSERT INTO tokens (token_hash, kind, username, expires_at, session) VALUES (?1, 'refresh', ?2, ?3, ?4)",
        params![token_hash(&refresh), username, (now + config.refresh_ttl_secs).min(ends_at), session],
    )?;
    let (unit_id, unit_name): (String, String) = tx.query_row(
        "SELECT u.unit_id, n.name FROM users u JOIN units n ON n.id = u.unit_id WHERE u.username = ?1",
        [username],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: access_exp - now,
        refresh_token: refresh,
        username: username.to_owned(),
        unit_id,
        unit_name,
    })
}

/// A 429 for an account that must wait after failed logins.
fn wait_problem(wait: std::time::Duration) -> Response {
    let secs = wait.as_secs().max(1);
    let mut r = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "login-throttled",
        format!("too many failed logins for this account; try again in {secs} seconds"),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// A PHC string for unknown users, so that timing does not tell who exists.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Log in with user name and password. The password is checked off the database lock, a few
/// at once; after three failures an account waits longer before each further check.
#[utoipa::path(post, path = "/api/v1/auth/login", operation_id = "login", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn login(State(state): State<AppState>, body: Bytes) -> Response {
    match login_inner(state, body).await {
        Ok(r) => r,
        Err(p) => p.into_response(),
    }
}

async fn login_inner(state: AppState, body: Bytes) -> Result<Response, Problem> {
    let req: LoginRequest = parse_body(&body)?;
    if req.username.len() > 128 || req.password.len() > 1024 {
        return Err(Problem::unprocessable("user name or password too long"));
    }
    if let Some(wait) = state.failures.wait(&req.username, Instant::now()) {
        return Ok(wait_problem(wait));
    }
    let user = req.username.clone();
    let hash: Option<String> = state
        .db(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT password_hash FROM users WHERE username = ?1",
                    [&user],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .await?;
    let ok = {
        let _permit = state
            .password_checks
            .acquire()
            .await
            .map_err(|e| Problem::internal(e.to_string()))?;
        let password = req.password.clone();
        tokio::task::spawn_blocking(move || match &hash {
            Some(h) => verify_password(&password, h),
            None => {
                verify_password(&password, DUMMY_HASH);
                false
            }
        })
        .await
        .map_err(|e| Problem::internal(e.to_string()))?
    };
    if !ok {
        state.failures.failed(&req.username, Instant::now());
        return Err(Problem::unauthorized("wrong user name or password"));
    }
    state.failures.succeeded(&req.username);
    let config = state.config.clone();
    let session = new_token().map_err(Problem::internal)?;
    let tokens = state
        .db(move |conn| {
            let ends_at = chrono::Utc::now().timestamp() + config.session_ttl_secs;
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO sessions (id, username, ends_at) VALUES (?1, ?2, ?3)",
                params![token_hash(&session), req.username, ends_at],
            )?;
            let t = issue(&tx, &req.username, &token_hash(&session), ends_at, &config)?;
            tx.commit()?;
            Ok(t)
        })
        .await?;
    Ok(Json(tokens).into_response())
}

/// Exchange a refresh token for new tokens. Each refresh token works once: the old access
/// token ends with it, and one presented a second time ends the whole session (it was
/// copied). A session ends at its absolute lifetime however often it is refreshed.
#[utoipa::path(post, path = "/api/v1/auth/refresh", operation_id = "refreshTokens", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn refresh(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<TokenResponse>, Problem> {
    let req: RefreshRequest = parse_body(&body)?;
    let config = state.config.clone();
    state
        .db(move |conn| {
            let now = chrono::Utc::now().timestamp();
            let hash = token_hash(&req.refresh_token);
            let tx = conn.transaction()?;
            let row: Option<(String, String, bool, i64)> = tx
                .query_row(
                    "SELECT t.username, t.session, t.used, s.ends_at FROM tokens t
                     JOIN sessions s ON s.id = t.session
                     WHERE t.token_hash = ?1 AND t.kind = 'refresh' AND t.expires_at > ?2 AND s.revoked = 0",
                    params![hash, now],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let Some((user, session, used, ends_at)) = row else {
                return Err(Problem::unauthorized("the refresh token is not valid"));
            };
            if used {
                end_session(&tx, &session)?;
                tx.commit()?;
                return Err(Problem::unauthorized(
                    "the refresh token was used before: the session is ended; log in again",
                ));
            }
            if ends_at <= now {
                return Err(Problem::unauthorized("the session has ended; log in again"));
            }
            // Kept, marked used, until it expires: a second use is then recognised.
            tx.execute("UPDATE tokens SET used = 1 WHERE token_hash = ?1", [&hash])?;
            tx.execute(
                "DELETE FROM tokens WHERE session = ?1 AND kind = 'access'",
                [&session],
            )?;
            let t = issue(&tx, &user, &session, ends_at, &config)?;
            tx.commit()?;
            Ok(Json(t))
        })
        .await
}

fn end_session(tx: &rusqlite::Transaction<'_>, session: &str) -> Result<(), Problem> {
    tx.execute(
        "DELETE FROM tokens WHERE session = ?1 AND used = 0",
        [session],
    )?;
    tx.execute("UPDATE sessions SET revoked = 1 WHERE id = ?1", [session])?;
    Ok(())
}

/// End the session of the bearer token: its access and refresh tokens stop working.
#[utoipa::path(post, path = "/api/v1/auth/logout", operation_id = "logout", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, Problem> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Problem::unauthorized("a bearer token is required"))?;
    let hash = token_hash(token);
    state
        .db(move |conn| {
            let tx = conn.transaction()?;
            let session: Option<String> = tx
                .query_row(
                    "SELECT session FROM tokens WHERE token_hash = ?1 AND kind = 'access' AND expires_at > ?2",
                    params![hash, chrono::Utc::now().timestamp()],
                    |r| r.get(0),
                )
                .optional()?;
            let session = session.ok_or_else(|| Problem::unauthorized("the token is not valid"))?;
            end_session(&tx, &session)?;
            tx.commit()?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
