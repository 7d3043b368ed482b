"""Command line: `python build.py [build] [options]`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import StoreError
from .config import ConfigError, load_config
from .model import ClusterError, Diagnostic, RenderError
from .pipeline import BuildOptions, BuildResult, StrictFailure, build, check
from .project import ProjectError, init_project
from .write import OutputError

if TYPE_CHECKING:  # rich is imported where it draws: a build with nothing to do never does
    from rich.progress import Progress, TaskID
    from rich.table import Table

COMMANDS = ("build", "check", "serve", "dates", "init")
INTERRUPTED = 130  # the shells' exit status for a command stopped by Ctrl-C (128 + SIGINT)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        # as it was started: the checkout's build.py, or the installed `storyline` command
        prog="python build.py" if Path(sys.argv[0]).name == "build.py" else "storyline",
        description="Build a static digest of a news story from a folder of articles.",
    )
    parser.add_argument("--version", action="version", version=f"storyline {__version__}")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("build", help="build the site (the default command)")
    _add_build_options(run)
    check = commands.add_parser(
        "check",
        help="check the settings, templates and every article without writing a site",
        description="Read and analyse every article as a build does, and check the config "
        "file, the templates and the output folder, without writing a site. Every problem is "
        "listed as path:line: message; the exit code is 1 if there is any (what `build "
        "--strict` would stop at), 0 if none. Suits CI and a pre-commit hook.",
    )
    _add_build_options(check)
    live = commands.add_parser(
        "serve",
        help="build, serve the site locally, and rebuild and reload pages on every change",
        description="Build, then serve the output folder on 127.0.0.1. Changes to the content "
        "folder, the templates or the config file rebuild the site and reload open pages; a "
        "failed rebuild keeps the last good site and shows its error in the page.",
    )
    _add_build_options(live)
    live.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    live.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    dates = commands.add_parser(
        "dates",
        help="print the date mentions of texts, as the build reads them",
        description='Read JSON Lines of {"id", "dct", "text"} (dct: the publication date, '
        'optional "lang") and print one line per input: {"id", "mentions": '
        '[{"start", "end", "text", "value", "precision"}]}.',
    )
    dates.add_argument("file", type=Path, help="JSON Lines file, or - for standard input")
    _add_config(dates)
    new = commands.add_parser(
        "init",
        help="start a new digest in a folder: config.yaml, content/ and a how-to",
        description="Write config.yaml (a title and a description to fill in), an empty "
        "content/ folder and a README.md on what to put there into FOLDER; the built-in theme "
        "is used by reference. Nothing is overwritten.",
    )
    new.add_argument("folder", type=Path, help="the new digest's folder (made if missing)")
    return parser


def _add_build_options(run: argparse.ArgumentParser) -> None:
    _add_config(run)
    run.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        help="folder of articles (default: content)",
    )
    run.add_argument(
        "--output",
        type=Path,
        default=Path("output"),
        help="folder the site is written to (default: output)",
    )
    run.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="theme folder (default: templates/ beside the config file, else the built-in theme)",
    )
    run.add_argument(
        "--base-url", default=None, help="public URL of the site, e.g. https://user.github.io/repo/"
    )
    run.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    run.add_argument(
        "--previous",
        type=Path,
        default=None,
        help="digest.json of the published site, to keep its event URLs "
        "(default: the output folder's)",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="treat any warning as a failure (exit code 1); nothing is written",
    )
    run.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="analyse every article afresh; without it, unchanged articles are taken from "
        ".cache/ beside the config file",
    )
    run.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes for the analysis, grouping, comparison and event pages, or "
        "the workers of --scheduler local (default: the number of cores)",
    )
    run.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run the heavy stages on a Dask cluster: its scheduler's address (tcp://host:8786), "
        "or 'local' for a cluster on this machine; needs pip install 'storyline[dask]' "
        "(default: the config's `scheduler`, else this machine's worker processes)",
    )
    noise = run.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="print debugging details")


def _add_config(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--config",
        type=Path,
        default=Path("config.yaml"),
        help="settings file (default: config.yaml)",
    )


class ProgressBars:
    """A progress bar per stage on a terminal (rich); silent when stderr is not one, so logs
    and CI output stay clean."""

    def __init__(self, enabled: bool):
        self.bars: Progress | None = None
        self.tasks: dict[str, TaskID] = {}
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bars = Progress(
                TextColumn("{task.description:<8}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )

    def __enter__(self) -> ProgressBars:
        if self.bars:
            self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bars:
            self.bars.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.bars:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=total)
        self.bars.update(self.tasks[stage], completed=done, total=total)


def counted(number: int, noun: str) -> str:
    """'1 draft', '2 drafts'."""
    return f"{number} {noun}{'s' if number != 1 else ''}"


def summary_table(result: BuildResult) -> Table:
    """What the build made, and where its time went."""
    from rich.table import Table

    digest = result.digest
    assert digest is not None  # an unchanged build makes nothing to sum up
    table = Table(title="Storyline build", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("", justify="right")
    skipped = f" ({counted(result.skipped, 'file')} skipped)" if result.skipped else ""
    drafts = f" ({counted(result.drafts, 'draft')} left out)" if result.drafts else ""
    table.add_row("articles", f"{result.read}{skipped}{drafts}")
    table.add_row("events", str(len(digest.events)))
    table.add_row("storylines", str(sum(len(s.events) > 1 for s in digest.storylines)))
    table.add_row("pages", str(result.pages))
    table.add_row("warnings", str(len(digest.diagnostics)))
    for stage, seconds in result.stages.items():
        table.add_row(f"{stage} (s)", f"{seconds:.2f}")
    table.add_row("total (s)", f"{result.seconds:.2f}")
    return table


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    if args.command == "dates":
        return _dates(args.file, args.config)
    if args.command == "init":
        return _init(args.folder)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    options = BuildOptions(
        config=args.config,
        content=args.content,
        output=args.output,
        templates=args.templates,
        base_url=args.base_url,
        drafts=args.drafts,
        previous=args.previous,
        strict=args.strict,
        cache=args.cache,
        jobs=max(1, args.jobs),
        scheduler=args.scheduler,
    )
    if args.command == "serve":
        from .serve import serve  # watchfiles and http.server: only when asked

        serve(options, args.host, args.port)
        return 0
    # `kill`, a service manager or a CI timeout stops a build as Ctrl-C does: its worker
    # processes shut down and the output folder left whole, not the process gone mid-step
    signal.signal(signal.SIGTERM, _interrupt)
    if args.command == "check":
        return _check(options, args.quiet)
    try:
        with ProgressBars(not args.quiet) as progress:
            result = build(options, progress)
    except KeyboardInterrupt:
        print(
            f"interrupted: the build stopped; {options.output}/ holds the last complete site",
            file=sys.stderr,
        )
        return INTERRUPTED
    except (ConfigError, OutputError, RenderError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except StrictFailure as failure:
        print_diagnostics(failure.diagnostics)
        print(f"error: {failure}", file=sys.stderr)
        return 1
    if args.quiet:
        return 0
    if result.digest is None:
        print(
            f"Nothing changed since the last build: {options.output}/ is up to date "
            f"({result.read} articles, checked in {result.seconds:.2f} s; the last build's "
            "warnings are in its digest.json)"
        )
        return 0
    from rich.console import Console

    print_diagnostics(result.digest.diagnostics)
    Console().print(summary_table(result))
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """A build's warnings, one `path:line:col: message` a line on stderr (`serve` too)."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr, flush=True)


