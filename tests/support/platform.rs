//! The reference platform for the app's end-to-end test and benchmark: seeded into `db` and
//! serving on a free loopback port, with default faults and no rate limit.
#![allow(dead_code, clippy::unwrap_used)]

use jxjy_platform::api::Config;
use jxjy_platform::faults::{FaultConfig, RateLimiter};
use jxjy_platform::seed::{seed, Account, SeedParams};
use std::net::SocketAddr;
use std::path::Path;

/// Its address and the first unit's reviewer account.
pub async fn serve_seeded(db: &Path, params: &SeedParams) -> (SocketAddr, Account) {
    serve(db, params, false).await
}

/// Like `serve_seeded`, with realistic certificates as the evidence (`seed --evidence`).
pub async fn serve_seeded_with_certificates(
    db: &Path,
    params: &SeedParams,
) -> (SocketAddr, Account) {
    serve(db, params, true).await
}

async fn serve(db: &Path, params: &SeedParams, certificates: bool) -> (SocketAddr, Account) {
    let mut conn = jxjy_platform::db::open(db).unwrap();
    let report = if certificates {
        let fonts = jxjy_certgen::Fonts::from_system().unwrap();
        jxjy_platform::seed::seed_with_certificates(&mut conn, params, &fonts).unwrap()
    } else {
        seed(&mut conn, params).unwrap()
    };
    let account = report.accounts[0].clone();
    let addr = jxjy_platform::api::spawn_server(
        "127.0.0.1:0",
        conn,
        Config::default(),
        FaultConfig::default(),
        RateLimiter::new(0.0, 1.0),
    )
    .await
    .unwrap();
    (addr, account)
}
