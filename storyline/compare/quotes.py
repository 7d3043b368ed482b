"""Quotes: direct quotes, their speakers, and one statement's wordings across outlets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import partial
from itertools import combinations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Article, Quote, QuoteVariant
from ..text import TITLES, fold, normalised, sentence_spans

QUOTE = re.compile(r"“([^“”]{2,1500})”|\"([^\"]{2,1500})\"")
MIN_QUOTE_WORDS = 4
SAME_QUOTE = 0.6  # share of the shorter variant's words found in order in the other
MIN_SHARED_RUN = 4  # and at least this many words in a row: short quotes match by chance
SAME_STATEMENT = 0.5  # share of content words one speaker's two wordings of a statement share
MIN_SHARED_CONTENT = 3

NAME = r"[A-Z][\w’'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w’'-]+){1,2}"
TITLED_NAME = re.compile(rf"\b{TITLES}\s+({NAME})")
JOBS = (
    r"(?i:minister|secretary|president|chancellor|mayor|governor|senator|spokes\w+|chief|"
    r"director|engineer|commissioner|judge|ambassador|general|chair\w*|ceo|leader|manager|"
    r"owner|founder|head|analyst|professor|economist|lawyer|attorney|researcher|member|"
    r"executive|official|officer|editor|correspondent)"
)
APPOSITIVE_NAME = re.compile(rf"\b({NAME}),\s+(?:the\s+|a\s+|an\s+)?[^,.]{{0,40}}?\b{JOBS}\b")
OF_NAME = re.compile(rf"\b({NAME})\s+of\s+(?:the\s+)?[A-Z]")
SAYS_NAME = re.compile(rf"\b({NAME})\s+(?:said|says|told|added|noted|stated|explained)\b")
PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
REPORTING = (
    r"(?:said|says|added|adds|told|noted|stated|explained|emphasi[sz]ed|remarked|insisted|"
    r"warned|argued|declared|asserted|stressed|highlighted|underlined|wrote|continued)"
)
AFTER_PRONOUN = re.compile(rf"^[\s,.]*(?P<who>he|she|they)\s+{REPORTING}\b", re.IGNORECASE)
AFTER_SAID_NAME = re.compile(rf"^[\s,.]*{REPORTING}\s+(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)")
AFTER_NAME_SAID = re.compile(
    rf"^[\s,.]*(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)\s+{REPORTING}\b"
)
BEFORE_REPORTING = re.compile(
    rf"(?P<who>\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*|\b[Hh]e|\b[Ss]he)\s+(?:also\s+)?{REPORTING}\b"
)
ACCORDING_TO = re.compile(r"according to (?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)")


@dataclass(frozen=True)
class _Found:
    article: str
    speaker: str | None
    text: str
    words: tuple[str, ...]
    pronoun: str | None = None  # "he" or "she" when the speaker was found through a pronoun


# --- people ---


class People:
    """The event's people, by full name, with surnames and accent-folded forms mapped to them."""

    def __init__(self, articles: list[Article]):
        self.by_key: dict[str, str] = {}
        for article in articles:
            text = "\n".join([*article.captions, *article.paragraphs])  # captions name people too
            for pattern in (TITLED_NAME, APPOSITIVE_NAME, OF_NAME, SAYS_NAME):
                for match in pattern.finditer(text):
                    self._add(match.group(1))

    def _add(self, name: str) -> None:
        name = re.sub(r"[’']s$", "", name.strip())
        parts = name.split()
        if len(parts) < 2 or any(p.isupper() and len(p) > 1 for p in parts):
            return  # "UK Defense" is not a name
        full = fold(name)
        self.by_key.setdefault(full, name)
        self.by_key.setdefault(fold(parts[-1]), self.by_key[full])

    def resolve(self, words: str) -> str | None:
        """The full name a name or surname stands for ("Lecornu" -> "Sébastien Lecornu")."""
        key = fold(re.sub(r"[’']s?$", "", words.strip()))
        if key in self.by_key:
            return self.by_key[key]
        last = key.split()[-1] if key.split() else ""
        return self.by_key.get(last)

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(offset, full name) of every person named in the text."""
        found = []
        for match in re.finditer(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}", text):
            person = self.resolve(match.group())
            if person:
                found.append((match.start(), person))
        return found


# --- quotes ---


def extract_quotes(article: Article, people: People) -> list[_Found]:
    """Direct quotes with their speakers: named beside the quote, by a pronoun pointing back to
    the last person named, or carried over from the previous quote of the paragraph."""
    named = [  # (paragraph, offset, person) for every person named outside quotes
        (index, start + offset, person)
        for index, paragraph in enumerate(article.paragraphs)
        for start, end in _outside_quotes(paragraph)
        for offset, person in people.mentions(paragraph[start:end])
    ]
    quotes: list[_Found] = []
    for index, paragraph in enumerate(article.paragraphs):
        antecedent = partial(_last_named_before, named, index)
        previous_speaker = None
        for match in QUOTE.finditer(paragraph):
            quoted = (match.group(1) or match.group(2)).strip().strip(",")
            tokens = tuple(normalised(quoted).split())
            if len(tokens) < MIN_QUOTE_WORDS:
                continue  # a scare quote ("strong"), not a statement
            speaker, pronoun = _speaker(paragraph, match, people, antecedent)
            if speaker is None:
                speaker, pronoun = previous_speaker, None
            quotes.append(_Found(article.id, speaker, quoted, tokens, pronoun))
            previous_speaker = speaker
    return _dedupe(quotes)


def _outside_quotes(paragraph: str) -> list[tuple[int, int]]:
    bounds = [0, *(i for m in QUOTE.finditer(paragraph) for i in m.span()), len(paragraph)]
    return list(zip(bounds[::2], bounds[1::2], strict=True))


def _last_named_before(named: list[tuple[int, int, str]], index: int, offset: int) -> str | None:
    before = [person for i, off, person in named if (i, off) < (index, offset)]
    return before[-1] if before else None


def _speaker(
    paragraph: str, match: re.Match, people: People, antecedent: Callable[[int], str | None]
) -> tuple[str | None, str | None]:
    """(speaker, the pronoun that named them if one did)."""
    after = paragraph[match.end() : match.end() + 80]
    if m := AFTER_PRONOUN.match(after):
        pronoun = m["who"].lower()
        return (antecedent(match.start()), pronoun) if pronoun != "they" else (None, None)
    for pattern in (AFTER_SAID_NAME, AFTER_NAME_SAID):
        if (m := pattern.match(after)) and (person := people.resolve(m["who"])):
            return person, None
    start = next((s for s, e in sentence_spans(paragraph) if s <= match.start() < e), 0)
    before = paragraph[start : match.start()]
    if m := ACCORDING_TO.search(before):
        return people.resolve(m["who"]), None
    reporters = list(BEFORE_REPORTING.finditer(before))
    if reporters:  # "..., and Lecornu emphasized, “...”": the nearest one who speaks
        who = reporters[-1]
        if who["who"].lower() in ("he", "she"):
            return antecedent(start + who.start()), who["who"].lower()
        if person := people.resolve(who["who"]):
            return person, None
    subjects = sorted(
        [(m.start(), m.group().lower()) for m in PRONOUN.finditer(before)]
        + [(offset, None) for offset, _ in people.mentions(before)],
        key=lambda x: x[0],
    )
    if subjects:
        offset, pronoun = subjects[0]
        if pronoun:
            return antecedent(start + offset), pronoun
        return people.mentions(before[offset:])[0][1], None
    return None, None


def _dedupe(quotes: list[_Found]) -> list[_Found]:
    seen: set[tuple[str, ...]] = set()
    unique = []
    for quote in quotes:
        if quote.words not in seen:
            seen.add(quote.words)
            unique.append(quote)
    return unique


def _aligned(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, int]:
    """Words of a found in order in b: in all, and in the longest unbroken run."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks), max(block.size for block in blocks)


