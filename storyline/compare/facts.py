"""Facts: statements aligned across an event's articles, and the numbers and words they differ in.

A fact is one statement as one or more outlets report it: sentences of different articles
whose content words, by meaning, mostly agree, or that tell one thing in other words around
a distinctive name, number or day they share. A sentence that shares a few words rare in the
event with another outlet's tells that outlet's fact too ("echoes"): it is no outlet's alone,
though too loosely alike to join the fact. The amounts of one thing in a fact's sentences
("around fifteen nations", "at least 15 other countries") are compared: amounts that cannot
both be true, or the same amount hedged differently, are a discrepancy; so are two days or
two places of one act. Where the outlets' sentences swap one word or phrase for another in
one slot ("invasion" and "conflict"), that is a word choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations
from typing import TypeVar

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from ..model import Article, Discrepancy, Fact, Mention, Value, Wording
from ..places import places_named
from ..text import (
    CAPITAL,
    NAME_WORD,
    NUMBER_IN_WORDS,
    NUMBER_WORDS,
    fold,
    normalised,
    number_in_words,
    sentences,
    stop_words,
    words,
)
from .copies import Credit
from .meaning import loaded_words, sense, stem
from .quotes import REPORTING

T = TypeVar("T")

SAME_FACT = 0.3  # content-word Jaccard at which two sentences state one fact
SAME_AMOUNT = 0.05  # looser for two sentences that give one amount (2 shared words suffice)
SAME_CLAIM = 0.4  # content-word Jaccard from which two sentences' amounts are held together
PARAPHRASE = 0.5  # share of the shorter sentence's words (by meaning) in a paraphrase ...
MIN_SHARED = 3  # ... from this many, with a name or an amount in common
PLAIN_SHARE = 0.4  # or this share of the shorter's words that are no names, from MIN_SHARED
# Two sentences tell one fact in words of their own when they share this many words ...
ECHO_WORDS = 2
ECHO_SHARE = 0.24  # ... that weigh this share of the lighter one's, rarer words weighing more
MIN_SHARED_LEDE = 2  # two ledes sharing this many words state the event's central fact
# A capitalised word past a sentence's first: a name (weekdays and months are no detail)
CALENDAR = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"May|June|July|August|September|October|November|December)\b"
)
NAMED = re.compile(rf"(?<=\s)(?!{CALENDAR}){NAME_WORD}")
# A name as written: capitalised words in a row ("Texas Gov. Greg Abbott", "Key Bridge"), which
# one name or one place, by its last word, stands for
TITLED_WORD = rf"{CAPITAL}\w*(?:[-'’.]\w+)*\.?"  # a name's word, or a title: "Gov.", "U.S."
CAPITALISED = re.compile(rf"(?<![\w’'-]){TITLED_WORD}")
NAME_RUN = re.compile(rf"(?<![\w’'-]){TITLED_WORD}(?:[ \t]+{TITLED_WORD})*")
TITLE = re.compile(r"[\w-]{1,6}\.|(?:\w\.)+|Jr|Sr")  # "Mr.", "Sen.", "Jr.", "D-Fla.", "U.S."
POSSESSIVE = re.compile(r"['’]s?$")
SMALL_COUNT = 12  # a count up to a dozen of something else is no sign of the same amount
YEAR = re.compile(r"(?:1[6-9]|20)\d\d")
ANCHOR_SHARE = 2  # a name or a number in at most this many sentences per article is distinctive
ACT_WINDOW = 4  # words either side of a day or a place that say what happened then or there
MIN_CONTENT = 4  # sentences with fewer content words state no fact worth aligning
SAYS = re.compile(rf"{REPORTING}|according|reporters|tells?|announced|reported|reports")
MAX_CHOICE_WORDS = 3  # a longer swapped span is a rephrased clause, not a word choice
# "one" is left out: "one of the first", "one day" are rarely amounts; "dozens" is no number
AMOUNT_WORDS = {word: n for word, n in NUMBER_WORDS.items() if word != "one"} | {"hundred": 100}
SCALES = {"hundred": 100, "dozen": 12, "thousand": 1e3, "million": 1e6, "billion": 1e9}
SCALES |= {"trillion": 1e12, "%": 1, "percent": 1}
# Hedges by what they say of the true amount: near it, at least it, at most it.
NEAR, ABOVE, BELOW = (
    ("about", "around", "roughly", "some", "approximately", "nearly", "almost", "just under"),
    ("at least", "more than", "over"),
    ("up to", "fewer than", "less than", "under"),
)
HEDGES = "|".join(h.replace(" ", r"\s+") for h in (*NEAR, *ABOVE, *BELOW))
NEAR_SHARE = 0.1  # "about 100" covers 90 to 110
ABOVE_SHARE = 0.5  # "more than 100" covers up to 150: a larger amount would be given as such
# Words between an amount and what it counts: "15 other countries", "33 European nations"
BEFORE_THING = r"(?:(?:other|more|new|additional|extra|(?-i:[A-Z][a-z]+))\s+)?"
DIGIT = re.compile(r"\d")
# A number inside a name or an identifier ("COVID-19", "G7", "9/11", "7th", "1990s") or a
# fraction, a range or a tally ("22 1/2", "222-190") is left out by the look-arounds.
AMOUNT = re.compile(
    rf"(?P<hedge>\b(?:{HEDGES})\s+)?(?P<currency>[$€£])?"
    rf"(?<![\w.,/-])(?P<number>\d(?:[\d,]*\d)?(?:\.\d+)?|\b(?:(?!one\b){NUMBER_IN_WORDS}|hundred)\b)"
    r"(?![\w/]|[-–]\d|\s+\d+/\d|\s+(?:to|and|or)\s+\d)"
    rf"(?:\s*(?P<scale>{'|'.join(SCALES)}))?"
    rf"(?:[\s-]+{BEFORE_THING}(?P<unit>[a-z]+))?",
    re.IGNORECASE,
)
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DAY_OF_MONTH = re.compile(rf"\b{MONTH}\s*$")  # the number is a day: "Nov. 8", "May 29"
# What before an amount, unless a function word, makes it no amount: a name or title ("Title
# 42", "Section 230"), an age ("ages 5", "McAfee, 75,"), the start of a range ("from 5").
NAMING = re.compile(r"(?:\b[A-Z][\w.]*|\b(?:ages?|aged|between|from)|[A-Z][\w’'.-]*,)\s*$")
TIMES = ("day", "days", "p", "a", "pm", "am")


@dataclass(frozen=True)
class Amount:
    """An amount a sentence gives: as written, and as compared."""

    written: str  # the outlet's own words: "around fifteen nations"
    label: str  # the amount with its hedge, without what it counts: "around 15"
    hedge: str  # "", or one of NEAR, ABOVE, BELOW
    size: float  # 15.0; "$4.2 million" is 4200000.0
    thing: str  # what it counts, by meaning: "country"; a currency or "%" for money and shares


@dataclass(frozen=True)
class Sentence:
    """One sentence of an event's article, as the comparison sees it."""

    article: str
    text: str
    words: frozenset[str]  # its content words, by meaning (`meaning.sense`)
    values: frozenset[str]  # the amounts it gives, without their hedges
    names: frozenset[str] = frozenset()  # its capitalised words past the first, folded
    lede: bool = False  # the first sentence of its article
    # the names it gives (by their last word, by meaning) and its numbers ("1976")
    anchors: frozenset[str] = frozenset()
    plain: frozenset[str] = frozenset()  # its content words that are no name, number or "said"
    spelled: frozenset[str] = frozenset()  # all its words by meaning, "Ek" as well as "Mr."


