"""timeline/timeline.json: TimelineJS data, checked against the format TimelineJS documents
(timeline.knightlab.com/docs/json-format.html), holding every entry of the timeline page."""

from __future__ import annotations

import calendar
import html
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import escape

from storyline.config import Config
from storyline.model import Event, Storyline
from storyline.render import date_formatter
from storyline.timeline_view import timeline_view
from storyline.timelinejs import timeline_document
from tests.conftest import ROOT
from tests.conftest import write_tree as write

# --- the format, as documented ---

TOP_LEVEL = {"events", "title", "eras", "scale"}
SLIDE = {
    "start_date",
    "end_date",
    "text",
    "media",
    "group",
    "display_date",
    "background",
    "autolink",
    "unique_id",
}
ERA = {"start_date", "end_date", "text"}
DATE_NUMBERS = {  # name -> (lowest, highest); None: any number
    "year": (None, None),
    "month": (1, 12),
    "day": (1, 31),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
    "millisecond": (None, None),
}
TEXT = {"headline", "text"}


def timelinejs_problems(data: object) -> list[str]:
    """What in `data` does not follow TimelineJS's documented JSON format: a JSON object of
    `events` (required, a list of slides), `title` (a slide that needs no start_date), `eras`
    (a list of eras: start_date and end_date required, text a headline) and `scale` (human or
    cosmological). Dates: `year` required, every field a number in its range, `display_date`
    text; text objects: `headline` and `text`, text."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the document is not a JSON object"]
    problems += [f"unknown property {key!r}" for key in data.keys() - TOP_LEVEL]
    if not isinstance(data.get("events"), list):
        problems.append("'events' is required and must be a list")
    if "scale" in data and data["scale"] not in ("human", "cosmological"):
        problems.append("'scale' must be human or cosmological")
    if "title" in data:
        problems += slide_problems(data["title"], "title", title=True)
    ids = []
    for number, slide in enumerate(data.get("events") or []):
        problems += slide_problems(slide, f"events[{number}]")
        if isinstance(slide, dict) and "unique_id" in slide:
            ids.append(slide["unique_id"])
    if len(ids) != len(set(ids)):
        problems.append("a unique_id is used by more than one slide")
    eras = data.get("eras", [])
    if not isinstance(eras, list):
        problems.append("'eras' must be a list")
        eras = []
    for number, era in enumerate(eras):
        where = f"eras[{number}]"
        if not isinstance(era, dict):
            problems.append(f"{where} is not an object")
            continue
        problems += [f"{where}: unknown property {key!r}" for key in era.keys() - ERA]
        for key in ("start_date", "end_date"):
            problems += date_problems(era.get(key), f"{where}.{key}")
        problems += span_problems(era, where)
        if "text" in era:
            problems += text_problems(era["text"], f"{where}.text")
            if isinstance(era["text"], dict) and "text" in era["text"]:
                problems.append(f"{where}.text: 'text' is not used for eras")
    return problems


def slide_problems(slide: object, where: str, title: bool = False) -> list[str]:
    if not isinstance(slide, dict):
        return [f"{where} is not an object"]
    problems = [f"{where}: unknown property {key!r}" for key in slide.keys() - SLIDE]
    if not title or "start_date" in slide:
        problems += date_problems(slide.get("start_date"), f"{where}.start_date")
    if "end_date" in slide:
        problems += date_problems(slide["end_date"], f"{where}.end_date")
        problems += span_problems(slide, where)
    if "text" in slide:
        problems += text_problems(slide["text"], f"{where}.text")
    for key in ("group", "display_date", "unique_id"):
        if key in slide and not isinstance(slide[key], str):
            problems.append(f"{where}.{key} must be text")
    if "autolink" in slide and not isinstance(slide["autolink"], bool):
        problems.append(f"{where}.autolink must be true or false")
    if "media" in slide and not (isinstance(slide["media"], dict) and "url" in slide["media"]):
        problems.append(f"{where}.media must be an object with a url")
    return problems


def date_problems(value: object, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where} is required and must be a date object"]
    problems = [
        f"{where}: unknown property {key!r}"
        for key in value.keys() - DATE_NUMBERS.keys() - {"display_date"}
    ]
    if "year" not in value:
        problems.append(f"{where}: 'year' is required")
    for key, (low, high) in DATE_NUMBERS.items():
        if key not in value:
            continue
        number = value[key]
        if not isinstance(number, int | float) or isinstance(number, bool):
            problems.append(f"{where}.{key} must be a number, not {number!r}")
        elif low is not None and not low <= number <= high:
            problems.append(f"{where}.{key} must be from {low} to {high}, not {number}")
    if "display_date" in value and not isinstance(value["display_date"], str):
        problems.append(f"{where}.display_date must be text")
    if "day" in value and "month" not in value:
        problems.append(f"{where}: a day needs its month")
    elif (
        not problems
        and "day" in value
        and value["day"] > calendar.monthrange(value["year"], value["month"])[1]
    ):
        problems.append(f"{where}: {value['month']} has no day {value['day']}")
    return problems


def text_problems(value: object, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where} must be a text object"]
    problems = [f"{where}: unknown property {key!r}" for key in value.keys() - TEXT]
    problems += [
        f"{where}.{key} must be text"
        for key in TEXT & value.keys()
        if not isinstance(value[key], str)
    ]
    return problems


def when(value: dict) -> tuple:
    return tuple(value.get(key, 0) for key in DATE_NUMBERS)


def span_problems(span: dict, where: str) -> list[str]:
    start, end = span.get("start_date"), span.get("end_date")
    comparable = isinstance(start, dict) and isinstance(end, dict)
    if comparable and not date_problems(start, "") + date_problems(end, ""):
        return [f"{where}: ends before it starts"] if when(end) < when(start) else []
    return []


def test_the_check_finds_what_the_documentation_forbids():
    good = {"events": [{"start_date": {"year": 2025, "month": 3, "day": 31}}]}
    assert timelinejs_problems(good) == []
    assert timelinejs_problems({"title": {"text": {"headline": "No events"}}}) == [
        "'events' is required and must be a list"
    ]
    bad_slides = [
        {"text": {"headline": "no date"}},
        {"start_date": {"year": "2025"}},
        {"start_date": {"year": 2025, "month": 13}},
        {"start_date": {"year": 2025, "day": 3}},
        {"start_date": {"year": 2025, "month": 2, "day": 30}},
        {"start_date": {"year": 2025, "month": 3}, "end_date": {"year": 2025, "month": 1}},
        {"start_date": {"year": 2025}, "text": {"headline": 7}, "group": ["a"]},
        {"start_date": {"year": 2025}, "start": "2025-03-31"},
    ]
    problems = timelinejs_problems(
        {"events": bad_slides, "eras": [{"start_date": {"year": 2025}}], "scale": "galactic"}
    )
    assert problems == [
        "'scale' must be human or cosmological",
        "events[0].start_date is required and must be a date object",
        "events[1].start_date.year must be a number, not '2025'",
        "events[2].start_date.month must be from 1 to 12, not 13",
        "events[3].start_date: a day needs its month",
        "events[4].start_date: 2 has no day 30",
        "events[5]: ends before it starts",
        "events[6].text.headline must be text",
        "events[6].group must be text",
        "events[7]: unknown property 'start'",
        "eras[0].end_date is required and must be a date object",
    ]


# --- the timeline page, as a reader sees it ---


class TimelinePage(HTMLParser):
    """The entries of the timeline page's full list (its `div.timeline`): the events' links,
    and each mentioned happening's date as shown and its words; and the key dates' targets."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []  # event page paths, from the site's root
        self.mentions: list[tuple[str, str]] = []  # (date as shown, the words)
        self.undated: list[str] = []
        self.key_targets: list[str] = []  # the entries the key dates link to (#anchor)
        self.anchors: dict[str, str] = {}  # entry anchor -> "event" or "mention"
        self._divs = 0  # how deep within the full list's <div>
        self._in_undated = self._in_keys = False
        self._kind = self._capture = None
        self._shown = ""
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and ("timeline" in classes or self._divs):
            self._divs += 1
        if tag == "section" and "undated-events" in classes:
            self._in_undated = True
        if tag == "section" and "key-dates" in classes:
            self._in_keys = True
        if tag == "a" and self._in_keys and attrs["href"].startswith("#"):
            self.key_targets.append(attrs["href"][1:])
        if tag == "li" and self._divs and ("event" in classes or "mention" in classes):
            self._kind = "event" if "event" in classes else "mention"
            self.anchors[attrs["id"]] = self._kind
        if tag == "a" and self._kind == "event" and self._capture is None:
            self.events.append(attrs["href"].removeprefix("../"))
            self._capture = "taken"
        if tag == "a" and self._in_undated:
            self.undated.append(attrs["href"].removeprefix("../"))
        if tag == "time" and self._kind == "mention" and self._capture is None:
            self._capture, self._text = "time", []

    def handle_data(self, data):
        if self._capture in ("time", "words"):
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            self._divs -= 1
        if tag == "section":
            self._in_undated = self._in_keys = False
        if tag == "time" and self._capture == "time":
            self._shown, self._capture, self._text = "".join(self._text), "words", []
        if tag == "p" and self._capture == "words":  # "<time>…</time>: the words</p>"
            self.mentions.append((self._shown, "".join(self._text).removeprefix(": ")))
            self._capture = "taken"
        if tag == "li" and self._kind is not None:
            self._kind = self._capture = None


