"""`build.py init`: a new digest of one's own, named after its story, and the Pages workflow."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import yaml

from storyline.config import load_config
from storyline.text import spelled_in_full
from tests.conftest import ROOT


def init(folder) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "init", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_init_writes_a_config_to_fill_in_an_empty_content_folder_and_a_how_to(tmp_path):
    made = init(tmp_path / "harbour")
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "harbour"
    assert (folder / "content").is_dir() and not any((folder / "content").iterdir())
    assert "content/" in (folder / "README.md").read_text(encoding="utf-8")
    config = load_config(folder / "config.yaml")  # valid, and its title left to fill in
    assert config.title is None
    assert "title:" in (folder / "config.yaml").read_text(encoding="utf-8")
    assert not (folder / "templates").exists()  # the built-in theme, by reference


def test_init_never_overwrites_a_digest(tmp_path):
    folder = tmp_path / "harbour"
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "one.md").write_text("# Mine\n\nKeep me.\n", encoding="utf-8")
    (folder / "config.yaml").write_text("site:\n  title: Mine\n", encoding="utf-8")
    refused = init(folder)
    assert refused.returncode == 2
    assert "config.yaml" in refused.stderr and "content" in refused.stderr
    assert (folder / "config.yaml").read_text(encoding="utf-8") == "site:\n  title: Mine\n"
    assert not (folder / "README.md").exists()


def test_a_new_digest_is_named_after_its_story_not_after_the_sample(tmp_path):
    folder = tmp_path / "harbour"
    assert init(folder).returncode == 0
    shutil.copytree(ROOT / "content", folder / "content", dirs_exist_ok=True)
    built = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "-q", "--jobs", "1"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    digest = json.loads((folder / "output" / "digest.json").read_text(encoding="utf-8"))
    sample = load_config(ROOT / "config.yaml").title
    title = digest["site"]["title"]
    stories = [s for s in digest["storylines"] if len(s["events"]) > 1]
    named = [s["title"] for s in stories] + [e["title"] for e in digest["events"]]
    assert title != sample and title in named
    page = (folder / "output" / "index.html").read_text(encoding="utf-8")
    assert sample not in page


def test_the_accented_spelling_of_a_name_wins_then_the_most_written():
    assert spelled_in_full(["Sebastien Lecornu", "Sébastien Lecornu", "Sebastien Lecornu"]) == (
        "Sébastien Lecornu"
    )
    assert spelled_in_full(["Ann Lee", "ANN LEE", "ANN LEE"]) == "ANN LEE"
    assert spelled_in_full(["Ann Lee", "ANN LEE"]) == "Ann Lee"


def test_the_pages_workflow_checks_before_building_and_keeps_its_caches():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    check = next(n for n, run in enumerate(runs) if "build.py check" in run)
    build = next(n for n, run in enumerate(runs) if "build.py --base-url" in run)
    assert check < build
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"
    cached = [s for s in steps if s.get("uses", "").startswith("actions/cache")]
    assert [s["with"]["path"] for s in cached] == [".cache"]
    assert next(n for n, s in enumerate(steps) if s in cached) < build
