"""Article text and settings are untrusted, and digests are published on public websites:
markup, hostile links and template syntax put in every field that reaches a page are shown as
text on every page type, never run and never become a link, and the feeds and indexes beside
the pages stay well-formed and carry them as text.

One site is built (twice, so that an event URL moves and leaves a redirect page behind) and
every one of its HTML pages is opened once in Chromium over HTTP."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from storyline.pipeline import BuildOptions, build
from tests.conftest import ROOT, write_tree

RUN = "window.__xss=1,alert(1)"  # what every payload runs: a flag on the page, and a dialog
JINJA = "{{ 7*7 }} {% raw %}"  # a template engine that evaluated text would show 49
PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f"<svg onload={RUN}>",
    f"</textarea><img src=x onerror={RUN}>",
    f"</script><script>{RUN}</script>",  # out of a JSON or script block
    f"' autofocus onfocus='{RUN}' x='",  # out of an attribute in single quotes
    f'" onmouseover="{RUN}" autofocus onfocus="{RUN}" x="',  # and in double quotes
    JINJA,
]
HOSTILE = " ".join(PAYLOADS)
# A double quote would end the quotation, so the quote carries every other payload.
QUOTE = " ".join(p for p in PAYLOADS if '"' not in p) + " the pier will be rebuilt by summer"
HOSTILE_URLS = {  # article id -> its `url`: each would run script if it became a link
    "vote-md": "javascript:alert(1)",
    "vote-txt": "data:text/html,<script>alert(1)</script>",
    "link-1": "JaVaScRiPt:alert(1)",
    "link-2": "java\tscript:alert(1)",  # browsers drop the tab
    "link-3": "\x01javascript:alert(1)",  # and leading control characters
    "link-4": "vbscript:msgbox(1)",
}
WEB_URL = f"https://example.org/pier?{HOSTILE}"  # a real address: linked, its quotes escaped

SITE_TITLE = f"Harbour digest {HOSTILE}"
DESCRIPTION = f"Pier news {HOSTILE}"
LANGUAGE = f"en{HOSTILE}"
BASE_URL = f"https://example.org/{HOSTILE}/"
OUTLET = f"Bay Post {HOSTILE}"
ALIAS = f"BP {HOSTILE}"
HOMEPAGE = f"https://example.org/bay-post?{HOSTILE}"
LABEL = (f"lean {HOSTILE}", f"centre {HOSTILE}")
SOURCE = f"Harbour Radio {HOSTILE}"  # an outlet the settings do not describe
AUTHOR = f"Jo Writer {HOSTILE}"
TAG = f"harbourtag {HOSTILE}"
TITLES = {
    "vote-md": f"Council votes to rebuild the pier {HOSTILE}",
    "vote-txt": f"Council approves pier rebuild {HOSTILE}",
    "vote-jsonl": f"Pier vote {HOSTILE}",
    "vote-html": f"Pier inspection {HOSTILE}",
    "open": f"Ferry pier reopens {HOSTILE}",  # its event's title: the event's only headline
}
MARKDOWN_TEXT = f"The code {HOSTILE} and the words {JINJA} are shown as written."
PLAIN_TEXT = f"Divers found the old pilings sound {HOSTILE} under the north end of the pier."
HTML_TEXT = f"Inspectors walked the old pier on Monday and found {HOSTILE} in the pilings."
HTML_SOURCE = f"Saved Gazette {HOSTILE}"  # the site name a saved page gives
JSONL_TEXT = f"Listeners phoned the radio station {HOSTILE} to cheer the decision."

MARKDOWN_BODY = f"""PORT ALDER - The harbour council voted on Monday to rebuild the ferry pier after the winter storms, Mayor John Smith said.

{" ".join(PAYLOADS[:5])}

Read [the plan](javascript:alert(1)), [the map](JaVaScRiPt:alert(1)), [the data](data:text/html,<script>alert(1)</script>) and ![the drawing](javascript:alert(1)).

<a href="javascript:alert(1)">raw link</a> <a href="java&#x09;script:alert(1)">tab link</a> <a href="vbscript:msgbox(1)">vb link</a> <form action="javascript:alert(1)"><button formaction="javascript:alert(1)">Go</button></form> <iframe src="data:text/html,<script>alert(1)</script>"></iframe> <object data="javascript:alert(1)"></object> <math><a xlink:href="javascript:alert(1)">math link</a></math>

