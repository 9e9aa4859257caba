#!/usr/bin/env bash
# Runs the core, store, sync, exchange, office and CLI test suites and the app's unit tests, built for Windows x64
# (x86_64-pc-windows-gnu) under Debian's Wine, then installs and uninstalls the installer
# silently in the same Wine prefix. Run after scripts/build-windows.sh (it shares the release
# build). What Wine cannot run — the WebView2 window — is checked by hand (README, Windows).
#
# Debian 12's Wine 8 lacks bcryptprimitives.dll, whose ProcessPrng every Rust executable
# imports: a test-only shim (scripts/windows/wine-prng-shim.c) is built into target/wine-shim
# and put on Wine's DLL path, and beside target/x86_64-pc-windows-gnu/release/jxjy.exe so that
# it runs under Wine by hand. The installer never carries it.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/windows/toolchain.sh
windows_toolchain --with-recommends test-windows wine wine64

mkdir -p target/wine-shim
x86_64-w64-mingw32-gcc -O2 -shared -o target/wine-shim/bcryptprimitives.dll \
  scripts/windows/wine-prng-shim.c -ladvapi32
out="target/$TARGET/release"
mkdir -p "$out"
cp target/wine-shim/bcryptprimitives.dll "$out/"

export WINEPREFIX="$PWD/target/wine-prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree=;mshtml="
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "test-windows: making the Wine prefix" >&2
  wineboot --init >/dev/null 2>&1 || true
  wineserver -w
  # Chinese dialogs drawn with a CJK font (a Chinese Windows has 宋体 and YaHei; Wine maps them
  # to Noto Sans CJK when it is installed), for a person looking at a screenshot.
  for font in "宋体" "SimSun" "Microsoft YaHei" "Microsoft YaHei UI" "MS Shell Dlg" "MS Shell Dlg 2" "Tahoma" "Segoe UI"; do
    wine reg add 'HKCU\Software\Wine\Fonts\Replacements' /v "$font" /d "Noto Sans CJK SC" /f >/dev/null 2>&1 || true
  done
  wineserver -w
fi
# Debian's Wine 8 prefix says Windows 7; the app needs 10 (the installer check sets both).
wine winecfg -v win10 >/dev/null 2>&1 || true
wineserver -w

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$PWD/scripts/windows/wine-run.sh"
# The OS keyring under test is Windows Credential Manager (Wine's credential store), as on a
# real PC; the suites that install an in-memory store for isolation still do.
export JXJY_KEYRING=os
start=$(date +%s)
rc=0
cargo test --locked --release --no-fail-fast --target "$TARGET" \
  -p jxjy-core -p jxjy-store -p jxjy-sync -p jxjy-exchange -p jxjy-office -p jxjy-cli \
  -- --test-threads=2 2>&1 | tee target/wine-test.log || rc=$?
# The app's own unit tests (log rotation, the one-app lock, the idle lock, the session state):
# no window is opened, so WebView2's loader is enough.
cargo test --locked --release --no-fail-fast --target "$TARGET" -p jxjy-review --lib \
  -- --test-threads=2 2>&1 | tee -a target/wine-test.log || rc=$?
echo "test-windows: the suites took $(( $(date +%s) - start )) s under Wine" >&2
grep -E '^test result:' target/wine-test.log | awk '{p+=$4; f+=$6; i+=$8} END {printf "test-windows: %d passed, %d failed, %d ignored\n", p, f, i}' >&2
[ "$rc" = 0 ] || { echo "test-windows: a Windows test suite failed (target/wine-test.log)" >&2; exit "$rc"; }

# The Windows CLI by hand, as the README's example runs it.
echo "test-windows: the README's credit example with the Windows jxjy.exe:" >&2
scripts/windows/wine-run.sh "$out/jxjy.exe" credit --input examples/domain-example.json | tr -d '\r' | head -40

scripts/windows/check-installer.sh