@dataclass(frozen=True)
class Alignment:
    """An event's sentences, split once, and the pairs from different articles that are alike
    enough to state one fact: facts and provenance both read it."""

    sentences: list[Sentence]
    alike: list[list[tuple[int, float]]]  # per sentence: (other sentence, content-word Jaccard)
    # per sentence: the sentences of other articles that tell its fact in words of their own
    echoes: list[list[int]]


def align_sentences(articles: list[Article]) -> Alignment:
    """Compare every sentence with those of the other articles at once: the shared words of all
    pairs are one sparse matrix product, so even events of thousands of sentences are quick.
    A pair is kept from SAME_FACT up, or from SAME_AMOUNT up when both give one amount."""
    stop = stop_words()
    found = []
    for article in articles:
        lede = True
        for paragraph in article.paragraphs:
            for text in sentences(paragraph):
                tokens = normalised(text).split()
                words = _content(tokens, stop)
                if len(words) < MIN_CONTENT:
                    continue
                found.append(_sentence(article, text, tokens, words, lede))
                lede = False
    alike: list[list[tuple[int, float]]] = [[] for _ in found]
    if not found:
        return Alignment(found, alike, [])
    shared, plain = _shared_words(found)
    position = {a.id: n for n, a in enumerate(articles)}
    owner = np.array([position[s.article] for s in found])
    sizes = np.array([len(s.words) for s in found], dtype=np.float32)
    counted = np.array([bool(s.values) for s in found])
    ledes = np.array([s.lede for s in found])
    row, column, common = shared.row, shared.col, shared.data
    similarity = common / (sizes[row] + sizes[column] - common)
    overlap = common / np.minimum(sizes[row], sizes[column])
    loose = counted[row] & counted[column] & (similarity >= SAME_AMOUNT)
    # a paraphrase: most words of the shorter sentence, by meaning, and a name or an amount
    reworded = (overlap >= PARAPHRASE) & (common >= MIN_SHARED)
    # the ledes of one event state its central fact, however differently they put it
    led = ledes[row] & ledes[column] & (common >= MIN_SHARED_LEDE)
    keep = (owner[row] != owner[column]) & ((similarity >= SAME_FACT) | loose | reworded | led)
    for i, j, score, lead, rephrased in zip(
        row[keep], column[keep], similarity[keep], led[keep], reworded[keep], strict=True
    ):
        a, b = found[i], found[j]
        shared_value = bool(a.values & b.values)
        if score >= SAME_FACT or lead or shared_value or rephrased and bool(a.names & b.names):
            alike[i].append((int(j), float(score)))
    # a paraphrase around names worded differently: words of one meaning that are no names
    plain_sizes = np.array([len(s.plain) for s in found], dtype=np.float32)
    row, column, common = plain.row, plain.col, plain.data
    reworded = (common >= MIN_SHARED) & (
        common >= PLAIN_SHARE * np.minimum(plain_sizes[row], plain_sizes[column])
    )
    paired = {(i, j) for i, others in enumerate(alike) for j, _ in others}
    for i, j in zip(row[reworded], column[reworded], strict=True):
        if owner[i] != owner[j] and (i, j) not in paired:
            a, b = found[i], found[j]
            alike[i].append((int(j), len(a.words & b.words) / len(a.words | b.words)))
    _anchor_paraphrases(found, owner, alike)
    return Alignment(found, alike, _echoes(found, owner))


