"""Benchmark of the source comparison: compare every event of a synthetic corpus.

    python bench/compare.py [SIZE]      (default: 10000)

Generates the corpus (bench/corpus.py), runs the stages before the comparison as the build
does (clean, dates, group, describe), then times `compare_event` over all events and prints
the total, the slowest event, and the figures of the largest event.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from bench.corpus import analysed, generate
    from storyline.compare import compare_event
    from storyline.config import Config
    from storyline.events import describe, event_date, group_articles

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    articles = analysed(generate(size))
    events = []
    for group in group_articles(articles, Config()):
        day, precision = event_date(group)
        events.append(describe(group, day, precision))
    timings = []
    started = time.perf_counter()
    for event in events:
        one = time.perf_counter()
        compared = compare_event(event)
        timings.append((time.perf_counter() - one, compared))
    total = time.perf_counter() - started
    slowest, worst = max(timings, key=lambda t: t[0])
    largest = max(events, key=lambda e: len(e.articles))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {len(articles):,} in {len(events):,} events")
    print(f"compare all events: {total:.1f} s ({total / len(events) * 1000:.1f} ms per event)")
    print(
        f"slowest event: {slowest * 1000:.0f} ms ({len(worst.articles)} articles, "
        f"{len(worst.facts)} facts, {len(worst.quotes)} quotes)"
    )
    print(f"largest event: {len(largest.articles)} articles")
    print(f"peak memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
