"""Render stage: the Digest -> the site's files (pages, feed, sitemap, digest.json), in memory.

Every link is relative to the page that holds it, so the site works from file://, a domain root
or a GitHub Pages project subpath. Article text is untrusted: templates autoescape, Markdown
is sanitised with nh3 after rendering, and a link made from an article or a setting is only
written when it is an http(s) address.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import pickle
import re
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import nh3
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from jinja2 import (
    Environment,
    FunctionLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup, escape

from . import __version__
from .cache import AnalysisCache, source_hash
from .compare_view import compare_view, storyline_outlets
from .config import Config
from .model import (
    Article,
    ArticleRecord,
    Diagnostic,
    Digest,
    Event,
    Findings,
    Held,
    Holder,
    KeyDate,
    RenderError,
    SiteFile,
    TimelineMention,
    count_outlets,
)
from .text import is_web_url, markdown_html, plain_paragraphs
from .timeline_view import timeline_view
from .timelinejs import timeline_document
from .workers import Workers

GENERATOR = f"storyline {__version__}"
MIN_PARALLEL_CONTEXTS = 200  # events whose pages are worth sending to worker processes
CONTEXT_CHUNK = 16  # events' pages to a task
FRAGMENT_BATCH = 500  # events whose parts of digest.json are looked up in the store at once
SEASONS_FROM_DECEMBER = ("winter", "spring", "summer", "autumn")  # [month % 12 // 3]


@dataclass(frozen=True)
class Page:
    path: str  # in the site, e.g. "events/slug/index.html"
    template: str
    context: dict[str, Any]
    local: bool = False  # made from one event alone: worth a key, to reuse when it is unchanged


class Neighbour(NamedTuple):
    """An event as a link to it: all that a page shows of the events beside its own."""

    slug: str
    title: str


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
    everything it is made from; when `unchanged(path, key)` says the site it replaces holds
    that page made from the same, it is not rendered again. `store`, when given, keeps each
    event's part of `digest.json` for the next build (see `event_fragments`)."""
    config = titled(config, digest)
    theme = Theme.read(templates, config.language)
    salt = _salt(config, templates)
    overall: list[Page] = []
    # the pages made from one event, which share its context: each context is sent once
    shared: dict[int, tuple[dict[str, Any], bytes, list[tuple[str, str, str]]]] = {}
    for page in _pages(digest, config):
        if not page.local:
            overall.append(page)
            continue
        if id(page.context) not in shared:
            shared[id(page.context)] = (page.context, _context_hash(page.context), [])
        context, hashed, todo = shared[id(page.context)]
        inputs = (salt, page.path, page.template, _root(page.path, config), hashed)
        key = hashlib.sha256(pickle.dumps(inputs)).hexdigest()
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
        yield SiteFile(page.path, _render(theme, page.path, page.template, page.context, config))
    # each event's findings are read once, for digest.json, which keeps its quotes (speaker
    # and words) for the search index: the writer takes digest.json whole before it asks for
    # the next file
    quoted: dict[str, list[tuple[str | None, str]]] = {}
    pieces = digest_json(digest, config, held, quoted, store)
    yield SiteFile("digest.json", (piece.encode() for piece in pieces))
    yield SiteFile("feed.json", json.dumps(json_feed(digest, config), ensure_ascii=False).encode())
    # TimelineJS data of what the timeline page shows: its key dates, events and mentioned
    # happenings, from the very view the page was rendered from
    view = next(p.context["view"] for p in overall if p.path == "timeline/index.html")
    formatted = date_formatter(config.language)
    timeline = timeline_document(view, digest.storylines, config, formatted)
    yield SiteFile("timeline/timeline.json", json.dumps(timeline, ensure_ascii=False).encode())
    index = json.dumps(search_index(digest, quoted), ensure_ascii=False).encode()
    yield SiteFile("search/index.json", index)
    static = templates / "static"
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file():
                yield SiteFile(f"static/{path.relative_to(static).as_posix()}", path.read_bytes())


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
    return [_render(theme, path, template, context, config) for path, template in pages]


def _render(
    theme: Theme, path: str, template: str, context: dict[str, Any], config: Config
) -> bytes:
    full = {
        "site": config,
        "root": _root(path, config),
        "generator": GENERATOR,
        "canonical": (config.base_url + _pretty(path)) if config.base_url else None,
        **context,
    }
    try:
        return theme.environment().get_template(template).render(full).encode()
    except Exception as error:  # the theme's fault, or its data's: one line, no traceback
        raise RenderError(f"{_failed_at(error, theme, template)} (rendering {path})") from error


