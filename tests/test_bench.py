"""A smoke run of the build benchmark: it builds a small synthetic corpus in every scenario and
prints its table. The figures themselves are for README.md, not for tests."""

from __future__ import annotations

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