def _echoes(found: list[Sentence], owner: np.ndarray) -> list[list[int]]:
    """Per sentence, the sentences of other articles that tell its fact in words of their own:
    they share ECHO_WORDS words or more (by meaning), and the words they share, each weighed
    by how few of the event's sentences use it (a word most sentences use tells little), make
    ECHO_SHARE of the lighter sentence's weight. Matrix products weigh all pairs at once."""
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for number, sentence in enumerate(found):
        for word in sorted(sentence.words):  # one order of summing, in every process
            rows.append(number)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    used = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(found), len(vocabulary)))
    rarity = np.log(len(found) / np.asarray(used.sum(axis=0)).ravel())
    weighed = used.multiply(rarity).tocsr()
    weight = np.asarray(weighed.sum(axis=1)).ravel()
    common = used @ used.T
    common.sort_indices()
    common = common.tocoo()
    paired = (owner[common.row] != owner[common.col]) & (common.data >= ECHO_WORDS)
    row, column = common.row[paired], common.col[paired]
    echoes: list[list[int]] = [[] for _ in found]
    if not len(row):
        return echoes
    shared = np.asarray((weighed @ used.T).tocsr()[row, column]).ravel()
    keep = shared >= ECHO_SHARE * np.minimum(weight[row], weight[column])
    for i, j in zip(row[keep], column[keep], strict=True):
        echoes[i].append(int(j))
    return echoes


def _shared_words(found: list[Sentence]) -> tuple[coo_matrix, coo_matrix]:
    """How many words, and how many plain words, each pair of sentences shares: sparse
    matrix products, so that even events of thousands of sentences are quick."""
    vocabulary: dict[str, int] = {}
    rows, columns, plain = [], [], []
    for number, sentence in enumerate(found):
        for word in sentence.words:
            rows.append(number)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
            plain.append(word in sentence.plain)
    shape = (len(found), len(vocabulary))
    kept = np.array(plain, dtype=bool)
    products = []
    for mask in (np.ones(len(rows), dtype=bool), kept):
        matrix = csr_matrix(
            (
                np.ones(int(mask.sum()), dtype=np.float32),
                (np.array(rows)[mask], np.array(columns)[mask]),
            ),
            shape=shape,
        )
        shared = matrix @ matrix.T
        # pairs in (row, column) order, however the vocabulary was numbered: ties in
        # `align_facts` go to the first pair, which must not depend on the order a set of
        # words iterates in
        shared.sort_indices()
        products.append(shared.tocoo())
    return products[0], products[1]


