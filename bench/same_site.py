"""The site two versions of the code build, compared file by file: a refactoring of the render
stage must leave every byte as it was.

    python bench/same_site.py [REF] [CONTENT ...]

builds each content folder (default: the sample `content/` and ../shared/seeds, where it is)
with the code of the git commit REF (default `main`, exported with `git archive`) and with
this checkout's, each with its own theme, no cache and one process, and prints the files
that differ or exist in one site only, then how many files were compared.
"""

from __future__ import annotations

import filecmp
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def export(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def build(code: Path, content: Path, output: Path, config: Path) -> None:
    arguments = ["--config", str(config), "--content", str(content), "--output", str(output)]
    arguments += ["--templates", str(code / "templates"), "--no-cache", "--jobs", "1", "-q"]
    subprocess.run(
        [sys.executable, str(code / "build.py"), *arguments],
        env={**os.environ, "PYTHONPATH": str(code)},
        cwd=config.parent,
        check=True,
    )


def differences(old: Path, new: Path) -> list[str]:
    found = []
    for folder, _, files in os.walk(old):
        for name in files:
            path = Path(folder, name).relative_to(old)
            if not (new / path).is_file():
                found.append(f"only in the old site: {path}")
            elif not filecmp.cmp(old / path, new / path, shallow=False):
                found.append(f"differs: {path}")
    for folder, _, files in os.walk(new):
        for name in files:
            path = Path(folder, name).relative_to(new)
            if not (old / path).exists():
                found.append(f"only in the new site: {path}")
    return found


def main() -> int:
    ref = sys.argv[1] if len(sys.argv) > 1 else "main"
    folders = [Path(a).resolve() for a in sys.argv[2:]] or [
        f for f in (ROOT / "content", SEEDS) if f.is_dir()
    ]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        old = export(ref, work / "old")
        config = work / "project" / "config.yaml"  # the sample's settings, for every folder
        config.parent.mkdir()
        config.write_bytes((ROOT / "config.yaml").read_bytes())
        found, compared = [], 0
        for n, content in enumerate(folders):
            sites = work / f"old-{n}", work / f"new-{n}"
            build(old, content, sites[0], config)
            build(ROOT, content, sites[1], config)
            found += [f"{content}: {line}" for line in differences(*sites)]
            compared += sum(1 for p in sites[1].rglob("*") if p.is_file())
    print("\n".join(found) or f"the same site, byte for byte, from {ref} and this checkout")
    print(f"{compared} files compared in {len(folders)} sites")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
