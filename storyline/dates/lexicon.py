"""Date words per language: month and weekday names and relative phrases come from dateparser's
own language data; the English rules around them (quarters, seasons, chains) are ours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.languages import default_loader

from .feasts import holiday_names

MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RELATIVE_KEY = re.compile(r"^(?:(?P<ago>\d+) (?P<unit>\w+) ago|in (?P<ahead>\d+) (?P<unit2>\w+))$")
ABBREVIATED = re.compile(r"\b(?:mo|wk|yr|sem|próx|ant)\b")  # "sem ant": abbreviations, not prose
UNITS = {"day", "week", "month", "year", "decade", "century"}
# English abbreviations read only with their period ("Sept. 30"); "Mar" or "Jun" alone are words.
ENGLISH_ABBREVIATIONS = {
    "jan.": 1,
    "feb.": 2,
    "mar.": 3,
    "apr.": 4,
    "jun.": 6,
    "jul.": 7,
    "aug.": 8,
    "sep.": 9,
    "sept.": 9,
    "oct.": 10,
    "nov.": 11,
    "dec.": 12,
}
# Words of the clause before a date that put it in the future ("will meet on Monday").
FUTURE_CUES = {
    "en": r"will|would|'ll|shall|to\s+be\s+\w+|is\s+to|are\s+to|due|scheduled|slated|upcoming|"
    r"could|as\s+soon\s+as|"
    r"planning|plans?\s+(?:to|for)|planned\s+for|expected|expects\s+to|set\s+(?:to|for)|"
    r"going\s+to|aims?\s+to|intends?\s+to|next|should|effective",
    "fr": r"sera|seront|va|vont|aura|auront|prévu|prévue|doit|doivent|devrait|prochain|prochaine",
    "de": r"wird|werden|soll|sollen|geplant|nächste[nmrs]?|kommende[nmrs]?",
    "es": r"será|serán|va\s+a|van\s+a|prevé|previsto|prevista|próximo|próxima|deberá",
}


@dataclass(frozen=True)
class Lexicon:
    lang: str
    months: dict[str, int]  # lower-cased name -> 1..12
    weekdays: dict[str, int]  # lower-cased name -> 0 (Monday) .. 6
    relative: dict[str, tuple[str, int]]  # lower-cased phrase -> (unit, offset): "hier" -> day -1
    future: re.Pattern[str]
    holidays: dict[str, tuple[str, str]]  # lower-cased name -> (country, the holidays package's)

    def alternation(self, words: dict) -> str:
        """A regex alternative of the words, longest first so that 'June' beats 'Jun.'."""
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=16)
def lexicon(lang: str) -> Lexicon:
    """The words of `lang` ('en', 'fr', ...); an unknown language falls back to English."""
    try:
        info = default_loader.get_locale(lang).info
    except (KeyError, ValueError):
        lang, info = "en", default_loader.get_locale("en").info
    months = {
        name.lower(): number
        for number, key in enumerate(MONTH_KEYS, start=1)
        for name in info.get(key, [])
        if len(name) >= 3 and not name.isdigit()
    }
    if lang == "en":
        months = {name: n for name, n in months.items() if len(name) > 3 or name == "may"}
        months |= ENGLISH_ABBREVIATIONS
    weekdays = {
        name.lower(): number
        for number, key in enumerate(WEEKDAY_KEYS)
        for name in info.get(key, [])
        if len(name) > 3
    }
    relative: dict[str, tuple[str, int]] = {}  # English relative words have rules of their own
    for key, phrases in info.get("relative-type", {}).items() if lang != "en" else ():
        match = RELATIVE_KEY.match(key)
        if not match:
            continue
        unit = match["unit"] or match["unit2"]
        offset = -int(match["ago"]) if match["ago"] is not None else int(match["ahead"])
        if unit in UNITS:
            for phrase in phrases:
                if len(phrase) >= 3 and not ABBREVIATED.search(phrase):
                    relative[phrase.lower()] = (unit, offset)
    future = re.compile(rf"\b(?:{FUTURE_CUES.get(lang, FUTURE_CUES['en'])})\b", re.IGNORECASE)
    return Lexicon(lang, months, weekdays, relative, future, holiday_names(lang))
