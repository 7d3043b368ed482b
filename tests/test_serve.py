"""`python build.py serve`: builds, serves, rebuilds on change, reloads open pages, and keeps
the last good site when a rebuild fails, showing the error in the page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT, write_tree

FIRST = "---\ntitle: Pier vote\nsource: Bay Post\ndate: 2025-02-03\n---\nThe council voted on the pier.\n"
SECOND = "---\ntitle: Ferry fares frozen\nsource: Harbor Ledger\ndate: 2025-06-10\n---\nThe ferry fares stay as they are this summer.\n"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(check, what: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


@pytest.fixture
def served(tmp_path):
    write_tree(tmp_path, {"config.yaml": "site:\n  title: Harbour news\n", "content/a.md": FIRST})
    process = subprocess.Popen(
        [
            sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",
            "--config", str(tmp_path / "config.yaml"), "--content", str(tmp_path / "content"),
            "--output", str(tmp_path / "site"), "--templates", str(ROOT / "templates"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        line = ""
        while "serving" not in line:
            line = process.stdout.readline()
            assert line, "the server stopped before serving"
        yield tmp_path, re.search(r"http://\S+/", line).group()
    finally:
        process.terminate()
        process.wait(timeout=10)


def status(base: str) -> dict:
    return json.loads(fetch(base + "__storyline/status"))


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(served):
    project, base = served
    assert status(base) == {"build": 1, "error": None}
    assert "Pier vote" in fetch(base)

    (project / "content" / "b.md").write_text(SECOND, encoding="utf-8")
    wait_for(lambda: status(base)["build"] == 2, "the rebuild after a new article")
    assert "Ferry fares frozen" in fetch(base)

    (project / "config.yaml").write_text("site: [\n", encoding="utf-8")
    error = wait_for(lambda: status(base)["error"], "the failed rebuild")
    assert "config.yaml" in error
    page = fetch(base)
    assert "Ferry fares frozen" in page  # the last good site is still served
    assert (
        not (project / "site" / "index.html").read_text().count("__storyline")
    )  # on disk: as published


def test_open_pages_reload_and_show_a_failed_build(served, browser):
    project, base = served
    page = browser.new_page()
    page.goto(base)
    (project / "config.yaml").write_text("site: [\n", encoding="utf-8")
    banner = page.locator("#storyline-build-error")
    banner.wait_for(state="visible", timeout=20000)
    assert "config.yaml" in banner.inner_text()

    (project / "config.yaml").write_text("site:\n  title: Harbour news, fixed\n", encoding="utf-8")
    page.wait_for_function("document.title.includes('fixed')", timeout=20000)  # reloaded
    assert page.locator("#storyline-build-error").count() == 0
    page.close()
