"""Find date expressions in text and give each its TimeML value.

One regex of candidate forms picks spans (cheap, and safe from catastrophic backtracking: no
nested quantifiers); each form's reader then turns its span into a Point against the context:
the publication date for deictic words ("yesterday", "last week", "Friday"), the last date
mentioned for anaphoric ones ("the quarter", "two days later", "a year earlier"), the last
explicit year of the paragraph for yearless dates, and the tense of the clause ("will meet on
Monday" is ahead, "met on Monday" behind).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache

from ..text import (
    NUMBER_IN_WORDS,
    NUMBER_WORDS,
    TEENS_WORD,
    TENS_WORD,
    UNITS_WORD,
    number_in_words,
    sentence_starts,
)
from .feasts import holiday_day, week_offset
from .lexicon import Lexicon, lexicon
from .points import SEASON_START, Point, add_months, period, rough_days

NUMBERS = {"a": 1, "an": 1, **NUMBER_WORDS}
VAGUE = ("several", "few", "couple", "many")
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
PRESENT_WORDS = r"now|currently|current|nowadays|at\s+present|these\s+days"
# "in recent months" (and weeks, quarters) is a stretch of time, as TimeML reads it, not a date
PAST_WORDS = r"recently|recent(?:\s+(?:years|days))?|the\s+past"
FUTURE_WORDS = (
    r"the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future|"
    r"the\s+(?:near|short)[-\s]term|(?:the\s+)?coming\s+(?:years|months|weeks|quarters)"
)
REF_KINDS = (
    ("PRESENT_REF", re.compile(PRESENT_WORDS, re.I)),
    ("PAST_REF", re.compile(PAST_WORDS, re.I)),
    ("FUTURE_REF", re.compile(FUTURE_WORDS, re.I)),
)
NUMBER_WORD = rf"(?:\d{{1,3}}|an?|{NUMBER_IN_WORDS}|several|a\s+few|a\s+couple\s+of|many)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|%)"
# "25/10/2011", and as news copy spaces it, "25 / 10 / 11" or "25 - 10 - 2011" (a spaced dash
# wants the full year: "10 - 5 - 12" is a team's record)
NUMERIC = (  # the first digits possessive: tried at every number, they give back nothing
    r"\d{1,2}+(?:[/.]\d{1,2}[/.](?:\d{4}|\d{2})|\s(?:/\s\d{1,2}\s/\s(?:\d{4}|\d{2})|"
    r"[-–]\s\d{1,2}\s[-–]\s\d{4}))"
)
# "nineteen ninety-six", "two thousand and one": years as broadcast transcripts spell them
SPELLED_YEAR = (
    rf"(?i:nineteen[\s-](?:{TENS_WORD}(?:[\s-]{UNITS_WORD})?|{TEENS_WORD}|hundred)|"
    rf"two\s+thousand(?:\s+(?:and\s+)?(?:{TENS_WORD}(?:[\s-]{UNITS_WORD})?|"
    rf"{TEENS_WORD}|{UNITS_WORD}))?)"
)
YEAR = r"(?:1[89]\d\d|20\d\d)(?![\d%])"
DECADES = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
DECADE_WORD = "(?:" + "|".join(DECADES) + ")"  # "the nineties"; "in their forties" is an age
CENTURIES = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
CENTURY_ORDINAL = r"[12]?\d(?:st|nd|rd|th)|" + "|".join(CENTURIES)
RANGE = r"(?:-|–|(?i:to|and|through|au|et|bis|und|al|y))"  # "June 24-25", "3 and 5 May"
CLOCK = r"(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight"
# Time zones as wire copy writes them after a time: "1950 GMT", "18:30 CET", "0800 local time".
ZONE = (
    r"(?:GMT|UTC|Z|[ECMP][SD]T|AKST|HST|AST|ADT|NST|BST|IST|WET|WEST|CET|CEST|EET|EEST|MSK|"
    r"GST|PKT|ICT|WIB|SGT|HKT|JST|KST|AEST|AEDT|ACST|AWST|NZST|NZDT|SAST|EAT|WAT|CAT|ET|PT)\b"
    r"|(?i:local\s+time|hours|hrs)\b"
)
# A 24-hour time: "18:30" after "at" or "by" or before a zone, or four digits before a zone,
# which are a time of day and never a year ("1950 GMT").
CLOCK_24 = (
    rf"(?:(?<=\bat )|(?<=\bby ))(?:[01]?\d|2[0-3]):[0-5]\d|"
    rf"(?:[01]?\d|2[0-3]):?[0-5]\d(?=\s*(?:{ZONE}))"
)
PART = r"(?:(?:early|late|mid-?)\s*)?(?:morning|afternoon|evening|night)"
# A year that is really a quantity or a label: "$1990", "No. 2001", "2000 people".
NOT_A_YEAR_BEFORE = re.compile(
    r"(?:[$£€#]\s?|(?i:\bno\.?|\bnumber|\bpage|\bflight|\broom|\broute|\bhighway|\bmodel|"
    r"\bversion|\barticle|\bsection|\bchapter|\bcode|\bscore)\s)$"
)
PLURAL_AFTER = re.compile(
    r"^\s+(?!(?:as|was|has|is|its|this|thus|plus|versus|towards|afterwards|years|days)\b)"
    r"(?:[a-z]+s|people|men|women|children|staff|police|personnel|cattle)\b"
)
YEAR_PREPOSITION = re.compile(r"(?i:\b(?:in|during|since|of|early|late|mid|until|from)[\s-]+)$")
DURATION_BEFORE = re.compile(r"(?i:\b(?:over|throughout|all|whole|entire)\s+)$")
# "the year ended June 30", "the year ending in March": twelve months told by their end
ENDED_AFTER = re.compile(r"\s+end(?:ed|ing)\b", re.IGNORECASE)
# A deadline's preposition: "extended the loans through January" looks past the verb's tense
DEADLINE_BEFORE = re.compile(r"\b(?:by|until|till|through)\s+$", re.IGNORECASE)
SET_BEFORE = re.compile(r"(?i:\b(?:every|each|per|a|an)\s+)$")
# a month before a noun names the time of what the noun tells ("a June agreement", "the April
# vote"), as "the vote of April" does: neither a set nor bound to the clause's tense
ARTICLE_BEFORE = re.compile(r"(?i:\b(?:an?|the)\s+)$")
NOUN_AFTER = re.compile(r"\s+(?!(?:like|that|when|with|was|for|has|had|will)\b)[a-z]{3}")
MONTH_PREPOSITION = re.compile(
    r"(?i:\b(?:in|since|by|until|till|from|during|of|before|after|early|late|mid|last|next|"
    r"this|through|to|and|or)[\s-]+)$"
)
# Past tenses (besides those in -ed) that mark a clause as past: "brought in a new chief"
IRREGULAR_PAST = (
    "was were had did said told took came went made gave began left won lost rose fell met held "
    "saw got paid sold bought hit struck set brought sought thought taught caught fought built "
    "sent spent lent kept felt led found ran became chose drew grew knew threw wrote spoke broke "
    "stood fled shot sank swore forgot hid wore dealt meant heard"
).split()
# The present tense: the progressive ("is meeting"), and, just before the date, a verb news
# uses in the present for a scheduled event ("the talks resume Tuesday", "meet separately
# Monday"); not a noun ("the close of business Thursday") nor an infinitive ("to expire").
PROGRESSIVE = r"\b(?:is|are|am)\s+(?:not\s+)?(?:\w+ly\s+)?\w+ing\b"
SCHEDULE_VERB = re.compile(
    r"(?<![\w-])(?<!\bto )(?<!\bthe )(?<!\ba )(?:(?:meet|begin|start|open|close|resume|end|"
    r"visit|arrive|leave|return|hold|vote|face|head|travel|expire|launch|play|host|appear|"
    r"convene|gather|reopen|sign|decide|hear|take\s+effect|kick\s+off)(?:s|es)?|go(?:es)?|"
    r"runs?|testif(?:y|ies)|fl(?:y|ies))(?:\s+[a-z]+){0,2}\s+$",
    re.IGNORECASE,
)
# What may stand between a sentence's start (text.sentence_starts) and its first word
OPENING = re.compile(r"(?:[^\n]*:)?[\s\"“‘'`(]*")
# "the blast of Aug. 7": the date names a happening; the clause's tense is another verb's
OF_BEFORE = re.compile(r"\bof\s+$")
# "was due to expire Friday": a plan told in the past tense, its day most often gone
FUTURE_IN_PAST = re.compile(r"(?i:\b(?:was|were|had(?:\s+been)?)\s+(?:\w+ly\s+)?)$")
# After a date, where the clause's own verb can no longer be: a reported clause or a quote.
REPORTED = re.compile(r"\bthat\b|[\"“”]|\s[–—-]{1,2}\s")
PREPOSITION_BEFORE = re.compile(
    r"\b(?:from|on|since|until|by|before|after|of|at|in|for|to|through)\s+$", re.IGNORECASE
)
COPULA_AFTER = re.compile(r"\s+(?:is|are)\b(?!\s+\w+ed\b)", re.IGNORECASE)
# A period ends a clause, but not as a decimal point ("$17.625 a share in June").
CLAUSE_BREAK = re.compile(r"\.(?!\d)|[!?;\n]|:(?!\d)|,\s+(?:and|but|while|whereas|although)\b")
LONGER_PERIOD = re.compile(
    r"(?i:\b(?:nine|six|eight|ten|11|12|twelve)\s+months|\b(?:first|second)\s+half|year\s+to\s+date)"
)
QUARTER_ENDED = re.compile(r"\s+end(?:ed|ing)\s+([A-Z][a-z]+)\.?\s+\d")
NEAR_DAYS = 92  # a yearless date this near the anchor is not of the paragraph's year
AGAINST_TENSE = 4  # a yearless date goes against its clause's tense only when this much nearer
PARAGRAPH_YEAR_REACH = 300  # characters within which an explicit year sets the year of others
# A date joined to the next one, whose year is written after that one: "June and July of 2009",
# "March 5 or April 2, 2010", "junio y julio de 2009"; the year is both dates'.
COORDINATED_YEAR = re.compile(
    rf"\s*,?\s*(?:{RANGE}|(?i:or|ou|oder|o))\s+(?:(?i:early|mid|late)[-\s]+)?([^\W\d_]+)\.?"
    rf"(?:\s+{DAY})?,?\s+(?:(?i:of|de)\s+)?({YEAR})"
)
# A 600-word article has a few dozen places where a date could start and a dozen dates; these
# bounds keep any text, however dense with numbers or month names, to a few tens of ms.
MAX_ATTEMPTS = 6_000
MAX_MENTIONS = 1_000
MAX_CHARACTERS = 150_000  # some 25,000 words: far beyond any article
# No date runs across a blank line: "in March" ending a caption and "12 were hurt" opening the
# next paragraph are no "March 12".
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True)
class Found:
    """A date expression: where it is, what it says, and its value where it can be resolved."""

    start: int
    end: int
    text: str
    point: Point | None  # None: relative and nothing to resolve it against
    relative: bool
    weekday: int | None = None
    note: str | None = None  # a warning worth showing, e.g. an ambiguous numeric date


@dataclass
class _Context:
    text: str
    dct: date | None
    words: Lexicon
    date_order: str
    nearest: bool = False  # the anchor is an event's day, not a publication date
    ref: Point | None = None  # the last date mentioned: the anchor of "two days later"
    quarter: Point | None = None  # the quarter the text reports on: "the quarter"
    year: tuple[int, int, bool] | None = None  # (offset, year, came with a month) last written
    notes: list[str] = field(default_factory=list)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return sentence_starts(self.text)

    def sentence_start(self, offset: int) -> int:
        """Where the sentence holding `offset` begins."""
        starts = self.sentence_starts
        return starts[bisect_right(starts, offset) - 1] if starts and starts[0] <= offset else 0

    def paragraph_year(self, offset: int) -> tuple[int | None, bool]:
        """The explicit year written shortly before `offset` in the same paragraph (a bare
        "in 2019" only in the same sentence), and whether it is in the same sentence."""
        if not self.year or offset - self.year[0] > PARAGRAPH_YEAR_REACH:
            return None, False
        between = self.text[self.year[0] : offset]
        same_sentence = self.sentence_start(offset) <= self.year[0]
        if same_sentence or (self.year[2] and "\n" not in between):
            return self.year[1], same_sentence
        return None, False

    def longer_period(self, offset: int) -> bool:
        """Whether the sentence before `offset` reports on months longer than a quarter
        ("in the first nine months, ... a year earlier"): its year-ago is a year, not the
        quarter the text reports on."""
        sentence = self.text[max(self.sentence_start(offset), offset - 200) : offset]
        return bool(LONGER_PERIOD.search(sentence))

    def future(self, start: int, end: int) -> bool:
        """Whether the clause around the span speaks of what is to come."""
        return self.tense(start, end) == "future"

    def tense(self, start: int, end: int) -> str | None:
        """The tense of the verb nearest the span in its clause, before it or else after it
        (as HeidelTime reads it): 'future' ("will meet", "is expected", "scheduled for"),
        'present' ("is meeting", "the talks resume Tuesday"), 'past' ("met", "has said", "was due
        to"), or None when the clause has no verb we know."""
        cues = _tense_cues(self.words.lang)
        # lower-cased once here: the cues, matched case-sensitively, are tried at every word
        clause = CLAUSE_BREAK.split(self.text[max(0, start - 120) : start])[-1].lower()
        found = _verbs(cues, clause)
        nearest = found[-1] if found else None  # the last cue is the nearest
        chain = nearest.start() if nearest else 0  # "was scheduled to be held": from "scheduled"
        for cue in reversed(found[:-1]):
            if cue.lastgroup != "future" or clause[cue.end() : chain].strip():
                break
            chain = cue.start()
        verb = self.words.lang == "en" and SCHEDULE_VERB.search(clause, len(clause) - 40)
        if verb and (nearest is None or verb.end() > nearest.end()):
            return "present"
        if nearest is None:
            after = CLAUSE_BREAK.split(self.text[end : end + 60])[0].lower()
            if COPULA_AFTER.match(after) and not PREPOSITION_BEFORE.search(clause):
                return "present"  # "Tuesday is the deadline", not "the message from Tuesday is"
            # not a reported clause's verb: "claims Monday that the pier will reopen"
            nearest = next(iter(_verbs(cues, REPORTED.split(after)[0])), None)
            clause, chain = "", 0  # "was due to" looks back from a cue before the span only
        if nearest is None:
            return None
        kind = nearest.lastgroup
        if kind == "future" and FUTURE_IN_PAST.search(clause[:chain]):
            return "past"  # "was due to expire Friday": a plan told in the past tense
        return kind


@lru_cache(maxsize=16)
def _tense_cues(lang: str) -> re.Pattern[str]:
    """One regex of a language's tense cues, tried in this order where two begin together:
    the future ("is expected"), the present progressive ("is meeting"), the past ("met"). It
    reads lower-cased text: ignoring case at every character of a clause cost more."""
    future = lexicon(lang).future.pattern
    if lang != "en":
        return re.compile(f"(?P<future>{future})")
    # one word boundary before all: most places fail there, before any alternative is tried
    return re.compile(
        rf"\b(?:(?P<future>{future})|(?P<present>{PROGRESSIVE})|(?P<past>{_past_cues()}))"
    )


# Words after which a participle or a past form is an adjective or a noun, no verb: "a still
# unspecified date", "the revised plan", "its hit".
NOT_A_VERB_AFTER = re.compile(r"\b(?:a|an|the|its|their|his|her|our|this|these|still)\s+$", re.I)
# Words in -ed that are no past tense: "will succeed Mr. Smith Feb. 1", "two hundred"
NOT_PAST_IN_ED = frozenset(
    "succeed proceed exceed need speed feed breed bleed heed indeed hundred".split()
)


def _verbs(cues: re.Pattern[str], clause: str) -> list[re.Match[str]]:
    """The tense cues of `clause`, less past forms that are no verbs there. They are told
    apart here, not in the regex: tried at every word, each look behind costs more than all
    the checks of the few cues found."""
    return [
        cue
        for cue in cues.finditer(clause)
        if cue.lastgroup != "past"
        or not (
            cue.group().lower() in NOT_PAST_IN_ED
            or NOT_A_VERB_AFTER.search(clause, max(0, cue.start() - 8), cue.start())
        )
    ]


def _past_cues() -> str:
    """Past tenses and participles, but not a passive to come ("will be named"); the verbs
    share their beginnings in one regex, which is tried at every word of a clause."""
    return rf"(?<!\bbe )(?:{_trie(sorted(IRREGULAR_PAST))}|[a-z]{{2,}}ed)\b"


NOT_A_DATE = Point("none")  # a reader's answer for a span that only looks like a date


# --- the candidate regex ---


def _pattern(words: Lexicon) -> re.Pattern[str]:
    english = words.lang == "en"
    if english:  # English names are capitalised: "march" is a verb, "may" a modal
        m = (
            "(?:"
            + "|".join(
                re.escape(n[:1].upper() + n[1:])
                for n in sorted(words.months, key=len, reverse=True)
            )
            + ")"
        )
        w = (
            "(?:"
            + "|".join(
                re.escape(n.capitalize()) for n in sorted(words.weekdays, key=len, reverse=True)
            )
            + ")"
        )
    else:
        m = f"(?i:{words.alternation(words.months)})"
        w = f"(?i:{words.alternation(words.weekdays)})"
    day_word = rf"(?:{w}|(?i:yesterday|today|tomorrow)|{m}\s+{DAY})"
    spelled = [_spelled(name, english) for name in words.holidays]
    # "Holy Week" and "Easter week": English capitalises the feast, not always its week
    holidays = _trie(spelled).replace("Week", "[Ww]eek") if spelled else ""
    if holidays and not english:
        holidays = f"(?i:{holidays})"
    forms = [
        r"(?P<iso>\d{4}-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d)?)(?![\d:])",
        rf"(?<![\d/.])(?P<numeric>{NUMERIC})(?![\d/.]*\d)",
        rf"(?P<clock>(?:(?i:{CLOCK})|{CLOCK_24})(?:\s*(?:{ZONE}|[A-Z]{{2,4}}))?"
        rf"(?:,?\s+(?:(?i:on)\s+)?{day_word})?)",
        rf"(?P<holiday>(?:(?i:last|this|next|coming|past)\s+)?(?:{holidays})(?!\s+Island)"
        rf"(?:,?\s+{YEAR})?)"
        if holidays
        else "",
        # "morning Friday"; alone, "(by) mid-afternoon" is a part of the story's day (one form for
        # both: each form is tried at every word a date can begin with)
        rf"(?P<part_day>(?i:{PART})(?:\s+{day_word}|(?![-\w]|\s+(?i:of|after|before)\b)))",
        rf"(?P<mdy>(?:{w},?\s+)?{m}\s+{DAY}(?:\s*{RANGE}\s*{DAY})?(?:,?\s+{YEAR})?)",
        rf"(?P<dmy>(?:{w},?\s+)?(?:(?i:the)\s+)?{DAY}\.?(?:\s*{RANGE}\s*{DAY}\.?)?"
        rf"\s+(?:(?i:of|de)\s+)?{m}(?:,?\s+(?:(?i:de)\s+)?{YEAR})?)",
        rf"(?P<month_year>(?:(?i:early|mid|late)[-\s])?{m},?\s+(?:(?i:of|de)\s+)?"
        rf"(?:{YEAR}|{SPELLED_YEAR}|(?i:this|last|next)\s+year))",
    ]
    if english:
        forms += [
            rf"(?P<mod_month>(?i:last|this|next|coming|past|early|mid|late|"
            rf"(?:the\s+)?(?:end|beginning|start|middle)\s+of)[-\s]{m})\b",
            r"(?P<quarter>(?i:(?:the\s+|(?:this|last|next)\s+year['’]s\s+)?"
            r"(?:(?:year-earlier|year-ago|comparable)\s+)?"
            r"(?:(?:fiscal|calendar)[-\s]+)?(?:1[89]\d\d\s+|20\d\d\s+)?"
            r"(?:first|second|third|fourth|1st|2nd|3rd|4th|last|latest|current|previous|same|"
            r"final|recent|year-earlier|year-ago|comparable)"
            rf"[-\s]+(?:fiscal\s+)?quarter(?!s|-century)(?:\s+of\s+(?:fiscal\s+)?(?:{YEAR}|"
            r"(?:this|last|next)\s+year))?|the\s+quarter(?!s|-century|\s+of\s+(?:a|an|the|all)\b)"
            r"|(?:the\s+(?:latest\s+)?|(?:this|last|next)\s+year['’]s\s+)"
            r"(?:(?:1[89]|20)\d\d\s+)?(?:quarter|period)(?!s|-)|this\s+quarter(?!s|-)"
            rf")|\bQ[1-4](?:\s+{YEAR})?\b)",
            rf"(?P<half>(?i:(?:the\s+)?(?:first|second|1st|2nd|last)[-\s]half(?:\s+of\s+(?:{YEAR}|"
            r"(?:this|last|next)\s+year))?))",
            rf"(?P<fiscal>(?i:fiscal(?:\s+year)?\s+(?:{YEAR}|'?\d\d\b))|FY\s?(?:{YEAR}|\d\d\b))",
            rf"(?P<season>(?i:(?:(?:this\s+past|this|last|next|early|late|mid|the)[-\s]+)?"
            rf"(?:spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?:{YEAR}|{SPELLED_YEAR}))?))",
            r"(?P<decade>(?i:(?:the\s+)?(?:early|mid|late)?[-\s]?(?:(?:1[89]|20)\d0s|'\d0s)|"
            rf"the\s+(?:(?:early|mid|late)[-\s]+)?{DECADE_WORD}))",
            rf"(?P<century>(?i:(?:the\s+)?(?:{CENTURY_ORDINAL})[-\s]century))",
            r"(?P<edge>(?i:(?:earlier|later|early|late|mid-?|(?:the\s+)?(?:end|beginning|start|"
            r"middle|rest|remainder)\s+of)\s*(?:this|last|next|the)\s+(?:week|month|year)))",
            # tied to the date last told: "that week", "the next day", "the day before.",
            # "later in the day"
            r"(?P<anaphor>(?i:that\s+(?:day|week|month|year|quarter)|the\s+(?:same|next|"
            r"following|previous)\s+day|the\s+day\s+(?:before|after)(?=\s*[.,;:)])|"
            r"(?:later|earlier)\s+in\s+the\s+(?:day|week))(?![-\w]))",
            r"(?P<unit_rel>(?i:(?:the\s+)?(?:last|this|next|coming|past|previous|current|following|"
            r"same|latest)\s+(?:week|month|year|decade|century))(?![-\w]))",
            rf"(?P<spelled_year>(?:(?i:the\s+year)\s+)?{SPELLED_YEAR})",
            r"(?P<the_year>(?i:the\s+(?:(?:full|current|latest|calendar)\s+)?(?:fiscal\s+)?year)"
            # "the year of the flood" is some year; "a high for the year of $40" is this one
            r"(?![-'’\w]|\s+(?:of(?!\s+[$£€#]?\d)|before|after|earlier|later|ago)\b))",
            rf"(?P<ago>(?i:{NUMBER_WORD}\s+(?:day|week|month|year|decade|quarter)s?"
            # "11 days earlier than scheduled" compares, it names no day
            r"\s+(?:ago|(?:earlier|later)(?!\s+than\b)|from\s+now|hence|"
            r"(?:before|after)(?=\s*[.,;:)]))))",
            r"(?P<year_ago>(?i:(?:the\s+)?year-(?:earlier|ago)))",
            r"(?P<year_end>(?i:year[-\s]end|year['’]s\s+end)(?![-\w]))",
            r"(?P<day_rel>(?i:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|yesterday|"
            rf"today|tomorrow|tonight|last\s+night)(?:\s+(?i:{PART}))?)",
            r"(?P<this_part>(?i:(?:early\s+|late\s+)?this\s+(?:morning|afternoon|evening)))",
            rf"(?P<weekday>(?:(?i:last|this|next|coming|past|early|late|"
            rf"(?:the\s+)?(?:previous|following))\s+)?{w}(?!s)"
            rf"(?:\s+(?i:{PART}))?)",
            r"(?P<weekend>(?i:(?:the|this|last|next|past|coming)\s+weekend))",
            rf"(?P<ref>(?i:{FUTURE_WORDS}|{PAST_WORDS}|{PRESENT_WORDS})"
            r"(?!\s+(?:\w+\s+)?(?:day|week|month|quarter|year|decade|century|centurie|spring|"
            r"summer|fall|autumn|winter|season)s?\b))",
            rf"(?P<month>{m})\b(?!\s+\d)",
        ]
    else:
        relative = "|".join(re.escape(p) for p in sorted(words.relative, key=len, reverse=True))
        forms += [
            rf"(?P<phrase>(?i:{relative}))" if relative else "",
            rf"(?P<weekday>{w})",
            rf"(?:(?i:en|im|in|au\s+mois\s+de)\s+)(?P<month>{m})\b(?!\s+\d)",
        ]
    forms.append(rf"(?P<year>(?:(?i:early|mid|late)[-\s])?{YEAR})")
    # whole words only, but "Friday's" is Friday
    return re.compile(
        r"(?<![\w'’-])(?:" + "|".join(f for f in forms if f) + r")(?!\w|-\w|['’](?![sS]\b))"
    )


def _spelled(name: str, english: bool) -> str:
    """A lower-cased holiday name as written: capitalised in English ("Christmas Eve"), where
    the lower-case words are no holiday; as it is elsewhere, to be matched in any case."""
    if english:
        return " ".join(w[:1].upper() + w[1:] for w in name.split())
    return name


def _trie(names: list[str]) -> str:
    """A regex of the names that shares their common beginnings ("Christmas(?: Day| Eve)?"):
    it is tried at every capitalised word, and a list of forty names would cost each of them."""
    branches: dict[str, list[str]] = {}
    for name in names:
        branches.setdefault(name[:1], []).append(name)
    parts = []
    for group in (branches[first] for first in sorted(branches)):
        common = os.path.commonprefix(group)
        endings = [name[len(common) :] for name in group if len(name) > len(common)]
        optional = "?" if len(endings) < len(group) else ""
        parts.append(_literal(common) + (f"(?:{_trie(endings)}){optional}" if endings else ""))
    return "|".join(parts)


def _literal(text: str) -> str:
    return re.escape(text).replace("'", "['’]")


# Words a date expression can begin with, besides digits and capitalised words. The full regex
# is tried only where one of these stands: scanning it at every word start costs several times
# more, since most words begin no date at all.
ENGLISH_STARTERS = (
    "the a an this that last next coming past previous current currently following same latest "
    "early mid late earlier later end beginning start middle rest remainder fiscal calendar first "
    "second third fourth final recent recently year year-earlier year-ago comparable spring "
    "summer fall autumn winter eighteenth nineteenth twentieth yesterday today tomorrow tonight "
    "now nowadays at these several many noon midnight morning afternoon evening night"
).split() + list(NUMBER_WORDS)


def _starters(words: Lexicon) -> re.Pattern[str]:
    english = words.lang == "en"
    starters = set(ENGLISH_STARTERS) if english else {"en", "im", "in", "au"}
    starters |= set(words.months) | set(words.weekdays)
    starters |= {name.split()[0] for name in words.holidays}
    if not english:
        starters |= {phrase.split()[0] for phrase in words.relative}
    # Not every capitalised word: names and sentence openings are most of a text's capitals,
    # and the full regex tried at each of them cost more than all the rest.
    capitals = "Q[1-4]|FY|" if english else ""
    # shared beginnings factored out: this regex is tried at every character of the text
    return re.compile(rf"(?<![\w'’-])(?:\d|{capitals}(?i:{_trie(sorted(starters))})(?!\w))")


@lru_cache(maxsize=16)
def _compiled(lang: str) -> tuple[Lexicon, re.Pattern[str], re.Pattern[str]]:
    words = lexicon(lang)
    return words, _pattern(words), _starters(words)


def _candidates(
    text: str, pattern: re.Pattern[str], starters: re.Pattern[str]
) -> Iterator[tuple[int, re.Match[str] | None]]:
    """`pattern` tried left to right at each starter word outside the previous match, within
    the starter's paragraph: (where it was tried, the match or None)."""
    end = paragraph_end = 0
    for start in starters.finditer(text, 0, MAX_CHARACTERS):
        if start.start() < end:
            continue
        if start.start() >= paragraph_end:
            blank_line = PARAGRAPH_BREAK.search(text, start.start())
            paragraph_end = blank_line.start() if blank_line else len(text)
        match = pattern.match(text, start.start(), paragraph_end)
        if match:
            end = match.end()
        yield start.start(), match


@dataclass(frozen=True)
class Tagged:
    mentions: list[Found]
    stopped_at: int | None = None  # where reading stopped in a text too dense with date words


def tag(
    text: str, dct: date | None, lang: str = "en", date_order: str = "DMY", nearest: bool = False
) -> Tagged:
    """Every date expression of `text`, in order, resolved where it can be. A text with more
    date-like words than any article has (a table of numbers, a hostile input) is read only up
    to a fixed number of them, so that no text takes long."""
    words, pattern, starters = _compiled(lang)
    context = _Context(text, dct, words, date_order, nearest)
    found: list[Found] = []
    for attempts, (position, match) in enumerate(_candidates(text, pattern, starters)):
        if attempts >= MAX_ATTEMPTS or len(found) >= MAX_MENTIONS:
            return Tagged(found, position)
        if match is None or match.lastgroup is None:
            continue
        kind = match.lastgroup
        if kind is None:
            continue
        start, end = match.span(kind)
        if kind not in ("month",):  # a preposition before a bare month is not part of it
            start = match.start()
        span = text[start:end]
        context.notes.clear()
        try:
            point = READERS[kind](span, start, end, context)
        except (OverflowError, ValueError):  # the calendar's years are 1 to 9999
            continue  # "999 decades ago"; "tomorrow" said on 31 December 9999
        if point is NOT_A_DATE:
            continue
        if point is not None and point.gran not in ("ref", "decade", "century"):
            context.ref = point
        found.append(
            Found(
                start,
                end,
                span,
                point,
                kind not in ABSOLUTE and not (kind in WRITTEN and re.search(r"\d{4}", span)),
                _weekday_named(span, words),
                context.notes[0] if context.notes else None,
            )
        )
    return Tagged(found, MAX_CHARACTERS if len(text) > MAX_CHARACTERS else None)


ABSOLUTE = {"iso", "numeric", "month_year", "year", "fiscal", "decade", "spelled_year"}
WRITTEN = {"mdy", "dmy", "holiday"}  # absolute when they carry their year


def _weekday_named(span: str, words: Lexicon) -> int | None:
    for token in re.findall(r"\w+", span.lower()):
        if token in words.weekdays:
            return words.weekdays[token]
    return None


# --- readers: span -> Point (None: needs an anchor it lacks; NOT_A_DATE: a false alarm) ---

Reader = Callable[[str, int, int, _Context], Point | None]


def _iso(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    try:
        day = date.fromisoformat(span[:10])
    except ValueError:
        return NOT_A_DATE
    ctx.year = (start, day.year, True)
    return Point("time", day, span[11:16]) if len(span) > 10 else Point("day", day)


# North American zones: a numeric date stamped with one ("10/11/11 02:39 PM ET") is written the
# American way, month first, whatever the configured order
AMERICAN_ZONE_AFTER = re.compile(
    r"[^\n]{0,20}?\b(?:[ECMP][SD]?T|AKST|AKDT)\b|[^\n]{0,20}?\b(?i:eastern|pacific)\s+time\b"
)
NUMERIC_DATE = re.compile(rf"(?<![\d/.]){NUMERIC}(?![\d/.]*\d)")


def _article_order(ctx: _Context, end: int) -> str | None:
    """The order of the day and the month the article itself shows: month first after an
    American zone, else as its own numeric date that reads one way only shows ("10/25/11", then
    "11/10/11" is 10 November too); None when it shows neither. Looked for only when a date is
    ambiguous, which few are."""
    if AMERICAN_ZONE_AFTER.match(ctx.text, end):
        return "MDY"
    for match in NUMERIC_DATE.finditer(ctx.text):
        first, second, _ = (int(x) for x in re.findall(r"\d+", match.group()))
        if first > 12 >= second:
            return "DMY"
        if second > 12 >= first:
            return "MDY"
    return None


def _numeric(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    first, second, year = (int(x) for x in re.findall(r"\d+", span))
    if year < 100:
        pivot = (ctx.dct.year % 100 if ctx.dct else 30) + 10
        year += 2000 if year <= pivot else 1900
    shown = _article_order(ctx, end) if first <= 12 and second <= 12 else None
    order = shown or ctx.date_order
    day, month = (first, second) if order == "DMY" else (second, first)
    readings = {
        date(year, mo, d) for d, mo in ((first, second), (second, first)) if _valid(year, mo, d)
    }
    if not readings:
        return NOT_A_DATE
    if not _valid(year, month, day):  # "25/12/2025" under MDY: only one reading exists
        value = min(readings)
    else:
        value = date(year, month, day)
        if len(readings) > 1 and shown is None:
            other = next(r for r in readings if r != value)
            ctx.notes.append(
                f"{span!r} is ambiguous: read as {value.isoformat()} "
                f"(dates.order {ctx.date_order}), not {other.isoformat()}"
            )
    ctx.year = (start, year, True)
    return Point("day", value)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _month_number(token: str, ctx: _Context) -> int | None:
    token = token.lower()
    return ctx.words.months.get(token) or ctx.words.months.get(token.rstrip("."))


def _parts(span: str, ctx: _Context) -> tuple[int | None, list[int], int | None]:
    """(month, days, year) of a written date such as 'Tuesday, June 24-25, 2025'."""
    month = None
    for token in re.findall(r"[^\W\d_]+\.?", span):
        month = month or _month_number(token, ctx)
    numbers = [int(n) for n in re.findall(r"\d+", span)]
    if (spelled := spelled_year(span)) is not None:
        numbers.append(spelled)
    years = [n for n in numbers if n >= 1800]
    days = [n for n in numbers if n < 32]
    return month, days, (years[0] if years else None)


def _written(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    month, days, year = _parts(span, ctx)
    if month is None or not days:
        return NOT_A_DATE
    if year is not None:
        if not _valid(year, month, days[0]):
            return NOT_A_DATE
        ctx.year = (start, year, True)
        return Point("day", date(year, month, days[0]))
    return _yearless(
        ctx,
        start,
        end,
        lambda y: date(y, month, days[0]) if _valid(y, month, days[0]) else None,
        "day",
    )


def _yearless(
    ctx: _Context, start: int, end: int, make: Callable[[int], date | None], gran: str
) -> Point | None:
    """A date without its year. The year written after the date it is joined to ("June and
    July of 2009"), else an explicit year of the same sentence, or a written date's of the
    paragraph, gives it; else the year that puts it nearest the anchor in the direction
    the clause's tense points: on or after it for the future and the present ("will open in
    March", "effective Feb. 1"); on or before it for the past ("opened in March"), unless
    the date ahead is several times nearer: news tells of deadlines and payments due in a
    few weeks in the past tense ("declared a dividend payable Dec. 1"). A date that names a
    happening ("the blast of Aug. 7") takes no tense: the nearest year."""
    joined = COORDINATED_YEAR.match(ctx.text, end)
    if joined and _month_number(joined.group(1), ctx) and (day := make(int(joined.group(2)))):
        return period(gran, day)
    year, same_sentence = ctx.paragraph_year(start)
    written = make(year) if year is not None else None
    if written is not None and (same_sentence or ctx.dct is None):
        return period(gran, written)
    if ctx.dct is None:
        return None
    candidates = [
        d for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1) if (d := make(y)) is not None
    ]
    if not candidates:
        return NOT_A_DATE
    anchor = period(gran, ctx.dct).start or ctx.dct
    tense = (
        None
        if ctx.nearest
        or OF_BEFORE.search(ctx.text[max(0, start - 6) : start])
        or (gran == "month" and _attributive(ctx, start, end))
        else ctx.tense(start, end)
    )
    if tense == "past" and DEADLINE_BEFORE.search(ctx.text[max(0, start - 8) : start]):
        tense = None  # "extended the loans through January": the deadline may lie ahead
    if tense in ("future", "present"):  # what is to come does not lie behind
        candidates = [d for d in candidates if d >= anchor] or candidates

    def distance(day: date) -> tuple[int, bool]:
        days = (day - anchor).days
        against = days > 0 and tense == "past"
        return abs(days) * (AGAINST_TENSE if against else 1), day > anchor

    nearest = min(candidates, key=distance)
    if written is not None and abs((nearest - anchor).days) > NEAR_DAYS:
        return period(gran, written)  # the paragraph's year, unless the date is a few weeks off
    return period(gran, nearest)


def _attributive(ctx: _Context, start: int, end: int) -> bool:
    return bool(
        NOUN_AFTER.match(ctx.text, end)
        and ARTICLE_BEFORE.search(ctx.text[max(0, start - 5) : start])
    )


def _month_year(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    month, _, year = _parts(span, ctx)
    if month is None:
        return NOT_A_DATE
    if year is None:  # "June last year"
        if ctx.dct is None:
            return None
        lower = span.lower()
        year = ctx.dct.year + (-1 if "last" in lower else 1 if "next" in lower else 0)
    ctx.year = (start, year, True)
    return Point("month", date(year, month, 1))


def _bare_month(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    name = span.split()[-1]
    month = _month_number(name, ctx)
    if month is None:
        return NOT_A_DATE
    before = ctx.text[max(0, start - 25) : start]
    if ctx.words.lang == "en" and name == "May" and not MONTH_PREPOSITION.search(before):
        return NOT_A_DATE  # "May" is most often the verb
    if ctx.words.lang == "en" and re.match(r"\s+[A-Z][a-z]", ctx.text[end : end + 3]):
        return NOT_A_DATE  # "April Smith", "March Madness"
    if SET_BEFORE.search(before) and not _attributive(ctx, start, end):
        return NOT_A_DATE  # "every March"
    return _yearless(ctx, start, end, lambda y: date(y, month, 1), "month")


def _mod_month(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    name = re.split(r"[-\s]", span)[-1]
    month = _month_number(name, ctx)
    if month is None:
        return NOT_A_DATE
    modifier = re.split(r"[-\s]", span.lower())[0]
    if modifier not in ("last", "past", "next", "coming", "this"):
        return _bare_month(name, end - len(name), end, ctx)  # "early March": March
    if ctx.dct is None:
        return None
    this_year = date(ctx.dct.year, month, 1)
    if modifier in ("last", "past"):  # "last February" said in March is a year back
        return Point(
            "month",
            this_year if month < ctx.dct.month - 1 else this_year.replace(year=ctx.dct.year - 1),
        )
    if modifier in ("next", "coming"):
        return Point(
            "month",
            this_year if month > ctx.dct.month else this_year.replace(year=ctx.dct.year + 1),
        )
    return Point("month", this_year)


def _quarter(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    lower = span.lower()
    years = re.findall(r"\d{4}", lower)
    ordinal = next((q for word, q in ORDINALS.items() if re.search(rf"\b{word}\b", lower)), None)
    if lower.startswith("q"):
        ordinal = int(lower[1])
    if ordinal is None and ctx.quarter and (years or re.search(r"year['’]s", lower)):
        ordinal = (ctx.quarter.start.month - 1) // 3 + 1 if ctx.quarter.start else None
        if ordinal is not None:  # "the 1988 quarter", "last year's quarter": the same quarter
            return _ordinal_quarter(ordinal, lower, years, start, ctx)
    if ordinal is None and "period" in lower and "latest" not in lower:
        return Point("year", date(int(years[0]), 1, 1)) if years else NOT_A_DATE
    year_ago = any(w in lower for w in ("year-earlier", "year-ago", "comparable"))
    if ordinal is not None:
        point = _ordinal_quarter(ordinal, lower, years, start, ctx)
        if point is not None and year_ago:  # "the year-ago third quarter"
            return point.shift(-1, "year")
        if point is not None:
            reported = _calendar_quarter(point, end, ctx)
            # a quarter not yet over ("a fourth-quarter charge" told in October) is not the
            # one the text reports results for
            if ctx.dct is None or reported.start and add_months(reported.start, 3) <= ctx.dct:
                ctx.quarter = reported
        return point
    latest = ctx.quarter or (period("quarter", ctx.dct).shift(-1, "quarter") if ctx.dct else None)
    if latest is None:
        return None
    if year_ago:
        return latest.shift(-1, "year")
    if ctx.dct and ("current" in lower or lower.startswith("this") and ctx.future(start, end)):
        return period("quarter", ctx.dct)  # "sales will grow this quarter"; else the one reported
    if ctx.dct and ctx.quarter is None and any(w in lower for w in ("previous", "last")):
        return period("quarter", ctx.dct).shift(-1, "quarter")
    return latest


def _calendar_quarter(point: Point, end: int, ctx: _Context) -> Point:
    """The calendar quarter a fiscal one covers, where the text says when it ended ("its
    fourth quarter ended Sept. 30" is the third of the calendar): "the latest quarter" after
    it is that one."""
    ended = QUARTER_ENDED.match(ctx.text, end)
    month = _month_number(ended.group(1), ctx) if ended else None
    if month is None or point.start is None:
        return point
    calendar = period("quarter", date(point.start.year, month, 1))
    if ctx.dct and calendar.start and calendar.start > ctx.dct:
        return calendar.shift(-1, "year")
    return calendar


def _ordinal_quarter(
    ordinal: int, lower: str, years: list[str], start: int, ctx: _Context
) -> Point | None:
    first_month = ordinal * 3 - 2
    if years:
        ctx.year = (start, int(years[0]), True)
        return Point("quarter", date(int(years[0]), first_month, 1))
    if re.search(r"\b(?:this|last|next)\s+year", lower) and ctx.dct:
        shift = -1 if "last year" in lower else 1 if "next year" in lower else 0  # "last year's"
        return Point("quarter", date(ctx.dct.year + shift, first_month, 1))
    year, same_sentence = ctx.paragraph_year(start)
    if year is not None and same_sentence:
        return Point("quarter", date(year, first_month, 1))
    if ctx.dct is None:
        return None
    # a quarter is reported on once it has begun: the latest one with that number
    this_year = date(ctx.dct.year, first_month, 1)
    return Point(
        "quarter", this_year if this_year <= ctx.dct else this_year.replace(year=ctx.dct.year - 1)
    )


def _half(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if HALF_OF_LONGER.match(ctx.text, end):
        return NOT_A_DATE  # "the last half of the '80s": the decade's half, read as the decade
    lower = span.lower()
    first_half = bool(re.search(r"\b(?:first|1st)\b", lower))
    years = re.findall(r"\d{4}", lower)
    if years:
        year = int(years[0])
    elif ctx.dct is None:
        return None
    else:
        year = ctx.dct.year + (-1 if "last year" in lower else 1 if "next year" in lower else 0)
    return Point("half", date(year, 1 if first_half else 7, 1))


HALF_OF_LONGER = re.compile(
    r"\s+of\s+(?:the|this|that|a)\s+(?:\S+\s+)?(?:decade|century|'?\d0s)", re.I
)


def _fiscal(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    digits = re.findall(r"\d+", span)[-1]
    year = int(digits) if len(digits) == 4 else (2000 if int(digits) < 50 else 1900) + int(digits)
    ctx.year = (start, year, False)
    return Point("year", date(year, 1, 1))


def _season(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    lower = span.lower()
    code = next(c for name, c in SEASONS.items() if name in lower)
    years = [int(y) for y in re.findall(r"\d{4}", lower)] or [y for y in [spelled_year(lower)] if y]
    if years:
        return Point("season", date(years[0], SEASON_START[code], 1), code)
    words = lower.replace("-", " ").split()
    if len(words) == 1:
        return NOT_A_DATE  # "summer" alone is rarely a date ("summer jobs")
    if ctx.dct is None:
        return None
    this = Point("season", date(ctx.dct.year, SEASON_START[code], 1), code)
    if words[0] == "the":  # "over the summer": the latest one, or the next when told ahead
        ahead = ctx.future(start, end)
        if ahead and this.start and add_months(this.start, 3) <= ctx.dct:
            return this.shift(1, "year")
        return this.shift(-1, "year") if not ahead and this.start and this.start > ctx.dct else this
    if words[:2] == ["this", "past"] or words[0] == "last":
        return this.shift(-1, "year") if this.start and this.start > ctx.dct else this
    if words[0] == "next":
        return this.shift(1, "year") if this.start and this.start <= ctx.dct else this
    return this


def _decade(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    spelled = next((tens for word, tens in DECADES.items() if word in span.lower()), None)
    digits = f"{spelled:02d}" if spelled is not None else re.findall(r"\d+", span)[0]
    if len(digits) == 4:
        year = int(digits)
    else:
        now = ctx.dct.year if ctx.dct else 2000
        year = 2000 + int(digits) if 2000 + int(digits) <= now else 1900 + int(digits)
    return Point("decade", date(year, 1, 1))


def _century(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    """ "The 20th century" is the 1900s (TimeML writes "19"), as a reader counts it."""
    lower = span.lower()
    digits = re.search(r"\d+", lower)
    number = int(digits.group()) if digits else next(n for w, n in CENTURIES.items() if w in lower)
    if not 2 <= number <= 100:
        return NOT_A_DATE  # the first century has no year 0 to stand for it
    return Point("century", date((number - 1) * 100, 1, 1))


UNIT_OFFSETS = {
    "last": -1,
    "past": -1,
    "previous": -1,
    "this": 0,
    "current": 0,
    "same": 0,
    "latest": 0,
    "next": 1,
    "coming": 1,
    "following": 1,
}
ANAPHORIC = {"previous", "same", "following"}  # relative to the last date, not to today


def _unit_rel(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if span.istitle() and not OPENING.fullmatch(ctx.text, ctx.sentence_start(start), start):
        return NOT_A_DATE  # "ABC's This Week": a capitalised name within a sentence
    words = span.lower().split()
    unit, modifier = words[-1], words[-2]
    base = ctx.ref.start if modifier in ANAPHORIC and ctx.ref and ctx.ref.start else ctx.dct
    if base is None:
        return None
    point = period(unit, base).shift(UNIT_OFFSETS[modifier], unit)
    if unit == "year" and point.start:  # "last year, in March": that year's March
        ctx.year = (start, point.start.year, False)
    return point


ANAPHOR_OFFSETS = {"next": 1, "following": 1, "after": 1, "previous": -1, "before": -1}


def _anaphor(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    """ "That week", "the next day", "the day before", "later in the day": the period of the
    date the text told last, or a day from it; no date when that date is coarser than the unit
    ("that day" after "in May" speaks of any day). "Later in the day" goes on with a story: the
    day told last when it is one and, unless the clause looks ahead, not after the publication
    ("later in the day" after "sentencing is set for June 28" is the day of the hearing)."""
    words = span.lower().split()
    unit = "day" if "day" in words else words[-1]
    base = _story_day(ctx, start, end, unit) if "in" in words else ctx.ref
    if base is None or base.start is None:
        base = Point("day", ctx.dct) if ctx.dct else None
    if base is None or base.start is None:
        return None
    if rough_days(base.gran) > rough_days(unit):
        return NOT_A_DATE  # "trades made that day" after a month: a day of a general account
    offset = next((ANAPHOR_OFFSETS[w] for w in words if w in ANAPHOR_OFFSETS), 0)
    return period(unit, base.start).shift(offset, unit)


def _story_day(ctx: _Context, start: int, end: int, unit: str) -> Point | None:
    """The date the story told last, when it is as fine as `unit` and, unless the clause looks
    ahead, not after the publication; else the publication day (None without one)."""
    base = ctx.ref if ctx.ref and ctx.ref.start else None
    if base and base.start and ctx.dct:
        told = rough_days(base.gran) <= rough_days(unit)
        if not told or base.start > ctx.dct and not ctx.future(start, end):
            base = None
    return base or (Point("day", ctx.dct) if ctx.dct else None)


PREPOSITION_OF_PART = re.compile(r"(?i:\b(?:in|by|during|through)\s+(?:the\s+)?)$")


def _story_part(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    """ "In the morning", "by mid-afternoon": that part of the story's day (HeidelTime reads
    them so, on its reference day)."""
    part = span.lower().split()[-1].split("-")[-1]
    if part == "night" or not PREPOSITION_OF_PART.search(ctx.text[max(0, start - 12) : start]):
        return NOT_A_DATE  # "good morning", "the morning papers"; "at night" is any night
    base = _story_day(ctx, start, end, "day")
    if base is None or base.start is None:
        return None
    return Point("time", base.start, PARTS[part])


def _the_year(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if DURATION_BEFORE.search(ctx.text[max(0, start - 15) : start]):
        return NOT_A_DATE  # "over the year" is a duration
    if ENDED_AFTER.match(ctx.text, end):
        return NOT_A_DATE  # "the year ended June 30": twelve months, not a calendar year
    if ctx.dct is None:
        return None
    latest = "latest" in span.lower()  # the latest fiscal year is the last one closed
    point = period("year", ctx.dct).shift(-1 if latest else 0, "year")
    if point.start:  # "a high for the year in June": June of that year
        ctx.year = (start, point.start.year, False)
    return point


def _year_end(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    """ "By year-end": the year's end, told at the year's precision (as "the end of the
    year"); "since year-end" the end of the year before."""
    if ctx.dct is None:
        return None
    since = re.search(r"(?i:\bsince\s+)$", ctx.text[max(0, start - 8) : start])
    return period("year", ctx.dct).shift(-1 if since else 0, "year")


def _edge(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    words = span.lower().split()
    if ctx.dct is None:
        return None
    unit = words[-1]
    return period(unit, ctx.dct).shift({"last": -1, "next": 1}.get(words[-2], 0), unit)


def _ago(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    words = span.lower().split()
    direction = "from now" if words[-1] == "now" else words[-1]
    unit = next(
        w.rstrip("s")
        for w in words
        if w.rstrip("s") in ("day", "week", "month", "year", "decade", "quarter")
    )
    backwards = direction in ("ago", "earlier", "before")
    if any(w in VAGUE for w in words):
        return Point("ref", None, "PAST_REF" if backwards else "FUTURE_REF")
    amount = (
        int(words[0])
        if words[0].isdigit()
        else number_in_words(words[0]) or NUMBERS.get(words[0], 1)
    )
    step = -amount if backwards else amount
    if unit == "year" and ctx.quarter:  # "profit rose from $5 million a year ago"
        return _reported(ctx, start).shift(step, "year")
    if direction in ("ago", "from now", "hence"):
        return period(unit, ctx.dct).shift(step, unit) if ctx.dct else None
    base = ctx.ref or (Point("day", ctx.dct) if ctx.dct else None)
    if base is None or base.start is None:
        return None
    if base.gran in ("time", "day") and unit != "day":
        base = period(unit, base.start)
    return base.shift(step, unit)


def _reported(ctx: _Context, offset: int) -> Point:
    """The period a sentence reports results for: the quarter the text reports on, or its
    year where the sentence speaks of longer months ("in the first nine months ... a year
    earlier")."""
    assert ctx.quarter is not None and ctx.quarter.start is not None
    return period("year", ctx.quarter.start) if ctx.longer_period(offset) else ctx.quarter


def _year_ago(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if ctx.quarter:
        return _reported(ctx, start).shift(-1, "year")
    return period("year", ctx.dct).shift(-1, "year") if ctx.dct else None


def _day_offset(lower: str) -> int:
    if "before yesterday" in lower:
        return -2
    if "after tomorrow" in lower:
        return 2
    if "yesterday" in lower or "last night" in lower:
        return -1
    return 1 if "tomorrow" in lower else 0


ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,5}[^\S\n]$")


def _day_rel(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if span == "Today" and ACRONYM_BEFORE.search(ctx.text[max(0, start - 7) : start]):
        return NOT_A_DATE  # "USA Today", "VOA Today": a title, not the day
    if ctx.dct is None:
        return None
    lower = span.lower()
    day = ctx.dct + timedelta(days=_day_offset(lower))
    part = next((code for word, code in PARTS.items() if lower.endswith(word)), None)
    return Point("time", day, part) if part else Point("day", day)


def _this_part(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if ctx.dct is None:
        return None
    return Point("time", ctx.dct, PARTS[span.lower().split()[-1]])


WEEKLY_AFTER = re.compile(
    r"(?:,?\s+(?:and|or)\s+[A-Z][a-z]+day)?\s+(?i:mornings|afternoons|evenings|nights)\b"
)


def _weekday(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    """A weekday: the one within a week of the publication date that the clause's tense
    points to ("will meet Tuesday", "meet Tuesday", "is meeting Tuesday" ahead; "met Tuesday"
    and a clause without a tense behind, the publication day itself counting), or the one
    its modifier names: "last" and "next" the one strictly before or after, "this" the one
    of the same week unless the tense points ahead or behind, "the previous" and "the
    following" the one before or after the date last mentioned."""
    target = _weekday_named(span, ctx.words)
    if target is None or SET_BEFORE.search(ctx.text[max(0, start - 10) : start]):
        return NOT_A_DATE
    if ctx.words.lang == "en" and WEEKLY_AFTER.match(ctx.text, end):
        return NOT_A_DATE  # "on Monday and Tuesday nights": a weekly schedule, a set
    words = span.lower().split()
    anchor = ctx.dct
    if ("previous" in words or "following" in words) and ctx.ref and ctx.ref.start:
        anchor = ctx.ref.start
    if anchor is None:
        return None
    back = (anchor.weekday() - target) % 7  # 0: the publication day itself counts
    ahead = (target - anchor.weekday()) % 7
    tense = None if ctx.nearest else ctx.tense(start, end)
    if any(w in words for w in ("last", "past", "previous")):
        day = anchor - timedelta(days=back or 7)
    elif any(w in words for w in ("next", "coming", "following")):
        day = anchor + timedelta(days=ahead or 7)
    elif "this" in words and tense not in ("future", "present", "past"):
        day = anchor + timedelta(days=target - anchor.weekday())
    elif ctx.nearest:
        day = anchor + timedelta(days=ahead if ahead < back else -back)
    elif tense in ("future", "present"):
        day = anchor + timedelta(days=ahead)
    else:
        day = anchor - timedelta(days=back)
    part = PARTS.get(words[-1])
    return Point("time", day, part) if part else Point("day", day)


def _holiday(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    """A holiday: its day in the year written with it, or, with "last", "next" or "this", the
    one before, after or in the publication year; else the year a yearless date takes. A year
    the holidays package does not cover leaves it unresolved."""
    words = span.lower().replace("’", "'").replace(",", "").split()
    modifier = words.pop(0) if words[0] in ("last", "this", "next", "coming", "past") else None
    year = int(words.pop()) if words[-1].isdigit() else None
    key = " ".join(words)
    country, name = ctx.words.holidays[key]
    offset = week_offset(ctx.words.lang, key)
    gran = "day" if offset is None else "week"  # "Holy Week": the week of Easter

    def make(y: int) -> date | None:
        feast = holiday_day(country, name, y)
        return feast + timedelta(days=offset) if feast and offset else feast

    if year is not None:
        day = make(year)
        if day is not None:
            ctx.year = (start, year, True)
        return period(gran, day) if day else None
    if modifier is None:
        if ctx.dct and not any(make(y) for y in range(ctx.dct.year - 1, ctx.dct.year + 2)):
            return None
        return _yearless(ctx, start, end, make, gran)
    if ctx.dct is None:
        return None
    days = [d for y in range(ctx.dct.year - 1, ctx.dct.year + 2) if (d := make(y))]
    if modifier in ("last", "past"):
        day = max((d for d in days if d < ctx.dct), default=None)
    elif modifier in ("next", "coming"):
        day = min((d for d in days if d > ctx.dct), default=None)
    else:
        day = make(ctx.dct.year)
    return period(gran, day) if day else None


def _day_of(phrase: str, start: int, end: int, ctx: _Context) -> Point | None:
    """The day named after a clock time or a part of day: 'Wednesday', 'yesterday', 'Nov. 9'."""
    if _weekday_named(phrase, ctx.words) is not None:
        return _weekday(phrase, start, end, ctx)
    if re.search(r"\d", phrase):
        return _written(phrase, start, end, ctx)
    return _day_rel(phrase, start, end, ctx)


def _part_day(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    part_words = re.match(rf"(?i:{PART})\s+", span)
    if part_words is None:
        return _story_part(span, start, end, ctx)
    part = PARTS[part_words.group().split()[-1].split("-")[-1].lower()]
    day = _day_of(span[part_words.end() :], start, end, ctx)
    if day is None or day is NOT_A_DATE or day.start is None:
        return day
    return Point("time", day.start, part)


def _weekend(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if ctx.dct is None:
        return None
    modifier = span.lower().split()[0]
    week = period("weekend", ctx.dct)
    if modifier in ("last", "past"):
        return week.shift(-1, "week") if ctx.dct.weekday() < 5 else week
    if modifier in ("next", "coming"):
        return week.shift(1, "week") if ctx.dct.weekday() >= 5 else week
    if modifier == "this" or ctx.future(start, end):
        return week
    return week if ctx.dct.weekday() >= 5 else week.shift(-1, "week")


THEN_BEFORE = re.compile(r"(?i:\bthen[-\s])$")


def _ref(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if THEN_BEFORE.search(ctx.text[max(0, start - 5) : start]):
        return Point("ref", None, "PAST_REF")  # "the then current price": the present of a past
    return Point("ref", None, next(kind for kind, words in REF_KINDS if words.fullmatch(span)))


def _clock(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    time_part = re.match(rf"(?i:{CLOCK})|(?:[01]?\d|2[0-3]):?[0-5]\d", span)
    assert time_part is not None
    lower = time_part.group().lower()
    if lower in ("noon", "midnight"):
        # "midnight Friday" ends Friday: TimeML (after ISO 8601) writes it 24:00 of that day
        hour, minute = (12, 0) if lower == "noon" else (24, 0)
    elif not re.search(r"[ap]", lower):  # "18:30", "1950"
        digits = lower.replace(":", "")
        hour, minute = int(digits[:-2]), int(digits[-2:])
    else:
        numbers = [int(n) for n in re.findall(r"\d+", lower)]
        hour, minute = numbers[0], numbers[1] if len(numbers) > 1 else 0
        if hour > 12:
            return NOT_A_DATE
        if "p" in lower and hour != 12:
            hour += 12
        elif "a" in lower and hour == 12:
            hour = 0
    rest = re.sub(
        rf"^[,\s]*(?:(?:{ZONE}|[A-Z]{{2,4}})\s*)?(?:(?i:on)\s+)?", "", span[time_part.end() :]
    )
    if rest:
        day = _day_of(rest, start, end, ctx)
        day_start = day.start if day and day is not NOT_A_DATE else None
    else:
        day_start = ctx.ref.start if ctx.ref and ctx.ref.gran in ("day", "time") else ctx.dct
    if day_start is None:
        return None
    return Point("time", day_start, f"{hour:02d}:{minute:02d}")


def _year(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    before = ctx.text[max(0, start - 12) : start]
    after = ctx.text[end : end + 20]
    if NOT_A_YEAR_BEFORE.search(before) or PLURAL_AFTER.match(after):
        return NOT_A_DATE
    if re.match(r"\s*(?:,\d|\.\d|-\d)", after) or re.search(r"\d[,.]$", before):
        return NOT_A_DATE
    year = int(span[-4:])
    if YEAR_PREPOSITION.search(before):  # "in 1998" sets the year of what follows; "due 1993" not
        ctx.year = (start, year, False)
    return Point("year", date(year, 1, 1))


def spelled_year(text: str) -> int | None:
    """1996 for 'nineteen ninety-six', 2001 for 'two thousand and one'."""
    words = [
        w
        for w in re.findall(r"[a-z]+", text.lower())
        if w in NUMBERS or w in ("hundred", "thousand")
    ]
    if "thousand" in words:
        return 2000 + sum(NUMBERS[w] for w in words[words.index("thousand") + 1 :])
    if words[:1] == ["nineteen"] and len(words) > 1:
        return 1900 + sum(NUMBERS.get(w, 0) for w in words[1:])
    return None


def _spelled_year(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    if span.lower() == "two thousand" and not YEAR_PREPOSITION.search(
        ctx.text[max(0, start - 12) : start]
    ):
        return NOT_A_DATE  # "two thousand people"
    year = spelled_year(span)
    return Point("year", date(year, 1, 1)) if year else NOT_A_DATE


def _phrase(span: str, start: int, end: int, ctx: _Context) -> Point | None:
    unit, offset = ctx.words.relative[span.lower()]
    if ctx.dct is None:
        return None
    return period(unit, ctx.dct).shift(offset, unit)


READERS: dict[str, Reader] = {
    "iso": _iso,
    "numeric": _numeric,
    "clock": _clock,
    "part_day": _part_day,
    "mdy": _written,
    "dmy": _written,
    "month_year": _month_year,
    "mod_month": _mod_month,
    "quarter": _quarter,
    "half": _half,
    "fiscal": _fiscal,
    "season": _season,
    "decade": _decade,
    "edge": _edge,
    "unit_rel": _unit_rel,
    "anaphor": _anaphor,
    "the_year": _the_year,
    "ago": _ago,
    "century": _century,
    "year_end": _year_end,
    "year_ago": _year_ago,
    "day_rel": _day_rel,
    "this_part": _this_part,
    "weekday": _weekday,
    "holiday": _holiday,
    "weekend": _weekend,
    "ref": _ref,
    "month": _bare_month,
    "year": _year,
    "phrase": _phrase,
    "spelled_year": _spelled_year,
}
