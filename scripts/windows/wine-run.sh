#!/usr/bin/env bash
# Cargo's runner for x86_64-pc-windows-gnu (set by scripts/test-windows.sh): runs a Windows
# executable under Wine in the project's own prefix, with the test-only ProcessPrng shim on
# Wine's DLL search path. Quiet: Wine's own fixme lines would bury the test output.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export WINEPREFIX="${WINEPREFIX:-$root/target/wine-prefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree=;mshtml=}"
# The shim, and the release folder for WebView2Loader.dll (the app's unit tests link it; the
# loader starts without the WebView2 runtime, which only a window would need).
export WINEPATH="$root/target/wine-shim;$root/target/x86_64-pc-windows-gnu/release${WINEPATH:+;$WINEPATH}"
exec wine "$@"
