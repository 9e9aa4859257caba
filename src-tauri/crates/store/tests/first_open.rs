//! The first databases a process opens, opened from many threads at once.
//!
//! SQLite marks itself initialised before it runs SQLCipher's own start-up (`SQLITE_EXTRA_INIT`),
//! so a second thread could key its connection while SQLCipher was still starting, and
//! `PRAGMA key` failed ("An error occurred with PRAGMA key or rekey"). This file must stay
//! its own test binary with this one test: it needs a process in which SQLite has not yet run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jxjy_store::keys::Sensitive;
use jxjy_store::{ProfileName, Store};
use std::sync::{Arc, Barrier};

#[test]
fn many_threads_opening_the_first_stores_of_a_process_all_succeed() {
    const THREADS: usize = 16;
    let dir = std::env::temp_dir().join(format!("jxjy-first-open-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let start = Arc::clone(&start);
            let path = dir.join(format!("{i}.db"));
            std::thread::spawn(move || {
                let profile = ProfileName::new(&format!("first-open-{i}")).unwrap();
                start.wait();
                Store::open_path(&path, profile, &Sensitive::new([i as u8; 32]))
                    .map(|s| s.schema_version().unwrap())
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let _ = std::fs::remove_dir_all(&dir);
    for (i, r) in results.iter().enumerate() {
        assert!(r.is_ok(), "thread {i}: {r:?}");
    }
}
