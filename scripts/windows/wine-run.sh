#!/usr/bin/env bash
# Cargo's runner for x86_64-pc-windows-gnu (set by scripts/test-windows.sh): runs a Windows
# executable under Wine in the project's own prefix, with the test-only ProcessPrng shim on
# Wine's DLL search path. Quiet: Wine's own fixme lines would bury the test output.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export WINEPREFIX="${WINEPREFIX:-$root/target/wine-prefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree=;mshtml=}"
export WINEPATH="$root/target/wine-shim${WINEPATH:+;$WINEPATH}"
exec wine "$@"
