//! The reference platform in this process, a link-lab proxy in front of it, and a reviewer's
//! store (in-memory keyring) logged in through the proxy.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use jxjy_linklab::{LinkConfig, Proxy};
use jxjy_platform::api::Config;
use jxjy_platform::faults::{FaultConfig, RateLimiter};
use jxjy_platform::seed::{seed, Account, SeedParams};
use jxjy_store::{Home, ProfileName, Store};
use jxjy_sync::engine::{login, SyncOptions};
use jxjy_sync::progress::Quiet;
use jxjy_sync::retry::RetryPolicy;
use jxjy_sync::{CancelToken, Client, Engine, SyncError, SyncReport};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;
use std::time::Duration;

static N: AtomicU64 = AtomicU64::new(0);

pub fn unique(tag: &str) -> String {
    format!(
        "{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jxjy-sync-test-{}", unique(tag)));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub struct Platform {
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub account: Account,
}

impl Platform {
    pub fn conn(&self) -> rusqlite::Connection {
        jxjy_platform::db::open(&self.db).unwrap()
    }

    pub fn decisions(&self) -> Vec<jxjy_platform::manage::DecisionRow> {
        jxjy_platform::manage::decisions(&self.conn()).unwrap()
    }
}

pub async fn platform(params: SeedParams, faults: FaultConfig) -> Platform {
    let db = temp_dir("platform").join("p.db");
    let mut conn = jxjy_platform::db::open(&db).unwrap();
    let report = seed(&mut conn, &params).unwrap();
    let addr = jxjy_platform::api::spawn_server(
        "127.0.0.1:0",
        conn,
        Config::default(),
        faults,
        RateLimiter::new(0.0, 1.0),
    )
    .await
    .unwrap();
    Platform {
        addr,
        db,
        account: report.accounts[0].clone(),
    }
}

pub async fn proxy(p: &Platform, config: LinkConfig) -> Proxy {
    Proxy::start(p.addr, config).await.unwrap()
}

pub fn keyring() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| jxjy_store::keys::install(jxjy_store::keys::Backend::Memory));
}

pub fn store() -> Store {
    keyring();
    let home = Home::new(temp_dir("home"));
    let profile = ProfileName::new(&unique("reviewer")).unwrap();
    Store::open(&home, &profile, &jxjy_store::Sensitive::new([9u8; 32])).unwrap()
}

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

pub async fn logged_in(p: &Platform, url: &str) -> Store {
    let mut s = store();
    let client = Client::for_address(url).unwrap();
    login(
        &mut s,
        &client,
        &p.account.username,
        &p.account.password,
        2019,
    )
    .await
    .unwrap();
    s
}

/// Fast retries for tests: many attempts, short waits.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base: Duration::from_millis(5),
        cap: Duration::from_millis(100),
        max_attempts: Some(200),
    }
}

pub async fn sync(store: &mut Store, url: &str, evidence: bool) -> Result<SyncReport, SyncError> {
    let clock = now;
    let mut e = Engine::new(
        store,
        Client::for_address(url).unwrap(),
        &Quiet,
        CancelToken::default(),
        7,
        &clock,
    );
    e.policy = fast_retries();
    e.page_size = 300;
    e.sync(&SyncOptions {
        evidence,
        evidence_first: None,
    })
    .await
}

pub fn small_unit() -> SeedParams {
    SeedParams {
        units: 1,
        staff_per_unit: 40,
        declarations_per_staff: 6,
        evidence: true,
        seed: 3,
        year: 2019,
    }
}
