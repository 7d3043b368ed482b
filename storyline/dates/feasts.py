"""Holidays named in the text ("Christmas", "Thanksgiving Day", "Bastille Day", "Noël"): their
names per language and their day in any year come from the maintained `holidays` package, which
knows the movable feasts (Easter, Thanksgiving, Election Day) as well as the fixed ones."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

# Whose holidays each language names, and of which kinds: the package's own names, in the
# country's language. A language not listed names no holiday; its other dates still read.
SOURCES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "en": (("US", ("public", "unofficial")), ("GB", ("public",))),
    "fr": (("FR", ("public",)),),
    "de": (("DE", ("public",)),),
    "es": (("ES", ("public",)),),
    "it": (("IT", ("public",)),),
    "pt": (("PT", ("public",)),),
    "nl": (("NL", ("public",)),),
}
# Names a reader uses that the package spells otherwise: name -> (country, the package's name)
ALIASES: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "christmas": ("US", "Christmas Day"),
        "thanksgiving": ("US", "Thanksgiving Day"),
        "easter": ("US", "Easter Sunday"),
        "easter monday": ("FR", "Lundi de Pâques"),
        "may day": ("FR", "Fête du Travail"),  # 1 May, not Britain's first Monday of May
        "st. patrick's day": ("US", "Saint Patrick's Day"),
        "presidents' day": ("US", "Washington's Birthday"),
        "presidents day": ("US", "Washington's Birthday"),
        "martin luther king day": ("US", "Martin Luther King Jr. Day"),
        "bastille day": ("FR", "Fête nationale"),
    },
    "fr": {"pâques": ("IT", "Pasqua")},
    "de": {"ostern": ("IT", "Pasqua"), "weihnachten": ("DE", "Erster Weihnachtstag")},
}
SAMPLE_YEARS = (2000, 2024)  # names are gathered from these years: some holidays are recent


@lru_cache(maxsize=16)
def holiday_names(lang: str) -> dict[str, tuple[str, str]]:
    """Lower-cased holiday name -> (country, the package's name) for `lang`."""
    names: dict[str, tuple[str, str]] = {}
    for country, categories in SOURCES.get(lang, ()):
        for year in SAMPLE_YEARS:
            for name in _calendar(country, categories, year).values():
                for single in name.split("; "):  # two holidays on one day
                    if "(" not in single:  # "(observed)": a day off, not the feast
                        names.setdefault(single.lower(), (country, single))
    names.update(ALIASES.get(lang, {}))
    return names


def holiday_day(country: str, name: str, year: int) -> date | None:
    """The day of the holiday `name` of `country` in `year`; None where the package does not
    say (a year it does not cover, such as 1 or 9999)."""
    categories = next(
        (c for lang_sources in SOURCES.values() for k, c in lang_sources if k == country),
        ("public",),
    )
    if not 1 <= year <= 9999:
        return None
    for day, names in _calendar(country, categories, year).items():
        if name in names.split("; "):
            return day
    return None


@lru_cache(maxsize=512)
def _calendar(country: str, categories: tuple[str, ...], year: int) -> dict[date, str]:
    import holidays  # imported on first use: 50 ms that a build naming no holiday never pays

    language = getattr(holidays, country).default_language  # the country's own names
    calendar = holidays.country_holidays(
        country, years=year, categories=categories, language=language
    )
    return dict(calendar.items())