def _sentence(
    article: Article, text: str, tokens: list[str], words: frozenset[str], lede: bool
) -> Sentence:
    stop = stop_words()
    numbered = DIGIT.search(text) or not AMOUNT_WORDS.keys().isdisjoint(tokens)
    values = frozenset(_values(text)) if numbered else frozenset()
    names = frozenset(fold(n) for n in NAMED.findall(text)) - stop
    named = _names(text)
    numbers = {t for t in tokens if t.isdigit() and len(t) > 1 and t.strip("0")}
    # a name of several words, whole, is an anchor of its own ("hurricane sandy")
    whole = {_whole(name) for name in named.values() if " " in name}
    # a day written out ("Feb. 8"), not a weekday, is an anchor as a name is
    days = set()
    if numbered:
        days = {f"on:{day}" for day, m in _days(article, text).items() if DIGIT.search(m.text)}
    capitalised = {sense(fold(w)) for w in CAPITALISED.findall(text)}
    plain = {w for w in words - capitalised if w.isalpha() and not _reporting(w)}
    anchors = frozenset(named.keys() | numbers | whole | days)
    spelled = frozenset(map(sense, tokens))
    return Sentence(article.id, text, words, values, names, lede, anchors, plain, spelled)


@lru_cache(maxsize=1 << 14)
def _reporting(word: str) -> bool:
    """ "said", "told": how a statement is known, not what it says."""
    return SAYS.fullmatch(word) is not None


def _anchor_paraphrases(
    found: list[Sentence], owner: np.ndarray, alike: list[list[tuple[int, float]]]
) -> None:
    """Add to `alike` the pairs that state one fact in other words: they share a distinctive
    name, number or day (one that few sentences give: "Key Bridge", "1976", "Feb. 8", not the
    story's main actor) that tells it alone (a name of several words, a number that is no
    year), or with one more thing: another such anchor or a plain word of one meaning
    ("headed", "head")."""
    counts: dict[str, int] = {}
    for sentence in found:
        for anchor in sentence.anchors:
            counts[anchor] = counts.get(anchor, 0) + 1
    most = ANCHOR_SHARE * (int(owner.max()) + 1)
    distinctive = [frozenset(a for a in s.anchors if counts[a] <= most) for s in found]
    holders: dict[str, list[int]] = {}
    for number, anchors in enumerate(distinctive):
        for anchor in anchors:
            holders.setdefault(anchor, []).append(number)
    paired = {(i, j) for i, others in enumerate(alike) for j, _ in others}
    candidates = {
        (i, j)
        for numbers in holders.values()
        for i in numbers
        for j in numbers
        if owner[i] != owner[j] and (i, j) not in paired
    }
    for i, j in sorted(candidates):
        a, b = found[i], found[j]
        common = distinctive[i] & distinctive[j]
        if len(common) >= 2 or a.plain & b.plain or any(map(_telling, common)):
            alike[i].append((j, len(a.words & b.words) / len(a.words | b.words)))


def _whole(name: str) -> str:
    return " ".join(sense(w) for w in normalised(name).split())


def _telling(anchor: str) -> bool:
    """Whether an anchor alone tells that two sentences speak of one thing: a name of several
    words ("Hurricane Sandy") or a number that is no year ("97-1", "447")."""
    return " " in anchor or anchor.isdigit() and not YEAR.fullmatch(anchor)


@lru_cache(maxsize=4096)  # a sentence's names are read to align it and for its details
def _names(text: str) -> dict[str, str]:
    """The names a sentence gives, each by its last word (by meaning) -> as written, without
    the titles and abbreviations at its ends ("Rep.", "Jr.") or the sentence's first word,
    which may be capitalised only as the first. Shared by the callers: read, never changed."""
    found = {}
    start = len(text) - len(text.lstrip(" \t\"“'‘("))
    for run in NAME_RUN.finditer(text.removesuffix(".")):
        written = run.group().split()
        if run.start() == start:
            written = written[1:]
        while written and (fold(written[0]) in stop_words() or re.match(CALENDAR, written[0])):
            written = written[1:]
        while written and TITLE.fullmatch(written[-1]):
            written = written[:-1]
        while written and TITLE.fullmatch(written[0]):
            written = written[1:]
        if written:
            written[-1] = POSSESSIVE.sub("", written[-1])
            last = normalised(written[-1]).split()
            if last:
                found[sense(last[-1])] = " ".join(written)
    return found


def _content(tokens: list[str], stop: frozenset[str]) -> frozenset[str]:
    """A sentence's content words by meaning, so that a paraphrase ("probe", "investigation")
    aligns too."""
    return frozenset(sense(w) for w in tokens if w not in stop and len(w) > 2)


def _close(a: str, b: str) -> bool:
    """Whether two sentences of a fact say the same thing closely enough to hold their
    amounts against each other: most words alike, or one amount in common. Ledes and
    paraphrases join a fact more loosely, to mark what is shared, not what differs."""
    return _alike(a, b, SAME_CLAIM) or bool(_values(a) & _values(b))


