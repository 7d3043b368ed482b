"""What an edit and the stages it reaches cost, counted in work done (never in seconds): the
timeline merges mentions in work that grows with their number, and a rebuild after an edit
reads, renders and writes only what the edit changed, into a site equal to a clean build's."""

from __future__ import annotations

import importlib
import random
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import scipy.sparse as sp

from storyline.model import Event, TimelineMention
from storyline.pipeline import BuildOptions, BuildResult, build
from storyline.workers import LocalWorkers
from tests.conftest import ROOT, write_tree

# the module: the package names its function `describe`
describe = importlib.import_module("storyline.events.describe")
SYLLABLES = ("ka", "lo", "mir", "ten", "sa", "vo", "ru", "pel", "dan", "io", "gra", "tus")


def made_up_words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choices(SYLLABLES, k=3)) for _ in range(count)]


def event_with(mentions: list[TimelineMention], n: int) -> Event:
    return Event(f"e{n}", f"e{n}", "Title", None, None, None, "Summary.", [], mentions)


def counted_content(monkeypatch, *names: str) -> list[int]:
    """Count the texts whose words are looked up (by `describe`'s functions `names`)."""
    calls = [0]
    for name in names:
        looked_up = getattr(describe, name)

        def counted(text: str, looked_up=looked_up):
            calls[0] += 1
            return looked_up(text)

        monkeypatch.setattr(describe, name, counted)
    return calls


def mentions_of_one_date(count: int) -> list[TimelineMention]:
    rng = random.Random(7)
    day = date(2024, 5, 1)
    return [
        TimelineMention(day, "day", "2024-05-01", " ".join(made_up_words(rng, 12)), [f"a{n}"])
        for n in range(count)
    ]


def test_the_timeline_merges_a_dates_mentions_in_bounded_work_however_many_share_it(
    monkeypatch,
):
    """Mentions of one date used to be compared pairwise, each comparison finding both texts'
    words again: work growing with the square of the mentions of a date. Now a date's words
    are chosen among a bounded number of its mentions."""
    work = []
    for count in (300, 600):
        calls = counted_content(monkeypatch, "_content", "normalised")
        mentions = mentions_of_one_date(count)
        merged = describe.timeline([event_with([m], n) for n, m in enumerate(mentions)])
        assert [len(m.articles) for m in merged] == [count]  # one entry for the date
        work.append(calls[0])
    assert 0 < work[0] == work[1] <= describe.CENTRAL_OF


def test_an_events_mentions_find_each_texts_words_once(monkeypatch):
    calls = counted_content(monkeypatch, "_content")
    happenings = describe.Happenings()
    for mention in mentions_of_one_date(300):
        happenings.add(mention)
    assert calls[0] == 300
    assert sum(len(m.articles) for m in happenings.found) == 300


def test_alike_mentions_of_a_date_are_one_entry_and_the_first_alike_takes_them():
    day = date(2024, 5, 1)
    storm = "storm flooded harbour district overnight"
    happenings = describe.Happenings()
    for mention in [
        TimelineMention(day, "day", "2024-05-01", storm, ["a1"]),
        TimelineMention(day, "day", "2024-05-01", "council approved budget", ["a2"]),
        TimelineMention(day, "day", "2024-05-01", "the storm flooded the harbour", ["a3"]),
        TimelineMention(day, "day", "2024-05-01", "budget approved by council", ["a4"]),
        TimelineMention(date(2024, 5, 2), "day", "2024-05-02", storm, ["a5"]),
    ]:
        happenings.add(mention)
    found = {(m.value, tuple(m.articles)): m.text for m in happenings.found}
    assert found == {
        ("2024-05-01", ("a1", "a3")): "the storm flooded the harbour",
        ("2024-05-01", ("a2", "a4")): "council approved budget",
        ("2024-05-02", ("a5",)): storm,
    }


def loaded(_: int) -> list[str]:
    """What a worker process has loaded before it does any work of a stage."""
    return [m for m in ("scipy.sparse", "storyline.render") if m in sys.modules]


def test_worker_processes_start_with_the_stages_modules_loaded():
    """Each stage's workers used to import SciPy, dateparser and Jinja again, each time:
    seconds of CPU per worker per stage. Now they are forked with them loaded."""
    for _ in range(2):  # two stages, one after the other
        with LocalWorkers(2) as workers:
            found = list(workers.map(loaded, range(4), at_least=1, chunk=1))
        assert found == [["scipy.sparse", "storyline.render"]] * 4


