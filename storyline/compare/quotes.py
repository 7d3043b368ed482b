"""Quotes: direct quotes, their speakers, and one statement's wordings across outlets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, partial
from itertools import combinations

from ..model import Article, Quote, QuoteVariant
from ..text import TITLES, fold, normalised, sentence_spans, stop_words
from .copies import Credit

# Curly or straight marks, mixed as pasted text mixes them. A quote that runs on into the
# next paragraph has no closing mark in this one.
QUOTE = re.compile(
    r"“([^“”]{2,1500})”|[“\"]([^“”\"]{2,1500})[”\"]|(?<![^\s(])[“\"](?=\S)([^“”\"]{2,1500})$"
)
MIN_QUOTE_WORDS = 4
SAME_QUOTE = 0.6  # share of the shorter variant's words found in order in the other
MIN_SHARED_RUN = 4  # and at least this many words in a row: short quotes match by chance
SAME_STATEMENT = 0.5  # share of content words one speaker's two wordings of a statement share
MIN_SHARED_CONTENT = 3

NAME = r"[A-Z][\w’'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w’'-]+){1,2}"
OFFICE = re.compile(
    rf"^(?:[A-Z][\w.’'-]*\s+)*?(?:(?:{TITLES}|Attorney|Justice|Vice|State|Mrs?|Ms|Dr)\s+)+"
)
# The last words of a body or a description, not of a person: "West Virginia Democrat said",
# "the Harbour Statistics Office said", "Team Norrgard said"
NOT_A_PERSON = re.compile(
    r"(?:^Team\b|\b(?:Democrats?|Republicans?|House|Department|Office|Committee|Council|Court|"
    r"Party|Administration|Agency|Statistics|Service|Bureau|Ministry|Government|Police|"
    r"Times|News|Post|Journal|Press|Network|Group|Association|Union|Institute|Center|Centre)$)"
)
FULL_NAME = re.compile(r"\b[A-Z][a-z’'-]+\s+(?:[A-Z]\.\s+)?(?P<last>[A-Z][a-z’'-]+)\b(?![’']s)")
CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w’'-]+)*")
TITLED_NAME = re.compile(rf"\b{TITLES}\s+({NAME})")
JOBS = (
    r"(?i:minister|secretary|president|chancellor|mayor|governor|senator|spokes\w+|chief|"
    r"director|engineer|commissioner|judge|ambassador|general|chair\w*|ceo|leader|manager|"
    r"owner|founder|head|analyst|professor|economist|lawyer|attorney|researcher|member|"
    r"executive|official|officer|editor|correspondent)"
)
REPORTING = (
    r"(?:said|says|added|adds|told|noted|stated|explained|emphasi[sz]ed|remarked|insisted|"
    r"warned|argued|declared|asserted|stressed|highlighted|underlined|wrote|continued|saying)"
)
# A title or description set off by commas between a name and its verb: "Oskar Brandt, a
# ferry captain at the quay, told ..."
APPOSITION = r",\s+[^,“”\"!?]{2,80}?,\s+(?:also\s+)?"
APPOSITIVE_SAYS = re.compile(rf"\b({NAME}){APPOSITION}{REPORTING}\b")
# "press secretary Jen Psaki"; the look-ahead first skips the words no name follows, cheaply
JOB_NAME = re.compile(rf"\b(?=\w+\s+[A-Z]){JOBS}\s+({NAME})")
APPOSITIVE_NAME = re.compile(rf"\b({NAME}),\s+(?:the\s+|a\s+|an\s+)?[^,.]{{0,40}}?\b{JOBS}\b")
OF_NAME = re.compile(rf"\b({NAME})\s+of\s+(?:the\s+)?[A-Z]")
SAYS_NAME = re.compile(rf"\b({NAME})\s+(?:also\s+)?{REPORTING}\b")
PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
# Verbs that give someone's words in a fragment of a sentence about them: "Lind spoke of her
# grief at the loss of 'one of the kindest ...'"
SPEAKING = (
    r"(?:spoke|speaks|speaking|tweeted|posted|described|called|mourned|praised|condemned|"
    r"hailed|paid\s+tribute)"
)
AFTER_PRONOUN = re.compile(rf"^[\s,.]*(?P<who>he|she|they)\s+{REPORTING}\b", re.IGNORECASE)
HONORIFIC = r"(?P<honorific>(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?\s+)?"  # "Mr. Boehner said"
WHO = rf"{HONORIFIC}(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)"
AFTER_SAID_NAME = re.compile(rf"^[\s,.]*{REPORTING}\s+{WHO}")
AFTER_NAME_SAID = re.compile(rf"^[\s,.]*{WHO}\s+{REPORTING}\b")
AFTER_APPOSITION_SAID = re.compile(rf"^[\s,.]*{WHO}{APPOSITION}{REPORTING}\b")
# '"...," harbour press officer Ilse Norrgard said': a known person in the words before
AFTER_CLAUSE_SAID = re.compile(rf"^[\s,.]*(?P<clause>[^.!?“”\"]{{1,80}}?)\s+{REPORTING}\b")
BEFORE_REPORTING = re.compile(
    rf"(?:\b{WHO}(?:{APPOSITION}|\s+(?:also\s+)?)|(?P<pronoun>\b[Hh]e|\b[Ss]he)\s+(?:also\s+)?)"
    rf"{REPORTING}\b"
)
SURNAME = r"(?P<who>[A-Z][a-z’'-]+)"
SURNAME_SPEAKS = re.compile(rf"\b{SURNAME}\s+{REPORTING}\b")
SPEAKS_SURNAME = re.compile(rf"\b{REPORTING}\s+{SURNAME}\b")
HONOURED_SURNAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Dr)\.\s+{SURNAME}")
OBJECT_CUE = re.compile(r"\b(?:for|of|to|with|against|about|by|from|at|on|than)\s+(?:\w+\.\s+)?$")
ACCORDING_TO = re.compile(rf"\b[Aa]ccording to {WHO}")


@dataclass(frozen=True)
class _Found:
    article: str
    speaker: str | None
    text: str
    words: tuple[str, ...]
    pronoun: str | None = None  # "he" or "she" when the speaker was found through a pronoun

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.words)

    @cached_property
    def content(self) -> frozenset[str]:
        stop = stop_words()
        return frozenset(w for w in self.words if w not in stop and len(w) > 2)


@dataclass(frozen=True)
class _Named:
    """A person named in an article, where, and whether as the object of a preposition."""

    paragraph: int
    offset: int
    person: str
    sentence: int  # index within the paragraph
    object: bool


# --- people ---


class People:
    """The event's people, by full name, with surnames and accent-folded forms mapped to them."""

    def __init__(self, articles: list[Article]):
        self.by_key: dict[str, str | None] = {}  # None: a surname several people share
        for article in articles:
            text = "\n".join([*article.captions, *article.paragraphs])  # captions name people too
            for pattern in (
                TITLED_NAME,
                APPOSITIVE_NAME,
                APPOSITIVE_SAYS,
                JOB_NAME,
                OF_NAME,
                SAYS_NAME,
            ):
                for match in pattern.finditer(text):
                    self._add(match.group(1))
        # A surname that speaks or takes an honorific ("Mr. Trump said") belongs to the full
        # name it ends somewhere in the coverage ("Donald J. Trump"), however that was written.
        texts = ["\n".join([*a.captions, *a.paragraphs]) for a in articles]
        speaking = {
            m["who"]
            for text in texts
            for pattern in (SURNAME_SPEAKS, SPEAKS_SURNAME, HONOURED_SURNAME)
            for m in pattern.finditer(text)
        }
        full_names = Counter(
            m.group() for text in texts for m in FULL_NAME.finditer(text) if m["last"] in speaking
        )
        joined = "\n".join(texts)
        for name, _ in full_names.most_common():
            if self.resolve(name) is not None:
                continue
            # A first name is never written in lower case; "defend" in "Defend Ukraine" is.
            if not re.search(rf"\b{re.escape(name.split()[0].lower())}\b", joined):
                self._add(name)

    def _add(self, name: str) -> None:
        name = re.sub(r"[’']s$", "", name.strip().split("\n")[-1])
        name = OFFICE.sub("", name)  # "Defence Minister", "U.S. Attorney": the office, not the name
        parts = name.split()
        if (
            len(parts) < 2
            or parts[0].lower() in stop_words()  # "The Threat"
            or any(p.isupper() and len(p.rstrip(".")) > 1 for p in parts)  # "UK Defense"
            or NOT_A_PERSON.search(name)
        ):
            return
        plain = fold(" ".join(p for p in parts if not re.fullmatch(r"[A-Z]\.", p)))
        full = fold(name)
        # "John A. Boehner" and "John Boehner" are one person, named as first met
        person = self.by_key.setdefault(full, self.by_key.get(plain, name))
        self.by_key.setdefault(plain, person)
        surname = fold(parts[-1])
        # A surname two people share ("Cheney") names neither of them on its own.
        self.by_key[surname] = person if self.by_key.get(surname, person) == person else None

    def resolve(self, words: str) -> str | None:
        """The full name a name or surname stands for ("Lecornu" -> "Sébastien Lecornu")."""
        key = fold(re.sub(r"[’']s?$", "", words.strip()))
        if key in self.by_key:
            return self.by_key[key]
        last = key.split()[-1] if key.split() else ""
        return self.by_key.get(last)

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(offset, full name) of every person named in the text as someone who may speak:
        the longest name in each run of capitalised words ("Vice President Dick Cheney"),
        leaving out possessives ("Christie's campaign")."""
        found = []
        for run in CAPITALISED_RUN.finditer(text):
            tokens = list(re.finditer(r"\S+", run.group()))
            start = 0
            while start < len(tokens):
                for end in range(len(tokens), start, -1):
                    words = run.group()[tokens[start].start() : tokens[end - 1].end()]
                    if person := self.resolve(words):
                        if not re.search(r"[’']s$", words):
                            found.append((run.start() + tokens[start].start(), person))
                        start = end
                        break
                else:
                    start += 1
        return found


# --- quotes ---


def extract_quotes(article: Article, people: People) -> list[_Found]:
    """Direct quotes with their speakers: named beside the quote, by a pronoun pointing back to
    the subject of the last sentence that names someone, or carried over from the previous
    quote of the paragraph."""
    named = []  # every person named outside quotes, in reading order
    for index, paragraph in enumerate(article.paragraphs):
        spans = list(sentence_spans(paragraph))
        for start, end in _outside_quotes(paragraph):
            for offset, person in people.mentions(paragraph[start:end]):
                at = start + offset
                sentence = next((n for n, (s, e) in enumerate(spans) if s <= at < e), -1)
                object_ = bool(OBJECT_CUE.search(paragraph[max(0, at - 12) : at]))
                named.append(_Named(index, at, person, sentence, object_))
    quotes: list[_Found] = []
    for index, paragraph in enumerate(article.paragraphs):
        antecedent = partial(_antecedent, named, index)
        previous_speaker = None
        for match in QUOTE.finditer(paragraph):
            quoted = quoted_words(match).strip().strip(",")
            tokens = tuple(normalised(quoted).split())
            if len(tokens) < MIN_QUOTE_WORDS:
                continue  # a scare quote ("strong"), not a statement
            speaker, pronoun = _speaker(paragraph, match, people, antecedent)
            if speaker is None:
                speaker, pronoun = previous_speaker, None
            quotes.append(_Found(article.id, speaker, quoted, tokens, pronoun))
            previous_speaker = speaker
    return _dedupe(quotes)


def quoted_words(match: re.Match) -> str:
    """What a QUOTE match has inside its quotation marks."""
    return next(group for group in match.groups() if group)


def _outside_quotes(paragraph: str) -> list[tuple[int, int]]:
    bounds = [0, *(i for m in QUOTE.finditer(paragraph) for i in m.span()), len(paragraph)]
    return list(zip(bounds[::2], bounds[1::2], strict=True))


def _antecedent(named: list[_Named], paragraph: int, offset: int) -> str | None:
    """Whom "he" or "she" at this place most likely means: the subject of the last sentence
    naming anyone, that is its first person not named as an object ("a lawyer for Mr. Grimm",
    "threatened to throw Mr. Scotto")."""
    before = [n for n in named if (n.paragraph, n.offset) < (paragraph, offset)]
    if not before:
        return None
    last = before[-1]
    sentence = [n for n in before if (n.paragraph, n.sentence) == (last.paragraph, last.sentence)]
    subjects = [n for n in sentence if not n.object]
    return (subjects or sentence)[0].person


def _speaker(
    paragraph: str, match: re.Match, people: People, antecedent: Callable[[int], str | None]
) -> tuple[str | None, str | None]:
    """(speaker, the pronoun that named them if one did)."""
    after = paragraph[match.end() : match.end() + 80]
    if m := AFTER_PRONOUN.match(after):
        pronoun = m["who"].lower()
        return (antecedent(match.start()), pronoun) if pronoun != "they" else (None, None)
    for pattern in (AFTER_APPOSITION_SAID, AFTER_SAID_NAME, AFTER_NAME_SAID):
        if (m := pattern.match(after)) and (person := _named(people, m)):
            return person, None
    if (m := AFTER_CLAUSE_SAID.match(after)) and (named := people.mentions(m["clause"])):
        return named[-1][1], None  # the one nearest the verb
    start = next((s for s, e in sentence_spans(paragraph) if s <= match.start() < e), 0)
    before = paragraph[start : match.start()]
    if m := ACCORDING_TO.search(before):
        return people.resolve(m["who"]), None
    reporters = list(BEFORE_REPORTING.finditer(before))
    if reporters:  # "..., and Lecornu emphasized, “...”": the nearest one who speaks
        who = reporters[-1]
        if who["pronoun"]:
            return antecedent(start + who.start()), who["pronoun"].lower()
        if person := _named(people, who):
            return person, None
    says = re.search(rf"\b{REPORTING}\b", before) or re.search(rf"\b{SPEAKING}\b", before)
    if says:  # "After Scotto finished, Grimm stormed back and said, '...'": the nearest one
        before = before[: says.start()]
    elif match.group()[1:2].islower():
        # A fragment woven into a sentence is the subject's words only if the subject says
        # something ("Ames on Monday said she would support a plan 'to close ...'"), not
        # when the sentence is about them ("Politico reported that he 'has built no team'").
        return None, None
    subjects = sorted(
        [(m.start(), m.group().lower()) for m in PRONOUN.finditer(before)]
        + [
            (offset, person)
            for offset, person in people.mentions(before)
            if not OBJECT_CUE.search(before[max(0, offset - 12) : offset])
        ],
        key=lambda x: x[0],
    )
    if subjects:
        offset, who = subjects[-1] if says else subjects[0]
        if who in ("he", "she"):
            return antecedent(start + offset), who
        return who, None
    return None, None


def _named(people: People, match: re.Match) -> str | None:
    """The person a speaking pattern names: as the coverage names them in full, else as
    written when an honorific marks a person ("Ms. Haldane")."""
    if person := people.resolve(match["who"]):
        return person
    return match["who"] if match["honorific"] else None


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


def match_quotes(
    found: list[_Found], outlet: dict[str, str], credited: Credit = list
) -> list[Quote]:
    """Group one statement's wordings across articles; classify and diff each variant; flag
    what the outlets disagree on. `outlet` names each article's outlet; `credited` adds the
    copies of an article that carry its quotes (see `copies`)."""
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
    quotes = [_quote(members, outlet, genders, outlets, credited) for members in clusters.values()]
    return sorted(quotes, key=lambda q: (-len(q.articles), q.speaker or "~", q.text))


def _same_wording(a: _Found, b: _Found) -> bool:
    """Most of the shorter one's words in the other, in order, with a run of several."""
    short, other = (a, b) if len(a.words) <= len(b.words) else (b, a)
    shorter = len(short.words)
    if sum(w in other.vocabulary for w in short.words) < SAME_QUOTE * shorter:
        return False  # too few of its words are there at all, let alone in order
    aligned, run = _aligned(a.words, b.words)
    return aligned >= SAME_QUOTE * shorter and run >= min(MIN_SHARED_RUN, shorter)


