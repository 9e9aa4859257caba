#!/usr/bin/env bash
# The main job: builds the UI, the app, the CLI and the reference platform; seeds the platform
# with a demo unit and starts it on loopback; logs the demo reviewer in with the CLI, syncs,
# shows the review queue's counts; then opens the app (under Xvfb with a screenshot when there
# is no display). The platform keeps running until the app is closed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-ui.sh
cargo build --locked -p jxjy-review -p jxjy-cli -p jxjy-platform

demo=${JXJY_DEMO_DIR:-.demo}
mkdir -p "$demo"
port=${JXJY_DEMO_PORT:-8787}
if [ ! -f "$demo/platform.db" ]; then
  target/debug/jxjy-platform seed --db "$demo/platform.db" --evidence | tee "$demo/accounts.txt"
else
  cat "$demo/accounts.txt"
fi
user=$(awk '/^  [^ ]+ \/ /{print $1; exit}' "$demo/accounts.txt")
pass=$(awk '/^  [^ ]+ \/ /{print $3; exit}' "$demo/accounts.txt")

target/debug/jxjy-platform serve --db "$demo/platform.db" --addr "127.0.0.1:$port" 2> "$demo/platform.log" &
platform=$!
trap 'kill $platform 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
echo "== reference platform on http://127.0.0.1:$port — demo reviewer: $user / $pass"

echo "== jxjy credit --input examples/domain-example.json"
target/debug/jxjy credit --input examples/domain-example.json

# The headless flow, with the kernel keyring of a session of its own (a desktop uses the OS's).
export JXJY_HOME="$PWD/$demo/home" JXJY_KEYRING=keyutils
keyctl session - bash -c "
  set -e
  echo '$pass' | target/debug/jxjy login --server http://127.0.0.1:$port --user '$user' --password-stdin
  target/debug/jxjy sync
  target/debug/jxjy status
" 2>&1 | grep -v '^Joined session keyring' | grep -vE '^(PullDeclarations|Evaluate|Push|Evidence|Done): [0-9]+/?[0-9]* items' || true

if [ -n "${DISPLAY:-}" ]; then
  target/debug/jxjy-review
else
  echo "== no DISPLAY: opening the app under Xvfb and saving a screenshot"
  scripts/smoke-window.sh target/run-screenshot.png
fi
