"""Holidays named in the text ("Christmas", "Thanksgiving Day", "Bastille Day", "Noël"): their
names per language and their day in any year come from the maintained `holidays` package, which
knows the movable feasts (Easter, Thanksgiving, Election Day) as well as the fixed ones; weeks
named after a feast ("Holy Week", "Easter week") are the weeks of its day."""

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
# Weeks named after a feast: name -> (the feast's name in this table or the package's, the days
# from the feast to a day of that week). Holy Week ends on Easter Sunday (ISO weeks run Monday
# to Sunday); Easter week begins on Easter Monday.
FEAST_WEEKS: dict[str, dict[str, tuple[str, int]]] = {
    "en": {"holy week": ("easter", 0), "easter week": ("easter", 1)},
    "es": {"semana santa": ("viernes santo", 0)},
    "de": {"karwoche": ("karfreitag", 0), "osterwoche": ("ostermontag", 0)},
    "fr": {"semaine sainte": ("pâques", 0)},
    "it": {"settimana santa": ("pasqua", 0)},
    "pt": {"semana santa": ("sexta-feira santa", 0)},
    "nl": {"goede week": ("goede vrijdag", 0), "paasweek": ("tweede paasdag", 0)},
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
    for week, (feast, _) in FEAST_WEEKS.get(lang, {}).items():
        if feast in names:
            names[week] = names[feast]
    return names


def week_offset(lang: str, name: str) -> int | None:
    """For a week named after a feast ("Holy Week"), the days from the feast to a day of
    it; None for a feast's own name."""
    week = FEAST_WEEKS.get(lang, {}).get(name)
    return week[1] if week else None


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
