"""End to end: the sample content builds into a complete site, and the command line behaves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, broken_links, write_tree

SAMPLE = ROOT / "content"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> tuple[Path, dict]:
    from storyline.pipeline import BuildOptions, build

    output = tmp_path_factory.mktemp("sample") / "site"
    build(BuildOptions(config=ROOT / "config.yaml", content=SAMPLE, output=output))
    return output, json.loads((output / "digest.json").read_text(encoding="utf-8"))


def test_sample_has_every_page_and_no_broken_link(sample_site):
    site, digest = sample_site
    expected = [
        "index.html",
        "timeline/index.html",
        "sources/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "digest.json",
        "static/style.css",
    ]
    for event in digest["events"]:
        expected += [
            f"events/{event['slug']}/index.html",
            f"events/{event['slug']}/compare/index.html",
        ]
    missing = [path for path in expected if not (site / path).is_file()]
    assert missing == []
    assert broken_links(site) == []


def test_sample_shows_every_feature(sample_site):
    _, digest = sample_site
    events = digest["events"]
    assert len(events) >= 3
    assert all(len(e["sources"]) >= 3 and e["date"] and e["place"] for e in events)
    formats = {Path(a["path"].split(":")[0]).suffix for a in digest["articles"]}
    assert {".md", ".txt", ".jsonl"} <= formats
    assert any(len(v["diff"]) > 1 for e in events for q in e["quotes"] for v in q["variants"])
    assert any(e["rewrites"] for e in events)
    assert any(e["mentions"] for e in events)
    assert digest["warnings"] == []


def test_digest_json_has_the_documented_keys(sample_site):
    _, digest = sample_site
    assert {"generator", "site", "events", "articles", "warnings"} <= digest.keys()
    event_keys = {
        "id",
        "slug",
        "title",
        "date",
        "date_precision",
        "place",
        "summary",
        "articles",
        "sources",
        "quotes",
        "rewrites",
        "mentions",
        "facts",
        "discrepancies",
        "wordings",
        "quality",
        "first_reported",
    }
    article_keys = {
        "id",
        "path",
        "title",
        "source",
        "published",
        "event",
        "words_raw",
        "words_clean",
        "warnings",
    }
    assert all(event_keys <= e.keys() for e in digest["events"])
    assert all(article_keys <= a.keys() for a in digest["articles"])
    ids = [a for e in digest["events"] for a in e["articles"]]
    assert len(ids) == len(set(ids)) == len(digest["articles"])


def test_index_lists_events_newest_first(sample_site):
    site, digest = sample_site
    page = (site / "index.html").read_text(encoding="utf-8")
    newest_first = sorted(digest["events"], key=lambda e: e["date"], reverse=True)
    positions = [page.index(f'href="events/{e["slug"]}/index.html"') for e in newest_first]
    assert positions == sorted(positions)


def run(cwd: Path, *options: str, output: str = "site") -> subprocess.CompletedProcess:
    """`python build.py` on cwd/content with the project's templates, as a user runs it."""
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "--content",
        "content",
        "--output",
        output,
        "--templates",
        str(ROOT / "templates"),
        *options,
    ]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


GOOD = (
    "---\ntitle: Pier reopens\nsource: Bay Post\ndate: 2025-02-03\n---\nThe ferry pier reopened.\n"
)
BAD_DATE = "---\ntitle: Pier vote\ndate: the day after the storm\n---\nThe council voted.\n"


def test_cli_builds_and_prints_a_summary_table(tmp_path):
    write_tree(
        tmp_path,
        {
            "content/a.md": GOOD,
            "content/notes.csv": "x,y\n",
            "content/b.md": "---\ndraft: true\n---\nNot yet.\n",
        },
    )
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {
        cells[0]: cells[1]
        for line in result.stdout.splitlines()
        if len(cells := [c.strip() for c in line.strip("│ ").split("│")]) == 2
    }
    assert rows["articles"] == "1 (1 file skipped) (1 draft left out)"
    # the listings (front page, timeline, sources, search, 404), the outlet's page, the event's two
    assert (rows["events"], rows["pages"], rows["warnings"]) == ("1", "8", "0")
    stages = [k for k in rows if k.endswith("(s)")]
    assert stages[0] == "read, clean and dates (s)" and stages[-1] == "total (s)"
    assert {"describe and compare (s)", "render and write (s)"} <= set(stages)
    assert (tmp_path / "site" / "index.html").is_file()


def test_warnings_are_path_message_and_strict_fails_without_writing(tmp_path):
    write_tree(tmp_path, {"content/a.md": GOOD, "content/bad.md": BAD_DATE})
    lenient = run(tmp_path)
    assert lenient.returncode == 0
    assert "bad.md: publication date 'the day after the storm' could not be read" in lenient.stderr
    (tmp_path / "site" / "index.html").write_text("previous site", encoding="utf-8")
    strict = run(tmp_path, "--strict")
    assert strict.returncode == 1
    assert "bad.md:" in strict.stderr
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "previous site"


def test_drafts_flag_includes_drafts(tmp_path):
    write_tree(tmp_path, {"content/a.md": GOOD.replace("date:", "draft: true\ndate:")})
    assert run(tmp_path, "--drafts").returncode == 0
    digest = json.loads((tmp_path / "site" / "digest.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in digest["articles"]] == ["a"]


def test_bad_config_lists_every_error_and_builds_nothing(tmp_path):
    config = "site:\n  timezone: Mars/Olympus\ngrouping:\n  similarity: 3\n"
    write_tree(tmp_path, {"content/a.md": GOOD, "config.yaml": config})
    result = run(tmp_path)
    assert result.returncode == 2
    assert "site.timezone" in result.stderr and "grouping.similarity" in result.stderr
    assert not (tmp_path / "site").exists()


def test_refuses_to_overwrite_a_folder_it_did_not_make(tmp_path):
    write_tree(tmp_path, {"content/a.md": GOOD, "docs/keep.txt": "mine"})
    result = run(tmp_path, output="docs")
    assert result.returncode == 2
    assert "not made by Storyline" in result.stderr
    assert (tmp_path / "docs" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_base_url_option_sets_canonical_links(tmp_path):
    write_tree(tmp_path, {"content/a.md": GOOD})
    result = run(tmp_path, "--base-url", "https://example.org/repo")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/repo/timeline/">' in page


def test_an_article_that_breaks_a_stage_is_reported_and_the_rest_builds(
    tmp_path, build_site, monkeypatch
):
    from storyline import clean

    real = clean.clean_article

    def fragile(article, outlets=()):
        if article.id == "bad":
            raise ValueError("unexpected input")
        return real(article, outlets)

    monkeypatch.setattr(clean, "clean_article", fragile)
    content = write_tree(tmp_path / "content", {"a.md": GOOD, "bad.md": GOOD})
    _, digest = build_site(content)
    assert [a["id"] for a in digest["articles"]] == ["a"]
    assert any(
        w["path"] == "bad.md" and "could not be analysed" in w["message"]
        for w in digest["warnings"]
    )


def test_outlet_labels_from_the_config_show_on_comparison_pages(sample_site):
    site, digest = sample_site
    event = next(e for e in digest["events"] if "Valley Wire" in e["sources"])
    page = (site / "events" / event["slug"] / "compare" / "index.html").read_text(encoding="utf-8")
    about = page[page.index('id="outlets"') : page.index('id="facts"')]
    assert "Valley Wire" in about and "ownership: Reader cooperative" in about
