"""The timeline as a reader and a tool see it: the days that matter ranked by their evidence,
each with a sentence that says what happened; mentioned happenings one entry per date,
background left to its event's page; a page that stays short on a large corpus."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta

import pytest

from storyline import urls
from storyline.config import Config
from storyline.model import Digest, Event, Storyline
from storyline.render import titled
from storyline.render.routes import site_pages
from storyline.render.theme import Theme, render
from tests.conftest import ROOT, write_tree

SPILL = (
    "Crews in the Gulf of Mexico fought the oil slick on {weekday}, {outlet} reported. The "
    "platform blew up on April 20, 2010, with eleven of its crew lost, and went down two days "
    "after that.\n\n{detail}"
)
DETAILS = [
    "Booms were laid along the Louisiana marshes to hold back the oil from the oyster beds.",
    "Engineers lowered a steel dome over the leaking well head a mile under the sea.",
    "Fishing grounds off Alabama and Mississippi were closed to shrimp boats for weeks.",
    "Volunteers cleaned the feathers of pelicans caught in the slick at a rescue centre.",
]


def article(outlet: str, day: str, text: str, title: str = "Gulf oil spill") -> str:
    return f"---\ntitle: {json.dumps(title)}\nsource: {outlet}\ndate: {day}\n---\n{text}\n"


def key_section(page: str) -> str:
    return page[page.index('id="key-dates"') : page.index('id="all-dates"')]


def test_a_day_every_article_recalls_is_the_first_key_date_with_what_happened(tmp_path, build_site):
    # the BP spill's explosion: most mentioned, yet no article was published on its day
    files = {
        f"s{n}.md": article(
            f"Outlet {n}",
            f"2010-05-{n + 3:02d}",
            SPILL.format(weekday="Monday", outlet=f"Outlet {n}", detail=DETAILS[n]),
            title=f"Gulf spill, day {n}",
        )
        for n in range(4)
    }
    files["quiet.md"] = article(
        "Bay Post",
        "2010-05-20",
        "A bakery in Brindle won a regional bread prize for its rye loaf, the judges said.",
        title="Bakery prize",
    )
    site, digest = build_site(write_tree(tmp_path / "content", files))
    keys = digest["key_dates"]
    assert all(
        set(k) == {"date", "precision", "score", "sentence", "articles", "event"} for k in keys
    )
    assert [k["score"] for k in keys] == sorted((k["score"] for k in keys), reverse=True)
    first = keys[0]
    assert first["date"] == "2010-04-20" and first["event"] is None
    assert sorted(first["articles"]) == ["s0", "s1", "s2", "s3"]
    assert "blew up on April 20, 2010" in first["sentence"]
    events = {e["id"] for e in digest["events"]}
    quiet = next(k for k in keys if k["date"] == "2010-05-20")
    assert quiet["event"] in events and quiet["articles"] == ["quiet"]
    page = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert '<a href="#d-2010-04-20">20 April 2010</a>' in key_section(page)
    # the day's articles, of every story: not to be read as its event's
    assert "(4 articles report or name this day)" in key_section(page)
    assert "Bakery prize" not in key_section(page)
    entry = page[page.index('id="d-2010-04-20"') :]
    assert "blew up on April 20, 2010" in entry[: entry.index("</li>")]


def test_a_year_or_a_season_is_listed_under_its_year_not_january(tmp_path, build_site):
    text = (
        "The harbour council of Saltmere voted on Tuesday to rebuild the ferry pier. The "
        "pier was built in 2025 for the new ferries, the harbour master said."
    )
    content = write_tree(tmp_path / "content", {"a.md": article("Bay Post", "2025-06-12", text)})
    site, digest = build_site(content)
    assert [m["value"] for m in digest["timeline"]] == ["2025"]
    page = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert 'id="m-2025-01"' not in page
    under_year = page[page.index('<h3 id="y-2025">') : page.index('<h3 id="m-2025-06">')]
    assert '<time datetime="2025">2025</time>' in under_year


def test_background_from_one_article_stays_on_its_event_page(tmp_path, build_site):
    text = (
        "The harbour council of Saltmere voted on Tuesday to rebuild the old ferry pier. "
        "Council members met again on May 20, 2025, to approve the timber deck. The mayor "
        "first worked on the harbour on 3 March 1979, she told the newspaper."
    )
    files = {
        f"{n}.md": article(outlet, "2025-06-12", text)
        for n, outlet in enumerate(["Bay Post", "Harbour Radio"])
    }
    site, digest = build_site(write_tree(tmp_path / "content", files))
    assert [m["value"] for m in digest["timeline"]] == ["2025-05-20"]
    (event,) = digest["events"]
    assert "1979-03-03" in [m["value"] for m in event["mentions"]]
    timeline = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert "1979" not in timeline and '<time datetime="2025-05-20">' in timeline
    event_page = (site / "events" / event["slug"] / "index.html").read_text(encoding="utf-8")
    assert "1979" in event_page


def test_the_time_axis_is_the_story_not_a_slip_to_year_9999(tmp_path, build_site):
    files = {
        f"{day}.md": article("Bay Post", day, f"The harbour council of Saltmere met. {text}")
        for day, text in [
            ("2025-02-03", "It voted to rebuild the ferry pier."),
            ("2025-02-20", "It chose a builder for the timber deck of the pier."),
            ("2025-03-15", "It opened the new ferry pier to the public."),
            ("9999-01-01", "It will meet again, a councillor wrote in a test post."),
        ]
    }
    site, digest = build_site(write_tree(tmp_path / "content", files))
    page = " ".join((site / "timeline" / "index.html").read_text(encoding="utf-8").split())
    caption = re.search(r'<figure class="axis"> <figcaption>(.*?)</figcaption>', page)
    assert caption, "the timeline has no time axis"
    assert "3 February 2025 to 15 March 2025" in caption[1]
    assert "0 earlier and 1 later event lie far outside" in caption[1]
    bars = re.findall(r'<rect x="([\d.]+)"', page[page.index('<figure class="axis">') :])
    assert len(bars) == 3 and float(bars[-1]) > 500  # mid-March sits at the right end


def test_a_corpus_with_no_dated_article_says_why_its_timeline_is_empty(tmp_path, build_site):
    content = write_tree(
        tmp_path / "content",
        {"a.txt": "Harbour council plans a new pier\n\nThe council of Saltmere plans a pier."},
    )
    site, digest = build_site(content)
    assert all(e["date"] is None for e in digest["events"]) and digest["key_dates"] == []
    page = " ".join((site / "timeline" / "index.html").read_text(encoding="utf-8").split())
    assert "no article has a publication date" in page
    assert "a <code>published</code> key in JSON Lines" in page


def test_basil_timeline_is_short_and_its_key_dates_say_what_happened(basil_site, browser, serve):
    page_file = basil_site / "timeline" / "index.html"
    assert page_file.stat().st_size <= 150_000
    html = page_file.read_text(encoding="utf-8")
    keys = re.findall(r"<li><a href=\"#[^\"]+\">([^<]+)</a>: (.*?)</li>", key_section(html))
    assert 10 <= len(keys) <= 30
    digest = json.loads((basil_site / "digest.json").read_text(encoding="utf-8"))
    first = min(e["date"] for e in digest["events"] if e["date"])
    last = max(e["date"] for e in digest["events"] if e["date"])
    for day, said in keys:
        assert re.fullmatch(r"\d{1,2} \w+ \d{4}", day)  # a day, not a month or a year
        assert len(re.sub(r"<[^>]+>", "", said).split()) >= 8  # a sentence, not a bare title
    assert date.fromisoformat(last).year - date.fromisoformat(first).year >= 5
    base = serve(basil_site)
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    tab.goto(base + "timeline/index.html")
    assert tab.locator("details[open]").count() == 0
    assert tab.evaluate("document.documentElement.scrollHeight") <= 25 * 800


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_story_at_the_edge_of_the_calendar_builds_its_timeline(tmp_path, build_site, day):
    year = int(day[:4])
    text = (
        f"The harbour council of Saltmere met on {day}. The pier was built in {year}, and "
        f"its deck in the year {year}, the harbour master said."
    )
    site, digest = build_site(write_tree(tmp_path / "content", {"a.md": article("Bay", day, text)}))
    assert [e["date"] for e in digest["events"]] == [day]
    page = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert f'<time datetime="{day}">' in page


def digest_of_storylines(count: int) -> Digest:
    """`count` storylines, each of two events a week apart, each begun a day after the last."""
    events, lines = [], []
    for n in range(count):
        begun = date(2025, 1, 1) + timedelta(days=n)
        pair = [
            Event(f"e{n}-{k}", f"e{n}-{k}", f"Vote {n}", begun, "day", None, "", []) for k in (0, 1)
        ]
        pair[1].date = begun + timedelta(days=7)
        for event in pair:
            event.storyline = f"s{n}"
        events += pair
        lines.append(Storyline(f"s{n}", f"Harbour story number {n}", [e.id for e in pair]))
    return Digest(events, [], [], [], storylines=lines)


def timeline_pages(digest: Digest) -> dict[str, str]:
    """The timeline's pages as rendered: the main one and each storyline's, by path."""
    config = titled(Config(), digest)
    theme = Theme.read(ROOT / "templates", config.language)
    return {
        page.path: render(theme, page.path, page.template, page.made(), config).decode()
        for page in site_pages(digest, config)
        if page.template == "timeline.html"
    }


def storyline_links(page: str) -> list[str]:
    """The titles the page's storylines nav links to."""
    nav = re.search(r'<nav class="storylines" aria-label="Storylines">(.*?)</nav>', page, re.S)
    assert nav, "no storylines nav"
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(1))


