"""Benchmark of hostile input: the time to clean and date, and to read as files, texts built
to make a parser or a pattern slow (a megabyte line, 50,000 nested lists, 100,000 unclosed
tags...).

    python bench/hostile.py [SHARE]

prints the seconds each input takes at SHARE of its full size (default 1: about a megabyte).
tests/test_properties.py builds the same inputs smaller, and checks that none grows
catastrophically with its size.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

MEGABYTE = 1_000_000
Hostile = Callable[[float], str]  # the input at a share (0 to 1) of its full size


def repeated(unit: str, count: int, before: str = "", after: str = "") -> Hostile:
    return lambda share: before + unit * round(count * share) + after


def lines(line: Callable[[int], str], count: int, before: str = "", after: str = "") -> Hostile:
    """`count` lines at full size; a line's length grows with its number when `line` indents,
    so the count shrinks as the square root of the share, and the text with the share."""
    return lambda share: before + "".join(map(line, range(round(count * share**0.5)))) + after


def numbered(line: Callable[[int], str], count: int, before: str = "", after: str = "") -> Hostile:
    return lambda share: before + "".join(map(line, range(round(count * share)))) + after


HOSTILE_TEXTS: dict[str, Hostile] = {
    "a megabyte line without spaces": repeated("a", MEGABYTE),
    "a megabyte of digits": repeated("1", MEGABYTE),
    **{f"100k of {c!r}": repeated(c, 100_000) for c in ".-*`[<&\\"},
    "deeply nested lists": repeated("- ", 50_000, after="x"),
    "deeply nested numbered lists": repeated("1. ", 30_000, after="x"),
    "deeply nested quotes": repeated("> ", 50_000, after="x"),
    "deeply nested indented lists": lines(lambda i: "  " * i + "- item\n", 1_000),
    "deeply nested emphasis": lambda share: (
        "*_" * round(25_000 * share) + "x" + "_*" * round(25_000 * share)
    ),
    "unclosed HTML tags": repeated("<a ", 30_000),
    "unclosed CDATA": repeated("<![CDATA[", 10_000),
    "a cookie banner that never agrees": repeated("cookie ", 100_000),
    "licence marks without a number": repeated("ICP licence ", 80_000),
    "photo credits that never close": repeated("(Photo: ", 100_000),
    "dense dates": repeated("on 12 March 2025, ", 50_000),
    "dense month names": repeated("in May ", 100_000),
    "ten thousand distinct paragraphs": numbered(
        lambda i: (
            f"Paragraph {i} tells of the {i * 7919 % 10007} boats moored at pier {i % 97} today.\n"
        ),
        10_000,
    ),
}
# Files only a reader sees as more than text. Flow collections nested some ten thousand deep
# ("title: [[[[...") are left out: they crash PyYAML.
HOSTILE_FILES: dict[str, Hostile] = {
    **HOSTILE_TEXTS,
    "a megabyte title": repeated("a", MEGABYTE, before="---\ntitle: ", after="\n---\nText.\n"),
    "twenty thousand keys": numbered(lambda i: f"k{i}: v\n", 20_000, "---\n", "---\nx\n"),
    "a deeply nested block list": lines(
        lambda i: " " * i + "-\n", 1_000, "---\ntitle:\n", "---\nText.\n"
    ),
    "100k front matter fences": repeated("---\n", 100_000),
    "100k unclosed JSON arrays": repeated("[", 100_000),
    "100k JSON objects deep": repeated('{"id": ', 100_000),
}
FORMATS = (".md", ".txt", ".jsonl")


def clean_and_date(text: str) -> None:
    """What the build does to an article's text, and to a publication date that long."""
    from storyline.clean import clean_article
    from storyline.dates import date_article, mentions_in, parse_published
    from storyline.model import Article

    # as Markdown: text without markup takes the plain text's way, the rest is rendered first
    article = Article(id="a", path="a", body=text, format="markdown")
    date_article(clean_article(article), "UTC", "DMY")
    mentions_in(text, date(2025, 3, 12))
    parse_published(text, "UTC", "DMY")


def read_as_files(folder: Path, text: str) -> list:
    """Read `text` as a file of each format, in `folder`: the readers' articles and warnings."""
    from storyline.readers import read_content

    for suffix in FORMATS:
        (folder / f"a{suffix}").write_text(text, encoding="utf-8")
    corpus = read_content(folder)
    return [*corpus.articles, *corpus.diagnostics]


def main() -> None:
    share = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    clean_and_date("Warm up on 12 March 2025.")
    print(f"hostile inputs at {share:g} of their full size, seconds")
    print("| input | characters | clean and date | read as files |\n| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in HOSTILE_FILES.items():
            text = make(share)
            cleaned = ""
            if name in HOSTILE_TEXTS:
                began = time.perf_counter()
                clean_and_date(text)
                cleaned = f"{time.perf_counter() - began:.2f}"
            began = time.perf_counter()
            read_as_files(Path(folder), text)
            read = time.perf_counter() - began
            print(f"| {name} | {len(text):,} | {cleaned} | {read:.2f} |")


if __name__ == "__main__":
    main()
