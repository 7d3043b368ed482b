"""What an article says about its own happening: its day, weekday, place, and the people and
organisations it names. Grouping compares these; describing an event sums them up."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..dates.own_day import LEAD_PARAGRAPHS
from ..model import Article
from ..places import places_named
from ..text import TITLES, fold, spelled_in_full

ROLE = re.compile(rf"\b{TITLES}\b")


@dataclass(frozen=True)
class Clues:
    """What one article says about its own happening."""

    day: date | None
    weekday: int | None
    place: str | None
    key: str | None
    dateline: str | None = None  # the city the article was filed from ("BERLIN (AA) -")


def lead_weekday(article: Article) -> int | None:
    """The weekday the lead gives for the happening ("gathered Monday"), resolved or not."""
    lead = [
        m.weekday
        for m in article.mentions
        if m.paragraph < LEAD_PARAGRAPHS and m.weekday is not None
    ]
    return lead[0] if lead else None


def known_places(datelines: Iterable[str | None]) -> frozenset[str]:
    """The places the articles' own datelines name; large cities are known besides."""
    return frozenset(place for place in datelines if place)


def lead_place(article: Article, places: frozenset[str]) -> str | None:
    """The first place named after 'in' or 'at' in the captions or the lead that is a large
    city or one of `places`."""
    return first_place(lead_blocks(article), places)


def lead_blocks(article: Article) -> list[str]:
    """The captions and the lead, where an article names the place of its happening."""
    return [*article.captions, *article.paragraphs[:LEAD_PARAGRAPHS]]


def first_place(blocks: Iterable[str], places: frozenset[str]) -> str | None:
    for block in blocks:
        for name in places_named(block, places):
            return name
    return None


def entities(article: Article) -> list[str]:
    """The names an article mentions as lower-case keys, full names and surnames alike
    ("sébastien_lecornu", "lecornu"), once per mention."""
    keys = []
    for name in article.names:
        words = name.lower().split()
        keys.append("_".join(words))
        if len(words) > 1:
            keys.append(words[-1])
    return keys


def key_entities(articles: list[Article], count: int = 5) -> list[str]:
    """The names of two words or more that the articles mention most, as written."""
    spellings: dict[str, list[str]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for article in articles:
        for name in article.names:
            name = ROLE.split(name)[-1].strip()  # "German Defense Minister Boris Pistorius"
            if " " in name:
                key = fold(name)  # "Sébastien" and "Sebastien" are one man
                spellings[key].append(name)
                counts[key] += 1
    return [spelled_in_full(spellings[k]) for k, _ in counts.most_common(count)]
