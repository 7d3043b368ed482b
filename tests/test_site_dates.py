"""Dates as the site shows them: at their precision, in the site's language, with the
sources' different days, and one timeline entry per happening."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.render import date_formatter
from tests.conftest import write_tree


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("en", "day", "12 March 2025"),
        ("en-US", "day", "March 12, 2025"),
        ("en", "week", "week of 10 March 2025"),
        ("en", "month", "March 2025"),
        ("en", "quarter", "1st quarter 2025"),
        ("en", "year", "2025"),
        ("fr", "day", "12 mars 2025"),
        ("fr", "month", "mars 2025"),
        ("de", "day", "12. März 2025"),
        ("es", "day", "12 de marzo de 2025"),
    ],
)
def test_dates_are_shown_at_their_precision_in_the_site_language(language, precision, expected):
    day = date(2025, 3, 10) if precision == "week" else date(2025, 3, 12)
    if precision in ("month", "quarter", "year"):
        day = date(2025, 3 if precision == "month" else 1, 1)
    assert date_formatter(language)(day, precision) == expected


def test_an_unknown_language_falls_back_to_english():
    assert date_formatter("xx-nowhere")(date(2025, 3, 12), "day") == "12 March 2025"


def article(outlet: str, day: str, text: str) -> str:
    return f"---\ntitle: Ferry pier vote\nsource: {outlet}\ndate: {day}\n---\n{text}\n"


VOTE = (
    "The harbour council of Saltmere voted on {weekday} to rebuild the old ferry pier after "
    "the winter storms, approving a loan and a new timber deck for the ferry pier. The storm "
    "that wrecked the pier struck on January 12, 2025, and closed the harbour."
)


def test_the_event_page_names_the_days_its_reports_give_and_who_gives_each(tmp_path, build_site):
    content = write_tree(
        tmp_path / "content",
        {
            "a.md": article("Bay Post", "2025-02-06", VOTE.format(weekday="Tuesday")),
            "b.md": article("Harbour Radio", "2025-02-06", VOTE.format(weekday="Tuesday")),
            "c.md": article("Valley Wire", "2025-02-06", VOTE.format(weekday="Wednesday")),
        },
    )
    site, digest = build_site(content)
    (event,) = digest["events"]
    assert event["date"] == "2025-02-04"
    assert [(r["date"], len(r["articles"])) for r in event["date_reports"]] == [
        ("2025-02-04", 2),
        ("2025-02-05", 1),
    ]
    page = (site / "events" / event["slug"] / "index.html").read_text(encoding="utf-8")
    assert (
        "The reports name different days: 4 February 2025 (Bay Post, Harbour Radio); "
        "5 February 2025 (Valley Wire)." in " ".join(page.split())
    )


def test_an_article_that_names_no_day_does_not_disagree_with_those_that_do(tmp_path, build_site):
    """Published the day after the vote and naming no day, it is dated by its publication:
    that is no word of its own against the outlets that say "Tuesday"."""
    content = write_tree(
        tmp_path / "content",
        {
            "a.md": article("Bay Post", "2025-02-05", VOTE.format(weekday="Tuesday")),
            "b.md": article("Harbour Radio", "2025-02-05", VOTE.format(weekday="Tuesday")),
            "c.md": article("Valley Wire", "2025-02-05", VOTE.replace(" on {weekday}", "")),
        },
    )
    site, digest = build_site(content)
    (event,) = digest["events"]
    assert event["date"] == "2025-02-04"
    assert [(r["date"], len(r["articles"])) for r in event["date_reports"]] == [("2025-02-04", 2)]
    page = (site / "events" / event["slug"] / "index.html").read_text(encoding="utf-8")
    assert "different days" not in page


def test_one_happening_mentioned_in_several_events_is_one_timeline_entry(tmp_path, build_site):
    later = (
        "A month after the storm that struck on January 12, 2025, ferry crews in Brindle "
        "held a strike over the pay of night shifts and the new ferry timetable."
    )
    content = write_tree(
        tmp_path / "content",
        {
            "a.md": article("Bay Post", "2025-02-06", VOTE.format(weekday="Tuesday")),
            "b.md": article("Harbour Radio", "2025-02-06", VOTE.format(weekday="Tuesday")),
            "c.md": article("Valley Wire", "2025-02-14", later),
        },
    )
    site, digest = build_site(content)
    assert len(digest["events"]) == 2
    storm = [m for m in digest["timeline"] if m["value"] == "2025-01-12"]
    assert len(storm) == 1
    assert sorted(storm[0]["articles"]) == ["a", "b", "c"]
    page = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert page.count('<time datetime="2025-01-12">') == 1


def test_the_timeline_puts_the_most_covered_dates_first_and_keeps_every_date(tmp_path, build_site):
    files = {
        f"v{i}.md": article(f"Outlet {i}", "2025-02-06", VOTE.format(weekday="Tuesday"))
        for i in range(4)
    }
    files["quiet.md"] = article(
        "Bay Post",
        "2025-03-20",
        "A bakery in Brindle won a regional bread prize for its rye loaf, the judges said.",
    ).replace("Ferry pier vote", "Bakery prize")
    site, digest = build_site(write_tree(tmp_path / "content", files))
    page = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    key_section = page[page.index('id="key-dates"') : page.index("All dates")]
    vote = next(e for e in digest["events"] if len(e["articles"]) == 4)
    quiet = next(e for e in digest["events"] if len(e["articles"]) == 1)
    assert vote["title"] in key_section and quiet["title"] not in key_section
    assert quiet["title"] in page[page.index("All dates") :]


@pytest.mark.parametrize(
    ("text", "value", "shown"),
    [
        (
            "The Saltmere ferry company lost money in the first half of 2010. Five months "
            "later, a safety inspector found the pier's timbers rotten.",
            "2010-H1",
            "first half of 2010",
        ),
        (
            "The Saltmere ferry pier was closed this summer. Yet four months later, the "
            "harbour and its boats have changed.",
            "2010-FA",
            "autumn 2010",
        ),
    ],
)
def test_a_date_some_months_after_a_half_or_season_is_shown(
    tmp_path, build_site, text, value, shown
):
    # "five months later" moved a half year to June and a season to October: rendering them
    # raised KeyError ('half', 6) and ('season', 10), and the build crashed
    content = write_tree(tmp_path / "content", {"a.md": article("Bay Post", "2010-08-23", text)})
    site, digest = build_site(content)
    later = [m for m in digest["timeline"] if "later" in m["text"]]
    assert [m["value"] for m in later] == [value]
    page = " ".join((site / "timeline" / "index.html").read_text(encoding="utf-8").split())
    assert f">{shown}</time>" in page
