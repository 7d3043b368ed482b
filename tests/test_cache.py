"""The build cache and worker processes: faster rebuilds, never a different site."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path, PurePosixPath

import pytest

from storyline import readers
from storyline.pipeline import CACHE_FILE, BuildOptions, build
from storyline.write import MARKER
from tests.conftest import ROOT, write_tree

ARTICLES = {
    f"{n}.md": f"---\ntitle: Pier vote {n}\nsource: Outlet {n % 3}\ndate: 2025-02-0{1 + n % 5}\n---\n"
    f"The harbour council voted on Monday to rebuild the ferry pier, part {n}.\n"
    for n in range(6)
}


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path):
    write_tree(tmp_path, {"config.yaml": "", **{f"content/{k}": v for k, v in ARTICLES.items()}})
    return tmp_path


def run(project: Path, output: str = "site", **options):
    settings = {"templates": ROOT / "templates", "jobs": 1, **options}
    return build(
        BuildOptions(
            config=project / "config.yaml",
            content=project / "content",
            output=project / output,
            **settings,
        )
    )


def count_analyses(monkeypatch) -> list[str]:
    from storyline import clean

    seen: list[str] = []
    real = clean.clean_article

    def counted(article, *args, **kwargs):
        seen.append(article.path)
        return real(article, *args, **kwargs)

    monkeypatch.setattr(clean, "clean_article", counted)
    return seen


def test_a_rebuild_analyses_only_the_articles_that_changed(project, monkeypatch):
    run(project)
    assert (project / CACHE_FILE).is_file()
    analysed = count_analyses(monkeypatch)
    run(project, "again")
    assert analysed == []
    assert site_files(project / "again") == site_files(project / "site")
    (project / "content" / "2.md").write_text(ARTICLES["2.md"] + "\nA late addition.\n")
    run(project, "edited")
    assert analysed == ["2.md"]


def test_a_build_takes_what_the_code_reaches_from_the_store_and_asks_only_the_versions(
    project, monkeypatch, fresh_code_hash
):
    """Finding which installed distribution provides each library the code imports
    (`packages_distributions` reads every installed package's file list) and parsing each
    module for its imports took some 1.1 CPU-s of every build's keys, in every build's new
    process; they are kept in the store. The libraries' versions are still asked each time."""
    from importlib import metadata

    from storyline import cache

    run(project)
    fresh_code_hash()  # as a new process starts
    calls: Counter[str] = Counter()

    def counting(name: str, real):
        def counted(*args):
            calls[name] += 1
            return real(*args)

        return counted

    for owner, name in [
        (metadata, "packages_distributions"),
        (metadata, "version"),
        (cache, "_module_source"),
        (cache, "_function_imports"),
    ]:
        monkeypatch.setattr(owner, name, counting(name, getattr(owner, name)))
    analysed = count_analyses(monkeypatch)
    (project / "content" / "2.md").write_text(ARTICLES["2.md"] + "\nA late addition.\n")
    run(project, "edited")
    assert analysed == ["2.md"]  # the other articles' keys, so the code's hash, unchanged
    assert calls["version"] > 0
    assert calls.keys() == {"version"}


def test_a_setting_the_analysis_reads_misses_the_cache(project, monkeypatch):
    run(project)
    analysed = count_analyses(monkeypatch)
    (project / "config.yaml").write_text("dates:\n  order: MDY\n")
    run(project, "mdy")
    assert len(analysed) == len(ARTICLES)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"this is not a database" * 100),
        lambda path: sqlite3.connect(path).executescript(
            "CREATE TABLE notes (x); INSERT INTO notes VALUES (1);"
        ),
    ],
    ids=["corrupt", "foreign"],
)
def test_a_damaged_or_foreign_cache_is_set_aside_with_a_warning(project, damage, caplog):
    clean_site = site_files(run(project, "clean", cache=False) and project / "clean")
    cache = project / CACHE_FILE
    cache.parent.mkdir()
    damage(cache)
    result = run(project)
    [warning] = cache_warnings(caplog)
    assert "could not be used" in warning and "a new one started" in warning
    assert list(cache.parent.glob("analysis.sqlite.broken-*"))
    # The same site: a cache problem is no problem of the site's inputs, so neither
    # digest.json nor --strict counts it.
    assert result.digest.diagnostics == []
    assert site_files(project / "site") == clean_site
    run(project, "after")  # and the new cache works
    assert site_files(project / "after") == clean_site
    assert len(cache_warnings(caplog)) == 1


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "storyline.cache"]