def test_a_storylines_page_links_to_its_neighbours_however_many_storylines_there_are():
    """Each storyline's page linked to every storyline: at 10,000 real articles 1,010 links
    opened each of 1,010 pages, and timeline/ grew with the square of the storylines. Now it
    links to the main timeline and the storylines before and after it there; the main
    timeline lists them all, folded when they are many."""
    counts = {}
    for count in (3, 30):
        pages = timeline_pages(digest_of_storylines(count))
        titles = [f"Harbour story number {n}" for n in range(count)]
        main = pages.pop(urls.TIMELINE)
        assert storyline_links(main) == titles
        words = re.sub(r"<[^>]+>", "", main)  # each with its span and its events
        assert "Harbour story number 1 2 January 2025 to 9 January 2025 · 2 events" in words
        folded = re.search(r'aria-label="Storylines">\s*<details>', main)  # many: folded
        assert bool(folded) == (count == 30)
        assert len(pages) == count
        middle = pages[urls.storyline_page("s1")]
        assert storyline_links(middle) == ["All storylines", titles[0], titles[2]]
        last = pages[urls.storyline_page(f"s{count - 1}")]
        assert storyline_links(last) == ["All storylines", titles[count - 2]]
        counts[count] = {len(storyline_links(page)) for page in pages.values()}
    assert counts[3] == counts[30] == {2, 3}


