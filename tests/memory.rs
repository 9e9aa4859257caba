//! `memory::give_back` returns freed heap to the system (Linux, glibc): the case of a first
//! sync, where many small allocations are freed behind a few that live on.
#![cfg(all(target_os = "linux", target_env = "gnu"))]
#![allow(clippy::unwrap_used)]

fn rss_anon_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kib / 1024.0
}

#[test]
fn freed_small_allocations_go_back_to_the_system() {
    // 120 MiB in 2 KiB blocks; one in 64 stays alive, so the free space is all interior and
    // the allocator alone would keep it.
    let mut blocks: Vec<Vec<u8>> = (0..61_440).map(|i| vec![(i % 251) as u8; 2048]).collect();
    let kept: Vec<Vec<u8>> = blocks.iter_mut().step_by(64).map(std::mem::take).collect();
    drop(blocks);
    let before = rss_anon_mib();
    jxjy_review::memory::give_back();
    let after = rss_anon_mib();
    assert!(
        before - after > 60.0,
        "anonymous memory {before:.0} MiB before, {after:.0} MiB after"
    );
    assert_eq!(kept.len(), 960);
    assert!(kept.iter().all(|b| b.len() == 2048));
}
