"""Dates stage: publication dates, and the dates mentioned in the text."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storyline.dates import anchor_article, date_article, parse_published
from storyline.model import Article

WEDNESDAY = "2025-03-12"  # 12 March 2025 was a Wednesday


def article(
    *paragraphs: str, published_raw: str | None = WEDNESDAY, captions: tuple[str, ...] = ()
) -> Article:
    return Article(
        id="a",
        path="news/a.md",
        body="\n\n".join(paragraphs),
        format="text",
        published_raw=published_raw,
        paragraphs=list(paragraphs),
        captions=list(captions),
    )


def mentions(*paragraphs: str, **kwargs) -> list[tuple[str, date | None, str | None]]:
    dated = date_article(article(*paragraphs, **kwargs), "UTC", "DMY")
    return [(m.text, m.value, m.precision) for m in dated.mentions]


# --- publication dates ---


def test_iso_date_with_offset_is_converted_to_the_configured_zone():
    # 10:00 at +02:00 is 08:00 UTC, which is 09:00 in Paris (still UTC+1 in mid-March)
    value, precision = parse_published("2025-03-12T10:00:00+02:00", "Europe/Paris", "DMY")
    assert precision == "day"
    assert value == datetime(2025, 3, 12, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert value.utcoffset() == timedelta(hours=1)
    assert (value.date(), value.hour, value.minute) == (date(2025, 3, 12), 9, 0)


def test_conversion_to_the_zone_may_change_the_day():
    # 02:00 UTC on the 12th is 19:00 on the 11th in Los Angeles (UTC-7 after 9 March)
    value, _ = parse_published("2025-03-12T02:00:00+00:00", "America/Los_Angeles", "DMY")
    assert (value.date(), value.hour) == (date(2025, 3, 11), 19)


def test_date_without_zone_is_taken_as_local_to_the_configured_zone():
    value, precision = parse_published("12 March 2025 09:30", "Europe/Paris", "DMY")
    assert precision == "day"
    assert value == datetime(2025, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert value.utcoffset() == timedelta(hours=1)


def test_written_out_date():
    value, precision = parse_published("12 March 2025", "UTC", "DMY")
    assert (value.date(), precision) == (date(2025, 3, 12), "day")


@pytest.mark.parametrize(
    ("order", "expected"), [("DMY", date(2025, 3, 12)), ("MDY", date(2025, 12, 3))]
)
def test_numeric_date_follows_the_configured_order(order, expected):
    value, precision = parse_published("12/03/2025", "UTC", order)
    assert (value.date(), precision) == (expected, "day")


def test_month_only_date_has_month_precision():
    value, precision = parse_published("March 2025", "UTC", "DMY")
    assert precision == "month"
    assert value.date() == date(2025, 3, 1)


def test_unreadable_date_gives_nothing():
    assert parse_published("sometime soon", "UTC", "DMY") == (None, None)


def test_unreadable_publication_date_is_reported_and_the_article_kept():
    dated = date_article(
        article("The ministers met on Tuesday.", published_raw="sometime soon"), "UTC", "DMY"
    )
    assert dated.published is None
    assert dated.paragraphs == ["The ministers met on Tuesday."]
    [diagnostic] = dated.diagnostics
    assert diagnostic.path == "news/a.md"
    assert "sometime soon" in diagnostic.message


def test_readable_publication_date_is_stored_without_diagnostic():
    dated = date_article(article("Nothing dated here."), "UTC", "DMY")
    assert dated.published.date() == date(2025, 3, 12)
    assert dated.published_precision == "day"
    assert dated.diagnostics == []


# --- mentions, anchored on a Wednesday publication date ---


def test_the_publication_weekday_itself_counts():
    assert mentions("The ministers met on Wednesday.") == [
        ("on Wednesday", date(2025, 3, 12), "day")
    ]


def test_past_weekday_is_the_latest_one_before():
    assert mentions("The council voted on Tuesday.") == [("on Tuesday", date(2025, 3, 11), "day")]


def test_weekday_after_will_is_in_the_future():
    assert mentions("The ministers will meet on Friday.") == [
        ("on Friday", date(2025, 3, 14), "day")
    ]


def test_next_weekday():
    assert mentions("They meet again next Monday.") == [("next Monday", date(2025, 3, 17), "day")]


def test_last_month_has_month_precision():
    assert mentions("Fares rose last month.") == [("last month", date(2025, 2, 1), "month")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It rained yesterday.", ("yesterday", date(2025, 3, 11), "day")),
        ("It will rain tomorrow.", ("tomorrow", date(2025, 3, 13), "day")),
        ("Work began two days ago.", ("two days ago", date(2025, 3, 10), "day")),
        ("The vote came last Wednesday.", ("last Wednesday", date(2025, 3, 5), "day")),
        ("Fares rose last year.", ("last year", date(2024, 1, 1), "year")),
    ],
)
def test_relative_words_count_from_the_publication_date(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fares rose earlier this month.", ("earlier this month", date(2025, 3, 1), "month")),
        ("Fares will rise later this year.", ("later this year", date(2025, 1, 1), "year")),
    ],
)
def test_earlier_or_later_this_month_or_year(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pier opens this Friday.", ("this Friday", date(2025, 3, 14), "day")),
        ("The pier opened this Monday.", ("this Monday", date(2025, 3, 10), "day")),
    ],
)
def test_this_weekday_is_the_one_in_the_same_week(text, expected):
    assert mentions(text) == [expected]


def test_month_and_day_take_the_publication_year():
    assert mentions("The pier closed on March 3.") == [("March 3", date(2025, 3, 3), "day")]


def test_future_month_is_the_next_one_of_that_name():
    # February 2025 is already past on 12 March 2025: the next February is in 2026
    assert mentions("Ministers agreed on a conference to be held in February.") == [
        ("in February", date(2026, 2, 1), "month")
    ]


def test_past_month_is_the_nearest_one_before():
    assert mentions("The storm hit in February.") == [("in February", date(2025, 2, 1), "month")]


def test_year_has_year_precision():
    assert mentions("The pier was first built in 2022.") == [("in 2022", date(2022, 1, 1), "year")]


def test_numeric_date_in_the_text_follows_the_configured_order():
    dated = date_article(article("Work starts on 12/03/2025."), "UTC", "MDY")
    assert [(m.value, m.precision) for m in dated.mentions] == [(date(2025, 12, 3), "day")]


def test_caption_dates_are_found_too():
    dated = date_article(
        article("The deck is new.", captions=("Workers on the pier, 10 March 2025. /Coast Photo",)),
        "UTC",
        "DMY",
    )
    [mention] = dated.mentions
    assert (mention.value, mention.paragraph) == (date(2025, 3, 10), -1)


@pytest.mark.parametrize(
    "text",
    [
        "Officials may announce the date soon.",
        "Ferry fares saw a 17% rise.",
        "The pier holds 2024 boats.",
    ],
)
def test_words_that_only_look_like_dates_give_no_mention(text):
    assert mentions(text) == []


# --- undated articles ---

UNDATED = ("The council voted on Tuesday.", "The deal was signed on March 12, 2025.")


def test_without_publication_date_relative_mentions_have_no_value():
    dated = date_article(article(*UNDATED, published_raw=None), "UTC", "DMY")
    found = [(m.text, m.value, m.relative) for m in dated.mentions]
    assert found == [("on Tuesday", None, True), ("March 12, 2025", date(2025, 3, 12), False)]
    assert dated.published is None
    assert dated.diagnostics == []


def test_month_precise_publication_date_is_no_anchor_for_weekdays():
    dated = date_article(
        article("The council voted on Tuesday.", published_raw="March 2025"), "UTC", "DMY"
    )
    assert dated.published_precision == "month"
    assert [m.value for m in dated.mentions] == [None]


def test_anchor_resolves_relative_mentions_of_an_undated_article():
    dated = date_article(article(*UNDATED, published_raw=None), "UTC", "DMY")
    anchored = anchor_article(dated, date(2025, 3, 12), "DMY")
    assert [(m.text, m.value) for m in anchored.mentions] == [
        ("on Tuesday", date(2025, 3, 11)),
        ("March 12, 2025", date(2025, 3, 12)),
    ]


def test_anchor_from_the_event_takes_the_nearest_weekday():
    # the report may come before or after its event's day: Friday 14 March is 2 days from
    # Wednesday 12 March, Friday 7 March is 5 days away
    undated = article("The pier reopened on Friday.", published_raw=None)
    anchored = anchor_article(undated, date(2025, 3, 12), "DMY")
    assert [m.value for m in anchored.mentions] == [date(2025, 3, 14)]
    # a publication date is later than what it reports: the same words point back
    assert mentions("The pier reopened on Friday.") == [("on Friday", date(2025, 3, 7), "day")]
