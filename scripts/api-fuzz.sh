#!/usr/bin/env bash
# Fuzzes the reference platform against its own OpenAPI document with schemathesis (pinned,
# installed from the package registry into target/schemathesis-venv): a small seeded unit served
# on loopback, every check, a fresh login per case (scripts/schemathesis/hooks.py). Exits non-zero
# on any failure. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version | grep -q "$SCHEMATHESIS_VERSION"; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian's python3 keeps venv in a package of its own.
    . scripts/lib/apt.sh
    apt_install api-fuzz python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
cargo build --locked -q -p jxjy-platform
dir=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$dir"' EXIT
target/debug/jxjy-platform seed --db "$dir/p.db" --staff-per-unit 20 --declarations-per-staff 8 --minimal-evidence > "$dir/seed.txt"
account=$(grep -m1 '^  [^ ]* / ' "$dir/seed.txt")
user=$(awk '{print $1}' <<<"$account")
password=$(awk '{print $3}' <<<"$account")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
target/debug/jxjy-platform serve --db "$dir/p.db" --addr "127.0.0.1:$port" --rate-limit 0 > "$dir/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/openapi.json" >/dev/null && break; sleep 0.2; done
# From the temporary folder: schemathesis keeps a cache of the failures it found in its working
# directory, and a run must neither replay an earlier one's nor leave one in the checkout.
root=$PWD
cd "$dir"
JXJY_FUZZ_BASE="$base" JXJY_FUZZ_USER="$user" JXJY_FUZZ_PASSWORD="$password" \
  SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$root/scripts/schemathesis" \
  "$root/$venv/bin/schemathesis" --config-file "$root/scripts/schemathesis/schemathesis.toml" run "$base/openapi.json" --checks all --max-examples "${MAX_EXAMPLES:-40}" \
  --seed "${SEED:-1}" --workers 1 --generation-database none
# The vendor's conformance suite against the same server (after the fuzzer: it decides three
# declarations).
cd "$root"
echo "$password" | target/debug/jxjy-platform conformance --base "$base" --user "$user" --password-stdin

