"""Writes SRC's articles as evaluate.py feeds them (no gold label, no language)
to OUT.in and the gold labels to OUT.gold, keeping only LANGS if given.

    python3 scripts/prepare.py SRC.jsonl OUT [ro,it,sq]
"""
import json
import sys

src, out = sys.argv[1], sys.argv[2]
langs = set(filter(None, (sys.argv[3] if len(sys.argv) > 3 else "").split(",")))
with open(src, encoding="utf-8") as f, open(out + ".in", "w", encoding="utf-8") as o, \
        open(out + ".gold", "w", encoding="utf-8") as g:
    for line in f:
        d = json.loads(line)
        if langs and d["lang"] not in langs:
            continue
        g.write(json.dumps({"id": d["id"], "cluster": d["cluster"], "lang": d["lang"]}) + "\n")
        for k in ("cluster", "source_doc", "topic", "source_file", "lang"):
            d.pop(k, None)
        o.write(json.dumps(d, ensure_ascii=False) + "\n")
