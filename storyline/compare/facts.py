"""Facts: statements aligned across an event's articles, and the numbers and words they differ in.

A fact is one statement as one or more outlets report it: sentences of different articles
whose content words mostly agree. The numbers in a fact's sentences ("around fifteen nations",
"at least 15 other countries") are compared: a different amount, or the same amount hedged
differently, is a discrepancy. Where the outlets' sentences swap one word or phrase for
another ("invasion" and "conflict"), that is a word choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from scipy.sparse import csr_matrix

from ..model import Article, Discrepancy, Fact, Value, Wording
from ..places import places_named
from ..text import NUMBER_WORDS, fold, normalised, sentences, stop_words, words
from .copies import Credit
from .quotes import REPORTING

SAME_FACT = 0.3  # content-word Jaccard at which two sentences state one fact
SAME_AMOUNT = 0.05  # looser for two sentences that give one amount (2 shared words suffice)
SCALES = ("million", "billion", "thousand", "%")
MIN_CONTENT = 4  # sentences with fewer content words state no fact worth aligning
SAYS = re.compile(rf"{REPORTING}|according|reporters")
MAX_CHOICE_WORDS = 3  # a longer swapped span is a rephrased clause, not a word choice
# "one" is left out: "one of the first", "one day" are rarely amounts
AMOUNT_WORDS = {word: n for word, n in NUMBER_WORDS.items() if word != "one"} | {
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
}
HEDGES = (
    r"about|around|roughly|nearly|almost|some|at\s+least|more\s+than|over|up\s+to|"
    r"fewer\s+than|less\s+than|under|just\s+under|approximately"
)
DIGIT = re.compile(r"\d")
AMOUNT = re.compile(
    rf"(?P<hedge>\b(?:{HEDGES})\s+)?(?P<currency>[$€£])?"
    rf"(?<![\w.])(?P<number>\d(?:[\d,]*\d)?(?:\.\d+)?|\b(?:{'|'.join(AMOUNT_WORDS)})\b)"
    r"(?:\s*(?P<scale>million|billion|thousand|%|percent))?"
    r"(?:[\s-]+(?:other\s+)?(?P<unit>[a-z]+))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an event's article, as the comparison sees it."""

    article: str
    text: str
    words: frozenset[str]  # its content words
    values: frozenset[str]  # the amounts it gives, without their hedges


@dataclass(frozen=True)
class Alignment:
    """An event's sentences, split once, and the pairs from different articles that are alike
    enough to state one fact: facts and provenance both read it."""

    sentences: list[Sentence]
    alike: list[list[tuple[int, float]]]  # per sentence: (other sentence, content-word Jaccard)


def align_sentences(articles: list[Article]) -> Alignment:
    """Compare every sentence with those of the other articles at once: the shared words of all
    pairs are one sparse matrix product, so even events of thousands of sentences are quick.
    A pair is kept from SAME_FACT up, or from SAME_AMOUNT up when both give one amount."""
    stop = stop_words()
    found = []
    for article in articles:
        for paragraph in article.paragraphs:
            for text in sentences(paragraph):
                tokens = normalised(text).split()
                words = frozenset(w for w in tokens if w not in stop and len(w) > 2)
                if len(words) < MIN_CONTENT:
                    continue
                numbered = DIGIT.search(text) or not AMOUNT_WORDS.keys().isdisjoint(tokens)
                values = frozenset(_values(text)) if numbered else frozenset()
                found.append(Sentence(article.id, text, words, values))
    alike: list[list[tuple[int, float]]] = [[] for _ in found]
    if not found:
        return Alignment(found, alike)
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for number, sentence in enumerate(found):
        for word in sentence.words:
            rows.append(number)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    matrix = csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, columns)),
        shape=(len(found), len(vocabulary)),
    )
    shared = matrix @ matrix.T
    # pairs in (row, column) order, however the vocabulary was numbered: ties in `align_facts`
    # go to the first pair, which must not depend on the order a set of words iterates in
    shared.sort_indices()
    shared = shared.tocoo()
    position = {a.id: n for n, a in enumerate(articles)}
    owner = np.array([position[s.article] for s in found])
    sizes = np.array([len(s.words) for s in found], dtype=np.float32)
    counted = np.array([bool(s.values) for s in found])
    row, column, common = shared.row, shared.col, shared.data
    similarity = common / (sizes[row] + sizes[column] - common)
    loose = counted[row] & counted[column] & (similarity >= SAME_AMOUNT)
    keep = (owner[row] != owner[column]) & ((similarity >= SAME_FACT) | loose)
    for i, j, score in zip(row[keep], column[keep], similarity[keep], strict=True):
        if score >= SAME_FACT or found[i].values & found[j].values:
            alike[i].append((int(j), float(score)))
    return Alignment(found, alike)


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
    result = []
    for group in groups:
        carried = credited(dict.fromkeys(s.article for s in group))
        result.append(
            Fact(
                text=min((s.text for s in group), key=len),
                articles=carried,
                unique=len({outlet[a] for a in carried}) == 1,
                sentences={s.article: s.text for s in group},
            )
        )
    order = {a.id: n for n, a in enumerate(articles)}
    return sorted(
        result, key=lambda f: (-len({outlet[a] for a in f.articles}), order[f.articles[0]])
    )


