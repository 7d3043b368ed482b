"""An article's own day: the day of the happening it reports, as far as its dates say. The
dates stage gives it each article it dates; grouping and describing read it."""

from __future__ import annotations

import re
from datetime import date

from ..model import Article

LEAD_PARAGRAPHS = 2
BACKGROUND = re.compile(r"\b(?:born|birth|birthday|anniversary|founded|ago)\b", re.IGNORECASE)
NEWS_LAG_DAYS = 2  # news reports a happening within a day or two; a day further back is background


def main_day(article: Article) -> date | None:
    """The day the article's own happening took place, as far as it says: the first day its
    lead names on or up to NEWS_LAG_DAYS before the publication date ("met on Tuesday"; a day
    further back is background, a later one a plan: "will vote Thursday"), else the
    publication day. Undated, the first day its lead names, unless
    that is a weekday or "yesterday" with nothing to resolve it against, or a background
    mention (a birth, an anniversary); a date further down the text is background too."""
    lead = [
        m
        for m in article.mentions
        if m.paragraph < LEAD_PARAGRAPHS and not BACKGROUND.search(m.sentence)
    ]
    if article.published and article.published_precision == "day":
        published = article.published.date()
        near = [
            m.day
            for m in lead
            if m.precision in ("day", "time")
            and m.day
            and 0 <= (published - m.day).days <= NEWS_LAG_DAYS
        ]
        return near[0] if near else published
    for m in lead:
        if m.precision in ("day", "time") and m.day:
            return m.day
        if m.value is None and m.relative and m.weekday is not None:
            return None  # "died on Tuesday": the happening's weekday, its day unknown
    return None
