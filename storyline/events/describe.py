"""Describe stage: an event's date, place, title, summary, key names, the other happenings its
articles mention, and the digest-wide timeline that merges them."""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import get_args

from ..model import (
    Article,
    ArticleRecord,
    DateReport,
    DayEvidence,
    Diagnostic,
    Event,
    Granularity,
    Group,
    Precision,
    TimelineMention,
    outlet_labels,
)
from ..text import normalised, sentences, stop_words
from .clues import LEAD_PARAGRAPHS, key_entities, known_places, lead_place
from .kept import Kept

SUMMARY_MAX_WORDS = 70
TITLE_MAX_WORDS = 14
# what a timeline can place: not decades, centuries, or "now" and "recently"
TIMELINE_PRECISIONS = set(get_args(Granularity)) - {"decade", "century", "ref"}
SAME_HAPPENING = 0.2  # word overlap above which two mentions of one date are one happening
BACKGROUND_DAYS = 60  # a date further from the mentioning article's happening is background
MANY_ARTICLES = 3  # ... unless this many articles mention it
OUTLIER_DAYS = 3 * 365  # an event this far from all others is a slip, kept off the story's span
CENTRAL_OF = 40  # texts the most typical is chosen from: the choice is quadratic
MENTIONS_SHOWN = 20  # on the timeline at least, however few the events
PERIOD_DAYS = {"week": 6, "weekend": 1, "month": 30, "season": 91, "quarter": 91}
PERIOD_DAYS |= {"half": 182, "year": 365}  # the length of a period, less its first day
# the words of a date line ("THURSDAY, JUNE 30, 2005", "Posted Sept. 26, 2013 - 3:47pm ET")
DATE_LINE_WORDS = frozenset(
    {n.lower() for n in [*calendar.day_name, *calendar.month_name, *calendar.month_abbr] if n}
    | {"sept", "tues", "thurs", "posted", "updated", "published", "last", "on", "at", "am"}
    | {"pm", "a", "p", "m", "et", "est", "edt", "gmt", "bst", "cet", "utc", "pt", "pdt"}
)
PHOTO_CREDIT = re.compile(
    r"©|\b(?:photo|photograph|picture|image|credit)s?\s*(?::|/|\bby\b|\bcourtesy\b)"
    r"|\bgetty images\b|\bap photo\b",
    re.IGNORECASE,
)
LEDE_WORDS = 20  # a title this long that ends in a full stop is the lede's first sentence


def event_date(group: Group) -> tuple[date | None, Precision | None]:
    """The consensus of the articles' own happening days (most reported, then earliest)."""
    return consensus([(a.id, a.day) for a in group.articles])


def consensus(days: list[tuple[str, date | None]]) -> tuple[date | None, Precision | None]:
    """The event's day from its articles' own days (`Article.day`, by article id)."""
    reports = reported(days)
    return (reports[0].date, "day") if reports else (None, None)


def date_reports(articles: list[Article]) -> list[DateReport]:
    """The days the articles give for their happening, the most reported first: an article
    whose lead names no day (its own day is then its publication day) gives none, so that one
    published the day after the happening does not disagree with those that name it."""
    return reported([(a.id, a.day if _names_its_day(a) else None) for a in articles])


def _names_its_day(article: Article) -> bool:
    return any(
        m.day == article.day and m.paragraph < LEAD_PARAGRAPHS and m.precision in ("day", "time")
        for m in article.mentions
    )


def reported(days: list[tuple[str, date | None]]) -> list[DateReport]:
    by_day: dict[date, list[str]] = {}
    for article, day in days:
        if day:
            by_day.setdefault(day, []).append(article)
    return sorted(
        (DateReport(day, ids) for day, ids in by_day.items()),
        key=lambda r: (-len(r.articles), r.date),
    )


def event_articles(group: Group, day: date | None) -> list[Article]:
    """The event's articles as its page lists them, oldest first; those of an undated event
    carry a warning that says how to date it."""
    articles = sorted(group.articles, key=_age)
    if day is None:
        articles = [replace(a, diagnostics=[*a.diagnostics, undated_warning(a)]) for a in articles]
    return articles


def describe(
    group: Group, day: date | None, precision: Precision | None
) -> tuple[Event, list[Article]]:
    """The event, and its articles in its order (`event_articles`), which comparing reads."""
    articles = event_articles(group, day)
    places = known_places(a.place for a in articles)
    place_votes = Counter(p for a in articles if (p := a.place or lead_place(a, places)))
    summary = _summary(articles)
    place = place_votes.most_common(1)[0][0] if place_votes else None
    titled = [a for a in articles if a.title and is_headline(a.title)]
    title = _central_title(titled) if titled else who_did_what_where(summary, place)
    reports = date_reports(articles)
    labels = outlet_labels(articles)  # the comparison names them alike, from the same order
    event = Event(
        id=hashlib.sha1(articles[0].id.encode()).hexdigest()[:10],
        slug="",
        title=title,
        date=day,
        date_precision=precision,
        place=place,
        summary=summary,
        articles=[ArticleRecord.of(a, labels[a.id]) for a in articles],
        mentions=timeline_mentions(articles, day),
        date_reports=reports,
        date_end=date_end(reports, day),
        people=key_entities(articles),
        evidence=[e for a in articles for e in day_evidence(a)],
    )
    return event, articles


