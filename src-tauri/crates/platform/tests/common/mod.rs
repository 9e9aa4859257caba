//! A seeded reference server on a loopback port, in this process.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use jxjy_platform::api::{Config, TokenResponse};
use jxjy_platform::faults::{FaultConfig, RateLimiter};
use jxjy_platform::seed::{seed, Account, SeedParams};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Server {
    pub base: String,
    pub db: PathBuf,
    pub accounts: Vec<Account>,
}

pub struct Options {
    pub config: Config,
    pub faults: FaultConfig,
    pub rate: f64,
    pub burst: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            config: Config::default(),
            faults: FaultConfig::default(),
            rate: 0.0,
            burst: 1.0,
        }
    }
}

pub fn temp_db() -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("jxjy-platform-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("p{}.db", N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_file(&p);
    p
}

pub async fn start(opts: Options) -> Server {
    let db = temp_db();
    let mut conn = jxjy_platform::db::open(&db).unwrap();
    let report = seed(
        &mut conn,
        &SeedParams {
            units: 2,
            staff_per_unit: 25,
            declarations_per_staff: 8,
            evidence: true,
            seed: 5,
            year: 2019,
        },
    )
    .unwrap();
    let addr = jxjy_platform::api::spawn_server(
        "127.0.0.1:0",
        conn,
        opts.config,
        opts.faults,
        RateLimiter::new(opts.rate, opts.burst),
    )
    .await
    .unwrap();
    Server {
        base: format!("http://{addr}"),
        db,
        accounts: report.accounts,
    }
}

/// A plain HTTP client (the TLS provider is chosen by the app; tests install ring).
pub fn client() -> reqwest::Client {
    static PROVIDER: std::sync::Once = std::sync::Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder().build().unwrap()
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn login(&self, unit: usize) -> TokenResponse {
        let a = &self.accounts[unit];
        let r = client()
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": a.username, "password": a.password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    pub fn conn(&self) -> rusqlite::Connection {
        jxjy_platform::db::open(&self.db).unwrap()
    }
}

/// Asserts an RFC 9457 answer with `status`.
pub async fn assert_problem(r: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(r.status().as_u16(), status, "status");
    assert!(r.headers().contains_key("date"), "Date header");
    let ct = r
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ct.starts_with("application/problem+json"), "{ct}");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], status);
    assert!(v["type"].as_str().unwrap().starts_with("urn:jxjy:problem:"));
    v
}
