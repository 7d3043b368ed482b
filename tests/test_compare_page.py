"""The comparison page of a large event, as a reader sees it in a real browser: 10 outlets and
200 quotes stay readable, with a table of contents and folded sections."""

from __future__ import annotations

import json
from itertools import product

import pytest

from tests.conftest import write_tree

# Healey's words that 004 gives to "she", kept as a fingerprint of the seeds' text (first two
# words, length, hash; see evaluation/findings.py) and found again in ../shared at run time
HEALEY_TO_PUTIN = {"starts": "president putin,", "chars": 39, "sha1": "ae50caf79c35"}

OUTLETS = [
    "Harbor Ledger", "Valley Wire", "Northcoast Radio", "Civic Post", "Daily Meridian",
    "Evening Courier", "Metro Dispatch", "Coastal Herald", "Plains Tribune", "Summit News",
]  # fmt: skip
SPEAKERS = [
    "Mayor Ilse Norrgard", "Engineer Tomas Vell", "Councillor Dario Pell", "Chief Noor Hadd",
    "Director Lucia Ferr", "Governor Anton Brisk", "Senator Maren Olt", "Judge Ravi Sund",
    "Professor Ada Lune", "Inspector Kemal Ost",
]  # fmt: skip
QUOTES_PER_OUTLET = 20


def made_up_words():
    """Words of no language, each used once, so every quote is a statement of its own."""
    syllables = "ka lo mi ne ru sa ti vo be da fe gu".split()
    for a, b, c in product(syllables, repeat=3):
        yield a + b + c


