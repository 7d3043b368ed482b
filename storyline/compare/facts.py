"""Facts: statements aligned across an event's articles, and the numbers and words they differ in.

A fact is one statement as one or more outlets report it: sentences of different articles
whose content words mostly agree. The numbers in a fact's sentences ("around fifteen nations",
"at least 15 other countries") are compared: a different amount, or the same amount hedged
differently, is a discrepancy. Where the outlets' sentences swap one word or phrase for
another ("invasion" and "conflict"), that is a word choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Article, Discrepancy, Fact, Value, Wording
from ..text import NUMBER_WORDS, fold, normalised, sentences, words
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
AMOUNT = re.compile(
    rf"(?P<hedge>\b(?:{HEDGES})\s+)?(?P<currency>[$€£])?"
    rf"(?<![\w.])(?P<number>\d(?:[\d,]*\d)?(?:\.\d+)?|\b(?:{'|'.join(AMOUNT_WORDS)})\b)"
    r"(?:\s*(?P<scale>million|billion|thousand|%|percent))?"
    r"(?:[\s-]+(?:other\s+)?(?P<unit>[a-z]+))?",
    re.IGNORECASE,
)


@dataclass
class _Fact:
    sentences: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(article for article, _, _ in self.sentences))


def align_facts(articles: list[Article], outlet: dict[str, str]) -> list[Fact]:
    """Each statement once, with the articles that report it; `unique` when one outlet alone
    reports it. The facts most outlets share come first."""
    facts: list[_Fact] = []
    for article in articles:
        for paragraph in article.paragraphs:
            for sentence in sentences(paragraph):
                words = _content(sentence)
                if len(words) < MIN_CONTENT:
                    continue
                best, score = None, 0.0
                for fact in facts:
                    if article.id in fact.articles:
                        continue
                    similarity = max(_jaccard(words, other) for _, _, other in fact.sentences)
                    threshold = SAME_FACT
                    if _values(sentence) & {v for _, t, _ in fact.sentences for v in _values(t)}:
                        threshold = SAME_AMOUNT  # "around fifteen nations", "at least 15 ..."
                    if similarity >= threshold and similarity > score:
                        best, score = fact, similarity
                if best is None:
                    best = _Fact()
                    facts.append(best)
                best.sentences.append((article.id, sentence, words))
    result = [
        Fact(
            text=min((s for _, s, _ in f.sentences), key=len),
            articles=f.articles,
            unique=len({outlet[a] for a in f.articles}) == 1,
            sentences={a: s for a, s, _ in f.sentences},
        )
        for f in facts
    ]
    order = {a.id: n for n, a in enumerate(articles)}
    return sorted(
        result, key=lambda f: (-len({outlet[a] for a in f.articles}), order[f.articles[0]])
    )


def discrepancies(facts: list[Fact]) -> list[Discrepancy]:
    """Facts whose outlets give different amounts, or one amount hedged differently."""
    found = []
    for fact in facts:
        if len(fact.articles) < 2:
            continue
        values: dict[str, list[str]] = {}
        for article, sentence in fact.sentences.items():
            for amount in _amounts(sentence):
                values.setdefault(amount, []).append(article)
        if len(values) > 1 and _comparable(values):
            found.append(
                Discrepancy(fact.text, [Value(v, sorted(set(a))) for v, a in values.items()])
            )
    return found


def word_choices(facts: list[Fact]) -> list[Wording]:
    """Where the outlets sharing a fact put different words in the same place: each swap of
    up to three content words, with the articles that chose each wording. Amounts are left to
    `discrepancies`; reordered words and inflections ("meeting", "meetings") are no choice."""
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
            found.append(Wording(sentence, [Value(w, a) for w, a in choice.items()]))
    return found


def _trim(keys: list[str], start: int, end: int) -> tuple[int, int]:
    """The span without the function words at its edges."""
    while start < end and keys[start] in ENGLISH_STOP_WORDS:
        start += 1
    while end > start and keys[end - 1] in ENGLISH_STOP_WORDS:
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
    found = []
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


def _content(sentence: str) -> frozenset[str]:
    return frozenset(
        w for w in normalised(sentence).split() if w not in ENGLISH_STOP_WORDS and len(w) > 2
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (len(a | b) or 1)
