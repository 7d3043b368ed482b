"""Provenance: which articles rewrite another, sentence by sentence."""

from __future__ import annotations

from itertools import combinations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Article, Rewrite
from ..text import normalised, sentences

REWRITE_SENTENCE = 0.4  # content-word Jaccard at which a sentence counts as rewritten
REWRITE_SHARE = 0.6  # an article is a rewrite when this share of its sentences align
VERBATIM_SHARE = 0.7  # a rewrite keeping fewer of its word triples had words swapped, not copied


def _content_words(sentence: str) -> tuple[str, ...]:
    return tuple(w for w in normalised(sentence).split() if w not in ENGLISH_STOP_WORDS)


def find_rewrites(articles: list[Article]) -> list[Rewrite]:
    """Pairs where one article follows another sentence by sentence, reworded."""
    split = {
        a.id: [w for p in a.paragraphs for s in sentences(p) if len(w := _content_words(s)) >= 4]
        for a in articles
    }
    published = {a.id: a.published for a in articles}
    rewrites = []
    for a, b in combinations(articles, 2):
        share_ab = _aligned_share(split[a.id], split[b.id])
        share_ba = _aligned_share(split[b.id], split[a.id])
        if max(share_ab, share_ba) < REWRITE_SHARE:
            continue
        # The later one is the rewrite; undated, the one the other covers more of.
        pa, pb = published[a.id], published[b.id]
        if pa and pb and pa != pb:
            copy, original = (a, b) if pa > pb else (b, a)
        else:
            copy, original = (a, b) if share_ab >= share_ba else (b, a)
        rewrites.append(Rewrite(copy.id, original.id, round(max(share_ab, share_ba), 2)))
    return rewrites


def _aligned_share(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> float:
    """Share of a's sentences whose words mostly reappear in some sentence of b."""
    if not a or not b:
        return 0.0
    bags = [set(s) for s in b]
    hits = 0
    for sentence in a:
        words = set(sentence)
        best = max(len(words & bag) / len(words | bag) for bag in bags)
        hits += best >= REWRITE_SENTENCE
    return hits / len(a)


def machine_rewrites(articles: list[Article], rewrites: list[Rewrite]) -> dict[str, str]:
    """Rewrites that follow their original sentence by sentence yet keep few of its word
    sequences: the mark of synonyms swapped one for one, as rewriting tools do."""
    by_id = {a.id: a for a in articles}
    found = {}
    for rewrite in rewrites:
        copy, original = _triples(by_id[rewrite.article]), _triples(by_id[rewrite.of])
        if copy and len(copy & original) / len(copy) < VERBATIM_SHARE:
            found[rewrite.article] = rewrite.of
    return found


def _triples(article: Article) -> set[tuple[str, ...]]:
    words = normalised(article.text).split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