The code `{HOSTILE}` and the words {JINJA} are shown as written.
"""
PLAIN_BODY = f"""{PLAIN_TEXT}

"{QUOTE}," said Mayor John Smith.
"""
SAVED_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(TITLES["vote-html"])}</title>
<meta property="og:site_name" content="{html.escape(HTML_SOURCE)}">
<link rel="canonical" href="javascript:alert(1)">
</head><body><article>
<h1>{html.escape(TITLES["vote-html"])}</h1>
<p>{html.escape(HTML_TEXT)}</p>
<p>The inspection report goes to the harbour council next week, the inspectors said.</p>
<script>{RUN}</script>
</article></body></html>
"""
VOTE = "The ferry pier vote in Port Alder drew a crowd to the harbour hall on Monday."
LATE = (
    "Crews finished painting the rebuilt ferry pier of Port Alder this week, Mayor John Smith said."
)
OPENING = "The rebuilt ferry pier of Port Alder reopened on Saturday, months after the harbour council voted to rebuild it."


@dataclass(frozen=True)
class Field:
    """A value that reaches the site, and the page types that must show it as written: in
    their text, or in an attribute (a link, the page's language). With neither, it must reach
    no page at all, so that a template that starts to show it fails here until it is added."""

    value: str
    text_on: tuple[str, ...] = ()
    attribute_on: tuple[str, ...] = ()


KINDS = (
    "front",
    "search",
    "timeline",
    "storyline",
    "sources",
    "outlet",
    "tags",
    "tag",
    "not found",
    "event",
    "compare",
    "redirect",
)
WITH_CHART = ("front", "timeline")
WITH_EVENT_CARDS = ("front", "timeline", "storyline")
FIELDS = {
    "site title": Field(SITE_TITLE, text_on=KINDS),
    "site description": Field(DESCRIPTION, text_on=("front",)),
    "site language": Field(LANGUAGE, attribute_on=KINDS),
    "site base_url": Field(BASE_URL, attribute_on=KINDS),  # canonical links
    "outlet name": Field(
        OUTLET,
        text_on=(*WITH_CHART, *WITH_EVENT_CARDS, "sources", "outlet", "event", "compare"),
    ),
    "outlet alias": Field(ALIAS, text_on=("compare",)),
    "outlet homepage": Field(HOMEPAGE, attribute_on=("compare", "outlet")),
    "outlet label name": Field(LABEL[0], text_on=("compare", "outlet")),
    "outlet label value": Field(LABEL[1], text_on=("compare", "outlet")),
    "title (Markdown front matter)": Field(
        TITLES["vote-md"], text_on=("outlet", "event", "compare")
    ),
    "title (sidecar of plain text)": Field(
        TITLES["vote-txt"], text_on=("outlet", "event", "compare")
    ),
    "title (JSON Lines)": Field(TITLES["vote-jsonl"], text_on=("outlet", "event", "compare")),
    "title of an event": Field(
        TITLES["open"],
        text_on=(*WITH_EVENT_CARDS, "search", "outlet", "event", "compare", "redirect"),
    ),
    "title (saved HTML page)": Field(TITLES["vote-html"], text_on=("outlet", "event", "compare")),
    "source (saved HTML page)": Field(
        HTML_SOURCE, text_on=("sources", "outlet", "event", "compare")
    ),
    "source": Field(
        SOURCE,
        text_on=(*WITH_CHART, *WITH_EVENT_CARDS, "search", "sources", "outlet", "event", "compare"),
    ),
    "author": Field(AUTHOR),
    "tags": Field(TAG, text_on=("front", "tags", "tag", "outlet")),
    "url (http)": Field(WEB_URL, attribute_on=("event", "outlet")),
    **{f"url ({url!r})": Field(url) for url in HOSTILE_URLS.values()},
    "body (Markdown)": Field(MARKDOWN_TEXT, text_on=("event",)),
    "body (Markdown links to other schemes)": Field(  # their words stay, the links go
        "Read the plan, the map, the data and", text_on=("event",)
    ),
    "body (plain text)": Field(PLAIN_TEXT, text_on=("event",)),
    "body (JSON Lines text)": Field(JSONL_TEXT, text_on=("event",)),
    "body (saved HTML page)": Field(HTML_TEXT, text_on=("event",)),
    "quote": Field(f"“{QUOTE}”", text_on=("compare",)),
    "quote in search results": Field(QUOTE, text_on=("search",)),
}


