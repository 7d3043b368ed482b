"""The site's pages, gathered from one module per page family: the listings, the event pages,
the feeds. A new page is an address in `storyline.urls` and a `Page` in its family's
`pages`."""

from __future__ import annotations

from collections.abc import Callable

from .. import urls
from ..config import Config
from ..model import Digest
from . import event_pages, feeds, listings
from .keys import Makings
from .site import Page, Site


def site_pages(
    digest: Digest,
    config: Config,
    making: Makings | None = None,
    slugged: Callable[[str], str] = urls.slug,
) -> list[Page]:
    """Every page rendered from a template, the sitemap last (it lists the others). `making`
    hashes each event's making once, for the pages' keys; `slugged` gives a name's slug."""
    site = Site.of(digest, config, making, slugged)
    pages = [*listings.pages(site), *event_pages.pages(site)]
    return [*pages, *feeds.pages(site, [p for p in pages if p.listed])]
