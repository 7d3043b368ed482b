"""Compare stage: within one event, who reported what: coverage, facts, quotes and rewrites.

`quotes` finds the quotes and their speakers and matches them across outlets; `facts` aligns
statements across articles and finds the numbers and words they differ in; `provenance` finds
the articles that rewrite another and who reported first.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Article, Event, Quality, SourceEntry
from .facts import align_facts, discrepancies, word_choices
from .provenance import find_rewrites, first_reported, machine_rewrites
from .quotes import QUOTE, People, extract_quotes, match_quotes, word_diff

__all__ = ["compare_event", "word_diff"]

TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")", ":")  # how a finished text ends


def compare_event(event: Event) -> Event:
    coverage = [
        SourceEntry(a.id, a.source, a.published, a.words_raw, a.words_clean) for a in event.articles
    ]
    people = People(event.articles)
    found = [q for a in event.articles for q in extract_quotes(a, people)]
    outlet = {a.id: a.source or f"article {a.id}" for a in event.articles}
    facts = align_facts(event.articles, outlet)
    quotes = match_quotes(found, outlet)
    rewrites = find_rewrites(event.articles, quotes)
    machine = machine_rewrites(rewrites)
    return replace(
        event,
        coverage=coverage,
        quotes=quotes,
        rewrites=rewrites,
        facts=facts,
        discrepancies=discrepancies(facts),
        wordings=word_choices(facts),
        quality=[_quality(a, machine.get(a.id)) for a in event.articles],
        first_reported=first_reported(event.articles),
    )


def _quality(article: Article, machine_rewrite_of: str | None) -> Quality:
    quoted = sum(
        len((m.group(1) or m.group(2)).split())
        for p in article.paragraphs
        for m in QUOTE.finditer(p)
    )
    last = article.paragraphs[-1].rstrip() if article.paragraphs else ""
    return Quality(
        article=article.id,
        boilerplate_removed=article.boilerplate_removed,
        repeats_removed=article.repeats_removed,
        truncated=bool(last) and not last.endswith(TERMINAL),
        quotation_share=round(quoted / article.words_clean, 2) if article.words_clean else 0.0,
        machine_rewrite_of=machine_rewrite_of,
    )
