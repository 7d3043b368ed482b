"""Group stage: articles that report one happening become one Group.

Each article is a vector of its distinctive words (TF-IDF) and of the names it mentions.
Candidate pairs come only from articles whose own days are within a window of each other, a
block of days at a time, and for undated articles from an index of their most distinctive
terms, so that 100,000 articles never meet all 5 billion pairs. Clusters then grow by average
linkage, the pairs fewest days apart first and the most alike among them: two join when
their articles are alike on average, less the days between them (time-decayed similarity)
and a penalty for conflicting evidence (their places or weekdays different, one outlet
reporting in both), so that the Berlin and Paris meetings of the same ministers stay apart
though their words overlap. An event is one happening: no article further than
`max_days_apart` from the event's day, no two groups of dated reports from different days, no
datelines of two cities, no two majorities of reports naming different weekdays. An undated
report's day is unknown, not the same as any: a dated report meets it only after the more alike
reports of its own span. A second pass lets fragments of one or two articles join the larger
event whose centroid they fit. An explicit `event:` key always wins.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from ..config import Config
from ..model import Article, Group
from ..text import stop_words
from .clues import Clues, entities, first_place, known_places, lead_blocks, lead_weekday

TOKEN = r"(?u)\b[^\W\d_][\w'-]+\b"
INDEX_TERMS = 25  # an article's most distinctive terms, through which candidates are found
NEIGHBOURS = 12  # candidate partners kept per article
BLOCK = 512  # dated articles compared with their window at a time
# a window of more articles than this (a corpus of one day) is searched through the term
# index instead, so that each article meets a bounded number of others: linear, not quadratic
CROWDED = 16 * BLOCK
POSTING_ROWS = 200  # the rows of one term's posting an article meets at most: its nearest
BLOCK_DAYS = 56  # the shortest calendar blocks whose articles are grouped apart (time_runs)
MIN_RUN = 1000  # articles a calendar block holds at least, on average
FLOOR = 0.08  # similarity below which a pair is not a candidate
DENSE_TERMS = 1024  # the commonest terms, multiplied as dense columns (TermIndex.similarities)
FRAGMENT = 2  # a cluster of at most this many articles may attach to a larger one
WEEKDAY_MAJORITY = 3  # reports that agree on a weekday against another group's weekday
# what one outlet in both groups takes off their similarity: an outlet reports a happening
# once, mostly; its second report on a story is more often the next development
OUTLET_PENALTY = 0.1


@dataclass(frozen=True)
class SparseVector:
    """A sparse vector as sorted term indices and weights: sums and dot products of a few
    hundred terms in microseconds, where scipy's per-call cost is a hundred times that."""

    terms: np.ndarray
    weights: np.ndarray

    @classmethod
    def row(cls, matrix: sp.csr_matrix, index: int) -> SparseVector:
        """Row `index` of a CSR matrix whose indices are sorted."""
        start, end = matrix.indptr[index], matrix.indptr[index + 1]
        return cls(matrix.indices[start:end].copy(), matrix.data[start:end].astype(np.float64))

    def dot(self, other: SparseVector) -> float:
        small, large = (self, other) if len(self.terms) <= len(other.terms) else (other, self)
        if not len(small.terms) or not len(large.terms):
            return 0.0
        at = np.minimum(np.searchsorted(large.terms, small.terms), len(large.terms) - 1)
        hit = large.terms[at] == small.terms
        return float(small.weights[hit] @ large.weights[at[hit]])

    def __add__(self, other: SparseVector) -> SparseVector:
        terms = np.concatenate([self.terms, other.terms])
        weights = np.concatenate([self.weights, other.weights])
        order = np.argsort(terms, kind="stable")
        unique, starts = np.unique(terms[order], return_index=True)
        return SparseVector(unique, np.add.reduceat(weights[order], starts))


