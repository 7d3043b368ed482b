"""Quotes: direct quotes, their speakers, and one statement's wordings across outlets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, partial
from itertools import combinations

from ..model import Article, Quote, QuoteVariant
from ..text import (
    CAPITAL,
    NAME_GAP,
    NAME_RUN,
    NAME_WORD,
    PARTICLE,
    TITLES,
    fold,
    normalised,
    sentence_spans,
    stop_words,
)
from .copies import Credit

# Curly or straight marks, mixed as pasted text mixes them ("“...," Schultz said. "...”": a
# straight mark closes a curly one). A quote that runs on into the next paragraph has no
# closing mark in this one.
QUOTE = re.compile(
    r"“([^“”\"]{2,1500})”|[“\"]([^“”\"]{2,1500})[”\"]|(?<![^\s(])[“\"](?=\S)([^“”\"]{2,1500})$"
)
MIN_QUOTE_WORDS = 4
SAME_QUOTE = 0.6  # share of the shorter variant's words found in order in the other
MIN_SHARED_RUN = 4  # and at least this many words in a row: short quotes match by chance
SAME_STATEMENT = 0.5  # share of content words one speaker's two wordings of a statement share
MIN_SHARED_CONTENT = 3

NAME = rf"{NAME_WORD}(?:{NAME_GAP}{NAME_WORD}){{1,2}}"  # two or three words: a person's
OFFICE = re.compile(
    rf"^(?:[A-Z][\w.’'-]*\s+)*?(?:(?:{TITLES}|Attorney|Justice|Vice|State|Mrs?|Ms|Dr)\s+)+"
)
# The last words of a body or a description, not of a person: "West Virginia Democrat said",
# "the Harbour Statistics Office said", "Team Norrgard said"
NOT_A_PERSON = re.compile(
    r"(?:^Team\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Democrats?|Republicans?|House|Department|Office|Committee|Council|Court|"
    r"Party|Administration|Agency|Statistics|Service|Bureau|Ministry|Government|Police|"
    r"Times|News|Post|Journal|Press|Network|Group|Association|Union|Institute|Center|Centre)$)"
)
# A word of a name written in small letters after its capital: "Lecornu", not "UK"
SMALL_NAME_WORD = rf"{CAPITAL}(?:(?!{CAPITAL})[^\W\d_]|[’'-])+"
FULL_NAME = re.compile(
    rf"\b{SMALL_NAME_WORD}[^\S\n]+(?:{CAPITAL}\.[^\S\n]+)?(?P<last>{SMALL_NAME_WORD})\b(?![’']s)"
)
CAPITALISED_RUN = re.compile(rf"\b{NAME_RUN}")
TITLED_NAME = re.compile(rf"\b{TITLES}\s+({NAME})")
TITLED_SURNAME = re.compile(
    r"\b(?:President|Mr\.|Mrs\.|Ms\.|Dr\.|Sen\.|Rep\.|Gov\.|Gen\.|Senator|Representative|"
    r"Governor|Justice|Judge|Secretary|Speaker|Mayor|Chancellor|Minister)"
    rf"\s+(?P<who>{SMALL_NAME_WORD})\b(?!\s+(?:{CAPITAL}|{PARTICLE}|al-))"
)
JOBS = (
    r"(?i:minister|secretary|president|chancellor|mayor|governor|senator|spokes\w+|chief|"
    r"director|engineer|commissioner|judge|ambassador|general|chair\w*|ceo|leader|manager|"
    r"owner|founder|head|analyst|professor|economist|lawyer|attorney|researcher|member|"
    r"executive|official|officer|editor|correspondent|candidate|host|commentator|reporter|"
    r"columnist|activist|adviser|advisor|aide|strategist|profiler|lawmaker|legislator)"
)
# A participle gives the words of its sentence's subject, however many names come between:
# "Tomas Vell blamed the council for the delay, saying ..."
PARTICIPLE = r"(?:saying|adding|writing|telling|asking|tweeting|noting|arguing|insisting)"
REPORTING = (
    r"(?:said|says|added|adds|told|noted|stated|explained|emphasi[sz]ed|remarked|insisted|"
    r"warned|argued|declared|asserted|stressed|highlighted|underlined|wrote|writes|continued|"
    r"asked|replied|responded|answered|testified|tweeted|posted|acknowledged|conceded|"
    rf"admitted|confirmed|recalled|complained|joked|quipped|countered|went\s+on|{PARTICIPLE})"
)
# A title or description set off by commas between a name and its verb: "Oskar Brandt, a
# ferry captain at the quay, told ..."
APPOSITION = r",\s+[^,“”\"!?]{2,80}?,\s+(?:also\s+)?"
APPOSITIVE_SAYS = re.compile(rf"\b({NAME}){APPOSITION}{REPORTING}\b")
# "press secretary Jen Psaki"; the look-ahead first skips the words no name follows, cheaply
JOB_NAME = re.compile(rf"\b(?=\w+\s+{CAPITAL}){JOBS}\s+({NAME})")
APPOSITIVE_NAME = re.compile(rf"\b({NAME}),\s+(?:the\s+|a\s+|an\s+)?[^,.]{{0,40}}?\b{JOBS}\b")
OF_NAME = re.compile(rf"\b({NAME})\s+of\s+(?:the\s+)?{CAPITAL}")
SAYS_NAME = re.compile(rf"\b({NAME})\s+(?:also\s+)?{REPORTING}\b")
PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
# Verbs that give someone's words in a fragment of a sentence about them: "Lind spoke of her
# grief at the loss of 'one of the kindest ...'"
SPEAKING = (
    r"(?:spoke|speaks|speaking|described|called|mourned|praised|condemned|"
    r"hailed|paid\s+tribute)"
)
# What comes between a quote and its attribution: nothing but punctuation, or the last words
# of a sentence the quote broke off ('"... the plan needs $4.2" million, Ms. Ames said');
# tried without them first, so that the nearest verb decides
AFTER = r"^(?P<lead>\s*[^“”\"\n.!?,]{1,30},)??[\s,.]*"
AFTER_PRONOUN = re.compile(rf"{AFTER}(?P<who>he|she|they)\s+{REPORTING}\b", re.IGNORECASE)
# "Gen. Martin Dempsey", "Sen. Tim Kaine": a full stop that ends no sentence
ABBREVIATED = r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Adm|St|Jr)\."
HONORIFIC = r"(?P<honorific>(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.?\s+)?"  # "Mr. Boehner said"
WHO = (
    rf"{HONORIFIC}(?P<who>{PARTICLE}?{NAME_RUN})"
    r"(?:\s+\([^()]{1,30}\))?"  # "Sen. Tim Kaine (D-Va.)"
)
AFTER_SAID_NAME = re.compile(rf"{AFTER}{REPORTING}\s+{WHO}")
AFTER_NAME_SAID = re.compile(rf"{AFTER}{WHO}\s+{REPORTING}\b")
AFTER_APPOSITION_SAID = re.compile(rf"{AFTER}{WHO}{APPOSITION}{REPORTING}\b")
# The words of one sentence: a full stop only in an abbreviation, an initial or a web name
CLAUSE = rf"(?:{ABBREVIATED}|\b{CAPITAL}\.|\.(?=\w)|[^.!?“”\"\n])"
# '"...," harbour press officer Ilse Norrgard said': the first person in the words before
AFTER_CLAUSE_SAID = re.compile(rf"{AFTER}(?P<clause>{CLAUSE}{{1,160}}?)\s+{REPORTING}\b")
# '"...," said a harbour spokesman, Ilse Norrgard': the first person in the words after
AFTER_SAID_CLAUSE = re.compile(rf"{AFTER}{REPORTING}\s+(?P<clause>{CLAUSE}{{1,100}})")
# Words that make the person after them someone the sentence is about, not its speaker
NOT_THE_SPEAKER = re.compile(
    r"\b(?:that|of|to|about|for|on|in|with|by|at|after|before|when|as|if|while)\b"
)
BEFORE_REPORTING = re.compile(
    rf"(?:\b{WHO}(?:{APPOSITION}|\s+(?:also\s+)?)|(?P<pronoun>\b[Hh]e|\b[Ss]he)\s+(?:also\s+)?)"
    rf"{REPORTING}\b"
)
SURNAME = rf"(?P<who>{SMALL_NAME_WORD})"
SURNAME_SPEAKS = re.compile(rf"\b{SURNAME}\s+{REPORTING}\b")
SPEAKS_SURNAME = re.compile(rf"\b{REPORTING}\s+{SURNAME}\b")
HONOURED_SURNAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Dr)\.\s+{SURNAME}")
# Someone referred to by office: "the president said", "the four-term congressman said"
ROLE_HEAD = (
    r"(?:president|secretary|justice|senator|sen\.|representative|rep\.|congress(?:wo)?man|"
    r"governor|gov\.|mayor|speaker|leader|minister|chancellor|director|spokes(?:man|woman)|"
    r"general|gen\.|ambassador|chair(?:man|woman)?|judge|commissioner|sheriff)"
)
# The office given before a name: "former Vice President Dick Cheney", "Sen. Tim Kaine"
ROLE_NAME = re.compile(
    r"(?P<title>(?:(?i:former|then|ex)-)?"
    r"\b(?:(?:[A-Z][\w-]*|former|then|ex|acting|vice|deputy|assistant)\s+){0,2}?"
    rf"(?i:{ROLE_HEAD}))\s+"
    rf"(?P<who>{PARTICLE}?{NAME_RUN})"
)
# "the president" as the one who acts, not "the president of the state senate"
ROLE_REFERENCE = re.compile(
    rf"\b[Tt]he\s+(?P<role>(?:[\w-]+\s+){{0,2}}?{ROLE_HEAD})(?![\w’'-]|\s+(?:of|for)\b)"
)
ROLE_WORD = {
    "sen": "senator",
    "rep": "congressman",
    "representative": "congressman",
    "congresswoman": "congressman",
    "gov": "governor",
    "gen": "general",
    "spokeswoman": "spokesman",
    "chair": "chairman",
    "chairwoman": "chairman",
}
# Words that make an office another one: "the president" is not the vice president, nor a
# former president
RANK = frozenset(
    "vice deputy assistant associate acting under lieutenant chief former ex then".split()
)
# A person who says something: the words from their name to the verb
SPEAKS = re.compile(
    rf"(?:[Tt]he\s+(?:[\w-]+\s+){{0,2}}?{ROLE_HEAD}|[Hh]e|[Ss]he|(?:{PARTICLE}?{CAPITAL}[\w’'.-]*+\s*)+)"
    rf"(?:\s*\([^()]*\))?,?\s+(?P<who>who\s+)?(?:also\s+)?{REPORTING}\b"
)
# A person named in what someone says: "said Mr. Dale was"
SAID_OF = re.compile(rf"\b{REPORTING}\s+(?:that\s+)?(?:\w+\.\s+)?$")
# but a quote's speaker after it: '"...," said Mr. Dale'
INVERTED = re.compile(rf"[\s,.]*{REPORTING}\s+(?:the\s+)?(?:\w+\.\s+)?")
OBJECT_CUE = re.compile(r"\b(?i:for|of|to|with|against|about|by|from|at|on|than)\s+(?:\w+\.\s+)?$")
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
    speaks: bool = False  # the subject of a reporting verb: "Justice Orme, who said ..."
    pronoun: bool = False


# --- people ---


@dataclass(frozen=True)
class _Read:
    """What the people patterns find in one article's text (its captions and paragraphs, one a
    line), before anyone is known. Each article is read once per event: the event's people are
    made from its articles' readings, and the article's own people (`People.within`) from its
    own again. No match runs from one article's text into the next's."""

    text: str
    lower: frozenset[str]  # its words written in lower case
    inside: frozenset[str]  # capitalised words written inside a sentence
    titled: tuple[str, ...]  # names given with a title, a job or an apposition, in order
    before_verb: tuple[str, ...]  # capitalised words before a verb or "of", in order
    speaking: frozenset[str]  # surnames that speak or take an honorific
    full_names: tuple[tuple[str, str], ...]  # (a first name and surname, the surname)
    titled_surnames: tuple[str, ...]  # surnames after a title: "President Trump"

    # read only for people asked who holds an office (`People.holder`): an article's own
    @cached_property
    def roles(self) -> tuple[tuple[str, str], ...]:
        """(an office, the name after it)."""
        return tuple((m["title"], m["who"]) for m in ROLE_NAME.finditer(self.text))

    @cached_property
    def runs(self) -> tuple[tuple[int, str], ...]:
        """(offset, words) of each run of capitalised words."""
        return tuple((m.start(), m.group()) for m in CAPITALISED_RUN.finditer(self.text))


def _read(article: Article) -> _Read:
    text = "\n".join([*article.captions, *article.paragraphs])  # captions too
    return _Read(
        text=text,
        lower=frozenset(re.findall(r"\b[a-z][\w’'-]*", text)),
        # A first name is also written inside a sentence, or with its name more than once;
        # "Despite" in "Despite Trump saying" is neither
        inside=frozenset(re.findall(rf"(?:[a-z,;:]|{ABBREVIATED})\s({CAPITAL}[\w’'-]*)", text)),
        titled=tuple(
            m.group(1)
            for pattern in (TITLED_NAME, APPOSITIVE_NAME, APPOSITIVE_SAYS, JOB_NAME)
            for m in pattern.finditer(text)
        ),
        # Only capitalised words before a verb or "of": "Despite Trump said" is no name
        before_verb=tuple(m.group(1) for p in (OF_NAME, SAYS_NAME) for m in p.finditer(text)),
        speaking=frozenset(
            m["who"]
            for pattern in (SURNAME_SPEAKS, SPEAKS_SURNAME, HONOURED_SURNAME)
            for m in pattern.finditer(text)
        ),
        full_names=tuple((m.group(), m["last"]) for m in FULL_NAME.finditer(text)),
        titled_surnames=tuple(m["who"] for m in TITLED_SURNAME.finditer(text)),
    )


class People:
    """The event's people, by full name, with surnames and accent-folded forms mapped to them.
    People of one article (`within`) fall back on the event's where it names nobody else: a
    surname two articles give two first names ("Jim" and "James Mattis") is one person in
    each."""

    def __init__(self, articles: list[Article], event: People | None = None):
        self.by_key: dict[str, str | None] = {}  # None: a surname several people share
        self.event = event
        # each article's reading: the event's, or read here for the event
        reads = [event.read[a.id] if event else _read(a) for a in articles]
        self.read = {a.id: read for a, read in zip(articles, reads, strict=True)}
        texts = [r.text for r in reads]
        # Words the coverage writes in lower case: a first name is never one of them
        lower = frozenset().union(*(r.lower for r in reads))
        inside = frozenset().union(*(r.inside for r in reads))

        def first_name(name: str) -> bool:
            first = name.split()[0]
            again = first in inside or sum(text.count(name) for text in texts) > 1
            return first.lower() not in lower and again

        for read in reads:
            for name in read.titled:
                self._add(name)
            for name in read.before_verb:
                if first_name(name):
                    self._add(name)
        # A surname that speaks or takes an honorific ("Mr. Trump said") belongs to the full
        # name it ends somewhere in the coverage ("Donald J. Trump"), however that was written.
        speaking = frozenset().union(*(r.speaking for r in reads))
        full_names = Counter(name for r in reads for name, last in r.full_names if last in speaking)
        for name, _ in full_names.most_common():
            if self.resolve(name) is not None:
                continue
            if first_name(name):  # not "Defend Ukraine" ("defend"), "Despite Trump"
                self._add(name)
        # The names of one surname that no text gives together are one person written two
        # ways ("Jim Mattis" in one article, "James Mattis" in another), named as first met;
        # "Dick Cheney" and "Mary Cheney" in one article are two.
        for surname in [key for key, person in self.by_key.items() if person is None]:
            names = list(
                dict.fromkeys(
                    person
                    for person in self.by_key.values()
                    if person and fold(person.split()[-1]) == surname
                )
            )
            if not any(sum(name in text for name in names) > 1 for text in texts):
                for key, person in self.by_key.items():
                    if key == surname or person in names:
                        self.by_key[key] = names[0]
        # A surname only ever given with a title ("President Trump", "Justice Ginsburg") is a
        # person too, named by the surname
        for who in (who for r in reads for who in r.titled_surnames):
            surname = re.sub(r"[’']s$", "", who)
            if (
                fold(surname) not in self.by_key
                and self.resolve(surname) is None
                and surname.lower() not in lower
                and not NOT_A_PERSON.search(surname)
            ):
                self.by_key[fold(surname)] = surname

    @cached_property
    def named(self) -> Counter[str]:
        """How often the texts name each person: found only when an office is looked up
        (`holder`), which the event's people never are (each article's are)."""
        return Counter(p for r in self.read.values() for _, p in self._in_runs(r.runs))

    @cached_property
    def roles(self) -> list[tuple[list[str], str]]:
        """(the words of an office, its holder) as the texts give them."""
        return [
            (_role_words(title), person)
            for r in self.read.values()
            for title, who in r.roles
            if (person := self.resolve(who))
        ]

    def within(self, article: Article) -> People:
        """The people of one article, the event's where the article names nobody else."""
        return People([article], event=self)

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
        plain = fold(" ".join(p for p in parts if not re.fullmatch(rf"{CAPITAL}\.", p)))
        full = fold(name)
        # "John A. Boehner" and "John Boehner" are one person, named as first met; an
        # initial before a surname two people share ("C. Ricketts") is a person of its own
        person = self.by_key.setdefault(full, self.by_key.get(plain) or name)
        self.by_key.setdefault(plain, person)
        surname = fold(parts[-1])
        # A surname two people share ("Cheney") names neither of them on its own.
        self.by_key[surname] = person if self.by_key.get(surname, person) == person else None

    def resolve(self, words: str) -> str | None:
        """The full name a name or surname stands for ("Lecornu" -> "Sébastien Lecornu")."""
        if self.event and (person := self.event.resolve(words)):
            return person
        key = fold(re.sub(r"[’']s?$", "", words.strip()))
        if key in self.by_key:
            return self.by_key[key]
        last = key.split()[-1] if key.split() else ""
        return self.by_key.get(last)

    def holder(self, role: str) -> str | None:
        """Whom "the <role>" means: of the people the texts give that office ("the chief
        justice": "Chief Justice John Roberts"), where the role's words name no other rank,
        the one they give it most often, then the one they name most often; nobody when two
        are even."""
        words = _role_words(role)
        known = {w for title, _ in self.roles for w in title} | RANK
        titled = Counter(
            person
            for title, person in self.roles
            if title[-1] == words[-1]
            and set(words) & known <= set(title)
            and set(title) & RANK <= set(words)
        )
        # "then-President Obama" is not "the president" of the text
        former = {
            p for title, p in self.roles if {"former", "then", "ex"} & set(title) - set(words)
        }
        ranked = sorted(
            ((n, self.named[p], p) for p, n in titled.items() if p not in former), reverse=True
        )
        if not ranked or (len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]):
            return None
        return ranked[0][2]

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(offset, full name) of every person named in the text as someone who may speak:
        the longest name in each run of capitalised words ("Vice President Dick Cheney"),
        leaving out possessives ("Christie's campaign"), and the holder of an office the
        text refers to ("the president")."""
        roles = [
            (m.start(), person)
            for m in ROLE_REFERENCE.finditer(text)
            if (person := self.holder(m["role"]))
        ]
        return sorted(roles + self._names(text))

    def _names(self, text: str) -> list[tuple[int, str]]:
        runs = ((m.start(), m.group()) for m in CAPITALISED_RUN.finditer(text))
        return self._in_runs(runs)

    def _in_runs(self, runs: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
        """(offset, full name) of the people named in runs of capitalised words (offset,
        words): the longest name in each."""
        found = []
        for offset, run in runs:
            tokens = list(re.finditer(r"\S+", run))
            start = 0
            # a word that opens the sentence is no part of the name: "Of Obama, he said"
            while start < len(tokens) - 1 and tokens[start].group().lower() in stop_words():
                start += 1
            while start < len(tokens):
                for end in range(len(tokens), start, -1):
                    words = run[tokens[start].start() : tokens[end - 1].end()]
                    if person := self.resolve(words):
                        if not re.search(r"[’']s$", words):
                            found.append((offset + tokens[start].start(), person))
                        start = end
                        break
                else:
                    start += 1
        return found


def _role_words(title: str) -> list[str]:
    """An office's words, lower case, one word for each office ("Sen." and "senator")."""
    words = re.findall(r"[a-z]+", title.lower())
    return [ROLE_WORD.get(w, w) for w in words]


