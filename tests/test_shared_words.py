"""Names, number words and sentence ends are read one way by every stage (storyline/text.py):
a name the cleaning finds is the name the speakers and places are found by, a number word the
dates read is the amount the comparison reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storyline.clean import clean_article
from storyline.places import places_named
from storyline.text import sentences
from tests.test_compare import article, compared
from tests.test_dates import ANCHOR, mentions

SPEAKER = "Ángela de la Vega"  # a capital with an accent, and two particles


def test_a_name_with_an_accent_and_particles_is_one_name_to_byline_names_and_speakers():
    quote = f"“We will rebuild the harbour wall before the winter storms,” {SPEAKER} said."
    cleaned = clean_article(article("a", f"By {SPEAKER}", quote))
    assert cleaned.author == SPEAKER
    assert SPEAKER in cleaned.names
    (found,) = compared(
        article("a", f"Harbour engineer {SPEAKER} inspected the pier.", quote)
    ).quotes
    assert found.speaker == SPEAKER


@pytest.mark.parametrize("particle", ["del", "bin", "van", "di"])
def test_a_byline_takes_every_particle_a_speaker_takes(particle):
    name = f"Omar {particle} Haddad"
    quote = f"“The pier will not open again before the summer season,” {name} said."
    assert clean_article(article("a", f"By {name}", quote)).author == name
    (found,) = compared(article("a", f"Harbour engineer {name} inspected the pier.", quote)).quotes
    assert found.speaker == name


def test_a_place_with_an_accent_or_a_particle_is_a_place_and_a_name():
    sentence = "The delegates met in Łódź and sailed on to Rio de Janeiro in May."
    assert list(places_named(sentence, frozenset())) == [
        "Łódź",
        "Rio de Janeiro",
    ]
    names = clean_article(article("a", sentence)).names
    assert "Łódź" in names and "Rio de Janeiro" in names


@pytest.mark.parametrize(
    ("words", "days"), [("twenty-five", 25), ("seventy", 70), ("Ninety", 90), ("fifteen", 15)]
)
def test_a_number_word_counts_the_same_days_for_dates_as_it_counts_for_amounts(words, days):
    (found,) = mentions(f"The ferry left port {words} days ago.")
    assert found[0] == f"{words} days ago"
    assert found[1] == (ANCHOR - timedelta(days=days)).isoformat()
    event = compared(
        article("a", f"{words.capitalize()} sailors were hurt in the harbour blast.", source="L"),
        article("b", "At least 100 sailors were hurt in the harbour blast.", source="W"),
    )
    (item,) = event.discrepancies
    assert [(v.value, v.articles) for v in item.values] == [
        (str(days), ["a"]),
        ("at least 100", ["b"]),
    ]


@pytest.mark.parametrize("who", ["Mr. Vell", "the U.S. Navy", "Sen. Ames"])
def test_a_date_takes_the_year_of_its_sentence_where_every_stage_ends_that_sentence(who):
    # an abbreviation's full stop ends no sentence for the comparison, nor for the dates: the
    # day takes the year its sentence gives, not the publication's
    text = f"In 2019 {who} said the pier would reopen on March 4."
    assert sentences(text) == [text]
    assert mentions(text) == [("2019", "2019", "year"), ("March 4", "2019-03-04", "day")]
