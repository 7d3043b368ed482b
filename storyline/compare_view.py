"""What an event's pages show of comparing its sources (the render stage's part): each
article's label (`ArticleRecord.label`), used alike in every table, list and note; a card per
article, side by side, with the details it alone reports, the most specific first; the
storyline's outlets that did not report the event (its blindspot); the shared facts, word
choices and quotes in the order the comparison page shows them. The "what differs" summary is
made of these in the template."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .events.describe import shortened
from .model import (
    Article,
    Event,
    EventReport,
    Fact,
    Quote,
    Value,
    Wording,
    outlet_of,
)
from .text import NAME_WORD, fold, stop_words, words

LEDE_WORDS = 30  # of an article's opening, on its card
HIGHLIGHTS = 2  # of an article's own details, in the summary and on its card
TERMINAL = (".", "!", "?", "”", '"', ")")  # a sentence ends so; a subheading does not
NAME = re.compile(rf"(?<=\s){NAME_WORD}")  # a word of a name past a sentence's first
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# "pier repairs, ferry timetables and a new dredging contract": the items
# of an enumeration, each a few words
ITEM = r"[\w’'-]+(?:\s+[\w’'-]+){0,2}"
ENUMERATION = re.compile(rf"({ITEM}),\s+({ITEM}),?\s+(?:and|or)\s+({ITEM})")


@dataclass(frozen=True)
class Card:
    """One compared article, as the page sets it beside the others."""

    article: Article
    label: str
    anchor: str  # the id of its own details in the facts section
    lede: str  # its opening words
    own: list[Fact]  # the facts it alone reports, the most specific first
    copies: int  # articles that run its text near word for word

    @property
    def highlights(self) -> list[Fact]:
        return self.own[:HIGHLIGHTS]


@dataclass(frozen=True)
class Blindspot:
    """Of the outlets that report a storyline, those that reported an event and those that
    did not (named outlets only: an article without one is no outlet to miss)."""

    covered: list[str]
    missing: list[str]


@dataclass(frozen=True)
class CompareView:
    labels: dict[str, str]  # article id -> its outlet's label
    cards: list[Card]  # the compared articles: the copies of one text through its first
    # for an event of a storyline of several events and outlets: one outlet misses nothing
    blindspot: Blindspot | None
    shared: list[Fact]  # reported by several outlets: the shared core
    # per fact, each place where outlets chose different words: never one fact twice
    wordings: list[tuple[str, list[list[Value]]]]
    quotes: list[tuple[int, Quote]]  # each with its number, for its anchor
    speakers: list[tuple[str | None, list[tuple[int, Quote]]]]  # most quoted first
    to_check: list[tuple[int, Quote]]  # the quotes with a conflict a reader must weigh
    alone: int  # quotes carried by one outlet alone
    people: list[str]  # the event's people, then the speakers of its quotes they leave out

    def outlets(self, ids: Iterable[str]) -> str:
        """The labels of the articles' outlets, each once: "TROIB News, B · Europe Unites…"."""
        return ", ".join(dict.fromkeys(self.labels[i] for i in ids))


def compare_view(report: EventReport, story_outlets: list[str]) -> CompareView:
    """The view of an event whose storyline's named outlets are `story_outlets` (empty for
    an event of no storyline)."""
    findings = report.findings
    labels = {a.id: a.label for a in report.event.articles}
    copied = {c for group in findings.copies for c in group.articles}
    copies = {group.of: len(group.articles) for group in findings.copies}
    compared = [a for a in report.articles if a.id not in copied]
    vocabulary = {a.id: set(a.normalised_words) for a in compared}
    own: dict[str, list[Fact]] = {a.id: [] for a in compared}
    for fact in findings.facts:
        if fact.unique and (owner := next((a for a in fact.articles if a in own), None)):
            own[owner].append(fact)
    cards = []
    for n, article in enumerate(compared):
        others = set().union(*(v for a, v in vocabulary.items() if a != article.id))
        ranked = sorted(own[article.id], key=lambda f: -specifics(f.text, others))
        lede = shortened(" ".join(article.text.split()), LEDE_WORDS)
        cards.append(
            Card(
                article,
                labels[article.id],
                f"only-{n + 1}",
                lede,
                ranked,
                copies.get(article.id, 0),
            )
        )
    numbered = list(enumerate(findings.quotes, 1))
    return CompareView(
        labels=labels,
        cards=cards,
        blindspot=blindspot(report.event, story_outlets, labels)
        if len(story_outlets) > 1
        else None,
        shared=[f for f in findings.facts if not f.unique],
        wordings=_by_fact(findings.wordings, {r.article for r in findings.rewrites}),
        quotes=numbered,
        speakers=_by_speaker(numbered),
        to_check=[(n, q) for n, q in numbered if q.conflicts],
        alone=sum(q.only_in is not None for q in findings.quotes),
        people=people_and_speakers(report.event.people, [q.speaker for q in findings.quotes]),
    )