def _failed_at(error: Exception, theme: Theme, template: str) -> str:
    """`template:line: problem`, the line the innermost template frame's: Jinja puts the
    templates' own lines into the traceback."""
    paths = {path for _, _, path in theme.files}
    frames = traceback.extract_tb(error.__traceback__)
    inner = next((f for f in reversed(frames) if f.filename in paths), None)
    place = f"{inner.filename}:{inner.lineno}" if inner else None
    if isinstance(error, TemplateSyntaxError) and error.filename:
        place = f"{error.filename}:{error.lineno}"
    if isinstance(error, TemplateNotFound):
        problem = f"the template {error.name} does not exist"
    elif isinstance(error, TemplateError):
        problem = error.message or type(error).__name__
    else:
        problem = f"{type(error).__name__}: {error}"
    return f"{place or Path(theme.folder, template)}: {problem}"


def _root(path: str, config: Config) -> str:
    """The way from a page back to the site's root."""
    if path == "404.html" and config.base_url:
        return config.base_url  # served at any depth, so relative links would break
    return "../" * path.count("/")


@dataclass(frozen=True)
class Theme:
    """The templates, as text: a worker on another machine renders with them as they are
    here."""

    files: tuple[tuple[str, str, str], ...]  # name, source, path (for error messages)
    language: str
    folder: str  # where they were read from (for error messages)

    @classmethod
    def read(cls, templates: Path, language: str) -> Theme:
        """The theme folder's templates: its files but static/ (copied as they are). A file
        that is not UTF-8 text is no template (`check` names it)."""
        files = []
        for path in sorted(templates.rglob("*")):
            if path.is_file() and templates / "static" not in path.parents:
                try:
                    source = path.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    continue
                files.append((path.relative_to(templates).as_posix(), source, str(path)))
        return cls(tuple(files), language, str(templates))

    def environment(self) -> Environment:
        return _environment(self)


def _context_hash(context: dict[str, Any]) -> bytes:
    """A hash of a page's context. An event whose fingerprint says what it was made from
    counts by that and by the fields set after it, not by all its contents (much the
    slower to hash); its articles are in the fingerprint too."""
    event = context.get("event")
    if isinstance(event, Event) and event.fingerprint:
        made = (event.fingerprint, event.id, event.slug, event.storyline, event.mentions)
        rest = {k: v for k, v in context.items() if k != "event"}
        return hashlib.sha256(_canonical((made, rest))).digest()
    return hashlib.sha256(_canonical(context)).digest()


