"""Render stage: the Digest -> the site's files (pages, feeds, sitemap, digest.json), in memory.

Every link is relative to the page that holds it, so the site works from file://, a domain root
or a GitHub Pages project subpath. Article text is untrusted: templates autoescape, Markdown
is sanitised with nh3 after rendering, and a link made from an article or a setting is only
written when it is an http(s) address.

Where things are: `storyline.urls` names every file of the site; `routes` gathers the pages of
each family (`listings`, `event_pages`, `feeds`, which also makes the JSON outputs with
`digest_json`); `theme` renders a page with the templates and the filters of `formats`;
`keys` hashes what a page is made from, for incremental builds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import urls
from ..cache import AnalysisCache
from ..compare_view import compare_view
from ..config import Config
from ..model import Digest, Event, Held, Holder, SiteFile
from ..workers import Workers
from .feeds import json_outputs
from .formats import date_formatter
from .keys import Makings, context_hash, page_key, salt, value_hash
from .routes import site_pages
from .site import Page, Slugs
from .theme import Theme, render, template_problems

__all__ = ["date_formatter", "render_site", "template_problems", "titled"]

MIN_PARALLEL_CONTEXTS = 200  # events whose pages are worth sending to worker processes
CONTEXT_CHUNK = 16  # events' pages to a task


def render_site(
    digest: Digest,
    config: Config,
    templates: Path,
    held: Holder,
    workers: Workers | None = None,
    unchanged: Callable[[str, str], bool] | None = None,
    store: AnalysisCache | None = None,
) -> Iterator[SiteFile]:
    """Every file of the site, one at a time: the writer puts each in place before the next is
    made, so the whole site is never held in memory. The digest's events are light; `held`
    gives an event's findings and texts, which go to the pages made from that event alone
    (most of a site), rendered on `workers` when given, partitioned by event. The pages made
    from all events are rendered here. A page made from one event gets a key, the hash of
    everything it is made from, and so does a listing page that says what it shows (a
    storyline's timeline); when `unchanged(path, key)` says the site it replaces holds that
    page made from the same, it is not rendered again. `store`, when given, keeps each
    event's part of `digest.json` for the next build (see `event_fragments`)."""
    config = titled(config, digest)
    theme = Theme.read(templates, config.language)
    salted = salt(config, templates)
    making, slugs = Makings(), Slugs(store)
    overall: list[Page] = []
    # the pages made from one event, which share its context: each context is sent once
    shared: dict[int, tuple[dict[str, Any], bytes, list[tuple[str, str, str]]]] = {}
    pages = site_pages(digest, config, making, slugs)
    slugs.keep()
    for page in pages:
        if not page.local:
            overall.append(page)
            continue
        if id(page.context) not in shared:
            shared[id(page.context)] = (page.context, context_hash(page.context, making), [])
        context, hashed, todo = shared[id(page.context)]
        key = page_key(salted, page, hashed, config)
        if unchanged and unchanged(page.path, key):
            yield SiteFile(page.path, None, key)
        else:
            todo.append((page.path, page.template, key))
    batches = [(context, todo) for context, _, todo in shared.values() if todo]
    # made as they are sent: each event's texts are read from the store only then
    jobs = (
        (
            context,
            [(path, template) for path, template, _ in todo],
            held(event, True) if isinstance(event := context.get("event"), Event) else None,
        )
        for context, todo in batches
    )
    work = functools.partial(_render_pages, theme=theme, config=config)
    if workers is not None:
        rendered = workers.map(work, jobs, MIN_PARALLEL_CONTEXTS, CONTEXT_CHUNK)
    else:
        rendered = map(work, jobs)
    for (_, todo), pages in zip(batches, rendered, strict=True):
        for (path, _, key), data in zip(todo, pages, strict=True):
            yield SiteFile(path, data, key)
    for page in overall:
        if page.shown is None:
            yield SiteFile(page.path, render(theme, page.path, page.template, page.made(), config))
            continue
        key = page_key(salted, page, value_hash(page.shown), config)
        if unchanged and unchanged(page.path, key):
            yield SiteFile(page.path, None, key)
        else:
            data = render(theme, page.path, page.template, page.made(), config)
            yield SiteFile(page.path, data, key)
    timeline = next(p for p in overall if p.path == urls.TIMELINE)
    yield from json_outputs(digest, config, held, timeline, store, making)
    static = templates / "static"
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file():
                relative = path.relative_to(static).as_posix()
                yield SiteFile(urls.STATIC + relative, path.read_bytes())


def titled(config: Config, digest: Digest) -> Config:
    """The config with the site's title: its own, else the digest's largest storyline's
    (most events, then most articles), else its most important event's, so that a digest
    without settings is named after its story and never after another digest's."""
    if config.title is not None:
        return config
    events = {e.id: e for e in digest.events}

    def size(events_of: list[str]) -> tuple[int, int]:
        return len(events_of), sum(len(events[e].articles) for e in events_of if e in events)

    stories = [s for s in digest.storylines if len(s.events) > 1]
    if stories:
        title = max(stories, key=lambda s: size(s.events)).title
    elif digest.events:
        title = max(digest.events, key=lambda e: (e.importance, len(e.articles))).title
    else:
        title = "Storyline digest"
    return replace(config, title=title)


def _render_pages(
    job: tuple[dict[str, Any], list[tuple[str, str]], Held | None], theme: Theme, config: Config
) -> list[bytes]:
    """The pages made from one context, (path, template) each: what a worker renders. An
    event's pages get the whole event (its `EventReport`), from what `held` holds."""
    context, pages, held = job
    if held is not None:
        whole = held.whole(context["event"])
        context = {
            **context,
            "event": whole.event,
            "articles": whole.articles,
            "findings": whole.findings,
            "by_id": {a.id: a for a in whole.articles},
            # the wire copies: each copy's group, and each group by its representative
            "copy_of": {c: g for g in whole.findings.copies for c in g.articles},
            "copies": {g.of: g for g in whole.findings.copies},
            "compared": compare_view(whole, context["story_outlets"]),
        }
    return [render(theme, path, template, context, config) for path, template in pages]
