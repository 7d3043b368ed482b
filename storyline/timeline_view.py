"""What a timeline page shows (the render stage's part): the key dates first, then every
event and mentioned happening by year and month, folded when there are many, and a time axis
drawn to scale over the story's own span."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .events.describe import BACKGROUND_DAYS, story_span
from .model import Event, KeyDate, TimelineMention

KEY_DATES_SHOWN = 30  # at most; about a quarter of the story's days, for a reader in a hurry
KEY_DATES_LEAST = 5  # a short story shows this many, when it has them
KEY_DATE_ARTICLES = 2  # a key date is reported or named by at least this many articles
FOLD_AFTER = 40  # entries a page shows unfolded; beyond, each year (or month) is folded
RELATED_SHOWN = 1  # reports linked from a mentioned happening
MONTH_PRECISIONS = frozenset({"day", "time", "week", "weekend", "month"})
AXIS_WIDTH = 600
# an axis label's width per character at its 10 px font (digits are the widest), and the space
# kept between two labels, in the axis's units
LABEL_CHAR = 6.4
LABEL_GAP = 12


@dataclass(frozen=True)
class Mentioned:
    """A mentioned happening as the page lists it, with the first reports that mention it."""

    mention: TimelineMention
    events: list[Event]
    more: int  # reports not linked


@dataclass(frozen=True)
class Entry:
    kind: str  # "event" or "mention"
    date: date
    item: Event | Mentioned
    anchor: str  # its id in the page


@dataclass(frozen=True)
class KeyEntry:
    key: KeyDate
    event: Event | None
    anchor: str  # the entry of that day in the full list


@dataclass
class Month:
    anchor: str  # "2025-03": the heading's id, for jump links
    label: str  # "March 2025"
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Year:
    year: int
    entries: list[Entry] = field(default_factory=list)  # dated to the year only, or a season
    months: list[Month] = field(default_factory=list)

    @property
    def events(self) -> int:
        return sum(e.kind == "event" for m in self.months for e in m.entries)

    @property
    def size(self) -> int:
        return len(self.entries) + sum(len(m.entries) for m in self.months)


@dataclass(frozen=True)
class Bucket:
    x: float
    width: float
    height: float  # of 40
    label: str  # the period and its events, for the bar's tooltip


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str  # "start", or "end" near the right edge, where the label would be cut off


@dataclass(frozen=True)
class Axis:
    """Events per period between the story's first and last day, to scale."""

    first: date
    last: date
    unit: str  # "day", "month" or "year"
    buckets: list[Bucket]
    ticks: list[Tick]
    before: int  # events outside the span, which would squash it
    after: int


@dataclass(frozen=True)
class TimelineView:
    key_dates: list[KeyEntry]
    years: list[Year]
    fold: str | None  # "year", "month" or None: what is folded
    axis: Axis | None

    @property
    def months(self) -> list[Month]:
        return [m for y in self.years for m in y.months]

    @property
    def entries(self) -> list[Entry]:
        """Every entry of the full list, year by year (a year's own first, then its months')."""
        return [
            e for y in self.years for e in (*y.entries, *(e for m in y.months for e in m.entries))
        ]


def timeline_view(
    events: list[Event],
    mentions: list[TimelineMention],
    key_dates: list[KeyDate],
    event_of: dict[str, Event],
    formatted: Callable[..., str],
) -> TimelineView:
    """The page of these events (dated ones) and mentioned happenings; `key_dates` are the
    digest's, of which those of these events or their articles are shown."""
    dated = sorted((e for e in events if e.date), key=lambda e: (e.date, e.slug))
    span = story_span([e.date for e in dated if e.date])
    ours = {e.id for e in events}
    by_id = {e.id: e for e in dated}
    sentence_of = {k.date: k.sentence for k in key_dates if k.sentence}
    mentioned = {  # a day in the sentence that says best what happened on it
        m.value: replace(m, text=sentence_of.get(m.date, m.text)) if m.precision == "day" else m
        for m in mentions
    }
    shown = _key_dates(
        [
            k
            for k in key_dates
            if (k.event in ours or (k.event is None and event_of[k.articles[0]].id in ours))
            and span  # within BACKGROUND_DAYS of it: a day just before the first event may be key
            and (span[0] - k.date).days <= BACKGROUND_DAYS
            and (k.date - span[1]).days <= BACKGROUND_DAYS
        ]
    )
    keys = []
    for key in shown:
        event = by_id.get(key.event or "")
        if event is not None:
            keys.append(KeyEntry(key, event, f"e-{event.slug}"))
            continue
        value = key.date.isoformat()
        if value not in mentioned:  # a day only mentioned, on no event's day: listed as one
            mentioned[value] = TimelineMention(key.date, "day", value, key.sentence, key.articles)
        keys.append(KeyEntry(key, None, f"d-{value}"))
    entries = [Entry("event", e.date, e, f"e-{e.slug}") for e in dated if e.date]
    for mention in mentioned.values():
        reports = list({event_of[a].id: event_of[a] for a in mention.articles}.values())
        item = Mentioned(mention, reports[:RELATED_SHOWN], max(len(reports) - RELATED_SHOWN, 0))
        entries.append(Entry("mention", mention.date, item, f"d-{mention.value}"))
    entries.sort(key=lambda e: (e.date, e.kind == "event", e.anchor))
    years = by_year(entries, formatted)
    fold = None
    if len(entries) > FOLD_AFTER:
        fold = "year" if len(years) > 1 else "month"
    return TimelineView(keys, years, fold, axis(dated, span, formatted) if span else None)


