//! A 2 GiB compression bomb costs the client at most its cap in memory: the process's peak
//! resident size (VmHWM, Linux) grows by far less than the bomb. Alone in its binary, so no other
//! test's allocations count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod hostile_server;

/// The process's peak resident set in bytes.
#[cfg(target_os = "linux")]
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_two_gib_gzip_bomb_leaves_memory_flat() {
    use hostile_server::{start, Mode};
    use jxjy_sync::{engine::login, Client, SyncError};
    const BOMB: u64 = 2 << 30;
    let hostile = start(Mode::GzipBomb(BOMB)).await;
    let mut s = common::store();
    let client = Client::for_address(&hostile.url()).unwrap();
    login(&mut s, &client, "someone", "pw", 2019).await.unwrap();
    let before = peak_rss();
    let err = common::sync(&mut s, &hostile.url(), false)
        .await
        .unwrap_err();
    let grew = peak_rss().saturating_sub(before);
    assert!(matches!(err, SyncError::TooLarge { .. }), "{err:?}");
    let cap = 2 * jxjy_sync::limits::page_bytes(300);
    eprintln!(
        "peak RSS grew by {} MiB on a {} MiB bomb (cap {} MiB)",
        grew >> 20,
        BOMB >> 20,
        cap >> 20
    );
    // The cap, once as the buffer and once as its growth, plus the server's own pieces.
    assert!(
        grew < 4 * cap + (64 << 20),
        "peak RSS grew by {grew} bytes on a {BOMB}-byte bomb"
    );
}
