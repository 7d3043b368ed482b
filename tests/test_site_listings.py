"""The listings as a reader uses them in the browser: the sources by outlet and date, the tag
pages, a front page that pages through a long digest, and search results for quotes that say
who said it, where, and link to the quote itself."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
import yaml

from storyline.pipeline import BuildOptions, build
from tests.conftest import ROOT, write_tree

FRONT_PAGE_EVENTS = 30  # the most events the front page lists; the rest are a page further on
TOPICS = [
    "ferry timetable",
    "library roof",
    "harbour dredging",
    "school canteen",
    "tram depot",
    "museum loan",
    "fishing quota",
    "bus lane",
    "hospital wing",
    "park fountain",
]
PLACES = ["Portwick", "Eastholm", "Marrow Bay", "Kettleby"]
LOAN = (
    "The Kettleby museum lent three paintings of the old harbour to a gallery in Marrow Bay "
    "for the summer season, its keeper said on Monday."
)

PIER = (
    "The harbour board of Portwick voted on Tuesday to close the old ferry pier for "
    "repairs, after divers found the piles rotten below the waterline."
)
TRAM = (
    "Eastholm city council approved on Friday a new tram depot beside the rail yard, "
    "with room for forty trams and a workshop for their repairs."
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample digest built into a site; its digest.json."""
    site = tmp_path_factory.mktemp("sample") / "site"
    build(BuildOptions(config=ROOT / "config.yaml", content=ROOT / "content", output=site))
    return site, json.loads((site / "digest.json").read_text(encoding="utf-8"))


def texts(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent.trim())")


def test_each_outlet_has_a_page_listing_its_articles_newest_first(sample, browser, serve):
    site, digest = sample
    base = serve(site)
    page = browser.new_page()
    page.goto(base + "sources/index.html")
    outlets = texts(page, "main a.outlet")
    expected = {a["label"] for a in digest["articles"]}
    assert set(outlets) == expected
    for outlet in outlets:
        page.goto(base + "sources/index.html")
        page.click(f"main a.outlet >> text={outlet}")
        assert page.locator("main h1").inner_text() == outlet
        titles = texts(page, "main li.article .title")
        mine = [a for a in digest["articles"] if a["label"] == outlet]
        assert sorted(titles) == sorted(a["title"] or a["id"] for a in mine)
        times = page.eval_on_selector_all(
            "main li.article",
            "els => els.map(e => e.querySelector('time') ? Date.parse(e.querySelector('time')"
            ".dateTime) : null)",
        )
        dated = [t for t in times if t is not None]
        assert dated == sorted(dated, reverse=True), outlet  # newest first
        assert times == dated + [None] * (len(times) - len(dated))  # the undated last
    page.close()


def front_matter_tags() -> dict[str, list[str]]:
    """Each sample article's front-matter tags, by its path in the content folder."""
    tags = {}
    for path in (ROOT / "content").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        tags[path.relative_to(ROOT / "content").as_posix()] = meta.get("tags") or []
    return tags


def test_front_matter_tags_each_have_a_page_of_their_events(sample, browser, serve):
    site, digest = sample
    title = {e["id"]: e["title"] for e in digest["events"]}
    tagged: dict[str, set[str]] = {}
    for article in digest["articles"]:
        for tag in front_matter_tags().get(article["path"], []):
            tagged.setdefault(tag, set()).add(title[article["event"]])
    assert len(tagged) > 3
    base = serve(site)
    page = browser.new_page()
    page.goto(base + "index.html")
    assert set(texts(page, "main .tags a")) == set(tagged)
    for tag, events in tagged.items():
        page.goto(base + "index.html")
        page.click(f"main .tags a >> text='{tag}'")
        assert tag in page.locator("main h1").inner_text()
        assert set(texts(page, "main .tagged a.event")) == events, tag
    page.close()


