"""Runs the stages in order:
read -> clean -> dates -> group -> describe -> compare -> render -> write.

It holds no analysis of its own; each step is a call into the stage's module. Between the
stages, the articles' texts and the events' findings live in the build's store (the cache),
not here: this process keeps light records (`ArticleRecord`s, `Event`s) and reads the
texts back only for the tasks it sends to the workers.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import logging
import os
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import readers, write
from .cache import AnalysisCache, CacheReset, source_hash
from .config import Config, ConfigError, load_config, parse_config
from .model import (
    Article,
    ArticleRecord,
    Diagnostic,
    Digest,
    Event,
    Group,
    Held,
    Holder,
    Precision,
    Storyline,
    Terms,
)

if TYPE_CHECKING:
    from .events import GroupInput, TermCounts
    from .workers import Workers

log = logging.getLogger(__name__)
# The stages that analyse and render (NumPy, SciPy, dateparser, Jinja), and the worker
# processes, are imported by the functions that use them: a rebuild with nothing changed stops
# after reading, and loading them would be most of its time.
CACHE_FILE = ".cache/analysis.sqlite"  # beside the config file
MIN_PARALLEL_ARTICLES = 200  # below this, starting worker processes costs more than it saves
ARTICLE_CHUNK = 32
READ_BATCH = 32  # articles read, then looked up in the store together: all reading holds
LOOKUP_BATCH = 500  # events looked up in the store at a time
STORE_BATCH = 64  # results put into the store in one transaction
MIN_PARALLEL_RUNS = 2
RUN_CHUNK = 1  # runs of days to group, to a task: a run is hundreds of articles
LAST_RUNS = "last"  # the store's one entry of the last build's runs (`_time_runs`)
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
    templates: Path | None = None  # default: templates/ beside the config file, else THEME
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


@dataclass
class Analysed:
    """What reading and analysing the articles left in the building process: light records,
    in the order read; the analysed articles are in the store, under their keys."""

    records: list[ArticleRecord]
    keys: list[str]  # each record's store key
    read: int  # articles read, analysed or not
    diagnostics: list[Diagnostic]  # reading's, and the analyses that failed
    skipped: list[str]
    drafts: int
    fingerprint: str  # of the articles as read, and what reading found


def analyse(
    config: Config,
    content: Path,
    drafts: bool,
    store: AnalysisCache,
    progress: Progress | None,
    workers: Workers,
) -> Analysed:
    """Read the articles and clean and date each: from the store where it has not changed,
    else on the workers. Reading streams: an article is sent off as it is read, and its
    analysis goes into the store as it comes back, so that only records stay here."""
    corpus = readers.Corpus()
    records: list[ArticleRecord | Diagnostic | None] = []
    keys: list[str] = []
    sent: deque[int] = deque()  # records still to come, by position
    hashed = hashlib.sha256()
    memo = _file_memo(store, drafts)

    def unknown() -> Iterator[Article]:
        read = readers.read_articles(content, corpus, drafts, memo)
        for batch in _batches(read, READ_BATCH):
            batch_keys = [memo.key(a) for a in batch]
            known = store.get_many(batch_keys, "records")
            for article, key in zip(batch, batch_keys, strict=True):
                hashed.update(key.encode())
                keys.append(key)
                records.append(known.get(key))
                if key not in known:
                    sent.append(len(records) - 1)
                    if isinstance(article, readers.Known):
                        yield readers.read_again(content, article)
                    else:
                        yield article

    work = functools.partial(_analyse_one, config=config)
    done = workers.map(work, unknown(), MIN_PARALLEL_ARTICLES, ARTICLE_CHUNK)
    analysed: dict[str, bytes] = {}
    fresh: dict[str, bytes] = {}
    inputs: dict[str, bytes] = {}  # what grouping reads of each, made by the same worker
    for count, result in enumerate(done, start=1):
        n = sent.popleft()
        records[n] = result if isinstance(result, Diagnostic) else result[0]
        if not isinstance(result, Diagnostic):
            analysed[keys[n]] = result[1]
            fresh[keys[n]] = pickle.dumps(result[0], pickle.HIGHEST_PROTOCOL)
            key = _input_keys(store, [keys[n]])[0]
            inputs[key], inputs[_names_key(key)] = result[2], result[3]
        if len(fresh) >= STORE_BATCH:
            _flush(store, {"analysed": analysed, "records": fresh, "inputs": inputs})
        if progress:
            progress("analyse", count, count + len(sent))
    _flush(store, {"analysed": analysed, "records": fresh, "inputs": inputs})
    for table in ("analysed", "records"):
        store.prune(set(keys), table)
    fresh_reads = {k: v for k, v in memo.found.items() if k not in memo.known}
    store.update(fresh_reads, set(memo.found), "files")
    for part in (repr((corpus.skipped, corpus.drafts)), *(repr(d) for d in corpus.diagnostics)):
        hashed.update(part.encode("utf-8", "surrogatepass"))
    diagnostics = corpus.diagnostics + [r for r in records if isinstance(r, Diagnostic)]
    kept = [(r, k) for r, k in zip(records, keys, strict=True) if isinstance(r, ArticleRecord)]
    return Analysed(
        records=[r for r, _ in kept],
        keys=[k for _, k in kept],
        read=len(records),
        diagnostics=diagnostics,
        skipped=corpus.skipped,
        drafts=corpus.drafts,
        fingerprint=hashed.hexdigest(),
    )


def _file_memo(store: AnalysisCache, drafts: bool) -> readers.FileMemo:
    """What the last build read from each content file, to take unchanged files from."""
    code = [store.code_hash(readers.read_articles), store.code_hash(_analyse_one)]
    salt = " ".join([*code, store.settings, str(drafts)])
    return readers.FileMemo(
        salt, functools.partial(store.key, analyser=_analyse_one), store.get_all("files")
    )


def digest(
    config: Config,
    analysed: Analysed,
    store: AnalysisCache,
    progress: Progress | None,
    timings: dict[str, float],
    workers: Workers,
    previous: dict | None = None,
    previous_path: str = "digest.json",
) -> tuple[Digest, Holder]:
    """The analysed articles grouped, described and compared, the heavy parts on `workers`:
    the digest, of light events, and where their findings and texts are. `previous` is the
    last build's digest.json (or the part of it that identity reads), whose events' ids and
    slugs carry over; what of it cannot be trusted is reported under `previous_path`.
    `timings` receives the seconds each stage took."""
    from . import events

    with _timed(timings, "group"):
        partition = _grouped(analysed, config, store, workers)
    with _timed(timings, "describe and compare"):
        described, terms = _described(analysed, partition, config, store, workers, progress)
    with _timed(timings, "timeline and storylines"):
        described.sort(key=lambda e: (e.date is None, e.date, e.articles[0].id))
        untrusted: list[str] = []
        redirects = events.assign_identity(described, previous, untrusted)
        final = sorted((a for e in described for a in e.articles), key=lambda a: a.id)
        events.rank_events(described, final)
        # each date's words chosen once: the last build's choices, by the texts chosen among
        choices = events.Choices(store.get_all("choices"), store.code_hash(events.Choices))
        timeline = events.timeline(described, choices)
        lines = _storylines(described, terms, config, store)
        key_dates = events.key_dates(described, final, choices)
        store.update(choices.made, choices.used, "choices")
    key_of = dict(zip((r.id for r in analysed.records), analysed.keys, strict=True))

    def held(event: Event, articles: bool) -> Held:
        texts = store.needed([key_of[a.id] for a in event.articles], "analysed") if articles else []
        return Held(store.needed([event.fingerprint], "findings")[0], tuple(texts))

    return (
        Digest(
            events=described,
            articles=final,
            diagnostics=[
                *analysed.diagnostics,
                *(Diagnostic(previous_path, problem) for problem in untrusted),
                *(d for a in final for d in a.diagnostics),
            ],
            skipped=analysed.skipped,
            drafts=analysed.drafts,
            timeline=timeline,
            key_dates=key_dates,
            storylines=lines,
            redirects=redirects,
        ),
        held,
    )


def _storylines(
    described: list[Event], terms: TermCounts, config: Config, store: AnalysisCache
) -> list[Storyline]:
    """`events.storylines`, each storyline's name kept in the store by what it is made of
    (`events.Names`): naming all 1,010 storylines at 10,000 articles took a tenth of a
    CPU-second of every edit."""
    from . import events

    names = events.Names(store.get_all("names"), store.code_hash(_storylines))
    lines = events.storylines(described, terms, config, names)
    store.update(names.made, names.used, "names")
    return lines


def _grouped(
    analysed: Analysed, config: Config, store: AnalysisCache, workers: Workers
) -> list[list[int]]:
    """The articles (by index) grouped into events, a run of them at a time (see
    `events.time_runs`: calendar blocks that overlap at their edges), the runs on the workers.
    A run whose articles and settings are unchanged comes from the store, so an edit groups
    again only the runs of its days."""
    from . import events

    records, keys = analysed.records, analysed.keys
    input_keys = _input_keys(store, keys)

    name_keys = [_names_key(k) for k in input_keys]

    def names(wanted: list[int]) -> list[Iterable[str]]:
        """The names of the articles `wanted` (by index), stored beside their inputs by the
        analysis (reading them is a tenth of reading the inputs); those missing, of articles
        analysed by an older build, are taken from the inputs, made and stored first where
        missing too, so that the runs read them back."""
        found: list[Iterable[str] | None] = []
        for start in range(0, len(wanted), LOOKUP_BATCH):
            batch = [name_keys[i] for i in wanted[start : start + LOOKUP_BATCH]]
            blobs = store.blobs(batch, "inputs")
            found += [pickle.loads(blobs[k]) if k in blobs else None for k in batch]
        missing = [n for n, known in enumerate(found) if known is None]
        for start in range(0, len(missing), LOOKUP_BATCH):
            batch = missing[start : start + LOOKUP_BATCH]
            blobs = store.blobs([input_keys[wanted[n]] for n in batch], "inputs")
            absent = [wanted[n] for n in batch if input_keys[wanted[n]] not in blobs]
            stored = store.needed([keys[i] for i in absent], "analysed")
            made = {input_keys[i]: _pickled_input(d) for i, d in zip(absent, stored, strict=True)}
            blobs.update(made)
            listed = {n: _pickled_names(blobs[input_keys[wanted[n]]]) for n in batch}
            store.put(made | {name_keys[wanted[n]]: d for n, d in listed.items()}, "inputs")
            for n, d in listed.items():
                found[n] = pickle.loads(d)
        return found

    runs = _time_runs([r.day for r in records], input_keys, config, store, names)
    run_keys = [store.run_key(repr(config), [keys[i] for i in run], _group_run) for run in runs]
    known = store.get_many(run_keys, "runs")
    todo = [n for n, k in enumerate(run_keys) if k not in known]

    def inputs(run: list[int]) -> tuple[tuple[bool, bytes], ...]:
        found = store.blobs([input_keys[i] for i in run], "inputs")
        missing = [i for i in run if input_keys[i] not in found]
        stored = store.needed([keys[i] for i in missing], "analysed")
        texts = dict(zip(missing, stored, strict=True))
        return tuple((False, texts[i]) if i in texts else (True, found[input_keys[i]]) for i in run)

    work = functools.partial(_group_run, config=config)
    grouped = workers.map(work, (inputs(runs[n]) for n in todo), MIN_PARALLEL_RUNS, RUN_CHUNK)
    fresh: dict[int, list[list[int]]] = {}
    for n, (groups, made) in zip(todo, grouped, strict=True):
        fresh[n] = groups
        store.put({input_keys[runs[n][m]]: data for m, data in made.items()}, "inputs")
    store.prune({*input_keys, *name_keys}, "inputs")
    found = [fresh[n] if n in fresh else known[k] for n, k in enumerate(run_keys)]
    store.update({run_keys[n]: f for n, f in fresh.items()}, set(run_keys), "runs")
    return events.joined([r.event_key for r in records], runs, found)


def _time_runs(
    days: list[date | None],
    input_keys: list[str],
    config: Config,
    store: AnalysisCache,
    names: Callable[[list[int]], list[Iterable[str]]],
) -> list[list[int]]:
    """`events.time_runs` of the articles (`input_keys` are their grouping inputs' keys;
    `names` reads the names of some, by index), or the last build's runs where it would find
    them again: the same code, settings and days, and each article's names the same, or not
    read. An article whose input is unchanged has the same names, so an edit reads the names
    of the articles it changed only: reading all 10,000 and weighing them took half a
    CPU-second of every edit."""
    from . import events

    salt = f"{store.code_hash(_time_runs)} {config!r}"
    last = store.get_many([LAST_RUNS], "calendar").get(LAST_RUNS)
    if last and last["salt"] == salt and last["days"] == days:
        if last["names"] is None:  # they did not depend on the names
            return last["runs"]
        # the same days: as many articles as then, in the same order
        changed = [i for i, k in enumerate(input_keys) if k != last["keys"][i]]
        found = [_names_digest(n) for n in names(changed)]
        if found == [last["names"][i] for i in changed]:
            return _kept_runs(store, last, input_keys)
    read: list[list[Iterable[str]]] = []  # the names, if time_runs reads them

    def every_name() -> list[Iterable[str]]:
        read.append(names(list(range(len(input_keys)))))
        return read[0]

    runs = events.time_runs(days, config, every_name)
    digests = [_names_digest(n) for n in read[0]] if read else None
    kept = {"salt": salt, "days": days, "keys": input_keys, "names": digests, "runs": runs}
    store.update({LAST_RUNS: kept}, {LAST_RUNS}, "calendar")
    return runs


def _kept_runs(store: AnalysisCache, last: dict, input_keys: list[str]) -> list[list[int]]:
    """The last build's runs, noted as this build's (its articles' keys) when they changed."""
    if last["keys"] != input_keys:
        store.update({LAST_RUNS: {**last, "keys": input_keys}}, {LAST_RUNS}, "calendar")
    return last["runs"]


def _names_digest(names: Iterable[str]) -> bytes:
    """What tells an article's names from others', small enough to keep one per article."""
    listed = repr(tuple(names)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(listed, digest_size=8).digest()


def _described(
    analysed: Analysed,
    partition: list[list[int]],
    config: Config,
    store: AnalysisCache,
    workers: Workers,
    progress: Progress | None,
) -> tuple[list[Event], TermCounts]:
    """Each group described and its sources compared, light (see `Event`), and the events'
    terms: from the store when neither its articles nor the code changed, so an edit redoes
    only the events it reaches; the rest on the workers, whose findings go to the store. The
    store keeps the terms of the last build's events whole, one entry (`TermCounts.only`):
    an edit adds those of the events it made."""
    from . import compare, events

    records, keys = analysed.records, analysed.keys
    groups = [
        (members, *events.consensus([(records[i].id, records[i].day) for i in members]))
        for members in partition
    ]
    event_keys = [
        store.event_key(day, [keys[i] for i in members], _describe_one)
        for members, day, _ in groups
    ]
    terms_key = store.code_hash(events.TermCounts)
    kept = store.get_many([terms_key], "terms").get(terms_key)
    terms = kept if isinstance(kept, events.TermCounts) else events.TermCounts()
    described: list[Event | None] = [None] * len(groups)
    todo = []
    for start in range(0, len(groups), LOOKUP_BATCH):
        known = store.get_many(event_keys[start : start + LOOKUP_BATCH], "events")
        for n in range(start, min(start + LOOKUP_BATCH, len(groups))):
            if event_keys[n] in known and event_keys[n] in terms:
                described[n] = replace(known[event_keys[n]], fingerprint=event_keys[n])
            else:  # an event without its terms (its build was killed before it kept them)
                todo.append(n)
    jobs = (
        (tuple(store.needed([keys[i] for i in groups[n][0]], "analysed")), *groups[n][1:])
        for n in todo
    )
    work = functools.partial(_describe_one, config=config)
    found = workers.map(work, jobs, compare.MIN_PARALLEL_EVENTS, compare.CHUNK)
    lights: dict[str, bytes] = {}
    findings: dict[str, bytes] = {}
    for n, (light, counted, compared) in zip(
        todo, _tracked("describe", found, progress, len(todo)), strict=True
    ):
        described[n] = replace(light, fingerprint=event_keys[n])
        terms.add(event_keys[n], counted)
        lights[event_keys[n]] = pickle.dumps(light, pickle.HIGHEST_PROTOCOL)
        findings[event_keys[n]] = compared
        if len(lights) >= STORE_BATCH:
            _flush(store, {"events": lights, "findings": findings})
    _flush(store, {"events": lights, "findings": findings})
    for table in ("events", "findings"):
        store.prune(set(event_keys), table)
    if todo or len(terms.words.rows) != len(set(event_keys)):
        terms = terms.only(list(dict.fromkeys(event_keys)))
        store.update({terms_key: terms}, {terms_key}, "terms")
    return [e for e in described if e is not None], terms


def _flush(store: AnalysisCache, tables: dict[str, dict[str, bytes]]) -> None:
    """Put the entries gathered for each table into the store, and forget them here."""
    for table, entries in tables.items():
        if entries:
            store.put(entries, table)
            entries.clear()


def _analyse_one(
    article: Article, config: Config
) -> tuple[ArticleRecord, bytes, bytes, bytes] | Diagnostic:
    """Clean and date one article: its record, the analysed article, what grouping reads of
    it (`GroupInput`) and the names of that, pickled, as the store keeps them. An article that
    breaks either must not stop the build."""
    from . import clean, dates

    try:
        cleaned = clean.clean_article(article, config.outlets)
        dated = dates.date_article(cleaned, config.timezone, config.date_order, config.language)
    except Exception as error:
        log.debug("analysing %s failed", article.path, exc_info=True)
        return Diagnostic(article.path, f"could not be analysed ({error!r}); left out")
    record = ArticleRecord.of(dated)
    grouped = _group_input(dated)
    return (
        record,
        pickle.dumps(dated, pickle.HIGHEST_PROTOCOL),
        pickle.dumps(grouped, pickle.HIGHEST_PROTOCOL),
        pickle.dumps(tuple(grouped.names), pickle.HIGHEST_PROTOCOL),
    )


def _group_run(
    items: tuple[tuple[bool, bytes], ...], config: Config
) -> tuple[list[list[int]], dict[int, bytes]]:
    """One run of articles partitioned into events. Each article comes as what grouping reads
    of it (True, a pickled `GroupInput`) or, when the store does not hold that yet, as the
    analysed article (False, pickled); the inputs made of those come back, pickled, by their
    place in the run, for the store."""
    from . import events

    inputs: list[GroupInput] = []
    made: dict[int, bytes] = {}
    for n, (ready, data) in enumerate(items):
        if ready:
            inputs.append(pickle.loads(data))
        else:
            inputs.append(_group_input(pickle.loads(data)))
            made[n] = pickle.dumps(inputs[-1], pickle.HIGHEST_PROTOCOL)
    return events.group_run(inputs, config), made


def _input_keys(store: AnalysisCache, keys: list[str]) -> list[str]:
    """The store's keys of what grouping reads of the articles of `keys` (`GroupInput`): an
    article's key and the code that makes its input, so that a run grouped again reads the
    articles that are new to the store only."""
    salt = store.code_hash(_group_input)
    return [hashlib.sha256(f"{salt} {k}".encode()).hexdigest() for k in keys]


def _names_key(input_key: str) -> str:
    """The store's key of the names of an article's grouping input, beside the input."""
    return f"names {input_key}"


def _pickled_names(data: bytes) -> bytes:
    """The names of a grouping input (pickled), pickled: what chooses an undated article's
    run (`events.time_runs`)."""
    return pickle.dumps(tuple(pickle.loads(data).names), pickle.HIGHEST_PROTOCOL)


def _pickled_input(data: bytes) -> bytes:
    """What grouping reads of an analysed article (pickled), pickled."""
    return pickle.dumps(_group_input(pickle.loads(data)), pickle.HIGHEST_PROTOCOL)


def _group_input(article: Article) -> GroupInput:
    """What grouping reads of an analysed article: its code hash keys the stored inputs."""
    from . import events

    return events.GroupInput.of(article)


def _describe_one(
    item: tuple[tuple[bytes, ...], date | None, Precision | None], config: Config
) -> tuple[Event, Terms, bytes]:
    """One event described and compared from its analysed articles (pickled): the event,
    its terms for storylines, and its findings, pickled for the store. Undated articles are
    first dated against the event's day."""
    from . import compare, dates, events

    texts, day, precision = item
    articles = [pickle.loads(t) for t in texts]
    if day is not None:  # undated articles inherit the event's date as their anchor
        articles = [
            a if a.published else dates.anchor_article(a, day, config.date_order, config.language)
            for a in articles
        ]
    event, ordered = events.describe(Group(articles), day, precision)
    try:
        findings = compare.comparison(ordered)
    except Exception as error:  # one event's comparison must not stop the build
        log.debug("comparing %s failed", ordered[0].path, exc_info=True)
        findings = compare.uncompared(ordered, repr(error))
        event = _with_diagnostic(event, f"its event's sources could not be compared ({error!r})")
    found = pickle.dumps(findings, pickle.HIGHEST_PROTOCOL)
    return event, events.event_terms(event, ordered), found


def _with_diagnostic(event: Event, problem: str) -> Event:
    """The event with `problem` reported on its first article, naming all its articles."""
    first, *others = event.articles
    named = f" (with {', '.join(a.path for a in others)})" if others else ""
    told = Diagnostic(first.path, f"{problem}{named}; the event is shown without its comparison")
    first = replace(first, diagnostics=[*first.diagnostics, told])
    return replace(event, articles=[first, *others])


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    try:
        return _afresh_if_damaged(functools.partial(_build, options, progress))
    finally:
        gc.unfreeze()  # what the build froze can be collected again (`serve` builds again)


def _afresh_if_damaged(run: Callable[[], T]) -> T:
    """`run()`, and once more if the cache turned out damaged on the way: it was replaced by a
    new one, without the entries this run had put in it."""
    try:
        return run()
    except CacheReset:
        return run()


def _build(options: BuildOptions, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    config = load(options)
    write.check_output(options.output, options.content, options.config.parent)
    if not options.content.is_dir():
        raise ConfigError(str(options.content), ["the content folder does not exist"])
    templates = templates_folder(options)
    if not templates.is_dir():
        raise ConfigError(str(templates), ["the templates folder does not exist"])
    with write.output_lock(options.output), _store(options, config) as store:
        # the lock also keeps two builds off one cache
        timings: dict[str, float] = {}
        # Up to date? First by the files' sizes and times, which needs no reading; then,
        # after reading, by their contents (a file touched but not changed). Either only when
        # the output folder holds the very site this cache noted writing there, untouched.
        stamp = _fingerprint(readers.content_stamp(options.content), config, options, templates)
        # The output folder, found once for the whole build, by the folders and files it held
        # after the last one (`write.OutputFolder`), else walked (and noted, for the next)
        folder = write.OutputFolder(options.output, store.note(_listed(options)))
        if folder.walked and folder.leaves:
            store.set_note(_listed(options), folder.listing())
        site = folder.state()
        if options.cache and site and (counts := store.note(_stamped(options))):
            read, skipped, drafts, last, last_site = counts.split(" ", 4)
            if (last, last_site) == (stamp, site):
                elapsed = time.perf_counter() - started
                return BuildResult(
                    None, int(read), int(skipped), int(drafts), 0, elapsed, timings, True
                )
        with workers_for(options, config) as workers:
            with _timed(timings, "read, clean and dates"):
                analysed = analyse(
                    config, options.content, options.drafts, store, progress, workers
                )
            counted = f"{analysed.read} {len(analysed.skipped)} {analysed.drafts} {stamp}"
            fingerprint = _fingerprint(analysed.fingerprint, config, options, templates)
            if site and store.note(_built(options)) == f"{fingerprint} {site}":
                store.set_note(_stamped(options), _unless_incomplete(store, f"{counted} {site}"))
                return BuildResult(
                    None,
                    analysed.read,
                    len(analysed.skipped),
                    analysed.drafts,
                    0,
                    time.perf_counter() - started,
                    timings,
                    unchanged=True,
                )
            from . import events, render

            # The modules, the settings and the analysed articles' records last to the build's
            # end: no garbage collection need scan them again (as in the workers, `preload`)
            gc.freeze()
            # the site in the output folder, as the cache knows it: its files, to reuse
            # those an edit leaves alone, and its events, whose identities carry over
            site_key = write.site_id(options.output)
            known = store.get_many([site_key], "sites").get(site_key) if site_key else None
            previous = (
                known["identity"]
                if known and not options.previous
                else write.previous_digest(options.output, options.previous)
            )
            origin = str(options.previous or options.output / "digest.json")
            made, held = digest(
                config, analysed, store, progress, timings, workers, previous, origin
            )
            gc.freeze()  # and so does the digest
            if options.strict and made.diagnostics:
                raise StrictFailure(made.diagnostics)
            with _timed(timings, "render and write"):  # each file written as it is made
                old = known["files"] if known else None
                unchanged = write.unchanged_in(folder, old) if old else None
                files = render.render_site(made, config, templates, held, workers, unchanged, store)
                written = write.write_site(files, options.output, options.content, old, folder)
        state = {"files": written, "identity": events.remembered(made.events, made.redirects)}
        new_site = write.site_id(options.output)
        store.update({new_site: state}, {new_site}, "sites")
        written_site = folder.state()
        store.set_note(_listed(options), folder.listing())
        store.set_note(_built(options), _unless_incomplete(store, f"{fingerprint} {written_site}"))
        store.set_note(_stamped(options), _unless_incomplete(store, f"{counted} {written_site}"))
    pages = sum(path.endswith(".html") for path in written)
    return BuildResult(
        made,
        len(made.articles),
        len(made.skipped),
        made.drafts,
        pages,
        time.perf_counter() - started,
        timings,
    )


def check(options: BuildOptions, progress: Progress | None = None) -> list[Diagnostic]:
    """Every problem `build --strict` would stop at, found the same way but with no site
    written: the settings, the output folder, the templates, and each article as the build
    reads and analyses it (analyses are taken from, and kept in, the cache)."""
    return _afresh_if_damaged(functools.partial(_check, options, progress))


def _check(options: BuildOptions, progress: Progress | None) -> list[Diagnostic]:
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
    with _store(options, config) as store, workers_for(options, config) as workers:
        analysed = analyse(config, options.content, options.drafts, store, progress, workers)
        made, _ = digest(config, analysed, store, progress, {}, workers)
    # named from where the command runs, so that editors and CI logs can open them
    return problems + [replace(d, path=str(options.content / d.path)) for d in made.diagnostics]


# The built-in theme: installed from a wheel it is inside the package (pyproject.toml maps it
# there); in a checkout it is the project's templates/ folder.
_PACKAGED = Path(__file__).parent / "theme"
THEME = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parent.parent / "templates"


def templates_folder(options: BuildOptions) -> Path:
    """The theme folder: --templates, or templates/ beside the config file, else the built-in
    theme (a folder with only config.yaml and content/ builds a site)."""
    if options.templates:
        return options.templates
    beside = options.config.parent / "templates"
    return beside if beside.is_dir() else THEME


def workers_for(options: BuildOptions, config: Config) -> AbstractContextManager[Workers]:
    """Where the heavy stages run: the Dask cluster that the config names (or --scheduler, which
    `load` puts in it), else `jobs` processes on this machine."""
    if config.scheduler is None:
        from .workers import LocalWorkers  # multiprocessing: once there is work for it

        return LocalWorkers(options.jobs)
    from .cluster import dask_workers

    return dask_workers(config.scheduler, options.jobs, config.scheduler_timeout)


@contextmanager
def _store(options: BuildOptions, config: Config) -> Iterator[AnalysisCache]:
    """The build cache beside the config file; with --no-cache, a store of this build's own
    beside the output folder, removed at its end (or by the next build, if this one is
    killed), so that no cache is left behind."""
    settings = f"{config.timezone}|{config.date_order}|{config.language}|{config.outlets!r}"
    with ExitStack() as stack:
        if options.cache:
            folder = options.config.parent / CACHE_FILE
        else:
            folder = stack.enter_context(write.scratch(options.output)) / "store.sqlite"
        store = AnalysisCache(folder, settings)
        stack.callback(store.close)
        yield store


def _unless_incomplete(store: AnalysisCache, note: str) -> str:
    """The note that the site is up to date, or none (an empty one) when the store could not
    keep everything: then the next build analyses again what it could not store."""
    return "" if store.write_failed else note


def _built(options: BuildOptions) -> str:
    return f"built {options.output.resolve()}"


def _stamped(options: BuildOptions) -> str:
    return f"stamped {options.output.resolve()}"


def _listed(options: BuildOptions) -> str:
    return f"listed {options.output.resolve()}"


def _fingerprint(content: str, config: Config, options: BuildOptions, templates: Path) -> str:
    """Everything a site is made from, `content` standing for the articles: when it equals
    the last build's into the same output folder, that site is up to date."""
    hashed = hashlib.sha256()
    for part in (
        source_hash(),
        content,
        repr(config),
        repr((options.base_url, options.drafts, options.strict)),
    ):
        hashed.update(part.encode("utf-8", "surrogatepass"))
    files = sorted(p for p in templates.rglob("*") if p.is_file()) if templates.is_dir() else []
    if options.previous and options.previous.is_file():
        files.append(options.previous)
    for path in files:
        hashed.update(str(path).encode() + path.read_bytes())
    return hashed.hexdigest()


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