def damage_in_the_middle(cache: Path) -> None:
    """64 KB of random bytes written at half the database's size, as a failing disk might."""
    size = cache.stat().st_size
    with cache.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(random.Random(size).randbytes(64 * 1024))


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "build.py"), *args, "--config", "config.yaml"]
    command += ["--templates", str(ROOT / "templates"), "--jobs", "1"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True)


def test_a_cache_damaged_in_the_middle_is_set_aside_and_strict_builds_and_checks_pass(project):
    cache = project / CACHE_FILE
    run(project, "clean", cache=False)
    run(project, "output")

    def damaged(*command: str) -> subprocess.CompletedProcess:
        damage_in_the_middle(cache)
        done = cli(project, *command)
        # one warning, naming the cache where it is (not inside the content folder)
        [warning] = [line for line in done.stderr.splitlines() if "cache" in line]
        assert f" {Path('.cache', 'analysis.sqlite')}: the build cache could not be used" in warning
        assert "(database disk image is malformed)" in warning
        # only the latest damaged cache is kept, to look into
        assert len(list(cache.parent.glob("analysis.sqlite.broken-*"))) == 1
        return done

    assert damaged("build", "--strict").returncode == 0
    assert site_files(project / "output") == site_files(project / "clean")
    # check lists the same problems with a damaged cache as with a sound one
    (project / "content" / "late.md").write_text("---\ndate: after the storm\n---\nA text.\n")
    sound = cli(project, "check")
    assert sound.returncode == 1 and "late.md" in sound.stdout
    checked = damaged("check")
    assert (checked.returncode, checked.stdout) == (sound.returncode, sound.stdout)


