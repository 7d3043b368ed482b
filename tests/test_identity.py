"""Stable identity: event URLs survive rebuilds, added articles and merges."""

from __future__ import annotations

import json

from storyline import pipeline
from tests.conftest import ROOT, write_tree

VOTE = (
    "The harbour council of Saltmere voted to rebuild the old ferry pier after the winter "
    "storms, approving a loan and a new timber deck for the ferry pier on {day}."
)
RACE = (
    "Runners from the valley clubs raced along the coast road in the spring marathon, and "
    "a schoolteacher from Brindle won in record time on {day}."
)


def md(outlet: str, day: str, text: str, title: str) -> str:
    return f"---\ntitle: {title}\nsource: {outlet}\ndate: {day}\n---\n{text}\n"


def build(content, site, config):
    pipeline.build(
        pipeline.BuildOptions(
            config=config, content=content, output=site, templates=ROOT / "templates"
        )
    )
    return json.loads((site / "digest.json").read_text(encoding="utf-8"))


def test_ids_and_slugs_survive_a_rebuild_and_an_added_article(tmp_path):
    content = write_tree(
        tmp_path / "content",
        {
            "a.md": md("Bay Post", "2025-02-04", VOTE.format(day="Tuesday"), "Pier vote"),
            "b.md": md("Valley Wire", "2025-04-12", RACE.format(day="Saturday"), "Marathon"),
        },
    )
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    site = tmp_path / "site"
    first = build(content, site, tmp_path / "config.yaml")
    before = {e["title"]: (e["id"], e["slug"]) for e in first["events"]}
    # an older report of the vote, with another headline, joins the vote's event
    write_tree(
        content,
        {
            "c.md": md(
                "Harbour Radio", "2025-02-03", VOTE.format(day="Monday"), "Council backs the pier"
            )
        },
    )
    second = build(content, site, tmp_path / "config.yaml")
    vote = next(e for e in second["events"] if "c" in e["articles"])
    assert sorted(vote["articles"]) == ["a", "c"]
    assert (vote["id"], vote["slug"]) == before["Pier vote"]
    race = next(e for e in second["events"] if "b" in e["articles"])
    assert (race["id"], race["slug"]) == before["Marathon"]
    assert second["redirects"] == {}


def test_a_merged_event_keeps_its_oldest_part_and_the_other_url_redirects(tmp_path):
    content = write_tree(
        tmp_path / "content",
        {
            "a.md": md("Bay Post", "2025-02-04", VOTE.format(day="Tuesday"), "Pier vote"),
            "b.md": md("Valley Wire", "2025-02-06", VOTE.format(day="Tuesday"), "Pier plan"),
        },
    )
    (tmp_path / "config.yaml").write_text("grouping:\n  similarity: 0.99\n", encoding="utf-8")
    site = tmp_path / "site"
    first = build(content, site, tmp_path / "config.yaml")
    assert len(first["events"]) == 2  # kept apart by a strict threshold
    oldest = next(e for e in first["events"] if e["articles"] == ["a"])
    other = next(e for e in first["events"] if e["articles"] == ["b"])
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    second = build(content, site, tmp_path / "config.yaml")
    (merged,) = second["events"]
    assert (merged["id"], merged["slug"]) == (oldest["id"], oldest["slug"])
    assert second["redirects"] == {other["slug"]: oldest["id"]}
    page = (site / "events" / other["slug"] / "index.html").read_text(encoding="utf-8")
    assert f"url=../../events/{oldest['slug']}/index.html" in page
    # the redirect outlives further builds
    third = build(content, site, tmp_path / "config.yaml")
    assert third["redirects"] == {other["slug"]: oldest["id"]}


def test_a_published_digest_given_as_previous_keeps_the_event_urls(tmp_path):
    content = write_tree(
        tmp_path / "content",
        {
            "a.md": md("Bay Post", "2025-02-04", VOTE.format(day="Tuesday"), "Pier vote"),
        },
    )
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    published = build(content, tmp_path / "published", tmp_path / "config.yaml")
    (event,) = published["events"]
    # a fresh checkout: no output folder, only the digest fetched from the published site
    (tmp_path / "previous.json").write_text(json.dumps(published), encoding="utf-8")
    write_tree(
        content,
        {
            "b.md": md(
                "Harbour Radio",
                "2025-02-03",
                VOTE.format(day="Monday"),
                "An older report with another headline",
            )
        },
    )
    pipeline.build(
        pipeline.BuildOptions(
            config=tmp_path / "config.yaml",
            content=content,
            output=tmp_path / "fresh",
            templates=ROOT / "templates",
            previous=tmp_path / "previous.json",
        )
    )
    fresh = json.loads((tmp_path / "fresh" / "digest.json").read_text(encoding="utf-8"))
    (rebuilt,) = fresh["events"]
    assert (rebuilt["id"], rebuilt["slug"]) == (event["id"], event["slug"])