def assert_valid_and_whole(site: Path, base: str = "") -> dict:
    """The site's TimelineJS data follows the documented format, and holds every event and
    mentioned happening of its timeline page, each linked to its event pages."""
    data = json.loads((site / "timeline" / "timeline.json").read_text(encoding="utf-8"))
    assert timelinejs_problems(data) == []
    page = TimelinePage()
    page.feed((site / "timeline" / "index.html").read_text(encoding="utf-8"))
    assert page.events, "the timeline page lists events"
    slides = data["events"]
    # an event's slide is headed by the link to its page; a mentioned happening's by its words
    headed = [re.findall(r'href="([^"]+)"', s["text"]["headline"]) for s in slides]
    assert sorted(found[0] for found in headed if found) == sorted(base + p for p in page.events)
    mentions = [
        (s["start_date"]["display_date"], html.unescape(s["text"]["text"]))
        for s, found in zip(slides, headed, strict=True)
        if not found
    ]
    assert len(mentions) == len(page.mentions)
    for shown, words in page.mentions:
        assert any(d == shown and f"<blockquote>{words}</blockquote>" in t for d, t in mentions)
    # every key date is an entry of the full list, so a slide, marked as a key date
    assert set(page.key_targets) <= set(page.anchors)
    marked = [s for s in slides if "key dates" in s["text"]["text"]]
    assert len(marked) == len(set(page.key_targets))
    links = [
        link
        for s in [*slides, data["title"]]
        for link in re.findall(r'href="([^"]+)"', s["text"]["headline"] + s["text"]["text"])
    ]
    for link in links:
        assert link.startswith(base) and (site / link.removeprefix(base)).is_file(), link
    for path in page.undated:  # TimelineJS needs a date: the page lists these apart
        assert base + path not in links
    return data


