"""Dates stage: publication dates, and the dates mentioned in the text with TimeML values.

Candidate spans come from a regex of date forms (tagger.py) and only those are read: running
dateparser's search over whole articles is slow and finds "dates" in words such as "may" or
"a 17% rise". Publication dates, which come in any format and language, go to dateparser.
Relative mentions resolve against an anchor: the publication date, or, for an undated article,
the date of its event once grouping has found it. Each dated article gets its own day
(own_day.py), which grouping and describing read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateparser.data.languages_info import language_order
from dateparser.date import DateDataParser

from ..model import Article, Diagnostic, Mention, Precision
from ..text import sentence_spans
from .own_day import main_day
from .points import Point
from .tagger import Found, Tagged, tag

__all__ = ["anchor_article", "date_article", "main_day", "mentions_in", "parse_published"]

PERIOD_PRECISION: dict[str, Precision] = {
    "day": "day",
    "time": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}
ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
ENGLISH_DATE = re.compile(r"(?:\d{1,2} [A-Z][a-z]+|[A-Z][a-z]+ \d{1,2},) \d{4}")
AMBIGUOUS_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")
FAR_FUTURE_DAYS = 2  # a publication date later than this after the build is suspect
SENTENCE_REACH = 300  # characters kept on each side of a mention in its sentence
PUBLISHED_MAX = 200  # characters; the longest way to write a date and time takes some 80
KNOWN_LANGUAGES = frozenset(language_order)  # dateparser's; it refuses to parse in any other


@lru_cache(maxsize=32)
def _parser(date_order: str, lang: str | None) -> DateDataParser:
    # a language dateparser does not know ("english", "xx") is read as English is: as any
    known = lang in KNOWN_LANGUAGES and lang != "en"
    return DateDataParser(
        languages=[lang, "en"] if known else None,
        use_given_order=known,  # the article's own first: "13 set 2000" is in September
        try_previous_locales=False,
        settings={
            "DATE_ORDER": date_order,
            "PREFER_DAY_OF_MONTH": "first",
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )


def language(code: str | None, default: str) -> str:
    """'fr-FR' -> 'fr'; the site's language when the article names none."""
    return (code or default or "en").split("-")[0].split("_")[0].lower()


def parse_published(
    raw: str, timezone: str, date_order: str, lang: str | None = None
) -> tuple[datetime | None, Precision | None, list[str]]:
    """A publication date in any format or language -> (aware datetime in `timezone`,
    precision, problems worth a warning)."""
    problems: list[str] = []
    value = _common_form(raw, lang)
    precision: Precision = "day"
    if value is None:  # any other format or language: dateparser reads it
        if len(raw) > PUBLISHED_MAX:  # no date is that long, and dateparser's time grows with it
            return None, None, [_unreadable(raw[:PUBLISHED_MAX] + "...")]
        data = _parser(date_order, lang).get_date_data(raw)
        if data.date_obj is None:
            return None, None, [_unreadable(raw)]
        value = data.date_obj
        precision = PERIOD_PRECISION.get(data.period or "day", "day")
    zone = ZoneInfo(timezone)
    try:
        value = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    except OverflowError:  # "0001-01-01T00:00+05:00" is before year 1 in UTC
        return None, None, [_unreadable(raw)]
    if precision == "month":
        value = value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif precision == "year":
        value = value.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if (
        (ambiguous := AMBIGUOUS_NUMERIC.match(raw))
        and ambiguous[1] != ambiguous[2]
        and max(int(ambiguous[1]), int(ambiguous[2])) <= 12
    ):
        problems.append(
            f"publication date {raw!r} is ambiguous; read as "
            f"{value.date().isoformat()} by dates.order {date_order}"
        )
    if value.year < 1900:
        problems.append(f"publication date {raw!r} is before 1900")
    elif value.date() > date.today() + timedelta(days=FAR_FUTURE_DAYS):
        problems.append(f"publication date {raw!r} is in the future")
    return value, precision, problems


def _unreadable(raw: str) -> str:
    return f"publication date {raw!r} could not be read; the article is kept without one"


