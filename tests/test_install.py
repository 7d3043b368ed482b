"""`pip install .` gives a working package: the wheel holds every module and the built-in theme,
and its `storyline` command, installed in a fresh virtual environment, builds the sample digest
in a folder holding only config.yaml and content/, the same site as the checkout builds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

# what the wheel is built from: a copy, so that no build/ or egg-info lands in the checkout
# and no leftover of an earlier build in it reaches the wheel
SOURCES = ("pyproject.toml", "README.md", "storyline", "templates")
# the checkout stays off the path: what runs must be what the wheel installed
OUTSIDE = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=OUTSIDE, capture_output=True, text=True)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path_factory.mktemp("wheels")
    # as `pip install .` builds it: setuptools from the package index, in isolation
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source], source)
    (built,) = wheels.glob("storyline-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; the dependencies come from this
    Python's site-packages (no download). Returns its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--system-site-packages", venv], venv)
    bin_folder = venv / ("Scripts" if os.name == "nt" else "bin")
    run([bin_folder / "python", "-m", "pip", "install", "--no-deps", "--no-index", wheel], venv)
    return bin_folder


def test_the_wheel_holds_every_module_and_the_theme(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "storyline").rglob("*.py")
        if "__pycache__" not in path.parts
    ]
    assert {"storyline/dates/tagger.py", "storyline/events/group.py"} <= set(modules)
    assert "storyline/compare/quotes.py" in modules
    theme = [
        "storyline/theme/" + path.relative_to(ROOT / "templates").as_posix()
        for path in (ROOT / "templates").rglob("*")
        if path.is_file()
    ]
    assert {"storyline/theme/event.html", "storyline/theme/static/style.css"} <= set(theme)
    assert sorted(set(modules + theme) - names) == []


def test_the_installed_command_builds_a_folder_with_only_settings_and_articles(installed, tmp_path):
    where = run(
        [installed / "python", "-c", "import storyline; print(storyline.__file__)"], tmp_path
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)  # the wheel's, not ours

    project = tmp_path / "digest"
    project.mkdir()
    shutil.copy2(ROOT / "config.yaml", project / "config.yaml")
    shutil.copytree(ROOT / "content", project / "content")
    assert run([installed / "storyline", "--help"], project).stdout.startswith("usage: storyline")
    run([installed / "storyline", "--jobs", "1"], project)

    site = project / "output"
    digest = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    assert len(digest["events"]) >= 3
    for event in digest["events"]:
        assert (site / "events" / event["slug"] / "index.html").is_file()
        assert (site / "events" / event["slug"] / "compare" / "index.html").is_file()

    from storyline.pipeline import BuildOptions, build

    checkout = tmp_path / "checkout-site"  # the same inputs, built by the checkout's code
    build(BuildOptions(ROOT / "config.yaml", ROOT / "content", checkout, jobs=1, cache=False))
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(checkout) for p in checkout.rglob("*") if p.is_file())
    assert [p for p in files if (site / p).read_bytes() != (checkout / p).read_bytes()] == []
