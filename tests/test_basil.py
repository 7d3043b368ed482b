"""Quotes and their speakers on five BASIL events, checked by hand against the texts.

BASIL gives the same event as reported by The New York Times, HuffPost and Fox News. For each
event below we read the three texts and wrote down who says each quote and which outlets
carry it, in any wording or any part of the statement. The articles are read from ../shared/data/basil at run time; the
test skips, saying so, when that folder is absent.
"""

from __future__ import annotations

import json

import pytest

from evaluation.findings import normal, revealed
from storyline import clean, dates
from storyline.compare import comparison
from storyline.readers import read_content
from tests.conftest import SHARED

BASIL = SHARED / "data" / "basil"
NYT, FOX, HUFF = "The New York Times", "Fox News", "HuffPost"

# event id -> [(words of the quote, its speaker, the outlets that quote it)]; the words are kept
# as fingerprints of the articles' text (first two words, length, hash; evaluation/findings.py)
# and found again in ../shared at run time, so the project holds none of the articles' words
EXPECTED = {
    # Subpoenas to Chris Christie's campaign, 2014: the campaign's lawyer speaks for it.
    "d1344998-0e7c-409e-aaad-df5be687fc94": [
        (
            {"starts": "we can", "chars": 32, "sha1": "0e6b6a42b9ca"},
            "Mark Sheridan",
            {NYT, FOX, HUFF},
        ),
        ({"starts": "whether a", "chars": 36, "sha1": "5fd554268c9c"}, "Paul Fishman", {FOX}),
    ],
    # Boehner's "one-in-three chance" interview, 2012; NYT names him "John A. Boehner".
    "f11c2566-848a-4e29-b8c5-4de0a81114e4": [
        (
            {"starts": "we win", "chars": 27, "sha1": "610638d3e7d3"},
            "John A. Boehner",
            {NYT, FOX, HUFF},
        ),
        ({"starts": "50 of", "chars": 32, "sha1": "7b89b1a39095"}, "John A. Boehner", {NYT, HUFF}),
        (
            {"starts": "if republicans", "chars": 39, "sha1": "d89971a3559a"},
            "John A. Boehner",
            {HUFF},
        ),
    ],
    # Sheriff Arpaio endorses Rick Perry, 2011: two statements, a Romney debate line, and
    # Perry's own words in the NYT.
    "0ffb34cd-c367-4d90-aca7-7fcac3ed8f3d": [
        (
            {"starts": "sheriff arpaio", "chars": 33, "sha1": "e7024d463d75"},
            "Rick Perry",
            {FOX, HUFF},
        ),
        (
            {"starts": "endorsing rick", "chars": 36, "sha1": "3e55b205c10d"},
            "Joe Arpaio",
            {FOX, HUFF},
        ),
        ({"starts": "he doesn't", "chars": 29, "sha1": "12ce8b082f65"}, "Joe Arpaio", {NYT}),
        ({"starts": "you talk", "chars": 22, "sha1": "cdb3677eb5d0"}, "Mitt Romney", {FOX}),
        ({"starts": "to detain", "chars": 23, "sha1": "003f0b848d4e"}, "Rick Perry", {NYT}),
    ],
    # Trump drops out as a debate moderator, 2011: his written statement, quoted by all three.
    "97566c74-e000-49fb-b091-e6ec6e179de0": [
        (
            {"starts": "the right", "chars": 40, "sha1": "63f3c61085f5"},
            "Donald Trump",
            {NYT, FOX, HUFF},
        ),
        (
            {"starts": "decided not", "chars": 31, "sha1": "cc4c10239f04"},
            "Donald Trump",
            {NYT, FOX, HUFF},
        ),
        ({"starts": "we would", "chars": 28, "sha1": "3aedbd9d9404"}, "Donald Trump", {FOX}),
    ],
    # Rep. Grimm expects an indictment, 2014: his lawyer's statement, and Grimm's threat to a
    # reporter, whom each outlet also names (the speaker is Grimm, not the reporter).
    "33521e65-12da-4521-b132-7b606243b0e4": [
        (
            {"starts": "we are", "chars": 37, "sha1": "902b639e7770"},
            "William McGinley",
            {FOX, HUFF},
        ),
        (
            {"starts": "a politically", "chars": 29, "sha1": "15be39211066"},
            "William McGinley",
            {NYT, FOX, HUFF},
        ),
        (
            {"starts": "when the", "chars": 21, "sha1": "68af385bec0a"},
            "William McGinley",
            {NYT, FOX, HUFF},
        ),
        ({"starts": "i'll break", "chars": 22, "sha1": "986395f78404"}, "Michael Grimm", {NYT}),
        ({"starts": "i'll throw", "chars": 23, "sha1": "8967ace9a73e"}, "Michael Grimm", {FOX}),
    ],
}


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    if not (BASIL / "articles.jsonl").is_file():
        pytest.skip(f"BASIL is not at {BASIL}: these checks need the labelled corpus")
    gold = dict(line.split("\t") for line in (BASIL / "gold.tsv").read_text().split("\n") if line)
    content = tmp_path_factory.mktemp("basil")
    with (content / "articles.jsonl").open("w", encoding="utf-8") as out:
        for line in (BASIL / "articles.jsonl").open(encoding="utf-8"):
            if gold[json.loads(line)["id"]] in EXPECTED:
                out.write(line)
    grouped: dict[str, list] = {}
    articles = read_content(content).articles
    for article in articles:
        dated = dates.date_article(clean.clean_article(article), "UTC", "DMY")
        grouped.setdefault(gold[article.id], []).append(dated)
    said = "\n".join(article.body for article in articles)
    return {key: comparison(found) for key, found in grouped.items()}, said


def carrying(events, key: str, cue: dict):
    """The quote of the event `key` with the fingerprinted words in any of its wordings."""
    found, said = events
    words = revealed(cue, said)
    matches = [q for q in found[key].quotes if any(words in normal(v.text) for v in q.variants)]
    assert len(matches) == 1, f"{words!r} is in {len(matches)} quotes"
    return matches[0]


@pytest.mark.parametrize("key", EXPECTED)
def test_quotes_have_the_hand_checked_speaker_and_outlets(events, key):
    source = {c.article: c.source for c in events[0][key].coverage}
    found = []
    for cue, _, _ in EXPECTED[key]:
        quote = carrying(events, key, cue)
        found.append((cue, quote.speaker, {source[a] for a in quote.articles}))
    assert found == EXPECTED[key]


@pytest.mark.parametrize("key", EXPECTED)
def test_no_quote_is_given_to_two_people_where_the_outlets_agree(events, key):
    conflicts = [c for q in events[0][key].quotes for c in q.conflicts if "attributed to" in c]
    assert conflicts == []


def test_a_quote_one_outlet_alone_carries_is_marked_not_flagged_and_a_shared_one_is_not(events):
    grimm = "33521e65-12da-4521-b132-7b606243b0e4"
    alone = carrying(events, grimm, {"starts": "i'll break", "chars": 22, "sha1": "986395f78404"})
    assert (alone.only_in, alone.conflicts) == ("The New York Times", [])
    shared = carrying(
        events, grimm, {"starts": "a politically", "chars": 29, "sha1": "15be39211066"}
    )
    assert (shared.only_in, shared.conflicts) == (None, [])
