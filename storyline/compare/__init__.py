"""Compare stage: within one event, who reported what: coverage, facts, quotes and rewrites.

`copies` first groups the articles that run one text near word for word (wire copies), so
that each such text is compared once, through its earliest article, and its copies are
credited with what it carries; `quotes` finds the quotes and their speakers and matches them
across outlets; `facts` aligns statements across articles and finds the numbers and words they
differ in; `provenance` finds the articles that rewrite another and who reported first.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Article, Findings, Quality, SourceEntry, outlet_labels
from ..workers import Workers
from .copies import group_copies
from .facts import align_facts, align_sentences, discrepancies, word_choices
from .provenance import find_rewrites, first_reported, machine_rewrites
from .quotes import QUOTE, People, extract_quotes, match_quotes, quoted_words, word_diff

__all__ = ["compare_events", "comparison", "uncompared", "word_diff"]

MIN_PARALLEL_EVENTS = 200  # below this, starting worker processes costs more than it saves
CHUNK = 16  # events sent to a worker at a time
TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")", ":")  # how a finished text ends


def compare_events(
    events: list[list[Article]], workers: Workers | None = None
) -> Iterator[Findings]:
    """Each event (its articles) compared, in order. Events are independent, so a large digest
    shares them out among `workers`, each sending back only what it found, not the articles."""
    if workers:
        return workers.map(comparison, events, MIN_PARALLEL_EVENTS, CHUNK)
    return map(comparison, events)


def comparison(articles: list[Article]) -> Findings:
    """What comparing its sources finds about one event, from its articles in its order.
    Every article counts in the coverage; the copies of one text are compared through it."""
    coverage = _coverage(articles)
    grouped = group_copies(articles)
    compared, credited = grouped.distinct, grouped.credited
    people = People(compared)
    found = [q for a in compared for q in extract_quotes(a, people)]
    outlet = outlet_labels(articles)  # as the pages name them, in conflicts and markers
    alignment = align_sentences(compared)
    facts = align_facts(alignment, compared, outlet, credited)
    quotes = match_quotes(found, outlet, credited)
    rewrites = find_rewrites(alignment, compared, quotes)
    machine = machine_rewrites(rewrites)
    return Findings(
        coverage=coverage,
        quotes=quotes,
        rewrites=rewrites,
        copies=grouped.groups,
        facts=facts,
        discrepancies=discrepancies(facts, compared, credited),
        wordings=word_choices(facts, credited),
        quality=[_quality(a, machine.get(a.id)) for a in articles],
        first_reported=first_reported(articles),
    )


def uncompared(articles: list[Article], why: str) -> Findings:
    """The findings of an event whose sources could not be compared (`why`): its coverage,
    and nothing found among them."""
    return Findings(_coverage(articles), [], [], [], [], [], [], [], [], failed=why)


def _coverage(articles: list[Article]) -> list[SourceEntry]:
    return [SourceEntry(a.id, a.source, a.published, a.words_raw, a.words_clean) for a in articles]


def _quality(article: Article, machine_rewrite_of: str | None) -> Quality:
    quoted = sum(
        len(quoted_words(m).split()) for p in article.paragraphs for m in QUOTE.finditer(p)
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
