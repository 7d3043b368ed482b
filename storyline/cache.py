"""Build cache: each article's analysis (clean, dates) and each event's description and
comparison, kept in SQLite under `.cache/`. It is also the build's store: the building process
keeps only light records of articles and events, and reads their texts and findings back from
here for each task that needs them (`needed`). A build with --no-cache has a store of its own,
deleted at its end.

An entry's key is a hash of the article as read, the settings the analysis depends on, and the
code that makes the entry with its libraries' versions (`AnalysisCache.code_hash`), so a change
misses the cache by itself and nothing needs to be cleared by hand. A cache that is damaged, or
that belongs to something else, is set aside and started afresh, with a warning (logged: it is
no problem of the site's inputs, so `--strict` does not stop at it). Damage can show at any
read or write, late in a build: then the entries this build put are gone with it, and the build
starts again (`CacheReset`). (`PRAGMA quick_check` on opening would find damage before any
work, but it reads the whole file on every build, some 0.45 ms a megabyte: 19 ms at 2,000
articles, about 95 ms at 10,000, where a build with nothing changed takes 0.25 s; and damage
that no build reads does no harm.) A cache problem can slow a build down, never break it or
change the site. Writes are single transactions, so a build killed at any moment leaves the
cache as it was or with the new entries, both usable.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import inspect
import logging
import os
import pickle
import re
import sqlite3
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NoReturn

from . import testhooks
from .model import Article

log = logging.getLogger(__name__)
MARK = "storyline analysis cache"
SCHEMA = "11"
# analysed: an article cleaned and dated; records: its ArticleRecord;
# runs: the events found among a run of articles;
# events: an event described (light, see model.Event);
# terms: the last build's events' terms for storylines, one entry (events.TermCounts);
# findings: what comparing its sources found;
# sites: a written site's files (what each was made from) and its events' identities, by its id;
# files: what reading a content file found (readers.FileRead), by the file's stamp;
# fragments: an event's part of digest.json, and its quotes for the search index;
# choices: which of a date's texts says it best (events.Choices), by a hash of the texts;
# slugs: the last build's outlets' and tags' names and their slugs, one entry;
# names: a storyline's name (events.Names), by a hash of what naming reads of its events;
# calendar: the last build's runs of articles (events.time_runs) and what they came of, one entry;
# code: what each function that makes entries reaches (`code_reach`), one entry
TABLES = (
    "analysed", "records", "inputs", "runs", "events", "terms", "findings", "sites", "files",
    "fragments", "choices", "slugs", "names", "calendar", "code",
)  # fmt: skip
PACKAGE = Path(__file__).parent
NOT_INSTALLED = "not installed"
METADATA_FOLDERS = (".dist-info", ".egg-info")  # an installed distribution's, by its name


@lru_cache(maxsize=1)
def source_hash() -> str:
    """A hash of the package's source files: new code of any kind misses every old site."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def code_reach(function: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    """What `function` computes with, found by reading the code: a digest of its own source
    and of the storyline modules it imports or names, and every module they import in turn
    (anywhere in them, functions too); and the libraries among those imports, with what they
    require, each distribution by its name and installed version.

    Not the whole package: an entry is made by a few stages, and an edit to the pages, the
    writer or the command line must not make every article be analysed again. A module the
    function cannot reach by importing it cannot change what it computes."""
    sources: dict[str, bytes] = {}
    libraries: set[str] = set()
    todo = _function_imports(function, sources, libraries)
    while todo:
        name = todo.pop()
        module = _module_source(name) if name not in sources else None
        if module is None:
            continue
        sources[name], imported = module
        todo |= _split(set(imported), libraries)
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(f"\0{name}\0".encode() + sources[name])
    return digest.hexdigest(), _with_requirements(libraries)


def reach_hash(sources: str, versions: Mapping[str, str]) -> str:
    """The code hash of a function that reaches `sources` (their digest) and the
    distributions of `versions`: with Python's version besides."""
    import platform  # here: a build with nothing changed hashes no code

    digest = hashlib.sha256(f"{platform.python_version()}\0{sources}".encode())
    for name in sorted(versions):
        digest.update(f"\0{name}=={versions[name]}".encode())
    return digest.hexdigest()


