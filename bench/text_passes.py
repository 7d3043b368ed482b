"""How many times a build reads the same text: each text helper and each name or amount
pattern, by the function that calls it, in characters read per character of the articles'
cleaned text (1.00: the whole text once).

    python bench/text_passes.py build.py --config ... --jobs 1 --no-cache -q

Runs the build in this process (`--jobs 1`: no worker goes uncounted) with `text.sentences`,
`sentence_spans`, `sentence_starts`, `normalised`, `fold` and `words` wrapped before the
stages import them, and the name and amount patterns of the cleaning, the places and the
comparison wrapped where their modules keep them. The counting slows the build: read the
counts, not its time.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import runpy
import sys
from collections import Counter
from collections.abc import Callable

import storyline.text as text

HELPERS = ("sentences", "sentence_spans", "sentence_starts", "normalised", "fold", "words")
# (module, pattern) of the patterns that find names and amounts
PATTERNS = {
    "storyline.clean": ("NAME",),
    "storyline.places": ("CAPITALISED_RUN",),
    "storyline.compare.quotes": (
        "TITLED_NAME",
        "APPOSITIVE_NAME",
        "APPOSITIVE_SAYS",
        "JOB_NAME",
        "OF_NAME",
        "SAYS_NAME",
        "SURNAME_SPEAKS",
        "SPEAKS_SURNAME",
        "HONOURED_SURNAME",
        "FULL_NAME",
        "TITLED_SURNAME",
        "ROLE_NAME",
        "CAPITALISED_RUN",
        "ROLE_REFERENCE",
        "QUOTE",
    ),
    "storyline.compare.facts": ("AMOUNT", "NAME_RUN", "NAMED", "CAPITALISED"),
}

read: Counter[tuple[str, str]] = Counter()  # (helper or pattern, caller) -> characters
calls: Counter[tuple[str, str]] = Counter()


def _caller(depth: int) -> str:
    code = sys._getframe(depth).f_code
    return f"{'/'.join(code.co_filename.split('/')[-2:])}:{code.co_name}"


def _count(label: str, string: str, depth: int) -> None:
    key = (label, _caller(depth))
    calls[key] += 1
    read[key] += len(string)


def _counted(label: str, helper: Callable) -> Callable:
    def counted(string: str, *args, **kwargs):
        _count(label, string, 3)
        return helper(string, *args, **kwargs)

    return counted


class CountedPattern:
    """A compiled pattern whose searches count the characters they are given."""

    def __init__(self, label: str, pattern: re.Pattern):
        self.label, self.pattern = label, pattern
        for method in ("finditer", "findall", "search", "match", "fullmatch"):
            setattr(self, method, _counted(label, getattr(pattern, method)))

    def __getattr__(self, name: str):  # sub, split, groupindex ...
        return getattr(self.pattern, name)


def main() -> None:
    for name in HELPERS:
        setattr(text, name, _counted(name, getattr(text, name)))
    from storyline import clean

    for module_name, names in PATTERNS.items():
        module = importlib.import_module(module_name)
        short = module_name.rsplit(".", 1)[-1]
        for name in names:
            setattr(module, name, CountedPattern(f"{short}.{name}", getattr(module, name)))
    cleaned: Counter[str] = Counter()
    clean_article = clean.clean_article

    def counting_clean(*args, **kwargs):
        article = clean_article(*args, **kwargs)
        cleaned["characters"] += len(article.text)
        return article

    clean.clean_article = counting_clean
    sys.argv = sys.argv[1:]
    with contextlib.suppress(SystemExit):  # the build's exit status: its counts are read
        runpy.run_path(sys.argv[0], run_name="__main__")
    whole = cleaned["characters"] or 1
    print(f"{whole} characters of cleaned text\n")
    print("| helper or pattern | called from | calls | × the cleaned text |")
    print("| --- | --- | --- | --- |")
    for (label, caller), characters in read.most_common():
        count = calls[label, caller]
        print(f"| {label} | {caller} | {count} | {characters / whole:.2f} |")
    totals: Counter[str] = Counter()
    for (label, _), characters in read.items():
        totals[label] += characters
    print("\n| helper or pattern | × the cleaned text, all callers |\n| --- | --- |")
    for label, characters in totals.most_common():
        print(f"| {label} | {characters / whole:.2f} |")


if __name__ == "__main__":
    main()
