"""Wire copies: an agency story that many sites run near word for word is one text to compare,
whose copies are listed under provenance, and whose outlets all count and are all credited."""

from __future__ import annotations

import random

import pytest

import storyline.compare
from tests.conftest import write_tree
from tests.test_compare import article, compared
from tests.test_compare_page import made_up_words

SPEAKER = "Mayor Ilse Norrgard"


def agency_story(words) -> list[str]:
    """Paragraphs of made-up words: a dateline, statements, and a quote with its speaker."""
    sentences = [" ".join(next(words) for _ in range(12)).capitalize() + "." for _ in range(12)]
    quote = " ".join(next(words) for _ in range(10)).capitalize()
    return [
        f"PORT ALDER - {SPEAKER} opened the harbour hearing on Tuesday. {sentences[0]}",
        " ".join(sentences[1:5]),
        f"“{quote},” {SPEAKER} said.",
        " ".join(sentences[5:9]),
        " ".join(sentences[9:]),
    ]


def copy_of(paragraphs: list[str], seed: int, swaps: int = 2) -> list[str]:
    """The text with `swaps` lower-case words of its statements swapped at random."""
    rng = random.Random(seed)
    tokens = [p.split(" ") for p in paragraphs]
    places = [(p, t) for p in (1, 3, 4) for t, w in enumerate(tokens[p]) if w.isalpha()]
    for p, t in rng.sample(places, swaps):
        tokens[p][t] = "zorvex"
    return [" ".join(t) for t in tokens]


def test_thirty_copies_from_thirty_outlets_are_one_comparison_crediting_every_outlet(
    build_site, tmp_path
):
    story = agency_story(made_up_words())
    outlets = [f"Outlet {n:02d}" for n in range(30)]
    files = {}
    for n, outlet in enumerate(outlets):
        body = "\n\n".join(story if n == 0 else copy_of(story, n))
        front = (
            f'title: "Harbour hearing opens"\nsource: "{outlet}"\n'
            f"date: 2025-04-01T{8 + n // 6:02d}:{n * 2:02d}:00Z"
        )
        files[f"copy-{n:02d}.md"] = f"---\n{front}\n---\n{body}\n"
    site, digest = build_site(write_tree(tmp_path / "content", files))

    [event] = digest["events"]
    ids = [f"copy-{n:02d}" for n in range(30)]
    # Every outlet that ran the copy is a source of the event, in the coverage too.
    assert event["sources"] == outlets
    assert sorted(c["article"] for c in event["coverage"]) == ids
    # One group of copies, through the first published; no row of rewrites for each pair.
    [group] = event["copies"]
    assert group["of"] == "copy-00"
    assert sorted(group["articles"]) == ids[1:]
    assert all(0.8 < share < 1.0 for share in group["identical"].values())
    assert event["rewrites"] == []
    # What the representative carries, every copy is credited with.
    assert all(sorted(f["articles"]) == ids for f in event["facts"])
    assert not any(f["unique"] for f in event["facts"])
    [quote] = event["quotes"]
    assert quote["speaker"] == "Ilse Norrgard"
    assert sorted(quote["articles"]) == ids
    assert quote["conflicts"] == []

    page = (site / "events" / event["slug"] / "compare" / "index.html").read_text("utf-8")
    provenance = page[page.index('id="provenance"') :]
    assert "Copies of Outlet 00" in provenance
    assert "29 articles run its text" in provenance
    assert all(outlet in provenance for outlet in outlets[1:])
    # The facts table has one column for the text, not one for each copy.
    assert '<th scope="col">Outlet 00 and 29 copies</th>' in page
    assert '<th scope="col">Outlet 01</th>' not in page


@pytest.fixture
def counted(monkeypatch):
    """How much comparing did: articles whose sentences were aligned and whose quotes were
    read, and texts whose shingles were checked against each other."""
    work = {"aligned": 0, "quoted": 0, "checked": 0}

    def spy(module, name, key, size=lambda *args: 1):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            work[key] += size(*args)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    from storyline.compare import copies

    spy(storyline.compare, "align_sentences", "aligned", lambda articles: len(articles))
    spy(storyline.compare, "extract_quotes", "quoted")
    spy(copies, "_jaccard", "checked")
    return work


def test_comparing_twice_the_copies_does_no_more_comparing(counted):
    story = agency_story(made_up_words())
    other = ["A local bakery won the regional bread prize for its rye loaf this week."] * 4
    work = []
    for count in (20, 40):
        articles = [
            article(f"c{n}", *(copy_of(story, n) if n else story), source=f"O{n}")
            for n in range(count)
        ]
        event = compared(*articles, article("bakery", *other, source="Bakery News"))
        assert len(event.copies[0].articles) == count - 1
        work.append(dict(counted))
        counted.update(dict.fromkeys(counted, 0))
    # The copies' text and the other article are analysed once each, however many copies.
    assert work[0]["aligned"] == work[1]["aligned"] == 2
    assert work[0]["quoted"] == work[1]["quoted"] == 2
    # Finding the copies checks each article against its group's first: linear, not pairwise
    # (all pairs of 41 articles would be 820 checks).
    assert work[0]["checked"] <= 21
    assert work[1]["checked"] <= 41


def test_different_articles_are_not_checked_against_each_other(counted):
    words = made_up_words()
    articles = [
        article(f"a{n}", *[" ".join(next(words) for _ in range(12)) + "."] * 3, source=f"O{n}")
        for n in range(40)
    ]
    event = compared(*articles)
    assert event.copies == []
    assert counted["aligned"] == 40  # each compared as before
    assert counted["checked"] <= len(articles)  # all pairs would be 780


def test_the_wording_a_text_and_its_copies_carry_is_the_quote_others_are_compared_with():
    words = made_up_words()
    story = agency_story(words)
    said = story[2]  # “...,” Mayor Ilse Norrgard said.
    reworded = said.replace(",”", " zorvex quillam,”")  # two words more
    others = [
        article(
            f"own-{n}",
            " ".join(next(words) for _ in range(40)) + ".",
            f"{SPEAKER} spoke at the hearing. {reworded}",
            source=f"Own {n}",
        )
        for n in range(2)
    ]
    wire = [article(f"c{n}", *story, source=f"O{n}") for n in range(3)]
    event = compared(*wire, *others)
    [quote] = event.quotes
    # Three articles carry the wire's wording, two their own: the wire's is the original.
    assert quote.text in said
    assert [v.articles for v in quote.variants] == [["c0", "c1", "c2"], ["own-0", "own-1"]]