def discrepancies(
    facts: list[Fact], articles: list[Article], credited: Credit = list
) -> list[Discrepancy]:
    """Facts whose outlets give different amounts (or one amount hedged differently), a
    different day, or a different place; each value with the articles that give it, and
    their copies (`credited`)."""
    by_id = {a.id: a for a in articles}
    known = frozenset(a.place for a in articles if a.place)
    found = []
    for fact in facts:
        if len(fact.articles) < 2:
            continue
        amounts: dict[str, list[str]] = {}
        for article, sentence in fact.sentences.items():
            for amount in _amounts(sentence):
                amounts.setdefault(amount, []).append(article)
        if len(amounts) > 1 and _comparable(amounts):
            found.append(_discrepancy(fact, amounts, "amount", credited))
        # A sentence naming two days or two places may speak of two happenings; only
        # sentences that name one are held against each other.
        written = {a: _days(by_id[a], s) for a, s in fact.sentences.items()}
        days = _one_each({a: set(w) for a, w in written.items()})
        if len(days) > 1 and not _same_words(days, written):
            labels = {}  # a day as the outlets wrote it: "2025-03-12 (Wednesday; March 12)"
            for day in days:
                spelled = dict.fromkeys(w[day] for w in written.values() if day in w)
                labels[day] = f"{day} ({'; '.join(spelled)})"
            dated = {labels[d]: a for d, a in days.items()}
            found.append(_discrepancy(fact, dated, "date", credited))
        places = _one_each({a: set(places_named(s, known)) for a, s in fact.sentences.items()})
        if len(places) > 1:
            found.append(_discrepancy(fact, places, "place", credited))
    return found


def _discrepancy(
    fact: Fact, values: dict[str, list[str]], kind: str, credited: Credit
) -> Discrepancy:
    found = [Value(v, sorted(credited(set(a)))) for v, a in values.items()]
    return Discrepancy(fact.text, found, kind)


# Words that place a happening within its day ("Friday morning" names Friday)
TIME_OF_DAY = frozenset(("on", "early", "late", "morning", "afternoon", "evening", "night"))


def _same_words(days: dict[str, list[str]], written: dict[str, dict[str, str]]) -> bool:
    """Whether every article names its day in the same words ("Friday", "Friday morning"): the
    outlets agree, and the days differ only as the reading counted from each one's own
    publication date; that is no disagreement of theirs."""
    named = {
        " ".join(w for w in written[article][day].lower().split() if w not in TIME_OF_DAY)
        for day, articles in days.items()
        for article in articles
    }
    return len(named) == 1


