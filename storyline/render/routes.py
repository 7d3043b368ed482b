"""The site's pages, gathered from one module per page family: the listings, the event pages,
the feeds. A new page is an address in `storyline.urls` and a `Page` in its family's
`pages`."""

from __future__ import annotations

from ..config import Config
from ..model import Digest
from . import event_pages, feeds, listings
from .site import Page, Site


def site_pages(digest: Digest, config: Config) -> list[Page]:
    """Every page rendered from a template, the sitemap last (it lists the others)."""
    site = Site.of(digest, config)
    pages = [*listings.pages(site), *event_pages.pages(site)]
    return [*pages, *feeds.pages(site, [p for p in pages if p.listed])]
