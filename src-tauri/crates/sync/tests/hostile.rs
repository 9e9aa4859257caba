//! The client against a hostile platform on loopback: what it refuses, and that a refusal
//! sends nothing further and applies nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod hostile_server;

use common::{store, sync};
use hostile_server::{sink, start, Mode, Server};
use jxjy_core::synth::{generate, SynthParams};
use jxjy_store::queries::QueueFilter;
use jxjy_store::Store;
use jxjy_sync::engine::login;
use jxjy_sync::{AddressError, Client, SyncError};

/// A hostile platform in `mode` and a store logged in to it (its login answers normally);
/// returns both and the error of the store's first sync against it.
async fn sync_against(mode: Mode) -> (Server, Store, SyncError) {
    let hostile = start(mode).await;
    let mut s = store();
    let client = Client::for_address(&hostile.url()).unwrap();
    login(&mut s, &client, "someone", "pw", 2019).await.unwrap();
    let err = sync(&mut s, &hostile.url(), false).await.unwrap_err();
    (hostile, s, err)
}

#[tokio::test]
async fn plain_http_to_another_computer_is_refused_before_any_request() {
    for remote in ["http://192.168.1.10:8787", "http://zj.example.cn/api"] {
        match Client::for_address(remote) {
            Err(SyncError::Address(AddressError::PlainHttpElsewhere { host_and_rest })) => {
                assert!(remote.ends_with(&host_and_rest), "{host_and_rest}");
            }
            other => panic!("{remote}: {other:?}"),
        }
    }
    assert!(Client::for_address("http://127.0.0.1:8787").is_ok());
    assert!(Client::for_address("https://zj.example.cn").is_ok());
}

#[tokio::test]
async fn a_redirected_login_sends_the_password_nowhere_else() {
    let other = sink().await;
    let hostile = start(Mode::RedirectLogin(format!(
        "{}/api/v1/auth/login",
        other.url()
    )))
    .await;
    let mut s = store();
    let client = Client::for_address(&hostile.url()).unwrap();
    let err = login(&mut s, &client, "someone", "secret-password", 2019)
        .await
        .unwrap_err();
    eprintln!("redirected login: {err}");
    match &err {
        SyncError::Redirected { status: 307, to } => {
            assert!(to.contains(&other.addr.port().to_string()), "{to}")
        }
        e => panic!("{e:?}"),
    }
    assert!(!err.to_string().contains("secret-password"));
    assert_eq!(hostile.hits(), 1);
    assert_eq!(other.hits(), 0, "nothing reached the other origin");
    assert_eq!(s.meta("server").unwrap(), None, "no login was recorded");
}

#[tokio::test]
async fn a_redirected_api_call_carries_no_token_away() {
    let other = sink().await;
    let (_, _, err) = sync_against(Mode::RedirectApi(format!("{}/steal", other.url()))).await;
    eprintln!("redirected API call: {err}");
    assert!(
        matches!(err, SyncError::Redirected { status: 302, .. }),
        "{err:?}"
    );
    assert_eq!(other.hits(), 0, "the bearer token went nowhere else");
}

#[tokio::test]
async fn compression_bombs_are_refused_at_the_cap_with_nothing_applied() {
    // 256 MiB of JSON whitespace each, over twenty times the cap (the 2 GiB case, with its
    // memory figure, is tests/bomb_memory.rs).
    for (mode, encoding) in [
        (Mode::GzipBomb(256 << 20), "gzip"),
        (Mode::ZstdBomb(256 << 20), "zstd"),
    ] {
        let (hostile, s, err) = sync_against(mode.clone()).await;
        eprintln!("{encoding} bomb: {err}");
        match err {
            SyncError::TooLarge { what, cap } => {
                assert_eq!(what, "a changes page");
                assert_eq!(cap, 2 * jxjy_sync::limits::page_bytes(300));
            }
            e => panic!("{mode:?}: {e:?}"),
        }
        assert_eq!(
            s.cursor(jxjy_core::SyncScope::Staff).unwrap(),
            None,
            "nothing applied"
        );
        assert_eq!(s.cursor(jxjy_core::SyncScope::Declarations).unwrap(), None);
        assert_eq!(
            hostile.encodings().last().map(String::as_str),
            Some(encoding),
            "the bomb went compressed"
        );
    }
}

#[tokio::test]
async fn a_cursor_that_does_not_advance_is_an_error_not_a_loop() {
    let (hostile, _s, err) = sync_against(Mode::StuckCursor).await;
    eprintln!("stuck cursor: {err}");
    assert!(
        matches!(&err, SyncError::BadData(m) if m.contains("did not advance")),
        "{err:?}"
    );
    // Login, the changes page, and the one staff page that repeated its cursor.
    assert!(hostile.hits() <= 3, "{} requests", hostile.hits());
}

#[tokio::test]
async fn a_cursor_that_cycles_is_an_error_not_a_loop() {
    let (hostile, _, err) = sync_against(Mode::CyclingCursor).await;
    eprintln!("cycling cursor: {err}");
    assert!(
        matches!(&err, SyncError::BadData(m) if m.contains("came back")),
        "{err:?}"
    );
    // Login, the changes page (cursor a), staff since a (b), staff since b (a again: refused).
    assert!(hostile.hits() <= 5, "{} requests", hostile.hits());
}

#[tokio::test]
async fn a_page_with_more_records_than_asked_is_refused() {
    let (_, _, err) = sync_against(Mode::ManyStaff(301)).await;
    eprintln!("oversized page: {err}");
    assert!(
        matches!(&err, SyncError::BadData(m) if m.contains("301 records")),
        "{err:?}"
    );
}

/// A declaration with evidence, as JSON, with its first evidence record changed by `edit`.
fn declaration_with(edit: impl Fn(&mut serde_json::Value)) -> serde_json::Value {
    let input = generate(&SynthParams {
        staff: 3,
        declarations_per_staff: 6,
        seed: 5,
        ..SynthParams::default()
    });
    let d = input
        .declarations
        .iter()
        .find(|d| !d.evidence.is_empty())
        .unwrap();
    let mut v = serde_json::to_value(d).unwrap();
    edit(&mut v["evidence"][0]);
    v
}

#[tokio::test]
async fn crafted_evidence_records_are_refused_with_nothing_applied() {
    let cases = [
        (
            declaration_with(|e| e["size"] = (60u64 << 20).into()),
            "over the limit",
        ),
        (
            declaration_with(|e| e["sha256"] = "../../../etc/passwd".into()),
            "64 hexadecimal",
        ),
        (
            declaration_with(|e| e["sha256"] = format!("{}g", "a".repeat(63)).into()),
            "64 hexadecimal",
        ),
    ];
    for (declaration, expected) in cases {
        let (_, s, err) = sync_against(Mode::Declarations(vec![declaration])).await;
        eprintln!("crafted evidence record: {err}");
        assert!(
            matches!(
                &err,
                SyncError::Store(jxjy_store::StoreError::BadEvidenceRecord { .. })
            ) && err.to_string().contains(expected),
            "{err:?}"
        );
        let queue = s.queue(&QueueFilter::default()).unwrap();
        assert_eq!(queue.total, 0, "nothing applied");
        assert_eq!(s.cursor(jxjy_core::SyncScope::Declarations).unwrap(), None);
    }
}
