#!/usr/bin/env bash
# Builds the release bundles with the Tauri CLI from ui/node_modules, under
# target/release/bundle/: the .deb (must succeed), then an AppImage, whose tools the Tauri CLI
# downloads from outside the package registries — on machines that reach only the registries
# that step fails and is reported, and the .deb stands alone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-ui.sh
tauri=ui/node_modules/.bin/tauri
"$tauri" build --bundles deb -- --locked
if ! "$tauri" build --bundles appimage -- --locked; then
  echo "bundle: the AppImage could not be made here (its tools could not be downloaded); the .deb is built" >&2
fi
find target/release/bundle -maxdepth 2 \( -name '*.deb' -o -name '*.AppImage' \) -exec ls -l {} \;
