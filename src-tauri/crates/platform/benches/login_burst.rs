//! Logins per second, and what a burst of 20 concurrent logins does to a reviewer's pull: the
//! pull's p95 alone (the baseline, measured in the same run) and during the burst, as a ratio.
//! Reference server on loopback, seeded, release build: `cargo bench -p jxjy-platform --bench
//! login_burst`.

use jxjy_platform::api::{Config, TokenResponse};
use jxjy_platform::faults::{FaultConfig, RateLimiter};
use jxjy_platform::seed::{seed, SeedParams};
use std::time::{Duration, Instant};

fn p95(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(((xs.len() as f64) * 0.95) as usize)
        .or(xs.last())
        .copied()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("jxjy-login-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn = jxjy_platform::db::open(&dir.join("p.db")).unwrap();
        let report = seed(
            &mut conn,
            &SeedParams {
                units: 2,
                staff_per_unit: 100,
                declarations_per_staff: 5,
                evidence: false,
                seed: 5,
                year: 2019,
            },
        )
        .unwrap();
        let addr = jxjy_platform::api::spawn_server(
            "127.0.0.1:0",
            conn,
            Config::default(),
            FaultConfig::default(),
            RateLimiter::new(0.0, 1.0),
        )
        .await
        .unwrap();
        let base = format!("http://{addr}");
        let http = reqwest::Client::new();
        let (reader, loginer) = (report.accounts[0].clone(), report.accounts[1].clone());
        let login = |http: reqwest::Client, user: String, password: String| {
            let url = format!("{base}/api/v1/auth/login");
            async move {
                let r = http
                    .post(url)
                    .json(&serde_json::json!({"username": user, "password": password}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                r.json::<TokenResponse>().await.unwrap()
            }
        };
        let token = login(
            http.clone(),
            reader.username.clone(),
            reader.password.clone(),
        )
        .await
        .access_token;
        let pull_url = format!(
            "{base}/api/v1/units/{}/declarations?limit=50",
            reader.unit_id
        );
        let pull = |http: reqwest::Client| {
            let (url, token) = (pull_url.clone(), token.clone());
            async move {
                let t = Instant::now();
                let r = http.get(url).bearer_auth(token).send().await.unwrap();
                assert_eq!(r.status(), 200);
                r.bytes().await.unwrap();
                t.elapsed()
            }
        };

        // Baseline: pulls with nothing else going on.
        let mut alone = Vec::new();
        for _ in 0..60 {
            alone.push(pull(http.clone()).await);
        }

        // 20 logins at once, while the reviewer keeps pulling.
        let started = Instant::now();
        let burst: Vec<_> = (0..20)
            .map(|_| {
                tokio::spawn(login(
                    http.clone(),
                    loginer.username.clone(),
                    loginer.password.clone(),
                ))
            })
            .collect();
        let mut during = Vec::new();
        while burst.iter().any(|h| !h.is_finished()) {
            during.push(pull(http.clone()).await);
        }
        for h in burst {
            h.await.unwrap();
        }
        let took = started.elapsed();
        let (a, d) = (p95(alone), p95(during.clone()));
        println!(
            "20 concurrent logins in {:.2} s: {:.1} logins/s",
            took.as_secs_f64(),
            20.0 / took.as_secs_f64()
        );
        println!(
            "pull p95 alone {:.1} ms · during the burst {:.1} ms ({} pulls) · {:.1}x baseline",
            ms(a),
            ms(d),
            during.len(),
            ms(d) / ms(a).max(0.001)
        );
        let _ = std::fs::remove_dir_all(&dir);
    });
}