def align_facts(
    alignment: Alignment,
    articles: list[Article],
    outlet: dict[str, str],
    credited: Credit = list,
) -> list[Fact]:
    """Each statement once, with the articles that report it (`credited`: with the copies of
    each, see `copies`); `unique` when one outlet alone reports it. The facts most outlets
    share come first. Each sentence, in reading order, joins the fact of its most alike
    sentence already placed, unless that fact already has a sentence of its article."""
    groups: list[list[Sentence]] = []
    members: list[set[str]] = []
    fact_of: dict[int, int] = {}
    for number, sentence in enumerate(alignment.sentences):
        best, score = None, 0.0
        for other, similarity in alignment.alike[number]:
            fact = fact_of.get(other)
            if fact is not None and sentence.article not in members[fact] and similarity > score:
                best, score = fact, similarity
        if best is None:
            best = len(groups)
            groups.append([])
            members.append(set())
        groups[best].append(sentence)
        members[best].add(sentence.article)
        fact_of[number] = best
    given: dict[str, set[str]] = {}  # an outlet -> the words and amounts it gives anywhere
    for sentence in alignment.sentences:
        said = given.setdefault(outlet[sentence.article], set())
        said |= sentence.spelled
        if sentence.values:
            said |= {key for amount in _amounts(sentence.text) for key in _amount_keys(amount)}
    result = []
    # a sentence alike one of another article that could not join its fact (which held a
    # sentence of its own article already) still states that fact: its article reports it
    also: list[dict[str, None]] = [{} for _ in groups]
    echoed: list[dict[str, None]] = [{} for _ in groups]
    for number in range(len(alignment.sentences)):
        for other, _ in alignment.alike[number]:
            article = alignment.sentences[other].article
            if article not in members[fact_of[number]]:
                also[fact_of[number]][article] = None
        for other in alignment.echoes[number]:
            echoed[fact_of[number]][alignment.sentences[other].article] = None
    for group, partners, echoes in zip(groups, also, echoed, strict=True):
        told = dict.fromkeys(s.article for s in group) | partners
        outlets = {outlet[a] for a in credited(told)}
        if len(outlets) == 1 and {outlet[a] for a in echoes} - outlets:
            # another outlet tells it in its own words: no outlet's alone, and its names and
            # amounts, which the others may word otherwise, are no detail of one outlet
            told |= echoes
            result.append(_fact(group, credited(told), unique=False, details=[]))
            continue
        carried = credited(told)
        unique = len({outlet[a] for a in carried}) == 1
        details = [] if unique else _own_details(group, given, outlet, credited)
        result.append(_fact(group, carried, unique, details))
    order = {a.id: n for n, a in enumerate(articles)}
    return sorted(
        result, key=lambda f: (-len({outlet[a] for a in f.articles}), order[f.articles[0]])
    )


def _fact(group: list[Sentence], articles: list[str], unique: bool, details: list[Value]) -> Fact:
    return Fact(
        text=min((s.text for s in group), key=len),
        articles=articles,
        unique=unique,
        sentences={s.article: s.text for s in group},
        details=details,
    )


def _own_details(
    group: list[Sentence], given: dict[str, set[str]], outlet: dict[str, str], credited: Credit
) -> list[Value]:
    """The amounts and names in a shared fact that one outlet alone gives, in all the event
    ("33 countries" where the others say "countries"): each with the articles giving it. A
    name is another outlet's too when its last word is ("Mr. Sayoc", "Cesar Sayoc Jr."); an
    amount when another outlet gives it, or, in this fact, an amount of the same thing (that
    is a discrepancy) or of the same size ("five largest powers", "top five powers").
    `given`: each outlet -> the words (by meaning) and amounts it gives in the event."""
    found: dict[str, list[str]] = {}
    for sentence in group:
        alone = {outlet[sentence.article]}
        others_give = [said for name, said in given.items() if name not in alone]
        others = [_amounts(s.text) for s in group if outlet[s.article] not in alone]
        here = {(a.thing, a.size) for amounts in others for a in amounts}
        for amount in _amounts(sentence.text):
            elsewhere = any(key in said for key in _amount_keys(amount) for said in others_give)
            in_fact = any(amount.thing == thing or amount.size == size for thing, size in here)
            if not elsewhere and not in_fact and _telling_amount(amount):
                found.setdefault(amount.written, []).append(sentence.article)
        own_name = set(normalised(outlet[sentence.article]).split())
        for key, name in _names(sentence.text).items():
            # an outlet naming itself ("told Fox News") gives no detail
            elsewhere = any(key in said for said in others_give)
            if not elsewhere and not set(normalised(name).split()) <= own_name:
                found.setdefault(name, []).append(sentence.article)
    return [Value(detail, credited(articles)) for detail, articles in found.items()]


