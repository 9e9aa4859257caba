#!/usr/bin/env bash
# Regenerates the screenshots of the main screens in docs/screenshots/ from the real app (the
# end-to-end run against a freshly seeded reference platform). Look at them before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked
scripts/build-ui.sh
out="$PWD/docs/screenshots"
mkdir -p "$out"
JXJY_SCREENSHOTS="$out" xvfb-run -a -s "-screen 0 1400x880x24" \
  cargo test --locked --test e2e -- --ignored --test-threads=1
ls -l "$out"
