#!/usr/bin/env bash
# The store benchmark: 10,000 staff / 100,000 declarations in an encrypted database.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p jxjy-store --bench store
