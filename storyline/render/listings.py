"""The listings: the pages made from all events (the front page with its coverage chart, the
timelines, the sources, search, the 404 page and robots.txt)."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .. import urls
from ..model import (
    ArticleRecord,
    Digest,
    Event,
    KeyDate,
    Storyline,
    TimelineMention,
    count_outlets,
    outlet_key,
)
from ..timeline_view import TimelineView, timeline_view
from .keys import Makings, value_hash
from .site import Page, Site

FRONT_PAGE_EVENTS = 30  # the front page lists the newest; the others are pages further on
# storylines the main timeline lists unfolded; more are folded, for the key dates to come first
STORYLINES_OPEN = 10


def pages(site: Site) -> Iterator[Page]:
    digest = site.digest
    newest = site.newest
    tags = tagged(site)
    shelves = [newest[n : n + FRONT_PAGE_EVENTS] for n in range(0, len(newest), FRONT_PAGE_EVENTS)]
    event_hash = event_hashes(site.making)
    front = {
        "article_count": len(digest.articles),
        "events": newest,
        "listed": shelves[0] if shelves else [],
        "pager": Pager.of(1, len(shelves)),
        "latest": newest[:3],
        "important": sorted(digest.events, key=lambda e: -e.importance)[:3],
        "first_day": site.dated[0].date if site.dated else None,
        "last_day": max((e.date_end or e.date for e in site.dated), default=None),
        "outlet_count": count_outlets(digest.articles),
        "coverage": coverage(digest, site.formatted),
        "tags": tags,
    }
    # what the front page shows: the events it lists, and of all of them their count
    shown = {
        **front,
        "events": len(newest),
        **{k: [event_hash(e) for e in front[k]] for k in ("listed", "latest", "important")},
        "tags": [(tag.name, tag.path, len(tag.events)) for tag in tags],
    }
    yield Page(urls.FRONT, "index.html", front, shown=shown)
    for number, shelf in enumerate(shelves[1:], 2):
        context = {"listed": shelf, "pager": Pager.of(number, len(shelves))}
        shown = {**context, "listed": [event_hash(e) for e in shelf]}
        yield Page(urls.front_page(number), "events.html", context, shown=shown)
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
            "storylines": listed_stories(site),
            "storylines_open": STORYLINES_OPEN,
            "current": None,
        },
    )
    yield from sources(site, {tag.name: tag.path for tag in tags}, event_hash)
    yield from tag_pages(tags)
    yield Page(urls.SEARCH, "search.html", {})
    yield from storyline_timelines(site, event_hash)
    yield Page(urls.ROBOTS, "robots.txt", {}, listed=False)
    yield Page(urls.NOT_FOUND, "404.html", {}, listed=False)


def event_hashes(making: Makings) -> Callable[[Event], bytes]:
    """A hash of an event by what made it and its importance, all that a listing shows of it
    and of its articles' records (they are of its making), each event hashed once: a page that
    lists events is keyed by their hashes, far quicker to hash than the events."""
    hashed: dict[str, bytes] = {}

    def event_hash(event: Event) -> bytes:
        if event.id not in hashed:
            hashed[event.id] = value_hash((making(event), event.importance))
        return hashed[event.id]

    return event_hash


@dataclass(frozen=True)
class Pager:
    """Where a page of the list of events stands among them, and the pages beside it."""

    number: int
    count: int
    newer: str | None  # the page of newer events (the site's path)
    older: str | None

    @classmethod
    def of(cls, number: int, count: int) -> Pager:
        newer = urls.front_page(number - 1) if number > 1 else None
        return cls(number, count, newer, urls.front_page(number + 1) if number < count else None)


@dataclass(frozen=True)
class Outlet:
    """An outlet as the sources pages show it: its articles newest first, the undated last."""

    name: str
    path: str  # its page
    articles: list[ArticleRecord]

    @property
    def first(self) -> datetime | None:
        return min((a.published for a in self.articles if a.published), default=None)

    @property
    def last(self) -> datetime | None:
        return max((a.published for a in self.articles if a.published), default=None)


def sources(
    site: Site, tag_path: dict[str, str], event_hash: Callable[[Event], bytes]
) -> Iterator[Page]:
    """The outlets, and a page per outlet of its articles by date (with their tags' pages)."""
    by_outlet: dict[str, list[ArticleRecord]] = defaultdict(list)
    for article in site.digest.articles:  # an article without an outlet is one of its own
        by_outlet[outlet_key(article)].append(article)
    groups = sorted(by_outlet.items(), key=lambda kv: (kv[1][0].label, kv[0]))
    names = [articles[0].label for _, articles in groups]
    segments = urls.segments(names, site.slugged)
    outlets = [
        Outlet(name, urls.outlet_page(segment), _newest_first(articles))
        for name, segment, (_, articles) in zip(names, segments, groups, strict=True)
    ]
    yield Page(urls.SOURCES, "sources.html", {"outlets": outlets})
    outlet_info = {o.name: o for o in site.config.outlets}
    for outlet in outlets:
        context = {
            "outlet": outlet,
            "info": outlet_info.get(outlet.name),
            "event_of": site.event_of,
            "tag_path": tag_path,
        }
        # its articles by their events, whose making they are, with their tags' pages
        shown = {
            "outlet": (outlet.name, outlet.path),
            "info": context["info"],
            "articles": [
                (
                    a.id,
                    event_hash(site.event_of[a.id]) if a.id in site.event_of else a,
                    [tag_path.get(tag) for tag in a.tags],
                )
                for a in outlet.articles
            ],
        }
        yield Page(outlet.path, "outlet.html", context, shown=shown)


def _newest_first(articles: list[ArticleRecord]) -> list[ArticleRecord]:
    dated = sorted((a for a in articles if a.published), key=lambda a: a.published, reverse=True)
    return dated + [a for a in articles if not a.published]


class Tagged(NamedTuple):
    name: str
    path: str  # its page
    events: list[tuple[Event, int]]  # newest first, each with its articles of the tag


def tagged(site: Site) -> list[Tagged]:
    """Each tag the articles' front matter gives, with the events of its articles."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article in site.digest.articles:
        for tag in dict.fromkeys(article.tags):
            if article.id in site.event_of:
                counts[tag][site.event_of[article.id].id] += 1
    newest = {e.id: n for n, e in enumerate(site.newest)}
    names = sorted(counts)
    return [
        Tagged(
            tag,
            urls.tag_page(segment),
            [
                (site.by_event[e], counts[tag][e])
                for e in sorted(counts[tag], key=newest.__getitem__)
            ],
        )
        for tag, segment in zip(names, urls.segments(names, site.slugged), strict=True)
    ]


def tag_pages(tags: list[Tagged]) -> Iterator[Page]:
    """The tags, and a page per tag of its events (none for a digest without tags)."""
    if not tags:
        return
    yield Page(urls.TAGS, "tags.html", {"tags": tags})
    for tag in tags:
        yield Page(tag.path, "tag.html", {"tag": tag})


@dataclass(frozen=True)
class ListedStory:
    """A storyline as the main timeline lists it: its title, span and number of events."""

    id: str  # its page is `urls.storyline_page(id)`
    title: str
    first: str  # its first day as the pages write dates; "undated" when none is dated
    last: str  # the day its last event ends
    events: int


def listed_stories(site: Site) -> list[ListedStory]:
    """Every storyline, in the digest's order (by its first event's day, the undated last)."""
    listed = []
    for story in site.stories:
        dated = [e for e in map(site.by_event.__getitem__, story.events) if e.date]
        first = last = site.formatted(None)
        if dated:  # its events are oldest first; the last to end may have begun earlier
            opening, closing = dated[0], max(dated, key=lambda e: e.date_end or e.date)
            first = site.formatted(opening.date, opening.date_precision)
            last = (
                site.formatted(closing.date_end)
                if closing.date_end
                else site.formatted(closing.date, closing.date_precision)
            )
        listed.append(ListedStory(story.id, story.title, first, last, len(story.events)))
    return listed


class StoryLink(NamedTuple):
    """A storyline as a link to it: all that a storyline's page shows of the ones beside it."""

    id: str
    title: str