def test_a_key_dates_sentence_is_what_its_event_did_not_another_story_of_that_day():
    """A roundup of many stories has several events a day. Each key date names its day's most
    important event and a sentence of what happened: on AllSides, the sentence came from any
    story of that day, the McAfee death under a link to the infrastructure talks."""
    from storyline.events.salience import key_dates
    from storyline.model import DayEvidence

    day = date(2021, 6, 23)
    talks = Event(
        "talks", "talks", "Senators brief Biden on the framework", day, "day", None, "", []
    )
    talks.importance = 5.0
    talks.evidence = [DayEvidence(day, "t1", True, 0, "Senators briefed Biden on the framework.")]
    death = Event("death", "death", "McAfee found dead", day, "day", None, "", [])
    death.importance = 1.0
    death.evidence = [
        DayEvidence(day, f"m{n}", True, 0, f"John McAfee was found dead in his cell, report {n}.")
        for n in range(3)
    ]
    [key] = key_dates([death, talks], [])
    assert key.event == "talks"
    assert key.sentence == "Senators briefed Biden on the framework."
    assert sorted(key.articles) == ["m0", "m1", "m2", "t1"]  # the day's evidence is all of it


@pytest.mark.parametrize("days", [9, 63, 700, 4000])
def test_the_time_axis_labels_are_apart_and_inside_it(tmp_path, build_site, browser, serve, days):
    """On a storyline of two months, "22 April 2021" ran into "29 April 2021" and the last
    label into the one before it. Seen in Chromium, at a phone's width and a desktop's."""
    first = date(2021, 4, 22)
    files = {
        f"{n}.md": article(
            "Bay Post",
            (first + timedelta(days=days * n // 5)).isoformat(),
            f"The harbour council of Saltmere met for session {n}. It voted on pier {n}.",
        )
        for n in range(6)
    }
    site, _ = build_site(write_tree(tmp_path / "content", files))
    base = serve(site)
    for width in (390, 1280):
        tab = browser.new_page(viewport={"width": width, "height": 900})
        tab.goto(base + "timeline/index.html")
        svg = tab.locator("figure.axis svg").bounding_box()
        boxes = [t.bounding_box() for t in tab.locator("figure.axis svg text").all()]
        tab.close()
        assert len(boxes) >= 2
        boxes.sort(key=lambda b: b["x"])
        for left, right in itertools.pairwise(boxes):
            assert left["x"] + left["width"] < right["x"], (days, width)
        assert boxes[0]["x"] >= svg["x"] - 0.5
        assert boxes[-1]["x"] + boxes[-1]["width"] <= svg["x"] + svg["width"] + 0.5
