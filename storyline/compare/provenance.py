"""Provenance: which articles rewrite or copy another, which came first, who reported first.

Two articles are a rewrite pair when most sentences of one have a counterpart in the other.
Which one came first is judged twice: by publication time, when both times tell, and by
details: a rewrite usually drops details of its original and seldom adds its own, so the
article holding more sentences the other lacks is the likelier original.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import replace
from datetime import datetime, time
from difflib import SequenceMatcher
from itertools import combinations

from ..model import Article, Quote, Rewrite
from ..text import normalised, sentences
from .facts import Alignment, align_sentences
from .quotes import QUOTE, REPORTING

REWRITE_SENTENCE = 0.4  # content-word Jaccard at which a sentence counts as rewritten
REWRITE_SHARE = 0.6  # an article is a rewrite when this share of its sentences align
MIN_OWN_SENTENCES = 3  # of the outlet's own prose aligned, for a claim of rewriting
VERBATIM_SHARE = 0.7  # a rewrite keeping fewer of its word triples had words swapped, not copied
# A machine rewrite is claimed only on strong evidence: nearly all of its own prose aligned, in
# several sentences, with a good share of their words swapped one for one.
MACHINE_SHARE = 0.8
MACHINE_SENTENCES = 4
MACHINE_SWAPPED = 0.1
MAX_SWAP = 3  # words replaced by as many: a longer change is rephrasing, not a swap
# Sentences that give a document's words (a statement, a tweet, an order, a release) are the
# document's, not the outlet's: two outlets quoting one are not copying each other.
DOCUMENT = (
    r"(?:statement|tweet|post|order(?!\s+to\b)|release|declaration|announcement|letter|memo|filing|"
    r"proclamation|transcript|report)s?"
)
ATTRIBUTED = re.compile(
    # "In a joint declaration, ...", "..., according to a statement", "said in a release"
    rf"(?:^|[,;—]\s*|\b{REPORTING}\s+)(?:in|according\s+to|from)\s+(?:[\w’'-]+\s+){{0,4}}?"
    rf"{DOCUMENT}\b"
    # "the order reads", "a declaration in which they committed", "tweeted", "on Twitter"
    rf"|\b{DOCUMENT}\s+(?:{REPORTING}|reads?|states?|in\s+which|saying|stating)\b"
    r"|\btweet(?:ed|ing)\b"
    r"|\b(?:on|to)\s+(?:Twitter|Facebook|Instagram)\b",
    re.IGNORECASE,
)


def find_rewrites(
    alignment: Alignment, articles: list[Article], quotes: list[Quote]
) -> list[Rewrite]:
    """Pairs where one article follows another sentence by sentence, reworded or copied, in
    the outlet's own prose: quotes, and sentences giving a document's words, are left out
    before the pair's sentences are aligned again. The event's alignment only picks out the
    pairs worth that second look."""
    count = Counter(s.article for s in alignment.sentences)
    hits = _hits(alignment)
    triples: dict[str, set[tuple[str, ...]]] = {}
    rewrites = []
    for a, b in combinations(articles, 2):
        if max(_share(hits, count, a.id, b.id), _share(hits, count, b.id, a.id)) < REWRITE_SHARE:
            continue
        prose = align_sentences([own_prose(a), own_prose(b)])
        own, followed = Counter(s.article for s in prose.sentences), _hits(prose)
        share_ab = _share(followed, own, a.id, b.id)
        share_ba = _share(followed, own, b.id, a.id)
        in_order = {x: _in_order(prose, x) for x in (a.id, b.id)}
        if min(in_order.values()) < MIN_OWN_SENTENCES or max(share_ab, share_ba) < REWRITE_SHARE:
            continue
        details = {x: own[x] - followed[x, y] for x, y in ((a.id, b.id), (b.id, a.id))}
        by_time = _first_by_time(a, b)
        by_details = (
            None if details[a.id] == details[b.id] else max(details, key=details.__getitem__)
        )
        # Time decides when it can; then details; then the one the other covers more of.
        first_id = by_time or by_details or (b.id if share_ab >= share_ba else a.id)
        first, second = (a, b) if first_id == a.id else (b, a)
        for article in (first, second):
            if article.id not in triples:
                triples[article.id] = _triples(own_prose(article))
        copy = triples[second.id]
        aligned = _pairs(prose, second.id)
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
                aligned=aligned,
                swapped_share=_swapped_share(aligned),
            )
        )
    return rewrites


def own_prose(article: Article) -> Article:
    """The article as its outlet wrote it: without direct quotes, and without the sentences
    that give a document's words."""
    paragraphs = []
    for paragraph in article.paragraphs:
        kept = [s for s in sentences(QUOTE.sub(" ", paragraph)) if not ATTRIBUTED.search(s)]
        if kept:
            paragraphs.append(" ".join(kept))
    # the cleaning's forms are of the paragraphs as written: these are found anew
    return replace(article, paragraphs=paragraphs, normalised=[])


