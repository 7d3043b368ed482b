"""Benchmark of reading a large feed: the time and the peak memory of reading a feed of some
50 MB, once as many ordinary entries and once as one entry of 50 MB (left out for its size).

    python bench/feeds.py [MEGABYTES]

Each feed is read in a process of its own, so that each peak is its own.
tests/test_feeds.py checks on small feeds that the time grows no faster than the entries.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPH = (
    "The harbour board met on Tuesday in Portwick to approve the new ferry timetable, its "
    "chair said, after a debate on fares that ran well into the evening."
)
ENTRY_BYTES = 1_100  # of one ordinary entry below, about


def many_entries(megabytes: float) -> str:
    entries = "".join(
        f"<entry><id>urn:bench:{n}</id><title>Timetable report {n}</title>"
        f"<updated>2025-03-04T10:00:00Z</updated><content type='html'>"
        f"&lt;p&gt;{PARAGRAPH} Boat {n}.&lt;/p&gt;"
        + f"&lt;p&gt;{PARAGRAPH}&lt;/p&gt;" * 4
        + "</content></entry>\n"
        for n in range(round(megabytes * 1e6 / ENTRY_BYTES))
    )
    return feed(entries)


def one_entry(megabytes: float) -> str:
    body = f"&lt;p&gt;{PARAGRAPH}&lt;/p&gt;" * round(megabytes * 1e6 / (len(PARAGRAPH) + 14))
    return feed(
        f"<entry><id>urn:bench:huge</id><updated>2025-03-04T10:00:00Z</updated>"
        f"<content type='html'>{body}</content></entry>"
    )


def feed(entries: str) -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>Bench</title>{entries}</feed>\n"
    )


def read(folder: str, results: multiprocessing.Queue) -> None:
    from storyline.readers import read_content

    began = time.process_time()
    corpus = read_content(Path(folder))
    seconds = time.process_time() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put((len(corpus.articles), len(corpus.diagnostics), seconds, peak))


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
    print("| feed | MB | articles | messages | CPU seconds | peak MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, make in (("many entries", many_entries), ("one huge entry", one_entry)):
        with tempfile.TemporaryDirectory() as folder:
            text = make(megabytes)
            (Path(folder) / "big.atom").write_text(text, encoding="utf-8")
            del text
            results: multiprocessing.Queue = multiprocessing.Queue()
            process = multiprocessing.Process(target=read, args=(folder, results))
            process.start()
            articles, messages, seconds, peak = results.get()
            process.join()
            size = (Path(folder) / "big.atom").stat().st_size / 1e6
            figures = f"{articles:,} | {messages} | {seconds:.1f} | {peak:.0f}"
            print(f"| {name} | {size:.1f} | {figures} |")


if __name__ == "__main__":
    main()