def _telling_amount(amount: Amount) -> bool:
    """A sum, a share or more than a dozen of something: "two competing bills" or "five
    largest powers" is a word of the sentence more than a figure one outlet alone gives."""
    return amount.thing[:1] in "$€£%" or amount.size > SMALL_COUNT


def _amount_keys(amount: Amount) -> set[str]:
    """What another outlet's amount must share to be this one: what it counts (another
    outlet's figure for it is a discrepancy, not a detail it lacks); a sum, a share or a large
    number, its size alone."""
    keys = {f"{amount.size:g} {amount.thing}"}
    if amount.thing[:1] not in "$€£%":  # a sum of a bare currency may be of anything
        keys.add(f"some {amount.thing}")
    if _telling_amount(amount):
        keys.add(f"{amount.size:g}")
    return keys


def discrepancies(
    facts: list[Fact], articles: list[Article], credited: Credit = list
) -> list[Discrepancy]:
    """Facts whose outlets contradict each other on a value of one kind and role: an amount of
    one thing that the other's amount of it cannot be, a different day for one act, a different
    place for one act. Each value with the articles that give it, their copies (`credited`),
    and the outlets' own words. A sentence giving two amounts of one thing, two days or two
    places may speak of two happenings: it is held against no other."""
    by_id = {a.id: a for a in articles}
    known = frozenset(a.place for a in articles if a.place)
    found = []
    for fact in facts:
        if len(fact.articles) < 2:
            continue
        counted: dict[str, dict[str, list[Amount]]] = {}  # thing -> article -> its amounts
        for article, sentence in fact.sentences.items():
            for amount in _amounts(sentence):
                counted.setdefault(amount.thing, {}).setdefault(article, []).append(amount)
        for given in counted.values():
            single = {a: amounts[0] for a, amounts in given.items() if len(amounts) == 1}
            claims = {a: (amount, fact.sentences[a]) for a, amount in single.items()}
            clash = _clashing(claims, lambda x, y: not _agree(x[0], y[0]) and _close(x[1], y[1]))
            if clash:
                shown = {a: (single[a].label, single[a].written) for a in clash}
                found.append(_discrepancy(fact, shown, "amount", credited))
        dated = {}
        for article, sentence in fact.sentences.items():
            days = _days(by_id[article], sentence)
            if len(days) == 1:
                (day, said), *_ = days.items()
                dated[article] = (day, said, _act(sentence, said.text), sentence)
        clash = _clashing(dated, _other_day)
        if clash:
            spelled: dict[str, dict[str, None]] = {}
            for article in clash:
                spelled.setdefault(dated[article][0], {})[dated[article][1].text] = None
            # a day as the outlets wrote it: "2025-03-12 (Wednesday; March 12)"
            shown = {a: (f"{dated[a][0]} ({'; '.join(spelled[dated[a][0]])})", "") for a in clash}
            found.append(_discrepancy(fact, shown, "date", credited))
        placed = {}
        for article, sentence in fact.sentences.items():
            places = set(places_named(sentence, known))
            if len(places) == 1:
                (place,) = places
                placed[article] = (place, _act(sentence, place), sentence)
        clash = _clashing(placed, _other_place)
        if clash:
            found.append(
                _discrepancy(fact, {a: (placed[a][0], "") for a in clash}, "place", credited)
            )
    return found


def _clashing(given: dict[str, T], differ: Callable[[T, T], bool]) -> list[str]:
    """The articles whose value another article's value contradicts, in the given order."""
    clash = {x for a, b in combinations(given, 2) if differ(given[a], given[b]) for x in (a, b)}
    return [a for a in given if a in clash]


def _discrepancy(
    fact: Fact, shown: dict[str, tuple[str, str]], kind: str, credited: Credit
) -> Discrepancy:
    """`shown`: article -> (its value, its own words for it where they differ from the value)."""
    values: dict[str, list[str]] = {}
    written: dict[str, dict[str, None]] = {}
    for article, (value, own) in shown.items():
        values.setdefault(value, []).append(article)
        if own:
            written.setdefault(value, {})[own] = None
    found = [Value(v, sorted(credited(a)), list(written.get(v, ()))) for v, a in values.items()]
    return Discrepancy(fact.text, found, kind)


