"""The rendered site: safe from its own articles, linked relatively, with feed and sitemap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from tests.conftest import ROOT, broken_links, local_links, write_tree

ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD_MD = """---
title: "<script>alert('title')</script> Pier vote"
source: "<img src=x onerror=alert('source')>"
date: 2025-02-03
---
The harbour council voted to rebuild the ferry pier. <script>alert('body')</script>

<img src="x" onerror="alert('img')"> [click](javascript:alert('link'))

"We will rebuild the pier before summer <b onmouseover=alert('quote')>now</b>," said Mayor Ilse Norrgard.
"""
PAYLOAD_TXT = """Ferry pier vote <svg onload=alert('txt')>
The harbour council voted to rebuild the ferry pier after the storm. </textarea><script>alert('t')</script>
"""


class Elements(HTMLParser):
    """Every element of a page with its attributes, as a browser would build them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_no_markup_from_articles_reaches_a_page(tmp_path, build_site):
    content = write_tree(tmp_path / "content", {"a.md": PAYLOAD_MD, "b.txt": PAYLOAD_TXT})
    site, _ = build_site(content)
    for page in site.rglob("*.html"):
        parser = Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert tag not in ("iframe", "object", "embed"), page
            # The only script and drawing are the theme's own: the search script and the
            # coverage chart; nothing an article wrote.
            if tag == "script":
                assert (attrs.get("src") or "").endswith("static/search.js"), (page, attrs)
            if tag == "svg":
                assert attrs.get("role") == "img" and attrs.get("viewbox"), (page, attrs)
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            for name in ("href", "src"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:")), (page, tag, attrs)


def test_every_link_is_relative_and_resolves_from_file_urls(tmp_path, build_site):
    content = write_tree(
        tmp_path / "content",
        {"a.md": PAYLOAD_MD.replace('<img src="x"', "<img"), "b.txt": PAYLOAD_TXT},
    )
    site, _ = build_site(content)
    assert broken_links(site) == []
    for links in local_links(site).values():
        assert not any(link.startswith("/") for link in links)


def test_pages_for_each_event(tmp_path, build_site):
    content = write_tree(tmp_path / "content", {"a.md": PAYLOAD_MD})
    site, digest = build_site(content)
    (event,) = digest["events"]
    for path in [
        "index.html",
        "timeline/index.html",
        "sources/index.html",
        "404.html",
        f"events/{event['slug']}/index.html",
        f"events/{event['slug']}/compare/index.html",
    ]:
        assert (site / path).is_file(), path


def test_feed_and_sitemap_use_the_base_url(tmp_path, build_site):
    content = write_tree(tmp_path / "content", {"a.md": PAYLOAD_MD, "b.txt": PAYLOAD_TXT})
    site, digest = build_site(content, base_url="https://example.org/digest")
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(digest["events"])
    assert all(
        e.find(f"{ATOM}link").get("href").startswith("https://example.org/digest/events/")
        for e in entries
    )
    locs = [
        u.text
        for u in ET.parse(site / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://example.org/digest/" in locs
    assert all(loc.startswith("https://example.org/digest/") for loc in locs)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/digest/">' in index
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/digest/static/style.css"' in not_found


def test_the_sitemap_lists_every_page_a_reader_lands_on_and_no_other(build_site):
    base = "https://example.org/digest/"
    site, digest = build_site(ROOT / "content", base_url=base)
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    listed = {u.text for u in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = set()
    for path in site.rglob("*.html"):
        if path.name == "404.html" or 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue  # not a page to land on: the 404 page and the redirects from old slugs
        pages.add(base + path.relative_to(site).as_posix().removesuffix("index.html"))
    assert listed == pages
    assert len(pages) > 2 * len(digest["events"])  # each event's two pages, and the listings


def test_digest_json_lists_every_article_in_exactly_one_event(tmp_path, build_site):
    content = write_tree(
        tmp_path / "content",
        {
            "a.md": PAYLOAD_MD,
            "b.txt": PAYLOAD_TXT,
            "c.jsonl": '{"id": "c1", "text": "A bakery in the valley won a bread prize.", '
            '"source": "Valley Wire", "published": "2025-02-05"}\n',
        },
    )
    _, digest = build_site(content)
    listed = [a for e in digest["events"] for a in e["articles"]]
    assert sorted(listed) == sorted(a["id"] for a in digest["articles"]) == ["a", "b", "c1"]
    by_id = {e["id"]: e for e in digest["events"]}
    assert all(a["id"] in by_id[a["event"]]["articles"] for a in digest["articles"])
    assert digest["generator"].startswith("storyline ")
