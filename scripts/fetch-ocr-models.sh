#!/usr/bin/env bash
# Puts the OCR models into models/ocr: PP-OCRv4 Chinese text detection and recognition in ONNX,
# as RapidOCR ships them inside its Python wheel (Apache-2.0). The wheel comes from the Python
# package registry through pip; only the two model files are kept, and their SHA-256 checked.
# Idempotent: does nothing when both files are there and match.
set -euo pipefail
cd "$(dirname "$0")/.."

WHEEL="rapidocr-onnxruntime==1.4.4"
DEST=models/ocr
declare -A SHA=(
  [ch_PP-OCRv4_det_infer.onnx]=d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9
  [ch_PP-OCRv4_rec_infer.onnx]=48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b
)

ok() {
  for f in "${!SHA[@]}"; do
    [ -f "$DEST/$f" ] && echo "${SHA[$f]}  $DEST/$f" | sha256sum --check --status || return 1
  done
}

if ok; then
  echo "ocr-models: present in $DEST" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "ocr-models: downloading $WHEEL" >&2
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "$WHEEL"
mkdir -p "$DEST"
python3 - "$tmp" "$DEST" "${!SHA[@]}" <<'PY'
import sys, zipfile, glob, os
tmp, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    for name in names:
        with z.open("rapidocr_onnxruntime/models/" + name) as src, open(os.path.join(dest, name), "wb") as out:
            out.write(src.read())
PY
ok || { echo "ocr-models: the extracted models do not match their SHA-256" >&2; exit 1; }
echo "ocr-models: installed in $DEST" >&2
