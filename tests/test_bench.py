"""A smoke run of the build benchmark: it builds a small synthetic corpus in every scenario and
prints its table. The figures themselves are for README.md, not for tests."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_the_build_benchmark_runs_every_scenario_on_a_small_corpus():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "build.py"), "40", "--without-others"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 40 | Storyline")]
    scenarios = [row.split("|")[2].strip() for row in rows]
    assert scenarios == [
        "Storyline: cold build",
        "Storyline: rebuild, nothing changed",
        "Storyline: rebuild, one article edited",
        "Storyline: rebuild, one article added",
        "Storyline: rebuild, one article deleted",
    ]


def test_the_build_benchmark_times_the_dask_local_cluster_beside_the_default_pool():
    command = [sys.executable, str(ROOT / "bench" / "build.py"), "40", "--without-others"]
    result = subprocess.run(
        [*command, "--cold-only", "--scheduler-local"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 40 | Storyline")]
    assert [row.split("|")[2].strip() for row in rows] == [
        "Storyline: cold build",
        "Storyline: cold build, --scheduler local",
    ]
    assert "summary of the cold build on Dask of 40 articles:" in result.stdout


def test_the_wire_copies_benchmark_builds_one_event_of_copies():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "wire.py"), "6"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    [row] = [line for line in result.stdout.splitlines() if line.startswith("| 6 |")]
    cells = [cell.strip() for cell in row.split("|")[1:-1]]
    assert cells[2].endswith(" s") and cells[2] != "? s"  # the build's describe and compare
    assert cells[4] == "1"  # one event


def test_the_build_benchmark_gives_pelican_and_hugo_the_articles_of_a_real_folder(tmp_path):
    """With `--content FOLDER`, Pelican and Hugo build the same articles as plain posts: each
    file's title, outlet, day and text, and a day for an article that has none."""
    from bench.build import folder_records

    (tmp_path / "harbour").mkdir()
    (tmp_path / "harbour" / "vote.md").write_text(
        "---\ntitle: 'Pier vote: yes'\nsource: Bay Post\npublished: '2025-02-04'\n---\n\n"
        "The council voted on Tuesday.\n",
        encoding="utf-8",
    )
    (tmp_path / "undated.md").write_text(
        "---\nsource: Harbour Radio\n---\nCrews repaired the old ferry pier.\n", encoding="utf-8"
    )
    assert folder_records(tmp_path) == [
        {
            "id": "harbour-vote",
            "title": "Pier vote: yes",
            "source": "Bay Post",
            "published_iso": "2025-02-04",
            "text": "\nThe council voted on Tuesday.\n",
        },
        {
            "id": "undated",
            "title": "Crews repaired the old ferry pier.",
            "source": "Harbour Radio",
            "published_iso": "2000-01-01",
            "text": "Crews repaired the old ferry pier.\n",
        },
    ]


def test_the_serve_benchmark_times_saves_until_the_open_page_reloads(tmp_path, browser):
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    article = min((tmp_path / "content").rglob("*.md"))
    before = article.read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "serve_edit.py"), str(tmp_path), "--edits", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    edits = [line for line in result.stdout.splitlines() if line.startswith("edit ")]
    assert [line.split(":")[0] for line in edits] == [
        "edit 1 (sentence appended)",
        "edit 2 (sentence taken out)",
    ]
    assert all("page reloaded" in line and "the rebuild took" in line for line in edits)
    assert article.read_text(encoding="utf-8") == before  # left as it was found
