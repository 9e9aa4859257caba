//! The three lists of the page's commands agree: the handlers registered in `src/lib.rs`, the
//! app manifest in `build.rs`, and the capability that allows them. A command missing from the
//! last two works in the IPC tests (the mock runtime checks no capability) but is refused in
//! the real window — this test catches that before the end-to-end run does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// The quoted names between `start` and the next `end`.
fn quoted(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = text.find(start).expect(start) + start.len();
    let body = &text[from..from + text[from..].find(end).unwrap()];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_registered_command_is_in_the_manifest_and_allowed() {
    let lib = read("src-tauri/src/lib.rs");
    let from = lib.find("generate_handler![").unwrap();
    let handlers: BTreeSet<String> = lib[from..from + lib[from..].find(']').unwrap()]
        .split(|c: char| c == ',' || c.is_whitespace() || c == '[')
        .filter_map(|p| p.rsplit("::").next())
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_owned)
        .collect();
    let manifest = quoted(&read("src-tauri/build.rs"), "const COMMANDS", "];");
    let allowed: BTreeSet<String> = quoted(
        &read("src-tauri/capabilities/default.json"),
        "\"permissions\"",
        "]",
    )
    .into_iter()
    .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
    .collect();
    assert!(handlers.len() > 30, "{handlers:?}");
    assert_eq!(handlers, manifest, "lib.rs and build.rs");
    assert_eq!(manifest, allowed, "build.rs and the capability");
}
