"""The comparison page of a large event, as a reader sees it in a real browser: 10 outlets and
200 quotes stay readable, with a table of contents and folded sections."""

from __future__ import annotations

import json
from itertools import product

import pytest

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
