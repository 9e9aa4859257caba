//! The TypeScript types in `ui/src/bindings.ts` are generated from the Rust types; this test
//! fails when they drift. `UPDATE_BINDINGS=1 cargo test --test bindings` rewrites the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn typescript_bindings_match_the_rust_types() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/bindings.ts");
    let fresh = jxjy_review::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is out of date with the Rust types: run `UPDATE_BINDINGS=1 cargo test --test bindings` and commit it"
    );
    // Spot checks that the generation itself says what the IPC sends.
    assert!(fresh.contains("export type ErrorCode = \"invalid_input\""));
    assert!(fresh.contains("export type Hours = number;"));
    assert!(fresh.contains("export type SyncEvent = { \"kind\": \"progress\""));
}
