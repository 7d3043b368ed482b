"""Runs the stages in order:
read -> clean -> dates -> group -> describe -> compare -> render -> write.

It holds no analysis of its own; each step is a call into the stage's module.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from . import readers, write
from .cache import AnalysisCache, source_hash
from .config import Config, ConfigError, load_config, parse_config
from .model import Article, Diagnostic, Digest, Event, Group, Precision
from .workers import LocalWorkers, Workers

log = logging.getLogger(__name__)
# The stages that analyse and render (NumPy, SciPy, dateparser, Jinja) are imported by the
# functions that use them: a rebuild with nothing changed stops after reading, and loading
# them would be most of its time.
CACHE_FILE = ".cache/analysis.sqlite"  # beside the config file
MIN_PARALLEL_ARTICLES = 200  # below this, starting worker processes costs more than it saves
ARTICLE_CHUNK = 32
MIN_PARALLEL_RUNS = 2
RUN_CHUNK = 1  # runs of days to group, to a task: a run is hundreds of articles
T = TypeVar("T")
Progress = Callable[[str, int, int], None]  # stage, done, total


class StrictFailure(Exception):
    """--strict and the build had warnings; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} warning(s) with --strict; the site was not written")


@dataclass(frozen=True)
class BuildOptions:
    config: Path = Path("config.yaml")
    content: Path = Path("content")
    output: Path = Path("output")
    templates: Path | None = None  # default: templates/ beside the config file
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    previous: Path | None = None  # a digest.json to take event ids from (default: output's)
    cache: bool = True  # keep each article's analysis in CACHE_FILE beside the config
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)  # worker processes
    # where the heavy stages run: a Dask scheduler's address or "local" for a LocalCluster;
    # None: the config's `scheduler`, else this machine's process pool
    scheduler: str | None = None


@dataclass(frozen=True)
class BuildResult:
    digest: Digest | None  # None when unchanged
    read: int
    skipped: int
    drafts: int
    pages: int  # HTML pages among the files written
    seconds: float
    stages: dict[str, float]  # seconds per stage, in the order they ran
    unchanged: bool = False  # nothing changed since the last build: no digest, nothing written


def load(options: BuildOptions) -> Config:
    config = load_config(options.config)
    if options.base_url is not None:
        base = parse_config({"site": {"base_url": options.base_url}}, "--base-url").base_url
        config = replace(config, base_url=base)
    if options.scheduler is not None:
        scheduler = parse_config({"scheduler": options.scheduler}, "--scheduler").scheduler
        config = replace(config, scheduler=scheduler)
    return config


def analyse(
    config: Config,
    corpus: readers.Corpus,
    store: AnalysisCache | None,
    progress: Progress | None,
    timings: dict[str, float],
    workers: Workers,
    previous: dict | None = None,
) -> Digest:
    """Everything from the articles read to the digest: clean, date, group, describe,
    compare, the heavy parts on `workers`. `previous` is the last build's digest.json (or the
    part of it that identity reads), whose events' ids and slugs carry over. `timings`
    receives the seconds each stage took. The corpus's articles are taken over (its list is
    emptied), so that a large corpus is not held twice, as read and as analysed."""
    from . import dates, events

    with _timed(timings, "clean and dates"):
        articles, keys = _analysed(
            corpus.articles, config, workers, store, corpus.diagnostics, progress
        )
        corpus.articles.clear()  # the articles as read, raw text and all: the analysed replace them
    with _timed(timings, "group"):
        groups = []
        for group in _tracked("group", _grouped(articles, config, keys, store, workers), progress):
            day, precision = events.event_date(group)
            if day is not None:  # undated articles inherit the event's date as their anchor
                group = Group(
                    [
                        a
                        if a.published
                        else dates.anchor_article(a, day, config.date_order, config.language)
                        for a in group.articles
                    ]
                )
            groups.append((group, day, precision))
    with _timed(timings, "describe and compare"):
        described = _described(groups, keys, store, workers, progress)
    with _timed(timings, "timeline and storylines"):
        described.sort(key=lambda e: (e.date is None, e.date, e.articles[0].id))
        redirects = events.assign_identity(described, previous)
        timeline = events.timeline(described)
        lines = events.storylines(described, config)
    final = sorted((a for e in described for a in e.articles), key=lambda a: a.id)
    diagnostics = corpus.diagnostics + [d for a in final for d in a.diagnostics]
    return Digest(
        events=described,
        articles=final,
        diagnostics=diagnostics,
        skipped=corpus.skipped,
        drafts=corpus.drafts,
        timeline=timeline,
        storylines=lines,
        redirects=redirects,
    )


