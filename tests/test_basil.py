"""Quotes and their speakers on five BASIL events, checked by hand against the texts.

BASIL gives the same event as reported by The New York Times, HuffPost and Fox News. For each
event below we read the three texts and wrote down who says each quote and which outlets
carry it, in any wording or any part of the statement. The articles are read from ../shared/data/basil at run time; the
test skips, saying so, when that folder is absent.
"""

from __future__ import annotations

import json

import pytest

from storyline import clean, dates
from storyline.compare import comparison
from storyline.model import Findings
from storyline.readers import read_content
from tests.conftest import SHARED

BASIL = SHARED / "data" / "basil"
NYT, FOX, HUFF = "The New York Times", "Fox News", "HuffPost"

# event id -> [(words of the quote, its speaker, the outlets that quote it)]
EXPECTED = {
    # Subpoenas to Chris Christie's campaign, 2014: the campaign's lawyer speaks for it.
    "d1344998-0e7c-409e-aaad-df5be687fc94": [
        ("We can confirm that the Christie", "Mark Sheridan", {NYT, FOX, HUFF}),
        ("whether a federal law was implicated", "Paul Fishman", {FOX}),
    ],
    # Boehner's "one-in-three chance" interview, 2012; NYT names him "John A. Boehner".
    "f11c2566-848a-4e29-b8c5-4de0a81114e4": [
        ("we win control of the House", "John A. Boehner", {NYT, FOX, HUFF}),
        ("50 of our members in tough races", "John A. Boehner", {NYT, HUFF}),
        ("if Republicans were walking in lockstep", "John A. Boehner", {HUFF}),
    ],
    # Sheriff Arpaio endorses Rick Perry, 2011: two statements, a Romney debate line, and
    # Perry's own words in the NYT.
    "0ffb34cd-c367-4d90-aca7-7fcac3ed8f3d": [
        ("Sheriff Arpaio knows the struggle", "Rick Perry", {FOX, HUFF}),
        ("endorsing Rick Perry because we need", "Joe Arpaio", {FOX, HUFF}),
        ("He doesn’t just talk about it", "Joe Arpaio", {NYT}),
        ("You talk about magnets", "Mitt Romney", {FOX}),
        ("to detain and to deport", "Rick Perry", {NYT}),
    ],
    # Trump drops out as a debate moderator, 2011: his written statement, quoted by all three.
    "97566c74-e000-49fb-b091-e6ec6e179de0": [
        ("the right Republican candidate be chosen", "Donald Trump", {NYT, FOX, HUFF}),
        ("decided not to be the moderator", "Donald Trump", {NYT, FOX, HUFF}),
        ("We would have done very well", "Donald Trump", {FOX}),
    ],
    # Rep. Grimm expects an indictment, 2014: his lawyer's statement, and Grimm's threat to a
    # reporter, whom each outlet also names (the speaker is Grimm, not the reporter).
    "33521e65-12da-4521-b132-7b606243b0e4": [
        ("We are disappointed by the government", "William McGinley", {FOX, HUFF}),
        ("a politically driven vendetta", "William McGinley", {NYT, FOX, HUFF}),
        ("When the dust settles", "William McGinley", {NYT, FOX, HUFF}),
        ("I’ll break you in half", "Michael Grimm", {NYT}),
        ("I'll throw you off this", "Michael Grimm", {FOX}),
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
    for article in read_content(content).articles:
        dated = dates.date_article(clean.clean_article(article), "UTC", "DMY")
        grouped.setdefault(gold[article.id], []).append(dated)
    return {key: comparison(articles) for key, articles in grouped.items()}


def carrying(event: Findings, words: str):
    """The quote with these words in any of its wordings."""
    matches = [q for q in event.quotes if any(words in v.text for v in q.variants)]
    assert len(matches) == 1, f"{words!r} is in {len(matches)} quotes"
    return matches[0]


@pytest.mark.parametrize("key", EXPECTED)
def test_quotes_have_the_hand_checked_speaker_and_outlets(events, key):
    event = events[key]
    source = {c.article: c.source for c in event.coverage}
    found = []
    for words, _, _ in EXPECTED[key]:
        quote = carrying(event, words)
        found.append((words, quote.speaker, {source[a] for a in quote.articles}))
    assert found == EXPECTED[key]


@pytest.mark.parametrize("key", EXPECTED)
def test_no_quote_is_given_to_two_people_where_the_outlets_agree(events, key):
    conflicts = [c for q in events[key].quotes for c in q.conflicts if "attributed to" in c]
    assert conflicts == []


def test_a_quote_one_outlet_alone_carries_is_marked_not_flagged_and_a_shared_one_is_not(events):
    grimm = events["33521e65-12da-4521-b132-7b606243b0e4"]
    alone = carrying(grimm, "I’ll break you in half")
    assert (alone.only_in, alone.conflicts) == ("The New York Times", [])
    shared = carrying(grimm, "a politically driven vendetta")
    assert (shared.only_in, shared.conflicts) == (None, [])
