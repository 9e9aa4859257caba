//! A hostile platform on loopback: it logs anyone in, then misbehaves in one chosen way
//! (redirects, compression bombs, a stuck cursor, crafted evidence records, oversized pages).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tower_http::compression::CompressionLayer;

#[derive(Debug, Clone)]
pub enum Mode {
    /// Login answers 307 to this address.
    RedirectLogin(String),
    /// Every other call answers 302 to this address (after a normal login).
    RedirectApi(String),
    /// The changes page is this many bytes of JSON whitespace, gzip-compressed on the fly.
    GzipBomb(u64),
    /// The same, zstd.
    ZstdBomb(u64),
    /// The changes page says "more" for staff, and every staff page gives the same cursor.
    StuckCursor,
    /// Staff pages of one record each whose cursors go a → b → a: a cycle, each step new.
    CyclingCursor,
    /// The changes page carries these declarations (JSON values).
    Declarations(Vec<serde_json::Value>),
    /// The changes page carries this many staff records, whatever was asked for.
    ManyStaff(usize),
}

#[derive(Clone)]
struct Hostile {
    mode: Mode,
    /// Requests that reached this server, by any path.
    hits: Arc<AtomicU64>,
}

pub struct Server {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicU64>,
    /// The `Content-Encoding` of every answer as it left (after compression).
    pub encodings: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn encodings(&self) -> Vec<String> {
        self.encodings.lock().unwrap().clone()
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::SeqCst)
    }
}

fn json(status: StatusCode, v: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

fn redirect(status: StatusCode, to: &str) -> Response {
    (status, [(header::LOCATION, to.to_owned())], "").into_response()
}

fn tokens() -> serde_json::Value {
    serde_json::json!({
        "access_token": "a-token", "refresh_token": "r-token", "expires_in": 3600,
        "username": "hostile", "unit_id": "U01", "unit_name": "某单位"
    })
}

fn empty_page() -> serde_json::Value {
    serde_json::json!({"items": [], "tombstones": [], "next_cursor": "c0", "has_more": false,
                       "count": null, "checksum": null})
}

async fn login(State(h): State<Hostile>) -> Response {
    h.hits.fetch_add(1, Ordering::SeqCst);
    match &h.mode {
        Mode::RedirectLogin(to) => redirect(StatusCode::TEMPORARY_REDIRECT, to),
        _ => json(StatusCode::OK, tokens()),
    }
}

/// `total` bytes of spaces, made as they are read.
fn whitespace(total: u64) -> Body {
    const PIECE: usize = 1 << 20;
    let pieces = total.div_ceil(PIECE as u64);
    Body::from_stream(futures_util::stream::iter((0..pieces).map(move |i| {
        let n = (total - i * PIECE as u64).min(PIECE as u64) as usize;
        Ok::<_, std::convert::Infallible>(vec![b' '; n])
    })))
}

async fn changes(State(h): State<Hostile>) -> Response {
    h.hits.fetch_add(1, Ordering::SeqCst);
    match &h.mode {
        Mode::RedirectApi(to) => redirect(StatusCode::FOUND, to),
        Mode::GzipBomb(n) | Mode::ZstdBomb(n) => {
            ([(header::CONTENT_TYPE, "application/json")], whitespace(*n)).into_response()
        }
        Mode::CyclingCursor => {
            let mut staff = empty_page();
            staff["has_more"] = true.into();
            staff["next_cursor"] = "a".into();
            staff["tombstones"] = vec!["S1"].into();
            json(
                StatusCode::OK,
                serde_json::json!({"staff": staff, "declarations": empty_page()}),
            )
        }
        Mode::StuckCursor => {
            let mut staff = empty_page();
            staff["has_more"] = true.into();
            staff["next_cursor"] = "stuck".into();
            json(
                StatusCode::OK,
                serde_json::json!({"staff": staff, "declarations": empty_page()}),
            )
        }
        Mode::Declarations(items) => {
            let mut d = empty_page();
            d["items"] = items.clone().into();
            json(
                StatusCode::OK,
                serde_json::json!({"staff": empty_page(), "declarations": d}),
            )
        }
        Mode::ManyStaff(n) => {
            let mut staff = empty_page();
            staff["tombstones"] = (0..*n).map(|i| format!("S{i}")).collect::<Vec<_>>().into();
            json(
                StatusCode::OK,
                serde_json::json!({"staff": staff, "declarations": empty_page()}),
            )
        }
        Mode::RedirectLogin(_) => json(StatusCode::OK, serde_json::json!({})),
    }
}

/// A staff page: for the stuck cursor, "more" at the cursor it was asked from; for the
/// cycling one, the other of a and b.
async fn staff(
    State(h): State<Hostile>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    h.hits.fetch_add(1, Ordering::SeqCst);
    let mut page = empty_page();
    match h.mode {
        Mode::StuckCursor => {
            page["has_more"] = true.into();
            page["next_cursor"] = "stuck".into();
        }
        Mode::CyclingCursor => {
            let next = if q.get("since").map(String::as_str) == Some("a") {
                "b"
            } else {
                "a"
            };
            page["has_more"] = true.into();
            page["next_cursor"] = next.into();
            page["tombstones"] = vec!["S1"].into();
        }
        _ => {}
    }
    json(StatusCode::OK, page)
}

pub async fn start(mode: Mode) -> Server {
    let hits = Arc::new(AtomicU64::new(0));
    let compression = match mode {
        Mode::GzipBomb(_) => CompressionLayer::new().gzip(true).zstd(false),
        Mode::ZstdBomb(_) => CompressionLayer::new().gzip(false).zstd(true),
        _ => CompressionLayer::new().gzip(false).zstd(false),
    };
    let state = Hostile {
        mode,
        hits: hits.clone(),
    };
    let encodings: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = encodings.clone();
    let app = Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/units/{unit}/changes", get(changes))
        .route("/api/v1/units/{unit}/staff", get(staff))
        .with_state(state)
        .layer(compression)
        .layer(axum::middleware::map_response(move |r: Response| {
            let seen = seen.clone();
            async move {
                let e = r
                    .headers()
                    .get(header::CONTENT_ENCODING)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("identity")
                    .to_owned();
                seen.lock().unwrap().push(e);
                r
            }
        }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        addr,
        hits,
        encodings,
    }
}

/// A listener that only counts what reaches it: the other origin of a redirect.
pub async fn sink() -> Server {
    let hits = Arc::new(AtomicU64::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((_socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    Server {
        addr,
        hits,
        encodings: Arc::default(),
    }
}
