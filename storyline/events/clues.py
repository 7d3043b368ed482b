"""What an article says about its own happening: its day, weekday, place, and the people and
organisations it names. Grouping compares these; describing an event sums them up."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..model import Article
from ..places import places_named
from ..text import TITLES, fold

ROLE = re.compile(rf"\b{TITLES}\b")
LEAD_PARAGRAPHS = 2
BACKGROUND = re.compile(r"\b(?:born|birth|birthday|anniversary|founded|ago)\b", re.IGNORECASE)
NEWS_LAG_DAYS = 2  # news reports a happening within a day or two; a day further back is background


@dataclass(frozen=True)
class Clues:
    """What one article says about its own happening."""

    day: date | None
    weekday: int | None
    place: str | None
    key: str | None
    dateline: str | None = None  # the city the article was filed from ("BERLIN (AA) -")


def article_clues(article: Article, places: frozenset[str]) -> Clues:
    day = main_day(article)
    weekday = day.weekday() if day else _lead_weekday(article)
    place = article.place or lead_place(article, places)
    return Clues(day, weekday, place, article.event_key, article.place)


def main_day(article: Article) -> date | None:
    """The day the article's own happening took place, as far as it says: the first day its
    lead names on or up to NEWS_LAG_DAYS before the publication date ("met on Tuesday"; a day
    further back is background, a later one a plan: "will vote Thursday"), else the
    publication day. Undated, the first day its lead names, unless that is a weekday or
    "yesterday" with nothing to resolve it against, or a background mention (a birth, an
    anniversary); a date further down the text is background too."""
    lead = [
        m
        for m in article.mentions
        if m.paragraph < LEAD_PARAGRAPHS and not BACKGROUND.search(m.sentence)
    ]
    if article.published and article.published_precision == "day":
        published = article.published.date()
        near = [
            m.day
            for m in lead
            if m.precision in ("day", "time")
            and m.day
            and 0 <= (published - m.day).days <= NEWS_LAG_DAYS
        ]
        return near[0] if near else published
    for m in lead:
        if m.precision in ("day", "time") and m.day:
            return m.day
        if m.value is None and m.relative and m.weekday is not None:
            return None  # "died on Tuesday": the happening's weekday, its day unknown
    return None


def _lead_weekday(article: Article) -> int | None:
    """The weekday the lead gives for the happening ("gathered Monday"), resolved or not."""
    lead = [
        m.weekday
        for m in article.mentions
        if m.paragraph < LEAD_PARAGRAPHS and m.weekday is not None
    ]
    return lead[0] if lead else None


def known_places(articles: list[Article]) -> frozenset[str]:
    """The places the articles' own datelines name; large cities are known besides."""
    return frozenset(a.place for a in articles if a.place)


def lead_place(article: Article, places: frozenset[str]) -> str | None:
    """The first place named after 'in' or 'at' in the captions or the lead that is a large
    city or one of `places`."""
    for block in [*article.captions, *article.paragraphs[:LEAD_PARAGRAPHS]]:
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
    spelled: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for article in articles:
        for name in article.names:
            name = ROLE.split(name)[-1].strip()  # "German Defense Minister Boris Pistorius"
            if " " in name:
                key = fold(name)  # "Sébastien" and "Sebastien" are one man
                spelled.setdefault(key, name)
                counts[key] += 1
    return [spelled[k] for k, _ in counts.most_common(count)]
