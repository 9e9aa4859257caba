#!/usr/bin/env bash
# Starts the real app under a virtual display, waits for its window, and saves a screenshot.
# Fails when the app exits early or no window titled 继续教育学时初审 appears.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked --bin jxjy-review
out=${1:-target/smoke-window.png}
exec xvfb-run -a -s "-screen 0 1366x860x24" bash -c '
  set -euo pipefail
  target/debug/jxjy-review > target/smoke-window.log 2>&1 &
  pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  for _ in $(seq 1 60); do
    if ! kill -0 $pid 2>/dev/null; then
      echo "smoke: the app exited early:" >&2; cat target/smoke-window.log >&2; exit 1
    fi
    if xdotool search --name "继续教育学时初审" >/dev/null 2>&1; then
      sleep 3
      import -window root "'"$out"'"
      echo "smoke: window is up; screenshot in '"$out"'"
      echo "1 passed, 0 failed"
      exit 0
    fi
    sleep 0.5
  done
  echo "smoke: no window after 30 s" >&2; cat target/smoke-window.log >&2; exit 1
'
