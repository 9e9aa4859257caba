#!/usr/bin/env bash
# Builds the release bundles with the Tauri CLI from ui/node_modules: a .deb, and an AppImage
# when the AppImage tools can be fetched (their download is outside the package registries, so
# offline machines get the .deb only). Output under target/release/bundle/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-ui.sh
bundles=${JXJY_BUNDLES:-deb,appimage}
ui/node_modules/.bin/tauri build --bundles "$bundles" -- --locked
find target/release/bundle -maxdepth 2 \( -name '*.deb' -o -name '*.AppImage' \) -exec ls -l {} \;