def day_evidence(article: Article) -> list[DayEvidence]:
    """The days the article reports on or names, each once, at its first place."""
    found: dict[date, DayEvidence] = {}
    own = article.day
    if own is not None:
        lead = next((s for p in article.paragraphs[:1] for s in sentences(p)), "")
        found[own] = DayEvidence(own, article.id, True, 0, lead)
    for mention in article.mentions:
        if mention.day is None or mention.precision not in ("day", "time"):
            continue
        if mention.day not in found:
            found[mention.day] = DayEvidence(
                mention.day, article.id, False, mention.paragraph, mention.sentence
            )
    return list(found.values())


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
        "feed": "give its entry a published or updated date",
    }.get(article.format, f"add `date: YYYY-MM-DD` in a sidecar file {stem}.yaml")
    return Diagnostic(article.path, f"its event is undated: {why}; {fix}")


def _age(article: Article) -> tuple:
    published = article.published.timestamp() if article.published else float("inf")
    return (published, article.id)


def is_headline(title: str) -> bool:
    """Whether a title reads as a headline: not a date line, a photo credit or the lede's
    first sentence, which a feed or a copied page may put in its place."""
    words = re.findall(r"[^\W\d_]+", title.lower())
    if all(w in DATE_LINE_WORDS for w in words):
        return False
    if PHOTO_CREDIT.search(title):
        return False
    stripped = title.rstrip()
    lede = stripped.endswith(".") and not stripped.endswith("..")
    return not (lede and len(title.split()) >= LEDE_WORDS)


def who_did_what_where(summary: str, place: str | None) -> str:
    """A headline made from the lead when no article has one: its first sentence up to the
    place ('Defence ministers gathered Monday in Berlin'), else up to its first clause."""
    sentence = (sentences(summary) or [summary])[0].rstrip(" .")
    words = sentence.split()
    if place and place in sentence:
        cut = len(sentence[: sentence.index(place)].split()) + len(place.split())
        if cut <= TITLE_MAX_WORDS + 8:
            return " ".join(words[:cut]).rstrip(",;:")
    clause = sentence.split(", ")[0]
    if 4 <= len(clause.split()) <= TITLE_MAX_WORDS:
        return clause
    return shortened(sentence, TITLE_MAX_WORDS)


def date_end(reports: list[DateReport], day: date | None) -> date | None:
    """The last day of a happening that lasts several days: the latest day that two articles
    or more give, within a few days of the first (a lone late date is a disagreement)."""
    if day is None:
        return None
    days = [r.date for r in reports if len(r.articles) > 1 and 0 < (r.date - day).days <= 6]
    return max(days, default=None)


def _central_title(articles: list[Article]) -> str:
    """The title that shares most words with the others: the most typical headline."""
    return central([a.title or "" for a in articles])


def central(texts: list[str]) -> str:
    """The text that shares most words with the others: what most of them say."""
    return texts[_central_index(texts)]


def _central_index(texts: list[str]) -> int:
    bags = [set(normalised(t).split()) for t in texts]
    scores = [sum(len(b & other) / (len(b | other) or 1) for other in bags) for b in bags]
    return max(range(len(texts)), key=scores.__getitem__)


class Choices(Kept[int]):
    """`central` of many lists of texts (each timeline date's, each key date's), the choice of
    each list kept by a hash of its texts and `salt` (the code that chooses): given the last
    build's (`known`), an edit compares the texts of only the dates whose texts it changed.
    Comparing every two of a date's texts, on every date, took 7% of an edit at 10,000
    articles. What to keep for the next build: `made`, of the lists in `used`."""

    def __call__(self, texts: list[str]) -> str:
        index = self.result(
            texts,
            lambda: _central_index(texts),
            lambda kept: isinstance(kept, int) and 0 <= kept < len(texts),
        )
        return texts[index]


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
        return shortened(text, SUMMARY_MAX_WORDS)
    counts = Counter(w for a in articles for w in set(a.normalised_words))

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
    stop = stop_words()
    return {w for w in normalised(text).split() if w not in stop}


def shortened(text: str, max_words: int) -> str:
    """The text's first `max_words` words, with an ellipsis where it was cut."""
    tokens = text.split()
    return text if len(tokens) <= max_words else " ".join(tokens[:max_words]) + " …"


