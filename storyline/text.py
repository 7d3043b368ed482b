"""Small text helpers that several stages share: sentences, words, normalised forms."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    # never loaded (`stop_words` reads its list from its file), but named so that the cache
    # keys, which take the versions of the libraries imported, change with its version
    import sklearn  # noqa: F401

INNER_HYPHEN = re.compile(r"(?<=\w)[-‐](?=\w)")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Words that end with a period but do not end a sentence.
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "gov",
    "sen",
    "rep",
    "st",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
# Amounts written out in words ("fifteen nations", "twenty-five days"); dates and comparisons
# both read them, by these words and by NUMBER_IN_WORDS below.
UNIT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}  # fmt: skip
TEEN_WORDS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
NUMBER_WORDS = UNIT_WORDS | TEEN_WORDS | TENS_WORDS
UNITS_WORD, TEENS_WORD, TENS_WORD = (
    "(?:" + "|".join(w) + ")" for w in (UNIT_WORDS, TEEN_WORDS, TENS_WORDS)
)
# A number from one to ninety-nine in words, the longest first: "twenty-five", "seventy", "six"
NUMBER_IN_WORDS = rf"(?i:{TENS_WORD}(?:-{UNITS_WORD})?|{TEENS_WORD}|{UNITS_WORD})"


def number_in_words(written: str) -> int | None:
    """The number a NUMBER_IN_WORDS match gives: 25 for 'Twenty-five'; None for other words."""
    parts = written.lower().split("-")
    if len(parts) > 2 or not all(p in NUMBER_WORDS for p in parts):
        return None
    return sum(NUMBER_WORDS[p] for p in parts)


def character_class(characters: Iterable[str]) -> str:
    """A regex class of the characters, runs of consecutive ones as ranges ('A-Z'), which
    compile several times faster than each character written out."""
    codes = sorted({ord(c) for c in characters})
    # in a run of consecutive code points, code point less position stays the same
    runs = [
        [code for _, code in run] for _, run in groupby(enumerate(codes), lambda p: p[1] - p[0])
    ]
    first_last = ((re.escape(chr(run[0])), re.escape(chr(run[-1]))) for run in runs)
    return "[" + "".join(a if a == b else f"{a}-{b}" for a, b in first_last) + "]"


# A capital letter of the Latin, Greek and Cyrillic scripts, accented or not ("Émile",
# "Łódź"), where [A-Z] knows only English's; not a lower-case "é".
CAPITAL = character_class(c for c in map(chr, range(0x2000)) if c.isupper())
# One word of a name: a capital, then letters, digits, apostrophes and hyphens ("O'Neill", "NATO")
NAME_WORD = rf"{CAPITAL}[\w’'-]+"
# Lower-case words inside a name: "Kevin de León", "Ursula von der Leyen", "Rio de Janeiro"
PARTICLES = (
    "de",
    "da",
    "di",
    "del",
    "della",
    "van",
    "von",
    "der",
    "den",
    "du",
    "la",
    "le",
    "bin",
    "ibn",
)
PARTICLE = rf"(?:(?:{'|'.join(PARTICLES)})[^\S\n]+)"
# What comes between two words of a name on one line: spaces, an initial, particles
NAME_GAP = rf"[^\S\n]+(?:{CAPITAL}\.[^\S\n]+)?{PARTICLE}*"
# A name as written: its words in a row ("John F. Kennedy", "Kevin de León"). The speakers
# of quotes, the names of an article and the places of a text are all found by it.
NAME_RUN = rf"{NAME_WORD}(?:{NAME_GAP}{NAME_WORD})*"

# Words of rank or office written before a name: "Defence Minister Boris Pistorius".
TITLES = (
    r"(?:Prime\s+Minister|Minister|Secretary|President|Chancellor|Premier|Mayor|Governor|"
    r"Senator|Representative|Spokes(?:man|woman|person)|Chief|Director|Engineer|Commissioner|"
    r"Council(?:l)?or|Council(?:wo)?man|Council\s?member|Alder(?:wo)?man|Judge|Ambassador|General|Admiral|Chair(?:man|woman)?|CEO|Leader|Sheriff|"
    r"Superintendent|Inspector|Professor|Speaker|Dr\.|Mr\.|Mrs\.|Ms\.|Rep\.|Sen\.|Gov\.)"
)
SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])")


# Anything Markdown could turn into markup; text without it renders as its own paragraphs.
MARKDOWN_SYNTAX = re.compile(
    r"[*_`\[\]<>#|\\&]|^ {0,3}(?:[-+=]|\d+[.)])(?:\s|$)|^ {4}|^\s*(?:-{3,}|={3,})\s*$| {2}$",
    re.MULTILINE,
)


def plain_paragraphs(markdown_text: str) -> list[str] | None:
    """The paragraphs of Markdown that has no markup in it, as Markdown would render them;
    None when it has some. Most pasted news has none, and rendering costs a millisecond."""
    if MARKDOWN_SYNTAX.search(markdown_text):
        return None
    return [p.strip() for p in re.split(r"\n\s*\n", markdown_text) if p.strip()]


# Python-Markdown's inline patterns take time quadratic in a paragraph's unclosed "[" and "<"
# (a minute for 10,000), and its block parser recurses once per nested list marker; no news
# article comes near either, so past them a text is read as plain paragraphs.
MAX_MARKUP_OPENERS = 1000


def markdown_html(markdown_text: str) -> str | None:
    """Markdown as HTML (not yet sanitised), by Python-Markdown; None for a text that holds
    more brackets than it reads in bounded time, or nests deeper than Python's stack."""
    import markdown  # here: a build with nothing to do never renders

    if markdown_text.count("[") + markdown_text.count("<") > MAX_MARKUP_OPENERS:
        return None
    try:
        return markdown.markdown(markdown_text)
    except RecursionError:
        return None