def _common_form(raw: str, lang: str | None) -> datetime | None:
    """The publication date when it is written in one of the forms most feeds and front
    matters use: ISO 8601, or an English day and month name ("5 March 2025", "March 5, 2025").
    These need no dateparser, which costs a millisecond a call; anything else returns None."""
    text = raw.strip()
    if ISO_DATE.fullmatch(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    if lang in (None, "en") and ENGLISH_DATE.fullmatch(text):
        for form in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"):
            try:
                return datetime.strptime(text, form)
            except ValueError:
                continue
    return None


def date_article(
    article: Article, timezone: str, date_order: str, default_lang: str = "en"
) -> Article:
    """Normalise the publication date and find the mentions, anchored on it, and the
    article's own day."""
    lang = language(article.lang, default_lang)
    published, precision, problems = None, None, []
    if article.published_raw:
        published, precision, problems = parse_published(
            article.published_raw, timezone, date_order, lang
        )
    anchor = published.date() if published and precision == "day" else None
    mentions, notes = _find(article, anchor, date_order, lang, nearest=False)
    diagnostics = [
        *article.diagnostics,
        *(Diagnostic(article.path, p) for p in problems),
        *(Diagnostic(article.path, n) for n in notes),
    ]
    dated = replace(
        article,
        published=published,
        published_precision=precision,
        mentions=mentions,
        diagnostics=diagnostics,
    )
    return replace(dated, day=main_day(dated))


def anchor_article(
    article: Article, anchor: date, date_order: str, default_lang: str = "en"
) -> Article:
    """Resolve an undated article's relative mentions against its event's date. The report may
    have been written before or after that day, so a weekday takes its nearest occurrence.
    Its own day is read again from them."""
    lang = language(article.lang, default_lang)
    mentions, _ = _find(article, anchor, date_order, lang, nearest=True)
    anchored = replace(article, mentions=mentions)
    return replace(anchored, day=main_day(anchored))


def mentions_in(
    text: str, anchor: date | None, lang: str = "en", date_order: str = "DMY", nearest: bool = False
) -> Tagged:
    """The date expressions of a text: what `python build.py dates` prints and what the build
    reads from every article."""
    return tag(text, anchor, lang, date_order, nearest)


def _find(
    article: Article, anchor: date | None, date_order: str, lang: str, nearest: bool
) -> tuple[list[Mention], list[str]]:
    """The mentions of the captions and paragraphs, read as one text so that chains ("two days
    later") and the paragraph's year carry over; and the warnings they raise."""
    blocks = [(-1, c) for c in article.captions] + list(enumerate(article.paragraphs))
    text = "\n\n".join(block for _, block in blocks)
    starts, offset = [], 0
    for _, block in blocks:
        starts.append(offset)
        offset += len(block) + 2
    tagged = mentions_in(text, anchor, lang, date_order, nearest)
    sentences: dict[int, list[tuple[int, int]]] = {}
    mentions, notes = [], []
    for found in tagged.mentions:
        index = bisect_right(starts, found.start) - 1
        paragraph, block = blocks[index]
        if index not in sentences:
            sentences[index] = list(sentence_spans(block))
        spans = sentences[index] or [(0, len(block))]
        span_starts = [s for s, _ in spans]
        local, local_end = found.start - starts[index], found.end - starts[index]
        # from the sentence the mention begins in to the one it ends in: "am 12. März" is one
        # date, though a sentence seems to end at "12."
        first = spans[max(bisect_right(span_starts, local) - 1, 0)][0]
        last = spans[max(bisect_right(span_starts, local_end - 1) - 1, 0)][1]
        # a "sentence" longer than a sentence (a list, a table) is cut around the mention
        first = max(first, local - SENTENCE_REACH)
        last = min(last, local_end + SENTENCE_REACH)
        sentence = block[first:last]
        mentions.append(_mention(found, sentence, paragraph))
        if found.note:
            notes.append(found.note)
    if tagged.stopped_at is not None:
        notes.append(
            f"dates were read only up to character {tagged.stopped_at}: no article is that "
            "long or holds that many date-like words"
        )
    return mentions, notes


def _mention(found: Found, sentence: str, paragraph: int) -> Mention:
    point: Point | None = found.point
    return Mention(
        text=found.text,
        sentence=sentence,
        paragraph=paragraph,
        value=point.value if point else None,
        day=point.start if point else None,
        precision=point.gran if point else None,
        relative=found.relative,
        weekday=found.weekday,
    )
