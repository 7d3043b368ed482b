"""Writes a folder of real news articles as Storyline Markdown content, for `bench/build.py
--content FOLDER` and `bench/cpu_profile.py`.

    python bench/real_corpus.py FOLDER [COUNT] [--data ../shared/data]

The articles of the corpora in the data folder (basil, allsides-dev, ecbplus-dev and the
t17-dev topics, in that order) are written as Markdown files with YAML front matter, repeated
until COUNT files (default 2000) are written; each repeat's publication dates are moved on 400
days, so that repeats make new events rather than copies of the same ones. Nothing of their
text is kept in the repository: the folder is made at run time from ../shared.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPORA = ["basil", "allsides-dev", "ecbplus-dev", "t17-dev/*"]
REPEAT_SHIFT = timedelta(days=400)
FRONT_MATTER_KEYS = ("title", "source", "url")


def articles(data: Path) -> Iterator[tuple[str, dict]]:
    """(corpus folder name, article record) for each article of the corpora, in order."""
    for pattern in CORPORA:
        for folder in sorted(data.glob(pattern)):
            with open(folder / "articles.jsonl", encoding="utf-8") as lines:
                for line in lines:
                    if (record := json.loads(line)).get("text"):  # a few have none
                        yield folder.name, record


def moved(published: str, shift: timedelta) -> str:
    """An ISO date (or date and time) `shift` later; anything else as it is."""
    try:
        return (date.fromisoformat(published[:10]) + shift).isoformat() + published[10:]
    except ValueError:
        return published


def write_corpus(folder: Path, count: int, data: Path = DATA, mixed: bool = False) -> int:
    """Writes `count` articles into `folder`; how many the corpora hold, repeats apart. Mixed,
    the corpora are interleaved, each in its share, so that folders of any size hold the same
    mix (`bench/build.py --real` compares stages across sizes); else one corpus after the
    other, as the README's figures were made."""
    originals = list(articles(data))
    if not originals:
        raise SystemExit(f"no articles under {data}")
    if mixed:
        sizes = Counter(name for name, _ in originals)
        seen: Counter[str] = Counter()
        shares = []
        for name, record in originals:
            seen[name] += 1
            shares.append(((seen[name] - 0.5) / sizes[name], name, record))
        originals = [(name, record) for _, name, record in sorted(shares, key=lambda s: s[:2])]
    repeats = itertools.chain.from_iterable(
        ((repeat, name, record) for name, record in originals) for repeat in itertools.count()
    )
    for index, (repeat, name, record) in enumerate(itertools.islice(repeats, count)):
        meta = {key: record[key] for key in FRONT_MATTER_KEYS if record.get(key)}
        if record.get("published"):
            meta["published"] = moved(str(record["published"]), repeat * REPEAT_SHIFT)
        path = folder / f"{name}-{repeat}" / f"{index:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
        path.write_text(f"---\n{front}---\n\n{record['text']}\n", encoding="utf-8")
    return len(originals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    originals = write_corpus(args.folder, args.count, args.data)
    print(f"{args.count} articles in {args.folder} ({originals} before repeating)")


if __name__ == "__main__":
    main()