def front_matter(**meta) -> str:
    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()) + "---\n"


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def content(late_article_event: str) -> dict[str, str]:
    return {
        "vote-md.md": front_matter(
            title=TITLES["vote-md"],
            source=ALIAS,
            author=AUTHOR,
            url=HOSTILE_URLS["vote-md"],
            tags=[TAG],
            date="2025-02-03",
            event="vote",
        )
        + MARKDOWN_BODY,
        "vote-txt.txt": PLAIN_BODY,
        "vote-txt.yaml": "".join(
            f"{k}: {json.dumps(v)}\n"
            for k, v in {
                "title": TITLES["vote-txt"],
                "source": "Valley Wire",
                "date": "2025-02-03",
                "event": "vote",
                "url": HOSTILE_URLS["vote-txt"],
            }.items()
        ),
        "vote-html.html": SAVED_PAGE,
        "vote-html.yaml": "date: 2025-02-03\nevent: vote\n",
        "wire.jsonl": jsonl(
            {
                "id": "vote-jsonl",
                "title": TITLES["vote-jsonl"],
                "source": SOURCE,
                "published": "2025-02-04",
                "event": "vote",
                "url": WEB_URL,
                "text": f"{VOTE}\n\n{JSONL_TEXT}",
            },
            *(
                {
                    "id": article_id,
                    "source": SOURCE,
                    "published": "2025-02-04",
                    "event": "vote",
                    "url": url,
                    "text": VOTE,
                }
                for article_id, url in HOSTILE_URLS.items()
                if article_id.startswith("link-")
            ),
            {
                "id": "open",
                "title": TITLES["open"],
                "source": OUTLET,
                "published": "2025-05-10",
                "event": "open",
                "text": f"{OPENING} Mayor John Smith cut the ribbon.",
            },
            {
                "id": "late",
                "source": "Valley Wire",
                "published": "2025-05-20",
                "event": late_article_event,
                "text": LATE,
            },
        ),
    }


def config() -> str:
    site = {"title": SITE_TITLE, "description": DESCRIPTION, "language": LANGUAGE}
    return (
        "site:\n"
        + "".join(f"  {k}: {json.dumps(v)}\n" for k, v in site.items())
        + f"  base_url: {json.dumps(BASE_URL)}\n"
        + "outlets:\n"
        + f"  - name: {json.dumps(OUTLET)}\n"
        + f"    aliases: [{json.dumps(ALIAS)}]\n"
        + f"    homepage: {json.dumps(HOMEPAGE)}\n"
        + f"    labels: {{{json.dumps(LABEL[0])}: {json.dumps(LABEL[1])}}}\n"
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, dict]:
    """The site, built a second time after a late article moved from an event of its own
    into the reopening's: its old URL now redirects."""
    base = tmp_path_factory.mktemp("hostile")
    (base / "config.yaml").write_text(config(), encoding="utf-8")
    site = base / "site"
    for late_article_event in ("late", "open"):
        write_tree(base / "content", content(late_article_event))
        build(
            BuildOptions(
                config=base / "config.yaml",
                content=base / "content",
                output=site,
                templates=ROOT / "templates",
            )
        )
    return site, json.loads((site / "digest.json").read_text(encoding="utf-8"))


def kind_of(path: str, redirects: dict[str, str]) -> str:
    """The page type of a page of the site, by its path; a page of no known type fails the
    test, which must then learn the type."""
    parts = path.split("/")
    fixed = {
        "index.html": "front",
        "search/index.html": "search",
        "timeline/index.html": "timeline",
        "sources/index.html": "sources",
        "tags/index.html": "tags",
        "404.html": "not found",
    }
    if path in fixed:
        return fixed[path]
    if parts[0] == "timeline" and len(parts) == 3:
        return "storyline"
    if parts[0] in ("sources", "tags") and len(parts) == 3:
        return "outlet" if parts[0] == "sources" else "tag"
    if parts[0] == "events" and parts[2:] in (["index.html"], ["compare", "index.html"]):
        if parts[1] in redirects:
            return "redirect"
        return "compare" if parts[2] == "compare" else "event"
    raise AssertionError(f"{path}: a page of a type this test does not know")


