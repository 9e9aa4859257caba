#!/usr/bin/env bash
# End-to-end benchmark of the desktop app with 100,000 cached declarations against a baseline of
# 1,000 in the same run: start to an interactive queue, filter/scroll/next-item interactions,
# resident memory. Release build, real WebKit window under Xvfb, WebDriver through
# tauri-driver; the kernel keyring session is shared by the bench and the app it launches.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked
scripts/build-ui.sh
cargo bench --locked --bench app --no-run
exec keyctl session - xvfb-run -a -s "-screen 0 1400x880x24" cargo bench --locked --bench app 2>&1 | grep -v '^Joined session keyring'
