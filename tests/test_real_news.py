"""Real news builds: every topic of Timeline17 (../shared/data/t17-dev), as a user builds it.

Each topic is a few hundred articles from one outlet about the BP oil spill, H1N1 or Michael
Jackson's death, without titles or outlets. Two of them ("five months later", "four months
later" after a half year and a season) once crashed the build. The articles are read at run time;
the test skips, saying so, when the folder is absent.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED

T17 = SHARED / "data" / "t17-dev"
TOPICS = (
    "H1N1_bbc",
    "H1N1_guardian",
    "H1N1_reuters",
    "MJ_bbc",
    "bpoil_bbc",
    "bpoil_foxnews",
    "bpoil_guardian",
    "bpoil_reuters",
    "bpoil_washingtonpost",
)
HANG_SECONDS = 1800  # a build of 300 articles takes well under a minute: this is only a hang


@pytest.mark.parametrize("topic", TOPICS)
def test_every_timeline17_topic_builds(tmp_path, topic):
    articles = T17 / topic / "articles.jsonl"
    if not articles.is_file():
        pytest.skip(f"the Timeline17 articles are not at {articles} (../shared/data/t17-dev)")
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")  # the defaults
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--content",
            str(articles.parent),
            "--output",
            "site",
            "--templates",
            str(ROOT / "templates"),
            "--no-cache",
        ],  # fmt: skip
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    timeline = (tmp_path / "site" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert "<time datetime=" in timeline