class FullDisk:
    """A cache's database on a full disk: it reads, but every write fails."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def execute(self, sql: str, *args):
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, *args):
        raise sqlite3.OperationalError("database or disk is full")

    def __enter__(self):
        return self.db.__enter__()

    def __exit__(self, *exc):
        return self.db.__exit__(*exc)

    def close(self) -> None:
        self.db.close()


class Damaged(FullDisk):
    """A cache's database whose pages holding events' findings turn out malformed, as damage
    found only late in a build (while the pages are written) would."""

    def execute(self, sql: str, *args):
        if "FROM findings WHERE" in sql:
            error = sqlite3.DatabaseError("database disk image is malformed")
            error.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
            raise error
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, *args):
        return self.db.executemany(sql, *args)


def test_damage_found_late_in_a_build_sets_the_cache_aside_and_builds_the_same_site(
    project, monkeypatch, caplog
):
    from storyline.cache import AnalysisCache

    run(project)
    (project / "content" / "2.md").write_text(ARTICLES["2.md"] + "\nA late addition.\n")
    real = AnalysisCache._connect
    connected: list[AnalysisCache] = []

    def first_one_damaged(self, *args):
        connected.append(self)
        db = real(self, *args)
        return Damaged(db) if len(connected) == 1 else db

    monkeypatch.setattr(AnalysisCache, "_connect", first_one_damaged)
    result = run(project)
    monkeypatch.undo()
    [warning] = cache_warnings(caplog)
    assert "could not be used (database disk image is malformed)" in warning
    assert result.digest.diagnostics == []
    assert len(list((project / CACHE_FILE).parent.glob("analysis.sqlite.broken-*"))) == 1
    run(project, "clean", cache=False)
    assert site_files(project / "site") == site_files(project / "clean")


def test_a_cache_that_cannot_be_written_slows_nothing_but_keeps_the_work_in_memory(
    project, monkeypatch, caplog
):
    from storyline.cache import AnalysisCache

    clean_site = site_files(run(project, "clean", cache=False) and project / "clean")
    real = AnalysisCache._connect
    monkeypatch.setattr(AnalysisCache, "_connect", lambda self: FullDisk(real(self)))
    result = run(project)
    [warning] = cache_warnings(caplog)
    assert "could not be written (database or disk is full)" in warning
    assert "keeps its work in memory instead" in warning
    assert result.digest.diagnostics == []
    assert site_files(project / "site") == clean_site
    # Once the disk has room again, the next build analyses what could not be stored (it is
    # not "up to date"), stores it, and the one after is up to date.
    monkeypatch.setattr(AnalysisCache, "_connect", real)
    analysed = count_analyses(monkeypatch)
    assert not run(project).unchanged
    assert sorted(analysed) == sorted(ARTICLES)
    assert run(project).unchanged
    assert site_files(project / "site") == clean_site


def test_a_cache_that_cannot_be_opened_keeps_the_work_in_memory(project, caplog):
    clean_site = site_files(run(project, "clean", cache=False) and project / "clean")
    (project / ".cache").write_text("a file where the cache's folder goes")
    result = run(project)
    [warning] = cache_warnings(caplog)
    assert "could not be opened" in warning and "keeps its work in memory instead" in warning
    assert result.digest.diagnostics == []
    assert site_files(project / "site") == clean_site
    assert not run(project).unchanged  # nothing was kept, so nothing is known to be up to date


def test_no_cache_leaves_no_cache_behind(project):
    run(project, cache=False)
    assert not (project / ".cache").exists()


def test_one_or_two_worker_processes_build_the_same_site(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench.corpus import generate, write_markdown

    write_markdown(generate(240), tmp_path / "content")
    (tmp_path / "config.yaml").write_text("")
    sites = []
    for jobs in (1, 2):
        output = tmp_path / f"site-{jobs}"
        build(
            BuildOptions(
                config=tmp_path / "config.yaml",
                content=tmp_path / "content",
                output=output,
                templates=ROOT / "templates",
                jobs=jobs,
                cache=False,
            )
        )
        sites.append(site_files(output))
    assert sites[0] == sites[1]


def test_a_second_build_at_the_same_time_stops_with_a_clear_message(project):
    from storyline.write import OutputError, output_lock

    with (
        output_lock(project / "site"),
        pytest.raises(OutputError, match="another build is writing"),
    ):
        run(project)
    run(project)  # once the first is done, building works again


def test_a_build_killed_at_each_step_leaves_a_whole_site_and_a_usable_cache(tmp_path):
    """The build kills itself (SIGKILL) at each named step (`storyline.testhooks`), so every
    step is tried on any machine, however fast or loaded."""
    from storyline import testhooks
    from storyline.write import output_lock

    sys.path.insert(0, str(ROOT))
    from bench.corpus import generate, write_markdown

    records = generate(60)
    write_markdown(records, tmp_path / "content")
    (tmp_path / "config.yaml").write_text("")
    site = tmp_path / "site"
    command = [
        sys.executable, str(ROOT / "build.py"), "-q", "--config", str(tmp_path / "config.yaml"),
        "--content", str(tmp_path / "content"), "--output", str(site),
        "--templates", str(ROOT / "templates"),
    ]  # fmt: skip

    def clean_build() -> dict[str, bytes]:
        """The site a build of the content as it is now makes, from nothing."""
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        run(tmp_path, "clean", cache=False)
        return site_files(tmp_path / "clean")

    def beside(kind: str) -> list[Path]:
        return list(tmp_path.glob(f".site.{kind}-*"))

    subprocess.run(command, check=True)
    before = site_files(site)
    for step, point in enumerate(testhooks.POINTS):
        for record in records[step::8]:  # work for the cache and the writer to do
            path = tmp_path / "content" / f"{record['id']}.md"
            path.write_text(path.read_text() + f"\nUpdated before {point}.\n")
        killed = subprocess.run(command, env={**os.environ, testhooks.VARIABLE: point})
        assert killed.returncode == -signal.SIGKILL, point  # it reached the step
        if point == "cache-write":  # mid-transaction: nothing of the site touched yet
            assert site_files(site) == before and not beside("new")
        elif point == "staged":  # the changed files complete beside the site, still in place
            assert site_files(site) == before
            [staged] = beside("new")
            # the changed files alone, as a clean build makes them
            assert site_files(staged).items() < clean_build().items()
        elif point == "swapping":  # new files moving in: the next build puts the site back
            assert len(beside("old")) == 1 and site_files(site) != before
            with output_lock(site):  # what every build does first
                assert site_files(site) == before
                assert not beside("new") and not beside("old")
        else:  # swapped: the new site whole and in place (its marker in), the cache not told
            assert site_files(site) == clean_build() and beside("old")
            with output_lock(site):
                assert site_files(site) == clean_build()
                assert not beside("new") and not beside("old")
            before = site_files(site)
    # not quiet, so that a warning of the cache would show
    result = subprocess.run([c for c in command if c != "-q"], capture_output=True, text=True)
    assert result.returncode == 0 and "cache" not in result.stderr, result.stderr
    assert site_files(site) == clean_build()
    assert not beside("new") and not beside("old")


def test_nothing_changed_means_nothing_rebuilt_until_anything_the_site_is_made_from_changes(
    project, tmp_path
):
    first = run(project)
    assert not first.unchanged
    stamp = (project / "site" / "index.html").stat().st_mtime_ns
    again = run(project)
    assert again.unchanged and again.digest is None
    assert (project / "site" / "index.html").stat().st_mtime_ns == stamp
    # A file touched but not changed is read, found the same, and nothing is rebuilt; one
    # changed, even to the same size, is.
    article = project / "content" / "0.md"
    text = article.read_text()
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 10**9))
    assert run(project).unchanged
    article.write_text(text.replace("Pier vote 0", "Pier poll 0"))
    assert not run(project).unchanged
    assert run(project).unchanged
    # A changed template, setting, option, or a missing site each build again.
    templates = tmp_path / "theme"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "static" / "style.css").write_text("body { color: black; }\n")
    assert not run(project, templates=templates).unchanged
    assert run(project, templates=templates).unchanged
    assert not run(project, templates=templates, drafts=True).unchanged
    shutil.rmtree(project / "site")
    assert not run(project, templates=templates, drafts=True).unchanged


TOPICS = {
    "pier": (
        "2025-02-03",
        "The harbour council voted on Monday to rebuild the storm-damaged ferry pier.",
    ),
    "school": (
        "2025-05-12",
        "Teachers at the northern school walked out over class sizes and pay.",
    ),
    "bridge": (
        "2025-09-22",
        "Engineers closed the old railway bridge after finding cracks in a pier.",
    ),
}


def write_topics(project: Path) -> None:
    """Three events, two outlets each."""
    files = {"config.yaml": ""}
    for topic, (day, text) in TOPICS.items():
        for outlet in ("Ledger", "Wire"):
            files[f"content/{topic}-{outlet}.md"] = (
                f"---\ntitle: {topic} report\nsource: {outlet}\ndate: {day}\n---\n{text}\n"
            )
    write_tree(project, files)


def test_an_edit_groups_and_compares_again_only_where_it_reaches(tmp_path, monkeypatch):
    from storyline import compare, events
    from storyline.events import group

    monkeypatch.setattr(group, "MIN_RUN", 1)  # a calendar block for each topic's days
    write_topics(tmp_path)
    assert len(run(tmp_path).digest.events) == 3
    grouped: list[set[str]] = []
    compared: list[set[str]] = []
    real_group, real_compare = events.group_run, compare.comparison

    def counted_group(articles, config):
        grouped.append({a.id for a in articles})
        return real_group(articles, config)

    def counted_compare(articles):
        compared.append({a.id for a in articles})
        return real_compare(articles)

    monkeypatch.setattr(events, "group_run", counted_group)
    monkeypatch.setattr(compare, "comparison", counted_compare)
    school = tmp_path / "content" / "school-Wire.md"
    school.write_text(school.read_text() + "\nParents joined the picket line.\n")
    run(tmp_path)
    # the other topics' runs and events came from the cache
    assert grouped == [{"school-Ledger", "school-Wire"}]
    assert compared == [{"school-Ledger", "school-Wire"}]
    clean = run(tmp_path, "clean", cache=False)
    assert site_files(tmp_path / "site") == site_files(tmp_path / "clean") and clean.digest


def test_an_edit_writes_only_the_files_it_changes_and_equals_a_clean_build(tmp_path):
    write_topics(tmp_path)
    command = [sys.executable, str(ROOT / "build.py"), "--config", str(tmp_path / "config.yaml")]
    command += ["--templates", str(ROOT / "templates"), "-q"]
    subprocess.run(command, cwd=tmp_path, check=True)  # each build its own process, as in use
    site = tmp_path / "output"
    folder = site.stat().st_ino
    # the inode, and its change time, which a new hard link to it would set
    before = {
        p: ((site / p).stat().st_ino, (site / p).stat().st_ctime_ns) for p in site_files(site)
    }
    school = tmp_path / "content" / "school-Wire.md"
    school.write_text(school.read_text() + "\nParents joined the picket line.\n")
    subprocess.run(command, cwd=tmp_path, check=True)
    after = {p: ((site / p).stat().st_ino, (site / p).stat().st_ctime_ns) for p in site_files(site)}
    assert after.keys() == before.keys() and site.stat().st_ino == folder  # written in place
    rewritten = {p for p in after if after[p][0] != before[p][0]}
    assert all(after[p] == before[p] for p in after.keys() - rewritten)  # the others untouched
    slugs = {
        e["articles"][0].split("-")[0]: e["slug"]
        for e in json.loads((site / "digest.json").read_text())["events"]
    }
    pages = {
        topic: {f"events/{slug}/index.html", f"events/{slug}/compare/index.html"}
        for topic, slug in slugs.items()
    }
    assert pages["school"] <= rewritten
    assert not rewritten & (pages["pier"] | pages["bridge"] | {"sitemap.xml", "404.html"})
    # besides the edited event's: pages and files that show every event
    listings = {"index.html", "timeline/index.html", "sources/index.html", "search/index.json"}
    listings |= {"digest.json", "feed.json", "feed.xml", "timeline/timeline.json", MARKER}
    assert rewritten - pages["school"] <= listings
    run(tmp_path, "clean", cache=False)
    assert site_files(site) == site_files(tmp_path / "clean")


def count_reads(monkeypatch) -> list[str]:
    read: list[str] = []
    real = readers._read_file

    def counted(path, rel, diagnostics):
        read.append(rel)
        return real(path, rel, diagnostics)

    monkeypatch.setattr(readers, "_read_file", counted)
    return read


def test_a_rebuild_reads_only_the_content_files_that_changed(project, monkeypatch):
    run(project)
    read = count_reads(monkeypatch)
    (project / "content" / "2.md").write_text(ARTICLES["2.md"] + "\nA late addition.\n")
    edited = run(project)
    assert read == ["2.md"]
    assert edited.read == len(ARTICLES)
    clean = run(project, "clean", cache=False)
    assert site_files(project / "site") == site_files(project / "clean") and clean.digest


def test_an_edit_that_keeps_the_size_and_modification_time_is_still_read(project, monkeypatch):
    run(project)
    path = project / "content" / "3.md"
    before = path.stat()
    path.write_text(ARTICLES["3.md"].replace("Monday", "Sunday"))  # as many bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    read = count_reads(monkeypatch)
    run(project)
    assert read == ["3.md"]
    assert "Sunday" in (project / "site" / "digest.json").read_text()


def test_a_known_file_whose_analysis_the_cache_lost_is_read_again(project, monkeypatch):
    run(project)
    with sqlite3.connect(project / CACHE_FILE) as db:
        db.execute("DELETE FROM records")
    read = count_reads(monkeypatch)
    run(project, "again")
    assert sorted(read) == sorted(ARTICLES)
    assert site_files(project / "again") == site_files(project / "site")


def test_an_edit_unpickles_the_findings_of_only_the_event_it_reaches(tmp_path, monkeypatch):
    """digest.json and the search index used to unpickle every event's findings on every
    build; the other events' parts now come from the cache as JSON text."""
    from storyline import model

    write_topics(tmp_path)
    run(tmp_path)
    unpickled = 0
    real = model.Held.findings_of

    def counted(self):
        nonlocal unpickled
        unpickled += 1
        return real(self)

    monkeypatch.setattr(model.Held, "findings_of", counted)
    school = tmp_path / "content" / "school-Wire.md"
    school.write_text(school.read_text() + "\nParents joined the picket line.\n")
    run(tmp_path)
    assert unpickled == 2  # the edited event's: for its pages, and for its part of digest.json
    clean = run(tmp_path, "clean", cache=False)
    assert site_files(tmp_path / "site") == site_files(tmp_path / "clean") and clean.digest


