#!/usr/bin/env bash
# Installs the system packages jxjy-review needs to build, run and test on Debian 12.
# Idempotent; uses sudo when not root.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  # Tauri v2 on Linux (WebKitGTK 4.1)
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev libdbus-1-dev
  pkg-config build-essential curl file
  # a virtual display, WebDriver for the real window, screenshots and clicks
  xvfb webkit2gtk-driver imagemagick xdotool
  # headless Chromium for the UI's page tests
  chromium
  # Chinese fonts so the zh-CN UI renders; TrueType ones for the seeded certificates (a text PDF
  # embeds a TrueType subset)
  fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai
  # the Linux kernel keyring backend for the OS keyring
  keyutils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages present" >&2
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $(node --version) is too old for the UI build (needs 20 or newer)" >&2
  exit 1
fi
command -v cargo >/dev/null 2>&1 || { echo "setup: no Rust toolchain (cargo) on PATH" >&2; exit 1; }
# The WebDriver bridge for the end-to-end test of the real window.
# The OCR models that read scanned evidence (from the Python package registry).
"$(dirname "$0")/fetch-ocr-models.sh"
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver" >&2
  cargo install tauri-driver --locked --version "^2"
fi
