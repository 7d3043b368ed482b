"""Every address in the site, and nowhere else: each page's file in the output folder, from
which its URL follows (`pretty`). The pages, the feeds, the search index, the sitemap, the
TimelineJS data and the templates (the `url` global and the `*_url` functions) all take
their paths from here, so a page family moves by an edit to one line."""

from __future__ import annotations

FRONT = "index.html"
TIMELINE = "timeline/index.html"
TIMELINE_JSON = "timeline/timeline.json"
SOURCES = "sources/index.html"
SEARCH = "search/index.html"
SEARCH_INDEX = "search/index.json"
NOT_FOUND = "404.html"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
ATOM_FEED = "feed.xml"
JSON_FEED = "feed.json"
DIGEST = "digest.json"
STATIC = "static/"

# the site's fixed pages, as templates name them: `{{ root }}{{ url.timeline }}`
FIXED = {
    "front": FRONT,
    "timeline": TIMELINE,
    "sources": SOURCES,
    "search": SEARCH,
    "atom_feed": ATOM_FEED,
    "json_feed": JSON_FEED,
    "digest": DIGEST,
    "sitemap": SITEMAP,
    "static": STATIC,
}


def event_page(slug: str) -> str:
    return f"events/{slug}/index.html"


def compare_page(slug: str) -> str:
    return f"events/{slug}/compare/index.html"


def event_pages(slug: str) -> tuple[str, str]:
    """An event's pages, each of which an old slug of it redirects from."""
    return event_page(slug), compare_page(slug)


def storyline_page(story_id: str) -> str:
    return f"timeline/{story_id}/index.html"


def pretty(path: str) -> str:
    """The page's URL from the site's root: its folder, for an `index.html`."""
    return path.removesuffix("index.html")


def root(path: str, base_url: str | None) -> str:
    """The way from a page back to the site's root."""
    if path == NOT_FOUND and base_url:
        return base_url  # served at any depth, so relative links would break
    return "../" * path.count("/")
