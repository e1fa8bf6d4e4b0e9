#!/usr/bin/env bash
# How much the result depends on the order articles arrive in: the `cluster`
# example on each evaluation corpus in its file order and in N shuffled
# orders (Python's random.shuffle, seeds 1..N), each scored with
# ../shared/tools/score.py. Clustering is a single pass, so an article is
# judged against the stories formed before it; streaming equals batch only
# for the same order. Prints B-cubed P / R / F1 and cross-language pair
# P / R per order, then the mean and the worst F1 of the shuffles.
#
#   bash scripts/order_check.sh [N]     # default N = 5; needs ../shared
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
N="${1:-5}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: order_check.sh [N >= 1]" >&2; exit 2; }
(cd "$ROOT" && cargo build --release -q --example cluster)
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/cluster"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
score() {  # score NAME PRED -> "P R F1 xP xR"
  python3 "$SHARED/tools/score.py" --gold "$TMP/$1.gold" --pred "$2" --json |
    python3 -c "import json, sys; d = json.load(sys.stdin); b, x = d['bcubed'], d['pairs_cross']
print(f\"{b['precision']:.4f} {b['recall']:.4f} {b['f1']:.4f} {x['precision']:.4f} {x['recall']:.4f}\")"
}
printf '%-6s %-6s %7s %7s %7s %8s %8s\n' corpus order "B3 P" "B3 R" "B3 F1" "xling P" "xling R"
for spec in seeds:seeds.jsonl: rois:ntrex-dev.jsonl:ro,it,sq ntrex:ntrex-dev.jsonl: ecb:ecbplus-dev.jsonl:; do
  IFS=: read -r name file langs <<< "$spec"
  python3 "$ROOT/scripts/prepare.py" "$SHARED/corpus/$file" "$TMP/$name" "$langs"
  "$BIN" "$TMP/$name.in" > "$TMP/$name.pred" 2>/dev/null
  scores="$(score "$name" "$TMP/$name.pred")"
  read -r p r f xp xr <<< "$scores"
  printf '%-6s %-6s %7s %7s %7s %8s %8s\n' "$name" file "$p" "$r" "$f" "$xp" "$xr"
  fs=()
  for seed in $(seq 1 "$N"); do
    python3 -c "import random, sys
lines = open(sys.argv[1], encoding='utf-8').readlines()
random.Random(int(sys.argv[2])).shuffle(lines)
sys.stdout.write(''.join(lines))" "$TMP/$name.in" "$seed" > "$TMP/$name.shuf"
    "$BIN" "$TMP/$name.shuf" > "$TMP/$name.pred" 2>/dev/null
    scores="$(score "$name" "$TMP/$name.pred")"
    read -r p r f xp xr <<< "$scores"
    printf '%-6s %-6s %7s %7s %7s %8s %8s\n' "$name" "s$seed" "$p" "$r" "$f" "$xp" "$xr"
    fs+=("$f")
  done
  python3 -c "import sys; f = [float(x) for x in sys.argv[1:]]
print(f'{\"\":6} shuffled: mean F1 {sum(f) / len(f):.4f}, worst {min(f):.4f}')" "${fs[@]}"
done