def _analysed(
    read: list[Article],
    config: Config,
    workers: Workers,
    store: AnalysisCache | None,
    diagnostics: list[Diagnostic],
    progress: Progress | None,
) -> tuple[list[Article], dict[str, str]]:
    """Each article cleaned and dated: from the cache where it has not changed, else on the
    workers, in the order read whatever the number of workers. Also each article's cache key,
    by id, for the comparison's cache."""
    keys = [store.key(a) for a in read] if store else [""] * len(read)
    known = store.get_many(keys) if store else {}
    results: list[Article | Diagnostic | None] = [known.get(k) for k in keys]
    todo = [n for n, result in enumerate(results) if result is None]
    work = functools.partial(_analyse_one, config=config)
    done = workers.map(work, [read[n] for n in todo], MIN_PARALLEL_ARTICLES, ARTICLE_CHUNK)
    for n, result in zip(todo, _tracked("analyse", done, progress, len(todo)), strict=True):
        results[n] = result
    if store:
        fresh = {keys[n]: a for n in todo if isinstance(a := results[n], Article)}
        store.update(fresh, set(keys))
        diagnostics.extend(Diagnostic(str(store.path), warning) for warning in store.warnings)
    diagnostics.extend(r for r in results if isinstance(r, Diagnostic))
    analysed = [r for r in results if isinstance(r, Article)]
    return analysed, {a.id: k for a, k in zip(read, keys, strict=True)} if store else {}


def _grouped(
    articles: list[Article],
    config: Config,
    keys: dict[str, str],
    store: AnalysisCache | None,
    workers: Workers,
) -> list[Group]:
    """The articles grouped into events, a run of them at a time (see `events.time_runs`:
    calendar blocks that overlap at their edges), the runs on the workers. A run whose articles
    and settings are unchanged comes from the cache, so an edit groups again only the runs of
    its days."""
    from . import events

    runs = events.time_runs(articles, config)
    run_keys = [
        store.run_key(repr(config), [keys[articles[i].id] for i in run]) if store else ""
        for run in runs
    ]
    known = store.get_many(run_keys, "runs") if store else {}
    todo = [n for n, k in enumerate(run_keys) if k not in known]
    work = functools.partial(events.group_run, config=config)
    grouped = workers.map(
        work, [[articles[i] for i in runs[n]] for n in todo], MIN_PARALLEL_RUNS, RUN_CHUNK
    )
    fresh = dict(zip(todo, grouped, strict=True))
    found = [fresh[n] if n in fresh else known[k] for n, k in enumerate(run_keys)]
    if store:
        store.update({run_keys[n]: f for n, f in fresh.items()}, set(run_keys), "runs")
    return events.joined(articles, runs, found)


def _described(
    groups: list[tuple[Group, date | None, Precision | None]],
    keys: dict[str, str],
    store: AnalysisCache | None,
    workers: Workers,
    progress: Progress | None,
) -> list[Event]:
    """Each group described and its sources compared: from the cache when neither its
    articles nor the code changed, so an edit redoes only the events it reaches; the rest on
    the workers, which send back what they found but not the articles."""
    from . import compare, events

    event_keys = [
        store.event_key(day, [keys[a.id] for a in group.articles]) if store else ""
        for group, day, _ in groups
    ]
    known = store.get_many(event_keys, "events") if store else {}
    todo = [n for n, k in enumerate(event_keys) if k not in known]
    todo_groups = [groups[n] for n in todo]
    found = workers.map(_describe_one, todo_groups, compare.MIN_PARALLEL_EVENTS, compare.CHUNK)
    fresh = dict(zip(todo, _tracked("describe", found, progress, len(todo)), strict=True))
    if store:
        store.update({event_keys[n]: f for n, f in fresh.items()}, set(event_keys), "events")
    return [
        Event(
            articles=events.event_articles(group, day),
            fingerprint=event_keys[n],
            **(fresh[n] if n in fresh else known[event_keys[n]]),
        )
        for n, (group, day, _) in enumerate(groups)
    ]


