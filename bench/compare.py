"""Benchmark of the source comparison: compare every event of a synthetic corpus.

    python bench/compare.py [SIZE]      (default: 10000)

Generates the corpus (bench/corpus.py), runs the stages before the comparison as the build
does (clean, dates, group, describe), then times the comparison of all events twice: as the
build runs it (`compare_events`: one worker process per core) and in one process, event by
event, which also gives the slowest event.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from bench.corpus import analysed, generate
    from storyline.compare import compare_events, comparison
    from storyline.config import Config
    from storyline.events import describe, event_date, group_articles
    from storyline.workers import LocalWorkers

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    articles = analysed(generate(size))
    events = []
    for group in group_articles(articles, Config()):
        day, precision = event_date(group)
        events.append(describe(group, day, precision)[1])
    started = time.perf_counter()
    with LocalWorkers(os.cpu_count() or 1) as workers:
        compared = list(compare_events(events, workers))
    parallel = time.perf_counter() - started
    timings = []
    started = time.perf_counter()
    for event in events:
        one = time.perf_counter()
        compared = comparison(event)
        timings.append((time.perf_counter() - one, compared))
    total = time.perf_counter() - started
    slowest, worst = max(timings, key=lambda t: t[0])
    largest = max(events, key=len)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {len(articles):,} in {len(events):,} events")
    print(f"compare all events, as the build does ({os.cpu_count()} cores): {parallel:.1f} s")
    print(
        f"compare all events in one process: {total:.1f} s "
        f"({total / len(events) * 1000:.1f} ms per event)"
    )
    print(
        f"slowest event: {slowest * 1000:.0f} ms ({len(worst.coverage)} articles, "
        f"{len(worst.facts)} facts, {len(worst.quotes)} quotes)"
    )
    print(f"largest event: {len(largest)} articles")
    print(f"peak memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
