"""Score Storyline's event grouping against a labelled corpus.

    python evaluation/events.py ../shared/data/basil
    python evaluation/events.py ../shared/data/ecbplus-dev
    python evaluation/events.py ../shared/data/allsides-dev --cache /tmp/allsides-cache

builds the digest of the corpus folder's `articles.jsonl` with the normal pipeline (into a
temporary folder), reads each article's event from `digest.json`, and compares with `gold.tsv`
(`article id <TAB> gold event id`): pairwise precision, recall and F1 over article pairs (as in
Miranda et al., 2018), BCubed precision, recall and F1, the number of events against gold, how
many storylines link the events (by size), and the worst merges (one event holding several
gold events) and splits (one gold event spread over several events) with their titles.
`--cache DIR` keeps the build's cache (each article's analysis) in DIR, so that scoring again
after a change to grouping redoes little else. A folder without `gold.tsv` (such as
`../shared/data/t17-dev/bpoil_guardian`) is built and its events and storylines counted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.pipeline import BuildOptions, build  # noqa: E402


def built_digest(
    corpus: Path, config: Path | None, cache: Path | None = None
) -> tuple[dict, float]:
    """The digest.json of a normal build of the corpus folder's articles.jsonl, and the
    seconds the build took; the build's cache lives beside its config, in `cache` when given."""
    with tempfile.TemporaryDirectory() as work:
        content = Path(work) / "content"
        content.mkdir()
        shutil.copyfile(corpus / "articles.jsonl", content / "articles.jsonl")
        config_path = (cache or Path(work)) / "config.yaml"
        config_path.parent.mkdir(parents=True, exist_ok=True)
        config_path.write_text(
            config.read_text(encoding="utf-8") if config else "", encoding="utf-8"
        )
        started = time.perf_counter()
        build(
            BuildOptions(
                config=config_path,
                content=content,
                output=Path(work) / "site",
                templates=ROOT / "templates",
            )
        )
        seconds = time.perf_counter() - started
        return json.loads(
            (Path(work) / "site" / "digest.json").read_text(encoding="utf-8")
        ), seconds


def predict(
    corpus: Path, config: Path | None, cache: Path | None = None
) -> tuple[dict[str, str], dict[str, str], float, list[list[str]]]:
    """(article -> event, article -> title, seconds, each storyline's events)
    from a normal build of the corpus (see `built_digest`)."""
    digest, seconds = built_digest(corpus, config, cache)
    events = {a["id"]: a["event"] for a in digest["articles"]}
    titles = {a["id"]: a["title"] or a["id"] for a in digest["articles"]}
    return events, titles, seconds, [s["events"] for s in digest["storylines"]]