# Everything on the page that a payload could have become: what runs, what links out.
INSPECT = """() => {
  const problems = [];
  const web = (value, where) => {
    let protocol;
    try { protocol = new URL(value, document.baseURI).protocol; } catch { protocol = "?"; }
    if (protocol !== "http:" && protocol !== "https:") problems.push(`${where} ${value}`);
  };
  const LINKS = new Set(["href", "xlink:href", "src", "action", "formaction", "poster",
                         "cite", "background", "data", "ping", "srcset"]);
  const attributes = [];
  for (const element of document.querySelectorAll("*")) {
    for (const {name, value} of element.attributes) {
      attributes.push(value);
      if (name.startsWith("on")) problems.push(`<${element.localName}> has handler ${name}`);
      if (name === "srcset") value.split(",").forEach(s => web(s.trim().split(/\\s+/)[0], "srcset"));
      else if (LINKS.has(name)) web(value, `<${element.localName} ${name}>`);
    }
  }
  for (const meta of document.querySelectorAll('meta[http-equiv="refresh" i]'))
    web(meta.content.replace(/^[^;]*;\\s*url=/i, ""), "<meta refresh>");
  for (const script of document.scripts)
    if (!script.src.endsWith("/static/search.js")) problems.push(`script: ${script.outerHTML}`);
  if (window.__xss !== undefined) problems.push("a payload ran");
  return {problems, attributes, text: document.title + " " + document.body.textContent};
}"""


@dataclass(frozen=True)
class Visit:
    kind: str
    text: str  # the page's title and body text, white space collapsed
    attributes: list[str]
    problems: list[str]  # dialogs, script that ran or could run, links to other schemes


@pytest.fixture(scope="module")
def visits(hostile_site, browser, serve) -> dict[str, Visit]:
    """Every HTML page of the site opened in one browser page; the search page with a query,
    so that its results show what the search index holds."""
    site, digest = hostile_site
    base = serve(site)
    slugs = {e["id"]: e["slug"] for e in digest["events"]}
    page = browser.new_page()
    now = {"path": "", "url": ""}
    problems: dict[str, list[str]] = {}
    moved: dict[str, list[str]] = {}  # navigations the page started by itself

    def on_dialog(dialog) -> None:
        problems[now["path"]].append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def same_site_only(route) -> None:
        request = route.request
        if not request.url.startswith(base):
            route.abort()  # no network here; the 404 page links to the base_url's host
        elif request.is_navigation_request() and request.url != now["url"]:
            route.fulfill(status=204)  # keeps the page open, as a redirect page would leave it
        else:
            route.continue_()

    def on_request(request) -> None:
        if request.is_navigation_request() and request.url != now["url"]:
            moved[now["path"]].append(request.url)

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.route("**/*", same_site_only)
    visits = {}
    for path in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        kind = kind_of(path, digest["redirects"])
        now["path"], now["url"] = path, base + path + ("?q=pier" if kind == "search" else "")
        problems[path], moved[path] = [], []
        if kind == "redirect":
            with page.expect_request(
                lambda r: r.url != now["url"] and r.is_navigation_request(), timeout=5000
            ):
                page.goto(now["url"])
            slug = path.split("/")[1]
            target = base + path.replace(slug, slugs[digest["redirects"][slug]])
            if moved[path] != [target]:
                problems[path].append(f"refreshes to {moved[path]}, not {target}")
        else:
            page.goto(now["url"])
            problems[path] += [f"navigates to {url}" for url in moved[path]]
        if kind == "search":
            page.wait_for_selector("#search-results li")
        found = page.evaluate(INSPECT)
        text = " ".join(found["text"].split())
        visits[path] = Visit(kind, text, found["attributes"], problems[path] + found["problems"])
    page.close()
    return visits


