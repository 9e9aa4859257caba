//! Login with user name and password; refresh. Tokens are returned once and stored hashed.

use super::{parse_body, AppState};
use crate::auth::{new_token, token_hash, verify_password};
use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

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

fn issue(
    conn: &mut Connection,
    username: &str,
    config: &super::Config,
) -> Result<TokenResponse, Problem> {
    let now = chrono::Utc::now().timestamp();
    let access = new_token().map_err(Problem::internal)?;
    let refresh = new_token().map_err(Problem::internal)?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM tokens WHERE expires_at <= ?1", [now])?;
    tx.execute(
        "INSERT INTO tokens (token_hash, kind, username, expires_at) VALUES (?1, 'access', ?2, ?3)",
        params![token_hash(&access), username, now + config.access_ttl_secs],
    )?;
    tx.execute(
        "INSERT INTO tokens (token_hash, kind, username, expires_at) VALUES (?1, 'refresh', ?2, ?3)",
        params![token_hash(&refresh), username, now + config.refresh_ttl_secs],
    )?;
    let (unit_id, unit_name): (String, String) = tx.query_row(
        "SELECT u.unit_id, n.name FROM users u JOIN units n ON n.id = u.unit_id WHERE u.username = ?1",
        [username],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.commit()?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: config.access_ttl_secs,
        refresh_token: refresh,
        username: username.to_owned(),
        unit_id,
        unit_name,
    })
}

/// Log in with user name and password.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<TokenResponse>, Problem> {
    let req: LoginRequest = parse_body(&body)?;
    let config = state.config.clone();
    state
        .db(move |conn| {
            let hash: Option<String> = conn
                .query_row("SELECT password_hash FROM users WHERE username = ?1", [&req.username], |r| r.get(0))
                .optional()?;
            // Verify against a dummy hash for unknown users so timing does not tell who exists.
            let ok = match &hash {
                Some(h) => verify_password(&req.password, h),
                None => {
                    verify_password(&req.password, "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
                    false
                }
            };
            if !ok {
                return Err(Problem::unauthorized("wrong user name or password"));
            }
            issue(conn, &req.username, &config).map(Json)
        })
        .await
}

/// Exchange a refresh token for new tokens.
#[utoipa::path(post, path = "/api/v1/auth/refresh", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem)))]
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
            let user: Option<String> = conn
                .query_row(
                    "SELECT username FROM tokens WHERE token_hash = ?1 AND kind = 'refresh' AND expires_at > ?2",
                    params![hash, now],
                    |r| r.get(0),
                )
                .optional()?;
            let user = user.ok_or_else(|| Problem::unauthorized("the refresh token is not valid"))?;
            // A refresh token works once.
            conn.execute("DELETE FROM tokens WHERE token_hash = ?1", [hash])?;
            issue(conn, &user, &config).map(Json)
        })
        .await
}