def _describe_one(item: tuple[Group, date | None, Precision | None]) -> dict[str, Any]:
    """One event described and compared: every Event field but its articles (and the
    fingerprint, which is the cache's)."""
    from . import compare, events

    event = compare.compare_event(events.describe(*item))
    kept = {"articles", "fingerprint"}
    return {f.name: getattr(event, f.name) for f in fields(Event) if f.name not in kept}


def _analyse_one(article: Article, config: Config) -> Article | Diagnostic:
    """Clean and date one article; an article that breaks either must not stop the build."""
    from . import clean, dates

    try:
        cleaned = clean.clean_article(article, config.outlets)
        return dates.date_article(cleaned, config.timezone, config.date_order, config.language)
    except Exception as error:
        log.debug("analysing %s failed", article.path, exc_info=True)
        return Diagnostic(article.path, f"could not be analysed ({error!r}); left out")


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    started = time.perf_counter()
    config = load(options)
    write.check_output(options.output, options.content, options.config.parent)
    if not options.content.is_dir():
        raise ConfigError(str(options.content), ["the content folder does not exist"])
    templates = templates_folder(options)
    with write.output_lock(options.output):  # also keeps two builds off one cache
        timings: dict[str, float] = {}
        store = _cache(options, config)
        try:
            # Up to date? First by the files' sizes and times, which needs no reading; then,
            # after reading, by their contents (a file touched but not changed).
            stamp = (
                _fingerprint(readers.content_stamp(options.content), config, options, templates)
                if store
                else ""
            )
            site = write.is_site(options.output)
            if store and site and (counts := store.note(_stamped(options))):
                read, skipped, drafts, last = counts.split(" ")
                if last == stamp:
                    elapsed = time.perf_counter() - started
                    return BuildResult(
                        None, int(read), int(skipped), int(drafts), 0, elapsed, timings, True
                    )
            with _timed(timings, "read"):
                corpus = readers.read_content(options.content, options.drafts)
            counted = f"{len(corpus.articles)} {len(corpus.skipped)} {corpus.drafts} {stamp}"
            fingerprint = (
                _fingerprint(_corpus_hash(store, corpus), config, options, templates)
                if store
                else ""
            )
            if store and site and store.note(_built(options)) == fingerprint:
                store.set_note(_stamped(options), counted)
                return BuildResult(
                    None,
                    len(corpus.articles),
                    len(corpus.skipped),
                    corpus.drafts,
                    0,
                    time.perf_counter() - started,
                    timings,
                    unchanged=True,
                )
            from . import events, render

            # the site in the output folder, as the cache knows it: its files, to reuse
            # those an edit leaves alone, and its events, whose identities carry over
            site = write.site_id(options.output) if store else None
            known = store.get_many([site], "sites").get(site) if store and site else None
            previous = (
                known["identity"]
                if known and not options.previous
                else write.previous_digest(options.output, options.previous)
            )
            with workers_for(options, config) as workers:
                digest = analyse(config, corpus, store, progress, timings, workers, previous)
                if options.strict and digest.diagnostics:
                    raise StrictFailure(digest.diagnostics)
                with _timed(timings, "render and write"):  # each file written as it is made
                    old = known["files"] if known else None
                    unchanged = write.unchanged_in(options.output, old) if old else None
                    files = render.render_site(digest, config, templates, workers, unchanged)
                    written = write.write_site(files, options.output, options.content, old)
            if store:
                state = {
                    "files": written,
                    "identity": events.remembered(digest.events, digest.redirects),
                }
                new_site = write.site_id(options.output)
                store.update({new_site: state}, {new_site}, "sites")
                store.set_note(_built(options), fingerprint)
                store.set_note(_stamped(options), counted)
        finally:
            if store:
                store.close()
    pages = sum(path.endswith(".html") for path in written)
    return BuildResult(
        digest,
        len(digest.articles),
        len(digest.skipped),
        digest.drafts,
        pages,
        time.perf_counter() - started,
        timings,
    )


