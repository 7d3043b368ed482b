"""Score Storyline's key dates against journalists' timelines (Timeline17).

    python evaluation/timeline.py ../shared/data/t17-dev
    python evaluation/timeline.py ../shared/data/t17-dev --cache /tmp/t17-cache

builds the digest of each topic folder's `articles.jsonl` with the normal pipeline and reads
its `key_dates` from `digest.json` (every day of the story, ranked best first). For each gold
timeline of the topic (`gold_dates.json`: a list of timelines, each a sorted list of days) it
takes the digest's l best days within the timeline's first and last day (l = its length) and
computes Date-F1 against the gold days, as Ghalandari & Ifrim (ACL 2020) do; it prints each
timeline's precision, recall and F1 and their mean. `--cache DIR` keeps each topic's build
cache in DIR/<topic>, so that scoring again after a change to the ranking redoes little else.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from events import built_digest


def date_f1(ranked: list[date], gold: list[date]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the l best days within the gold timeline's span."""
    first, last = min(gold), max(gold)
    chosen = [d for d in ranked if first <= d <= last][: len(gold)]
    hits = len(set(chosen) & set(gold))
    precision = hits / len(chosen) if chosen else 0.0
    recall = hits / len(set(gold))
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def ranked_days(digest: dict) -> list[date]:
    """The digest's key dates of day precision, best first."""
    return [date.fromisoformat(k["date"]) for k in digest["key_dates"] if k["precision"] == "day"]


def topics(corpus: Path) -> list[Path]:
    """The corpus folder itself when it holds a topic, else its topic folders."""
    if (corpus / "gold_dates.json").is_file():
        return [corpus]
    return sorted(p for p in corpus.iterdir() if (p / "gold_dates.json").is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a topic folder, or a folder of them")
    parser.add_argument("--config", type=Path, help="config.yaml to build with (default: none)")
    parser.add_argument("--cache", type=Path, help="folder to keep each topic's cache in")
    args = parser.parse_args()
    scores: list[float] = []
    print("| timeline | gold days | articles | built in | precision | recall | Date-F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for topic in topics(args.corpus):
        cache = args.cache / topic.name if args.cache else None
        digest, seconds = built_digest(topic, args.config, cache)
        ranked = ranked_days(digest)
        gold_timelines = json.loads((topic / "gold_dates.json").read_text(encoding="utf-8"))
        for n, timeline in enumerate(gold_timelines):
            gold = [date.fromisoformat(d) for d in timeline]
            precision, recall, f1 = date_f1(ranked, gold)
            scores.append(f1)
            name = topic.name + (f" #{n + 1}" if len(gold_timelines) > 1 else "")
            print(
                f"| {name} | {len(gold)} | {len(digest['articles'])} | {seconds:.0f} s "
                f"| {precision:.3f} | {recall:.3f} | {f1:.3f} |"
            )
    if not scores:
        print(f"{args.corpus}: no topic folder with a gold_dates.json", file=sys.stderr)
        return 1
    print(f"\nmean Date-F1 over {len(scores)} timelines: {sum(scores) / len(scores):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
