"""Small text helpers that several stages share: sentences, words, normalised forms."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
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
# Amounts written out in words ("fifteen nations"); dates and comparisons both read them.
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip

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
