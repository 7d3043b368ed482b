"""The site in the output folder is always the site the inputs make: a site another build
wrote is never taken for the cached one, a file edited by hand is never reused, a previous
digest's slugs are never trusted as paths, and a change to the code or the libraries an
analysis runs with misses the cache."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from storyline.events.identity import assign_identity
from storyline.pipeline import CACHE_FILE
from tests.conftest import ROOT, write_tree
from tests.test_properties import SAFE_SLUG, SLUG_LENGTH_MAX, assert_safe_and_unique, event
from tests.test_safety import run

VOTE = (
    "The harbour council of Saltmere voted on {day} to rebuild the old ferry pier after the "
    "winter storms, approving a loan and a new timber deck for the ferry pier."
)
RACE = (
    "Runners from the valley clubs raced along the coast road on {day} in the spring "
    "marathon, and a schoolteacher from Brindle won in record time."
)


def article(title: str, day: str, text: str, source: str = "Bay Post", draft: bool = False) -> str:
    flag = "draft: true\n" if draft else ""
    return f"---\ntitle: {title}\nsource: {source}\ndate: {day}\n{flag}---\n{text}\n"


ARTICLES = {
    "content/vote.md": article("Pier vote", "2025-02-04", VOTE.format(day="Tuesday")),
    "content/race.md": article("Marathon", "2025-04-12", RACE.format(day="Saturday")),
    "content/later.md": article(
        "Pier vote, later", "2025-02-05", VOTE.format(day="Tuesday"), "Valley Wire", draft=True
    ),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "project", {"config.yaml": "", **ARTICLES})


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def digest_of(site: Path) -> dict:
    return json.loads((site / "digest.json").read_text(encoding="utf-8"))


# A build into the same output folder that does not go through this project's cache.
INTRUDERS = {
    "drafts, no cache": lambda project: ["--drafts", "--no-cache"],
    "other content, no cache": lambda project: [
        "--content",
        str(write_tree(project.parent / "other", {"race.md": ARTICLES["content/race.md"]})),
        "--no-cache",
    ],
    "other project's cache": lambda project: [
        "--config",
        str(write_tree(project.parent / "elsewhere", {"config.yaml": ""}) / "config.yaml"),
        "--drafts",
    ],
}


@pytest.mark.parametrize("intruder", INTRUDERS.values(), ids=INTRUDERS.keys())
def test_a_site_another_build_wrote_is_never_taken_for_the_cached_one(project, intruder, capsys):
    assert run(project) == 0
    built = snapshot(project / "site")
    assert run(project, *intruder(project)) == 0
    assert snapshot(project / "site") != built  # it replaced the site (with the draft, say)
    capsys.readouterr()
    assert run(project) == 0
    assert "up to date" not in capsys.readouterr().out
    assert snapshot(project / "site") == built
    assert all("later" not in a["id"] for a in digest_of(project / "site")["articles"])
    # and now the site is the cached one again
    assert run(project) == 0
    assert "up to date" in capsys.readouterr().out


def event_folder(site: Path, title: str) -> Path:
    [event] = [e for e in digest_of(site)["events"] if e["title"] == title]
    return site / "events" / event["slug"]


def tamper(site: Path) -> None:
    """Edits by hand: append to an event page, turn robots.txt's Allow into Disallow (in as
    many bytes), inject a script in the front page and the other event's comparison page, add
    a file."""
    robots = site / "robots.txt"
    robots.write_text(robots.read_text(encoding="utf-8").replace("Allow: /\n", "Disallow:/"))
    for path, added in [
        (event_folder(site, "Marathon") / "index.html", "<p>edited by hand</p>"),
        (site / "index.html", "<script>alert(1)</script>"),
        (event_folder(site, "Pier vote") / "compare" / "index.html", "<script>alert(2)</script>"),
    ]:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(added)
    (site / "static" / "injected.js").write_text("alert(3)", encoding="utf-8")


@pytest.mark.parametrize("article_edited", [True, False], ids=["article edited", "nothing else"])
def test_files_edited_by_hand_are_never_kept_by_a_rebuild(project, tmp_path, article_edited):
    assert run(project) == 0
    tamper(project / "site")
    if article_edited:
        with (project / "content" / "vote.md").open("a", encoding="utf-8") as handle:
            handle.write("The deck will be finished by the autumn.\n")
    assert run(project) == 0
    assert run(project, "--no-cache", output=tmp_path / "clean") == 0
    assert snapshot(project / "site") == snapshot(tmp_path / "clean")


def paths_in(folder: Path) -> set[str]:
    """Every file, folder and link below `folder` (links not followed)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