def match_quotes(found: list[_Found], outlet: dict[str, str]) -> list[Quote]:
    """Group one statement's wordings across articles; classify and diff each variant; flag
    what the outlets disagree on. `outlet` names each article's outlet."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in combinations(range(len(found)), 2):
        a, b = found[i], found[j]
        if a.article == b.article or root(i) == root(j):
            continue
        if _same_wording(a, b) or _same_statement(a, b):
            parent[root(j)] = root(i)
    clusters: dict[int, list[_Found]] = {}
    for i, quote in enumerate(found):
        clusters.setdefault(root(i), []).append(quote)
    genders = Counter((q.speaker, q.pronoun) for q in found if q.speaker and q.pronoun)
    outlets = len(set(outlet.values()))
    quotes = [_quote(members, outlet, genders, outlets) for members in clusters.values()]
    return sorted(quotes, key=lambda q: (-len(q.articles), q.speaker or "~", q.text))


def _same_wording(a: _Found, b: _Found) -> bool:
    """Most of the shorter one's words in the other, in order, with a run of several."""
    shorter = min(len(a.words), len(b.words))
    aligned, run = _aligned(a.words, b.words)
    return aligned >= SAME_QUOTE * shorter and run >= min(MIN_SHARED_RUN, shorter)


def _same_statement(a: _Found, b: _Found) -> bool:
    """One speaker saying the same thing in other words: half the content words of the
    shorter wording recur ('the pier deck is rotten' and 'a rotten pier deck')."""
    if not a.speaker or a.speaker != b.speaker:
        return False
    x, y = _content(a.words), _content(b.words)
    shared = len(x & y)
    return shared >= MIN_SHARED_CONTENT and shared >= SAME_STATEMENT * min(len(x), len(y))


