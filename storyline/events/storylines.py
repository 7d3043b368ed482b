"""Storylines: events of one running story that happen at different times.

Two events belong to one storyline when their articles, taken together, use alike words and
name the same people (the defence ministers meeting in Berlin, then in Paris), whatever their
dates. Events meet their most alike neighbours through an index of their most distinctive
terms, never all pairs; storylines then grow by average linkage over those links, so that a
storyline's events are alike on average and one story does not chain into the next through
an event that touches both.

An event's words are counted where its articles' texts are (`event_terms`, on the workers);
the building process gathers only the counts (`TermCounts`), each term once.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

import numpy as np
import scipy.sparse as sp

from ..config import Config
from ..model import Article, Event, Storyline, Terms
from ..text import fold, spelled_in_full
from .clues import entities
from .group import BLOCK, FLOOR, SparseVector, TermIndex, min_df, weighted_vectors, word_terms
from .kept import Kept

NEIGHBOURS = 5  # most alike events considered per event


def event_terms(event: Event, articles: list[Article]) -> Terms:
    """The words and names of an event, its articles' texts at hand, counted as
    `group.article_vectors` counts an article's: the event is one document of its title and
    its articles' texts."""
    text = "\n\n".join([event.title, event.title, *(a.text for a in articles)])
    names = Counter(key for a in articles for key in entities(a))
    return Terms(dict(Counter(word_terms()(text))), dict(names))


class TermCounts:
    """The events' term counts, by event fingerprint, as compact as they come: each term
    once, each event's counts as two arrays. The build's store keeps them whole, so that an
    edit adds the counts of the events it made and reads no other event's (`only`)."""

    def __init__(self) -> None:
        self.words = _Counts()
        self.names = _Counts()

    def add(self, event: str, terms: Terms) -> None:
        self.words.add(event, terms.words)
        self.names.add(event, terms.names)

    def __contains__(self, event: str) -> bool:
        return event in self.words.rows

    def only(self, events: list[str]) -> TermCounts:
        """The counts of these events alone, and only their terms."""
        kept = TermCounts()
        kept.words, kept.names = self.words.only(events), self.names.only(events)
        return kept


class _Counts:
    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self.rows: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, event: str, counts: dict[str, int]) -> None:
        ids = [self.terms.setdefault(term, len(self.terms)) for term in counts]
        self.rows[event] = (
            np.array(ids, dtype=np.int32),
            np.array(list(counts.values()), dtype=np.float32),
        )

    def only(self, events: list[str]) -> _Counts:
        rows = [self.rows[e] for e in events]
        ids = np.concatenate([i for i, _ in rows] or [np.zeros(0, np.int32)])
        used = np.unique(ids)
        renumbered = np.zeros(len(self.terms), dtype=np.int32)
        renumbered[used] = np.arange(len(used), dtype=np.int32)
        kept = _Counts()
        terms = list(self.terms)
        kept.terms = {terms[i]: n for n, i in enumerate(used.tolist())}
        kept.rows = {e: (renumbered[i], c) for e, (i, c) in zip(events, rows, strict=True)}
        return kept

    def __getstate__(self) -> tuple:
        """Every event's arrays end to end: thousands of small arrays pickle and load many
        times slower than two long ones."""
        rows = list(self.rows.values())
        return (
            list(self.terms),
            list(self.rows),
            np.concatenate([i for i, _ in rows] or [np.zeros(0, np.int32)]),
            np.concatenate([c for _, c in rows] or [np.zeros(0, np.float32)]),
            np.cumsum([len(i) for i, _ in rows], dtype=np.int64),
        )

    def __setstate__(self, state: tuple) -> None:
        terms, events, ids, counts, ends = state
        self.terms = dict(zip(terms, range(len(terms)), strict=True))
        starts = [0, *ends[:-1].tolist()]
        self.rows = {
            e: (ids[a:b], counts[a:b])
            for e, a, b in zip(events, starts, ends.tolist(), strict=True)
        }

    def matrix(self, events: list[str]) -> sp.csr_matrix:
        """The events' counts in rows, as CountVectorizer counts documents: the columns are
        the terms of at least `min_df` of them, in alphabetical order; one empty column when
        no term is left."""
        rows = [self.rows[e] for e in events]
        ids = np.concatenate([i for i, _ in rows] or [np.zeros(0, np.int32)])
        counts = np.concatenate([c for _, c in rows] or [np.zeros(0, np.float32)])
        df = np.bincount(ids, minlength=len(self.terms))
        least = min_df(len(events))
        terms = list(self.terms)
        kept = sorted(terms[i] for i in np.flatnonzero(df >= least).tolist())
        if not kept:
            return sp.csr_matrix((len(events), 1), dtype=np.float32)
        column = np.full(len(self.terms), -1, dtype=np.int64)
        column[[self.terms[t] for t in kept]] = np.arange(len(kept))
        where = column[ids]
        found = where >= 0
        # the entries kept before each row's end
        kept_before = np.concatenate([[0], np.cumsum(found)])
        indptr = np.concatenate([[0], kept_before[np.cumsum([len(i) for i, _ in rows])]])
        matrix = sp.csr_matrix(
            (counts[found], where[found], indptr), shape=(len(events), len(kept))
        )
        matrix.sort_indices()
        return matrix


class Names(Kept[str]):
    """Storylines' names (`_name`), each kept by a hash of what naming reads of its events
    (their people, titles and importance, in the storyline's order) and `salt` (the code that
    names): given the last build's (`known`), an edit names again only the storylines whose
    events it changed. What to keep for the next build: `made`, of the names in `used`."""

    def __call__(self, events: list[Event]) -> str:
        read = [(e.people, e.title, e.importance) for e in events]
        return self.result(read, lambda: _name(events), lambda kept: isinstance(kept, str))