def same(made: sp.csr_matrix, expected: sp.csr_matrix) -> bool:
    """Whether two sparse matrices are the same to the bit, entry for entry."""
    parts = ("data", "indices", "indptr")
    return made.shape == expected.shape and all(
        getattr(made, p).tobytes() == getattr(expected, p).tobytes() for p in parts
    )


def test_word_vectors_are_scikit_learns_to_the_bit():
    """The words an event counts, the articles' term counts and the unit TF-IDF vectors of
    grouping and storylines are made without scikit-learn, exactly as its CountVectorizer and
    TfidfTransformer made them (a vector's sums depend on the order of its entries)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.preprocessing import normalize

    from storyline.events import group

    sys.path.insert(0, str(ROOT))
    from bench.corpus import generate

    texts = [f"{r['title']}\n{r['text']}" for r in generate(80)]
    analyse = CountVectorizer(stop_words="english", token_pattern=group.TOKEN).build_analyzer()
    assert [group.word_terms()(t) for t in texts] == [analyse(t) for t in texts]
    for least in (1, 2, 30):
        counts = CountVectorizer(
            stop_words="english", token_pattern=group.TOKEN, min_df=least, dtype=np.float32
        )
        words = counts.fit_transform(texts)
        assert same(group.term_counts([analyse(t) for t in texts], least), words)
    names = CountVectorizer(analyzer=str.split, min_df=2, dtype=np.float32)
    capitals = [" ".join(w for w in t.split() if w[0].isupper()) for t in texts]
    named = names.fit_transform(capitals)
    assert same(group.term_counts([c.split() for c in capitals], 2), named)
    for nothing in ([["only"], ["once"]], [[], []]):  # no term in two documents; no term
        assert group.term_counts(nothing, 2).shape == (2, 1)
    tfidf = TfidfTransformer(sublinear_tf=True)
    expected = normalize(
        sp.hstack(
            [
                normalize(tfidf.fit_transform(words)) * np.sqrt(0.7),
                normalize(tfidf.fit_transform(named)) * np.sqrt(0.3),
            ],
            format="csr",
        )
    )
    expected.sort_indices()
    assert same(group.weighted_vectors(words, named, 0.3), expected)


def test_builds_and_edits_load_no_scikit_learn(tmp_path):
    """Grouping, storylines and an event's words used scikit-learn on every build and every
    edit, seconds to load it; now its list of stop words alone is read, from its file. Each
    build runs in a fresh process, whose modules are then listed."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "templates", theme)
    files = {"config.yaml": ""}
    for n in range(8):
        files[f"content/{n}.md"] = (
            f"---\ntitle: Pier vote {n}\nsource: Outlet {n % 3}\ndate: 2025-02-0{1 + n % 4}\n"
            f"---\nThe harbour council voted on Monday to rebuild the ferry pier, part {n}.\n"
        )
    write_tree(tmp_path, files)
    script = (
        "import sys; from pathlib import Path; from storyline.pipeline import BuildOptions, build; "
        f"p = Path({str(tmp_path)!r}); "
        "r = build(BuildOptions(p / 'config.yaml', p / 'content', p / 'site', p / 'theme', jobs=1)); "
        "print(r.unchanged, r.pages > 0, 'sklearn' in sys.modules)"
    )

    def built() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stdout.split()

    assert built() == ["False", "True", "False"]  # a cold build
    with (tmp_path / "content" / "3.md").open("a", encoding="utf-8") as handle:
        handle.write("The new deck opens in spring.\n")
    assert built() == ["False", "True", "False"]  # an edit, its days grouped again
    (theme / "static" / "style.css").write_text("body { color: black; }\n")
    assert built() == ["False", "True", "False"]  # the grouping from the cache


# two running stories, each of two events weeks apart: two storylines of two events
STORIES = {
    "pier": ("Mayor Ilse Varga", "the harbour council", "ferry pier", ("02-03", "03-17")),
    "school": ("Principal Tomas Brel", "the teachers union", "northern school", ("05-12", "06-23")),
}


def write_stories(base: Path) -> None:
    files = {"config.yaml": ""}
    for story, (person, body, thing, days) in STORIES.items():
        for n, day in enumerate(days):
            for outlet in ("Ledger", "Wire"):
                files[f"content/{story}-{n}-{outlet}.md"] = (
                    f"---\ntitle: {thing.title()} stage {n}\nsource: {outlet}\n"
                    f"date: 2025-{day}\n---\n"
                    f"{person} said on Monday that {body} would decide the future of the "
                    f"{thing}. {person} met {body} again about the {thing}, part {n}.\n\n"
                    f"The {thing} plan, stage {n}, drew crowds; {person} spoke for an hour.\n"
                )
    write_tree(base, files)


