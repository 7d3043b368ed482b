"""The write stage on an edit: the files of a built site written into a new output folder, then
written again with one page changed and the rest passed as the render stage passes the pages
it found unchanged. Prints the CPU and wall time of each rewrite.

    python bench/write.py SITE [RUNS]

SITE is an output folder a build made; it is only read. The copy is made beside it and removed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from storyline.model import SiteFile
    from storyline.write import MARKER, write_site

    site = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    files = {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != MARKER
    }
    edited = next(p for p in files if p.startswith("events/"))
    with tempfile.TemporaryDirectory(dir=site.parent) as scratch:
        output, content = Path(scratch) / "site", Path(scratch) / "content"
        content.mkdir()
        previous = write_site(files, output, content)
        for run in range(runs):
            changed = files[edited] + f"<!-- edit {run} -->".encode()
            pages = [SiteFile(p, changed if p == edited else None) for p in files]
            cpu, wall = time.process_time(), time.perf_counter()
            previous = write_site(pages, output, content, previous)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{len(files):,} files, one changed: {cpu:.3f} CPU-s, {wall:.3f} s wall")
        shutil.rmtree(output)


if __name__ == "__main__":
    main()
