"""Benchmark of event grouping at scale.

    python bench/grouping.py [SIZES...]      (default: 1000 10000 100000)

For each size, in a fresh process: generate a synthetic corpus (bench/corpus.py), run the
per-article analysis the build runs (clean, dates), then time the grouping alone and report
its wall time, the process's peak memory, the number of events found against the number
generated, and the pairwise precision and recall against them.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(size: int) -> dict:
    from bench.corpus import analysed, generate
    from storyline.config import Config
    from storyline.events import group_articles

    records = generate(size)
    articles = analysed(records)
    gold = {r["id"]: r["event"] for r in records}
    started = time.perf_counter()
    groups = group_articles(articles, Config())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    predicted = {a.id: n for n, g in enumerate(groups) for a in g.articles}
    together = Counter((gold[a], predicted[a]) for a in gold)

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    true_pairs = pairs(together)
    return {
        "size": size,
        "seconds": seconds,
        "peak_mb": peak,
        "events": len(groups),
        "gold_events": len(set(gold.values())),
        "precision": true_pairs / max(pairs(Counter(predicted.values())), 1),
        "recall": true_pairs / max(pairs(Counter(gold.values())), 1),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run(int(sys.argv[2]))))
        return
    sizes = [int(s) for s in sys.argv[1:]] or [1000, 10000, 100000]
    print("| articles | grouping time | peak memory | events (generated) | pairwise P / R |")
    print("| --- | --- | --- | --- | --- |")
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out)
        print(
            f"| {r['size']:,} | {r['seconds']:.1f} s | {r['peak_mb']:,.0f} MB | "
            f"{r['events']:,} ({r['gold_events']:,}) | "
            f"{r['precision']:.3f} / {r['recall']:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
