"""What an edit and the stages it reaches cost, counted in work done (never in seconds): the
timeline merges mentions in work that grows with their number, and a rebuild after an edit
reads, renders and writes only what the edit changed, into a site equal to a clean build's."""

from __future__ import annotations

import importlib
import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import scipy.sparse as sp

from storyline import urls
from storyline.events.identity import _slugified
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


def counting_renders(monkeypatch) -> list[str]:
    """The paths of the pages rendered from now on, in order."""
    import storyline.render

    rendered: list[str] = []
    real = storyline.render.render

    def counted(theme, path, *args):
        rendered.append(path)
        return real(theme, path, *args)

    monkeypatch.setattr(storyline.render, "render", counted)
    return rendered


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
    edit, seconds to load it; now its list of stop words alone is read, from its file. Joining
    the runs' groups loaded scipy.cluster for its DisjointSet, a quarter of a CPU-second of
    every edit. Each build runs in a fresh process, whose modules are then listed."""
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
        "print(r.unchanged, r.pages > 0, 'sklearn' in sys.modules, 'scipy.cluster' in sys.modules)"
    )

    def built() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stdout.split()

    assert built() == ["False", "True", "False", "False"]  # a cold build
    with (tmp_path / "content" / "3.md").open("a", encoding="utf-8") as handle:
        handle.write("The new deck opens in spring.\n")
    assert built() == ["False", "True", "False", "False"]  # an edit, its days grouped again
    (theme / "static" / "style.css").write_text("body { color: black; }\n")
    assert built() == ["False", "True", "False", "False"]  # the grouping from the cache


# two running stories, each of two events weeks apart: two storylines of two events
STORIES = {
    "pier": ("Mayor Ilse Varga", "the harbour council", "ferry pier", ("02-03", "03-17")),
    "school": ("Principal Tomas Brel", "the teachers union", "northern school", ("05-12", "06-23")),
}


def write_stories(base: Path, stories: dict = STORIES) -> None:
    files = {"config.yaml": ""}
    for story, (person, body, thing, days) in stories.items():
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
    rendered = counting_renders(monkeypatch)
    views = []  # timelines whose view was made: it was made for every storyline's page, to hash
    real_view = storyline.render.listings.timeline_view

    def view(events, *args):
        views.append(len(events))
        return real_view(events, *args)

    monkeypatch.setattr(storyline.render.listings, "timeline_view", view)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    made = built(tmp_path).digest
    assert len(views) == 2  # the site's timeline, and the storyline's the edit reaches
    of_school = {e.storyline for e in made.events if e.articles[0].id.startswith("school")}
    assert len(of_school) == 1
    pages = [p for p in rendered if p.startswith("timeline/s")]
    assert pages == [f"timeline/{of_school.pop()}/index.html"]
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_renaming_a_storyline_renders_again_only_its_page_and_its_neighbours(tmp_path, monkeypatch):
    """Every storyline's page linked to every storyline and its key hashed all their names:
    renaming one rendered every storyline's page again (at 10,000 real articles, 1,010
    pages of 1,010 links each). Now a storyline's page links to the storylines before and
    after it, and a storyline renamed far from it leaves it as it was."""
    bridge = ("Engineer Rosa Lind", "the transport board", "river bridge", ("08-04", "09-15"))
    write_stories(tmp_path, {**STORIES, "bridge": bridge})
    first = built(tmp_path).digest
    assert first and [len(s.events) for s in first.storylines] == [2, 2, 2]
    # by their first day; the bridge's is the last (the pier's names the site: every page)
    pier, school, bridge_story = first.storylines
    assert "Rosa Lind" in bridge_story.title
    rendered = counting_renders(monkeypatch)
    for path in (tmp_path / "content").glob("bridge-*.md"):
        path.write_text(path.read_text().replace("Rosa Lind", "Nora Quist"))
    made = built(tmp_path).digest
    assert made and "Nora Quist" in made.storylines[2].title
    pages = sorted(p for p in rendered if p.startswith("timeline/s"))
    assert pages == sorted(urls.storyline_page(s.id) for s in (school, bridge_story))
    assert "Nora Quist" in (tmp_path / "site" / urls.storyline_page(school.id)).read_text()
    monkeypatch.undo()
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


def test_an_edit_renders_only_the_listing_pages_that_show_what_it_changed(tmp_path, monkeypatch):
    """The front page, the pages of older events and every outlet's page were rendered again
    on every edit (at 10,000 real articles the front page alone, with its coverage table of
    3,449 outlets, took a tenth of an edit). Now each has a key, the hash of what it shows, its
    events by their making: an edit to an event on the second page of events renders that page
    and its outlet's, not the front page nor the other outlets'."""

    rng = random.Random(5)
    files = {"config.yaml": ""}
    for n in range(36):  # one event a day, of words of its own
        words = made_up_words(rng, 40)
        files[f"content/{n:02d}.md"] = (
            f"---\ntitle: {' '.join(words[:4]).title()}\nsource: Outlet {n % 3}\n"
            f"date: {date(2025, 3, 1) + timedelta(days=n)}\n---\n"
            + ". ".join(" ".join(words[k : k + 8]).capitalize() for k in range(0, 40, 8))
            + ".\n"
        )
    write_tree(tmp_path, files)
    first = built(tmp_path).digest
    assert first and len(first.events) == 36
    rendered = counting_renders(monkeypatch)
    # the fifth oldest: its event is on the second page, not among the most important (the
    # three oldest, all being of one article)
    edited = tmp_path / "content" / "04.md"
    edited.write_text(edited.read_text() + "\nKalomir tenvo sapel danru.\n")
    built(tmp_path)
    listings = [p for p in rendered if not p.startswith(("events/", "timeline/"))]
    assert "index.html" not in listings
    assert "page/2/index.html" in listings
    assert [p for p in listings if p.startswith("sources/") and p != "sources/index.html"] == [
        "sources/outlet-1/index.html"
    ]
    monkeypatch.undo()
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_storylines_multiply_each_pair_of_events_once_to_the_same_similarities(monkeypatch):
    """storylines() multiplied every event's vector by every event's, block by block, each pair
    twice, then kept the pairs that share a distinctive term. Now each pair is multiplied once
    (a block by the events after its first), its similarity the same to the bit."""
    import numpy as np

    from storyline.config import Config
    from storyline.events import group
    from storyline.events.storylines import Names, TermCounts, storylines
    from storyline.model import Terms

    rng = random.Random(11)
    vocabulary = made_up_words(rng, 240)
    counts, events = TermCounts(), []
    for n in range(48):
        topic = vocabulary[(n % 6) * 40 : (n % 6 + 1) * 40]
        words = [*rng.choices(topic, k=30), *rng.choices(vocabulary, k=10)]
        counts.add(f"e{n}", Terms({w: words.count(w) for w in words}, {}))
        event = event_with([], n)
        event.fingerprint = f"e{n}"
        events.append(event)
    cells: list[int] = []  # of the dense products, rows by columns

    class Counted(np.ndarray):
        def __matmul__(self, other):
            cells.append(self.shape[0] * other.shape[-1])
            return np.asarray(self) @ np.asarray(other)

    split = group.TermIndex._split.func
    monkeypatch.setattr(
        group.TermIndex,
        "_split",
        property(lambda index: (split(index)[0], split(index)[1].view(Counted))),
    )
    block = 8
    monkeypatch.setattr(importlib.import_module("storyline.events.storylines"), "BLOCK", block)
    lines = storylines(events, counts, Config(), Names({}, ""))
    assert 1 < len(lines) < 48
    assert 0 < sum(cells) <= 48 * (48 + block) // 2  # each pair once: 1,344, where it was 2,304
    keys = [e.fingerprint for e in events]
    vectors = group.weighted_vectors(counts.words.matrix(keys), counts.names.matrix(keys), 0.3)
    index = group.TermIndex(vectors)
    expected = index.similarities(np.arange(48))
    found = np.full((48, 48), -1.0, dtype=np.float32)
    alike = importlib.import_module("storyline.events.storylines").linked(index).tocoo()
    found[alike.row, alike.col] = alike.data
    assert found.tobytes() == expected.tobytes()


def test_an_edit_counts_the_terms_of_only_the_events_it_makes(tmp_path, monkeypatch):
    """Every event's terms were read back from the store on every build, each its own entry,
    and counted into the storylines' arrays term by term: at 10,000 real articles, 3,811 events
    and 1.8 million terms on every edit. Now the store keeps the last build's counts whole, and
    an edit adds those of the events it made again."""
    storylines_module = importlib.import_module("storyline.events.storylines")
    write_stories(tmp_path)
    built(tmp_path)
    added: list[str] = []
    real_add = storylines_module.TermCounts.add

    def add(self, event, terms):
        added.append(event)
        return real_add(self, event, terms)

    monkeypatch.setattr(storylines_module.TermCounts, "add", add)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    made = built(tmp_path).digest
    assert made and len(made.events) == 4
    assert len(added) == 1  # the edited event's
    monkeypatch.undo()
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_an_edit_makes_the_search_index_entries_of_only_the_events_it_makes(tmp_path, monkeypatch):
    """The search index was made again from every event on every edit, each event's people
    and speakers gathered again from its quotes. Now each event's entries are kept in the
    store as JSON text beside its part of digest.json, made again only for the events an edit
    makes again, and the index is their text put together."""
    from storyline.render import digest_json, feeds

    write_stories(tmp_path)
    built(tmp_path)
    gathered: list[list[str]] = []
    real = feeds.__dict__.get("people_and_speakers") or digest_json.people_and_speakers

    def counted(people, speakers):
        gathered.append(people)
        return real(people, speakers)

    for module in (feeds, digest_json):
        monkeypatch.setattr(module, "people_and_speakers", counted, raising=False)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    assert len(built(tmp_path).digest.events) == 4
    assert len(gathered) == 1  # the edited event's
    monkeypatch.undo()
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_reading_entries_back_from_the_store_sets_off_no_garbage_collections(tmp_path):
    """Reading thousands of entries back (an edit reads every light event) set off a garbage
    collection every few hundred objects made, each scanning all the objects made since the
    last: the light events of 10,000 real articles unpickled in 0.61 CPU-s, 0.16 s without."""
    import gc

    from storyline.cache import AnalysisCache

    store = AnalysisCache(tmp_path / "store.sqlite", "")
    entries = {
        f"e{n}": [{"day": n, "words": ["pier", "vote"]} for _ in range(20)] for n in range(500)
    }
    store.update(entries, set(entries), "events")
    collections: list[int] = []

    def noted(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    keys = list(entries)
    gc.collect()  # none due from before
    gc.callbacks.append(noted)
    try:
        found = store.get_many(keys, "events")
    finally:
        gc.callbacks.remove(noted)
        store.close()
    assert found == entries
    assert len(collections) <= 1  # when collections resume; there were 30


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


def test_slugs_of_names_with_accents_search_the_module_path_for_nothing(monkeypatch):
    """Most outlets' labels and many headlines have a letter beyond ASCII. Their slugs (the
    outlet pages' names, made on every build, and the events' slugs) must not try to import a
    transliteration module that is not installed: each try searched every folder of the module
    path, some 11,000 searches on an edit at 10,000 articles."""
    searched: list[str] = []

    class Recorder:
        def find_spec(self, name, path=None, target=None):
            searched.append(name)
            return None  # the other finders decide

    names = [f"Agência {n} · Notícias" for n in range(50)]
    monkeypatch.setattr(sys, "meta_path", [Recorder(), *sys.meta_path])
    segments = urls.segments(names)
    event_slugs = [_slugified(f"Câmara vota lei {n}") for n in range(50)]
    assert segments[:2] == ["agencia-0-noticias", "agencia-1-noticias"]
    assert event_slugs[0] == "camara-vota-lei-0"
    assert searched in ([], ["text_unidecode"])  # the transliterator, imported once at most


def test_an_edit_chooses_the_words_of_only_the_dates_whose_texts_it_changes(tmp_path, monkeypatch):
    """Each key date's sentence, and each timeline date's words, were chosen on every build by
    comparing every two of the date's texts: at 10,000 real articles, 2,609 days and 1,845
    timeline dates on every edit, 7% of it. Now each choice is kept in the store by a hash of
    the texts chosen among, and a date is chosen again only when its texts changed."""
    salience = importlib.import_module("storyline.events.salience")
    write_stories(tmp_path)
    first = built(tmp_path).digest
    assert first and len(first.key_dates) >= 4
    compared: list[int] = []  # the texts of each list compared, pair by pair
    for module, name in (
        (describe, "central"),
        (describe, "_central_index"),
        (salience, "central"),
    ):
        real = getattr(module, name, None)
        if real is None:
            continue

        def counted(texts, real=real):
            compared.append(len(texts))
            return real(texts)

        monkeypatch.setattr(module, name, counted)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nThe teachers union meets the parents on July 2.\n")
    made = built(tmp_path).digest
    assert made and date(2025, 7, 2) in {k.date for k in made.key_dates} - {
        k.date for k in first.key_dates
    }
    # the edited event's title (`central`, then its choice) and July 2's words, a key date's
    # and the timeline's: not every date's
    assert len(compared) <= 4 < len(made.key_dates)


def test_an_edit_slugs_only_the_names_it_adds(tmp_path, monkeypatch):
    """Every edit slugged every outlet's and tag's name again for its page's path: at 10,000
    real articles, 7,362 names run through slugify's regular expressions (0.5 CPU-s). Now the
    last build's names and their slugs are kept in the store, and an edit slugs only the names
    it brings."""
    import storyline.urls

    write_stories(tmp_path)
    built(tmp_path)
    slugged: list[str] = []
    real = storyline.urls.slugified

    def counted(text: str, **options) -> str:
        if "max_length" in options:  # a page's segment (`urls.slug`), not an event's slug
            slugged.append(text)
        return real(text, **options)

    monkeypatch.setattr(storyline.urls, "slugified", counted)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    built(tmp_path)
    assert slugged == []  # the outlets Ledger and Wire were slugged by the first build
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")
    slugged.clear()
    write_tree(
        tmp_path,
        {
            "content/pier-1-Courier.md": "---\ntitle: Ferry pier stage 1\nsource: Courier\n"
            "date: 2025-03-17\n---\nMayor Ilse Varga said on Monday that the harbour council "
            "would decide the future of the ferry pier.\n"
        },
    )
    built(tmp_path)
    assert slugged == ["Courier"]  # the outlet it brings


def test_a_build_hashes_each_events_making_once(tmp_path, monkeypatch):
    """What an event is made from was hashed three times a build: for its pages' keys, for the
    keys of the listings that show it, and for the key of its part of digest.json. An event's
    making holds its mentions, thousands for a story's main events, so at 10,000 real
    articles the three took 2.6 sampled seconds of an edit. Now each is hashed once a build,
    and the keys are made from that hash."""
    from storyline.render import digest_json, keys, listings

    write_stories(tmp_path)
    built(tmp_path)
    hashed: list[str] = []
    real = keys.made_of

    def counted(event):
        hashed.append(event.id)
        return real(event)

    for module in (keys, listings, digest_json):
        monkeypatch.setattr(module, "made_of", counted, raising=False)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    made = built(tmp_path).digest
    assert made and len(made.events) == 4
    assert sorted(hashed) == sorted(e.id for e in made.events)  # each once
    monkeypatch.undo()
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_kept_choices_are_central_s_and_a_changed_list_is_compared_again(monkeypatch):
    """A date's words come from the last build's choice only when its texts are the same ones,
    in the same order, chosen by the same code; any other list is compared again."""
    rng = random.Random(3)
    lists = [[" ".join(made_up_words(rng, 8)) for _ in range(n)] for n in (1, 5, 12, 40)]
    lists.append([lists[3][0], *lists[3][:20]])  # a text twice
    first = describe.Choices({}, "code")
    chosen = [first(texts) for texts in lists]
    assert chosen == [describe.central(texts) for texts in lists]
    compared: list[int] = []
    real = describe._central_index

    def counted(texts):
        compared.append(len(texts))
        return real(texts)

    monkeypatch.setattr(describe, "_central_index", counted)
    again = describe.Choices(first.made, "code")
    assert [again(texts) for texts in lists] == chosen
    assert compared == [] and again.made == {} and again.used == set(first.made)
    changed = [*lists[2][:-1], "A new sentence on the vote."]
    assert again(changed) == changed[real(changed)]
    assert compared == [12]
    describe.Choices(first.made, "new code")(lists[1])
    assert compared == [12, 5]


def test_an_edit_that_adds_no_page_does_not_render_the_sitemap(tmp_path, monkeypatch):
    """The sitemap lists every page (some 20,000 at 10,000 real articles) and was rendered
    again on every edit; now it has a key, its list of addresses, as the listings have."""
    write_stories(tmp_path)
    built(tmp_path)
    rendered = counting_renders(monkeypatch)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nParents joined the picket line.\n")
    built(tmp_path)
    assert rendered and "sitemap.xml" not in rendered
    monkeypatch.undo()
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_an_edit_names_only_the_storylines_it_changes(tmp_path, monkeypatch):
    """Every storyline was named again on every edit, its events' people folded and counted:
    at 10,000 real articles, 1,010 storylines. Now each name is kept in the store by a hash of
    what naming reads of its events, and only a storyline whose events changed is named."""
    storylines_module = importlib.import_module("storyline.events.storylines")
    write_stories(tmp_path)
    first = built(tmp_path).digest
    assert first and sum(len(s.events) > 1 for s in first.storylines) == 2
    named: list[list[str]] = []  # the titles of each storyline's events, as it is named
    real_name = storylines_module._name

    def name(events):
        named.append([e.title for e in events])
        return real_name(events)

    monkeypatch.setattr(storylines_module, "_name", name)
    edited = tmp_path / "content" / "school-1-Wire.md"
    edited.write_text(edited.read_text() + "\nThe teachers union spoke for Principal Tomas Brel.\n")
    made = built(tmp_path).digest
    assert made and [s.title for s in made.storylines] == [s.title for s in first.storylines]
    assert not [titles for titles in named if "Ferry Pier stage 0" in titles]  # not the pier's
    assert len(named) <= 1
    monkeypatch.undo()
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_an_edit_reads_the_names_of_only_the_articles_it_changes_to_find_the_runs(
    tmp_path, monkeypatch
):
    """Which calendar run each article is grouped in was worked out again on every edit,
    reading every article's names from the store for the undated ones' homes: at 10,000 real
    articles, half a CPU-second. Now the last build's runs are kept with the articles' keys and
    a digest of each one's names; an edit that leaves the days and the changed articles' names
    alone takes them, and one that changes an undated article's names finds them again."""
    from storyline import events
    from storyline.events import group

    monkeypatch.setattr(group, "MIN_RUN", 1)  # blocks of BLOCK_DAYS, however few articles
    write_stories(tmp_path)
    undated = tmp_path / "content" / "school-undated.md"
    undated.write_text(
        "---\ntitle: Northern school stage 0\nsource: Courier\n---\nPrincipal Tomas Brel said "
        "on Monday that the teachers union would decide the future of the northern school.\n"
    )
    built(tmp_path)
    found: list[int] = []  # the articles of each call of time_runs
    real_runs = events.time_runs

    def time_runs(days, config, names):
        found.append(len(days))
        return real_runs(days, config, names)

    monkeypatch.setattr(events, "time_runs", time_runs)
    edited = tmp_path / "content" / "pier-0-Wire.md"
    edited.write_text(edited.read_text() + "\nThe ferry pier drew crowds again.\n")
    built(tmp_path)
    assert found == []  # the runs of the last build
    undated.write_text(undated.read_text().replace("Principal Tomas Brel", "Mayor Ilse Varga"))
    built(tmp_path)
    assert found == [9]  # its names changed: found again
    monkeypatch.setattr(events, "time_runs", real_runs)
    built(tmp_path, "clean", cache=False)
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")
