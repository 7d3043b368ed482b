"""What a run may touch, and `build.py check`: dangerous output folders are refused, nothing
outside the output folder and the cache is written, a killed build's leftovers are tidied,
two builds of one input are byte-identical, and `check` lists every problem without
writing a site."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.write import MARKER
from tests.conftest import ROOT, write_tree

BODY = "The harbour board met on Tuesday in Portwick to approve the ferry timetable.\n"


def article(title: str, day: str = "2025-03-04", source: str = "Bay Post") -> str:
    return f"---\ntitle: {title}\nsource: {source}\ndate: {day}\n---\n{BODY}"


def run(project: Path, *args: str, output: Path | None = None, command: str = "build") -> int:
    return main(
        [
            command,
            "--config",
            str(project / "config.yaml"),
            "--content",
            str(project / "content"),
            "--output",
            str(output or project / "site"),
            "--templates",
            str(ROOT / "templates"),
            "--jobs",
            "1",
            *args,
        ]
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "folder"
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "project",
        {"config.yaml": "", "content/a.md": article("Ferry timetable approved")},
    )


@pytest.mark.parametrize("where", ["root", "home", "project", "above the project"])
def test_dangerous_output_folders_are_refused_before_anything_is_written(
    project, tmp_path, monkeypatch, capsys, where
):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    output = {"root": Path("/"), "home": home, "project": project, "above the project": tmp_path}
    before = snapshot(tmp_path)
    assert run(project, output=output[where]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: {output[where]}: the output folder is ")
    expected = {
        "root": "the root of the file system",
        "home": "your home folder",
        "project": "or contains the project folder",
        "above the project": "or contains the project folder",
    }[where]
    assert expected in error
    assert snapshot(tmp_path) == before


def test_nothing_is_written_outside_the_output_folder_and_the_cache(project, tmp_path):
    write_tree(tmp_path / "neighbour", {"notes.txt": "mine"})
    before = snapshot(tmp_path)
    assert run(project) == 0
    write_tree(project, {"content/b.md": article("Ferry fares cut", "2025-03-09")})
    assert run(project) == 0
    after = snapshot(tmp_path)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    allowed = ("project/site", "project/.cache", "project/content/b.md")
    # the lock beside the output folder stays, empty, as flock locks do
    assert {p for p in changed if not p.startswith(allowed)} == {"project/.site.lock"}


def test_leftovers_of_a_killed_build_are_removed_and_the_site_kept(project):
    assert run(project) == 0
    site = project / "site"
    pages = snapshot(site)
    # killed as it began to move its new files in: they are staged beside, and its backup
    # folder has no journal yet, so it had touched nothing (a test of `test_cache` kills a
    # build at each later step)
    write_tree(project, {".site.new-x2/index.html": "half a site", ".site.old-x1/kept/a": "x"})
    assert run(project) == 0
    assert snapshot(site) == pages
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == [".site.lock"]


def test_two_builds_of_the_same_input_are_byte_identical(project, tmp_path):
    write_tree(
        project,
        {
            "content/b.md": article("Ferry fares cut", "2025-03-09", "Coast Times"),
            "content/c.md": article("Ferry fares cut", "2025-03-09", "Harbour News"),
        },
    )
    assert run(project, "--no-cache") == 0
    first = snapshot(project / "site")
    assert run(project, "--no-cache", output=tmp_path / "again") == 0
    assert snapshot(tmp_path / "again") == first
    assert MARKER in first


def test_events_with_one_title_get_unique_slugs_that_stay_on_rebuild(project):
    write_tree(
        project,
        {
            # two happenings under one headline, kept apart by their event keys
            "content/a.md": article("Council meets", "2025-03-04").replace(
                "date:", "event: harbour\ndate:"
            ),
            "content/b.md": article("Council meets", "2025-03-04", "Coast Times").replace(
                "date:", "event: lighthouse\ndate:"
            ),
        },
    )
    assert run(project) == 0
    digest = json.loads((project / "site" / "digest.json").read_text(encoding="utf-8"))
    slugs = sorted(e["slug"] for e in digest["events"])
    assert slugs == ["2025-03-04-council-meets", "2025-03-04-council-meets-2"]
    write_tree(
        project,
        {
            "content/c.md": article("Council meets", "2025-03-04", "Harbour News").replace(
                "date:", "event: lighthouse\ndate:"
            )
        },
    )
    assert run(project) == 0
    again = json.loads((project / "site" / "digest.json").read_text(encoding="utf-8"))
    by_article = {e["articles"][0]: e["slug"] for e in digest["events"]}
    assert {a: e["slug"] for e in again["events"] for a in e["articles"] if a in by_article} == (
        by_article
    )


def test_check_lists_every_problem_and_writes_no_site(project, capsys):
    write_tree(
        project,
        {
            "config.yaml": "site:\n  title: Harbour\n  colour: blue\n",
            "content/bad.md": "---\ntitle: Vote: done\n---\nText.\n",
        },
    )
    assert run(project, command="check") == 1
    out, err = capsys.readouterr()
    config = project / "config.yaml"
    assert out.splitlines() == [
        f"{config}:3: site.colour: unknown setting (known: title, description, base_url, "
        "language, timezone)"
    ]
    assert err.splitlines()[-1] == "1 problem"
    write_tree(project, {"config.yaml": "site:\n  title: Harbour\n"})
    assert run(project, command="check") == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{project / 'content'}/bad.md:2:12: front matter is not valid YAML: mapping values "
        "are not allowed in this context; left out"
    ]
    assert not (project / "site").exists()


def test_check_finds_template_errors_and_passes_clean_content(project, tmp_path, capsys):
    theme = tmp_path / "theme"
    for source in (ROOT / "templates").rglob("*"):
        if source.is_file():
            target = theme / source.relative_to(ROOT / "templates")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    assert run(project, command="check") == 0
    assert capsys.readouterr() == ("", "No problems found.\n")
    (theme / "event.html").write_text("{% if event %}\n<p>{{ event.title }</p>\n", "utf-8")
    assert run(project, "--templates", str(theme), command="check") == 1
    [problem] = capsys.readouterr().out.splitlines()
    assert problem.startswith(f"{theme / 'event.html'}:2: ")
