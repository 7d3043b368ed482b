"""Clean stage: boilerplate removed, repeats dropped, outlet, byline and dateline found."""

from __future__ import annotations

import pytest

from storyline.clean import clean_article
from storyline.config import Outlet
from storyline.model import Article

PIER = "The ferry pier in Saltmere reopened on Wednesday after two months of repairs."
BOATS = "Skippers said two boats could now moor there at once."


def article(*lines: str, **metadata) -> Article:
    return Article(id="a", path="a.txt", body="\n".join(lines), format="text", **metadata)


def test_web_boilerplate_lines_are_removed():
    cleaned = clean_article(
        article(
            "We use cookies to improve this site. By continuing you agree to our use of cookies.",
            "Choose your language",
            PIER,
            "Select your edition:",
            "Reader hotline: +44 (0)20 1234 5678",
            BOATS,
            "Internet news licence number: 1234567",
        )
    )
    assert cleaned.paragraphs == [PIER, BOATS]


def test_photo_caption_is_kept_apart_from_the_paragraphs():
    caption = "Workers lay the new deck on the Saltmere ferry pier, March 10, 2025. /Coast Photo"
    cleaned = clean_article(article(PIER, caption, BOATS))
    assert cleaned.paragraphs == [PIER, BOATS]
    assert cleaned.captions == [caption]


def test_related_links_at_the_end_are_removed():
    cleaned = clean_article(
        article(
            PIER,
            BOATS,
            "Related Sources:",
            "Pier repairs begin in Saltmere",
            "Council approves a loan for the harbour",
        )
    )
    assert cleaned.paragraphs == [PIER, BOATS]


def test_related_heading_followed_by_a_long_paragraph_is_not_a_link_list():
    long_paragraph = (
        "The harbour council said the cost of the new timber deck had stayed within "
        "the loan it approved in January, and thanked the crews."
    )
    cleaned = clean_article(article(PIER, "More:", long_paragraph))
    assert long_paragraph in cleaned.paragraphs


def test_title_repeated_as_first_paragraph_is_removed():
    cleaned = clean_article(
        article("Saltmere Ferry Pier Reopens!", PIER, BOATS, title="Saltmere ferry pier reopens")
    )
    assert cleaned.paragraphs == [PIER, BOATS]


def test_sentences_glued_across_a_lost_line_break_are_split():
    cleaned = clean_article(
        article("The talks were held in Ukraine.Ukrainian officials said more would follow.")
    )
    assert cleaned.paragraphs == [
        "The talks were held in Ukraine.",
        "Ukrainian officials said more would follow.",
    ]


def test_abbreviations_are_not_split():
    text = "U.S. officials met Dr. Reed at the pier."
    assert clean_article(article(text)).paragraphs == [text]


def test_repeated_paragraphs_are_dropped():
    council = (
        "The harbour council said the cost of the new timber deck had stayed within the "
        "loan it approved in January."
    )
    reworded = council.replace("stayed", "remained")
    other = (
        "Fishermen on the north quay complained that the works had blocked their nets for "
        "most of the winter and asked to be paid for it."
    )
    cleaned = clean_article(article(PIER, council, PIER, other, reworded))
    assert cleaned.paragraphs == [PIER, council, other]


def test_short_paragraphs_that_differ_by_a_word_are_both_kept():
    cleaned = clean_article(article("The pier opened today.", "The pier closed today."))
    assert cleaned.paragraphs == ["The pier opened today.", "The pier closed today."]


def test_word_counts_before_and_after_cleaning():
    cleaned = clean_article(
        article(
            "Choose your language",  # 3 words, boilerplate
            "The pier reopened on Wednesday.",  # 5 words
            "Boats moored there again by noon.",  # 6 words
            "The pier reopened on Wednesday.",  # 5 words, a repeat
        )
    )
    assert cleaned.words_raw == 19
    assert cleaned.words_clean == 11


def test_staff_byline_gives_the_outlet():
    cleaned = clean_article(article("By Example News staff", PIER))
    assert cleaned.source == "Example News"
    assert cleaned.author is None
    assert cleaned.paragraphs == [PIER]


