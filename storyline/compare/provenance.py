"""Provenance: which articles rewrite or copy another, which came first, who reported first.

Two articles are a rewrite pair when most sentences of one have a counterpart in the other.
Which one came first is judged twice: by publication time, when both times tell, and by
details: a rewrite usually drops details of its original and seldom adds its own, so the
article holding more sentences the other lacks is the likelier original.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time
from itertools import combinations

from ..model import Article, Quote, Rewrite
from ..text import normalised
from .facts import Alignment

REWRITE_SENTENCE = 0.4  # content-word Jaccard at which a sentence counts as rewritten
REWRITE_SHARE = 0.6  # an article is a rewrite when this share of its sentences align
VERBATIM_SHARE = 0.7  # a rewrite keeping fewer of its word triples had words swapped, not copied


def find_rewrites(
    alignment: Alignment, articles: list[Article], quotes: list[Quote]
) -> list[Rewrite]:
    """Pairs where one article follows another sentence by sentence, reworded or copied."""
    count = Counter(s.article for s in alignment.sentences)
    hits: Counter[tuple[str, str]] = Counter()  # (a, b) -> a's sentences with one alike in b
    for sentence, alike in zip(alignment.sentences, alignment.alike, strict=True):
        hits.update(
            {
                (sentence.article, alignment.sentences[other].article)
                for other, similarity in alike
                if similarity >= REWRITE_SENTENCE
            }
        )
    triples: dict[str, set[tuple[str, ...]]] = {}
    rewrites = []
    for a, b in combinations(articles, 2):
        share_ab = hits[a.id, b.id] / count[a.id] if count[a.id] else 0.0
        share_ba = hits[b.id, a.id] / count[b.id] if count[b.id] else 0.0
        if max(share_ab, share_ba) < REWRITE_SHARE:
            continue
        details = {a.id: count[a.id] - hits[a.id, b.id], b.id: count[b.id] - hits[b.id, a.id]}
        by_time = _first_by_time(a, b)
        by_details = (
            None if details[a.id] == details[b.id] else max(details, key=details.__getitem__)
        )
        # Time decides when it can; then details; then the one the other covers more of.
        first_id = by_time or by_details or (b.id if share_ab >= share_ba else a.id)
        first, second = (a, b) if first_id == a.id else (b, a)
        for article in (first, second):
            if article.id not in triples:
                triples[article.id] = _triples(article)
        copy = triples[second.id]
        rewrites.append(
            Rewrite(
                article=second.id,
                of=first.id,
                similarity=round(max(share_ab, share_ba), 2),
                verbatim_share=round(len(copy & triples[first.id]) / len(copy), 2) if copy else 0.0,
                shared_quotes=_shared_quotes(quotes, a.id, b.id),
                first_by_time=by_time,
                first_by_details=by_details,
                details=details,
            )
        )
    return rewrites


def _shared_quotes(quotes: list[Quote], a: str, b: str) -> list[str]:
    return [v.text for q in quotes for v in q.variants if a in v.articles and b in v.articles]


def _timed(article: Article) -> datetime | None:
    """The publication time, when it is given to the day."""
    return article.published if article.published_precision == "day" else None


def _first_by_time(a: Article, b: Article) -> str | None:
    """The article published first, or None when the times do not tell: a missing date, the
    same day with a time of day missing (midnight stands for 'no time given'), a tie."""
    ta, tb = _timed(a), _timed(b)
    if ta is None or tb is None or ta == tb:
        return None
    if ta.date() == tb.date() and time(0) in (ta.time(), tb.time()):
        return None
    return a.id if ta < tb else b.id


def first_reported(articles: list[Article]) -> list[str]:
    """The articles published first, when at least two outlets' times are known. Several when
    the times cannot tell them apart."""
    timed = [a for a in articles if _timed(a)]
    if len({a.source for a in timed}) < 2:
        return []
    return [a.id for a in timed if not any(_first_by_time(b, a) == b.id for b in timed)]


def machine_rewrites(rewrites: list[Rewrite]) -> dict[str, str]:
    """Rewrites that follow their original sentence by sentence yet keep few of its word
    sequences: the mark of synonyms swapped one for one, as rewriting tools do."""
    return {r.article: r.of for r in rewrites if r.verbatim_share < VERBATIM_SHARE}


def _triples(article: Article) -> set[tuple[str, ...]]:
    words = normalised(article.text).split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