def long_digest(folder, events: int):
    """`events` happenings a week apart, each reported by two outlets the same day."""
    files = {}
    start = date(2024, 1, 1)
    for n in range(events):
        day = start + timedelta(days=7 * n)
        topic, place = TOPICS[n % len(TOPICS)], PLACES[n // len(TOPICS) % len(PLACES)]
        for outlet in ("Bay Post", "Coast Herald"):
            text = (
                f"The {place} council voted on the {topic} plan, number {n}, on {day:%A}. "
                f"Councillors said the {topic} work in {place} would start within a month."
            )
            files[f"{n:03d}-{outlet[0]}.md"] = (
                f"---\ntitle: {place} council votes on {topic} plan {n}\nsource: {outlet}\n"
                f"date: {day.isoformat()}\n---\n{text}\n"
            )
    return write_tree(folder, files)


def test_a_long_digest_front_page_lists_the_newest_events_and_pages_to_the_rest(
    tmp_path, browser, serve
):
    site = tmp_path / "site"
    build(
        BuildOptions(
            config=tmp_path / "config.yaml",
            content=long_digest(tmp_path / "content", 45),
            output=site,
            templates=ROOT / "templates",
        )
    )
    digest = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    assert len(digest["events"]) > FRONT_PAGE_EVENTS
    base = serve(site)
    page = browser.new_page()
    page.goto(base + "index.html")
    listed, pages = [], 0
    while True:
        pages += 1
        links = page.eval_on_selector_all(
            "main ul.all-events a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert 0 < len(links) <= FRONT_PAGE_EVENTS
        listed += [link.rstrip("/").split("events/")[1].split("/")[0] for link in links]
        older = page.locator("main a[rel=next]")
        if not older.count():
            break
        older.click()
    assert pages > 1
    newest_first = sorted(digest["events"], key=lambda e: e["date"], reverse=True)
    assert listed == [e["slug"] for e in newest_first]
    page.close()


def test_a_quote_found_by_search_names_its_speaker_event_and_outlet_and_links_to_it(
    sample, browser, serve
):
    site, digest = sample
    source = {a["id"]: a["label"] for a in digest["articles"]}
    event, quote = next(
        (e, q)
        for e in digest["events"]
        for q in e["quotes"]
        if "hearts in our throats" in q["text"]
    )
    assert quote["speaker"]
    base = serve(site)
    page = browser.new_page()
    page.goto(base + "search/index.html?q=hearts+in+our+throats")
    page.wait_for_selector("#search-results li")
    hit = page.locator("#search-results li", has=page.locator(".label >> text=quote")).first
    said = hit.inner_text()
    assert quote["speaker"] in said and event["title"] in said
    assert all(source[a] in said for a in quote["articles"])
    hit.locator("a").first.click()
    page.wait_for_load_state()
    assert "#quote-" in page.url and "/compare/" in page.url
    assert "hearts in our throats" in page.locator(":target").inner_text()
    page.close()


def test_an_article_without_an_outlet_has_one_label_on_every_page_and_counts_alike(
    tmp_path, browser, serve
):
    """Its web domain when its `url` gives one, else its letter within its event and the
    first words of its headline: the same in every table, list, note, feed and search result,
    never "Unknown outlet"; each such article counts as an outlet of its own everywhere."""
    content = write_tree(
        tmp_path / "content",
        {
            "ledger.md": f"---\ntitle: Portwick pier to close\nsource: Portwick Ledger\n"
            f"date: 2024-05-08\n---\n{PIER}\n",
            "gazette.md": f"---\ntitle: Ferry pier shut for repairs\ndate: 2024-05-08\n"
            f"url: https://www.harbourgazette.example/news/pier\n---\n{PIER}\n",
            "pasted.md": f"---\ntitle: Divers find rotten piles under the pier\n"
            f"date: 2024-05-08\n---\n{PIER}\n",
            "tram.md": f"---\ntitle: Council backs a tram depot\ndate: 2024-06-14\n---\n{TRAM}\n",
            "untitled.md": f"---\nsource: Kettleby Post\ndate: 2024-07-01\n---\n{LOAN}\n",
        },
    )
    site = tmp_path / "site"
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    build(BuildOptions(config=tmp_path / "config.yaml", content=content, output=site))
    pasted, depot = "A · Divers find rotten…", "A · Council backs a…"  # a letter per event
    outlets = {"Portwick Ledger", "harbourgazette.example", pasted, depot, "Kettleby Post"}
    digest = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    assert {a["label"] for a in digest["articles"]} == outlets
    for made in site.rglob("*"):
        if made.suffix in (".html", ".json", ".xml"):
            text = made.read_text(encoding="utf-8")
            assert "nknown outlet" not in text and ">untitled<" not in text, made
    base = serve(site)
    page = browser.new_page()
    page.goto(base + "sources/index.html")
    assert set(texts(page, "main a.outlet")) == outlets
    page.click(f"main a.outlet >> text={pasted}")
    assert page.locator("main h1").inner_text() == pasted
    page.goto(base + "sources/kettleby-post/index.html")  # untitled: named by its opening
    assert texts(page, "main li.article .title") == [" ".join(LOAN.split()[:12]) + "…"]
    page.goto(base + "index.html")
    card = page.locator("main article", has_text="Portwick").first.inner_text()
    assert f"Sources: {pasted}, Portwick Ledger, harbourgazette.example" in card
    assert "3 articles from 3 outlets" in card
    assert set(texts(page, "main figure table thead th")[1:-1]) == outlets  # the coverage chart
    (pier_event,) = (e for e in digest["events"] if len(e["articles"]) == 3)
    page.goto(base + f"events/{pier_event['slug']}/index.html")
    assert "Reported by 3 outlets in 3 articles" in page.locator("main").inner_text()
    assert pasted in texts(page, "#sources ~ ul.articles strong")
    assert (
        "Divers find rotten piles under the pier, 8 May 2024" in page.locator("main").inner_text()
    )
    page.goto(base + f"events/{pier_event['slug']}/compare/index.html")
    assert "3 articles from 3 outlets" in page.locator("main p.meta").first.inner_text()
    assert pasted in page.locator("main").inner_text()
    page.goto(base + "timeline/index.html")
    assert f"from {pasted}, Portwick Ledger" in page.locator("main").inner_text()
    index = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    titles = {e["title"] for e in index if e["kind"] == "article"}
    assert f"{pasted}: Divers find rotten piles under the pier" in titles
    assert "harbourgazette.example: Ferry pier shut for repairs" in titles
    assert f"Kettleby Post: {' '.join(LOAN.split()[:12])}…" in titles
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert {a["name"] for item in feed["items"] for a in item["authors"]} == outlets
    page.close()


def test_two_articles_without_an_outlet_sharing_a_label_are_two_outlets_on_the_sources_page(
    tmp_path,
):
    """Letters restart in each event, so two pasted articles of different events can both be
    "A · Live updates from…": the sources page still lists them apart, each with its page, as
    many entries as the outlets the digest counts."""
    content = write_tree(
        tmp_path / "content",
        {
            "pier.md": f"---\ntitle: Live updates from Portwick harbour\ndate: 2024-05-08\n---\n"
            f"{PIER}\n",
            "tram.md": f"---\ntitle: Live updates from Eastholm council\ndate: 2024-09-20\n---\n"
            f"{TRAM}\n",
        },
    )
    site = tmp_path / "site"
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    build(BuildOptions(config=tmp_path / "config.yaml", content=content, output=site))
    digest = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    assert {a["label"] for a in digest["articles"]} == {"A · Live updates from…"}
    listing = (site / "sources" / "index.html").read_text(encoding="utf-8")
    pages = re.findall(r'<a class="outlet" href="\.\./([^"]+)">A · Live updates from…</a>', listing)
    assert len(pages) == 2 and len(set(pages)) == 2
    for page in pages:
        own = (site / page).read_text(encoding="utf-8")
        assert own.count('<li class="article">') == 1
    front = (site / "index.html").read_text(encoding="utf-8")
    assert "<dt>Outlets</dt><dd>2</dd>" in front