def _check(options: BuildOptions, quiet: bool) -> int:
    """`python build.py check`: every problem on stdout, a count on stderr, exit 1 if any."""
    try:
        with ProgressBars(not quiet) as progress:
            problems = check(options, progress)
    except KeyboardInterrupt:
        print("interrupted: the check stopped", file=sys.stderr)
        return INTERRUPTED
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    if not quiet:
        found = counted(len(problems), "problem")
        print(found if problems else "No problems found.", file=sys.stderr)
    return 1 if problems else 0


def _init(folder: Path) -> int:
    """`python build.py init FOLDER`: a new digest, and what to do next."""
    try:
        init_project(folder)
    except ProjectError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"A new digest in {folder}/: put articles in {folder / 'content'}/, name it in "
        f"{folder / 'config.yaml'}, then run `storyline` there (see its README.md)."
    )
    return 0


def _dates(path: Path, config_path: Path) -> int:
    """`python build.py dates FILE.jsonl`: the build's own date reading, one JSON line out per
    line in; a line that cannot be read is reported on stderr as FILE:LINE: message."""
    from .dates import language, mentions_in, parse_published  # dateparser: only when asked

    try:
        config = load_config(config_path)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    lines = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    failed = 0
    with lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["text"]
                lang = language(record.get("lang"), config.language)
                anchor = None
                if record.get("dct"):
                    published, precision, _ = parse_published(
                        str(record["dct"]), config.timezone, config.date_order, lang
                    )
                    anchor = published.date() if published and precision == "day" else None
                found = mentions_in(text, anchor, lang, config.date_order).mentions
            except (ValueError, KeyError, TypeError) as error:
                print(f"{path}:{number}: {error!r}; line skipped", file=sys.stderr)
                failed += 1
                continue
            mentions = [
                {
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "value": f.point.value if f.point else None,
                    "precision": f.point.gran if f.point else None,
                }
                for f in found
            ]
            print(json.dumps({"id": record.get("id"), "mentions": mentions}, ensure_ascii=False))
    return 1 if failed else 0
