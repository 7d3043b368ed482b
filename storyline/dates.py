"""Dates stage: publication dates and the dates mentioned in the text.

Candidate spans are picked by a regex prefilter and only those are parsed (dateparser on a whole
article is slow and finds "dates" in words such as "may" or "a 17% rise"). Relative mentions
("on Tuesday", "March 12", "last month") are resolved against an anchor: the publication date,
or, for an undated article, the date of its event once grouping has found it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser
from dateparser.date import DateDataParser

from .model import Article, Diagnostic, Mention, Precision
from .text import sentence_spans

MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
NUMBER_WORD = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# Ordered from the longest form to the shortest: the first alternative that matches wins.
CANDIDATE = re.compile(
    rf"""\b(?:
      (?:(?i:on)\s+)?(?P<full>(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+{DAY},?\s+{YEAR}|{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR})
              |{YEAR}-[01]\d-[0-3]\d|[0-3]?\d[/.][01]?\d[/.]{YEAR})
    | (?:(?i:on)\s+)?(?P<month_day>(?:{WEEKDAY},?\s+)?
        (?:{MONTH}\s+{DAY}|{DAY}\s+(?:of\s+)?{MONTH})\b)
    | (?P<month_year>{MONTH},?\s+{YEAR})
    | (?:(?i:in|since|until|till|by|during|from|of|early|late|mid-?)\s+)
        (?P<month>{MONTH})\b(?!\s+\d)
    | (?:(?i:in|since|until|till|by|during|from|before|after|early|late|mid-?)\s+)
        (?P<year>{YEAR})\b(?![-/.]?\d|\s*(?:%|percent|dollars|euros))
    | (?P<weekday>(?:(?i:last|next|this|on|early|late)\s+)?{WEEKDAY}
        (?:\s+(?:morning|afternoon|evening|night))?)
    | (?P<relative>(?i:yesterday|today|tomorrow|tonight
        |(?:last|next|this|past)\s+(?:month|year)
        |{NUMBER_WORD}\s+(?:days?|months?|years?)\s+ago
        |(?:earlier|later)\s+this\s+(?:month|year)))
    )\b""",
    re.VERBOSE,
)
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|to be held|is to|are to|is due|are due|scheduled|upcoming|planning|"
    r"plans? to|expected to|set to|next|would)\b",
    re.IGNORECASE,
)
RELATIVE_PERIOD = re.compile(
    r"(?P<which>last|next|this|past|earlier this|later this)\s+"
    r"(?P<unit>month|year)"
)
PERIOD_STEP = {"last": -1, "past": -1, "next": 1, "this": 0, "earlier this": 0, "later this": 0}
DAY_OFFSETS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
PERIOD_PRECISION: dict[str, Precision] = {
    "day": "day",
    "time": "day",
    "week": "day",
    "month": "month",
    "year": "year",
}


@lru_cache(maxsize=8)
def _parser(date_order: str) -> DateDataParser:
    return DateDataParser(
        settings={
            "DATE_ORDER": date_order,
            "PREFER_DAY_OF_MONTH": "first",
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        }
    )


def parse_published(
    raw: str, timezone: str, date_order: str
) -> tuple[datetime | None, Precision | None]:
    """A publication date in any format or language -> an aware datetime in `timezone`."""
    data = _parser(date_order).get_date_data(raw)
    if data.date_obj is None:
        return None, None
    zone = ZoneInfo(timezone)
    value = data.date_obj
    value = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    precision = PERIOD_PRECISION.get(data.period or "day", "day")
    if precision != "day":
        value = datetime.combine(truncate(value.date(), precision), datetime.min.time(), zone)
    return value, precision


def date_article(article: Article, timezone: str, date_order: str) -> Article:
    """Normalise the publication date and find the mentions, anchored on it."""
    published, precision = None, None
    diagnostics = list(article.diagnostics)
    if article.published_raw:
        published, precision = parse_published(article.published_raw, timezone, date_order)
        if published is None:
            diagnostics.append(
                Diagnostic(
                    article.path,
                    f"publication date "
                    f"{article.published_raw!r} could not be read; "
                    "the article is kept without one",
                )
            )
    anchor = published.date() if published and precision == "day" else None
    return replace(
        article,
        published=published,
        published_precision=precision,
        diagnostics=diagnostics,
        mentions=find_mentions(article, anchor, date_order),
    )


def anchor_article(article: Article, anchor: date, date_order: str) -> Article:
    """Resolve an undated article's relative mentions against its event's date. The report may
    have been written before or after that day, so a weekday takes its nearest occurrence."""
    return replace(article, mentions=find_mentions(article, anchor, date_order, nearest=True))


def find_mentions(
    article: Article, anchor: date | None, date_order: str, nearest: bool = False
) -> list[Mention]:
    mentions: list[Mention] = []
    blocks = [(-1, caption) for caption in article.captions] + list(enumerate(article.paragraphs))
    for index, paragraph in blocks:
        spans = list(sentence_spans(paragraph))
        for match in CANDIDATE.finditer(paragraph):
            kind = match.lastgroup
            start, end = match.span(kind)
            sentence = next((paragraph[s:e] for s, e in spans if s <= start < e), paragraph)
            value, precision = _resolve(kind, match[kind], sentence, anchor, date_order, nearest)
            if precision is None:
                continue  # not a date after all ("the 31/02/2025 typo", "may")
            mentions.append(
                Mention(
                    # "in 2022", "in February" keep their preposition; "on March 3" does not
                    text=match.group() if kind in ("month", "year") else match[kind],
                    sentence=sentence,
                    paragraph=index,
                    value=value,
                    relative=kind not in ("full", "month_year", "year"),
                    precision=precision,
                    weekday=named_weekday(match[kind]),
                )
            )
    return mentions


def _resolve(
    kind: str, span: str, sentence: str, anchor: date | None, date_order: str, nearest: bool = False
) -> tuple[date | None, Precision | None]:
    """The mention's date and precision; a relative mention without an anchor gets no value."""
    if kind in ("full", "month_year", "year"):
        data = _parser(date_order).get_date_data(span)
        if data.date_obj is None:
            return None, None
        precision = PERIOD_PRECISION.get(data.period or "day", "day")
        return truncate(data.date_obj.date(), precision), precision
    precision: Precision = {"month_day": "day", "month": "month", "weekday": "day"}.get(kind, "day")
    if kind == "relative":
        precision = "month" if "month" in span else "year" if "year" in span else "day"
    if anchor is None:
        return None, precision
    future = bool(FUTURE_CUE.search(_clause_before(sentence, span)))
    if kind == "weekday":
        return _weekday(span, anchor, future, nearest), "day"
    if kind == "relative" and span.lower() in DAY_OFFSETS:
        return anchor + timedelta(days=DAY_OFFSETS[span.lower()]), "day"
    if kind == "relative" and (period := RELATIVE_PERIOD.fullmatch(span.lower())):
        return _shift_period(anchor, period["unit"], PERIOD_STEP[period["which"]]), precision
    if kind == "relative":
        base = datetime.combine(anchor, datetime.min.time())
        parsed = dateparser.parse(span, settings={"RELATIVE_BASE": base})
        if parsed is None:
            return None, None
        return truncate(parsed.date(), precision), precision
    parsed = dateparser.parse(
        re.sub(WEEKDAY + r",?\s*", "", span),
        settings={
            "RELATIVE_BASE": datetime(anchor.year, 1, 1),
            "PREFER_DAY_OF_MONTH": "first",
            "DATE_ORDER": date_order,
        },
    )
    if parsed is None:
        return None, None
    return truncate(_nearest_year(parsed.date(), anchor, future, precision), precision), precision


