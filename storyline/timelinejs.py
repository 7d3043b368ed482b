"""The timeline as Knight Lab TimelineJS data (timeline/timeline.json), to embed the story's
timeline in another page with TimelineJS's own embed code. The site itself needs none of it.

The format is TimelineJS's documented JSON (timeline.knightlab.com/docs/json-format.html):
a `title` slide, `events` (slides with `start_date`, `end_date`, `text`, `group`) and `eras`.
Headlines and texts are HTML to TimelineJS, so every text from the articles is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from textwrap import shorten
from typing import Any

from markupsafe import Markup, escape

from . import urls
from .config import Config
from .model import Event, Storyline
from .timeline_view import Mentioned, TimelineView

# TimelineJS dates have a year, a month and a day: the periods said by their month
MONTH_PRECISIONS = {"month", "season", "quarter", "half"}
HEADLINE_CHARACTERS = 100  # of a mentioned happening's sentence; the slide's text holds it all


def timeline_document(
    view: TimelineView,
    storylines: list[Storyline],
    config: Config,
    formatted: Callable[[date, str | None], str],
    made: Mapping[str, dict[str, Any] | None] | None = None,
) -> dict[str, Any]:
    """The TimelineJS data of what the timeline page shows (`view`): its dated events and
    mentioned happenings, in date order, each linked to its event pages, its key dates marked
    as such; a storyline of several events is a `group` and, when it lasts more than a day,
    an era. `formatted` writes a date at a precision as the pages do. Links are absolute with
    the site's `base_url`, else relative to the site's root folder. `made` holds events'
    slides made already (`event_slide`), by event id."""
    base = config.base_url or ""
    story_of = {s.id: s for s in storylines if len(s.events) > 1}
    key = {k.anchor for k in view.key_dates}
    dated = sorted(
        (e.item for e in view.entries if isinstance(e.item, Event)), key=lambda e: (e.date, e.slug)
    )
    slides = []
    for number, entry in enumerate(view.entries, 1):
        if isinstance(entry.item, Event):
            event = entry.item
            kept = (made or {}).get(event.id)
            slide = (
                {**kept, "text": {**kept["text"]}} if kept else event_slide(event, base, formatted)
            )
            if event.storyline in story_of:
                slide["group"] = str(escape(story_of[event.storyline].title))  # shown as HTML too
        else:
            slide = _mention_slide(entry.item, number, story_of, base, formatted)
        if entry.anchor in key:
            slide["text"]["text"] += "<p>One of the story's key dates.</p>"
        slides.append(slide)
    slides.sort(key=lambda s: (_day(s["start_date"]), s["unique_id"]))
    intro = f"<p>{escape(config.description)}</p>" if config.description else ""
    document: dict[str, Any] = {
        "title": {
            "text": {
                "headline": str(escape(config.title)),
                "text": f"{intro}<p>{_link(base, urls.TIMELINE, 'The timeline')}</p>",
            },
            "autolink": False,
        },
        "events": slides,
    }
    members: dict[str, list[Event]] = {}
    for event in dated:
        members.setdefault(event.storyline or "", []).append(event)
    eras = [_era(story, members.get(story.id, [])) for story in story_of.values()]
    if lasting := [era for era in eras if era is not None]:
        document["eras"] = lasting
    return document


def event_slide(
    event: Event, base: str, formatted: Callable[[date, str | None], str]
) -> dict[str, Any]:
    """A dated event's slide, but for its storyline's group: made of the event alone."""
    assert event.date is not None
    where = f" · {escape(event.place)}" if event.place else ""
    articles = len(event.articles)
    outlets = event.outlet_count
    slide: dict[str, Any] = {
        "start_date": {
            **_date(event.date, event.date_precision or "day"),
            "display_date": formatted(event.date, event.date_precision),
        },
        "text": {
            "headline": _event_link(base, event),
            "text": (
                f"<p>{escape(event.summary)}</p>"
                f"<p>{articles} article{'s' * (articles != 1)} from {outlets} "
                f"outlet{'s' * (outlets != 1)}{where} · "
                f"{_link(base, urls.compare_page(event.slug), 'Compare the sources')}"
                "</p>"
            ),
        },
        "unique_id": f"event-{event.slug}",
        "autolink": False,  # only the links written here: no address in a text becomes one
    }
    if event.date_end:
        slide["end_date"] = {
            **_date(event.date_end, "day"),
            "display_date": formatted(event.date_end, "day"),
        }
    return slide


def _mention_slide(
    mentioned: Mentioned,
    number: int,
    story_of: dict[str, Storyline],
    base: str,
    formatted: Callable[[date, str | None], str],
) -> dict[str, Any]:
    mention, related = mentioned.mention, mentioned.events
    reports = ", ".join(_event_link(base, e) for e in related)
    if mentioned.more:
        reports += f" and {mentioned.more} more"
    articles = len(mention.articles)
    slide: dict[str, Any] = {
        "start_date": {
            **_date(mention.date, mention.precision),
            "display_date": formatted(mention.date, mention.precision),
        },
        "text": {
            "headline": str(escape(shorten(mention.text, HEADLINE_CHARACTERS, placeholder=" …"))),
            "text": (
                f"<blockquote>{escape(mention.text)}</blockquote>"
                f"<p>Mentioned in {articles} article{'s' * (articles != 1)}, in reports on "
                f"{reports}</p>"
            ),
        },
        "unique_id": f"mention-{number}",
        "autolink": False,
    }
    story = related[0].storyline if related else None
    if story in story_of:
        slide["group"] = str(escape(story_of[story].title))
    return slide


def _era(story: Storyline, members: list[Event]) -> dict[str, Any] | None:
    """A storyline's span, when it lasts more than a day: `members` are its dated events, in
    date order."""
    if not members:
        return None
    first = members[0].date
    last = max(e.date_end or e.date for e in members if e.date)
    if first is None or last <= first:
        return None
    return {
        "start_date": _date(first, "day"),
        "end_date": _date(last, "day"),
        "text": {"headline": str(escape(story.title))},
    }


def _date(day: date, precision: str) -> dict[str, int]:
    """A TimelineJS date object as precise as the date is: a year, a month or a day."""
    if precision in ("year", "decade", "century"):
        return {"year": day.year}
    if precision in MONTH_PRECISIONS:
        return {"year": day.year, "month": day.month}
    return {"year": day.year, "month": day.month, "day": day.day}


def _day(value: dict[str, int]) -> tuple[int, int, int]:
    return value["year"], value.get("month", 1), value.get("day", 1)


def _event_link(base: str, event: Event) -> str:
    return _link(base, urls.event_page(event.slug), event.title)


def _link(base: str, path: str, text: str) -> str:
    """A link to a page of the site, escaped: the site's address and the text are settings'
    and articles' words."""
    return str(Markup('<a href="{}{}">{}</a>').format(base, path, text))
