"""Benchmark of date reading: the time to read the dates of a 600-word news article, and of
texts built to make date patterns slow.

    python bench/dates.py [TIMEX_JSONL]

Cuts the texts of the TimeBank file (default ../shared/data/timebank/timex.jsonl, else the
sample content) into 600-word articles, reads each one's dates as the build does, and prints
the median, 95th percentile and worst time per article. The import of the dates stage and its
first call (compiling the patterns) are measured apart, in a fresh interpreter. Then it prints
the time to read each adversarial text (ADVERSARIAL) as a text and as an article's paragraph.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "timebank" / "timex.jsonl"
WORDS = 600
ROUNDS = 5
# Texts a pattern that backtracks catastrophically would take seconds on: (unit, repeats). Each
# takes a few tens of ms at most; tests/test_dates.py checks that none grows catastrophically.
ADVERSARIAL = {
    "digits": ("1", 50_000),
    "month names": ("March ", 20_000),
    "day slashes": ("12/", 20_000),
    "the the the": ("the the the ", 10_000),
    "one long word": ("x", 1_000_000),
    "one long number": ("9", 200_000),
    "weekdays": ("Monday, ", 10_000),
    "digit slash dot dash": ("1/2.3-4 ", 10_000),
    "slashes without spaces": ("1/2/", 20_000),
    "dots without spaces": ("12.03.", 15_000),
    "dashes without spaces": ("2025-03-", 10_000),
    "dates without spaces": ("12/03/2025", 8_000),
    "month day ranges": ("June 24-25-26-", 6_000),
    "month day lists": ("March 3 and ", 8_000),
    "day ranges": ("3 and 5 and ", 8_000),
    "numbers and words": ("two days two weeks 2000 ", 4_000),
    "capitals": ("A B C D ", 20_000),
    "clock times": ("10:30 am 12 pm ", 6_000),
}
ANCHOR = date(2025, 3, 12)


def articles(path: Path) -> list[tuple[str, date]]:
    """600-word articles cut from consecutive texts, each with its publication date."""
    if path.is_file():
        docs = [json.loads(line) for line in path.open(encoding="utf-8")]
        texts = [(d["text"], date.fromisoformat(d["dct"][:10])) for d in docs]
    else:
        texts = [
            (p.read_text(encoding="utf-8"), date(2025, 4, 1))
            for p in sorted((ROOT / "content").rglob("*.md"))
        ]
    words: list[str] = []
    cut = []
    for text, dct in texts:
        words += text.split()
        while len(words) >= WORDS:
            cut.append((" ".join(words[:WORDS]), dct))
            words = words[WORDS:]
    return cut


def startup() -> tuple[float, float]:
    """Seconds to import the dates stage, and to make its first call, in a fresh interpreter."""
    probe = (
        "import time; t=time.perf_counter(); import storyline.dates as d; "
        "u=time.perf_counter(); import datetime; "
        "d.mentions_in('It rained on Monday, March 3.', datetime.date(2025, 3, 12)); "
        "print(u-t, time.perf_counter()-u)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    from storyline.dates import mentions_in

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    corpus = articles(path)
    mentions_in("warm-up on Monday", date(2025, 3, 12))
    times = []
    for _ in range(ROUNDS):
        for text, dct in corpus:
            start = time.perf_counter()
            mentions_in(text, dct)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    imported, first = startup()
    source = path.name if path.is_file() else "content/"
    print(f"{len(corpus)} articles of {WORDS} words from {source}, {ROUNDS} rounds")
    print("| measure | value |\n| --- | --- |")
    print(f"| median per article | {statistics.median(times):.2f} ms |")
    print(f"| 95th percentile | {times[int(len(times) * 0.95)]:.2f} ms |")
    print(f"| slowest | {times[-1]:.2f} ms |")
    print(f"| import of the dates stage | {imported * 1000:.0f} ms |")
    print(f"| first call (patterns compiled) | {first * 1000:.1f} ms |")
    adversarial()


def read_text(text: str) -> None:
    from storyline.dates import mentions_in

    mentions_in(text, ANCHOR)


def read_article(text: str) -> None:
    """The text as the one paragraph of a dated article, read as the build reads it."""
    from storyline.dates import date_article
    from storyline.model import Article

    article = Article(
        id="a", path="a.txt", body=text, format="text", published_raw="2025-03-12",
        paragraphs=[text],
    )  # fmt: skip
    date_article(article, "UTC", "DMY")


def adversarial() -> None:
    print("\nadversarial texts, best of three\n")
    print("| text | characters | as a text | as an article |\n| --- | --- | --- | --- |")
    for name, (unit, repeats) in ADVERSARIAL.items():
        text = unit * repeats
        times = [best_of_three(read, text) * 1000 for read in (read_text, read_article)]
        print(f"| {name} | {len(text):,} | {times[0]:.1f} ms | {times[1]:.1f} ms |")


def best_of_three(read: Callable[[str], None], text: str) -> float:
    elapsed = []
    for _ in range(3):
        began = time.perf_counter()
        read(text)
        elapsed.append(time.perf_counter() - began)
    return min(elapsed)


if __name__ == "__main__":
    main()
