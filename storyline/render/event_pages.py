"""The event pages: each event's page and its source comparison, made from that event alone
(`local`: a page whose event is unchanged is not rendered again), and the redirects from an
event's old slugs. `render_site` adds each event's articles and findings when it renders
them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from .. import urls
from ..compare_view import storyline_outlets
from ..model import Event
from .site import Page, Site


class Neighbour(NamedTuple):
    """An event as a link to it: all that a page shows of the events beside its own."""

    slug: str
    title: str


def pages(site: Site) -> Iterator[Page]:
    by_event = site.by_event
    for slug, target in site.digest.redirects.items():
        moved = by_event[target]
        for old, new in zip(urls.event_pages(slug), urls.event_pages(moved.slug), strict=True):
            context = {"target": new, "event": _neighbour(moved)}
            yield Page(old, "redirect.html", context, local=True, listed=False)
    story_of = {s.id: s for s in site.digest.storylines}
    story_outlets = storyline_outlets(site.digest.events)
    outlet_info = {o.name: o for o in site.config.outlets}
    for event in site.digest.events:
        story = story_of.get(event.storyline or "")
        order = story.events if story else [event.id]
        at = order.index(event.id)
        context = {  # `render_site` adds its articles, also by id, and its findings
            "event": event,
            "outlet_info": outlet_info,
            "story": story if story and len(story.events) > 1 else None,
            "previous": _neighbour(by_event[order[at - 1]]) if at > 0 else None,
            "next": _neighbour(by_event[order[at + 1]]) if at + 1 < len(order) else None,
            "story_outlets": story_outlets[story.id] if story and len(story.events) > 1 else [],
        }
        yield Page(urls.event_page(event.slug), "event.html", context, local=True)
        yield Page(urls.compare_page(event.slug), "compare.html", context, local=True)


def _neighbour(event: Event) -> Neighbour:
    return Neighbour(event.slug, event.title)
