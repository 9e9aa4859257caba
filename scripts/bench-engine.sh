#!/usr/bin/env bash
# Benchmarks the crediting engine on a generated unit (3,000 staff, 30,000 declarations) and
# reports its median against a baseline measured in the same run (cloning the input).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p jxjy-core --bench engine -- "$@"
dir=target/criterion/unit_3000_staff_30000_declarations
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
med = lambda name: json.load(open(f"{d}/{name}/new/estimates.json"))["median"]["point_estimate"] / 1e6
e, b = med("evaluate"), med("baseline_clone_input")
print(f"evaluate: median {e:.1f} ms; baseline (clone input): {b:.1f} ms; ratio {e / b:.2f}x; goal <= 100 ms")
PY
