#!/usr/bin/env python3
"""How many of the bench corpus's near-duplicate pairs end in one story.

Runs the `cluster` example on ../shared/bench/corpus.jsonl (or reads its
output from --pred) and counts, among
- the pairs of truth_pairs.tsv (word 3-shingle Jaccard >= 0.5), and
- all same-group pairs of groups.tsv (an original and its variants),
those whose two articles are in one story.

    python3 scripts/bench_pairs.py                 # from the project root
    python3 scripts/bench_pairs.py --pred out.jsonl
"""
import argparse
import collections
import itertools
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--pred", help="the cluster example's output on corpus.jsonl")
    args = ap.parse_args()
    corpus = os.path.join(args.bench, "corpus.jsonl")
    if args.pred:
        with open(args.pred, encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        out = subprocess.run(
            ["cargo", "run", "--release", "-q", "--example", "cluster", "--", corpus],
            cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout
        lines = out.splitlines()
    story = {}
    for line in lines:
        row = json.loads(line)
        story[row["id"]] = row["story"]
    with open(corpus, encoding="utf-8") as f:
        # truth_pairs.tsv numbers every line of the corpus from 0.
        ids = [json.loads(line)["id"] if line.strip() else None for line in f]
    if set(ids) - {None} != set(story):
        sys.exit("the predictions do not cover the corpus's ids exactly")

    together = total = 0
    with open(os.path.join(args.bench, "truth_pairs.tsv"), encoding="utf-8") as f:
        for line in f:
            a, b = line.split()[:2]
            total += 1
            together += story[ids[int(a)]] == story[ids[int(b)]]
    print(f"truth_pairs.tsv: {together} of {total} pairs in one story "
          f"({together / total:.4f})")

    groups = collections.defaultdict(list)
    with open(os.path.join(args.bench, "groups.tsv"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                groups[parts[1]].append(parts[0])
    together = total = 0
    for members in groups.values():
        for a, b in itertools.combinations(members, 2):
            total += 1
            together += story[a] == story[b]
    print(f"groups.tsv: {together} of {total} same-group pairs in one story "
          f"({together / total:.4f})")
    print(f"stories: {len(set(story.values()))}")


if __name__ == "__main__":
    main()
