#!/usr/bin/env bash
# Each language of ntrex-dev.jsonl on its own: the `cluster` example on that
# language's 81 articles, fed as evaluate.py feeds them (no gold labels, no
# languages), scored by ../shared/tools/score.py. Without translations to
# link, what is left is what a one-language feed asks: are different
# outlets' reports of one event put together (pairs R), and only they
# (pairs P)?
#
#   bash scripts/per_language.sh            # needs ../shared beside the project root
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
CORPUS="$SHARED/corpus/ntrex-dev.jsonl"
LANGS=$(python3 -c "
import json, sys
print(' '.join(sorted({json.loads(l)['lang'] for l in open(sys.argv[1]) if l.strip()})))" "$CORPUS")
printf '%-5s %9s %9s %9s %9s %9s %11s\n' lang "B3 P" "B3 R" "B3 F1" "pairs P" "pairs R" "gold pairs"
for lang in $LANGS; do
  python3 "$SHARED/tools/evaluate.py" --project "$ROOT" --langs "$lang" --json "$CORPUS" |
    python3 -c "
import json, sys
d = json.load(sys.stdin)
b, p = d['bcubed'], d['pairs_all']
print('%-5s %9.4f %9.4f %9.4f %9.3f %9.3f %11d' % (sys.argv[1], b['precision'], b['recall'], b['f1'],
      p['precision'], p['recall'], p['gold_pairs']))" "$lang"
done