def count_lookups(monkeypatch, site: Path) -> tuple[Counter[str], Counter[str]]:
    """How often each folder inside `site` is listed, and each path inside it stat'd, by
    path inside it (the stats of a listing's entries come with it)."""
    listed: Counter[str] = Counter()
    stated: Counter[str] = Counter()
    inside = site.resolve()

    def counting(real, counter):
        def counted(path=".", *args, **kwargs):
            where = Path(os.path.abspath(path)) if isinstance(path, str | os.PathLike) else None
            if where and where.is_relative_to(inside):
                counter[where.relative_to(inside).as_posix()] += 1
            return real(path, *args, **kwargs)

        return counted

    monkeypatch.setattr(os, "scandir", counting(os.scandir, listed))
    monkeypatch.setattr(os, "stat", counting(os.stat, stated))
    monkeypatch.setattr(os, "lstat", counting(os.lstat, stated))
    return listed, stated


def test_an_edit_finds_the_output_folder_once_and_nothing_changed_lists_none_of_it(
    project, monkeypatch
):
    """The output folder was walked three times on an edit (its state before, the files the
    writer removes, its state after) and each kept file stat'd four times, 7% of an edit at
    10,000 articles; a rebuild with nothing changed listed each of its 16,520 folders. Now
    each folder and file is found once, by the paths the last build left there (their folders'
    times show anything added), and only the files an edit rewrites are looked at again."""
    run(project)
    site = project / "site"
    before = {p: (site / p).stat().st_ino for p in site_files(site)}
    listed, stated = count_lookups(monkeypatch, site)
    assert run(project).unchanged
    assert not listed
    below = {path: n for path, n in stated.items() if path not in (".", MARKER)}
    assert set(below.values()) == {1}  # the folder itself and its marker are checked besides
    assert below.keys() >= {*before.keys() - {MARKER}, "events"}  # every file, the folders
    listed.clear()
    stated.clear()
    (project / "content" / "2.md").write_text(ARTICLES["2.md"] + "\nA late addition.\n")
    assert not run(project).unchanged
    monkeypatch.undo()
    rewritten = {p for p in site_files(site) if before.get(p) != (site / p).stat().st_ino}
    assert rewritten and not listed
    around = {p.as_posix() for path in rewritten for p in PurePosixPath(path).parents}
    kept = {path: n for path, n in stated.items() if path not in {*rewritten, *around, MARKER}}
    assert set(kept.values()) == {1}
    # the rewritten files found, and again once moved in; their folders made sure of besides
    assert all(stated[path] <= 2 for path in rewritten - {MARKER})
    assert run(project).unchanged  # the state it noted is the one the next build finds


def test_a_rebuild_with_nothing_changed_loads_only_what_the_check_needs(project):
    """Progress bars and the summary table (rich), the feed and front matter parsers, the
    worker pool (multiprocessing) and the libraries' versions (importlib.metadata) were
    loaded at start-up, some 0.15 s of a rebuild with nothing changed, which uses none."""
    heavy = ("rich", "feedparser", "frontmatter", "multiprocessing", "importlib.metadata")
    script = (
        "import sys; from storyline.cli import main; "
        f"main([*{['--config', str(project / 'config.yaml')]!r}, "
        f"'--content', {str(project / 'content')!r}, '--output', {str(project / 'site')!r}, "
        f"'--templates', {str(ROOT / 'templates')!r}]); "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )

    run(project)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    said, loaded = done.stdout.splitlines()
    assert "up to date" in said and loaded == "[]"