ADDED_BY_HAND = {
    "an empty folder": lambda site, elsewhere: (site / "events" / "by-hand").mkdir(),
    "a link to a folder": lambda site, elsewhere: (site / "static" / "more").symlink_to(
        elsewhere, target_is_directory=True
    ),
    "a file removed": lambda site, elsewhere: (site / "robots.txt").unlink(),
}


@pytest.mark.parametrize("change", ADDED_BY_HAND.values(), ids=ADDED_BY_HAND.keys())
def test_whatever_is_added_or_removed_by_hand_is_noticed_and_undone(
    project, tmp_path, change, capsys
):
    """A build with nothing changed found the site untouched by its files' stamps alone: an
    empty folder or a link to a folder added by hand stayed, the site taken as up to date.
    Now every folder's stamp counts too."""
    assert run(project) == 0
    change(project / "site", write_tree(tmp_path / "elsewhere", {"a.txt": "a"}))
    capsys.readouterr()
    assert run(project) == 0
    assert "up to date" not in capsys.readouterr().out
    assert run(project, "--no-cache", output=tmp_path / "clean") == 0
    assert paths_in(project / "site") == paths_in(tmp_path / "clean")
    assert snapshot(project / "site") == snapshot(tmp_path / "clean")


def test_a_file_only_touched_is_still_reused(project):
    """Its time changed but not its bytes: hashed, found the same, left in place."""
    assert run(project) == 0
    page = event_folder(project / "site", "Marathon") / "index.html"
    os.utime(page, ns=(0, 0))
    with (project / "content" / "vote.md").open("a", encoding="utf-8") as handle:
        handle.write("The deck will be finished by the autumn.\n")
    assert run(project) == 0
    assert (event_folder(project / "site", "Marathon") / "index.html").stat().st_mtime_ns == 0


def crafted(digest: dict, case: str) -> dict:
    vote, race = sorted(digest["events"], key=lambda e: e["title"] != "Pier vote")
    if case == "duplicate":
        vote["slug"] = race["slug"] = "same"
    elif case == "redirect":
        digest["redirects"] = {"../sources": vote["id"]}
    else:
        vote["slug"] = case
    return digest


CASES = {
    "duplicate": "event {race}: slug 'same' is event {vote}'s too; it gets a new id and slug",
    "..": "event {vote}: slug '..' is not a safe path segment; it gets a new id and slug",
    "../search": "event {vote}: slug '../search' is not a safe path segment",
    "redirect": "redirect '../sources': slug '../sources' is not a safe path segment; left out",
    'a"b<c': "event {vote}: slug 'a\"b<c' is not a safe path segment",
}


