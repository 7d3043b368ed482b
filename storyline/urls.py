"""Every address in the site, and nowhere else: each page's file in the output folder, from
which its URL follows (`pretty`). The pages, the feeds, the search index, the sitemap, the
TimelineJS data and the templates (the `url` global and the `*_url` functions) all take
their paths from here, so a page family moves by an edit to one line."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from slugify import slugify

FRONT = "index.html"
TIMELINE = "timeline/index.html"
TIMELINE_JSON = "timeline/timeline.json"
SOURCES = "sources/index.html"
TAGS = "tags/index.html"
SEARCH = "search/index.html"
SEARCH_INDEX = "search/index.json"
NOT_FOUND = "404.html"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
ATOM_FEED = "feed.xml"
JSON_FEED = "feed.json"
DIGEST = "digest.json"
STATIC = "static/"
SEGMENT_MAX = 60  # characters of a name's path segment: a file name has a limit

# the site's fixed pages, as templates name them: `{{ root }}{{ url.timeline }}`
FIXED = {
    "front": FRONT,
    "timeline": TIMELINE,
    "sources": SOURCES,
    "tags": TAGS,
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


def quote_anchor(number: int) -> str:
    """The id of an event's quote on its comparison page: its place among the event's quotes."""
    return f"quote-{number}"


def quote(slug: str, number: int) -> str:
    return f"{compare_page(slug)}#{quote_anchor(number)}"


def storyline_page(story_id: str) -> str:
    return f"timeline/{story_id}/index.html"


def front_page(number: int) -> str:
    """The front page's list of events, page `number` (1: the front page itself)."""
    return FRONT if number == 1 else f"page/{number}/index.html"


def outlet_page(segment: str) -> str:
    return f"sources/{segment}/index.html"


def tag_page(segment: str) -> str:
    return f"tags/{segment}/index.html"


def segments(names: Iterable[str], slugged: Callable[[str], str] | None = None) -> list[str]:
    """Each name (an outlet, a tag) in turn as a path segment of its own: its slug, its first
    words if long, numbered where two names give one ('bay-post-2'), 'n' where the slug is
    empty. Two equal names get two segments. `slugged` gives a name's slug as `slug` does,
    such as from those kept from the last build."""
    found: list[str] = []
    used: set[str] = set()
    for name in names:
        base = (slugged or slug)(name) or "n"
        segment, n = base, 1
        while segment in used:
            n += 1
            segment = f"{base}-{n}"
        found.append(segment)
        used.add(segment)
    return found


def slug(name: str) -> str:
    """A name's slug, cut at a word to fit a path segment."""
    return slugified(name, max_length=SEGMENT_MAX, word_boundary=True)


def slugified(text: str, **options) -> str:
    """python-slugify's slug of `text` (`options` are its own), non-ASCII letters transliterated
    by text-unidecode, named here: its default first tries to import Unidecode, which is not
    installed, once for each text with such a letter (a failed import searches every folder of
    the module path: about 11,000 of them, some 3 CPU-s, on an edit at 10,000 articles)."""
    return slugify(text, backend="text-unidecode", **options)


def pretty(path: str) -> str:
    """The page's URL from the site's root: its folder, for an `index.html`."""
    return path.removesuffix("index.html")


def root(path: str, base_url: str | None) -> str:
    """The way from a page back to the site's root."""
    if path == NOT_FOUND and base_url:
        return base_url  # served at any depth, so relative links would break
    return "../" * path.count("/")