def _canonical(value: Any) -> bytes:
    """The value pickled without the pickler's memo, so that equal values give equal bytes
    however their objects are shared (a cached event and a fresh one share differently)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: shared objects are written out each time they occur
    pickler.dump(value)
    return buffer.getvalue()


def _salt(config: Config, templates: Path) -> bytes:
    """What every page is made from besides its own context: the code, the templates and the
    settings."""
    digest = hashlib.sha256(f"{source_hash()}|{config!r}|{GENERATOR}".encode())
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            # by its place among the templates: the same theme reached by another path is
            # the same theme, and its pages are reused
            digest.update(path.relative_to(templates).as_posix().encode() + path.read_bytes())
    return digest.digest()


@functools.lru_cache(maxsize=4)  # a worker renders many chunks with one theme
def _environment(theme: Theme) -> Environment:
    sources = {name: (source, path) for name, source, path in theme.files}

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in sources:
            return None
        source, path = sources[name]
        return source, path, lambda: True

    env = Environment(
        loader=FunctionLoader(load),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fulldate"] = date_formatter(theme.language)
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["body"] = article_html
    env.filters["short"] = lambda text, n=40: (
        text if len(text.split()) <= n else " ".join(text.split()[:n]) + " …"
    )
    env.filters["outlets"] = lambda ids, by_id: ", ".join(
        dict.fromkeys(by_id[i].source or "unknown outlet" for i in ids)
    )
    env.filters["outlet_count"] = outlet_count
    env.filters["counted"] = counted
    env.filters["machinedate"] = machine_date
    # every href made from an article or a setting passes this test: `{% if url is web_url %}`
    env.tests["web_url"] = is_web_url
    env.globals["event_url"] = lambda e: f"events/{e.slug}/index.html"
    env.globals["compare_url"] = lambda e: f"events/{e.slug}/compare/index.html"
    return env


def _pretty(path: str) -> str:
    return path.removesuffix("index.html")


def date_formatter(language: str) -> Callable[..., str]:
    """Dates for people and screen readers, at their precision, in the site's language:
    '12 March 2025', 'week of 10 March 2025', 'March 2025', '1st quarter 2025'."""
    locale = _locale(language)

    def formatted(value: date | datetime | None, precision: str | None = "day") -> str:
        if value is None:
            return "undated"
        day = value.date() if isinstance(value, datetime) else value
        if precision in ("week", "weekend"):
            label = "weekend of" if precision == "weekend" else "week of"
            return f"{label} {format_date(day, 'long', locale=locale)}"
        if precision == "month":
            return format_skeleton("yMMMM", day, locale=locale)
        if precision == "quarter":
            return format_date(day, "QQQQ y", locale=locale)
        if precision == "half":
            return f"{'first' if day.month < 7 else 'second'} half of {day.year}"
        if precision == "season":  # winter begins in December: January 2011 is in winter 2010
            return f"{SEASONS_FROM_DECEMBER[day.month % 12 // 3]} {day.year - (day.month < 3)}"
        if precision == "year":
            return str(day.year)
        if precision == "decade":
            return f"{day.year // 10 * 10}s"
        return format_date(day, "long", locale=locale)

    return formatted


def machine_date(mention: TimelineMention) -> str:
    """The `datetime` attribute: the TimeML value where HTML accepts it (2025, 2025-03,
    2025-03-12, 2025-W11), else the first day of the period."""
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?", mention.value):
        return mention.value
    return mention.date.isoformat()


def outlet_count(article_ids: list[str], by_id: dict[str, Article | ArticleRecord]) -> str:
    """'3 outlets', '1 outlet': distinct outlets, an article of unknown outlet counting alone."""
    return counted(count_outlets(by_id[i] for i in article_ids), "outlet")


def counted(n: int, noun: str) -> str:
    """'1 outlet', '4 outlets'."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _locale(language: str) -> Locale:
    """The site's language as a Babel locale. Plain English reads day first ('12 March 2025'),
    which no reader can misread; 'en-US' gives 'March 12, 2025'."""
    code = "en_GB" if language.lower() in ("en", "") else language.replace("-", "_")
    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_GB")


def article_html(article: Article) -> Markup:
    """The article's text as safe HTML: sanitised Markdown, or escaped cleaned paragraphs."""
    if article.format != "markdown":
        paragraphs = article.paragraphs
    elif (paragraphs := plain_paragraphs(article.body)) is None:
        rendered = markdown_html(article.body)
        if rendered is not None:
            return Markup(nh3.clean(rendered, link_rel="noopener nofollow"))
        paragraphs = article.paragraphs  # the cleaner warned of it
    return Markup("\n".join(f"<p>{escape(p)}</p>" for p in paragraphs))