def test_every_page_of_every_type_is_opened(hostile_site, visits):
    site, _ = hostile_site
    assert set(visits) == {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert sorted({v.kind for v in visits.values()}) == sorted(KINDS)


def test_no_payload_runs_or_becomes_a_link_on_any_page(visits):
    problems = [f"{path}: {problem}" for path, v in visits.items() for problem in v.problems]
    assert not problems, "\n".join(problems)


def test_every_field_is_shown_as_written_where_it_belongs(visits):
    missing = []
    for name, field in FIELDS.items():
        value = " ".join(field.value.split())
        for kind in field.text_on:
            if not any(value in v.text for v in visits.values() if v.kind == kind):
                missing.append(f"{name}: not in the text of any {kind} page")
        for kind in field.attribute_on:
            if not any(
                field.value in a for v in visits.values() if v.kind == kind for a in v.attributes
            ):
                missing.append(f"{name}: in no attribute of any {kind} page")
        if not field.text_on and not field.attribute_on:
            shown = [
                path
                for path, v in visits.items()
                if value in v.text or any(field.value in a for a in v.attributes)
            ]
            if shown:
                missing.append(f"{name}: meant for no page, yet on {shown}")
    assert not missing, "\n".join(missing)


def test_article_urls_that_are_no_web_address_are_left_out_with_a_warning(hostile_site):
    _, digest = hostile_site
    articles = {a["id"]: a for a in digest["articles"]}
    for article_id in HOSTILE_URLS:
        article = articles[article_id]
        assert article["url"] is None, article_id
        assert any("not a web address" in w for w in article["warnings"]), article_id
    assert articles["vote-jsonl"]["url"] == WEB_URL
    assert articles["vote-md"]["author"] == AUTHOR


def test_feeds_sitemap_and_indexes_are_well_formed_and_carry_payloads_as_text(hostile_site):
    site, digest = hostile_site
    atom_ns = "{http://www.w3.org/2005/Atom}"
    atom = ET.parse(site / "feed.xml").getroot()
    links = [link.get("href") for link in atom.iter(f"{atom_ns}link")]
    assert links and all(link.startswith(BASE_URL) for link in links)
    assert atom.findtext(f"{atom_ns}title") == SITE_TITLE
    assert atom.findtext(f"{atom_ns}subtitle") == DESCRIPTION
    titles = [entry.find(f"{atom_ns}title") for entry in atom.iter(f"{atom_ns}entry")]
    # a text construct without type="html" is shown as text by every feed reader
    assert all(title.get("type") in (None, "text") for title in titles)
    assert TITLES["open"] in [title.text for title in titles]

    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert feed["title"] == SITE_TITLE and feed["description"] == DESCRIPTION
    assert feed["home_page_url"] == BASE_URL and feed["feed_url"].startswith(BASE_URL)
    assert all(item["url"].startswith(BASE_URL) for item in feed["items"])
    assert not any("content_html" in item for item in feed["items"])  # readers render it as HTML
    assert TITLES["open"] in [item["title"] for item in feed["items"]]

    # TimelineJS shows headlines and texts as HTML: only the tags and links written for it
    timeline = json.loads((site / "timeline" / "timeline.json").read_text(encoding="utf-8"))
    shown = [s["text"][k] for s in timeline["events"] for k in ("headline", "text")]
    shown += [s.get("group", "") for s in timeline["events"]]
    shown += [era["text"]["headline"] for era in timeline.get("eras", [])]
    assert {tag.lower() for tag in re.findall(r"</?\s*(\w+)", "".join(shown))} <= {
        "a",
        "p",
        "blockquote",
    }
    hrefs = re.findall(r"href=\"([^\"]*)\"", "".join(shown))
    assert hrefs and all(html.unescape(href).startswith(BASE_URL) for href in hrefs)
    assert TITLES["open"] in html.unescape("".join(shown))

    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(BASE_URL) for loc in locs)

    index = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    assert all(urlsplit(entry["url"]).scheme == "" for entry in index)  # pages of the site
    quotes = [(e["title"], e["text"]) for e in index if e["kind"] == "quote"]
    assert quotes == [("John Smith", QUOTE)]
    assert TITLES["open"] in [entry["title"] for entry in index]

    assert digest["site"]["title"] == SITE_TITLE
    assert TITLES["open"] in [event["title"] for event in digest["events"]]
