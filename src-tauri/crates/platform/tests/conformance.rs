//! The vendor's conformance suite, run against the reference server (every check passes) and
//! against a server that only pretends (the checks find it out).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_platform::conformance::{run, Report, Target};

fn target(base: &str, user: &str, password: &str) -> Target {
    Target {
        base: base.to_owned(),
        user: user.to_owned(),
        password: zeroize::Zeroizing::new(password.to_owned()),
        unit: None,
        year: None,
    }
}

fn failed(report: &Report) -> Vec<String> {
    report
        .checks
        .iter()
        .filter(|c| c.result.is_err())
        .map(|c| c.line())
        .collect()
}

#[tokio::test]
async fn the_reference_server_passes_every_check() {
    let s = start(Options::default()).await;
    // A withdrawn declaration: its tombstone must come with the pulls.
    let withdrawn: String = s
        .conn()
        .query_row(
            "SELECT id FROM declarations WHERE unit_id = 'U01' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    jxjy_platform::manage::amend(&mut s.conn(), &withdrawn, true).unwrap();
    let a = &s.accounts[0];
    let report = run(target(&s.base, &a.username, &a.password), |c| {
        println!("{}", c.line())
    })
    .await;
    println!("{}", report.summary());
    assert!(report.checks.len() >= 30, "{}", report.summary());
    assert_eq!(failed(&report), Vec::<String>::new());
    let pulled = report
        .checks
        .iter()
        .find(|c| c.name == "pull.declarations")
        .unwrap();
    assert!(
        pulled.line().contains(", 1 tombstones"),
        "{}",
        pulled.line()
    );
    // It decided what it says: a return and an approval, each once.
    let held = jxjy_platform::manage::decisions(&s.conn()).unwrap();
    assert_eq!(held.len(), 2, "{held:?}");
}

/// Answers every request 200 with a token-shaped body: a login "works", nothing else does.
async fn pretender() -> String {
    use axum::response::IntoResponse;
    async fn anything() -> axum::response::Response {
        axum::Json(serde_json::json!({
            "access_token": "a", "token_type": "Bearer", "expires_in": 60,
            "refresh_token": "r", "username": "u", "unit_id": "U01", "unit_name": "x"
        }))
        .into_response()
    }
    let app = axum::Router::new().fallback(anything);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_server_that_only_pretends_fails() {
    let base = pretender().await;
    let report = run(target(&base, "u", "p"), |_| {}).await;
    let failed = failed(&report);
    let names: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.result.is_err())
        .map(|c| c.name)
        .collect();
    for name in [
        "auth.wrong_password",
        "auth.no_token",
        "pull.staff",
        "pull.declarations",
        "scope.other_unit",
    ] {
        assert!(names.contains(&name), "{name} should fail: {failed:#?}");
    }
    assert!(report
        .summary()
        .contains(&format!("{} failed", failed.len())));
}

#[tokio::test]
async fn a_base_that_is_not_a_url_is_one_clear_failure() {
    let report = run(target("ftp://example.invalid", "u", "p"), |_| {}).await;
    assert_eq!(report.checks.len(), 1);
    assert!(
        failed(&report)[0].contains("http or https"),
        "{:?}",
        failed(&report)
    );
}
