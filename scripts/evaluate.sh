#!/usr/bin/env bash
# Prints the whole quality table: the `cluster` example on every evaluation
# corpus in ../shared/corpus, scored by ../shared/tools/score.py (through
# evaluate.py, which feeds articles without gold labels or languages).
#
#   bash scripts/evaluate.sh                # from the project root
#   SHARED=/path/to/shared bash scripts/evaluate.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
EVAL="$SHARED/tools/evaluate.py"
C="$SHARED/corpus"
run() {  # run LABEL CORPUS [evaluate.py args...]
  local label="$1"; shift
  echo "## $label"
  python3 "$EVAL" --project "$ROOT" "$@"
  echo
}
run "seeds.jsonl (raw page text)" "$C/seeds.jsonl"
run "ntrex-dev.jsonl, ro + it + sq" "$C/ntrex-dev.jsonl" --langs ro,it,sq
run "ntrex-dev.jsonl, all 28 languages" "$C/ntrex-dev.jsonl"
run "ecbplus-dev.jsonl" "$C/ecbplus-dev.jsonl"