def storylines(
    events: list[Event], counts: TermCounts, config: Config, names: Names
) -> list[Storyline]:
    """Link the events into storylines (an event alone is a storyline of one) and mark each
    event with its storyline's id. `counts` holds each event's terms by its fingerprint;
    `names` names a storyline. Storylines come oldest first."""
    if not events:
        return []
    keys = [e.fingerprint for e in events]
    vectors = weighted_vectors(
        counts.words.matrix(keys), counts.names.matrix(keys), config.entity_weight
    )
    alike = linked(TermIndex(vectors))
    floor = max(config.storyline_similarity, FLOOR)
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, len(events), BLOCK):
        rows = np.arange(start, min(start + BLOCK, len(events)))
        # as `TermIndex.similarities` gives them: -1 for the rows that share no distinctive
        # term, so that the nearest are chosen among the same values in the same places
        similarity = np.full((len(rows), len(events)), -1.0, dtype=np.float32)
        block = alike[start : rows[-1] + 1]
        similarity[np.repeat(rows - start, np.diff(block.indptr)), block.indices] = block.data
        count = min(NEIGHBOURS, similarity.shape[1])
        nearest = np.argpartition(-similarity, count - 1, axis=1)[:, :count]
        for r, i in enumerate(rows):
            for k in nearest[r]:
                if similarity[r, k] >= floor:
                    pairs[(min(int(i), int(k)), max(int(i), int(k)))] = float(similarity[r, k])
    # average linkage over the links, most alike first: a storyline's events are alike on
    # average, so that one story does not chain into the next through a shared word or two
    sums = {i: SparseVector.row(vectors, i) for i in range(len(events))}
    owner = list(range(len(events)))
    members_of = {i: [i] for i in range(len(events))}
    for (i, k), _ in sorted(pairs.items(), key=lambda p: (-p[1], p[0])):
        a, b = owner[i], owner[k]
        if a == b:
            continue
        size_a, size_b = len(members_of[a]), len(members_of[b])
        if sums[a].dot(sums[b]) / (size_a * size_b) < config.storyline_similarity:
            continue
        a, b = (a, b) if size_a >= size_b else (b, a)
        sums[a] = sums[a] + sums.pop(b)
        for m in members_of[b]:
            owner[m] = a
        members_of[a] += members_of.pop(b)

    members: dict[int, list[Event]] = {
        root: [events[i] for i in sorted(found)] for root, found in members_of.items()
    }
    groups = list(members.values())
    for group in groups:
        group.sort(key=_when)
    named = [names(group) for group in groups]
    # two stories that share their people ("White House" twice) are told apart by what
    # happened: each is named by its most important event
    taken = Counter(named)
    named = [_headline(g) if taken[n] > 1 else n for g, n in zip(groups, named, strict=True)]
    lines = []
    for group, name in zip(groups, named, strict=True):
        line = Storyline(
            id="s" + hashlib.sha1(group[0].id.encode()).hexdigest()[:9],
            title=name,
            events=[e.id for e in group],
        )
        for event in group:
            event.storyline = line.id
        lines.append(line)
    first = {e.id: e for e in events}
    return sorted(lines, key=lambda line: _when(first[line.events[0]]))


def linked(index: TermIndex) -> sp.csr_matrix:
    """The similarity of each two rows that share one of their distinctive terms, in a
    symmetric matrix (none on the diagonal): `TermIndex.similarities` of every row, to the bit,
    each pair multiplied once. That multiplied every row by every row, each pair twice."""
    usable = np.diff(index.postings.indptr) <= index.limit
    top = index.top[:, usable].tocsr()
    upper = sp.triu(top @ top.T, k=1, format="csr")
    upper.sort_indices()
    # its split of the terms, so that each similarity is summed as it sums it
    rare, common = index._split
    values = np.empty(upper.nnz, dtype=np.float32)
    count = upper.shape[0]
    for start in range(0, count, BLOCK):  # a block of rows, by the rows after its first
        end = min(start + BLOCK, count)
        first, last = upper.indptr[start], upper.indptr[end]
        if first == last:
            continue
        alike = (rare[start:end] @ rare[start:].T).toarray() + common[start:end] @ common[start:].T
        rows = np.repeat(np.arange(end - start), np.diff(upper.indptr[start : end + 1]))
        values[first:last] = alike[rows, upper.indices[first:last] - start]
    found = sp.csr_matrix((values, upper.indices, upper.indptr), shape=upper.shape)
    return (found + found.T).tocsr()


def _when(event: Event) -> tuple:
    return (event.date is None, event.date, event.id)


def _name(events: list[Event]) -> str:
    """The names the storyline's events share most, or its most important event's title."""
    if len(events) > 1:
        spellings: dict[str, list[str]] = defaultdict(list)
        for name in (name for event in events for name in event.people):
            spellings[fold(name)].append(name)
        spelled = {key: spelled_in_full(names) for key, names in spellings.items()}
        shared = Counter(key for e in events for key in dict.fromkeys(fold(n) for n in e.people))
        common = [spelled[key] for key, n in shared.most_common(3) if n > 1]
        if common:
            return ", ".join(common[:-1]) + (" and " if len(common) > 1 else "") + common[-1]
    return _headline(events)


def _headline(events: list[Event]) -> str:
    """The title of the storyline's most important event."""
    return max(events, key=lambda e: (e.importance, -len(e.title))).title
