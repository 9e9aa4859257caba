#!/usr/bin/env bash
# The main job at this stage: builds the UI, the app and the CLI, credits the bundled example
# with `jxjy credit`, and opens the app (under Xvfb with a screenshot when there is no display).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-ui.sh
cargo build --locked --bin jxjy-review --bin jxjy

echo "== jxjy credit --input examples/domain-example.json"
target/debug/jxjy credit --input examples/domain-example.json

if [ -n "${DISPLAY:-}" ]; then
  exec target/debug/jxjy-review
else
  echo "== no DISPLAY: opening the app under Xvfb and saving a screenshot"
  scripts/smoke-window.sh target/run-screenshot.png
fi
