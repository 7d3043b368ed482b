"""Words of one meaning: a light stemmer and a small table of news words that outlets swap for
each other ("nations" and "countries", "probe" and "investigation"), so that two wordings of
one fact, or two amounts of one thing, are recognised as such."""

from __future__ import annotations

from functools import cache, lru_cache

from ..text import fold

# Each line is one meaning; the words are stems as `stem` leaves them or their plain forms.
SYNONYMS = """
country nation
people person resident citizen individual
child children kid minor youngster
dead death die died fatality kill slay
wound injure hurt
attack assault raid
investigate investigation probe inquiry
announce unveil
rise increase climb grow jump surge
fall drop decline decrease plunge
buy purchase acquire
send deliver donate ship
dose shot jab
law legislation bill measure
police officer cop detective
soldier troop
meet meeting talks
reject block
approve pass endorse
arrest detain
suspect assailant attacker gunman
job position
dollar
vehicle car
plane aircraft jet
home house residence
company firm
begin start launch
stop halt suspend pause
warn caution
urge call
ban prohibit
charge indict
aid help assist
fire blaze
""".strip()

SUFFIXES = (
    ("ation", "at"),
    ("ition", "it"),
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
    ("e", ""),
)

# Words that frame rather than report: what a reader of two outlets' wordings should see first.
LOADED = """
terror terrorist terrorism extremist radical militant jihadist regime thug mob riot rioter
insurrection insurrectionist massacre slaughter butcher atrocity genocide invasion invader
coal gut slash slam blast rip lash destroy wreck demand scheme ploy grab ram cave surrender
crisis chaos disaster catastrophe fiasco debacle scandal bombshell embattled disgraced
socialist communist woke fascist illegal alien smear lie liar falsely baseless debunked
conspiracy propaganda brutal vicious horrific shocking outrage outrageous defiant
controversial so-called claim admit insist refuse failed failing radicalized hardline
""".split()


@cache
def loaded_words() -> frozenset[str]:
    return frozenset(stem(w) for w in LOADED)


def stem(word: str) -> str:
    """The word without its common inflections: "countries" and "country", "investigating"
    and "investigation", "stabbed" and "stab" give one stem."""
    word = fold(word)
    for _ in range(2):  # "meetings" -> "meeting" -> "meet"
        word = _strip_suffix(word)
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "stabb" -> "stab"
    return word


def _strip_suffix(word: str) -> str:
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


@cache
def _table() -> dict[str, str]:
    meanings: dict[str, str] = {}
    for line in SYNONYMS.splitlines():
        words = line.split()
        for word in words:
            meanings[stem(word)] = stem(words[0])
    return meanings


@lru_cache(maxsize=1 << 16)  # a corpus has some ten thousand words; stemming each once
def sense(word: str) -> str:
    """One key for all the words of one meaning: the stem, or the first stem of its line."""
    key = stem(word)
    return _table().get(key, key)