def test_the_sample_timeline_is_timelinejs_data_with_every_entry_of_the_page(build_site):
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    site, digest = build_site(ROOT / "content", config)
    data = assert_valid_and_whole(site)
    assert data["title"]["text"]["headline"] == digest["site"]["title"]
    stories = [s for s in digest["storylines"] if len(s["events"]) > 1]
    assert stories, "the sample has a storyline of several events"
    assert [era["text"]["headline"] for era in data["eras"]] == [s["title"] for s in stories]
    grouped = [s for s in data["events"] if s.get("group") == stories[0]["title"]]
    assert len([s for s in grouped if s["unique_id"].startswith("event-")]) == len(
        stories[0]["events"]
    )


def test_with_a_site_url_the_links_are_absolute_for_embedding_elsewhere(build_site):
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = config.replace('base_url: ""', 'base_url: "https://news.example.org/alder/"')
    assert "https://news.example.org/alder/" in config
    site, _ = build_site(ROOT / "content", config)
    data = assert_valid_and_whole(site, "https://news.example.org/alder/")
    assert "https://news.example.org/alder/timeline/index.html" in data["title"]["text"]["text"]


def test_text_from_the_articles_is_escaped_in_the_html_timelinejs_shows(tmp_path, build_site):
    payload = '<img src=x onerror="alert(1)">'
    body = f"The harbour board met on Tuesday in Portwick. {payload} Members voted.\n"
    content = write(
        tmp_path / "content",
        {"a.md": f"---\ntitle: Board {payload}\nsource: Bay Post\ndate: 2025-03-04\n---\n{body}"},
    )
    site, _ = build_site(content)
    text = (site / "timeline" / "timeline.json").read_text(encoding="utf-8")
    assert "<img" not in text and "&lt;img src=x onerror=" in text
    assert_valid_and_whole(site)


def test_the_seeds_timeline_is_timelinejs_data_with_every_entry_of_the_page(seeds, build_site):
    data = assert_valid_and_whole(build_site(seeds)[0])
    assert any(s["unique_id"].startswith("mention-") for s in data["events"])


def test_basils_timeline_is_timelinejs_data_with_every_entry_of_the_page(basil_site):
    data = assert_valid_and_whole(basil_site)
    assert len(data["events"]) > 50


def test_storyline_names_are_escaped_in_groups_and_eras():
    """TimelineJS shows a group's name and an era's headline as HTML, like the texts."""
    name = '<img src=x onerror="alert(1)"> and Jo Reed'
    story = Storyline("s1", name, ["a", "b"])
    events = [
        Event(slug, slug, slug.title(), day, "day", None, "A summary.", [], storyline="s1")
        for slug, day in (("first", date(2025, 3, 4)), ("second", date(2025, 3, 9)))
    ]
    formatted = date_formatter("en")
    view = timeline_view(events, [], [], {}, formatted)
    data = timeline_document(view, [story], Config(), formatted)
    assert timelinejs_problems(data) == []
    assert [s["group"] for s in data["events"]] == [str(escape(name))] * 2
    assert data["eras"] == [
        {
            "start_date": {"year": 2025, "month": 3, "day": 4},
            "end_date": {"year": 2025, "month": 3, "day": 9},
            "text": {"headline": str(escape(name))},
        }
    ]
    assert "<img" not in json.dumps(data)