def code_context() -> str:
    """What a function's reach (`code_reach`) is found from besides the function: the
    package's sources, Python, and the distributions installed where modules are imported
    from, by the names of their metadata folders (which carry their versions). Not the
    folders' modification times (a build writes into its project's folder, on `sys.path`),
    nor their paths (the script's folder, first on `sys.path`, is another for a profiler's)."""
    names = {sys.version, source_hash()}
    for folder in sys.path:
        try:
            names.update(n for n in os.listdir(folder or ".") if n.endswith(METADATA_FOLDERS))
        except OSError:  # not a folder (a zip file, an import hook) or gone
            continue
    text = "\0".join(sorted(names))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


@cache  # each stage's code hash reaches many of the same modules
def _module_source(name: str) -> tuple[bytes, frozenset[str]] | None:
    """A storyline module's source, and the modules it imports; None for a name that is not a
    module."""
    path = _module_file(name)
    if path is None:
        return None
    source = path.read_bytes()
    return source, frozenset(_imports(ast.parse(source), name, path.name == "__init__.py"))


def _function_imports(
    function: Callable[..., Any], sources: dict[str, bytes], libraries: set[str]
) -> set[str]:
    """The storyline modules `function` imports in its body or names from its module's
    globals; the functions and classes of its own module that it names count as its own
    source (their text goes into `sources`), values by their repr; libraries into
    `libraries`."""
    module = function.__module__
    namespace = vars(sys.modules[module])
    source = textwrap.dedent(inspect.getsource(function))
    sources[f"{module}:{function.__qualname__}"] = source.encode()
    tree = ast.parse(source)
    found = _split(_imports(tree, module, False), libraries)
    for name in sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}):
        value = namespace.get(name)
        if value is None:
            continue
        owner = value.__name__ if inspect.ismodule(value) else getattr(value, "__module__", None)
        if owner != module:
            found |= _split({owner} if isinstance(owner, str) else set(), libraries)
        elif inspect.isfunction(value) or inspect.isclass(value):
            if f"{module}:{value.__qualname__}" not in sources:
                found |= _function_imports(value, sources, libraries)
        else:
            sources[f"{module}:{name}"] = repr(value).encode()
    return found


def _imports(tree: ast.AST, module: str, package: bool) -> set[str]:
    """Every module an import in `tree` (of `module`, a package's __init__ if `package`)
    loads: absolute names, relative ones resolved, and `from x import y` where y is a module."""
    base = module if package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = base.split(".")
            origin = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            origin = ".".join(p for p in (origin, node.module or "") if p)
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return found


def _split(modules: set[str], libraries: set[str]) -> set[str]:
    """The storyline modules among `modules`, with the packages whose __init__ importing them
    runs; the top-level names of the others that are not Python's own go into `libraries`."""
    ours: set[str] = set()
    for name in modules:
        top = name.partition(".")[0]
        if top == __package__:
            parts = name.split(".")
            ours.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
        elif top not in sys.stdlib_module_names:
            libraries.add(top)
    return ours


def _module_file(name: str) -> Path | None:
    """The source file of a storyline module, found without importing it; None for a name
    that is not a module (`from .model import Article`)."""
    path = PACKAGE.joinpath(*name.split(".")[1:])
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def _distributions() -> Mapping[str, list[str]]:
    """Which installed distributions provide each importable top-level name."""
    from importlib import metadata  # as `platform` in `reach_hash`

    return metadata.packages_distributions()


def _with_requirements(libraries: set[str]) -> dict[str, str]:
    """The installed versions of the distributions that provide the importable `libraries`,
    and of every distribution they require (extras aside), by their normalised names."""
    provided = _distributions()
    todo = {dist for top in libraries for dist in provided.get(top, [top])}
    found: dict[str, str] = {}
    while todo:
        dist = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if dist not in found:
            found[dist], required = _installed(dist)
            todo.update(required)
    return found


