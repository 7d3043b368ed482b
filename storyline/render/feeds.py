"""The feeds and JSON outputs: the Atom feed and the sitemap (rendered from templates), JSON
Feed, `digest.json`, the search index and the TimelineJS data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from .. import urls
from ..cache import AnalysisCache
from ..config import Config
from ..model import Digest, Holder, SiteFile
from ..timelinejs import timeline_document
from .digest_json import Fragment, digest_json
from .formats import date_formatter
from .keys import Makings
from .site import Page, Site


def pages(site: Site, listed: list[Page]) -> Iterator[Page]:
    """The Atom feed, and the sitemap of the `listed` pages."""
    events = list(reversed(site.dated)) + site.undated
    yield Page(
        urls.ATOM_FEED,
        "feed.xml",
        {"events": events, "updated": _updated(site.digest)},
        listed=False,
    )
    paths = [urls.pretty(page.path) for page in listed]
    # a sitemap of some 20,000 paths, made again only when they change
    yield Page(urls.SITEMAP, "sitemap.xml", {"paths": paths}, listed=False, shown=paths)


def json_outputs(
    digest: Digest,
    config: Config,
    held: Holder,
    timeline: Page,
    store: AnalysisCache | None,
    making: Makings | None = None,
) -> Iterator[SiteFile]:
    """`digest.json`, JSON Feed, the TimelineJS data of what the `timeline` page shows (its key
    dates, events and mentioned happenings, from the very view it was rendered from) and the
    search index. Each event's parts are made or read once, for digest.json, which keeps its
    parts of the others: the writer takes digest.json whole before it asks for the next
    file."""
    made: dict[str, Fragment] = {}
    yield SiteFile(urls.DIGEST, digest_json(digest, config, held, made, store, making))
    yield SiteFile(urls.JSON_FEED, _json(json_feed(digest, config)))
    formatted = date_formatter(config.language)
    slides = {event: fragment.slide for event, fragment in made.items()}
    view = timeline.context["view"]
    document = timeline_document(view, digest.storylines, config, formatted, slides)
    yield SiteFile(urls.TIMELINE_JSON, _json(document))
    searched = {event: fragment.search for event, fragment in made.items()}
    yield SiteFile(urls.SEARCH_INDEX, search_index(digest, searched).encode())


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def json_feed(digest: Digest, config: Config) -> dict[str, Any]:
    """JSON Feed 1.1, one item per event, newest first, as the Atom feed."""
    base = config.base_url or ""
    events = sorted(digest.events, key=lambda e: (e.date is None, e.date or date.min), reverse=True)
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "items": [
            {
                "id": f"urn:storyline:event:{event.id}",
                "url": base + urls.event_page(event.slug),
                "title": event.title,
                "content_text": event.summary,
                **({"date_published": f"{event.date.isoformat()}T00:00:00Z"} if event.date else {}),
                "authors": [{"name": source} for source in event.sources],
            }
            for event in events
        ],
    }
    if config.description:
        feed["description"] = config.description
    if base:
        feed["home_page_url"], feed["feed_url"] = base, base + urls.JSON_FEED
    return feed


def search_index(digest: Digest, searched: dict[str, str]) -> str:
    """What the search page looks through, as JSON text: each event's entries (`searched`, by
    event id: the event and its quotes, see `search_entries`), then the articles, each with
    its event's page."""
    event_of = {a.id: e for e in digest.events for a in e.articles}
    articles = [
        {
            "kind": "article",
            "title": f"{article.label}: {article.headline}",
            "text": article.excerpt,
            "url": urls.event_page(event.slug),
        }
        for article in digest.articles
        if (event := event_of.get(article.id))
    ]
    parts = [searched[event.id] for event in digest.events]
    if articles:
        parts.append(json.dumps(articles, ensure_ascii=False)[1:-1])
    return "[" + ", ".join(parts) + "]"


def _updated(digest: Digest) -> str:
    """The feed's date: its newest article or event, so that rebuilds give the same feed."""
    stamps = [a.published for a in digest.articles if a.published]
    stamps += [datetime.combine(e.date, datetime.min.time(), UTC) for e in digest.events if e.date]
    newest = max(stamps, default=datetime(2000, 1, 1, tzinfo=UTC))
    return newest.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
