#!/usr/bin/env bash
# Runs the fuzz targets (cargo-fuzz, nightly) for SECONDS each (default 600), one after the
# other, starting from the committed seed corpus; findings land in fuzz/artifacts/. A single
# allocation over 512 MB or an input that takes over 10 s is a finding (-malloc_limit_mb,
# -timeout): a crafted file must be refused before it is sized, not merely survive on a big box.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(exchange_reader xlsx_import)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q nightly || { echo "cargo-fuzz needs a nightly toolchain (rustup toolchain install nightly)" >&2; exit 1; }
cargo run -q -p jxjy-office --example fuzz_corpus
cd fuzz
for t in "${targets[@]}"; do
  work="$(mktemp -d)"; cp corpus/"$t"/* "$work"/
  echo "== $t for ${secs}s"
  cargo +nightly fuzz run -O "$t" "$work" -- -max_total_time="$secs" -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1 2>&1 | grep -E "^#[0-9]+ +DONE|^Done|SUMMARY|ERROR" || true
done
