#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, the UI's type check and unit
# tests, all Rust tests (core, CLI, app IPC), and a real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "UI: install, type-check, build"
scripts/build-ui.sh
step "UI: unit tests"
(cd ui && npx vitest run)

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
cargo test --workspace --locked

step "window smoke test under Xvfb"
scripts/smoke-window.sh

step "all checks passed"