def _key_dates(candidates: list[KeyDate]) -> list[KeyDate]:
    """The best quarter of the days that several articles report or name (at least
    KEY_DATES_LEAST, at most KEY_DATES_SHOWN), in date order."""
    backed = [k for k in candidates if len(k.articles) >= KEY_DATE_ARTICLES]
    count = min(KEY_DATES_SHOWN, max(math.ceil(len(backed) / 4), KEY_DATES_LEAST))
    best = sorted(backed, key=lambda k: (-k.score, k.date))[:count]
    return sorted(best, key=lambda k: k.date)


def by_year(entries: list[Entry], formatted: Callable[..., str]) -> list[Year]:
    """Entries under their year and month; a happening dated to a year, a season, a quarter
    or a half year under its year, not under its first month."""
    years: dict[int, Year] = {}
    for entry in entries:
        year = years.setdefault(entry.date.year, Year(entry.date.year))
        precision = entry.item.mention.precision if isinstance(entry.item, Mentioned) else "day"
        if precision not in MONTH_PRECISIONS:
            year.entries.append(entry)
            continue
        anchor = f"{entry.date.year:04d}-{entry.date.month:02d}"
        if not year.months or year.months[-1].anchor != anchor:
            year.months.append(Month(anchor, formatted(entry.date, "month")))
        year.months[-1].entries.append(entry)
    return list(years.values())


def axis(events: list[Event], span: tuple[date, date], formatted: Callable[..., str]) -> Axis:
    first, last = span
    length = (last - first).days
    unit = "day" if length <= 92 else "month" if length <= 3660 else "year"
    starts = _periods(first, last, unit)
    counts = [0] * len(starts)
    before = after = 0
    for event in events:
        if event.date is None:
            continue
        if event.date < first:
            before += 1
        elif event.date > last:
            after += 1
        else:
            n = max(i for i, start in enumerate(starts) if start <= event.date)
            counts[n] += 1
    width = AXIS_WIDTH / len(starts)
    peak = max(counts, default=0) or 1
    buckets = [
        Bucket(
            round(n * width, 2),
            round(max(width * 0.8, 0.5), 2),
            round(40 * count / peak, 2),
            f"{formatted(start, unit)}: {count} event{'s' if count != 1 else ''}",
        )
        for n, (start, count) in enumerate(zip(starts, counts, strict=True))
        if count
    ]
    return Axis(first, last, unit, buckets, _ticks(starts, unit, width, formatted), before, after)


def _periods(first: date, last: date, unit: str) -> list[date]:
    """The first day of each period from the one holding `first` to the one holding `last`."""
    if unit == "day":
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if unit == "year":
        return [date(y, 1, 1) for y in range(first.year, last.year + 1)]
    months = (last.year - first.year) * 12 + last.month - first.month
    return [
        date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        for n in range(months + 1)
    ]


def _ticks(
    starts: list[date], unit: str, width: float, formatted: Callable[..., str]
) -> list[Tick]:
    """Labels along the axis, evenly spaced, as many as fit without touching: "22 April 2021"
    takes more room than a fixed share of the axis gave it (the labels ran into each other)."""
    if unit == "month":  # label years, or quarters when few
        marks = [(n, d) for n, d in enumerate(starts) if d.month == 1 or n == 0]
        if len(marks) < 3:
            marks = [(n, d) for n, d in enumerate(starts) if (d.month - 1) % 3 == 0 or n == 0]
        precision = "year" if len(marks) > 4 else "month"
    else:
        marks = list(enumerate(starts))
        precision = unit
    labels = [(round(n * width, 2), formatted(day, precision)) for n, day in marks]
    room = max(len(label) for _, label in labels) * LABEL_CHAR + LABEL_GAP
    apart = (labels[-1][0] - labels[0][0]) / (len(labels) - 1) if len(labels) > 1 else room
    ticks: list[Tick] = []
    free = 0.0  # where the next label may begin
    for x, label in labels[:: max(1, math.ceil(room / apart))]:
        extent = len(label) * LABEL_CHAR
        ends_here = x + extent > AXIS_WIDTH  # drawn leftwards from its mark, not cut off
        if (x - extent if ends_here else x) < free:
            continue  # it would touch the label before it
        ticks.append(Tick(x, label, "end" if ends_here else "start"))
        free = (x if ends_here else x + extent) + LABEL_GAP
    return ticks