def test_personal_byline_gives_the_author():
    cleaned = clean_article(article("By Jane Roe", PIER))
    assert cleaned.author == "Jane Roe"
    assert cleaned.source is None
    assert cleaned.paragraphs == [PIER]


def test_byline_with_person_and_outlet_gives_both():
    cleaned = clean_article(article("By Jane Roe, Example Times", PIER))
    assert (cleaned.author, cleaned.source) == ("Jane Roe", "Example Times")


def test_agency_dateline_gives_place_and_source_and_is_stripped():
    cleaned = clean_article(
        article(
            "LYON (AFP) - Officials in Lyon opened the new tram line on Monday.",
            BOATS,
        )
    )
    assert cleaned.place == "Lyon"
    assert cleaned.source == "Agence France-Presse"
    assert cleaned.paragraphs == ["Officials in Lyon opened the new tram line on Monday.", BOATS]


def test_dateline_without_agency_gives_only_the_place():
    cleaned = clean_article(article("SALTMERE - " + PIER))
    assert cleaned.place == "Saltmere"
    assert cleaned.source is None
    assert cleaned.paragraphs == [PIER]


def test_contributor_credit_gives_the_outlet():
    cleaned = clean_article(
        article(PIER, BOATS, "Ann Poe contributed to this report for Example Times.")
    )
    assert cleaned.source == "Example Times"
    assert cleaned.paragraphs == [PIER, BOATS]


def test_configured_alias_maps_to_the_outlet_name():
    outlets = (Outlet("Valley Wire", ("VW", "The Valley Wire")),)
    from_byline = clean_article(article("By VW staff", PIER), outlets)
    assert from_byline.source == "Valley Wire"
    from_metadata = clean_article(article(PIER, source="the valley wire"), outlets)
    assert from_metadata.source == "Valley Wire"


def test_agency_names_are_made_canonical_without_configuration():
    assert clean_article(article(PIER, source="AFP")).source == "Agence France-Presse"
    assert clean_article(article(PIER, source="The Associated Press")).source == "Associated Press"


def test_unknown_outlet_keeps_its_name():
    assert clean_article(article(PIER, source="Bay Post")).source == "Bay Post"


def test_metadata_from_the_reader_wins_over_the_byline():
    cleaned = clean_article(
        article("By Jane Roe, Example Times", PIER, source="Bay Post", author="Jo Reed")
    )
    assert cleaned.source == "Bay Post"
    assert cleaned.author == "Jo Reed"
    assert cleaned.paragraphs == [PIER]


def test_markdown_is_reduced_to_plain_paragraphs():
    body = (
        "## Pier news\n\nThe **new** deck of the [pier](https://example.org/pier) is wider."
        "\n\n- Boats moor at once\n- Nets are free\n"
    )
    cleaned = clean_article(Article(id="m", path="m.md", body=body, format="markdown"))
    assert cleaned.paragraphs == [
        "Pier news",
        "The new deck of the pier is wider.",
        "Boats moor at once",
        "Nets are free",
    ]


@pytest.mark.parametrize(
    "sentence",
    ["By contrast, officials said the pier was safe.", "By Friday the pier had reopened."],
)
def test_short_sentence_starting_with_by_is_not_a_byline(sentence):
    cleaned = clean_article(article(PIER, sentence))
    assert cleaned.paragraphs == [PIER, sentence]
    assert cleaned.author is None
    assert cleaned.source is None


def test_published_line_gives_the_publication_date_and_is_removed():
    cleaned = clean_article(
        article("Published: March 12, 2025", PIER, "Last updated on 13 March 2025 10:00", BOATS)
    )
    assert cleaned.published_raw == "March 12, 2025"
    assert cleaned.paragraphs == [PIER, BOATS]


def test_publication_date_from_the_reader_wins_over_a_published_line():
    cleaned = clean_article(article("Published: March 12, 2025", PIER, published_raw="2025-03-10"))
    assert cleaned.published_raw == "2025-03-10"
    assert cleaned.paragraphs == [PIER]