def clusters(assignment: dict[str, str]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for article, cluster in assignment.items():
        grouped[cluster].add(article)
    return grouped


def pair_count(n: int) -> int:
    return n * (n - 1) // 2


def score(gold: dict[str, str], predicted: dict[str, str]) -> dict:
    articles = sorted(gold)
    missing = [a for a in articles if a not in predicted]
    predicted = {a: predicted.get(a, f"missing:{a}") for a in articles}
    overlap = Counter((gold[a], predicted[a]) for a in articles)
    gold_sizes = Counter(gold[a] for a in articles)
    predicted_sizes = Counter(predicted[a] for a in articles)
    true_pairs = sum(pair_count(n) for n in overlap.values())
    predicted_pairs = sum(pair_count(n) for n in predicted_sizes.values())
    gold_pairs = sum(pair_count(n) for n in gold_sizes.values())
    precision = true_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = true_pairs / gold_pairs if gold_pairs else 1.0
    b_precision = sum(
        overlap[(gold[a], predicted[a])] / predicted_sizes[predicted[a]] for a in articles
    ) / len(articles)
    b_recall = sum(overlap[(gold[a], predicted[a])] / gold_sizes[gold[a]] for a in articles) / len(
        articles
    )

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    return {
        "articles": len(articles),
        "missing": missing,
        "events": len(predicted_sizes),
        "gold_events": len(gold_sizes),
        "pairwise": (precision, recall, f1(precision, recall)),
        "bcubed": (b_precision, b_recall, f1(b_precision, b_recall)),
        "overlap": overlap,
        "gold_sizes": gold_sizes,
        "predicted_sizes": predicted_sizes,
    }


def worst(
    result: dict,
    gold: dict[str, str],
    predicted: dict[str, str],
    titles: dict[str, str],
    count: int,
) -> tuple[list[str], list[str]]:
    """Merges: events whose articles belong to several gold events, by wrong pairs. Splits:
    gold events spread over several events, by missing pairs."""
    by_predicted: dict[str, Counter] = defaultdict(Counter)
    by_gold: dict[str, Counter] = defaultdict(Counter)
    for (g, p), n in result["overlap"].items():
        by_predicted[p][g] += n
        by_gold[g][p] += n
    example = {}
    for article in sorted(gold):
        key = (gold[article], predicted.get(article, f"missing:{article}"))
        example.setdefault(key, titles.get(article, article))

    def wrong(parts: Counter) -> int:
        total = sum(parts.values())
        return pair_count(total) - sum(pair_count(n) for n in parts.values())

    merges = sorted(
        ((wrong(parts), p, parts) for p, parts in by_predicted.items() if len(parts) > 1),
        key=lambda x: (-x[0], x[1]),
    )[:count]
    splits = sorted(
        ((wrong(parts), g, parts) for g, parts in by_gold.items() if len(parts) > 1),
        key=lambda x: (-x[0], x[1]),
    )[:count]
    merge_lines = [
        f"{n:4d} wrong pairs: event {p} holds "
        + "; ".join(f"{k}×{g} ({example[(g, p)][:50]!r})" for g, k in parts.most_common(4))
        for n, p, parts in merges
    ]
    split_lines = [
        f"{n:4d} missing pairs: gold {g} is in "
        + "; ".join(f"{k}×{p} ({example[(g, p)][:50]!r})" for p, k in parts.most_common(4))
        for n, g, parts in splits
    ]
    return merge_lines, split_lines


def storyline_sizes(storylines: list[list[str]], events: int) -> str:
    """How many storylines link two events or more, how many events they hold, and how many
    storylines hold each number of events."""
    linked = sorted((len(s) for s in storylines if len(s) > 1), reverse=True)
    return (
        f"storylines of two events or more: {len(linked)}, holding {sum(linked)} of "
        f"{events} events; sizes {dict(sorted(Counter(linked).items()))}"
    )


def storyline_scores(
    storylines: list[list[str]], predicted: dict[str, str], topics: dict[str, str]
) -> tuple[float, float]:
    """Pairwise precision and recall of events in one storyline against events of one story:
    an event's story is the `topic` most of its articles carry."""
    storyline_of = {event: n for n, events in enumerate(storylines) for event in events}
    votes: dict[str, Counter] = defaultdict(Counter)
    for article, event in predicted.items():
        if article in topics:
            votes[event][topics[article]] += 1
    topic_of = {event: counts.most_common(1)[0][0] for event, counts in votes.items()}
    both = Counter((topic_of[e], storyline_of[e]) for e in topic_of)
    true_pairs = sum(pair_count(n) for n in both.values())
    linked = sum(pair_count(n) for n in Counter(storyline_of[e] for e in topic_of).values())
    stories = sum(pair_count(n) for n in Counter(topic_of.values()).values())
    return true_pairs / linked if linked else 1.0, true_pairs / stories if stories else 1.0


def read_topics(corpus: Path) -> dict[str, str]:
    """article id -> the story (`topic`) its record names, for the records that name one
    (`bench/corpus.py` writes them)."""
    topics = {}
    for line in (corpus / "articles.jsonl").open(encoding="utf-8"):
        record = json.loads(line) if line.strip() else {}
        if record.get("topic") is not None:
            topics[str(record["id"])] = str(record["topic"])
    return topics


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus", type=Path, help="folder with articles.jsonl and (to score) gold.tsv"
    )
    parser.add_argument("--config", type=Path, help="config.yaml to build with (default: none)")
    parser.add_argument("--cache", type=Path, help="folder to keep the build's cache in")
    parser.add_argument("--worst", type=int, default=10, help="merges and splits listed")
    args = parser.parse_args()
    predicted, titles, seconds, storylines = predict(args.corpus, args.config, args.cache)
    events = len(set(predicted.values()))
    if not (args.corpus / "gold.tsv").exists():  # no gold events: the storylines alone
        print(f"{args.corpus.name}: {len(predicted)} articles, {events} events (no gold.tsv)")
        print(storyline_sizes(storylines, events))
        if topics := read_topics(args.corpus):
            precision, recall = storyline_scores(storylines, predicted, topics)
            print(
                f"storylines against stories (topic): pairwise P / R {precision:.3f} / {recall:.3f}"
            )
        return 0
    gold = dict(
        line.rstrip("\n").split("\t")[:2]
        for line in (args.corpus / "gold.tsv").open(encoding="utf-8")
        if line.strip()
    )
    result = score(gold, predicted)
    print(
        f"{args.corpus.name}: {result['articles']} articles, {result['events']} events "
        f"(gold {result['gold_events']}), built in {seconds:.1f} s"
    )
    if result["missing"]:
        print(f"articles missing from the digest: {len(result['missing'])}")
    print("| measure | precision | recall | F1 |\n| --- | --- | --- | --- |")
    for name in ("pairwise", "bcubed"):
        p, r, f = result[name]
        print(f"| {'BCubed' if name == 'bcubed' else name} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print("\n" + storyline_sizes(storylines, result["events"]))
    merges, splits = worst(result, gold, predicted, titles, args.worst)
    print("\nworst merges:" + ("\n  " + "\n  ".join(merges) if merges else " none"))
    print("\nworst splits:" + ("\n  " + "\n  ".join(splits) if splits else " none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