def truncate(value: date, precision: Precision) -> date:
    """The first day of the period a date stands for: 2022 -> 2022-01-01."""
    if precision == "year":
        return value.replace(month=1, day=1)
    if precision == "month":
        return value.replace(day=1)
    return value


def _clause_before(sentence: str, span: str) -> str:
    """The words of the mention's own clause that come before it: where tense cues live."""
    before = sentence[: max(sentence.find(span), 0)]
    return re.split(r"[;:]|,\s+(?:and|but|while|as)\b", before)[-1][-80:]


def _shift_period(anchor: date, unit: str, step: int) -> date:
    """The first day of the month or year `step` periods from the anchor's."""
    if unit == "year":
        return date(anchor.year + step, 1, 1)
    months = anchor.year * 12 + anchor.month - 1 + step
    return date(months // 12, months % 12 + 1, 1)


def named_weekday(span: str) -> int | None:
    """The weekday a span names (Monday = 0), if any."""
    return next((WEEKDAYS.index(w) for w in span.lower().split() if w in WEEKDAYS), None)


def _weekday(span: str, anchor: date, future: bool, nearest: bool) -> date:
    words = span.lower().split()
    target = named_weekday(span)
    assert target is not None, "only weekday mentions come here"
    days_back = (anchor.weekday() - target) % 7  # 0: the anchor day itself counts
    days_ahead = (target - anchor.weekday()) % 7
    if "last" in words:
        return anchor - timedelta(days=days_back or 7)
    if "next" in words:
        return anchor + timedelta(days=days_ahead or 7)
    if "this" in words:  # the same Monday-to-Sunday week
        return anchor + timedelta(days=target - anchor.weekday())
    if nearest:
        return anchor + timedelta(days=days_ahead if days_ahead < days_back else -days_back)
    if future:
        return anchor + timedelta(days=days_ahead)
    return anchor - timedelta(days=days_back)


def _nearest_year(value: date, anchor: date, future: bool, precision: Precision) -> date:
    """A yearless date ("March 12", "in February") in the year that fits the anchor and tense."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(value.replace(year=year))
        except ValueError:  # 29 February
            continue
    if precision == "month":

        def distance(d: date) -> int:
            return (d.year - anchor.year) * 12 + d.month - anchor.month
    else:

        def distance(d: date) -> int:
            return (d - anchor).days

    if future:
        later = [d for d in candidates if distance(d) >= 0]
        return min(later, key=distance) if later else value
    return min(candidates, key=lambda d: (abs(distance(d)), distance(d) > 0))
