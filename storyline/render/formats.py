"""How the pages write values: dates at their precision in the site's language, counts,
quotes by speaker and an article's text as safe HTML (the templates' filters)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime

import nh3
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

from ..model import Article, TimelineMention
from ..text import markdown_html, plain_paragraphs

SEASONS_FROM_DECEMBER = ("winter", "spring", "summer", "autumn")  # [month % 12 // 3]


def date_formatter(language: str) -> Callable[..., str]:
    """Dates for people and screen readers, at their precision, in the site's language:
    '12 March 2025', 'week of 10 March 2025', 'March 2025', '1st quarter 2025'."""
    locale = _locale(language)

    def formatted(value: date | datetime | None, precision: str | None = "day") -> str:
        if value is None:
            return "undated"
        return on_day(value.date() if isinstance(value, datetime) else value, precision)

    # a site shows the same few thousand days on many pages, and Babel formats in Python;
    # keyed by the day, not the datetime, which equals others of the same instant elsewhere
    @functools.lru_cache(maxsize=4096)
    def on_day(day: date, precision: str | None) -> str:
        if precision in ("week", "weekend"):
            label = "weekend of" if precision == "weekend" else "week of"
            return f"{label} {format_date(day, 'long', locale=locale)}"
        if precision == "month":
            return format_skeleton("yMMMM", day, locale=locale)
        if precision == "quarter":
            return format_date(day, "QQQQ y", locale=locale)
        if precision == "half":
            return f"{'first' if day.month < 7 else 'second'} half of {day.year}"
        if precision == "season":  # winter begins in December: January 2011 is in winter 2010
            return f"{SEASONS_FROM_DECEMBER[day.month % 12 // 3]} {day.year - (day.month < 3)}"
        if precision == "year":
            return str(day.year)
        if precision == "decade":
            return f"{day.year // 10 * 10}s"
        return format_date(day, "long", locale=locale)

    return formatted


def machine_date(mention: TimelineMention) -> str:
    """The `datetime` attribute: the TimeML value where HTML accepts it (2025, 2025-03,
    2025-03-12, 2025-W11), else the first day of the period."""
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?", mention.value):
        return mention.value
    return mention.date.isoformat()


def counted(n: int, noun: str) -> str:
    """'1 outlet', '4 outlets'."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _locale(language: str) -> Locale:
    """The site's language as a Babel locale. Plain English reads day first ('12 March 2025'),
    which no reader can misread; 'en-US' gives 'March 12, 2025'."""
    code = "en_GB" if language.lower() in ("en", "") else language.replace("-", "_")
    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_GB")


def article_html(article: Article) -> Markup:
    """The article's text as safe HTML: sanitised Markdown, or escaped cleaned paragraphs."""
    if article.format != "markdown":
        paragraphs = article.paragraphs
    elif (paragraphs := plain_paragraphs(article.body)) is None:
        # rendered by the cleaning; an article not cleaned (or unreadable) is rendered here
        rendered = article.markdown_html or markdown_html(article.body)
        if rendered is not None:
            return Markup(nh3.clean(rendered, link_rel="noopener nofollow"))
        paragraphs = article.paragraphs  # the cleaner warned of it
    return Markup("\n".join(f"<p>{escape(p)}</p>" for p in paragraphs))