@dataclass
class _Cluster:
    members: list[int]
    vector: SparseVector  # sum of the members' vectors: average linkage in one product
    days: Counter[date] = field(default_factory=Counter)  # the dated members' own days
    day: date | None = None  # the event's day: the median of `days`
    places: set[str] = field(default_factory=set)
    datelines: set[str] = field(default_factory=set)  # places of "BERLIN (AA) -" datelines
    weekdays: set[int] = field(default_factory=set)  # of members that have only a weekday
    # the weekdays of the members' happenings: a dated one's own day's, an undated one's lead's
    votes: Counter[int] = field(default_factory=Counter)
    key: str | None = None
    outlets: set[str] = field(default_factory=set)  # the `source`s of its articles


def _median(days: Counter[date]) -> date:
    """The (lower) median of days counted with their multiplicity."""
    half, seen = (days.total() + 1) // 2, 0
    for day in sorted(days):
        seen += days[day]
        if seen >= half:
            return day
    raise ValueError("no days")


@dataclass(frozen=True)
class GroupInput:
    """What grouping reads of an article: its words and names counted (in the order of their
    first use, which orders the vectors' sums) and its clues, less the place its lead names,
    which depends on the run's other articles. Small beside the article: the build's store
    keeps it, so that an edit regroups a run without reading its articles again."""

    id: str
    source: str | None
    words: dict[str, int]
    names: dict[str, int]
    day: date | None
    weekday: int | None  # its day's, else the one its lead names
    place: str | None  # its dateline's
    lead: tuple[str, ...]  # where its lead may name a place
    event_key: str | None

    @classmethod
    def of(cls, article: Article) -> GroupInput:
        # the headline says what happened: its words count twice
        title = article.title or ""
        day = article.day
        return cls(
            id=article.id,
            source=article.source,
            words=dict(Counter(word_terms()(f"{title}\n{title}\n{article.text}"))),
            names=dict(Counter(entities(article))),
            day=day,
            weekday=day.weekday() if day else lead_weekday(article),
            place=article.place,
            lead=tuple(lead_blocks(article)),
            event_key=article.event_key,
        )

    def clues(self, places: frozenset[str]) -> Clues:
        place = self.place or first_place(self.lead, places)
        return Clues(self.day, self.weekday, place, self.event_key, self.place)


def group_articles(articles: list[Article], config: Config) -> list[Group]:
    """Partition the articles into events: each run of `time_runs` grouped apart, then
    the runs' groups joined where they agree (`joined`)."""
    runs = time_runs([a.day for a in articles], config, lambda: [entities(a) for a in articles])
    # read run by run, so that only one run's counts are held at a time
    found = [group_run([GroupInput.of(articles[i]) for i in run], config) for run in runs]
    return [
        Group([articles[i] for i in members])
        for members in joined([a.event_key for a in articles], runs, found)
    ]


