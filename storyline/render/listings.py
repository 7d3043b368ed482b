"""The listings: the pages made from all events (the front page with its coverage chart, the
timelines, the sources, search, the 404 page and robots.txt)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .. import urls
from ..model import Digest, Event, KeyDate, TimelineMention, count_outlets
from ..timeline_view import timeline_view
from .site import Page, Site


def pages(site: Site) -> Iterator[Page]:
    digest = site.digest
    newest = site.newest
    yield Page(
        urls.FRONT,
        "index.html",
        {
            "article_count": len(digest.articles),
            "events": newest,
            "latest": newest[:3],
            "important": sorted(digest.events, key=lambda e: -e.importance)[:3],
            "first_day": site.dated[0].date if site.dated else None,
            "last_day": max((e.date_end or e.date for e in site.dated), default=None),
            "outlet_count": count_outlets(digest.articles),
            "coverage": coverage(digest, site.formatted),
        },
    )
    yield Page(
        urls.TIMELINE,
        "timeline.html",
        {
            "view": timeline_view(
                site.dated, digest.timeline, digest.key_dates, site.event_of, site.formatted
            ),
            "dated_articles": sum(a.published is not None for a in digest.articles),
            "undated": site.undated,
            "by_id": site.by_id,
            "storylines": site.stories,
            "current": None,
        },
    )
    yield Page(
        urls.SOURCES,
        "sources.html",
        {"outlets": sorted(site.outlets().items()), "event_of": site.event_of},
    )
    yield Page(urls.SEARCH, "search.html", {})
    yield from storyline_timelines(site)
    yield Page(urls.ROBOTS, "robots.txt", {}, listed=False)
    yield Page(urls.NOT_FOUND, "404.html", {}, listed=False)


def storyline_timelines(site: Site) -> Iterator[Page]:
    """Each storyline's timeline: its events, mentions and key dates, found in one pass rather
    than one per storyline."""
    story_events: dict[str | None, list[Event]] = defaultdict(list)
    for event in [*site.dated, *site.undated]:
        story_events[event.storyline].append(event)
    story_mentions: dict[str | None, list[TimelineMention]] = defaultdict(list)
    for mention in site.digest.timeline:
        story_mentions[site.event_of[mention.articles[0]].storyline].append(mention)
    story_keys: dict[str | None, list[KeyDate]] = defaultdict(list)
    for key in site.digest.key_dates:  # of the day's event, else of its first article's
        owner = site.by_event[key.event] if key.event else site.event_of[key.articles[0]]
        story_keys[owner.storyline].append(key)
    for story in site.stories:
        members = story_events[story.id]
        view = timeline_view(
            members, story_mentions[story.id], story_keys[story.id], site.event_of, site.formatted
        )
        yield Page(
            urls.storyline_page(story.id),
            "timeline.html",
            {
                "view": view,
                "dated_articles": None,
                "undated": [e for e in members if not e.date],
                "by_id": site.by_id,
                "storylines": site.stories,
                "current": story,
            },
        )


@dataclass(frozen=True)
class Bar:
    """One period of the coverage chart: its articles by outlet, and its place in the SVG."""

    label: str  # the period as a reader says it
    counts: dict[str, int]  # outlet -> articles published in the period
    x: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Coverage:
    bars: list[Bar]
    outlets: list[str]
    unit: str  # "day", "week" or "month"
    peak: int
    width: float  # of one bar, in the SVG's units


CHART_WIDTH = 600.0  # the SVG's own units; it scales to the page


def coverage(digest: Digest, formatted: Callable[..., str]) -> Coverage | None:
    """Articles per period and outlet, for the chart and its table: per day over up to four
    months, per week up to three years, else per month."""
    days = [
        (a.published.date(), a.source or "Unknown outlet") for a in digest.articles if a.published
    ]
    if not days:
        return None
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    span = (last - first).days
    unit = "day" if span <= 120 else "week" if span <= 3 * 366 else "month"

    def period(day: date) -> date:
        if unit == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1) if unit == "month" else day

    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for day, outlet in days:
        counts[period(day)][outlet] += 1

    def following(start: date) -> date:
        if unit == "month":
            return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return start + timedelta(days=7 if unit == "week" else 1)

    starts = [period(first)]
    while starts[-1] < period(last):
        starts.append(following(starts[-1]))
    peak = max(sum(c.values()) for c in counts.values())
    width = CHART_WIDTH / len(starts)
    bars = [
        Bar(
            formatted(start, unit),
            dict(sorted(counts.get(start, Counter()).items())),
            n * width,
        )
        for n, start in enumerate(starts)
    ]
    return Coverage(bars, sorted({o for _, o in days}), unit, peak, width)
