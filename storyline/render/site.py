"""A page of the site as the page families make it (`Page`: its file, template and context),
and what they make their pages from (`Site`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..cache import AnalysisCache
from ..config import Config
from ..model import ArticleRecord, Digest, Event, Storyline
from .formats import date_formatter
from .keys import Makings


@dataclass(frozen=True)
class Page:
    path: str  # in the site, e.g. "events/slug/index.html": its URL is `urls.pretty(path)`
    template: str
    context: dict[str, Any]
    local: bool = False  # made from one event alone: worth a key, to reuse when it is unchanged
    listed: bool = True  # in the sitemap
    # what a page made from many events is made from, when that is much quicker to hash than
    # its context (a storyline's timeline: its events by their fingerprints, not every
    # article's record): its key's input, as `local` pages' contexts are theirs. None: the page
    # is rendered on every build.
    shown: Any = None
    # the part of its context that is slow to make and read only to render it (a storyline's
    # timeline view), made when it is rendered: a page its key finds unchanged never makes it
    later: Callable[[], dict[str, Any]] | None = None

    def made(self) -> dict[str, Any]:
        """Its whole context, `later`'s part made now."""
        return {**self.context, **self.later()} if self.later else self.context


@dataclass(frozen=True)
class Site:
    """The digest and the lookups every page family makes its pages from, made once."""

    digest: Digest
    config: Config
    by_id: dict[str, ArticleRecord]
    event_of: dict[str, Event]  # article id -> its event
    by_event: dict[str, Event]  # event id -> the event
    dated: list[Event]  # oldest first
    undated: list[Event]
    stories: list[Storyline]  # of more than one event
    formatted: Callable[..., str]  # a date as the pages write it
    making: Makings  # each event's making, hashed once
    slugged: Callable[[str], str]  # a name's slug (`urls.slug`)

    @classmethod
    def of(
        cls,
        digest: Digest,
        config: Config,
        making: Makings | None = None,
        slugged: Callable[[str], str] = urls.slug,
    ) -> Site:
        return cls(
            digest,
            config,
            by_id={a.id: a for a in digest.articles},
            event_of={a.id: e for e in digest.events for a in e.articles},
            by_event={e.id: e for e in digest.events},
            dated=sorted((e for e in digest.events if e.date), key=lambda e: (e.date, e.slug)),
            undated=sorted((e for e in digest.events if not e.date), key=lambda e: e.slug),
            stories=[s for s in digest.storylines if len(s.events) > 1],
            formatted=date_formatter(config.language),
            making=making or Makings(),
            slugged=slugged,
        )

    @property
    def newest(self) -> list[Event]:
        """Dated events newest first, then the undated."""
        return [*reversed(self.dated), *self.undated]


class Slugs:
    """Names' slugs (`urls.slug`), those of the last build's outlets and tags kept in the
    store: slugify runs many regular expressions on each name, and the 7,362 outlets of
    10,000 real articles took some 0.1 CPU-s to slug on every edit (0.5 s while slugify also
    tried to import a transliterator that is not installed, see `urls.slugified`). Kept by the
    code that slugs (python-slugify's version too)."""

    def __init__(self, store: AnalysisCache | None) -> None:
        self.store = store
        self.key = store.code_hash(urls.slug) if store else ""
        kept = store.get_many([self.key], "slugs").get(self.key) if store else None
        self.kept: dict[str, str] = kept if isinstance(kept, dict) else {}
        self.used: dict[str, str] = {}  # this build's names

    def __call__(self, name: str) -> str:
        found = self.used.get(name)
        if found is None:
            found = self.kept.get(name)
            if found is None:
                found = urls.slug(name)
            self.used[name] = found
        return found

    def keep(self) -> None:
        """Keep this build's names for the next, when they are not those kept."""
        if self.store and self.used != self.kept:
            self.store.update({self.key: self.used}, {self.key}, "slugs")
