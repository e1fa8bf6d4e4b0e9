#!/usr/bin/env bash
# The precision/recall trade-off over the main threshold (`--threshold` of
# the `cluster` example; `ClustererBuilder::threshold` in the API), on each
# evaluation corpus, scored by ../shared/tools/score.py. Articles are fed as
# evaluate.py feeds them: without gold labels and without languages.
#
#   bash scripts/pr_curve.sh [THRESHOLD ...]     # default 0.15 0.2 ... 0.5
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
THRESHOLDS=("$@")
[ ${#THRESHOLDS[@]} -gt 0 ] || THRESHOLDS=(0.15 0.2 0.25 0.3 0.35 0.4 0.45 0.5)
(cd "$ROOT" && cargo build --release -q --example cluster)
BIN="$ROOT/target/release/examples/cluster"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
prepare() {  # prepare NAME CORPUS [LANGS]
  python3 "$ROOT/scripts/prepare.py" "$2" "$TMP/$1" "${3:-}"
}
prepare seeds "$SHARED/corpus/seeds.jsonl"
prepare rois "$SHARED/corpus/ntrex-dev.jsonl" ro,it,sq
prepare ntrex "$SHARED/corpus/ntrex-dev.jsonl"
prepare ecb "$SHARED/corpus/ecbplus-dev.jsonl"
printf '%-22s %9s %9s %9s %9s %9s %9s\n' corpus threshold "B3 P" "B3 R" "B3 F1" "xling P" "xling R"
for name in seeds rois ntrex ecb; do
  for t in "${THRESHOLDS[@]}"; do
    "$BIN" "$TMP/$name.in" --threshold "$t" > "$TMP/$name.pred" 2>/dev/null
    python3 "$SHARED/tools/score.py" --gold "$TMP/$name.gold" --pred "$TMP/$name.pred" --json |
      python3 -c "
import json, sys
d = json.load(sys.stdin); b = d['bcubed']; x = d['pairs_cross']
names = {'seeds': 'seeds', 'rois': 'ntrex ro+it+sq', 'ntrex': 'ntrex all 28', 'ecb': 'ecbplus'}
print(f\"{names['$name']:<22} {$t:>9} {b['precision']:>9.4f} {b['recall']:>9.4f} {b['f1']:>9.4f} {x['precision']:>9.4f} {x['recall']:>9.4f}\")"
  done
done