def _hits(alignment: Alignment) -> Counter[tuple[str, str]]:
    """(a, b) -> a's sentences with one alike in b."""
    hits: Counter[tuple[str, str]] = Counter()
    for sentence, alike in zip(alignment.sentences, alignment.alike, strict=True):
        hits.update(
            {
                (sentence.article, alignment.sentences[other].article)
                for other, similarity in alike
                if similarity >= REWRITE_SENTENCE
            }
        )
    return hits


def _share(hits: Counter[tuple[str, str]], count: Counter[str], a: str, b: str) -> float:
    return hits[a, b] / count[a] if count[a] else 0.0


def _best(alignment: Alignment, article: str) -> list[tuple[int, int]]:
    """(sentence, its most alike sentence of the other article), for the article's sentences
    that have one from REWRITE_SENTENCE up, in reading order."""
    found = []
    for number, sentence in enumerate(alignment.sentences):
        if sentence.article != article:
            continue
        alike = [(score, other) for other, score in alignment.alike[number]]
        score, other = max(alike, default=(0.0, -1))
        if score >= REWRITE_SENTENCE:
            found.append((number, other))
    return found


def _in_order(alignment: Alignment, article: str) -> int:
    """How many of the article's aligned sentences follow the other article's in its order:
    the longest run of counterparts that only moves forward (not necessarily adjacent)."""
    tails: list[int] = []
    for _, other in _best(alignment, article):
        at = bisect_left(tails, other)
        tails[at : at + 1] = [other]
    return len(tails)


def _pairs(alignment: Alignment, article: str) -> list[tuple[str, str]]:
    """The article's aligned sentences, each with its counterpart."""
    return [
        (alignment.sentences[i].text, alignment.sentences[j].text)
        for i, j in _best(alignment, article)
    ]


def _swapped_share(pairs: list[tuple[str, str]]) -> float:
    """Of the words of the aligned sentences, the share replaced by others in their place (up
    to MAX_SWAP words by up to as many): what a synonym-swapping tool leaves."""
    swapped = total = 0
    for text, other in pairs:
        x, y = normalised(text).split(), normalised(other).split()
        total += len(x)
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
            if tag == "replace" and max(i2 - i1, j2 - j1) <= MAX_SWAP:
                swapped += i2 - i1
    return round(swapped / total, 2) if total else 0.0


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
    """Rewrites that follow their original sentence by sentence in nearly all their own prose,
    in several sentences, yet keep few of its word sequences and swap a good share of its words
    one for one: the mark of a rewriting tool. Anything less is no grounds to say so."""
    return {
        r.article: r.of
        for r in rewrites
        if r.verbatim_share < VERBATIM_SHARE
        and r.similarity >= MACHINE_SHARE
        and len(r.aligned) >= MACHINE_SENTENCES
        and r.swapped_share >= MACHINE_SWAPPED
    }


def _triples(article: Article) -> set[tuple[str, ...]]:
    words = normalised(article.text).split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