# --- quotes ---


def extract_quotes(article: Article, people: People) -> list[_Found]:
    """Direct quotes with their speakers: named beside the quote, by a pronoun pointing back to
    the subject of the last sentence that names someone, carried over from the previous
    quote of the paragraph, or from what comes before (`_continued`)."""
    people = people.within(article)
    named = _named_in(article, people)
    quotes: list[_Found] = []
    previous = ""  # the previous paragraph
    carried: list[str | None] = []  # the speaker of its last quote, if it has one
    for index, paragraph in enumerate(article.paragraphs):
        antecedent = partial(_antecedent, named, index)
        speakers: list[str | None] = []  # of this paragraph's quotes
        for match in QUOTE.finditer(paragraph):
            quoted = quoted_words(match).strip().strip(",")
            tokens = tuple(normalised(quoted).split())
            if len(tokens) < MIN_QUOTE_WORDS:
                continue  # a scare quote ("strong"), not a statement
            speaker, pronoun = _speaker(paragraph, match, people, antecedent)
            if speaker is None and speakers:
                speaker, pronoun = speakers[-1], None  # the previous quote's
            if speaker is None:
                speaker = _continued(paragraph, match, previous, carried, people)
            quotes.append(_Found(article.id, speaker, quoted, tokens, pronoun))
            speakers.append(speaker)
        carried = speakers[-1:]
        previous = paragraph
    return _dedupe(quotes)