def timeline(
    events: list[Event], choose: Callable[[list[str]], str] = central
) -> list[TimelineMention]:
    """The mentioned happenings of the story, one entry per date (a day, a month, a year)
    however many articles and events mention it, in the words most of them use. A mention on
    the day of another event refers to that event, which the timeline shows already ("the
    storm that struck on March 30" in a report on the vote), so it is dropped from the event
    too. Background stays on its events' pages: a date far from the happenings of the
    articles that mention it, unless many articles do and it lies within the story's span;
    and beyond half as many dates as there are events, those fewest articles name. A date's
    words are chosen by `choose` (`central`, or a `Choices` that keeps its choices)."""
    days = {e.date for e in events if e.date and e.date_precision == "day"}
    by_value: dict[str, list[TimelineMention]] = {}
    near: set[str] = set()  # the values some article mentions close to its own happening
    for event in events:
        event.mentions = [
            m for m in event.mentions if not (m.precision == "day" and m.date in days)
        ]
        for mention in event.mentions:
            by_value.setdefault(mention.value, []).append(mention)
            if event.date is None or _close(mention, event.date):
                near.add(mention.value)
    span = story_span([e.date for e in events if e.date])
    merged = []
    for value, found in by_value.items():
        articles = list(dict.fromkeys(a for m in found for a in m.articles))
        inside = span is not None and span[0] <= found[0].date <= span[1]
        if value in near or (inside and len(articles) >= MANY_ARTICLES):
            text = choose([m.text for m in found[:CENTRAL_OF]])
            merged.append(replace(found[0], text=text, articles=articles))
    # half as many as there are events, those most articles name: the rest are asides
    shown = max(len(events) // 2, MENTIONS_SHOWN)
    merged = sorted(merged, key=lambda m: (-len(m.articles), m.date, m.value))[:shown]
    return sorted(merged, key=lambda m: (m.date, m.value))


def story_span(days: list[date]) -> tuple[date, date] | None:
    """The first and last day of the story: of its events, but for those far from all the
    rest (a happening dated by a slip to year 1 or 9999), which would squash the others."""
    days = sorted(days)
    least = timedelta(days=OUTLIER_DAYS)
    while len(days) > 2:
        first = days[1] - days[0] > max(days[-1] - days[1], least)
        last = days[-1] - days[-2] > max(days[-2] - days[0], least)
        if not (first or last):
            break
        days = days[:-1] if last else days[1:]
    return (days[0], days[-1]) if days else None


def _close(mention: TimelineMention, day: date) -> bool:
    """Whether the period a mention names lies within BACKGROUND_DAYS of the day."""
    after_start = (day - mention.date).days  # by days, as a period may end past year 9999
    length = PERIOD_DAYS.get(mention.precision, 0)
    return -after_start <= BACKGROUND_DAYS and after_start - length <= BACKGROUND_DAYS


def timeline_mentions(articles: list[Article], day: date | None) -> list[TimelineMention]:
    """Other dated happenings the articles mention, one entry per happening."""
    happenings = Happenings()
    for article in articles:
        for mention in article.mentions:
            if mention.day is None or mention.precision not in TIMELINE_PRECISIONS:
                continue
            precision = "day" if mention.precision == "time" else mention.precision
            value = mention.day.isoformat() if precision == "day" else mention.value or ""
            if precision == "day" and mention.day == day:
                continue  # the event itself
            happenings.add(
                TimelineMention(mention.day, precision, value, mention.sentence, [article.id])
            )
    return sorted(
        (replace(m, text=shortened(balanced(m.text), 45)) for m in happenings.found),
        key=lambda m: (m.date, m.value, m.text),
    )


def balanced(sentence: str) -> str:
    """A sentence cut out of a quote, without its stray quotation marks."""
    if sentence.count('"') % 2:
        sentence = sentence.replace('"', "")
    if sentence.count("“") != sentence.count("”"):
        sentence = sentence.replace("“", "").replace("”", "")
    return sentence.strip()


class Happenings:
    """Mentions merged into one entry per happening: a new mention folds into the first
    entry of the same date value whose words are alike (`SAME_HAPPENING`), else it is a new
    entry. Each text's content words are found once, and a mention is compared only with the
    entries that share a word with it, so the work grows with the mentions, not with their
    square as comparing each with every entry of its date would."""

    def __init__(self) -> None:
        self.found: list[TimelineMention] = []
        self.words: list[set[str]] = []  # each entry's content words, of its text
        self.entries: dict[tuple[str, str], list[int]] = {}  # (value, word): entries with it

    def add(self, new: TimelineMention) -> None:
        words = _content(new.text)
        for index in sorted({n for w in words for n in self.entries.get((new.value, w), ())}):
            known = self.words[index]
            if len(words & known) / (min(len(words), len(known)) or 1) >= SAME_HAPPENING:
                entry = self.found[index]
                ids = entry.articles + [a for a in new.articles if a not in entry.articles]
                text = min(entry.text, new.text, key=len)
                self.found[index] = replace(entry, text=text, articles=ids)
                if text is not entry.text:
                    self._index(index, words)
                return
        self.found.append(new)
        self.words.append(set())
        self._index(len(self.found) - 1, words)

    def _index(self, index: int, words: set[str]) -> None:
        """`words` become the entry's; it stays listed under its earlier ones too, where a
        comparison finds it no longer alike."""
        value = self.found[index].value
        for word in words - self.words[index]:
            self.entries.setdefault((value, word), []).append(index)
        self.words[index] = words
