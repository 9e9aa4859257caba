#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, the UI's type check and unit
# tests, page tests in headless Chromium, all Rust tests (core, store, sync, platform, CLI, app
# IPC, TypeScript bindings drift), and the real app end to end under Xvfb through WebDriver.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "UI: install, type-check, build"
scripts/build-ui.sh
step "UI: unit tests"
(cd ui && npx vitest run)
step "UI: page tests in headless Chromium (IPC mocked)"
(cd ui && npm run test:pages)

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
cargo test --workspace --locked

step "end to end: the real app under Xvfb through tauri-driver, against the reference platform"
xvfb-run -a -s "-screen 0 1400x880x24" cargo test --locked --test e2e -- --ignored --test-threads=1

step "window smoke test under Xvfb"
scripts/smoke-window.sh

step "all checks passed"