def _one_each(named: dict[str, set[str]]) -> dict[str, list[str]]:
    """{value: articles} over the articles that give exactly one value."""
    values: dict[str, list[str]] = {}
    for article, found in named.items():
        if len(found) == 1:
            values.setdefault(next(iter(found)), []).append(article)
    return values


def _days(article: Article, sentence: str) -> dict[str, str]:
    """The days a sentence names, as ISO day -> the words that name it ("Tuesday")."""
    written: dict[str, str] = {}
    for m in article.mentions:
        named_here = m.text in sentence and m.sentence in sentence
        if m.day and m.precision in ("day", "time") and named_here:
            written.setdefault(m.day.isoformat(), m.text)
    return written


def word_choices(facts: list[Fact], credited: Credit = list) -> list[Wording]:
    """Where the outlets sharing a fact put different words in the same place: each swap of
    up to three content words, with the articles that chose each wording and their copies
    (`credited`). Amounts are left to `discrepancies`; reordered words and inflections
    ("meeting", "meetings") are no choice."""
    found = []
    for fact in facts:
        if fact.unique or len(fact.sentences) < 2:
            continue
        (first, sentence), *others = fact.sentences.items()
        ref = words(sentence)
        ref_keys = [fold(w) for w in ref]
        places: dict[tuple[int, int], dict[str, list[str]]] = {}
        for article, other in others:
            written = words(other)
            keys = [fold(w) for w in written]
            matcher = SequenceMatcher(None, ref_keys, keys, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "replace":
                    continue
                i1, i2 = _trim(ref_keys, i1, i2)
                j1, j2 = _trim(keys, j1, j2)
                if _is_choice(ref_keys[i1:i2], keys[j1:j2], ref_keys, keys):
                    choice = places.setdefault((i1, i2), {" ".join(ref[i1:i2]): [first]})
                    choice.setdefault(" ".join(written[j1:j2]), []).append(article)
        for (i1, i2), choice in sorted(places.items()):
            ref_words = " ".join(ref_keys[i1:i2])
            for article, other in others:  # outlets that kept the first wording
                if article not in sum(choice.values(), []) and ref_words in normalised(other):
                    choice[" ".join(ref[i1:i2])].append(article)
            found.append(Wording(sentence, [Value(w, credited(a)) for w, a in choice.items()]))
    return found


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
    if all(any(SAYS.fullmatch(w) for w in side) for side in (a, b)):
        return False  # "said" and "added": how a quote is introduced, not what is reported
    return not any(x[:5] == y[:5] for x in a for y in b)  # inflections of one word


def _amounts(sentence: str) -> list[str]:
    """The amounts a sentence gives, as written without its unit ('around 15', '$4.2 million');
    years and days of the month are no amounts."""
    found: list[str] = []
    for match in AMOUNT.finditer(sentence):
        number = match["number"].lower()
        if (
            re.fullmatch(r"(?:19|20)\d\d", number)
            or match["unit"]
            and match["unit"].lower() in ("day", "days", "p", "a", "pm", "am")
        ):
            continue
        if re.fullmatch(r"\d{1,2}", number) and re.search(
            r"(?:January|February|March|April|May|June|July|August|September|October|"
            r"November|December)\s*$",
            sentence[: match.start("number")],
        ):
            continue
        value = str(AMOUNT_WORDS.get(number, number.replace(",", "")))
        hedge = " ".join((match["hedge"] or "").lower().split())
        scale = (match["scale"] or "").lower().replace("percent", "%")
        text = " ".join(p for p in (hedge, (match["currency"] or "") + value, scale) if p)
        found.append(text)
    return found


def _values(sentence: str) -> set[str]:
    """The amounts without their hedges: what two wordings of one fact share."""
    return {
        " ".join(a.split()[-2:]) if a.split()[-1] in SCALES else a.split()[-1]
        for a in _amounts(sentence)
    }


def _comparable(values: dict[str, list[str]]) -> bool:
    """Different amounts from different articles (one article's two numbers are no dispute)."""
    carriers = [set(a) for a in values.values()]
    return any(not (x <= y) for x in carriers for y in carriers if x is not y)
