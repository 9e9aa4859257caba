#!/usr/bin/env bash
# Installs the UI's locked dependencies and builds ui/dist, which the app embeds.
set -euo pipefail
cd "$(dirname "$0")/../ui"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
