"""Shared fixtures: the repository's own paths and a one-call build into a temporary folder."""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

from evaluation.findings import revealed
from storyline import cache
from storyline.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
BASIL = SHARED / "data" / "basil"
# No test times anything against the clock: machines are shared and slow down. A test may only
# guard against catastrophic growth: an input GROWTH times as large may take at most
# SLOWDOWN_BOUND times as long. A linear reader takes 8 times as long, a quadratic one 64; the
# bound of 40 leaves a busy machine room to spare. Speed itself is measured in bench/.
GROWTH = 8
SLOWDOWN_BOUND = 5 * GROWTH
MEASURE_SECONDS = 0.02  # a call is repeated this long, so that a pause of the machine weighs little
Input = TypeVar("Input")


def slowdown(run: Callable[[Input], object], small: Input, large: Input) -> float:
    """How many times longer `run(large)` takes than `run(small)`: the best of three measures
    of each, taken in turn, so that a busy moment slows both alike."""
    run(small)  # compile patterns and load data first
    best = {0: float("inf"), 1: float("inf")}
    for _ in range(3):
        for which, value in enumerate((small, large)):
            best[which] = min(best[which], _seconds_per_call(run, value))
    return best[1] / best[0]


def _seconds_per_call(run: Callable[[Input], object], value: Input) -> float:
    calls, began = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - began) < MEASURE_SECONDS or not calls:
        run(value)
        calls += 1
    return elapsed / calls


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Create files below `base` from {relative path: text or bytes}."""
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return base


@pytest.fixture
def fresh_code_hash():
    """The cache's memos of the code and the libraries forgotten before and after, as a new
    process starts without them."""

    def forget() -> None:
        for memo in vars(cache).values():
            if hasattr(memo, "cache_clear"):
                memo.cache_clear()

    forget()
    yield forget
    forget()


@pytest.fixture
def build_site(tmp_path: Path):
    """Build `content` with the project's templates; return (output folder, digest.json)."""

    def run(content: Path, config: str = "", **options) -> tuple[Path, dict]:
        config_path = tmp_path / "config.yaml"
        config_path.write_text(config, encoding="utf-8")
        output = tmp_path / "site"
        build(
            BuildOptions(
                config=config_path,
                content=content,
                output=output,
                templates=ROOT / "templates",
                **options,
            )
        )
        return output, json.loads((output / "digest.json").read_text(encoding="utf-8"))

    return run


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(
            f"the seed articles are not at {SEEDS} (they live in ../shared/seeds beside "
            "the repository and are never copied into it)"
        )
    return SEEDS


@pytest.fixture(scope="session")
def basil_site(tmp_path_factory) -> Path:
    """BASIL's articles built with no settings, once for every test that reads its site."""
    if not (BASIL / "articles.jsonl").is_file():
        pytest.skip(f"the BASIL corpus is not at {BASIL} (../shared/data beside the repository)")
    work = tmp_path_factory.mktemp("basil")
    (work / "content").mkdir()
    shutil.copyfile(BASIL / "articles.jsonl", work / "content" / "articles.jsonl")
    (work / "config.yaml").write_text("", encoding="utf-8")
    site = work / "site"
    build(BuildOptions(work / "config.yaml", work / "content", site, templates=ROOT / "templates"))
    return site


@pytest.fixture(scope="session")
def said(seeds: Path) -> Callable[[dict], str]:
    """The seeds' words a fingerprint stands for (tests keep quotes of the seeds as
    fingerprints, never as their words), as `evaluation.findings.normal` writes them."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(seeds.iterdir()))
    return lambda cue: revealed(cue, text)


def local_links(site: Path) -> dict[Path, list[str]]:
    """Every href and src of every HTML page, except links that leave the site."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in ("href", "src") and value:
                    self.found.append(value)

    pages = {}
    for page in site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page] = [
            link
            for link in parser.found
            if not link.startswith(("http://", "https://", "mailto:", "#"))
        ]
    return pages


def broken_links(site: Path) -> list[str]:
    """Links that do not lead to a file of the site when opened from file://."""
    broken = []
    for page, links in local_links(site).items():
        for link in links:
            target = (page.parent / link.split("#")[0]).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    return broken


# --- real checkers: a browser, the Nu HTML Checker ---

CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no network: without these Chromium keeps dialling out and failing.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str) -> NoReturn:
    """Skip a check whose tool is missing, saying why; under STORYLINE_REQUIRE_CHECKERS=1 (as
    .ci/run sets) a missing tool fails the test instead."""
    if os.environ.get("STORYLINE_REQUIRE_CHECKERS") == "1":
        pytest.fail(f"this check is required here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, with no browser download."""
    executable = os.environ.get("STORYLINE_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not executable:
        unavailable("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def serve():
    """Serve folders over HTTP on free local ports, as GitHub Pages would: serve(folder,
    "/storyline-demo/") answers under that subpath only, 404 elsewhere. Returns the base URL."""

    servers = []

    def start(folder: Path, prefix: str = "/") -> str:
        class Handler(SimpleHTTPRequestHandler):
            def translate_path(self, path: str) -> str:
                if not path.startswith(prefix):
                    return str(folder / "no such file")
                return super().translate_path("/" + path[len(prefix) :])

            def log_message(self, *args) -> None:
                pass

        handler = functools.partial(Handler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
