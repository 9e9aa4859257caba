#!/usr/bin/env bash
# Installs target/windows/jxjy-review_<version>_x64-setup.exe silently (per user, /S) in the
# project's Wine prefix and checks what a person would: the program files, the Start-menu entry,
# the uninstaller's registration under HKCU, the installed jxjy.exe answering; then uninstalls
# silently and checks that the program is gone and the data folder (with unsynced work) is not.
# Run by scripts/test-windows.sh, which has made the prefix and the test-only ProcessPrng shim.
set -euo pipefail
cd "$(dirname "$0")/../.."

installer=$(ls target/windows/jxjy-review_*_x64-setup.exe 2>/dev/null | head -1)
if [ -z "$installer" ]; then
  echo "check-installer: no installer in target/windows (run scripts/build-windows.sh)" >&2
  exit 1
fi
export WINEPREFIX="${WINEPREFIX:-$PWD/target/wine-prefix}"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree=;mshtml="
user_dir="$WINEPREFIX/drive_c/users/$(id -un)"
programs="$user_dir/AppData/Local/Programs/jxjy-review"
data="$user_dir/AppData/Local/jxjy-review"
menu="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/继续教育学时初审"
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\jxjy-review'
fail() { echo "check-installer: FAILED: $*" >&2; exit 1; }

# A clean slate in the test prefix (a run stopped halfway leaves an install behind).
rm -rf "$programs" "$menu"
wine reg delete "$key" /f >/dev/null 2>&1 || true

# Windows 7 is refused (no WebView2 there): exit code 2, the script's abort, nothing installed.
wine winecfg -v win7 >/dev/null 2>&1
wineserver -w
rc=0
wine "$installer" /S || rc=$?
wineserver -w
[ "$rc" = 2 ] || fail "on Windows 7 the installer should abort (exit 2), it exited $rc"
[ ! -e "$programs" ] || fail "on Windows 7 the installer left $programs"

wine winecfg -v win10 >/dev/null 2>&1
wineserver -w
wine "$installer" /S || fail "the installer exited $? on Windows 10"
wineserver -w
for f in jxjy-review.exe jxjy.exe WebView2Loader.dll uninstall.exe; do
  [ -f "$programs/$f" ] || fail "$f was not installed in $programs"
done
for f in ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx; do
  cmp -s "$programs/ocr-models/$f" "models/ocr/$f" || fail "the OCR model $f was not installed in $programs/ocr-models"
done
[ ! -e "$programs/bcryptprimitives.dll" ] || fail "the test-only shim was installed"
[ -f "$menu/继续教育学时初审.lnk" ] || fail "no Start-menu entry in $menu"
[ -f "$menu/卸载继续教育学时初审.lnk" ] || fail "no uninstall entry in the Start menu"
# The registration as Wine keeps it (user.reg): the Chinese name stored as UTF-16, right.
name_utf16=$(python3 -c 'print("".join("\\x%04x" % ord(c) for c in "继续教育学时初审"))')
section=$(grep -A14 -F '[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\jxjy-review]' "$WINEPREFIX/user.reg") \
  || fail "no uninstall registration under $key"
grep -qF "\"DisplayName\"=\"$name_utf16\"" <<<"$section" || fail "DisplayName is not 继续教育学时初审: $section"
grep -q '"DisplayVersion"="[0-9.]*"' <<<"$section" || fail "no DisplayVersion: $section"
grep -q 'uninstall.exe' <<<"$section" || fail "no UninstallString: $section"
# The installed CLI runs (with the shim on Wine's DLL path only, as the tests have it).
WINEPATH="$PWD/target/wine-shim" wine "$programs/jxjy.exe" --version | tr -d '\r' | grep -q jxjy \
  || fail "the installed jxjy.exe did not answer --version"
echo "check-installer: installed per user: $(du -sh "$programs" | cut -f1) in $programs" >&2

# Unsynced work lives in the data folder; an uninstall leaves it.
mkdir -p "$data/profiles/reviewer"
echo "unsynced" > "$data/profiles/reviewer/store.db"
wine "$programs/uninstall.exe" /S
wineserver -w
sleep 1
[ ! -e "$programs/jxjy-review.exe" ] || fail "the uninstaller left jxjy-review.exe"
[ ! -e "$menu/继续教育学时初审.lnk" ] || fail "the uninstaller left the Start-menu entry"
if wine reg query "$key" >/dev/null 2>&1; then fail "the uninstaller left $key"; fi
[ "$(cat "$data/profiles/reviewer/store.db")" = "unsynced" ] || fail "the uninstaller touched the data folder"
rm -rf "$data/profiles/reviewer"
echo "check-installer: install, Start menu, registration, uninstall: ok; the data folder is kept" >&2
