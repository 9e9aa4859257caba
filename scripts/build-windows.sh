#!/usr/bin/env bash
# Cross-builds the Windows x64 app, the CLI and the reference platform on Debian 12
# (x86_64-pc-windows-gnu, linked by mingw-w64) and makes the per-user installer:
#   target/windows/jxjy-review_<version>_x64-setup.exe
# The platform server lands beside it in target/windows/ (for a vendor's or a trainer's PC; the
# installer does not carry it). Installs what it lacks: mingw-w64 and NSIS from Debian's
# packages, the Rust standard library for the target through rustup.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/windows/toolchain.sh
windows_toolchain build-windows nsis perl make

scripts/build-ui.sh
# The OCR models ride in the installer (ocr-models beside the program, where the app looks).
scripts/fetch-ocr-models.sh
start=$(date +%s)
cargo build --locked --release --target "$TARGET" \
  -p jxjy-review --bin jxjy-review -p jxjy-cli --bin jxjy -p jxjy-platform --bin jxjy-platform
echo "build-windows: cross-build took $(( $(date +%s) - start )) s" >&2

out="target/$TARGET/release"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
# The WebView2 loader: with the gnu target the app links the DLL, which webview2-com-sys ships.
loader=$(find "$out" -maxdepth 3 -name WebView2Loader.dll -path '*x64*' | head -1)
if [ -z "$loader" ]; then
  loader=$(find "$out" -maxdepth 1 -name WebView2Loader.dll | head -1)
fi
if [ -z "$loader" ]; then
  echo "build-windows: WebView2Loader.dll not found under $out" >&2
  exit 1
fi

stage="target/windows/stage"
rm -rf "$stage"
mkdir -p "$stage"
cp "$out/jxjy-review.exe" "$out/jxjy.exe" "$loader" icons/icon.ico "$stage/"
mkdir -p "$stage/ocr-models"
cp models/ocr/*.onnx "$stage/ocr-models/"
installer="target/windows/jxjy-review_${version}_x64-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DSRCDIR="$PWD/$stage" \
  -DOUTFILE="$PWD/$installer" scripts/windows/installer.nsi
cp "$out/jxjy-platform.exe" target/windows/
ls -l "$installer" target/windows/jxjy-platform.exe
echo "build-windows: installer $(du -h "$installer" | cut -f1) at $installer" >&2