def _named_in(article: Article, people: People) -> list[_Named]:
    """Every person the article names outside quotes, in reading order, and every "he" or
    "she" as the person it points back to."""
    named: list[_Named] = []
    for index, paragraph in enumerate(article.paragraphs):
        spans = list(sentence_spans(paragraph))
        for start, end in _outside_quotes(paragraph):
            text = paragraph[start:end]
            pronouns: list[tuple[int, str | None]] = [
                (m.start(), None) for m in PRONOUN.finditer(text)
            ]
            for offset, person in sorted(people.mentions(text) + pronouns, key=lambda x: x[0]):
                at = start + offset
                pronoun = person is None
                if pronoun and not (person := _antecedent(named, index, at)):
                    continue
                sentence, begins = next(
                    ((n, s) for n, (s, e) in enumerate(spans) if s <= at < e), (-1, start)
                )
                # the object of a preposition, or named in what someone says ("He said Obama")
                object_ = bool(
                    OBJECT_CUE.search(paragraph[max(0, at - 12) : at])
                    or re.search(rf"\b{REPORTING}\b", paragraph[max(begins, start) : at])
                )
                # "a lawyer for Mr. Penrose said" is the lawyer's; "the anger of Justice Orme,
                # who said" is Orme's
                speaks = bool((m := SPEAKS.match(paragraph, at)) and (m["who"] or not object_))
                if start and INVERTED.fullmatch(paragraph, start, at):
                    object_, speaks = False, True  # '"...," said Mayor Norrgard'
                named.append(_Named(index, at, person, sentence, object_, speaks, pronoun))
    return named


