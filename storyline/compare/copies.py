"""Copies: articles that run one text near word for word, as sites run an agency's story.

Each article is cut into word 5-grams (shingles). Articles whose shingles mostly agree are
copies of one text: the earliest of them stands for the group, and the rest are compared
through it. Finding them costs a MinHash signature per article and a look-up in hash buckets
(locality-sensitive hashing), then one exact check of each candidate against its group's
representative: linear in the articles, not quadratic, for a cluster of 400 copies as for 400
different articles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..model import Article, Copies

SHINGLE = 5  # words in a shingle
# The share of shingles (Jaccard) from which two texts are one, a few words changed: reports
# of one event by different outlets share under 0.3 in the real corpora (BASIL, AllSides,
# ECB+), agency copies in ECB+ 0.87 and up.
NEAR_COPY = 0.8
MIN_GROUP = 3  # a representative and two copies; a lone pair is compared as a rewrite pair
# MinHash: 64 hash functions in 16 bands of 4. Two texts meet in some band's bucket with
# likelihood 1 - (1 - J**4)**16: over 0.9998 from NEAR_COPY up, under 0.13 below 0.3.
BANDS, ROWS = 16, 4
# Hashing is modulo 2**64 (NumPy's unsigned arithmetic wraps), with fixed odd multipliers, so
# that every build finds the same copies: a shingle's number from its words' numbers, and
# each MinHash function h -> a * h + b.
PRIME = np.uint64(0x9E3779B97F4A7C15)
MULTIPLIERS, OFFSETS = np.random.default_rng(17).integers(
    1, 2**63, size=(2, BANDS * ROWS), dtype=np.uint64
)
MULTIPLIERS |= np.uint64(1)
# The articles that carry what some articles carry: those, each followed by its copies.
Credit = Callable[[Iterable[str]], list[str]]


@dataclass(frozen=True)
class Grouped:
    """An event's articles as the comparison sees them: one of each text, and its copies."""

    distinct: list[Article]  # the articles compared, in the event's order
    groups: list[Copies]  # each group of MIN_GROUP or more articles of one text

    @cached_property
    def copies(self) -> dict[str, list[str]]:
        """Representative -> its copies."""
        return {g.of: g.articles for g in self.groups}

    def credited(self, articles: Iterable[str]) -> list[str]:
        """The articles, each followed by its copies: all that carry what they carry."""
        return list(dict.fromkeys(c for a in articles for c in (a, *self.copies.get(a, ()))))


def group_copies(articles: list[Article]) -> Grouped:
    """Each article joins the group of the first earlier article whose text it shares from
    NEAR_COPY up; the event's order (oldest first) makes the earliest one representative."""
    vocabulary: dict[str, int] = {}
    shingles = [_shingles(a, vocabulary) for a in articles]
    buckets: dict[tuple[int, bytes], list[int]] = {}  # representatives by signature band
    members: dict[int, list[int]] = {}  # representative -> its copies, by position
    shares: dict[int, float] = {}
    for n, found in enumerate(shingles):
        if not found:  # no words, so no copy of anything
            members[n] = []
            continue
        signature = _signature(found)
        keys = [(band, signature[band].tobytes()) for band in range(BANDS)]
        candidates = sorted({r for key in keys for r in buckets.get(key, [])})
        for representative in candidates:
            if _jaccard(found, shingles[representative]) >= NEAR_COPY:
                members[representative].append(n)
                shares[n] = round(len(found & shingles[representative]) / len(found), 2)
                break
        else:
            members[n] = []
            for key in keys:
                buckets.setdefault(key, []).append(n)
    groups = [
        Copies(
            of=articles[first].id,
            articles=[articles[c].id for c in copies],
            identical={articles[c].id: shares[c] for c in copies},
        )
        for first, copies in members.items()
        if len(copies) + 1 >= MIN_GROUP
    ]
    copied = {c for g in groups for c in g.articles}
    return Grouped([a for a in articles if a.id not in copied], groups)


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """The share of their shingles two texts have in common."""
    common = len(a & b)
    union = len(a) + len(b) - common
    return common / union if union else 0.0


def _shingles(article: Article, vocabulary: dict[str, int]) -> frozenset[int]:
    """The article's word 5-grams, each as one number (its words' numbers, hashed)."""
    ids = np.array(
        [vocabulary.setdefault(w, len(vocabulary)) for w in article.normalised_words],
        dtype=np.uint64,
    )
    if len(ids) < SHINGLE:
        return frozenset(ids.tolist())
    hashed = np.zeros(len(ids) - SHINGLE + 1, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashed = hashed * PRIME + ids[offset : len(ids) - SHINGLE + 1 + offset]
    return frozenset(hashed.tolist())


def _signature(shingles: frozenset[int]) -> np.ndarray:
    """MinHash: per hash function, the least hash of the shingles; in BANDS rows of ROWS."""
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    hashed = values[:, None] * MULTIPLIERS + OFFSETS  # the high bits, which decide, mix all
    return hashed.min(axis=0).reshape(BANDS, ROWS)
