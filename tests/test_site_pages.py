"""What each page type offers a reader: the front page at a glance, the timeline's month
headings and jump links, search, sharing metadata, and pages that hold up under hostile
content or no content at all."""

from __future__ import annotations

import json
import re

from storyline.pipeline import BuildOptions, build
from tests.conftest import ROOT, write_tree

BASE = "https://example.org/harbour/"
LONG_WORD = "Pier" + "x" * 400
LONG_TITLE = " ".join(["Harbour council votes to rebuild the storm-damaged ferry pier"] * 12)


def article(title: str, source: str, day: str, text: str) -> str:
    return f"---\ntitle: {json.dumps(title)}\nsource: {source}\ndate: {day}\n---\n{text}\n"


def hostile_content(tmp_path):
    quote = f'"{LONG_WORD} {LONG_WORD}," said Mayor Ilse Norrgard.'
    return write_tree(
        tmp_path / "content",
        {
            "a.md": article(
                LONG_WORD,
                "Bay Post",
                "2025-02-03",
                f"The council voted on the ferry pier on Monday. {quote}",
            ),
            "b.md": article(
                LONG_TITLE,
                LONG_WORD,
                "2025-02-03",
                f"The council voted on the ferry pier on Monday. {quote}",
            ),
        },
    )


def test_front_page_shows_the_story_at_a_glance(tmp_path):
    site = tmp_path / "site"
    build(BuildOptions(config=ROOT / "config.yaml", content=ROOT / "content", output=site))
    page = (site / "index.html").read_text(encoding="utf-8")
    glance = dict(re.findall(r"<dt>(\w+)</dt><dd>(.*?)</dd>", page))
    assert glance["Events"] == "3" and glance["Articles"] == "11" and glance["Outlets"] == "4"
    assert "31 March 2025" in glance["From"] and "16 May 2025" in glance["To"]
    assert '<figure class="coverage">' in page and "<table>" in page  # chart and its table
    assert page.index("<h2>Latest</h2>") < page.index("<h2>Most important</h2>")


def test_the_coverage_chart_colours_the_busiest_outlets_and_groups_the_others(tmp_path):
    """With a colour per outlet, AllSides' 93 outlets repeated 8 colours in a legend of 93
    names, and 10,000 real articles gave its table 4,423 columns."""
    files = {
        f"{n}-{k}.md": article(
            f"Pier story {n}.{k}", f"Outlet {n:02d}", f"2025-02-{k + 1:02d}", f"Pier news {n}."
        )
        for n in range(12)
        for k in range(12 - n)  # Outlet 00 has 12 articles, Outlet 11 one
    }
    site = tmp_path / "site"
    build(BuildOptions(ROOT / "config.yaml", write_tree(tmp_path / "content", files), site))
    page = (site / "index.html").read_text(encoding="utf-8")
    chart = page[page.index('<figure class="coverage">') : page.index("</figure>")]
    legend = re.findall(r'<li><span class="swatch (o\d)"></span>([^<]+)</li>', chart)
    busiest = [f"Outlet {n:02d}" for n in range(7)]
    assert legend == [(f"o{n}", name) for n, name in enumerate([*busiest, "5 other outlets"])]
    header = re.findall(r'<th scope="col">([^<]+)</th>', chart)
    assert header == ["Day", *busiest, "5 other outlets", "All"]
    first_day = re.search(r'<tr><th scope="row">[^<]+</th>(.*?)</tr>', chart)[1]
    assert re.findall(r"<td>(\d+)</td>", first_day) == ["1"] * 7 + ["5", "12"]


def test_timeline_has_month_headings_and_jump_links(tmp_path):
    site = tmp_path / "site"
    build(BuildOptions(config=ROOT / "config.yaml", content=ROOT / "content", output=site))
    page = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h3 id="m-(\d{4}-\d{2})">', page)
    assert headings == sorted(headings) and "2025-03" in headings
    jumps = re.findall(r'<a href="#m-(\d{4}-\d{2})">', page)
    assert jumps == headings


def test_every_page_has_sharing_metadata_and_the_site_a_robots_file(tmp_path):
    site = tmp_path / "site"
    build(
        BuildOptions(
            config=ROOT / "config.yaml", content=ROOT / "content", output=site, base_url=BASE
        )
    )
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in page:
            continue  # a redirect page
        for needed in ('property="og:title"', 'property="og:description"', 'name="twitter:card"'):
            assert needed in page, (path, needed)
        if path.name == "index.html" and "events/" in path.as_posix():
            url = BASE + path.parent.relative_to(site).as_posix() + "/"
            assert f'<link rel="canonical" href="{url}">' in page
            assert f'<meta property="og:url" content="{url}">' in page
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots


def test_an_empty_content_folder_builds_a_site_that_says_how_to_add_articles(tmp_path):
    (tmp_path / "content").mkdir()
    site = tmp_path / "site"
    result = build(
        BuildOptions(config=ROOT / "config.yaml", content=tmp_path / "content", output=site)
    )
    assert result.read == 0
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "No articles yet" in page and "python build.py" in page
    assert (site / "timeline" / "index.html").is_file() and (site / "feed.xml").is_file()


def test_endless_titles_names_and_quotes_stay_inside_the_page(tmp_path, browser, serve):
    site = tmp_path / "site"
    build(
        BuildOptions(
            config=tmp_path / "config.yaml",
            content=hostile_content(tmp_path),
            output=site,
            templates=ROOT / "templates",
        )
    )
    base = serve(site)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    wide = []
    for path in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        page.goto(base + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide.append(f"{path}: {overflow}px")
    page.close()
    assert wide == []


def test_search_finds_events_articles_and_quotes_from_a_subpath(tmp_path, browser, serve):
    site = tmp_path / "site"
    base = serve(site, "/storyline-demo/")
    build(
        BuildOptions(
            config=ROOT / "config.yaml", content=ROOT / "content", output=site, base_url=base
        )
    )
    page = browser.new_page()
    page.goto(base + "search/index.html")
    page.fill("#q", "hearts in our throats")
    page.wait_for_selector("#search-results li")
    kinds = page.eval_on_selector_all(
        "#search-results .label", "els => els.map(e => e.textContent)"
    )
    assert "quote" in kinds
    page.fill("#q", "Alder Bridge reopens")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    page.click("#search-results a >> nth=0")
    assert page.url.startswith(base + "events/")
    assert page.locator("h1").inner_text()
    page.goto(base + "search/index.html?q=zzzznothing")
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    assert page.locator("#search-status").inner_text() == "Nothing found."
    page.close()


def test_with_javascript_off_every_page_is_complete(tmp_path, browser, serve):
    site = tmp_path / "site"
    build(BuildOptions(config=ROOT / "config.yaml", content=ROOT / "content", output=site))
    base = serve(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in ("index.html", "timeline/index.html", "sources/index.html"):
        page.goto(base + path)
        assert page.locator("main h1").count() == 1 and page.locator("main a").count() > 3
    page.goto(base + "search/index.html")
    assert "needs JavaScript" in page.locator("main").inner_text()
    assert page.locator("main noscript a[href$='timeline/index.html']").count() == 1
    context.close()
