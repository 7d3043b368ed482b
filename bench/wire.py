"""Benchmark of one event of wire copies: an agency story that many sites run near verbatim.

    python bench/wire.py [COPIES...]      (default: 100 200 400)

One article of about 8.8 KB is written (bench/corpus.py's generator: made-up words, a dateline,
quotes, date mentions; fixed seed), and each size builds an event of that many copies of it,
each with 5 words swapped at random, run by 60 outlets on one day. Each build is a cold one
(no output, no cache) in a fresh process. Printed per size: the wall time, the build's own
"describe and compare" time from its summary table, and the peak memory of all its processes
(bench/build.py's measure), with the machine's load average before the run.
"""

from __future__ import annotations

import os
import random
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUTLETS = 60
SWAPS = 5  # words swapped at random in each copy
WORDS = 1_580  # about 8.8 KB of these made-up words
DAY = date(2025, 3, 12)
KINDS = ("Times", "Post", "Herald", "Courier", "News", "Radio", "Daily", "Gazette")


def wire_copies(copies: int, seed: int = 1) -> list[dict]:
    """`copies` records (bench/corpus.py's shape) of one agency story with SWAPS words swapped
    in each, from OUTLETS outlets, all on DAY."""
    from bench.corpus import name, new_topic, story, word

    rng = random.Random(seed)
    topic = new_topic(rng)
    common = [word(rng) for _ in range(2000)]
    details = [word(rng, 3) for _ in range(12)]
    people = [*topic["people"][:2], name(rng)]
    place = topic["places"][0]
    text = story(rng, topic, details, people, place, DAY, common, (WORDS, WORDS))
    title = f"{people[0]} {details[0]} {topic['words'][0]} in {place}"
    outlets: list[str] = []
    while len(outlets) < OUTLETS:
        outlet = f"{word(rng).capitalize()} {rng.choice(KINDS)}"
        if outlet not in outlets:
            outlets.append(outlet)
    tokens = text.split(" ")
    swappable = [n for n, token in enumerate(tokens) if token.isalpha() and token.islower()]
    records = []
    for n in range(copies):
        copy = list(tokens)
        for position in rng.sample(swappable, SWAPS):
            copy[position] = rng.choice(common)
        records.append(
            {
                "id": f"copy-{n:04d}",
                "title": title,
                "text": " ".join(copy),
                "source": outlets[n % OUTLETS],
                "published": f"{DAY.isoformat()}T{6 + n % 16:02d}:{n % 60:02d}:00Z",
            }
        )
    return records


def main() -> None:
    from bench.build import measure
    from bench.corpus import write_markdown

    sizes = [int(a) for a in sys.argv[1:]] or [100, 200, 400]
    size = len(wire_copies(1)[0]["text"].encode())
    print(f"one article of {size:,} bytes; {SWAPS} words swapped per copy; {OUTLETS} outlets\n")
    print("| copies | wall time | describe and compare | peak memory | events | load before |")
    print("| --- | --- | --- | --- | --- | --- |")
    for copies in sizes:
        with tempfile.TemporaryDirectory(prefix="storyline-wire-") as scratch:
            base = Path(scratch)
            write_markdown(wire_copies(copies), base / "content")
            (base / "config.yaml").write_text("site:\n  title: Wire\n", encoding="utf-8")
            load = " ".join(f"{n:.2f}" for n in os.getloadavg())
            command = [
                sys.executable, str(ROOT / "build.py"), "--config", str(base / "config.yaml"),
                "--content", str(base / "content"), "--output", str(base / "output"),
                "--templates", str(ROOT / "templates"),
            ]  # fmt: skip
            log = base / "build.txt"
            seconds, peak, _ = measure(command, cwd=base, log=log)
            summary = log.read_text(encoding="utf-8")
            compare = re.search(r"describe and compare \(s\)\s*│?\s*([\d.]+)", summary)
            events = re.search(r"events\s*│?\s*(\d+)", summary)
            print(
                f"| {copies:,} | {seconds:.1f} s | {compare[1] if compare else '?'} s | "
                f"{peak:,.0f} MB | {events[1] if events else '?'} | {load} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