def _content(words: tuple[str, ...]) -> set[str]:
    return {w for w in words if w not in ENGLISH_STOP_WORDS and len(w) > 2}


def _quote(members: list[_Found], outlet: dict[str, str], genders: Counter, outlets: int) -> Quote:
    speakers = Counter(m.speaker for m in members if m.speaker)
    texts: dict[tuple[str, ...], list[_Found]] = {}
    for member in members:
        texts.setdefault(member.words, []).append(member)
    # The wording most outlets carry, then the longest, is the one the others are compared with.
    ordered = sorted(texts.values(), key=lambda ms: (-len(ms), -len(ms[0].words), ms[0].text))
    main = ordered[0][0]
    variants = [QuoteVariant(main.text, sorted({m.article for m in ordered[0]}), "original")]
    for group in ordered[1:]:
        variant = group[0]
        variants.append(
            QuoteVariant(
                variant.text,
                sorted({m.article for m in group}),
                _kind(main.words, variant.words),
                word_diff(main.text, variant.text),
            )
        )
    return Quote(
        speaker=speakers.most_common(1)[0][0] if speakers else None,
        text=main.text,
        articles=sorted({m.article for m in members}),
        variants=variants,
        conflicts=_conflicts(members, speakers, outlet, genders, outlets),
    )


def _conflicts(
    members: list[_Found], speakers: Counter, outlet: dict[str, str], genders: Counter, outlets: int
) -> list[str]:
    """One quote given to two people; a pronoun of the other gender than the rest of the
    coverage uses for the speaker; a direct quote that a single outlet carries."""
    found = []
    if len(speakers) > 1:
        found.append(
            "attributed to "
            + "; to ".join(
                f"{who} by "
                + ", ".join(sorted({outlet[m.article] for m in members if m.speaker == who}))
                for who in speakers
            )
        )
    other = {"he": "she", "she": "he"}
    for member in members:
        if member.speaker and member.pronoun in other:
            opposite = other[member.pronoun]
            if genders[(member.speaker, opposite)] > genders[(member.speaker, member.pronoun)]:
                found.append(
                    f"{outlet[member.article]} writes “{member.pronoun} said” of "
                    f"{member.speaker}, whom the coverage otherwise calls “{opposite}”"
                )
    carriers = {outlet[m.article] for m in members}
    if outlets > 1 and len(carriers) == 1:
        found.append(f"only {next(iter(carriers))} carries this as a direct quote")
    return found


def _kind(main: tuple[str, ...], other: tuple[str, ...]) -> str:
    aligned, _ = _aligned(main, other)
    shorter = min(len(main), len(other))
    if main == other:
        return "verbatim"
    if aligned >= 0.9 * shorter and shorter < 0.8 * max(len(main), len(other)):
        return "partial"
    return "reworded"


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Word-level edit script from a to b: ("equal" | "delete" | "insert", words)."""
    x, y = a.split(), b.split()
    keys_x, keys_y = [normalised(w) for w in x], [normalised(w) for w in y]
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_x, keys_y, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(y[j1:j2])))
            continue
        if i2 > i1:
            ops.append(("delete", " ".join(x[i1:i2])))
        if j2 > j1:
            ops.append(("insert", " ".join(y[j1:j2])))
    return ops