def _act(sentence: str, phrase: str) -> frozenset[str]:
    """What a value in a sentence is the value of: the meanings of the content words near it
    ("announced Friday", "takes effect Nov. 8"), in lower case, so no names or other dates."""
    at = sentence.find(phrase)
    if at < 0:
        return frozenset()
    before = re.findall(r"[\w’'-]+", sentence[:at])[-ACT_WINDOW:]
    after = re.findall(r"[\w’'-]+", sentence[at + len(phrase) :])[:ACT_WINDOW]
    stop = stop_words()
    return frozenset(  # "said" tells how it is known, not what happened
        sense(w)
        for w in before + after
        if w.islower() and w.isalpha() and w not in stop and not SAYS.fullmatch(w)
    )


def _days(article: Article, sentence: str) -> dict[str, Mention]:
    """The days a sentence names, as ISO day -> the mention that names it ("Tuesday")."""
    written: dict[str, Mention] = {}
    for m in article.mentions:
        named_here = m.text in sentence and m.sentence in sentence
        if m.day and m.precision in ("day", "time") and named_here:
            written.setdefault(m.day.isoformat(), m)
    return written


def _other_place(x: tuple[str, frozenset[str], str], y: tuple[str, frozenset[str], str]) -> bool:
    """Two places of one act, in two sentences of mostly the same words."""
    return x[0] != y[0] and bool(x[1] & y[1]) and _alike(x[2], y[2], SAME_CLAIM)


def _other_day(
    x: tuple[str, Mention, frozenset[str], str], y: tuple[str, Mention, frozenset[str], str]
) -> bool:
    """Two days of one act, in two sentences of mostly the same words, that differ. Two
    outlets writing one weekday ("Wednesday") say the same: the days differ only as the
    articles' own dates anchor the weekday."""
    (day_x, said_x, act_x, sentence_x), (day_y, said_y, act_y, sentence_y) = x, y
    same_weekday = (
        said_x.relative and said_y.relative and said_x.weekday is not None
    ) and said_x.weekday == said_y.weekday
    return (
        day_x != day_y
        and bool(act_x & act_y)
        and not same_weekday
        and _alike(sentence_x, sentence_y, SAME_CLAIM)
    )


def word_choices(facts: list[Fact], credited: Credit = list) -> list[Wording]:
    """Where the outlets sharing a fact put different words in the same place: each swap of
    up to three content words between closely aligned sentences, with words the two sentences
    share on both sides of it, and the articles that chose each wording and their copies
    (`credited`). Amounts are left to `discrepancies`, names (a place, a day) are facts, not
    words; reordered words and inflections ("meeting", "meetings") are no choice. Loaded
    framing ("terror attack", "lump of coal") comes first, then the facts in their order."""
    found = []
    for fact in facts:
        if fact.unique or len(fact.sentences) < 2:
            continue
        (first, sentence), *others = fact.sentences.items()
        others = [(a, o) for a, o in others if _alike(sentence, o)]
        ref = words(sentence)
        ref_keys = [fold(w) for w in ref]
        places: dict[tuple[int, int], dict[str, list[str]]] = {}
        for article, other in others:
            written = words(other)
            keys = [fold(w) for w in written]
            opcodes = SequenceMatcher(None, ref_keys, keys, autojunk=False).get_opcodes()
            for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
                # the same slot: what both say before and after it is the same
                anchored = 0 < n < len(opcodes) - 1
                if tag != "replace" or not anchored:
                    continue
                i1, i2 = _trim(ref_keys, i1, i2)
                j1, j2 = _trim(keys, j1, j2)
                named = any(w[:1].isupper() for w in ref[i1:i2] + written[j1:j2])
                if not named and _is_choice(ref_keys[i1:i2], keys[j1:j2], ref_keys, keys):
                    choice = places.setdefault((i1, i2), {" ".join(ref[i1:i2]): [first]})
                    choice.setdefault(" ".join(written[j1:j2]), []).append(article)
        for (i1, i2), choice in sorted(places.items()):
            ref_words = " ".join(ref_keys[i1:i2])
            for article, other in others:  # outlets that kept the first wording
                if article not in sum(choice.values(), []) and ref_words in normalised(other):
                    choice[" ".join(ref[i1:i2])].append(article)
            found.append(Wording(sentence, [Value(w, credited(a)) for w, a in choice.items()]))
    return sorted(found, key=lambda w: -sum(_loaded(c.value) for c in w.choices))


def _alike(a: str, b: str, share: float = SAME_FACT) -> bool:
    """Two sentences aligned closely enough to compare word for word: this share of their
    content words alike (a lede or a paraphrase joins a fact more loosely)."""
    x, y = _content_of(a), _content_of(b)
    return len(x & y) >= share * len(x | y)


@lru_cache(maxsize=4096)  # a fact's first sentence is compared with each other one
def _content_of(text: str) -> frozenset[str]:
    return _content(normalised(text).split(), stop_words())


def _loaded(wording: str) -> int:
    """How many words of loaded framing a wording holds."""
    return sum(stem(w) in loaded_words() for w in normalised(wording).split())