def check(options: BuildOptions, progress: Progress | None = None) -> list[Diagnostic]:
    """Every problem `build --strict` would stop at, found the same way but with no site
    written: the settings, the output folder, the templates, and each article as the build
    reads and analyses it (analyses are taken from, and kept in, the cache)."""
    from . import render

    try:
        config = load(options)
    except ConfigError as error:
        return error.diagnostics
    templates = templates_folder(options)
    problems = render.template_problems(templates)
    try:
        write.check_output(options.output, options.content, options.config.parent)
    except write.OutputError as error:
        problems.append(
            Diagnostic(str(options.output), str(error).removeprefix(f"{options.output}: "))
        )
    if not options.content.is_dir():
        return [*problems, Diagnostic(str(options.content), "the content folder does not exist")]
    store = _cache(options, config)
    try:
        corpus = readers.read_content(options.content, options.drafts)
        with workers_for(options, config) as workers:
            digest = analyse(config, corpus, store, progress, {}, workers)
    finally:
        if store:
            store.close()
    # named from where the command runs, so that editors and CI logs can open them
    return problems + [replace(d, path=str(options.content / d.path)) for d in digest.diagnostics]


def templates_folder(options: BuildOptions) -> Path:
    """The theme folder: --templates, or templates/ beside the config file."""
    return options.templates or options.config.parent / "templates"


def workers_for(options: BuildOptions, config: Config) -> AbstractContextManager[Workers]:
    """Where the heavy stages run: the Dask cluster that the config names (or --scheduler, which
    `load` puts in it), else `jobs` processes on this machine."""
    if config.scheduler is None:
        return LocalWorkers(options.jobs)
    from .cluster import dask_workers

    return dask_workers(config.scheduler, options.jobs, config.scheduler_timeout)


def _cache(options: BuildOptions, config: Config) -> AnalysisCache | None:
    if not options.cache:
        return None
    settings = f"{config.timezone}|{config.date_order}|{config.language}|{config.outlets!r}"
    return AnalysisCache(options.config.parent / CACHE_FILE, settings)


def _built(options: BuildOptions) -> str:
    return f"built {options.output.resolve()}"


def _stamped(options: BuildOptions) -> str:
    return f"stamped {options.output.resolve()}"


def _corpus_hash(store: AnalysisCache, corpus: readers.Corpus) -> str:
    """The articles as read, with what reading them found."""
    digest = hashlib.sha256()
    for part in (
        repr((corpus.skipped, corpus.drafts)),
        *(repr(d) for d in corpus.diagnostics),
        *(store.key(a) for a in corpus.articles),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _fingerprint(content: str, config: Config, options: BuildOptions, templates: Path) -> str:
    """Everything a site is made from, `content` standing for the articles: when it equals
    the last build's into the same output folder, that site is up to date."""
    digest = hashlib.sha256()
    for part in (
        source_hash(),
        content,
        repr(config),
        repr((options.base_url, options.drafts, options.strict)),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
    files = sorted(p for p in templates.rglob("*") if p.is_file()) if templates.is_dir() else []
    if options.previous and options.previous.is_file():
        files.append(options.previous)
    for path in files:
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


def _tracked(
    stage: str, items: Iterable[T], progress: Progress | None, total: int | None = None
) -> Iterator[T]:
    """The items, reporting progress as each is taken; `total` when `items` is a generator."""
    if total is None:
        items = list(items)
        total = len(items)
    for done, item in enumerate(items):
        if progress:
            progress(stage, done, total)
        yield item
    if progress:
        progress(stage, total, total)