def storyline_timelines(site: Site, event_hash: Callable[[Event], bytes]) -> Iterator[Page]:
    """Each storyline's timeline: its events, mentions and key dates, found in one pass rather
    than one per storyline. It links to the main timeline and to the storylines before and
    after it in the main timeline's list, not to every storyline: its size and key stay the
    same however many there are (at 10,000 real articles, 1,010 links on each of 1,010 pages,
    every one rendered again when any storyline was renamed)."""
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
    stories = site.stories
    for at, story in enumerate(stories):
        members = story_events[story.id]
        mentions, keys = story_mentions[story.id], story_keys[story.id]
        context = {
            "dated_articles": None,
            "undated": [e for e in members if not e.date],
            "by_id": site.by_id,
            "current": story,
            "previous": _story_link(stories[at - 1]) if at > 0 else None,
            "next": _story_link(stories[at + 1]) if at + 1 < len(stories) else None,
        }
        # what the page is made from, far quicker to hash than its view (which is made only
        # when the page is rendered): its events by what made them, and the events of every
        # article its mentions and key dates name (an article's record is its event's making)
        named_by = {a for m in [*mentions, *keys] for a in m.articles}
        shown = {
            "events": [event_hash(e) for e in members],
            "mentions": mentions,
            "key_dates": keys,
            "articles": [(a, event_hash(site.event_of[a])) for a in sorted(named_by)],
            "any_articles": bool(site.by_id),
            "current": story,
            "previous": context["previous"],
            "next": context["next"],
        }
        view = functools.partial(_story_view, site, members, mentions, keys)
        yield Page(urls.storyline_page(story.id), "timeline.html", context, shown=shown, later=view)