def people_and_speakers(people: list[str], speakers: Iterable[str | None]) -> list[str]:
    """The people the describe stage named, then each quoted speaker they leave out: a
    minister quoted four times is one of the event's people even when its articles name
    others more often. A speaker is left out when a name of `people` is theirs in full or
    their surname ("Healey" for "John Healey")."""
    named = list(people)
    known = {fold(name) for name in people}
    for speaker in speakers:
        if speaker is None or fold(speaker) in known:
            continue
        surname = fold(speaker.split()[-1])
        if not any(fold(name) == surname or fold(name).endswith(f" {surname}") for name in named):
            named.append(speaker)
        known.add(fold(speaker))
    return named


def specifics(sentence: str, elsewhere: set[str]) -> int:
    """How many specifics a sentence gives that the other articles (their folded words,
    `elsewhere`) give nowhere: names, numbers, and the items of an enumeration. A subheading
    gives none: it only announces what follows."""
    if not sentence.rstrip().endswith(TERMINAL):
        return -1
    names = {fold(n) for n in NAME.findall(sentence)} - elsewhere
    numbers = set(NUMBER.findall(sentence)) - elsewhere
    stop = stop_words()
    items = [
        item
        for match in ENUMERATION.finditer(sentence)
        for item in match.groups()
        if set(words(fold(item))) - elsewhere - stop
    ]
    return len(names) + len(numbers) + len(items)


def blindspot(event: Event, story_outlets: list[str], labels: dict[str, str]) -> Blindspot:
    reported = {outlet_of(a) for a in event.articles}
    return Blindspot(
        covered=list(dict.fromkeys(labels[a.id] for a in event.articles)),
        missing=[o for o in story_outlets if o not in reported],
    )


def storyline_outlets(events: Iterable[Event]) -> dict[str, list[str]]:
    """The named outlets of each storyline's events, by storyline id, in order of name."""
    found: dict[str, set[str]] = {}
    for event in events:
        if event.storyline:
            names = found.setdefault(event.storyline, set())
            names.update(o for a in event.articles if (o := outlet_of(a)))
    return {story: sorted(names) for story, names in found.items()}


def _by_fact(wordings: list[Wording], followers: set[str]) -> list[tuple[str, list[list[Value]]]]:
    """Each fact once, with its places of different words, where the outlets chose them
    independently: the words of `followers`, articles that rewrite another, are the
    rewrite's swaps, which provenance shows."""
    places: dict[str, list[list[Value]]] = {}
    for wording in wordings:
        chosen = [c for c in wording.choices if not set(c.articles) <= followers]
        if len(chosen) > 1:
            places.setdefault(wording.fact, []).append(chosen)
    return list(places.items())


def _by_speaker(
    quotes: list[tuple[int, Quote]],
) -> list[tuple[str | None, list[tuple[int, Quote]]]]:
    """Quotes grouped by speaker: the most quoted first, quotes with no named speaker last."""
    groups: dict[str | None, list[tuple[int, Quote]]] = {}
    for n, quote in quotes:
        groups.setdefault(quote.speaker, []).append((n, quote))
    return sorted(groups.items(), key=lambda g: (g[0] is None, -len(g[1]), g[0] or ""))