def _pages(digest: Digest, config: Config) -> list[Page]:
    by_id = {a.id: a for a in digest.articles}
    event_of = {a.id: e for e in digest.events for a in e.articles}
    dated = sorted((e for e in digest.events if e.date), key=lambda e: (e.date, e.slug))
    undated = sorted((e for e in digest.events if not e.date), key=lambda e: e.slug)
    by_event = {e.id: e for e in digest.events}
    stories = [s for s in digest.storylines if len(s.events) > 1]
    outlets: dict[str, list[ArticleRecord]] = defaultdict(list)
    for article in digest.articles:
        outlets[article.source or "Unknown outlet"].append(article)
    formatted = date_formatter(config.language)
    chart = coverage(digest, formatted)
    newest = [*reversed(dated), *undated]
    pages = [
        Page(
            "index.html",
            "index.html",
            {
                "article_count": len(digest.articles),
                "events": newest,
                "latest": newest[:3],
                "important": sorted(digest.events, key=lambda e: -e.importance)[:3],
                "first_day": dated[0].date if dated else None,
                "last_day": max((e.date_end or e.date for e in dated), default=None),
                "outlet_count": count_outlets(digest.articles),
                "coverage": chart,
            },
        ),
        Page("search/index.html", "search.html", {}),
        Page("robots.txt", "robots.txt", {}),
        Page(
            "timeline/index.html",
            "timeline.html",
            {
                "view": timeline_view(
                    dated, digest.timeline, digest.key_dates, event_of, formatted
                ),
                "dated_articles": sum(a.published is not None for a in digest.articles),
                "undated": undated,
                "by_id": by_id,
                "storylines": stories,
                "current": None,
            },
        ),
        Page(
            "sources/index.html",
            "sources.html",
            {"outlets": sorted(outlets.items()), "event_of": event_of},
        ),
        Page("404.html", "404.html", {}),
        Page(
            "feed.xml",
            "feed.xml",
            {"events": list(reversed(dated)) + undated, "updated": _updated(digest)},
        ),
        Page("sitemap.xml", "sitemap.xml", {"paths": _sitemap_paths(digest)}),
    ]
    # each storyline's events and mentions, in one pass rather than one per storyline
    story_events: dict[str | None, list[Event]] = defaultdict(list)
    for event in [*dated, *undated]:
        story_events[event.storyline].append(event)
    story_mentions: dict[str | None, list[TimelineMention]] = defaultdict(list)
    for mention in digest.timeline:
        story_mentions[event_of[mention.articles[0]].storyline].append(mention)
    story_keys: dict[str | None, list[KeyDate]] = defaultdict(list)
    for key in digest.key_dates:  # of the day's event, else of its first article's
        owner = by_event[key.event] if key.event else event_of[key.articles[0]]
        story_keys[owner.storyline].append(key)
    for story in stories:
        members = story_events[story.id]
        pages.append(
            Page(
                f"timeline/{story.id}/index.html",
                "timeline.html",
                {
                    "view": timeline_view(
                        members, story_mentions[story.id], story_keys[story.id], event_of, formatted
                    ),
                    "dated_articles": None,
                    "undated": [e for e in members if not e.date],
                    "by_id": by_id,
                    "storylines": stories,
                    "current": story,
                },
            )
        )
    for slug, target in digest.redirects.items():
        for page in ("index.html", "compare/index.html"):
            pages.append(
                Page(
                    f"events/{slug}/{page}",
                    "redirect.html",
                    {
                        "target": f"events/{by_event[target].slug}/{page}",
                        "event": _neighbour(by_event[target]),
                    },
                    local=True,
                )
            )
    story_of = {s.id: s for s in digest.storylines}
    story_outlets = storyline_outlets(digest.events)
    outlet_info = {o.name: o for o in config.outlets}
    for event in digest.events:
        story = story_of.get(event.storyline or "")
        order = story.events if story else [event.id]
        at = order.index(event.id)
        context = {  # `_render_pages` adds its articles, also by id, and its findings
            "event": event,
            "outlet_info": outlet_info,
            "story": story if story and len(story.events) > 1 else None,
            "previous": _neighbour(by_event[order[at - 1]]) if at > 0 else None,
            "next": _neighbour(by_event[order[at + 1]]) if at + 1 < len(order) else None,
            "story_outlets": story_outlets[story.id] if story and len(story.events) > 1 else [],
        }
        pages.append(Page(f"events/{event.slug}/index.html", "event.html", context, local=True))
        pages.append(
            Page(f"events/{event.slug}/compare/index.html", "compare.html", context, local=True)
        )
    return pages


def _neighbour(event: Event) -> Neighbour:
    return Neighbour(event.slug, event.title)


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
                "url": f"{base}events/{event.slug}/index.html",
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
        feed["home_page_url"], feed["feed_url"] = base, f"{base}feed.json"
    return feed


def search_index(
    digest: Digest, quoted: dict[str, list[tuple[str | None, str]]]
) -> list[dict[str, str]]:
    """What the search page looks through: events, articles and quotes (`quoted`: speaker and
    words, by event id), each with its page."""
    event_of = {a.id: e for e in digest.events for a in e.articles}
    entries = []
    for event in digest.events:
        url = f"events/{event.slug}/index.html"
        entries.append({"kind": "event", "title": event.title, "text": event.summary, "url": url})
        for speaker, text in quoted[event.id]:
            entries.append(
                {
                    "kind": "quote",
                    "title": speaker or "Speaker not named",
                    "text": text,
                    "url": f"events/{event.slug}/compare/index.html#quotes",
                }
            )
    for article in digest.articles:
        event = event_of.get(article.id)
        if event:
            entries.append(
                {
                    "kind": "article",
                    "title": f"{article.source or 'Unknown outlet'}: {article.title or article.id}",
                    "text": article.excerpt,
                    "url": f"events/{event.slug}/index.html",
                }
            )
    return entries