@cache  # each stage's code hash asks for much the same libraries
def installed_version(dist: str) -> str:
    """The installed version of a distribution; "not installed" when it is not."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED


@cache
def _installed(dist: str) -> tuple[str, tuple[str, ...]]:
    """The installed version of a distribution, and the names of those it requires (extras
    aside); none when it is not installed."""
    from importlib import metadata

    version = installed_version(dist)
    if version == NOT_INSTALLED:
        return version, ()
    required = metadata.requires(dist) or []
    return version, tuple(
        match.group()
        for requirement in required
        if "extra ==" not in requirement
        and (match := re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement))
    )


@contextmanager
def _uncollected() -> Iterator[None]:
    """No garbage collection while entries are unpickled: the objects they make are kept, not
    garbage, yet each collection their number sets off scans them all again. The light events
    of 10,000 real articles unpickled in 0.61 CPU-s, 0.16 s without collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class StoreError(Exception):
    """The build's store lost entries this build put in it; the build cannot go on."""


class CacheReset(StoreError):
    """The store turned out damaged during the build and was replaced by a new, empty one:
    the entries this build had put in it are gone, so the build starts again."""


class NotACache(sqlite3.DatabaseError):
    """A database that some other program made."""


def damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether the error says the database itself is unusable (malformed, not a database, not
    ours), as opposed to its disk being full or busy for a moment."""
    code = getattr(error, "sqlite_errorcode", None)
    unusable = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return isinstance(error, NotACache) or (code is not None and code & 0xFF in unusable)


class AnalysisCache:
    """Analysed articles, grouped runs, described events and written sites by key. Use
    `key()`, `run_key()` or `event_key()` (a site goes by its id), then `get_many()` and
    `update()` with the table's name; `put()`, `needed()` and `prune()` for entries kept as
    bytes."""

    def __init__(self, path: Path, settings: str):
        self.path = path
        self.settings = settings  # the settings the analysis reads, as text
        self.read_failed = False
        # entries that could not be written (a full disk): held here instead, so that the
        # build goes on, only less lightly
        self.unwritten: dict[tuple[str, str], bytes] = {}
        self.write_failed = False
        self.db = self._open()
        self._code_hashes: dict[Callable[..., Any], str] = {}
        # what code_reach found, by function, kept by code_context()
        self._reaches: dict[str, tuple[str, dict[str, str]]] | None = None
        self._code_context = ""

    def _open(self) -> sqlite3.Connection:
        problem: Exception
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._connect()
        except sqlite3.DatabaseError as error:
            if damaged(error):
                self._set_aside(error)
                return self._connect()
            problem = error  # its disk full, read-only or busy: the cache itself may be fine
        except OSError as error:
            problem = error
        self.write_failed = True
        log.warning(
            "%s: the build cache could not be opened (%s); this build keeps its work in memory "
            "instead, and the next one analyses every article again",
            self.path,
            problem,
        )
        return self._connect(":memory:")

    def _set_aside(self, error: sqlite3.DatabaseError) -> None:
        """Move the unusable database aside, in place of any older one moved aside before (they
        are kept to look into, not to pile up), and warn."""
        for older in self.path.parent.glob(f"{self.path.name}.broken-*"):
            older.unlink(missing_ok=True)
        aside = self.path.with_name(f"{self.path.name}.broken-{int(time.time())}")
        self.path.replace(aside)
        for journal in ("-wal", "-shm"):  # the old database's, useless to the new one
            self.path.with_name(self.path.name + journal).unlink(missing_ok=True)
        log.warning(
            "%s: the build cache could not be used (%s); it was moved to %s and a new one "
            "started, so this build analyses every article",
            self.path,
            error,
            aside.name,
        )

    def _replace(self, error: sqlite3.DatabaseError) -> NoReturn:
        """Damage found during the build, at a read or a write: a new store, and the build
        starts again (`CacheReset`)."""
        self.db.close()
        self._set_aside(error)
        self.unwritten.clear()
        self.db = self._open()
        raise CacheReset(
            f"{self.path}: the build store was damaged during the build ({error}) and replaced "
            "by a new one; nothing was written"
        ) from error

    def _connect(self, where: Path | str | None = None) -> sqlite3.Connection:
        db = sqlite3.connect(where or self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            meta = dict(db.execute("SELECT name, value FROM meta")) if "meta" in tables else {}
            if tables and meta.get("mark") != MARK:
                raise NotACache("it is not a Storyline cache")
            if meta.get("schema") != SCHEMA:
                with db:  # new, or an older layout whose entries cannot be read: start over
                    for table in tables:
                        db.execute(f"DROP TABLE {table}")
                    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
                    for table in TABLES:
                        db.execute(f"CREATE TABLE {table} (key TEXT PRIMARY KEY, data BLOB)")
                    db.executemany(
                        "INSERT INTO meta VALUES (?, ?)", [("mark", MARK), ("schema", SCHEMA)]
                    )
            elif missing := [t for t in TABLES if t not in tables]:
                with db:  # a table added since this cache was made: its entries are still good
                    for table in missing:
                        db.execute(f"CREATE TABLE {table} (key TEXT PRIMARY KEY, data BLOB)")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def code_hash(self, function: Callable[..., Any]) -> str:
        """A hash of what `function` computes with (`code_reach`) and Python's version, for
        the keys of the entries it makes. Finding a function's reach parses every module it
        reaches and reads every installed distribution's file list, some 1.1 CPU-s of every
        build's keys; so the reaches are kept in the store, by `code_context()`, and found
        again only when the package's sources, Python or the installed packages change. Each
        distribution's version is asked for all the same (once a process), and one that is not
        the version kept finds the reach again: its requirements may differ."""
        found = self._code_hashes.get(function)
        if found is not None:
            return found
        if self._reaches is None:
            self._code_context = code_context()
            kept = self.get_many([self._code_context], "code").get(self._code_context)
            self._reaches = kept if isinstance(kept, dict) else {}
        name = f"{function.__module__}:{function.__qualname__}"
        reach = self._reaches.get(name)
        if reach is None or any(installed_version(d) != v for d, v in reach[1].items()):
            reach = self._reaches[name] = code_reach(function)
            self.update({self._code_context: self._reaches}, {self._code_context}, "code")
        found = self._code_hashes[function] = reach_hash(*reach)
        return found

    def key(self, article: Article, analyser: Callable[..., Any]) -> str:
        """The article as read (every field the readers fill), the settings, and the code that
        `analyser` runs."""
        text = f"{self.code_hash(analyser)}\n{self.settings}\n{article!r}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def run_key(self, settings: str, article_keys: list[str], grouper: Callable[..., Any]) -> str:
        """The events among a run of articles: the articles (by their keys, in order), the
        settings, and the code that `grouper` runs."""
        text = "\n".join([self.code_hash(grouper), settings, *article_keys])
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def event_key(self, day: object, article_keys: list[str], describer: Callable[..., Any]) -> str:
        """An event's description and comparison: its articles (by their keys, in order), the
        day they were anchored on, and the code that `describer` runs."""
        text = "\n".join([self.code_hash(describer), repr(day), *article_keys])
        return hashlib.sha256(text.encode()).hexdigest()

    def get_many(self, keys: Iterable[str], table: str = "analysed") -> dict[str, Any]:
        """The entries found of `keys`, unpickled; one that cannot be read is a miss."""
        found: dict[str, Any] = {}
        with _uncollected():
            blobs = self._blobs(list(keys), table)
            for key, data in blobs.items():
                try:
                    found[key] = pickle.loads(data)
                except Exception:  # an entry that no longer unpickles is simply a miss
                    log.debug("cache entry %s unreadable", key, exc_info=True)
        return found

    def get_all(self, table: str) -> dict[str, Any]:
        """Every entry of the table, unpickled: for a table of small entries, read whole
        faster than key by key. One that cannot be read is left out."""
        try:
            rows = self.db.execute(f"SELECT key, data FROM {table}").fetchall()
        except sqlite3.DatabaseError as error:
            if damaged(error):
                self._replace(error)
            return {}
        rows += [(k, v) for (t, k), v in self.unwritten.items() if t == table]
        found: dict[str, Any] = {}
        with _uncollected():
            for key, data in rows:
                try:
                    found[key] = pickle.loads(data)
                except Exception:
                    log.debug("cache entry %s unreadable", key, exc_info=True)
        return found

    def blobs(self, keys: list[str], table: str) -> dict[str, bytes]:
        """The entries found of `keys`, as they were put (pickled)."""
        return self._blobs(keys, table)

    def needed(self, keys: list[str], table: str) -> list[bytes]:
        """The entries of `keys`, in order, as they were put: this build put them, so one
        missing is an error."""
        found = self._blobs(keys, table, strict=True)
        missing = [k for k in keys if k not in found]
        if missing:
            raise StoreError(
                f"{self.path}: the build store lost {len(missing)} entries of this build "
                f"({table}); nothing was written. Was it deleted or changed during the build?"
            )
        return [found[k] for k in keys]

    def _blobs(self, keys: list[str], table: str, strict: bool = False) -> dict[str, bytes]:
        found = {k: self.unwritten[table, k] for k in keys if (table, k) in self.unwritten}
        wanted = list(dict.fromkeys(k for k in keys if k not in found))
        for start in range(0, len(wanted), 500):  # SQLite limits the parameters of a query
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self.db.execute(
                    f"SELECT key, data FROM {table} WHERE key IN ({marks})", chunk
                ).fetchall()
            except sqlite3.DatabaseError as error:
                if damaged(error):
                    self._replace(error)
                if strict:
                    raise StoreError(
                        f"{self.path}: the build store could not be read ({error}); nothing "
                        "was written"
                    ) from error
                if not self.read_failed:
                    self.read_failed = True
                    log.warning("%s: the build cache could not be read (%s)", self.path, error)
                return found
            found.update(rows)
        return found

    def put(self, entries: dict[str, bytes], table: str) -> None:
        """Store entries already pickled, in one transaction."""
        try:
            with self.db:
                self.db.executemany(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", list(entries.items())
                )
                testhooks.reached("cache-write")  # a test kills the build in the transaction
        except sqlite3.DatabaseError as error:
            self._not_written(error)
            self.unwritten.update(((table, k), v) for k, v in entries.items())

    def prune(self, keep: set[str], table: str) -> None:
        """Drop the entries this build did not use, so the cache holds the latest build and
        does not grow with every edit."""
        try:
            with self.db:
                stale = [
                    (k,) for (k,) in self.db.execute(f"SELECT key FROM {table}") if k not in keep
                ]
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", stale)
        except sqlite3.DatabaseError as error:
            self._not_written(error)

    def _not_written(self, error: sqlite3.DatabaseError) -> None:
        """Warn of the first write that failed; those after it fail for the same reason. A
        damaged store is replaced (`_replace`)."""
        if damaged(error):
            self._replace(error)
        if not self.write_failed:
            self.write_failed = True
            log.warning(
                "%s: the build cache could not be written (%s); this build keeps its work in "
                "memory instead, and the next one analyses again what it could not store",
                self.path,
                error,
            )

    def update(self, entries: dict[str, Any], keep: set[str], table: str = "analysed") -> None:
        """Store the new entries and drop those this build did not use."""
        self.put({k: pickle.dumps(a, pickle.HIGHEST_PROTOCOL) for k, a in entries.items()}, table)
        self.prune(keep, table)

    def note(self, name: str) -> str | None:
        """A value kept beside the entries, such as the fingerprint of the last build."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE name = ?", (f"note:{name}",))
            found = row.fetchone()
        except sqlite3.DatabaseError as error:
            if damaged(error):
                self._replace(error)
            return None
        return found[0] if found else None

    def set_note(self, name: str, value: str) -> None:
        try:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"note:{name}", value)
                )
        except sqlite3.DatabaseError as error:
            self._not_written(error)

    def close(self) -> None:
        self.db.close()
