"""A smoke run of the build benchmark: it builds a small synthetic corpus in every scenario and
prints its table. The figures themselves are for README.md, not for tests."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

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


DATA = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not DATA.is_dir(), reason="needs the labelled corpora in ../shared/data")
def test_the_build_benchmark_prints_each_stage_at_each_size_of_real_articles():
    """`--real 30 60`: real articles at each size, and a last table of each stage's seconds
    at both sizes with its growth against the articles'."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "build.py"), "30", "60", "--real"]
        + ["--without-others", "--cold-only"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("The cold build's stages by size")[1].splitlines()[1:]
    assert table[0] == "| stage | 30 articles | 60 articles | growth ÷ articles' |"
    rows = {cells[0]: cells[1:] for row in table[2:] if (cells := split_row(row))}
    assert {"group", "describe and compare", "render and write"} <= set(rows)
    for stage, (small, large, growth) in rows.items():
        assert small.endswith(" s") and large.endswith(" s"), stage
        seconds = float(small[:-2]), float(large[:-2])
        if seconds[0]:
            assert float(growth) == pytest.approx(seconds[1] / seconds[0] / 2, abs=0.01)


def split_row(row: str) -> list[str]:
    return [cell.strip() for cell in row.split("|")[1:-1]]


@pytest.mark.skipif(not DATA.is_dir(), reason="needs the labelled corpora in ../shared/data")
def test_real_articles_mixed_hold_every_corpus_in_its_share_at_any_size(tmp_path):
    from collections import Counter

    from bench.real_corpus import articles, write_corpus

    whole = Counter(name for name, _ in articles(DATA))
    write_corpus(tmp_path, 400, mixed=True)
    written = Counter(path.parent.name.rsplit("-", 1)[0] for path in tmp_path.glob("*/*.md"))
    assert set(written) == set(whole)
    for corpus, count in whole.items():
        assert abs(written[corpus] - 400 * count / whole.total()) <= 1, corpus


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