@pytest.fixture(scope="module")
def large_event(tmp_path_factory):
    from storyline.pipeline import BuildOptions, build
    from tests.conftest import ROOT

    base = tmp_path_factory.mktemp("large")
    words = made_up_words()
    lead = (
        "PORT ALDER - The harbour council voted on Tuesday to rebuild the storm-damaged ferry "
        "pier after a long public hearing. "
        + " ".join(
            f"{title} {first} {last} spoke at the hearing."
            for title, first, last in (s.split() for s in SPEAKERS)
        )
    )
    records = []
    for n, outlet in enumerate(OUTLETS):
        paragraphs = [lead, "Work on the ferry pier will begin in April and take eleven weeks."]
        for q in range(QUOTES_PER_OUTLET):
            statement = " ".join(next(words) for _ in range(8)).capitalize()
            speaker = SPEAKERS[(n + q) % len(SPEAKERS)].split()[-1]
            paragraphs.append(f"“{statement},” {speaker} said.")
        records.append(
            {
                "id": f"pier-{n}",
                "title": f"Harbour council votes to rebuild the ferry pier ({outlet})",
                "text": "\n\n".join(paragraphs),
                "source": outlet,
                "published": f"2025-04-0{1 + n % 2}T{8 + n}:00:00Z",
                "event": "pier",
            }
        )
    content = base / "content"
    content.mkdir()
    (content / "pier.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    (base / "config.yaml").write_text("", encoding="utf-8")
    result = build(
        BuildOptions(
            config=base / "config.yaml",
            content=content,
            output=base / "site",
            templates=ROOT / "templates",
        )
    )
    [event] = json.loads((base / "site" / "digest.json").read_text(encoding="utf-8"))["events"]
    assert result.digest and len(result.digest.events) == 1
    return base / "site", event


def test_the_event_has_ten_outlets_and_two_hundred_quotes(large_event):
    _, event = large_event
    assert len(event["sources"]) == 10
    assert len(event["quotes"]) >= 200


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_large_comparison_page_stays_readable(browser, serve, large_event, width, height):
    site, event = large_event
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(serve(site) + f"events/{event['slug']}/compare/index.html")

    # A table of contents whose every entry leads somewhere on the page.
    targets = page.eval_on_selector_all(
        "nav.toc a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert {"#coverage", "#facts", "#quotes", "#provenance"} <= set(targets)
    missing = [t for t in targets if page.locator(t).count() != 1]
    assert missing == []

    # The quotes are folded into one group per speaker: a screenful of summaries.
    groups = page.locator("#quotes ~ details.speaker")
    assert groups.count() == len(SPEAKERS)
    assert page.locator("details.speaker[open]").count() == 0
    assert page.locator("details.speaker blockquote").first.is_visible() is False
    page_height = page.evaluate("document.documentElement.scrollHeight")
    assert page_height < 15 * height, f"the page is {page_height / height:.0f} screens long"

    # The contents link takes the reader to the quotes.
    page.click("nav.toc a[href='#quotes']")
    top = page.evaluate("document.getElementById('quotes').getBoundingClientRect().top")
    assert -1 <= top < height / 2  # at the top of the screen, give or take a subpixel

    # Opening a group shows its quotes.
    groups.first.locator("summary").click()
    assert groups.first.locator("blockquote").first.is_visible()

    # Ten outlet columns scroll inside their table, not the page.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.close()


# --- every article named alike: its outlet, its web domain, else a letter and its headline ---


def test_an_article_without_an_outlet_is_named_by_its_domain_or_a_letter_and_its_headline():
    from storyline.model import Article, count_outlets, outlet_labels

    def item(id_, source=None, url=None, title=None, text="Ministers met in Paris on Wednesday."):
        return Article(id_, f"{id_}.txt", text, "text", title, source, url=url, paragraphs=[text])

    articles = [
        item("1", source="TROIB News", title="Europe's leading military nations"),
        item("2", url="https://www.harbour-ledger.example/news/1", title="Pier vote"),
        item("3"),
        item("4", title="Europe Unites for Enhanced Ukrainian Security"),
        item("5", url="javascript:alert(1)", title="Short"),
        item("6", url="https://harbour-ledger.example/news/2"),
    ]
    assert outlet_labels(articles) == {
        "1": "TROIB News",
        "2": "harbour-ledger.example",
        "3": "A · Ministers met in…",
        "4": "B · Europe Unites for…",
        "5": "C · Short",
        "6": "harbour-ledger.example",
    }
    # one domain is one outlet; each article of no outlet and no domain is one of its own
    assert count_outlets(articles) == 5


def test_a_fact_worded_differently_in_two_places_is_one_row_of_word_choices(tmp_path, build_site):
    from tests.conftest import write_tree

    def story(source: str, talks: str, pay: str) -> str:
        return (
            f"---\ntitle: Harbour pay talks\nsource: {source}\ndate: 2025-05-05\n---\n"
            f"Ministers held {talks} with the union about the harbour {pay} offer on Monday.\n"
        )

    content = write_tree(
        tmp_path / "content",
        {
            "a.md": story("Ledger", "talks", "pay"),
            "b.md": story("Wire", "negotiations", "wage"),
        },
    )
    site, digest = build_site(content)
    [event] = digest["events"]
    assert len(event["wordings"]) == 2  # two places in one fact
    page = (site / "events" / event["slug"] / "compare" / "index.html").read_text("utf-8")
    table = page[page.index('<table class="wording">') :]
    table = table[: table.index("</table>")]
    assert table.count("Ministers held") == 1  # the fact once, with both choices
    assert "“negotiations” in Wire" in table and "“wage” in Wire" in table


def test_the_words_a_rewrite_swapped_are_no_word_choices(tmp_path, build_site):
    # a rewrite's synonyms are the rewrite's, shown under provenance; the words an outlet
    # chose of its own are its choice
    from tests.test_compare import BAKERY, PIER

    swapped = (
        "The harbour board chose on Tuesday to rebuild the storm-damaged ferry jetty.",
        "Engineers said the oak posts had decayed after decades in sea water.",
        "Work will start in April and should need eleven weeks to finish.",
        "Ferry travellers will use a temporary floating platform until then.",
    )
    own = "The harbour council agreed on Tuesday to rebuild the storm-damaged ferry pier."
    records = [
        {"id": "orig", "source": "Ledger", "text": "\n\n".join(PIER), "day": 3},
        {"id": "copy", "source": "Wire", "text": "\n\n".join(swapped), "day": 4},
        {"id": "other", "source": "Radio", "text": "\n\n".join((own, *BAKERY[:2])), "day": 4},
    ]
    lines = [
        json.dumps(
            {
                "id": r["id"],
                "title": f"Pier to be rebuilt ({r['source']})",
                "text": r["text"],
                "source": r["source"],
                "published": f"2025-05-0{r['day']}T09:00:00Z",
                "event": "pier",
            }
        )
        for r in records
    ]
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "pier.jsonl").write_text("\n".join(lines), encoding="utf-8")
    site, digest = build_site(tmp_path / "content")
    [event] = digest["events"]
    assert [(r["article"], r["of"]) for r in event["rewrites"]] == [("copy", "orig")]
    page = (site / "events" / event["slug"] / "compare" / "index.html").read_text("utf-8")
    choices = page[page.index('id="wording"') : page.index('id="discrepancies"')]
    assert "“agreed” in Radio" in choices and "“voted” in Ledger" in choices
    assert "Wire" not in choices  # no "posts", "decayed", "travellers" of the rewrite


# --- the Paris seed event, as a reader sees its comparison page in Chromium ---

PARIS_ARTICLE = "003_16c70d1c3d3a4da9"
SCREEN = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CLOSE_ALL = "document.querySelectorAll('details').forEach(d => d.open = false)"
OPEN_ALL = "document.querySelectorAll('details').forEach(d => d.open = true)"
# Words a line breaks inside, in any table cell: a line may break after a hyphen, a dash or a
# slash, never within the letters or digits of a word ("Publis hed", "105 8"). A word starts
# and ends with a letter or digit: a line may end on the quotation mark that opens '"[W]e'.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.getClientRects().length) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const match of node.data.matchAll(/[\\p{L}\\p{N}][^\\s\\-–—\\/]*[\\p{L}\\p{N}]/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                          .map(r => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def seed_site(seeds, serve, tmp_path_factory):
    """The five seed articles built with no settings, served; the Paris event's pages."""
    from storyline.pipeline import BuildOptions, build
    from tests.conftest import ROOT

    base = tmp_path_factory.mktemp("seeds")
    (base / "config.yaml").write_text("", encoding="utf-8")
    site = base / "site"
    build(BuildOptions(base / "config.yaml", seeds, site, templates=ROOT / "templates"))
    digest = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    paris = next(e for e in digest["events"] if PARIS_ARTICLE in e["articles"])
    return site, serve(site), digest, paris


def compare_page(browser, seed_site, viewport):
    _, base, _, paris = seed_site
    page = browser.new_page(viewport=viewport)
    page.goto(base + f"events/{paris['slug']}/compare/index.html")
    return page


def test_what_differs_comes_first_in_the_outlets_words_each_item_linking_to_its_detail(
    browser, seed_site, said
):
    paris = seed_site[3]
    page = compare_page(browser, seed_site, SCREEN)
    assert page.locator("main h2").first.inner_text() == "What differs"
    summary = page.locator("section.differs")
    text = " ".join(summary.inner_text().split())
    # the discrepancy in each outlet's own words, the "she said" conflict, 004's own detail,
    # the rewrite of 002 by 001 (TROIB News), named as every table and note names them
    assert "“around fifteen nations” in B · Europe Unites for…" in text
    assert "“at least 15 other countries” in C ·" in text
    assert "writes “she said” of John Healey" in text
    assert "intelligence sharing, cybersecurity cooperation" in text
    assert "TROIB News follows A ·" in text
    # an outlet's own details: how many, then the most specific, never "…said. and more"
    fourth = only_in(paris, "004_82346c73717dd168")
    assert f"Only in C · European leaders have… ({fourth} details), the most specific: “" in text
    assert " and more" not in text
    assert "Unknown outlet" not in page.content() and "unknown outlet" not in page.content()
    assert "_c6431a5fbb2485a6" not in page.locator("main").inner_text()  # no file ids
    # each item links to its detail, which is on the page
    for item in summary.locator("li").all():
        target = item.locator("a").first.get_attribute("href")
        assert target.startswith("#") and page.locator(target).count() == 1, target
    # following a link to a quote folded in its speaker's group opens the group
    page.click("section.differs a:has-text('Quote to check')")
    conflict = page.locator("section.quote", has_text=said(HEALEY_TO_PUTIN))
    assert conflict.locator("blockquote").is_visible()
    # folded, the page is at most four screens tall
    page.evaluate(CLOSE_ALL)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 4 * SCREEN["height"], f"{height / SCREEN['height']:.1f} screens"
    page.close()


def only_in(paris: dict, article_id: str) -> int:
    """How many of the event's facts the article alone reports (with its copies, if any)."""
    return sum(f["unique"] and article_id in f["articles"] for f in paris["facts"])


def test_each_article_has_a_card_side_by_side_that_wraps_on_a_phone(browser, seed_site):
    _, _, digest, paris = seed_site
    fourth = next(a for a in digest["articles"] if a["id"] == "004_82346c73717dd168")
    tops = {}
    for name, viewport in (("desktop", SCREEN), ("phone", PHONE)):
        page = compare_page(browser, seed_site, viewport)
        cards = page.locator(".side-by-side article")
        assert cards.count() == len(paris["articles"])
        tops[name] = [round(box["y"]) for box in (c.bounding_box() for c in cards.all())]
        text = cards.nth(3).inner_text()
        assert f"{fourth['words_clean']} words" in text
        assert f"{only_in(paris, fourth['id'])} details only here" in text
        assert "also intelligence" in text  # its most specific own detail first
        page.close()
    assert len(set(tops["desktop"])) == 1  # one row
    assert len(set(tops["phone"])) == len(paris["articles"])  # one above the other


def test_the_blindspot_line_names_the_storylines_outlets_that_missed_the_event(seed_site):
    site, _, digest, paris = seed_site
    for path in ("index.html", "compare/index.html"):
        page = (site / "events" / paris["slug"] / path).read_text(encoding="utf-8")
        line = page[page.index('<p class="blindspot">') :]
        line = line[: line.index("</p>")]
        assert "reported by TROIB News, A · " in line
        assert "not by Anadolu Agency, which reports other events of this storyline" in line
    berlin = next(e for e in digest["events"] if e is not paris)
    page = (site / "events" / berlin["slug"] / "index.html").read_text(encoding="utf-8")
    assert "reported by Anadolu Agency; not by TROIB News" in page


def test_a_blindspot_line_shows_on_every_event_of_a_storyline_of_several_outlets_only(
    tmp_path, build_site
):
    """Each event of a storyline two or more outlets report names those that missed it (or
    says none did), on its page and its comparison page alike; an event of a storyline one
    outlet alone reports has none: there is no other outlet to miss it."""
    from tests.test_events import PIER_STORY, SCHOOL_STORY

    def story(name: str, outlet: str | None, day: str, text: str) -> tuple[str, str]:
        source = f"source: {outlet}\n" if outlet else ""
        return f"{name}.md", f"---\ntitle: {name} news\n{source}date: {day}\n---\n{text}\n"

    files = dict(
        [
            story("pier-ledger", "Saltmere Ledger", "2025-01-03", PIER_STORY[0]),
            story("pier-gazette", "Harbour Gazette", "2025-01-03", PIER_STORY[0]),
            story("pier-pasted", None, "2025-01-03", PIER_STORY[0]),
            story("works-ledger", "Saltmere Ledger", "2025-02-03", PIER_STORY[1]),
            story("opening-gazette", "Harbour Gazette", "2025-03-03", PIER_STORY[2]),
            *(
                story(f"school{n}", "Saltmere Ledger", f"2025-0{n + 4}-10", text)
                for n, text in enumerate(SCHOOL_STORY)
            ),
        ]
    )
    site, digest = build_site(write_tree(tmp_path / "content", files))
    event_of = {a: e for e in digest["events"] for a in e["articles"]}
    lines = {}
    for event in digest["events"]:
        found = []
        for path in ("index.html", "compare/index.html"):
            page = (site / "events" / event["slug"] / path).read_text(encoding="utf-8")
            found.append(
                [part.split("</p>")[0] for part in page.split('<p class="blindspot">')[1:]]
            )
        assert found[0] == found[1], event["slug"]  # the same on both pages
        lines[event["id"]] = found[0]
    pier_events = [event_of[n] for n in ("pier-ledger", "works-ledger", "opening-gazette")]
    assert len({e["storyline"] for e in pier_events}) == 1
    first, works, opening = (lines[e["id"]] for e in pier_events)
    assert first == [
        "<strong>Blindspot:</strong> reported by Harbour Gazette, Saltmere Ledger, A · pier-pasted"
        " news; every outlet of this storyline reported it."
    ]
    assert "not by Harbour Gazette, which reports other events" in works[0]
    assert "not by Saltmere Ledger, which reports other events" in opening[0]
    # the school's events that are no part of the pier's story: a storyline of one outlet
    pier = event_of["pier-ledger"]["storyline"]
    schools = [e for e in digest["events"] if e["articles"][0].startswith("school")]
    ledger_only = [e for e in schools if e["storyline"] != pier]
    assert len(ledger_only) >= 2 and len({e["storyline"] for e in ledger_only}) == 1
    assert all(lines[e["id"]] == [] for e in ledger_only)


def test_the_facts_are_the_shared_core_then_each_outlets_own_folded_and_not_bold(
    browser, seed_site
):
    _, _, _, paris = seed_site
    page = compare_page(browser, seed_site, SCREEN)
    shared = sum(not f["unique"] for f in paris["facts"])
    summaries = page.locator("#facts ~ details > summary").all_inner_texts()
    assert summaries[:3] == [
        f"The shared core ({shared} facts)",
        f"Only in B · Europe Unites for… ({only_in(paris, '003_16c70d1c3d3a4da9')})",
        f"Only in C · European leaders have… ({only_in(paris, '004_82346c73717dd168')})",
    ]
    assert page.locator("#facts ~ details[open]").count() == 0
    page.evaluate(OPEN_ALL)
    weight = page.eval_on_selector("table.facts tbody th", "th => getComputedStyle(th).fontWeight")
    assert int(weight) < 600
    assert page.locator("table.facts tbody tr").count() == shared
    page.close()


@pytest.mark.parametrize("corpus", ["seed_site", "basil_site"], ids=["seeds", "basil"])
def test_no_table_cell_breaks_a_word_on_any_page_at_either_width(browser, serve, request, corpus):
    """Every page of the seeds' and BASIL's sites, each loaded once and laid out at the
    phone's width and then the desktop's."""
    site = request.getfixturevalue(corpus)
    site = site[0] if corpus == "seed_site" else site
    base = serve(site)
    page = browser.new_page()
    broken, wide = {}, []
    for path in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        page.set_viewport_size(PHONE)
        page.goto(base + path)
        page.evaluate(OPEN_ALL)
        for viewport in (PHONE, SCREEN):
            page.set_viewport_size(viewport)
            if found := page.evaluate(BROKEN_WORDS):
                broken[f"{path} at {viewport['width']} px"] = found
            if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
                wide.append(f"{path} at {viewport['width']} px")
    page.close()
    assert broken == {} and wide == []


def test_the_seed_event_pages_have_no_serious_accessibility_violations(browser, seed_site):
    from axe_playwright_python.sync_playwright import Axe

    _, base, _, paris = seed_site
    page = browser.new_page()
    found = []
    for path in ("index.html", "compare/index.html"):
        page.goto(base + f"events/{paris['slug']}/{path}")
        page.evaluate(OPEN_ALL)
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(f"{path}: {violation['id']}: {violation['help']}")
    page.close()
    assert found == []


def test_screenshots_of_the_seed_comparison_page(browser, seed_site):
    from tests.test_site_checks import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for viewport in (SCREEN, PHONE):
            page = compare_page(browser, seed_site, viewport)
            page.emulate_media(color_scheme=scheme)
            shot = SCREENSHOTS / f"compare-seeds-{viewport['width']}-{scheme}.png"
            page.screenshot(path=shot, full_page=True)
            page.close()
            assert shot.stat().st_size > 0


def test_a_single_report_says_there_is_nothing_to_compare_yet(tmp_path, build_site):
    """A comparison page of one article listed its 38 sentences as "only in" it and said "the
    outlets agree", under "1 article from 1 outlet" (Timeline17's single Guardian reports)."""
    pier = "The harbour board of Portwick met on Tuesday and approved the ferry pier repairs."
    files = {
        "a.md": "---\ntitle: Pier repairs approved\nsource: Bay Post\ndate: 2025-03-04\n---\n"
        + pier,
        "b.md": "---\ntitle: Board backs pier work\nsource: Valley Wire\ndate: 2025-03-04\n---\n"
        + pier.replace("approved", "backed"),
        "c.md": "---\ntitle: Bakery wins prize\nsource: Bay Post\ndate: 2025-06-20\n---\n"
        "A bakery in Brindle won the regional bread prize for its rye loaf on Friday.",
    }
    site, digest = build_site(write_tree(tmp_path / "content", files))
    by_count = {len(e["articles"]): e["slug"] for e in digest["events"]}
    assert sorted(by_count) == [1, 2]
    alone = (site / "events" / by_count[1] / "compare" / "index.html").read_text(encoding="utf-8")
    assert "One report so far, so nothing to compare it with." in alone
    for claim in ("What differs", "Only in", "agree", "Side by side"):
        assert claim not in alone
    compared = (site / "events" / by_count[2] / "compare" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "What differs" in compared and "One report so far" not in compared
    links = {
        count: (site / "events" / slug / "index.html")
        .read_text(encoding="utf-8")
        .count("/compare/")
        for count, slug in by_count.items()
    }
    assert links[1] == 0 and links[2] >= 1
    front = (site / "index.html").read_text(encoding="utf-8")
    assert (
        f"events/{by_count[2]}/compare/" in front and f"events/{by_count[1]}/compare/" not in front
    )