def _continued(
    paragraph: str,
    match: re.Match,
    previous: str,
    carried: list[str | None],
    people: People,
) -> str | None:
    """Who says a quote that opens its sentence with nobody named beside it: whoever the text
    last gave words to. That is the speaker of the previous paragraph's last quote when the
    quote opens its paragraph (a statement running on over paragraphs), else the subject of
    the sentence before, named there, when that sentence reports speech ("Dukes left the
    court, saying she felt no anger. “Wal-Mart may be big ...")."""
    start = next((s for s, e in sentence_spans(paragraph) if s <= match.start() < e), 0)
    if paragraph[start : match.start()].strip():
        return None
    earlier = paragraph[:start]
    if not earlier.strip():
        if carried:
            return carried[0]
        earlier = previous
    spans = list(sentence_spans(earlier))
    last = QUOTE.sub("", earlier[spans[-1][0] :]) if spans else ""
    verb = re.search(rf"\b(?:{REPORTING}|{SPEAKING})\b", last)
    subjects = [
        person
        for offset, person in people.mentions(last)
        if not OBJECT_CUE.search(last[max(0, offset - 12) : offset])
    ]
    return subjects[0] if verb and subjects else None


def quoted_words(match: re.Match) -> str:
    """What a QUOTE match has inside its quotation marks."""
    return next(group for group in match.groups() if group)


