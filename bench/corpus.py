"""Generate a realistic synthetic news corpus: events reported by several outlets.

    python bench/corpus.py 1000 out.jsonl

Each event belongs to a topic (a running story) and has its own day, place, people and
details; 2 to 6 outlets report it within two days, in 400 to 900 words, with date mentions,
quotes and background sentences from their topic. Events of one topic share vocabulary and
sometimes people, as real running stories do, so telling them apart is a real test. The words
are made up from syllables: no outside text. A fixed seed gives the same corpus every time.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SYLLABLES = (
    "ba",
    "ko",
    "ri",
    "ten",
    "lo",
    "mar",
    "vi",
    "sun",
    "de",
    "pa",
    "nor",
    "el",
    "ga",
    "tu",
    "ran",
    "si",
    "bel",
    "om",
    "ka",
    "dre",
    "fi",
    "lun",
    "ho",
    "zan",
    "mi",
    "ter",
)
OUTLETS = (
    "Harbor Ledger",
    "Valley Wire",
    "Northcoast Radio",
    "Civic Post",
    "Daily Meridian",
    "Evening Courier",
    "Metro Dispatch",
    "Coastal Herald",
    "Plains Tribune",
    "Summit News",
)
FUNCTION = (
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "on",
    "for",
    "with",
    "at",
    "by",
    "from",
    "as",
    "that",
    "this",
    "was",
    "were",
    "is",
    "are",
    "had",
    "has",
    "after",
    "before",
    "while",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%SZ")


def word(rng: random.Random, syllables: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def name(rng: random.Random) -> str:
    return f"{word(rng).capitalize()} {word(rng, 3).capitalize()}"


def new_topic(rng: random.Random) -> dict:
    """A running story: its vocabulary, its people and its places."""
    return {
        "words": [word(rng) for _ in range(40)],
        "people": [name(rng) for _ in range(6)],
        "places": [
            word(rng).capitalize() + rng.choice(("ton", "ville", "burg", "")) for _ in range(3)
        ],
    }


def generate(
    count: int, seed: int = 1, start: date = date(2024, 1, 1), days: int = 730
) -> list[dict]:
    """About `count` articles, spread over `days` days from `start`."""
    rng = random.Random(seed)
    topics = [new_topic(rng) for _ in range(max(1, count // 40))]
    common = [word(rng) for _ in range(2000)]
    articles: list[dict] = []
    event = 0
    while len(articles) < count:
        topic = rng.choice(topics)
        day = start + timedelta(days=rng.randrange(days))
        details = [word(rng, 3) for _ in range(12)]
        people = rng.sample(topic["people"], 2) + [name(rng)]
        place = rng.choice(topic["places"])
        for outlet in rng.sample(OUTLETS, rng.randint(2, 6)):
            # a date: the hours fall away, as they always have in these corpora
            published = day + timedelta(days=rng.choice((0, 0, 1, 1, 2)), hours=rng.randrange(24))
            text = story(rng, topic, details, people, place, day, common)
            articles.append(
                {
                    "id": f"e{event}-{outlet.split()[0].lower()}",
                    "title": f"{people[0]} {rng.choice(details)} {rng.choice(topic['words'])} "
                    f"in {place}",
                    "text": text,
                    "source": outlet,
                    "published": published.strftime(rng.choice(DATE_FORMATS)),
                    "published_iso": published.isoformat(),
                    "event": f"e{event}",
                    "topic": topics.index(topic),
                }
            )
        event += 1
    return articles[:count]


def story(
    rng: random.Random,
    topic: dict,
    details: list[str],
    people: list[str],
    place: str,
    day: date,
    common: list[str],
    length: tuple[int, int] = (400, 900),
) -> str:
    """One article's text of about `length` words (at random between the two), on `day`."""
    weekday = WEEKDAYS[day.weekday()]
    paragraphs = [
        f"{place.upper()} - {people[0]} {rng.choice(details)} the "
        f"{rng.choice(topic['words'])} {rng.choice(details)} on {weekday} in {place}, "
        f"{_words(rng, topic, details, common, 12)}."
    ]
    target = rng.randint(*length)
    words = len(paragraphs[0].split())
    while words < target:
        kind = rng.random()
        if kind < 0.2:
            sentence = (
                f'"{_words(rng, topic, details, common, 14).capitalize()}," '
                f"{rng.choice(people)} said."
            )
        elif kind < 0.3:
            back = day - timedelta(days=rng.randrange(30, 400))
            sentence = (
                f"The {rng.choice(topic['words'])} began on {back.strftime('%B %d, %Y')}"
                f" {_words(rng, topic, details, common, 8)}."
            )
        else:
            sentence = f"{_words(rng, topic, details, common, 18).capitalize()}."
        paragraphs.append(sentence)
        words += len(sentence.split())
    return "\n\n".join(" ".join(paragraphs[i : i + 3]) for i in range(0, len(paragraphs), 3))


def _words(rng: random.Random, topic: dict, details: list[str], common: list[str], n: int) -> str:
    out = []
    for _ in range(n):
        pick = rng.random()
        out.append(
            rng.choice(FUNCTION)
            if pick < 0.35
            else rng.choice(topic["words"])
            if pick < 0.6
            else rng.choice(details)
            if pick < 0.7
            else rng.choice(common)
        )
    return " ".join(out)


def write_markdown(records: list[dict], folder: Path) -> None:
    """The records as Storyline content: one Markdown file each, with YAML front matter."""
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        meta = {"title": record["title"], "source": record["source"], "date": record["published"]}
        front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
        (folder / f"{record['id']}.md").write_text(
            f"---\n{front}\n---\n{record['text']}\n", encoding="utf-8"
        )


def analysed(records: list[dict]) -> list:
    """The records as the build has them before grouping: read, cleaned and dated."""
    from storyline.clean import clean_article
    from storyline.dates import date_article
    from storyline.model import Article

    return [
        date_article(
            clean_article(
                Article(
                    id=r["id"],
                    path=f"bench:{i}",
                    body=r["text"],
                    format="jsonl",
                    title=r["title"],
                    source=r["source"],
                    published_raw=r["published"],
                )
            ),
            "UTC",
            "DMY",
        )
        for i, r in enumerate(records)
    ]


def main() -> None:
    count, path = int(sys.argv[1]), Path(sys.argv[2])
    with path.open("w", encoding="utf-8") as out:
        for article in generate(count):
            out.write(json.dumps(article) + "\n")


if __name__ == "__main__":
    main()
