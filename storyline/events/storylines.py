"""Storylines: events of one running story that happen at different times.

Two events belong to one storyline when their articles, taken together, use alike words and
name the same people (the defence ministers meeting in Berlin, then in Paris), whatever their
dates. Events are linked to their most alike neighbours through an index of their most
distinctive terms, never all pairs, and each linked set is one storyline.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np
from scipy.cluster.hierarchy import DisjointSet

from ..config import Config
from ..model import Article, Event, Storyline
from ..text import fold
from .group import BLOCK, FLOOR, TermIndex, article_vectors

NEIGHBOURS = 5  # most alike events considered per event


def storylines(events: list[Event], config: Config) -> list[Storyline]:
    """Link the events into storylines (an event alone is a storyline of one) and mark each
    event with its storyline's id. Storylines come oldest first."""
    if not events:
        return []
    merged = [
        Article(
            id=e.id,
            path=e.id,
            body="",
            format="text",
            title=e.title,
            paragraphs=[a.text for a in e.articles],
            names=[n for a in e.articles for n in a.names],
        )
        for e in events
    ]
    vectors = article_vectors(merged, config.entity_weight)
    index = TermIndex(vectors)
    linked = DisjointSet(range(len(events)))
    floor = max(config.storyline_similarity, FLOOR)
    for start in range(0, len(events), BLOCK):
        rows = np.arange(start, min(start + BLOCK, len(events)))
        similarity = index.similarities(rows)
        count = min(NEIGHBOURS, similarity.shape[1])
        nearest = np.argpartition(-similarity, count - 1, axis=1)[:, :count]
        for r, i in enumerate(rows):
            for k in nearest[r]:
                if similarity[r, k] >= floor:
                    linked.merge(int(i), int(k))

    members: dict[int, list[Event]] = {}
    for i, event in enumerate(events):
        members.setdefault(linked[i], []).append(event)
    lines = []
    for group in members.values():
        group.sort(key=_when)
        line = Storyline(
            id="s" + hashlib.sha1(group[0].id.encode()).hexdigest()[:9],
            title=_name(group),
            events=[e.id for e in group],
        )
        for event in group:
            event.storyline = line.id
        lines.append(line)
    first = {e.id: e for e in events}
    return sorted(lines, key=lambda line: _when(first[line.events[0]]))


def _when(event: Event) -> tuple:
    return (event.date is None, event.date, event.id)


def _name(events: list[Event]) -> str:
    """The names the storyline's events share most, or its most important event's title."""
    if len(events) > 1:
        spelled = {fold(name): name for event in events for name in event.people}
        shared = Counter(key for e in events for key in dict.fromkeys(fold(n) for n in e.people))
        common = [spelled[key] for key, n in shared.most_common(3) if n > 1]
        if common:
            return ", ".join(common[:-1]) + (" and " if len(common) > 1 else "") + common[-1]
    return max(events, key=lambda e: (e.importance, -len(e.title))).title