def _sitemap_paths(digest: Digest) -> list[str]:
    paths = ["", "timeline/", "sources/", "search/"]
    paths += [f"timeline/{s.id}/" for s in digest.storylines if len(s.events) > 1]
    for event in digest.events:
        paths += [f"events/{event.slug}/", f"events/{event.slug}/compare/"]
    return paths


def _updated(digest: Digest) -> str:
    """The feed's date: its newest article or event, so that rebuilds give the same feed."""
    stamps = [a.published for a in digest.articles if a.published]
    stamps += [datetime.combine(e.date, datetime.min.time(), UTC) for e in digest.events if e.date]
    newest = max(stamps, default=datetime(2000, 1, 1, tzinfo=UTC))
    return newest.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest_json(
    digest: Digest,
    config: Config,
    held: Holder,
    quoted: dict[str, list[tuple[str | None, str]]],
    store: AnalysisCache | None = None,
) -> Iterator[str]:
    """The machine-readable digest that tests and other tools read, as JSON text in pieces,
    an event at a time (`event_fragments`), its quotes kept in `quoted`: the whole digest as
    Python objects takes many times the memory of its text. Unindented, because the
    indenting encoder is pure Python and ten times slower."""
    event_of = {a.id: e.id for e in digest.events for a in e.articles}
    yield f'{{"generator": {json.dumps(GENERATOR)}, '
    yield f'"site": {json.dumps({"title": config.title, "base_url": config.base_url})}, '
    yield '"events": ['
    fragments = event_fragments(digest.events, held, store)
    for n, (event, (text, quotes)) in enumerate(zip(digest.events, fragments, strict=True)):
        quoted[event.id] = quotes
        yield ("," if n else "") + text
    rest = {
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "title": a.title,
                "source": a.source,
                "author": a.author,
                "url": a.url,
                "published": a.published.isoformat() if a.published else None,
                "event": event_of.get(a.id),
                "place": a.place,
                "words_raw": a.words_raw,
                "words_clean": a.words_clean,
                "warnings": [d.message for d in a.diagnostics],
            }
            for a in digest.articles
        ],
        "warnings": [
            {"path": d.path, "message": d.message, "line": d.line, "column": d.column}
            for d in digest.diagnostics
        ],
        "skipped": digest.skipped,
        "timeline": [_mention_json(m) for m in digest.timeline],
        "key_dates": [
            {
                "date": k.date.isoformat(),
                "precision": k.precision,
                "score": k.score,
                "sentence": k.sentence,
                "articles": k.articles,
                "event": k.event,
            }
            for k in digest.key_dates
        ],
        "redirects": digest.redirects,
        "storylines": [
            {"id": s.id, "title": s.title, "events": s.events} for s in digest.storylines
        ],
    }
    yield "], " + json.dumps(rest, ensure_ascii=False)[1:] + "\n"


Fragment = tuple[str, list[tuple[str | None, str]]]  # an event's JSON text, and its quotes


def event_fragments(
    events: list[Event], held: Holder, store: AnalysisCache | None
) -> Iterator[Fragment]:
    """Each event's part of `digest.json`, and its quotes (speaker and words) for the search
    index. Made from its findings, read and unpickled from the store, unless `store` keeps it
    from a build that made it of the same: the event's fingerprint, the fields set after it
    and the code. An edit thus unpickles only the findings of the events it reaches."""
    keys = [_fragment_key(e) for e in events]
    fresh: dict[str, bytes] = {}
    for start in range(0, len(events), FRAGMENT_BATCH):
        batch = keys[start : start + FRAGMENT_BATCH]
        known = store.get_many([k for k in batch if k], "fragments") if store else {}
        for event, key in zip(events[start : start + FRAGMENT_BATCH], batch, strict=True):
            if key in known:
                yield known[key]
                continue
            findings = held(event, False).findings_of()
            made = (
                json.dumps(_event_json(event, findings), ensure_ascii=False),
                [(q.speaker, q.text) for q in findings.quotes],
            )
            if key:
                fresh[key] = pickle.dumps(made, pickle.HIGHEST_PROTOCOL)
            yield made
        if store and fresh:
            store.put(fresh, "fragments")
            fresh.clear()
    if store:
        store.prune(set(keys), "fragments")


