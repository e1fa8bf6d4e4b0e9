#!/usr/bin/env python3
"""Writes N copies of one made-up short article (JSON Lines, ids copy0..),
a flood of copies of one text, to stdout.

    python3 scripts/flood.py 20000 > /tmp/flood.jsonl
    time ./target/release/examples/cluster /tmp/flood.jsonl > /dev/null
"""
import json
import sys

TITLE = "Ministrul Ion Vârtosu a deschis podul de la Ghindari"
TEXT = ("Ministrul transporturilor Ion Vârtosu a deschis luni noul pod peste "
        "Târnava de la Ghindari, lung de 1.240 de metri. Lucrările au costat "
        "212 milioane de lei și au durat patru ani.")

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
for i in range(n):
    print(json.dumps({"id": f"copy{i}", "title": TITLE, "text": TEXT}, ensure_ascii=False))