def time_runs(
    days: list[date | None],
    config: Config,
    names: Callable[[], list[Iterable[str]]],
) -> list[list[int]]:
    """The articles (by index) each run groups on its own. The dated articles fall in
    calendar blocks (`block_days`); a block's run also takes the articles within the candidate
    window before and after it, so that an event across the block's edge is seen whole by one
    run at least. Blocks are fixed on the calendar, so an edit changes the runs it falls in
    only. An undated article may join any event: when the dated articles fill one block, the
    corpus is one run; else each undated article goes to the run of the block whose articles
    carry its rare names (`undated_homes`; `names()` gives each article's names, read only
    then), and those that no dated article shares a rare name with form a run of their own.
    `days` are the articles' own days (`main_day`)."""
    dated = [i for i, day in enumerate(days) if day]
    if not dated:
        return [list(range(len(days)))] if days else []
    ordinals = np.array([days[i].toordinal() for i in dated], dtype=np.int64)
    span = block_days(ordinals)
    margin = config.candidate_window_days
    lows = np.unique(ordinals // span) * span
    if len(lows) == 1:
        return [list(range(len(days)))]
    runs = [
        [
            i
            for i, day in zip(dated, ordinals.tolist(), strict=True)
            if low - margin <= day < low + span + margin
        ]
        for low in lows.tolist()
    ]
    if len(dated) == len(days):
        return runs
    blocks = np.searchsorted(lows, ordinals // span * span).tolist()
    homes = undated_homes(names(), dict(zip(dated, blocks, strict=True)))
    alone = [i for i, day in enumerate(days) if day is None and homes.get(i) is None]
    for i, block in sorted(homes.items()):
        runs[block].append(i)
    return [sorted(run) for run in runs] + ([alone] if alone else [])


def undated_homes(names: list[Iterable[str]], blocks: dict[int, int]) -> dict[int, int]:
    """For the undated articles (by index; `blocks` gives each dated article's calendar
    block), the block whose run groups them: the block whose dated articles carry their rare
    names, each name's vote shared among its carriers, so that a name few articles carry
    counts most (the first block of a tie). A name is rare when at most a twentieth of the
    articles (20 at least) carry it: a name that many carry links stories, not reports. An
    undated article that shares no rare name with a dated one has no home."""
    distinct = [dict.fromkeys(found) for found in names]
    # only the names an undated article carries can vote
    wanted = {name for i, found in enumerate(distinct) if i not in blocks for name in found}
    carriers: dict[str, list[int]] = {}
    for i, found in enumerate(distinct):
        for name in found:
            if name in wanted:
                carriers.setdefault(name, []).append(i)
    limit = max(20, len(distinct) // 20)
    votes: dict[int, Counter[int]] = {}
    for rows in carriers.values():
        if len(rows) > limit:
            continue
        found = Counter(blocks[j] for j in rows if j in blocks)
        for i in rows:
            if i not in blocks and found:
                share = votes.setdefault(i, Counter())
                for block, count in found.items():
                    share[block] += count / len(rows)
    return {i: min(share, key=lambda b: (-share[b], b)) for i, share in votes.items()}


def block_days(ordinals: np.ndarray) -> int:
    """The length of the calendar blocks: BLOCK_DAYS, doubled until the blocks hold MIN_RUN
    articles on average or one block holds them all. Words are weighed by how many of a run's
    articles use them, which a few dozen articles cannot tell (a sparse corpus is one run)."""
    span = BLOCK_DAYS
    while len(ordinals) and len(ordinals) < MIN_RUN * len(np.unique(ordinals // span)):
        if len(np.unique(ordinals // span)) == 1:
            break
        span *= 2
    return span


class _DisjointSet:
    """The sets 0..count-1 joined by `merge`, found by their root (`[i]`), as SciPy's
    `DisjointSet` finds them: importing scipy.cluster for it cost a quarter of a CPU-second of
    every build that groups."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))
        self.size = [1] * count

    def __getitem__(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # halve the path for the next look-up
            i = parent[i]
        return i

    def connected(self, i: int, j: int) -> bool:
        return self[i] == self[j]

    def merge(self, i: int, j: int) -> None:
        a, b = self[i], self[j]
        if a != b:
            a, b = (a, b) if self.size[a] >= self.size[b] else (b, a)
            self.parent[b] = a
            self.size[a] += self.size[b]


def joined(
    event_keys: list[str | None], runs: list[list[int]], groups: list[list[list[int]]]
) -> list[list[int]]:
    """One partition of the articles (by index; `event_keys` are theirs) from the runs'
    (`groups[r]`: run r's groups, as indices into the run): two articles are one event when
    every run that holds both puts them together. Articles of one `event:` key are one
    event."""
    where: dict[int, dict[int, int]] = {}  # article -> run -> its group in that run
    for r, (run, found) in enumerate(zip(runs, groups, strict=True)):
        for g, members in enumerate(found):
            for m in members:
                where.setdefault(run[m], {})[r] = g
    events = _DisjointSet(len(event_keys))
    for run, found in zip(runs, groups, strict=True):
        for members in found:
            for n, a in enumerate(members):
                for b in members[n + 1 :]:
                    i, j = run[a], run[b]
                    if not events.connected(i, j) and all(
                        where[i][r] == where[j][r] for r in where[i].keys() & where[j].keys()
                    ):
                        events.merge(i, j)
    by_key: dict[str, int] = {}
    for i, key in enumerate(event_keys):
        if key is not None:
            events.merge(by_key.setdefault(key, i), i)
    members_of: dict[int, list[int]] = {}
    for i in range(len(event_keys)):
        members_of.setdefault(events[i], []).append(i)
    return list(members_of.values())


def group_run(articles: list[GroupInput], config: Config) -> list[list[int]]:
    """Partition one run's articles into events, as lists of indices."""
    if not articles:
        return []
    places = known_places(a.place for a in articles)
    clues = [a.clues(places) for a in articles]
    vectors = article_vectors(articles, config.entity_weight)
    clusters = {
        i: _cluster(i, vectors, clues[i], article.source) for i, article in enumerate(articles)
    }
    owner = list(range(len(articles)))

    def merge(a: int, b: int) -> None:
        keep, gone = clusters[a], clusters.pop(b)
        keep.members += gone.members
        keep.vector = keep.vector + gone.vector
        keep.days += gone.days
        keep.day = _median(keep.days) if keep.days else None
        keep.places |= gone.places
        keep.datelines |= gone.datelines
        keep.weekdays |= gone.weekdays
        keep.votes += gone.votes
        keep.key = keep.key or gone.key
        keep.outlets |= gone.outlets
        for member in gone.members:
            owner[member] = a

    by_key: dict[str, int] = {}
    for i, clue in enumerate(clues):
        if clue.key is not None:
            if clue.key in by_key and owner[i] != owner[by_key[clue.key]]:
                merge(owner[by_key[clue.key]], owner[i])
            by_key.setdefault(clue.key, i)

    pairs = _candidate_pairs(vectors, clues, config)
    for i, j in pairs:
        a, b = owner[i], owner[j]
        if a == b:
            continue
        if _linkage(clusters[a], clusters[b], config) >= config.similarity:
            merge(a, b) if len(clusters[a].members) >= len(clusters[b].members) else merge(b, a)
    # second pass: fragments of one or two articles join the larger event they fit
    for i, j in pairs:
        big, small = sorted((owner[i], owner[j]), key=lambda c: -len(clusters[c].members))
        if big == small or len(clusters[small].members) > FRAGMENT:
            continue
        if (
            len(clusters[big].members) > len(clusters[small].members)
            and _attachment(clusters[big], clusters[small], config) >= config.attach_similarity
        ):
            merge(big, small)
    return sorted((sorted(c.members) for c in clusters.values()), key=lambda m: m[0])


def article_vectors(articles: list[GroupInput], entity_weight: float) -> sp.csr_matrix:
    """Unit vectors whose dot product is (1 - w) * word similarity + w * name similarity."""
    least = min_df(len(articles))
    words = term_counts((a.words for a in articles), least)
    return weighted_vectors(words, term_counts((a.names for a in articles), least), entity_weight)


def term_counts(documents: Iterable[list[str] | dict[str, int]], least: int) -> sp.csr_matrix:
    """The documents' term counts as scikit-learn's `CountVectorizer(min_df=least)` counts
    them, entry for entry (the vectors' sums depend on the order): the columns are the terms
    of at least `least` documents, in alphabetical order, or one empty column when none is; a
    row's entries come in the order the corpus first used their terms. A document is its
    terms, or its terms counted in the order of their first use. The documents are taken one
    at a time, so that a run's words are never all held at once."""
    first: dict[str, int] = {}  # term: when the corpus first used it
    ids: list[int] = []
    counts: list[int] = []
    lengths: list[int] = []
    for document in documents:
        counted = Counter(document)  # in the order of first use
        terms = [first.setdefault(t, len(first)) for t in counted]
        row = sorted(zip(terms, counted.values(), strict=True))
        ids += [n for n, _ in row]
        counts += [count for _, count in row]
        lengths.append(len(row))
    rows_count = len(lengths)
    used = np.array(ids, dtype=np.int64)
    eligible = (np.bincount(used, minlength=len(first)) >= least).tolist()
    kept = sorted(t for t, n in first.items() if eligible[n])
    if not kept:
        return sp.csr_matrix((rows_count, 1), dtype=np.float32)
    column = np.full(len(first), -1, dtype=np.int64)
    column[[first[t] for t in kept]] = np.arange(len(kept))
    columns = column[used]
    found = columns >= 0
    rows = np.repeat(np.arange(rows_count), lengths)[found]
    indptr = np.zeros(rows_count + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=rows_count), out=indptr[1:])
    data = np.array(counts, dtype=np.float32)[found]
    return sp.csr_matrix(
        (data, columns[found].astype(np.int32), indptr), shape=(rows_count, len(kept))
    )


def word_terms() -> Callable[[str], list[str]]:
    """What `article_vectors` counts as a text's words (as its CountVectorizer's analyzer
    does: lower-cased, by TOKEN, less English stop words): a function of a text to its words.
    Without scikit-learn, which takes seconds to load."""
    token, stop = re.compile(TOKEN), stop_words()
    return lambda text: [w for w in token.findall(text.lower()) if w not in stop]


def min_df(documents: int) -> int:
    # Words and names found in a single document cannot link it to another; on a small corpus
    # (fewer than 20 documents) they are kept so that the vectors are not empty.
    return 2 if documents >= 20 else 1


def weighted_vectors(
    words: sp.csr_matrix, names: sp.csr_matrix, entity_weight: float
) -> sp.csr_matrix:
    """Documents' word and name counts (columns of terms in two or more documents, or of all
    terms under 20 documents) as unit TF-IDF vectors, the names weighed by `entity_weight`."""
    blocks = [
        _unit_tfidf(words) * np.sqrt(1 - entity_weight),
        _unit_tfidf(names) * np.sqrt(entity_weight),
    ]
    vectors = _unit_rows(sp.hstack(blocks, format="csr"))
    vectors.sort_indices()  # SparseVector looks terms up by binary search
    return vectors


def _unit_tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """Unit rows of sublinear TF-IDF weights (1 + log of the count, times the smoothed idf),
    as scikit-learn's `TfidfTransformer(sublinear_tf=True)` makes them, operation for
    operation, so that the vectors are the same to the bit without loading scikit-learn."""
    dtype = counts.dtype if counts.dtype in (np.float32, np.float64) else np.float64
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(dtype)
    df += 1.0
    idf = np.full_like(df, counts.shape[0] + 1, dtype=dtype)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    weights = counts.astype(dtype, copy=True)
    np.log(weights.data, out=weights.data)
    weights.data += 1.0
    weights.data *= idf[weights.indices]
    return _unit_rows(_unit_rows(weights))  # the transformer's normalising, then ours


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The rows scaled to unit length as scikit-learn's `normalize` scales them: the squares
    (in the data's precision) summed in their order in double precision, each value divided
    in double precision; an empty row stays empty."""
    scaled = matrix.copy()
    squares = np.square(scaled.data).astype(np.float64)
    for start, end in itertools.pairwise(scaled.indptr.tolist()):
        total = np.cumsum(squares[start:end])[-1] if end > start else 0.0
        if total != 0.0:
            row = scaled.data[start:end].astype(np.float64) / np.sqrt(total)
            scaled.data[start:end] = row.astype(scaled.dtype)
    return scaled


def _cluster(index: int, vectors: sp.csr_matrix, clue: Clues, outlet: str | None) -> _Cluster:
    return _Cluster(
        members=[index],
        vector=SparseVector.row(vectors, index),
        days=Counter([clue.day] if clue.day else []),
        day=clue.day,
        places={clue.place} if clue.place else set(),
        datelines={clue.dateline} if clue.dateline else set(),
        weekdays={clue.weekday} if clue.weekday is not None and clue.day is None else set(),
        votes=Counter([clue.weekday] if clue.weekday is not None else []),
        key=clue.key,
        outlets={outlet} if outlet else set(),
    )


def _linkage(a: _Cluster, b: _Cluster, config: Config) -> float:
    """Average similarity of the two clusters' articles, less the time between their days and
    the evidence against them."""
    penalty = _penalty(a, b, config)
    if penalty is None or _weekday_conflict(a, b):
        return -1.0
    similarity = a.vector.dot(b.vector) / (len(a.members) * len(b.members))
    return similarity - _time_decay(a, b, config) - penalty


def _attachment(big: _Cluster, small: _Cluster, config: Config) -> float:
    """How well a fragment fits a larger event: the cosine of their centroids, less the
    evidence against them. An average over a large event's many articles sits low even for a
    fragment that belongs to it; its centroid does not. A fragment joins an event larger than
    FRAGMENT where at most one weak clue speaks against it, a smaller one where none does. A
    dated fragment does not join an event most of whose reports name another weekday: its
    weekday is its day's, a fact, where an undated fragment's may be background."""
    penalty = _penalty(big, small, config)
    allowed = config.place_penalty if len(big.members) > FRAGMENT else 0.0
    if penalty is None or penalty > allowed or (small.days and _weekday_conflict(big, small)):
        return -1.0
    norms = (big.vector.dot(big.vector) * small.vector.dot(small.vector)) ** 0.5
    similarity = big.vector.dot(small.vector) / norms if norms else 0.0
    return similarity - _time_decay(big, small, config) - penalty


def _time_decay(a: _Cluster, b: _Cluster, config: Config) -> float:
    """What the days between two clusters' days take off their similarity: `date_penalty` for
    each `max_days_apart` (time-decayed similarity, as in Miranda et al. 2018), so that the
    developments of a running story on consecutive days need far more in common to join
    than the reports of one day."""
    if a.day is None or b.day is None:
        return 0.0
    return _decay(abs((a.day - b.day).days), config)


def _decay(days: int, config: Config) -> float:
    """What `days` between two days take off a similarity."""
    return config.date_penalty * days / max(config.max_days_apart, 1)


def _penalty(a: _Cluster, b: _Cluster, config: Config) -> float | None:
    """What conflicting evidence takes off two clusters' similarity (places or weekdays
    different, an outlet in both); None when it forbids them to join: different event keys, a
    member's day too far from the joined event's day, datelines of two cities."""
    if a.key and b.key and a.key != b.key:
        return None
    penalty = 0.0
    if a.days and b.days:
        if not _within_span(a.days, b.days, config.max_days_apart):
            return None  # the event's span is bounded as a whole: no chain of developments
        if _dated_group(a) and _dated_group(b) and not a.days.keys() & b.days.keys():
            return None  # reports of one day against those of another: two developments
    elif (days_a := _weekdays(a)) and (days_b := _weekdays(b)) and not days_a & days_b:
        penalty += config.place_penalty  # "gathered Monday" against "met on Wednesday"
    if a.datelines and b.datelines and not a.datelines & b.datelines:
        return None  # filed from two different cities
    if a.places and b.places and not a.places & b.places:
        penalty += config.place_penalty  # places read from the text are a weaker clue
    if a.outlets & b.outlets:
        penalty += OUTLET_PENALTY
    return penalty


def _dated_group(cluster: _Cluster) -> bool:
    """Whether a cluster is two or more reports whose days are all known. An undated member
    may be of another group's day, so groups holding one are not known to be of different
    days: the span bound and the time decay still keep them apart when they are."""
    return len(cluster.members) > 1 and cluster.days.total() == len(cluster.members)


def _within_span(a: Counter[date], b: Counter[date], max_days_apart: int) -> bool:
    """Whether every day of the two lies within `max_days_apart` of their joint median: one
    happening's reports, not a story's developments chained day after day."""
    first, last = min(min(a), min(b)), max(max(a), max(b))
    if (last - first).days <= max_days_apart:
        return True  # the common case, without a median
    if (last - first).days > 2 * max_days_apart:
        return False
    centre = _median(a + b)
    return max(centre - first, last - centre).days <= max_days_apart


def _weekday_conflict(a: _Cluster, b: _Cluster) -> bool:
    """Whether the weekdays most of two groups' reports give differ, one group's by at least
    WEEKDAY_MAJORITY reports, where one group at least has undated reports: undated reports
    that mostly say "on Wednesday" are not the Tuesday happening of the same kind (a single
    report's other weekday may be background, a majority's is not). Dated groups are told
    apart by their days."""
    if a.days and b.days:
        return False
    strongest = max([*a.votes.values(), *b.votes.values(), 0])
    return strongest >= WEEKDAY_MAJORITY and not _modal(a.votes) & _modal(b.votes)


def _modal(votes: Counter[int]) -> set[int]:
    """The weekdays most votes give (ties all count); every weekday when none is given."""
    if not votes:
        return set(range(7))
    top = max(votes.values())
    return {d for d, n in votes.items() if n == top}


def _weekdays(cluster: _Cluster) -> set[int]:
    """The weekdays a cluster's happening fell on: its undated members' weekdays, or those of
    its days when they span less than a week."""
    if cluster.days and (max(cluster.days) - min(cluster.days)).days < 7:
        first, span = min(cluster.days), (max(cluster.days) - min(cluster.days)).days
        return {(first.weekday() + n) % 7 for n in range(span + 1)} | cluster.weekdays
    return cluster.weekdays


def _candidate_pairs(
    vectors: sp.csr_matrix, clues: list[Clues], config: Config
) -> list[tuple[int, int]]:
    """The pairs worth comparing, the fewest days apart first and the most similar first
    among them, each article with its nearest neighbours. Dated articles meet only the
    articles whose days are within the window, a block of days at a time; undated ones meet
    those that share one of their most distinctive terms (terms that a large share of the
    corpus carries link everything and are no index)."""
    pairs: dict[tuple[int, int], float] = {}
    index: TermIndex | None = None

    def term_index() -> TermIndex:
        nonlocal index
        index = index or TermIndex(vectors)
        return index

    def keep(i: int, columns: np.ndarray, similarity: np.ndarray) -> None:
        for k in np.argsort(-similarity)[:NEIGHBOURS]:
            if similarity[k] < FLOOR:
                break
            j = int(columns[k])
            if j != i:
                pairs[(min(i, j), max(i, j))] = float(similarity[k])

    days = np.array([c.day.toordinal() if c.day else -1 for c in clues])
    dated = np.flatnonzero(days >= 0)
    dated = dated[np.argsort(days[dated], kind="stable")]
    window = config.candidate_window_days
    for start in range(0, len(dated), BLOCK):
        rows = dated[start : start + BLOCK]
        low, high = days[rows[0]] - window, days[rows[-1]] + window
        columns = dated[(days[dated] >= low) & (days[dated] <= high)]
        if len(columns) > CROWDED:
            for i in rows:
                found, similarity = term_index().neighbours(int(i))
                near = (days[found] >= 0) & (np.abs(days[found] - days[i]) <= window)
                keep(int(i), found[near], similarity[near])
            continue
        block = products(vectors, rows, columns)
        for r, i in enumerate(rows):
            near = np.abs(days[columns] - days[i]) <= window
            keep(int(i), columns[near], block[r, near])

    for i in np.flatnonzero(days < 0):
        keep(int(i), *term_index().neighbours(int(i)))

    # the fewest days apart first, then the most alike: a day's reports gather into groups
    # before they meet another day's, so that a story's next development meets them as a group
    # (two groups of different days never join), not one report at a time. Undated reports
    # meet each other first. An undated report's day is unknown, not the dated one's: a dated
    # report meets it once it has met the reports of its span more alike than it, so that it
    # finds its own happening's reports before an undated twin of the same kind
    mixed = 0 < len(dated) < len(days)
    waits = _waits(pairs, days, config.max_days_apart) if mixed else None

    def apart(pair: tuple[int, int], similarity: float) -> int:
        i, j = pair
        if days[i] >= 0 and days[j] >= 0:
            return int(abs(days[i] - days[j]))
        if waits is None or max(days[i], days[j]) < 0:
            return 0  # two undated reports
        return waits(i if days[i] >= 0 else j, similarity)

    order = sorted(pairs.items(), key=lambda p: (apart(*p), -p[1], p[0]))
    return [pair for pair, _ in order]


def _waits(
    pairs: dict[tuple[int, int], float], days: np.ndarray, span: int
) -> Callable[[int, float], int]:
    """For a dated article and the similarity of an undated one: the most days between it and
    a candidate partner within `span` days that is more alike (0 when none is), found by
    binary search among its partners sorted by similarity."""
    partners: dict[int, list[tuple[float, int]]] = {}
    for (i, j), similarity in pairs.items():
        if days[i] >= 0 and days[j] >= 0 and abs(days[i] - days[j]) <= span:
            apart = int(abs(days[i] - days[j]))
            partners.setdefault(i, []).append((similarity, apart))
            partners.setdefault(j, []).append((similarity, apart))
    alike: dict[int, list[float]] = {}
    furthest: dict[int, list[int]] = {}  # the most days apart among the partners from here on
    for i, found in partners.items():
        found.sort()
        alike[i] = [similarity for similarity, _ in found]
        furthest[i] = list(itertools.accumulate((a for _, a in reversed(found)), max))[::-1]

    def wait(i: int, similarity: float) -> int:
        at = bisect.bisect_right(alike.get(i, []), similarity)
        return furthest[i][at] if at < len(alike.get(i, [])) else 0

    return wait


def products(vectors: sp.csr_matrix, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The similarities of `rows` to `columns`, dense: len(rows) * len(columns) products."""
    return (vectors[rows] @ vectors[columns].T).toarray()


class TermIndex:
    """Which rows share one of each row's most distinctive terms. Terms that a large share of
    the rows carry link everything and are left out."""

    def __init__(self, vectors: sp.csr_matrix):
        self.vectors = vectors
        self.top = top_terms(vectors)
        self.postings = self.top.tocsc()
        self.postings.sort_indices()  # `neighbours` finds a row's place by binary search
        self.limit = max(20, vectors.shape[0] // 20)

    @cached_property
    def _split(self) -> tuple[sp.csr_matrix, np.ndarray]:
        """The vectors as (their rarer terms, sparse; their DENSE_TERMS commonest, dense). A
        sparse product spends nearly all its time on the common terms, which BLAS
        multiplies many times faster as dense columns; the sum is the same product."""
        vectors = self.vectors
        carriers = np.bincount(vectors.indices, minlength=vectors.shape[1])
        common = np.zeros(vectors.shape[1], dtype=bool)
        common[np.argsort(-carriers, kind="stable")[:DENSE_TERMS]] = True
        return vectors[:, ~common].tocsr(), vectors[:, common].toarray()

    def similarities(self, rows: np.ndarray) -> np.ndarray:
        """For each of `rows`, its similarity to every row that shares one of its
        distinctive terms, -1 for the others and itself: `neighbours` for many rows in a
        few matrix products."""
        usable = np.diff(self.postings.indptr) <= self.limit
        shared = self.top[rows][:, usable] @ self.top[:, usable].T
        found = np.full((len(rows), self.vectors.shape[0]), -1.0, dtype=np.float32)
        rare, common = self._split
        alike = (rare[rows] @ rare.T).toarray() + common[rows] @ common.T
        hit = shared.toarray() > 0
        found[hit] = alike[hit]
        found[np.arange(len(rows)), rows] = -1.0
        return found

    def neighbours(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(other rows sharing a distinctive term with row i, their similarity to it). Of a
        term's rows, row i meets the POSTING_ROWS nearest to it in order (the corpus's order,
        mostly that of time), so that its work is bounded however large the corpus."""
        top, postings = self.top, self.postings
        found = []
        for term in top.indices[top.indptr[i] : top.indptr[i + 1]]:
            rows = postings.indices[postings.indptr[term] : postings.indptr[term + 1]]
            if len(rows) <= self.limit:
                at = int(np.searchsorted(rows, i))
                found.append(rows[max(0, at - POSTING_ROWS // 2) : at + POSTING_ROWS // 2])
        if not found:
            return np.array([], dtype=int), np.array([])
        columns = np.unique(np.concatenate(found))
        columns = columns[columns != i]
        return columns, products(self.vectors, np.array([i]), columns).ravel()


def top_terms(vectors: sp.csr_matrix) -> sp.csr_matrix:
    """A 0/1 matrix of each article's most distinctive terms."""
    rows, columns = [], []
    for i in range(vectors.shape[0]):
        start, end = vectors.indptr[i], vectors.indptr[i + 1]
        order = np.argsort(-vectors.data[start:end])[:INDEX_TERMS]
        columns.append(vectors.indices[start:end][order])
        rows.append(np.full(len(order), i))
    rows_all, columns_all = np.concatenate(rows), np.concatenate(columns)
    return sp.csr_matrix(
        (np.ones(len(rows_all), dtype=np.int8), (rows_all, columns_all)), shape=vectors.shape
    )
