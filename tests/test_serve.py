"""`python build.py serve`: builds, serves, rebuilds on change, reloads open pages, and keeps
the last good site when a rebuild fails, showing the error in the page; prints and shows the
build's warnings; answers only loopback host names on a loopback address."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from storyline.serve import host_allowed
from tests.conftest import ROOT, write_tree

FIRST = "---\ntitle: Pier vote\nsource: Bay Post\ndate: 2025-02-03\n---\nThe council voted on the pier.\n"
SECOND = "---\ntitle: Ferry fares frozen\nsource: Harbor Ledger\ndate: 2025-06-10\n---\nThe ferry fares stay as they are this summer.\n"
BROKEN = "---\ntitle: [Ferry fares\nsource: Harbor Ledger\n---\nThe ferry fares stay.\n"


def fetch(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def status_of(base: str, path: str, host: str | None = None) -> int:
    """The HTTP status of GET `path`, sent with `host` as the Host header (default: the
    server's own address, as urllib sends it)."""
    address = re.match(r"http://([^/]+)/", base).group(1)
    connection = http.client.HTTPConnection(address, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", address if host is None else host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def wait_for(check, what: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


@dataclass
class Served:
    project: Path
    base: str
    log: Path  # what the command printed, stdout and stderr

    def printed(self) -> str:
        return self.log.read_text(encoding="utf-8")


def serving(tmp_path: Path, articles: dict[str, str]):
    write_tree(tmp_path, {"config.yaml": "site:\n  title: Harbour news\n"})
    write_tree(tmp_path / "content", articles)
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [
                sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",
                "--config", str(tmp_path / "config.yaml"), "--content", str(tmp_path / "content"),
                "--output", str(tmp_path / "site"), "--templates", str(ROOT / "templates"),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
    served = Served(tmp_path, "", log)
    try:

        def address() -> str | None:
            assert process.poll() is None, f"the server stopped: {served.printed()}"
            found = re.search(r"serving .* at (http://\S+/)", served.printed())
            return found.group(1) if found else None

        served.base = wait_for(address, "the server to start", seconds=120)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def served(tmp_path):
    yield from serving(tmp_path, {"a.md": FIRST})


@pytest.fixture
def served_with_a_warning(tmp_path):
    yield from serving(tmp_path, {"a.md": FIRST, "b.md": BROKEN})


def status(base: str) -> dict:
    return json.loads(fetch(base + "__storyline/status"))


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(served):
    project, base = served.project, served.base
    assert status(base) | {"version": None} == {
        "build": 1,
        "error": None,
        "warnings": [],
        "version": None,
    }
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


def test_a_page_asking_for_news_is_answered_when_the_next_build_is_written(served):
    """An open page's request for the build state waits at the server for the next build, so
    the page reloads as soon as it is written, not at its next poll."""
    project, base = served.project, served.base
    version = status(base)["version"]
    with ThreadPoolExecutor(1) as waiting:
        news = waiting.submit(fetch, f"{base}__storyline/status?seen={version}", 60)
        (project / "content" / "b.md").write_text(SECOND, encoding="utf-8")
        answer = json.loads(news.result())
    assert answer["build"] == 2 and answer["version"] > version
    assert "Ferry fares frozen" in fetch(base)  # the build it announces is served


def test_open_pages_reload_and_show_a_failed_build(served, browser):
    project, base = served.project, served.base
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


def build_warnings(project: Path) -> list[str]:
    """The warnings a plain build of the served project prints."""
    built = subprocess.run(
        [
            sys.executable, str(ROOT / "build.py"), "--no-cache",
            "--config", str(project / "config.yaml"), "--content", str(project / "content"),
            "--output", str(project / "built"), "--templates", str(ROOT / "templates"),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    digest = json.loads((project / "built" / "digest.json").read_text(encoding="utf-8"))
    assert len(digest["warnings"]) == 1  # the broken front matter, and nothing else
    return [line for line in built.stderr.splitlines() if line.startswith("b.md:")]


def test_serve_prints_the_warnings_a_build_prints(served_with_a_warning):
    served = served_with_a_warning
    warnings = build_warnings(served.project)
    assert warnings and "front matter" in warnings[0]
    for warning in warnings:
        assert warning in served.printed().splitlines()
    assert status(served.base)["warnings"] == warnings
    assert status(served.base)["error"] is None  # a warning is not a failed build


def test_a_new_session_on_an_up_to_date_site_prints_its_warnings(tmp_path):
    session = serving(tmp_path, {"a.md": FIRST, "b.md": BROKEN})
    warnings = status(next(session).base)["warnings"]
    session.close()
    assert len(warnings) == 1

    session = serving(tmp_path, {"a.md": FIRST, "b.md": BROKEN})
    served = next(session)
    try:
        assert "nothing changed" in served.printed()  # the site from the first session
        assert warnings[0] in served.printed().splitlines()
        assert status(served.base)["warnings"] == warnings
    finally:
        session.close()


def test_open_pages_show_the_warnings_apart_from_a_failed_build(served_with_a_warning, browser):
    served = served_with_a_warning
    page = browser.new_page()
    page.goto(served.base)
    warnings = page.locator("#storyline-build-warnings")
    warnings.wait_for(state="visible", timeout=20000)
    assert "b.md:3" in warnings.inner_text()
    assert "front matter" in warnings.inner_text()
    assert page.locator("#storyline-build-error").count() == 0

    (served.project / "content" / "b.md").write_text(SECOND, encoding="utf-8")
    page.wait_for_function(
        "!document.getElementById('storyline-build-warnings')", timeout=20000
    )  # mended: the page reloads without them
    page.close()


def test_a_path_segment_too_long_for_a_file_name_is_not_found(served):
    too_long = "/" + "a" * 300 + "/index.html"
    assert status_of(served.base, too_long) == 404
    assert status_of(served.base, "/" + quote("é" * 200)) == 404  # 400 bytes in UTF-8
    assert status_of(served.base, "/") == 200  # still serving
    assert "Traceback" not in served.printed()
    assert "a" * 300 not in served.printed()


LOOPBACK_NAMES = [
    "localhost",
    "localhost:8000",
    "LOCALHOST",
    "127.0.0.1",
    "127.0.0.1:8000",
    "127.1.2.3",
    "[::1]",
    "[::1]:8000",
    "site.localhost:8000",
]
OTHER_NAMES = [
    "example.org",
    "example.org:8000",
    "localhost.example.org",
    "127.0.0.1.example.org",
    "10.0.0.1",
    "192.168.1.20:8000",
    "[::2]",
    "",
    "localhost:port",
]


def test_on_a_loopback_address_only_loopback_host_names_are_answered(served):
    for host in LOOPBACK_NAMES:
        assert status_of(served.base, "/", host) == 200, host
    for host in OTHER_NAMES:  # a DNS rebinding page would send its own name
        assert status_of(served.base, "/", host) == 403, host
        assert status_of(served.base, "/__storyline/status", host) == 403, host


def test_a_server_on_another_address_answers_any_host_name():
    for host in [*LOOPBACK_NAMES, *OTHER_NAMES]:
        assert host_allowed(host, "0.0.0.0")
        assert host_allowed(host, "192.168.1.20")
    assert all(host_allowed(host, "127.0.0.1") for host in LOOPBACK_NAMES)
    assert not any(host_allowed(host, "127.0.0.1") for host in OTHER_NAMES)
    assert not host_allowed(None, "127.0.0.1")  # no Host header at all
