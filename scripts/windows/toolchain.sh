# Sourced by scripts/build-windows.sh and scripts/test-windows.sh: the Rust target and the
# mingw-w64 toolchain that cross-builds for Windows x64 (its C compiler builds SQLCipher and the
# vendored OpenSSL), with Cargo pointed at it.
# shellcheck source=../lib/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/apt.sh"

TARGET=x86_64-pc-windows-gnu

# windows_toolchain [--with-recommends] LABEL [PACKAGE...]: installs mingw-w64 and the extra
# packages when missing (Wine wants its recommended packages).
windows_toolchain() {
  local flags=()
  if [ "${1:-}" = "--with-recommends" ]; then
    flags+=(--with-recommends)
    shift
  fi
  local label=$1
  shift
  local need=()
  command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  apt_install "${flags[@]}" "$label" "${need[@]}"
  rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"
  export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
  export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
}