def _story_link(story: Storyline) -> StoryLink:
    return StoryLink(story.id, story.title)


def _story_view(
    site: Site, members: list[Event], mentions: list[TimelineMention], keys: list[KeyDate]
) -> dict[str, TimelineView]:
    return {"view": timeline_view(members, mentions, keys, site.event_of, site.formatted)}


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
    outlets: list[str]  # its series: the outlets, the last "N other outlets" beyond its colours
    unit: str  # "day", "week" or "month"
    peak: int
    width: float  # of one bar, in the SVG's units


CHART_WIDTH = 600.0  # the SVG's own units; it scales to the page
CHART_COLOURS = 8  # the outlet colours of the stylesheet (.o0 to .o7), the last grey


def coverage(digest: Digest, formatted: Callable[..., str]) -> Coverage | None:
    """Articles per period and outlet, for the chart and its table: per day over up to four
    months, per week up to three years, else per month."""
    days = [(a.published.date(), a.label) for a in digest.articles if a.published]
    if not days:
        return None
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    span = (last - first).days
    unit = "day" if span <= 120 else "week" if span <= 3 * 366 else "month"

    def period(day: date) -> date:
        if unit == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1) if unit == "month" else day

    series = chart_series(Counter(outlet for _, outlet in days))
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for day, outlet in days:
        counts[period(day)][series[outlet]] += 1

    def following(start: date) -> date:
        if unit == "month":
            return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return start + timedelta(days=7 if unit == "week" else 1)

    starts = [period(first)]
    while starts[-1] < period(last):
        starts.append(following(starts[-1]))
    peak = max(sum(c.values()) for c in counts.values())
    width = CHART_WIDTH / len(starts)
    shown = list(dict.fromkeys(series.values()))
    bars = [
        Bar(
            formatted(start, unit),
            {name: counts[start][name] for name in shown if counts[start][name]},
            n * width,
        )
        for n, start in enumerate(starts)
    ]
    return Coverage(bars, shown, unit, peak, width)


def chart_series(articles: Counter[str]) -> dict[str, str]:
    """Each outlet's series in the coverage chart: its own for the outlets with the most
    articles, as many as the palette tells apart; one for all the others. With a colour each,
    93 outlets (AllSides) repeated 8 colours in a legend of 93 names, and 4,423 (10,000 real
    articles) made a table of as many columns; the sources page lists every outlet."""
    if len(articles) <= CHART_COLOURS:
        return {outlet: outlet for outlet in sorted(articles)}
    ranked = sorted(articles, key=lambda outlet: (-articles[outlet], outlet))
    others = f"{len(ranked) - CHART_COLOURS + 1} other outlets"
    return {outlet: outlet if n < CHART_COLOURS - 1 else others for n, outlet in enumerate(ranked)}
