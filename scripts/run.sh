#!/usr/bin/env bash
# The main job: builds the UI, the app, the CLI and the reference platform; seeds the platform
# with a demo unit and starts it on loopback; prints the demo reviewer's account; opens the app
# pointed at the platform (log in there; the first sync follows). Without a display the app
# runs under Xvfb and a screenshot is saved. The platform stops when the app is closed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-ui.sh
cargo build --locked -p jxjy-review -p jxjy-cli -p jxjy-platform

demo=${JXJY_DEMO_DIR:-.demo}
mkdir -p "$demo"
port=${JXJY_DEMO_PORT:-8787}
if [ ! -f "$demo/platform.db" ]; then
  target/debug/jxjy-platform seed --db "$demo/platform.db" --evidence > "$demo/accounts.txt"
fi
user=$(awk '/^  [^ ]+ \/ /{print $1; exit}' "$demo/accounts.txt")
pass=$(awk '/^  [^ ]+ \/ /{print $3; exit}' "$demo/accounts.txt")

target/debug/jxjy-platform serve --db "$demo/platform.db" --addr "127.0.0.1:$port" 2> "$demo/platform.log" &
platform=$!
trap 'kill $platform 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done

echo
echo "== reference platform: http://127.0.0.1:$port ($(head -1 "$demo/accounts.txt" | sed 's/^seeded [^:]*: //'))"
echo "== demo reviewer:      user $user   password $pass"
echo "   (at the first login the app asks for a local unlock secret — at least 6 digits or 8"
echo "    characters — and shows a recovery code once; the profile opens only with that secret)"
echo

export JXJY_SERVER="http://127.0.0.1:$port" JXJY_HOME="$PWD/$demo/home"
if [ -n "${DISPLAY:-}" ]; then
  # A desktop: secrets in the OS keyring (Secret Service).
  JXJY_KEYRING=${JXJY_KEYRING:-os} target/debug/jxjy-review
else
  echo "== no DISPLAY: opening the app under Xvfb and saving a screenshot"
  # Headless: the kernel keyring of a session of its own; its keys end with it, so the demo
  # profile starts fresh each time.
  rm -rf "$JXJY_HOME"
  JXJY_KEYRING=keyutils keyctl session - scripts/smoke-window.sh target/run-screenshot.png 2>&1 | grep -v '^Joined session keyring'
fi