def _trim(keys: list[str], start: int, end: int) -> tuple[int, int]:
    """The span without the function words at its edges."""
    stop = stop_words()
    while start < end and keys[start] in stop:
        start += 1
    while end > start and keys[end - 1] in stop:
        end -= 1
    return start, end


def _is_choice(a: list[str], b: list[str], a_all: list[str], b_all: list[str]) -> bool:
    if not (0 < len(a) <= MAX_CHOICE_WORDS and 0 < len(b) <= MAX_CHOICE_WORDS):
        return False
    if any(w.isdigit() or w in AMOUNT_WORDS for w in a + b):
        return False  # an amount: a discrepancy, not a word choice
    if set(a) & set(b_all) or set(b) & set(a_all):
        return False  # a word moved elsewhere in the sentence, not replaced
    if any(all(SAYS.fullmatch(w) for w in side) for side in (a, b)):
        return False  # "said", "added", "announced": how a statement is introduced
    return not any(x[:5] == y[:5] for x in a for y in b)  # inflections of one word


@lru_cache(maxsize=4096)  # each sentence is read for its amounts by several findings
def _amounts(sentence: str) -> tuple[Amount, ...]:
    """The amounts a sentence gives of something it names: years, days of the month, times of
    day, ages, ranges and the numbers of names and identifiers are no amounts."""
    found: list[Amount] = []
    stop = stop_words()
    for match in AMOUNT.finditer(sentence):
        number = match["number"].lower()
        before = sentence[: match.start()]
        unit = (match["unit"] or "").lower()
        scale = (match["scale"] or "").lower().replace("percent", "%")
        after = sentence[match.end() :]
        ends_at = max(match.end("number"), match.end("scale"))
        named = NAMING.search(before) and before.split()[-1].lower() not in stop
        if (
            re.fullmatch(r"(?:19|20)\d\d", number)
            and not (match["currency"] or scale)
            or unit in TIMES
            or DAY_OF_MONTH.search(before)
            or named
            and not match["hedge"]
            or re.match(r"-old|\s+old\b", after)  # "a 75-year-old", "75 years old"
            or re.match(r",\s+\d", sentence[match.end("number") :])  # "5, 11 and 12"
        ):
            continue
        value = float(number_in_words(number) or AMOUNT_WORDS.get(number, number.replace(",", "")))
        counts = sense(unit) if unit and unit not in stop else ""
        symbol = match["currency"] or ("%" if scale == "%" else "")
        # a sum or a share of a named thing ("a $6 trillion budget") is compared with another
        # of that thing only; a bare one ("$5 trillion in spending") with a bare one
        thing = f"{symbol} {counts}".strip() if symbol else counts
        if not thing:
            continue  # an amount of nothing named cannot be matched with another's
        hedge = " ".join((match["hedge"] or "").lower().split())
        shown = f"{value:g}" if value < 1e15 else number
        text = " ".join(p for p in (hedge, (match["currency"] or "") + shown, scale) if p)
        # the outlet's words up to what the amount counts, or up to the amount itself
        written = sentence[match.start() : match.end() if counts else ends_at]
        found.append(
            Amount(written, text.replace(" %", "%"), hedge, value * SCALES.get(scale, 1), thing)
        )
    return tuple(found)


def _values(sentence: str) -> set[str]:
    """The amounts without their hedges: what two wordings of one fact share."""
    return {f"{a.size:g} {a.thing}" for a in _amounts(sentence)}


def _range(amount: Amount) -> tuple[float, float]:
    """The amounts the words allow: "about 100" 90 to 110, "at least 100" 100 to 150."""
    size = amount.size
    if amount.hedge in NEAR:
        return size * (1 - NEAR_SHARE), size * (1 + NEAR_SHARE)
    if amount.hedge in ABOVE:
        return size, size * (1 + ABOVE_SHARE)
    if amount.hedge in BELOW:
        return 0.0, size
    return size, size


def _agree(a: Amount, b: Amount) -> bool:
    """Whether two amounts of one thing can both be true: one amount hedged one way by one
    outlet and another way by the other ("around 15", "at least 15") is a difference; an
    approximation that covers the other's amount ("nearly three dozen", "33") is none."""
    if a.size == b.size:
        return not (a.hedge and b.hedge and _hedge_kind(a) != _hedge_kind(b))
    (low_a, high_a), (low_b, high_b) = _range(a), _range(b)
    return low_a <= high_b and low_b <= high_a


def _hedge_kind(amount: Amount) -> int:
    return next(n for n, kind in enumerate((NEAR, ABOVE, BELOW)) if amount.hedge in kind)