def built(base: Path, output: str = "site", **options) -> BuildResult:
    return build(
        BuildOptions(
            base / "config.yaml", base / "content", base / output, ROOT / "templates",
            jobs=1, **options,
        )
    )  # fmt: skip


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_an_edit_renders_the_timeline_of_only_the_storyline_it_reaches(tmp_path, monkeypatch):
    """Every storyline's timeline page (each lists every storyline) was rendered again on
    every edit: at 10,000 real articles, 953 pages. Now a storyline's page has a key, the hash
    of what it shows, and only the pages whose key changed are rendered."""
    import storyline.render

    write_stories(tmp_path)
    first = built(tmp_path).digest
    assert first and sum(len(s.events) > 1 for s in first.storylines) == 2
    rendered: list[str] = []
    real = storyline.render.render

    def counted(theme, path, *args):
        rendered.append(path)
        return real(theme, path, *args)

    monkeypatch.setattr(storyline.render, "render", counted)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    made = built(tmp_path).digest
    of_school = {e.storyline for e in made.events if e.articles[0].id.startswith("school")}
    assert len(of_school) == 1
    pages = [p for p in rendered if p.startswith("timeline/s")]
    assert pages == [f"timeline/{of_school.pop()}/index.html"]
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_an_edit_regroups_its_run_reading_only_the_edited_article(tmp_path, monkeypatch):
    """Grouping a run again read every article of it back from the store and counted its
    words again: at 10,000 real articles with some undated (one run), 10,000 articles on
    every edit. What grouping reads of an article is now kept in the store by its key, made
    where the article is analysed."""
    from storyline import events
    from storyline.cache import AnalysisCache

    write_stories(tmp_path)
    built(tmp_path)
    read: list[int] = []  # articles read back from the store, per read
    grouped: list[tuple[int, int]] = []  # (articles grouped, articles read before)
    real_needed, real_group = AnalysisCache.needed, events.group_run

    def needed(self, keys, table):
        if table == "analysed":
            read.append(len(keys))
        return real_needed(self, keys, table)

    def group_run(articles, config):
        grouped.append((len(articles), sum(read)))
        return real_group(articles, config)

    monkeypatch.setattr(AnalysisCache, "needed", needed)
    monkeypatch.setattr(events, "group_run", group_run)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    built(tmp_path)
    assert grouped == [(8, 0)]  # the run of all 8 grouped again, no article read back
    monkeypatch.undo()
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_an_edit_regroups_only_its_calendar_block_though_some_articles_are_undated(
    tmp_path, monkeypatch
):
    """An undated article may join any event, so a corpus with one was grouped as one run:
    at 10,000 real articles (951 undated), every edit grouped all 10,000 again. Now an
    undated article is grouped in the run of the calendar block whose articles carry its
    rare names, and an edit regroups the runs it falls in only."""
    from storyline import events
    from storyline.events import group

    monkeypatch.setattr(group, "MIN_RUN", 1)  # blocks of BLOCK_DAYS, however few articles
    write_stories(tmp_path)
    write_tree(
        tmp_path,
        {
            "content/school-undated.md": "---\ntitle: Northern school stage 0\n"
            "source: Courier\n---\nPrincipal Tomas Brel said on Monday that the teachers "
            "union would decide the future of the northern school, part 0.\n"
        },
    )
    built(tmp_path)
    grouped: list[list[str]] = []  # the articles of each run grouped
    real_group = events.group_run

    def group_run(articles, config):
        grouped.append([a.id for a in articles])
        return real_group(articles, config)

    monkeypatch.setattr(events, "group_run", group_run)
    edited = tmp_path / "content" / "pier-0-Wire.md"
    edited.write_text(edited.read_text() + "\nThe ferry pier drew crowds again.\n")
    made = built(tmp_path)
    assert grouped == [["pier-0-Ledger", "pier-0-Wire"]]  # not the 9 articles of all runs
    of_school = [sorted(a.id for a in e.articles) for e in made.digest.events]
    assert ["school-0-Ledger", "school-0-Wire", "school-undated"] in of_school
    monkeypatch.setattr(events, "group_run", real_group)
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")