UNREADABLE_MARKDOWN = (
    f"its Markdown nests too deeply or has more than {MAX_MARKUP_OPENERS} '[' and '<' to be "
    "rendered in time; its text is shown as plain paragraphs"
)


def sentence_spans(paragraph: str) -> Iterator[tuple[int, int]]:
    """Start and end offsets of the sentences of one paragraph."""
    start = 0
    for match in SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start()].rsplit(None, 1)
        last_word = before[-1].rstrip('.!?”"’)').lower() if before else ""
        if last_word in ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue  # "U.S. officials", "John F. Kennedy"
        end = match.start() + len(match.group().rstrip())
        yield start, end
        start = match.end()
    if start < len(paragraph):
        yield start, len(paragraph.rstrip())


def sentences(paragraph: str) -> list[str]:
    return [paragraph[start:end] for start, end in sentence_spans(paragraph)]


def sentence_starts(text: str) -> list[int]:
    """The offsets at which the sentences of a text of several lines begin, in order: each line
    begins one, as each paragraph does."""
    starts, offset = [], 0
    for line in text.split("\n"):
        starts.extend(offset + start for start, _ in sentence_spans(line))
        offset += len(line) + 1
    return starts


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English function words: scikit-learn's list, read from its own module file without
    loading scikit-learn, which takes seconds: a build that groups nothing again (an edit
    whose grouping comes from the cache) then never loads it."""
    package = importlib.util.find_spec("sklearn")  # found, not imported
    if package is None or not package.submodule_search_locations:
        raise ImportError("scikit-learn is not installed")
    path = Path(package.submodule_search_locations[0], "feature_extraction", "_stop_words.py")
    spec = importlib.util.spec_from_file_location("storyline_stop_words", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: scikit-learn's stop words are not there")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.ENGLISH_STOP_WORDS)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def fold(text: str) -> str:
    """Lower-case without accents or hyphens inside words: 'Sébastien' ~ 'sebastien',
    'cease-fire' ~ 'ceasefire'."""
    if text.isascii():  # the common case, and nothing to take accents off
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return INNER_HYPHEN.sub("", plain).replace("’", "'")


def spelled_in_full(spellings: Iterable[str]) -> str:
    """Of the spellings of one folded name, the one that keeps its accents ('Sébastien' over
    'Sebastien', which a keyboard or a wire loses), then the most written, then the first."""
    counts = Counter(spellings)
    earlier = {name: -n for n, name in enumerate(counts)}
    return max(counts, key=lambda n: (sum(not c.isascii() for c in n), counts[n], earlier[n]))


def normalised(text: str) -> str:
    """Folded words joined by single spaces: the form compared for sameness."""
    return " ".join(words(fold(text)))


def is_web_url(url: str | None) -> bool:
    """Whether a browser opens `url` as a web page: http or https, with a host. Any other
    scheme in a link, `javascript:` and `data:` above all, runs in the reader's browser when
    clicked. Python splits a URL as browsers do, dropping tabs, newlines and leading control
    characters, so 'java\\tscript:' is caught too."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[": a host no browser can reach either
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)
