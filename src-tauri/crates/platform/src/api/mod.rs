//! The HTTP API: router, shared state, the bearer-token extractor and body parsing that turns
//! every bad body into problem+json.

pub mod auth_routes;
mod credit_check;
pub mod decisions;
pub mod evidence;
pub mod findings;
pub mod pull;
pub mod rules;

use crate::faults::{self, Faults, RateLimiter};
use crate::problem::{self, Problem};
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;

pub use auth_routes::{LoginRequest, RefreshRequest, TokenResponse};

pub use decisions::{
    AuditAnswer, AuditHead, AuditSeen, PushItem, PushRequest, PushResponse, PushResult,
};
pub use findings::{FindingItem, FindingResult, FindingsRequest, FindingsResponse};
pub use pull::{ChangesResponse, PullResponse};

/// Limits and lifetimes of the server.
#[derive(Debug, Clone)]
pub struct Config {
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// A session's absolute lifetime: refreshing never takes it past this.
    pub session_ttl_secs: i64,
    /// Password checks at once (each Argon2id check holds 19 MiB for a moment).
    pub max_password_checks: usize,
    pub max_page: usize,
    pub default_page: usize,
    pub max_batch: usize,
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            access_ttl_secs: 3600,
            refresh_ttl_secs: 30 * 24 * 3600,
            session_ttl_secs: 30 * 24 * 3600,
            max_password_checks: 4,
            max_page: 5000,
            default_page: 500,
            max_batch: 500,
            body_limit: 2 * 1024 * 1024,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    db: Arc<Mutex<Connection>>,
    pub config: Arc<Config>,
    /// Password checks run off the database lock, this many at once.
    pub password_checks: Arc<tokio::sync::Semaphore>,
    /// Failed logins per account, for the growing delay.
    pub failures: Arc<crate::throttle::AccountThrottle>,
}

impl AppState {
    pub fn new(conn: Connection, config: Config) -> AppState {
        AppState {
            db: Arc::new(Mutex::new(conn)),
            password_checks: Arc::new(tokio::sync::Semaphore::new(
                config.max_password_checks.max(1),
            )),
            failures: Arc::new(crate::throttle::AccountThrottle::new(10_000)),
            config: Arc::new(config),
        }
    }

    /// Runs database work off the async threads.
    pub async fn db<T, F>(&self, f: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, Problem> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db
                .lock()
                .map_err(|_| Problem::internal("database lock poisoned"))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| Problem::internal(format!("worker: {e}")))?
    }
}

/// The reviewer a valid bearer token belongs to.
#[derive(Debug, Clone)]
pub struct Reviewer {
    pub username: String,
    pub unit_id: String,
}

impl FromRequestParts<AppState> for Reviewer {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Problem::unauthorized("a bearer token is required"))?
            .to_owned();
        let hash = crate::auth::token_hash(&token);
        let now = chrono::Utc::now().timestamp();
        state
            .db(move |conn| {
                let row: Option<(String, String, i64)> = conn
                    .query_row(
                        "SELECT t.username, u.unit_id, t.expires_at FROM tokens t
                         JOIN users u ON u.username = t.username
                         WHERE t.token_hash = ?1 AND t.kind = 'access'",
                        [hash],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                match row {
                    None => Err(Problem::unauthorized("the token is not valid")),
                    Some((_, _, exp)) if exp <= now => {
                        Err(Problem::unauthorized("the token has expired"))
                    }
                    Some((username, unit_id, _)) => Ok(Reviewer { username, unit_id }),
                }
            })
            .await
    }
}

/// Parses a JSON body: not JSON (or not UTF-8) is 400, the wrong shape is 422. Every request
/// body of this API is an object (serde would otherwise accept a struct written as an array).
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        Problem::bad_request(format!(
            "the body is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    if !value.is_object() {
        return Err(Problem::unprocessable("the body must be a JSON object"));
    }
    serde_json::from_value(value).map_err(|e| Problem::invalid_body(&e))
}

/// Everything the server answers, with its middleware.
/// Checks the batch size, then answers each item on its own inside one transaction: the shape
/// every batched push of this API shares (decisions, spot-check findings).
pub async fn per_item<R: Send + 'static>(
    state: &AppState,
    who: Reviewer,
    items: Vec<serde_json::Value>,
    one: fn(&rusqlite::Transaction<'_>, &Reviewer, serde_json::Value, &str) -> Result<R, Problem>,
) -> Result<Vec<R>, Problem> {
    if items.len() > state.config.max_batch {
        return Err(Problem::unprocessable(format!(
            "at most {} items per batch",
            state.config.max_batch
        )));
    }
    state
        .db(move |conn| {
            let now = chrono::Utc::now().to_rfc3339();
            let tx = conn.transaction()?;
            let mut results = Vec::with_capacity(items.len());
            for raw in items {
                results.push(one(&tx, &who, raw, &now)?);
            }
            tx.commit()?;
            Ok(results)
        })
        .await
}

pub fn router(state: AppState, faults: Arc<Faults>, limiter: Arc<RateLimiter>) -> Router {
    let body_limit = state.config.body_limit;
    // Evidence is already compressed (PDF, images) and may be a byte range: never re-encode it.
    let compress_when = SizeAbove::new(256)
        .and(NotForContentType::new("application/pdf"))
        .and(NotForContentType::new("application/octet-stream"))
        .and(NotForContentType::IMAGES)
        .and(
            |status: StatusCode,
             _: axum::http::Version,
             _: &axum::http::HeaderMap,
             _: &axum::http::Extensions| { status != StatusCode::PARTIAL_CONTENT },
        );
    Router::new()
        .route("/api/v1/auth/login", post(auth_routes::login))
        .route("/api/v1/auth/logout", post(auth_routes::logout))
        .route("/api/v1/auth/refresh", post(auth_routes::refresh))
        .route("/api/v1/rules", get(rules::rules))
        .route("/api/v1/units/{unit_id}/staff", get(pull::staff))
        .route(
            "/api/v1/units/{unit_id}/declarations",
            get(pull::declarations),
        )
        .route("/api/v1/units/{unit_id}/changes", get(pull::changes))
        .route("/api/v1/evidence/{sha256}", get(evidence::download))
        .route("/api/v1/decisions", post(decisions::push))
        .route("/api/v1/spotcheck/findings", post(findings::push))
        .route("/openapi.json", get(crate::openapi::serve))
        .fallback(|| async { Problem::not_found("no such path") })
        .with_state(state)
        .layer(axum::middleware::map_response(problem::ensure_problem))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .zstd(true)
                .compress_when(compress_when),
        )
        .layer(RequestDecompressionLayer::new().gzip(true).zstd(true))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(move |req, next| {
            faults::rate_limit(limiter.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| {
            faults::inject(faults.clone(), req, next)
        }))
}

/// Binds `addr` and serves the API on a background task (tests, demos and benchmarks run the
/// platform in their own process this way). Returns the bound address.
pub async fn spawn_server(
    addr: &str,
    conn: Connection,
    config: Config,
    faults: crate::faults::FaultConfig,
    limiter: RateLimiter,
) -> std::io::Result<std::net::SocketAddr> {
    let app = router(
        AppState::new(conn, config),
        Arc::new(Faults::new(faults)),
        Arc::new(limiter),
    );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        if let Err(e) = axum::serve(listener, service).await {
            eprintln!("jxjy-platform: server stopped: {e}");
        }
    });
    Ok(bound)
}