def _fragment_key(event: Event) -> str:
    """What an event's part of `digest.json` is made from; none for an event without a
    fingerprint (made outside a build's store)."""
    if not event.fingerprint:
        return ""
    made = (
        source_hash(),
        event.fingerprint,
        event.id,
        event.slug,
        event.storyline,
        event.importance,  # ranked after describing, from the whole story's evidence
    )
    return hashlib.sha256(_canonical((made, event.mentions))).hexdigest()


def _event_json(event: Event, findings: Findings) -> dict[str, Any]:
    return {
        "id": event.id,
        "slug": event.slug,
        "title": event.title,
        "date": event.date.isoformat() if event.date else None,
        "date_precision": event.date_precision,
        "place": event.place,
        "summary": event.summary,
        "articles": [a.id for a in event.articles],
        "sources": event.sources,
        "coverage": [
            {
                "article": c.article,
                "source": c.source,
                "published": c.published.isoformat() if c.published else None,
                "words_raw": c.words_raw,
                "words_clean": c.words_clean,
            }
            for c in findings.coverage
        ],
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "articles": q.articles,
                "conflicts": q.conflicts,
                "only_in": q.only_in,
                "variants": [
                    {
                        "text": v.text,
                        "articles": v.articles,
                        "kind": v.kind,
                        "diff": [list(op) for op in v.diff],
                    }
                    for v in q.variants
                ],
            }
            for q in findings.quotes
        ],
        "rewrites": [
            {
                "article": r.article,
                "of": r.of,
                "similarity": r.similarity,
                "verbatim_share": r.verbatim_share,
                "shared_quotes": r.shared_quotes,
                "first_by_time": r.first_by_time,
                "first_by_details": r.first_by_details,
                "details": r.details,
                "aligned": [list(pair) for pair in r.aligned],
                "swapped_share": r.swapped_share,
            }
            for r in findings.rewrites
        ],
        "copies": [
            {"of": c.of, "articles": c.articles, "identical": c.identical} for c in findings.copies
        ],
        "first_reported": findings.first_reported,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "importance": event.importance,
        "people": event.people,
        "storyline": event.storyline,
        "facts": [
            {
                "text": f.text,
                "articles": f.articles,
                "unique": f.unique,
                "details": [{"value": d.value, "articles": d.articles} for d in f.details],
            }
            for f in findings.facts
        ],
        "discrepancies": [
            {
                "fact": d.fact,
                "kind": d.kind,
                "values": [
                    {"value": v.value, "written": v.written, "articles": v.articles}
                    for v in d.values
                ],
            }
            for d in findings.discrepancies
        ],
        "wordings": [
            {
                "fact": w.fact,
                "choices": [{"words": v.value, "articles": v.articles} for v in w.choices],
            }
            for w in findings.wordings
        ],
        "quality": [
            {
                "article": q.article,
                "boilerplate_removed": q.boilerplate_removed,
                "repeats_removed": q.repeats_removed,
                "truncated": q.truncated,
                "quotation_share": q.quotation_share,
                "machine_rewrite_of": q.machine_rewrite_of,
            }
            for q in findings.quality
        ],
        "date_reports": [
            {"date": r.date.isoformat(), "articles": r.articles} for r in event.date_reports
        ],
        "mentions": [_mention_json(m) for m in event.mentions],
    }


def _mention_json(mention: TimelineMention) -> dict[str, Any]:
    return {
        "date": mention.date.isoformat(),
        "value": mention.value,
        "precision": mention.precision,
        "text": mention.text,
        "articles": mention.articles,
    }


def template_problems(templates: Path) -> list[Diagnostic]:
    """Each template that does not compile (Jinja syntax), as `path:line: message`; a theme
    folder that does not exist is one problem."""
    from jinja2 import TemplateSyntaxError

    if not templates.is_dir():
        return [Diagnostic(str(templates), "the templates folder does not exist")]
    env = Environment()
    problems = []
    for path in sorted(templates.rglob("*")):
        if path.suffix not in (".html", ".xml", ".txt") or not path.is_file():
            continue
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        except TemplateSyntaxError as error:
            problems.append(Diagnostic(str(path), error.message or "syntax error", error.lineno))
        except UnicodeDecodeError as error:
            problems.append(Diagnostic(str(path), f"is not UTF-8 text ({error.reason})"))
    return problems