def _same_statement(a: _Found, b: _Found) -> bool:
    """One speaker saying the same thing in other words: half the content words of the
    shorter wording recur ('the pier deck is rotten' and 'a rotten pier deck')."""
    if not a.speaker or a.speaker != b.speaker:
        return False
    shared = len(a.content & b.content)
    return shared >= MIN_SHARED_CONTENT and shared >= SAME_STATEMENT * min(
        len(a.content), len(b.content)
    )


def _quote(
    members: list[_Found], outlet: dict[str, str], genders: Counter, outlets: int, credited: Credit
) -> Quote:
    speakers = Counter(m.speaker for m in members if m.speaker)
    texts: dict[tuple[str, ...], list[_Found]] = {}
    for member in members:
        texts.setdefault(member.words, []).append(member)
    # The wording most articles carry (copies too), then the longest, is the one the others
    # are compared with.
    ordered = sorted(
        texts.values(),
        key=lambda ms: (-len(_carriers(ms, credited)), -len(ms[0].words), ms[0].text),
    )
    main = ordered[0][0]
    variants = [QuoteVariant(main.text, _carriers(ordered[0], credited), "original")]
    for group in ordered[1:]:
        variant = group[0]
        variants.append(
            QuoteVariant(
                variant.text,
                _carriers(group, credited),
                _kind(main.words, variant.words),
                word_diff(main.text, variant.text),
            )
        )
    return Quote(
        speaker=speakers.most_common(1)[0][0] if speakers else None,
        text=main.text,
        articles=_carriers(members, credited),
        variants=variants,
        conflicts=_conflicts(members, speakers, outlet, genders, credited),
        only_in=_only_in(members, outlet, outlets, credited),
    )


def _carriers(members: list[_Found], credited: Credit) -> list[str]:
    """The articles that carry these quotes, and their copies."""
    return sorted(credited({m.article for m in members}))


def _conflicts(
    members: list[_Found],
    speakers: Counter,
    outlet: dict[str, str],
    genders: Counter,
    credited: Credit,
) -> list[str]:
    """What a reader must weigh: one quote given to two people; a pronoun of the other gender
    than the rest of the coverage uses for the speaker."""
    found = []
    if len(speakers) > 1:
        found.append(
            "attributed to "
            + "; to ".join(
                f"{who} by "
                + ", ".join(
                    sorted(
                        {
                            outlet[a]
                            for a in _carriers([m for m in members if m.speaker == who], credited)
                        }
                    )
                )
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
    return found


def _only_in(
    members: list[_Found], outlet: dict[str, str], outlets: int, credited: Credit
) -> str | None:
    """The outlet that alone carries the quote, when the event has others."""
    carriers = {outlet[a] for a in _carriers(members, credited)}
    return next(iter(carriers)) if outlets > 1 and len(carriers) == 1 else None


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