def _outside_quotes(paragraph: str) -> list[tuple[int, int]]:
    bounds = [0, *(i for m in QUOTE.finditer(paragraph) for i in m.span()), len(paragraph)]
    return list(zip(bounds[::2], bounds[1::2], strict=True))


def _antecedent(named: list[_Named], paragraph: int, offset: int) -> str | None:
    """Whom "he" or "she" at this place most likely means: the subject of the last sentence
    naming anyone, that is its first person not named as an object ("a lawyer for Mr. Penrose",
    "threatened to sue Mr. Dale"), and before them one who says something."""
    before = [n for n in named if (n.paragraph, n.offset) < (paragraph, offset)]
    if not before:
        return None
    sentences: dict[tuple[int, int], list[_Named]] = {}
    for n in before:
        sentences.setdefault((n.paragraph, n.sentence), []).append(n)
    # one who says something, then a subject, then one named rather than a pronoun ("As he
    # opened the bridge, Mr. Halvorsen thanked the crews"), then the first
    sentence = list(sentences.values())[-1]
    return min(sentence, key=lambda n: (not n.speaks, n.object, n.pronoun, n.offset)).person


def _speaker(
    paragraph: str, match: re.Match, people: People, antecedent: Callable[[int], str | None]
) -> tuple[str | None, str | None]:
    """(speaker, the pronoun that named them if one did)."""
    after = paragraph[match.end() : match.end() + 200]
    # a quote that ends its sentence is followed by another sentence, not by its speaker
    # ('“... my issues.” Ten minutes later, Rhodes offered his comments, saying')
    ended = quoted_words(match).rstrip().endswith(".")

    def attribution(pattern: re.Pattern) -> re.Match | None:
        m = pattern.match(after)
        return None if m is None or (ended and m["lead"]) else m

    if m := attribution(AFTER_PRONOUN):
        pronoun = m["who"].lower()
        return (antecedent(match.start()), pronoun) if pronoun != "they" else (None, None)
    for pattern in (AFTER_APPOSITION_SAID, AFTER_SAID_NAME, AFTER_NAME_SAID):
        if (m := attribution(pattern)) and (person := _named(people, m)):
            return person, None
    if not ended and (m := AFTER_CLAUSE_SAID.match(after)):
        # its subject: "the commentator Ann Coulter, who has pushed Mr. Trump ..., wrote"
        clause = m["clause"]
        for offset, person in people.mentions(clause):
            if not OBJECT_CUE.search(clause[max(0, offset - 12) : offset]):
                return person, None
    if not ended and (m := AFTER_SAID_CLAUSE.match(after)):
        # "said a harbour board spokesman, Ida Marsh", not "said that Halvorsen ..."
        for offset, person in people.mentions(m["clause"])[:1]:
            if not NOT_THE_SPEAKER.search(m["clause"][:offset]):
                return person, None
    start = next((s for s, e in sentence_spans(paragraph) if s <= match.start() < e), 0)
    before = paragraph[start : match.start()]
    if m := ACCORDING_TO.search(before):
        return people.resolve(m["who"]), None
    # "..., and Lecornu emphasized, “...”": the nearest one who speaks, but not "a lawyer for
    # Mr. Penrose, Rhea Tolland, said" (Penrose)
    reporters = [
        m
        for m in BEFORE_REPORTING.finditer(before)
        if not OBJECT_CUE.search(before[max(0, m.start() - 12) : m.start()])
    ]
    if reporters:
        who = reporters[-1]
        if who["pronoun"]:
            return antecedent(start + who.start()), who["pronoun"].lower()
        if person := _named(people, who):
            return person, None
    verbs = list(re.finditer(rf"\b{REPORTING}\b", before)) or list(
        re.finditer(rf"\b{SPEAKING}\b", before)
    )
    says = verbs[-1] if verbs else None
    if says:  # "After Dale sat down, Penrose rose and said, '...'": the nearest one
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
            and not SAID_OF.search(before[max(0, offset - 30) : offset])
        ],
        key=lambda x: x[0],
    )
    if subjects:
        nearest = says and not re.fullmatch(PARTICIPLE, says.group())
        offset, who = subjects[-1] if nearest else subjects[0]
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