@pytest.mark.parametrize("case", CASES)
def test_slugs_of_a_previous_digest_are_checked_before_they_become_paths(
    project, tmp_path, case, capsys
):
    assert run(project, output=tmp_path / "clean") == 0
    clean = snapshot(tmp_path / "clean")
    old = digest_of(tmp_path / "clean")
    ids = {("vote" if e["title"] == "Pier vote" else "race"): e["id"] for e in old["events"]}
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps(crafted(old, case)), encoding="utf-8")
    capsys.readouterr()
    assert run(project, "--previous", str(previous)) == 0
    err = capsys.readouterr().err
    assert f"{previous}: {CASES[case].format(**ids)}" in err
    site = project / "site"
    made = digest_of(site)
    slugs = [e["slug"] for e in made["events"]]
    assert len(set(slugs)) == len(slugs) == 2
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in [*slugs, *made["redirects"]])
    for shown in made["events"]:  # each event's page, in a folder of its own
        page = (site / "events" / shown["slug"] / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{shown['title']}</h1>" in page
    # every other file is where a clean build puts it, and only events/<slug>/ holds more
    files = snapshot(site)
    outside = {p for p in files if not p.startswith("events/")}
    assert outside == {p for p in clean if not p.startswith("events/")}
    folders = {p.split("/")[1] for p in files if p.startswith("events/")}
    assert folders == set(slugs) | set(made["redirects"])
    named = escape(made["site"]["title"])  # as Jinja writes it
    for path, heading in [("", named), ("search/", "Search"), ("sources/", "Sources")]:
        assert f"<h1>{heading}</h1>" in (site / f"{path}index.html").read_text(encoding="utf-8")


HOSTILE_SLUGS = st.one_of(
    st.text(max_size=90),
    st.sampled_from(["same", "..", ".", "../search", "a/b", "A", "a--b", "-a", 'a"b<c', "x" * 81]),
)


@settings(max_examples=150, deadline=None)
@given(
    slugs=st.lists(HOSTILE_SLUGS, min_size=1, max_size=6),
    redirects=st.dictionaries(HOSTILE_SLUGS, st.integers(0, 5), max_size=4),
    data=st.data(),
)
def test_no_previous_digest_gives_an_unsafe_or_shared_slug(slugs, redirects, data):
    ids = [f"e{n}" for n in range(len(slugs))]
    previous = {
        "events": [
            {"id": data.draw(st.sampled_from(ids)), "slug": slug, "date": "2025-03-04"}
            for slug in slugs
        ],
        "articles": [{"id": f"a{n}", "event": i} for n, i in enumerate(ids)],
        "redirects": {slug: f"e{n}" for slug, n in redirects.items()},
    }
    events = [event("Pier vote", date(2025, 3, 4), [f"a{n}"]) for n in range(len(slugs))]
    problems: list[str] = []
    moved = assign_identity(events, previous, problems)
    assert_safe_and_unique(events, moved)
    assert all(SAFE_SLUG.fullmatch(slug) for slug in moved)
    listed: set[str] = set()
    for entry in previous["events"]:  # each unsafe slug said, but for an event listed twice
        if entry["id"] not in listed and not safe(entry["slug"]):
            assert any(p.startswith(f"event {entry['id']}: slug ") for p in problems)
        listed.add(entry["id"])
    for slug in redirects:
        assert safe(slug) or any(p.startswith(f"redirect {slug!r}: ") for p in problems)


def safe(slug: str) -> bool:
    return bool(SAFE_SLUG.fullmatch(slug)) and len(slug) <= SLUG_LENGTH_MAX


def analysed_keys(project: Path) -> set[str]:
    with sqlite3.connect(project / CACHE_FILE) as db:
        return {k for (k,) in db.execute("SELECT key FROM analysed")}


def test_another_version_of_a_library_the_analysis_uses_misses_the_cache(
    project, monkeypatch, fresh_code_hash
):
    assert run(project) == 0
    before = analysed_keys(project)
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda d: "0.0.1" if d == "dateparser" else real(d))
    fresh_code_hash()
    assert run(project, output=project / "again") == 0
    assert analysed_keys(project).isdisjoint(before)


def test_an_edit_to_code_the_analysis_imports_misses_the_cache(project, tmp_path):
    """The package copied and edited: `dates.main_day`, which gives each article its day,
    now says every article is undated. An edit to the page code leaves the analyses alone."""
    code = tmp_path / "code"
    shutil.copytree(ROOT / "storyline", code / "storyline")

    def build() -> set[str]:
        arguments = ["build", "--config", "config.yaml", "--templates", str(ROOT / "templates")]
        subprocess.run(
            [sys.executable, "-c", f"from storyline.cli import main; main({arguments!r})"],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(code)},
            check=True,
            capture_output=True,
        )
        return analysed_keys(project)

    first = build()
    days = [e["date"] for e in digest_of(project / "output")["events"]]
    assert days == ["2025-02-04", "2025-04-12"]
    render = code / "storyline" / "render" / "__init__.py"
    render.write_text(render.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert build() == first
    own_day = code / "storyline" / "dates" / "own_day.py"
    text = own_day.read_text(encoding="utf-8")
    marker = "def main_day("  # every article undated, whatever the function's body
    assert marker in text
    edited = text.replace(marker, "def main_day(*_):\n    return None\n\n\ndef _unused(", 1)
    own_day.write_text(edited, encoding="utf-8")
    assert build().isdisjoint(first)
    assert [e["date"] for e in digest_of(project / "output")["events"]] == [None, None]
