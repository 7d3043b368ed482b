"""Compare stage: within one event, who reported what: coverage, quotes and rewrites.

`quotes` finds the quotes and their speakers and matches them across outlets; `provenance`
finds the articles that rewrite another.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Event, SourceEntry
from .facts import align_facts, discrepancies
from .provenance import find_rewrites
from .quotes import People, extract_quotes, match_quotes, word_diff

__all__ = ["compare_event", "word_diff"]


def compare_event(event: Event) -> Event:
    coverage = [
        SourceEntry(a.id, a.source, a.published, a.words_raw, a.words_clean) for a in event.articles
    ]
    people = People(event.articles)
    found = [q for a in event.articles for q in extract_quotes(a, people)]
    outlet = {a.id: a.source or f"article {a.id}" for a in event.articles}
    facts = align_facts(event.articles, outlet)
    return replace(
        event,
        coverage=coverage,
        quotes=match_quotes(found, outlet),
        rewrites=find_rewrites(event.articles),
        facts=facts,
        discrepancies=discrepancies(facts),
    )
