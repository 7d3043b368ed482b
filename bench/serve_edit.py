"""Benchmark of `serve`: the time from saving an edited article to the open page reloaded.

    python bench/serve_edit.py FOLDER [--edits 4] [--article NAME] [--page PATH]

FOLDER holds config.yaml and content/ (`bench/real_corpus.py FOLDER/content COUNT` writes such
content); the site is written to FOLDER/output, the cache to FOLDER/.cache, so build the folder
once first (`python build.py --config FOLDER/config.yaml --content FOLDER/content --output
FOLDER/output`) unless the first, cold build is to be waited for too. The script starts
`python build.py serve` on the folder, opens its front page in Chromium (Playwright, Debian's
`chromium`; `--page` another page of the site, such as the edited article's event page), then
saves one article `--edits` times, a sentence appended and taken out again in turn. It prints
for each save the seconds until the open page has reloaded (its `load` event), with the
rebuild's own seconds as `serve` printed them. The article is left as it was found.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_FLAGS  # noqa: E402 (after the path is set)

SENTENCE = "\n\nThe council said on Tuesday that the review would take another week.\n"
STARTED = re.compile(r"serving .* at (http://\S+/)")
REBUILT = re.compile(r"built \d+ pages from \d+ articles in ([\d.]+) s")
FIRST_BUILD_S = 3600  # a cold build of a large folder takes minutes
RELOAD_S = 600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--edits", type=int, default=4)
    parser.add_argument("--article", help="the content file to edit (default: the first)")
    parser.add_argument("--page", default="", help="the page to open, under the site's root")
    options = parser.parse_args()
    content = options.folder / "content"
    article = content / options.article if options.article else min(content.rglob("*.md"))
    original = article.read_text(encoding="utf-8")
    log = Path(tempfile.mkdtemp()) / "serve.log"
    with log.open("w", encoding="utf-8") as printed:
        server = subprocess.Popen(
            [
                sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "-q",
                "--config", str(options.folder / "config.yaml"), "--content", str(content),
                "--output", str(options.folder / "output"),
            ],
            stdout=printed,
            stderr=subprocess.DEVNULL,  # the corpus's warnings
        )  # fmt: skip
    try:
        base = _wait_for(lambda: STARTED.search(log.read_text()), server, FIRST_BUILD_S).group(1)
        print(f"serving {base}; editing {article.relative_to(content)}", flush=True)
        reloads = _edits(base + options.page, article, original, options.edits, log, server)
    finally:
        article.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(log.parent)
    print(f"median: page reloaded {statistics.median(reloads):.2f} s after the save")


def _edits(
    url: str, article: Path, original: str, edits: int, log: Path, server: subprocess.Popen
) -> list[float]:
    """Saves `article` `edits` times and returns the seconds from each save to the reload."""
    from playwright.sync_api import sync_playwright

    def waiting_for_news(request) -> bool:  # the reloader's request that waits for a build
        return "__storyline/status?seen=" in request.url

    reloads = []
    with sync_playwright() as playwright:
        executable = shutil.which("chromium")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        with page.expect_request(waiting_for_news, timeout=RELOAD_S * 1000):
            page.goto(url)
        for edit in range(edits):
            text = original + SENTENCE if edit % 2 == 0 else original
            rebuilds = len(REBUILT.findall(log.read_text()))
            with page.expect_request(waiting_for_news, timeout=RELOAD_S * 1000):
                with page.expect_event("load", timeout=RELOAD_S * 1000):
                    saved = time.perf_counter()
                    article.write_text(text, encoding="utf-8")
                reloads.append(time.perf_counter() - saved)
            found = _wait_for(lambda n=rebuilds: REBUILT.findall(log.read_text())[n:], server, 60)
            change = "sentence appended" if edit % 2 == 0 else "sentence taken out"
            print(
                f"edit {edit + 1} ({change}): page reloaded {reloads[-1]:.2f} s after the save;"
                f" the rebuild took {float(found[0]):.2f} s",
                flush=True,
            )
        browser.close()
    return reloads


def _wait_for(check, server: subprocess.Popen, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        if server.poll() is not None:
            sys.exit(f"serve stopped (exit code {server.returncode})")
        time.sleep(0.05)
    sys.exit(f"gave up after {seconds} s")


if __name__ == "__main__":
    main()
