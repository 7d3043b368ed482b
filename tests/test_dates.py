"""Dates stage: publication dates, and the dates mentioned in the text with TimeML values."""

from __future__ import annotations

import tracemalloc
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bench.dates import ADVERSARIAL, read_article, read_text
from storyline import dates
from storyline.dates import (
    SENTENCE_REACH,
    anchor_article,
    date_article,
    parse_published,
)
from storyline.dates.tagger import MAX_MENTIONS
from storyline.model import Article
from storyline.text import sentence_spans
from tests.conftest import GROWTH, SLOWDOWN_BOUND, slowdown

WEDNESDAY = "2025-03-12"  # 12 March 2025 was a Wednesday, in ISO week 2025-W11
ANCHOR = date(2025, 3, 12)


def article(
    *paragraphs: str,
    published_raw: str | None = WEDNESDAY,
    captions: tuple[str, ...] = (),
    lang: str | None = None,
) -> Article:
    return Article(
        id="a",
        path="news/a.md",
        body="\n\n".join(paragraphs),
        format="text",
        published_raw=published_raw,
        lang=lang,
        paragraphs=list(paragraphs),
        captions=list(captions),
    )


def mentions(
    *paragraphs: str, order: str = "DMY", default_lang: str = "en", **kwargs
) -> list[tuple[str, str | None, str | None]]:
    dated = date_article(article(*paragraphs, **kwargs), "UTC", order, default_lang)
    return [(m.text, m.value, m.precision) for m in dated.mentions]


# --- publication dates ---


def test_iso_date_with_offset_is_converted_to_the_configured_zone():
    # 10:00 at +02:00 is 08:00 UTC, which is 09:00 in Paris (still UTC+1 in mid-March)
    value, precision, problems = parse_published("2025-03-12T10:00:00+02:00", "Europe/Paris", "DMY")
    assert precision == "day"
    assert problems == []
    assert value == datetime(2025, 3, 12, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert value.utcoffset() == timedelta(hours=1)
    assert (value.date(), value.hour, value.minute) == (date(2025, 3, 12), 9, 0)


def test_conversion_to_the_zone_may_change_the_day():
    # 02:00 UTC on the 12th is 19:00 on the 11th in Los Angeles (UTC-7 after 9 March)
    value, _, _ = parse_published("2025-03-12T02:00:00+00:00", "America/Los_Angeles", "DMY")
    assert (value.date(), value.hour) == (date(2025, 3, 11), 19)


def test_date_without_zone_is_taken_as_local_to_the_configured_zone():
    value, precision, _ = parse_published("12 March 2025 09:30", "Europe/Paris", "DMY")
    assert precision == "day"
    assert value == datetime(2025, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert value.utcoffset() == timedelta(hours=1)


def test_written_out_date():
    value, precision, problems = parse_published("12 March 2025", "UTC", "DMY")
    assert (value.date(), precision, problems) == (date(2025, 3, 12), "day", [])


@pytest.mark.parametrize(
    ("order", "expected"), [("DMY", date(2025, 3, 12)), ("MDY", date(2025, 12, 3))]
)
def test_numeric_date_follows_the_configured_order(order, expected):
    value, precision, _ = parse_published("12/03/2025", "UTC", order)
    assert (value.date(), precision) == (expected, "day")


def test_month_only_date_has_month_precision():
    value, precision, _ = parse_published("March 2025", "UTC", "DMY")
    assert precision == "month"
    assert value.date() == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("raw", "lang"),
    [("12 mars 2025", "fr"), ("12. März 2025", "de"), ("12 de marzo de 2025", "es")],
)
def test_publication_date_in_the_article_language(raw, lang):
    value, precision, problems = parse_published(raw, "UTC", "DMY", lang)
    assert (value.date(), precision, problems) == (date(2025, 3, 12), "day", [])


def test_unreadable_date_gives_nothing_but_a_problem():
    value, precision, problems = parse_published("sometime soon", "UTC", "DMY")
    assert (value, precision) == (None, None)
    [problem] = problems
    assert "sometime soon" in problem


def test_unreadable_publication_date_is_reported_and_the_article_kept():
    dated = date_article(
        article("The ministers met on Tuesday.", published_raw="sometime soon"), "UTC", "DMY"
    )
    assert dated.published is None
    assert dated.published_precision is None
    assert dated.paragraphs == ["The ministers met on Tuesday."]
    [diagnostic] = dated.diagnostics
    assert diagnostic.path == "news/a.md"
    assert "sometime soon" in diagnostic.message


@pytest.mark.parametrize("raw", ["4 July 1850", "4 July 3000"])
def test_implausible_publication_year_is_warned_about(raw):
    value, _, problems = parse_published(raw, "UTC", "DMY")
    assert value is not None
    [problem] = problems
    assert raw in problem
    dated = date_article(article("Nothing dated here.", published_raw=raw), "UTC", "DMY")
    [diagnostic] = dated.diagnostics
    assert diagnostic.path == "news/a.md"
    assert raw in diagnostic.message


def test_readable_publication_date_is_stored_without_diagnostic():
    dated = date_article(article("Nothing dated here."), "UTC", "DMY")
    assert dated.published.date() == date(2025, 3, 12)
    assert dated.published_precision == "day"
    assert dated.diagnostics == []


# --- weekdays, anchored on a Wednesday publication date ---


def test_the_publication_weekday_itself_counts():
    assert mentions("The ministers met on Wednesday.") == [("Wednesday", "2025-03-12", "day")]
    assert mentions("The ministers will meet on Wednesday.") == [("Wednesday", "2025-03-12", "day")]


def test_past_weekday_is_the_latest_one_before():
    assert mentions("The council voted on Tuesday.") == [("Tuesday", "2025-03-11", "day")]
    assert mentions("The ministers met on Monday.") == [("Monday", "2025-03-10", "day")]


def test_weekday_after_will_is_in_the_future():
    assert mentions("The ministers will meet on Friday.") == [("Friday", "2025-03-14", "day")]
    assert mentions("The ministers will meet on Monday.") == [("Monday", "2025-03-17", "day")]


def test_weekday_of_a_planned_event_is_in_the_future():
    assert mentions("The ferry summit is to be held on Monday.") == [
        ("Monday", "2025-03-17", "day")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The harbour lease was due to expire Friday.",
        "The harbour lease had been due to expire on Friday.",
    ],
)
def test_future_in_the_past_weekday_is_behind(text):
    # "was due to" looks ahead from a past point: the Friday before publication
    assert mentions(text) == [("Friday", "2025-03-07", "day")]


def test_next_weekday():
    assert mentions("They meet again next Monday.") == [("next Monday", "2025-03-17", "day")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pier opens this Friday.", ("this Friday", "2025-03-14", "day")),
        ("The pier opened this Monday.", ("this Monday", "2025-03-10", "day")),
    ],
)
def test_this_weekday_is_the_one_in_the_same_week(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # the present of a scheduled event, the progressive and "expected" look ahead
        ("The two ferry unions meet Tuesday in Bergen.", "2000-04-03", "2000-04-04"),
        ("The harbour board meets separately on Tuesday.", "2000-04-03", "2000-04-04"),
        ("The verdict on the pier is expected Saturday.", "2000-01-07", "2000-01-08"),
        ("The rowing team is flying to Oslo Thursday.", "1998-09-30", "1998-10-01"),
        ("The ferry vote is scheduled for Thursday.", "1998-09-30", "1998-10-01"),
        # the tense nearest the weekday decides: the report is past, the talks to come
        ("The mayor said the ferry talks will resume Tuesday.", "2000-04-03", "2000-04-04"),
        ("The mayor said Tuesday that the ferry talks would resume.", "2000-04-03", "2000-03-28"),
        ("Dockers stopped the cranes Tuesday.", "2000-04-03", "2000-03-28"),
        # a noun or an infinitive is no present tense
        ("At the close of business Thursday, the pier was sold.", "2025-03-17", "2025-03-13"),
        ("The lease had been due to expire Friday.", "2025-03-17", "2025-03-14"),
    ],
)
def test_weekday_follows_the_tense_nearest_it(text, published, expected):
    assert [m[1] for m in mentions(text, published_raw=published)] == [expected]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a plan reported, a modal, a passive to come, "as soon as": ahead
        ("The mayor said he would be opening the pier on Monday.", "2016-06-12", "2016-06-13"),
        ("In an interview to be shown on Tuesday, the mayor spoke.", "2012-04-23", "2012-04-24"),
        ("The council could vote as soon as Wednesday.", "2013-01-14", "2013-01-16"),
        # the weekday as the subject of "is": the coming one; as its object, no tense
        ("Ferry owners note that Tuesday is the deadline.", "2019-01-19", "2019-01-22"),
        ("The message from Tuesday is clear.", "2014-06-13", "2014-06-10"),
        # the verb of a reported clause or a quote is not the weekday's
        (
            "The mayor's claims Monday that the pier will reopen angered many.",
            "2012-08-21",
            "2012-08-20",
        ),
        ("Ferry fans made plans for a parade on Friday.", "2012-08-01", "2012-08-03"),
        ("Ferry fans are not waiting until Friday.", "2012-08-01", "2012-08-03"),
        # a plan told in the past tense, with an adverb and a chain of cues
        ("The vote was originally scheduled to be held on Friday.", "2016-11-30", "2016-11-25"),
    ],
)
def test_weekday_tense_cues_of_plans_and_reports(text, published, expected):
    assert [m[1] for m in mentions(text, published_raw=published)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # said on Friday 14 March: "this" goes where the tense points
        ("The harbour court will rule this Tuesday.", "2025-03-18"),
        ("The harbour court ruled this Tuesday.", "2025-03-11"),
    ],
)
def test_this_weekday_follows_the_tense(text, expected):
    assert [m[1] for m in mentions(text, published_raw="2025-03-14")] == [expected]


def test_previous_and_following_weekday_count_from_the_last_date():
    assert mentions(
        "Pier shares fell on Monday, 3 March, from the previous Friday, and rose the "
        "following Tuesday."
    ) == [
        ("Monday, 3 March", "2025-03-03", "day"),
        ("the previous Friday", "2025-02-28", "day"),
        ("the following Tuesday", "2025-03-04", "day"),
    ]


# --- clock times ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pier market closed at 1950 GMT.", ("1950 GMT", "2025-03-12T19:50", "time")),
        ("The ferry leaves at 0800 local time.", ("0800 local time", "2025-03-12T08:00", "time")),
        ("Polls close at 18:30 CET.", ("18:30 CET", "2025-03-12T18:30", "time")),
        (
            "Dockers walked out at 1800 GMT on Monday.",
            ("1800 GMT on Monday", "2025-03-10T18:00", "time"),
        ),
        # said on Wednesday, a launch set for Saturday is three days ahead
        (
            "The launch is set for 15:00 GMT Saturday.",
            ("15:00 GMT Saturday", "2025-03-15T15:00", "time"),
        ),
    ],
)
def test_clock_times_are_times_of_day_never_years(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The polls close at 18:30 on Friday.", ("18:30 on Friday", "2025-03-14T18:30", "time")),
        ("The ferry crew met at 09:15.", ("09:15", "2025-03-12T09:15", "time")),
        ("Be at the pier by 7:05, please.", ("7:05", "2025-03-12T07:05", "time")),
    ],
)
def test_a_24_hour_time_after_at_or_by_is_a_time_of_day(text, expected):
    assert mentions(text) == [expected]


def test_a_year_before_a_word_in_capitals_stays_a_year():
    assert [m[1] for m in mentions("The 1950 FIFA World Cup was held in Brazil.")] == ["1950"]


# --- holidays ---


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "The ferry ran late on Thanksgiving Day.",
            "1998-12-01",
            ("Thanksgiving Day", "1998-11-26"),
        ),
        (
            "Pier sales were weak last Thanksgiving.",
            "1998-12-01",
            ("last Thanksgiving", "1998-11-26"),
        ),
        ("The ferry will sail on Christmas Eve.", "1998-12-01", ("Christmas Eve", "1998-12-24")),
        (
            "Voters will queue at the pier on Election Day.",
            "2000-10-01",
            ("Election Day", "2000-11-07"),
        ),
        ("The harbour reopens next Easter.", "2024-04-10", ("next Easter", "2025-04-20")),
        ("The pier opened at Easter 2001.", "2003-06-01", ("Easter 2001", "2001-04-15")),
        ("The harbour parade marks Bastille Day.", "1989-07-10", ("Bastille Day", "1989-07-14")),
        ("The pier shut on Labor Day.", "2025-09-03", ("Labor Day", "2025-09-01")),
        # Easter 2024 fell on 31 March: Holy Week ends on it, Easter week follows it
        ("The pier shut during Holy Week.", "2024-04-10", ("Holy Week", "2024-W13")),
        ("The pier will shut in Easter week.", "2024-03-01", ("Easter week", "2024-W14")),
        ("The pier shut in Easter Week 2019.", "2024-05-01", ("Easter Week 2019", "2019-W17")),
    ],
)
def test_holidays_resolve_to_their_day_in_the_right_year(text, published, expected):
    dated = mentions(text, published_raw=published)
    assert [(m[0], m[1]) for m in dated] == [expected]


def test_holidays_of_the_article_language():
    dated = mentions("Le port rouvre à Noël.", published_raw="2024-12-01", lang="fr")
    assert dated == [("Noël", "2024-12-25", "day")]


def test_a_feast_week_of_the_article_language():
    dated = mentions("El muelle cerró en Semana Santa.", published_raw="2024-04-10", lang="es")
    assert dated == [("Semana Santa", "2024-W13", "week")]


def test_a_language_without_holiday_data_still_reads_its_dates():
    dated = mentions(
        "Spotkanie w porcie odbyło się 3 marca.", published_raw="2024-03-10", lang="pl"
    )
    assert dated == [("3 marca", "2024-03-03", "day")]


def test_a_place_named_after_a_holiday_is_no_date():
    assert mentions("The ferry to Easter Island was full.") == []


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("The vote is on Election Day.", "0001-01-05"),
        ("They met at Christmas and on Easter Monday.", "9999-12-30"),
        ("They met on Thanksgiving and on February 29.", "2024-02-29"),
        ("They met last Christmas, next Easter and this Halloween.", "0001-01-01"),
        ("They met in Holy Week and in Easter week.", "0001-01-01"),
        ("They met last Holy Week and will meet next Easter week.", "9999-12-31"),
        ("They met in Easter week, on Friday and on Feb. 29.", "2024-02-29"),
    ],
)
def test_holidays_at_the_edges_of_the_calendar_never_raise(text, published):
    dated = mentions(text, published_raw=published)
    assert dated and all(value is None or value[:4].isdigit() for _, value, _ in dated)


# --- relative words ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It rained yesterday.", ("yesterday", "2025-03-11", "day")),
        ("It will rain tomorrow.", ("tomorrow", "2025-03-13", "day")),
        ("Work began two days ago.", ("two days ago", "2025-03-10", "day")),
        ("The vote came last Wednesday.", ("last Wednesday", "2025-03-05", "day")),
        ("Fares rose last year.", ("last year", "2024", "year")),
    ],
)
def test_relative_words_count_from_the_publication_date(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fares rose last week.", ("last week", "2025-W10", "week")),
        ("Fares rise this week.", ("this week", "2025-W11", "week")),
        ("Fares will rise next week.", ("next week", "2025-W12", "week")),
        ("Fares rose last month.", ("last month", "2025-02", "month")),
        ("Fares rise this month.", ("this month", "2025-03", "month")),
        ("Fares will rise next month.", ("next month", "2025-04", "month")),
        ("Fares rise this year.", ("this year", "2025", "year")),
        ("Fares will rise next year.", ("next year", "2026", "year")),
        ("Fares rose in the past year.", ("the past year", "2024", "year")),
        ("The pier was busy last weekend.", ("last weekend", "2025-W10-WE", "weekend")),
        ("The pier will be busy this weekend.", ("this weekend", "2025-W11-WE", "weekend")),
    ],
)
def test_last_this_next_period(text, expected):
    assert mentions(text) == [expected]


def test_mention_day_is_the_first_day_of_its_period():
    dated = date_article(
        article("Fares rose last week, and last month, and last year."), "UTC", "DMY"
    )
    assert [(m.value, m.day) for m in dated.mentions] == [
        ("2025-W10", date(2025, 3, 3)),
        ("2025-02", date(2025, 2, 1)),
        ("2024", date(2024, 1, 1)),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fares rose earlier this month.", ("earlier this month", "2025-03", "month")),
        ("Fares will rise later this year.", ("later this year", "2025", "year")),
    ],
)
def test_earlier_or_later_this_month_or_year(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Repairs began in early March.", ("early March", "2025-03", "month")),
        ("Repairs will end in late March.", ("late March", "2025-03", "month")),
    ],
)
def test_early_or_late_month_is_that_month(text, expected):
    assert mentions(text) == [expected]


# --- yearless dates ---


def test_month_and_day_take_the_publication_year():
    assert mentions("The pier closed on March 3.") == [("March 3", "2025-03-03", "day")]


def test_yearless_date_takes_the_year_nearest_the_publication():
    # 20 December 2024 is 82 days before 12 March 2025; 20 December 2025 is 283 days after
    assert mentions("The ferry resumed on December 20.") == [("December 20", "2024-12-20", "day")]


def test_yearless_date_takes_the_year_written_in_its_sentence():
    assert mentions("In 2019 the bridge closed on March 3.") == [
        ("2019", "2019", "year"),
        ("March 3", "2019-03-03", "day"),
    ]


def test_future_month_is_the_next_one_of_that_name():
    # February 2025 is already past on 12 March 2025: the next February is in 2026
    assert mentions("Ministers agreed on a conference to be held in February.") == [
        ("February", "2026-02", "month")
    ]


def test_past_month_is_the_nearest_one_before():
    assert mentions("The storm hit in February.") == [("February", "2025-02", "month")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # the tense points the way: the coming February, last year's August
        ("The harbour board created the post, effective Feb. 1.", "1989-10-26", "1990-02-01"),
        ("The pier index set its record high on Aug. 6.", "1998-02-06", "1997-08-06"),
        # ... unless the other way is several times nearer: eleven days back, not a year on
        ("The inquiry will report on the ferry blast of Aug. 7.", "1998-08-18", "1998-08-07"),
        ("The ferry company declared a dividend, payable Dec. 15.", "1989-10-26", "1989-12-15"),
    ],
)
def test_yearless_date_lies_the_way_its_clause_tense_points(text, published, expected):
    assert [m[1] for m in mentions(text, published_raw=published)] == [expected]


def test_yearless_date_takes_the_year_of_a_date_written_in_its_paragraph():
    assert mentions("The ferry sank on 3 May 2019. Divers reached it on 9 June.") == [
        ("3 May 2019", "2019-05-03", "day"),
        ("9 June", "2019-06-09", "day"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tolls were waived in June and July of 2009.",
            [("June", "2009-06"), ("July of 2009", "2009-07")],
        ),
        (
            "The pier shut on March 5 or April 2, 2019.",
            [("March 5", "2019-03-05"), ("April 2, 2019", "2019-04-02")],
        ),
    ],
)
def test_a_date_joined_to_the_next_takes_the_year_written_after_both(text, expected):
    # the year comes after the second date but is the first one's too, not the publication's
    assert [(m[0], m[1]) for m in mentions(text, published_raw="2025-05-01")] == expected


def test_year_has_year_precision():
    assert mentions("The pier was first built in 2022.") == [("2022", "2022", "year")]


# --- ranges, chains, quarters, seasons, decades ---


def test_month_day_range_is_one_mention_at_its_first_day():
    assert mentions("The festival will run on June 24-25.") == [("June 24-25", "2025-06-24", "day")]


def test_day_range_before_the_month_is_one_mention_at_its_first_day():
    assert mentions("Talks will take place between 3 and 5 May.") == [
        ("3 and 5 May", "2025-05-03", "day")
    ]


def test_chained_mention_counts_from_the_previous_one():
    # against the publication date, "two days later" would be 14 March
    assert mentions("The storm hit on March 3, 2025. Two days later the bridge closed.") == [
        ("March 3, 2025", "2025-03-03", "day"),
        ("Two days later", "2025-03-05", "day"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The ferry strike began on 3 May 2019. Two days later talks collapsed, and that "
            "week the minister resigned.",
            [
                ("3 May 2019", "2019-05-03"),
                ("Two days later", "2019-05-05"),
                ("that week", "2019-W18"),
            ],
        ),
        (
            "The pier opened on 3 May 2019. The next day it shut. That year the ferry stopped.",
            [("3 May 2019", "2019-05-03"), ("The next day", "2019-05-04"), ("That year", "2019")],
        ),
        (
            "The pier shut on Friday. The mayor had warned of it the day before.",
            [("Friday", "2025-03-07"), ("the day before", "2025-03-06")],
        ),
        # "that day" after a month is any day of a general account: no date
        ("In January the pier shut. Trades made that day lost money.", [("January", "2025-01")]),
        (
            "The ferry sank on 3 May 2019. Divers reached it later in the day.",
            [("3 May 2019", "2019-05-03"), ("later in the day", "2019-05-03")],
        ),
        # a day ahead told in between is not the day the story goes on with
        (
            "Sentencing is set for June 28. Later in the day the pier owner paid a fine.",
            [("June 28", "2025-06-28"), ("Later in the day", "2025-03-12")],
        ),
        # a part of the day goes on with the story's day, as "later in the day" does
        (
            "The ferry sank on 3 May 2019. Divers reached it by mid-afternoon.",
            [("3 May 2019", "2019-05-03"), ("mid-afternoon", "2019-05-03TAF")],
        ),
        ("Crews cleared the pier in the early morning.", [("early morning", "2025-03-12TMO")]),
    ],
)
def test_anaphoric_mentions_resolve_against_the_date_told_last(text, expected):
    assert [(m[0], m[1]) for m in mentions(text)] == expected


def test_midnight_ends_the_day_it_is_told_with():
    # the offer runs through Friday 14 March 2025: midnight Friday is 24:00 that day
    assert mentions("The pier offer expires at midnight Friday.") == [
        ("midnight Friday", "2025-03-14T24:00", "time")
    ]


def test_quarter_that_has_not_begun_is_last_years():
    # the third quarter of 2025 begins in July, after the publication date
    assert mentions("Profits fell in the third quarter.") == [
        ("the third quarter", "2024-Q3", "quarter")
    ]


def test_quarter_with_its_year():
    assert mentions("Sales rose in the first quarter of 2024.") == [
        ("the first quarter of 2024", "2024-Q1", "quarter")
    ]


def test_fiscal_year():
    assert mentions("Revenue grew in fiscal 2024.") == [("fiscal 2024", "2024", "year")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # summer 2025 has not begun on 12 March 2025: the last one is 2024's
        ("The pier flooded last summer.", ("last summer", "2024-SU", "season")),
        ("The pier reopens this spring.", ("this spring", "2025-SP", "season")),
        ("The pier flooded in the summer of 2019.", ("the summer of 2019", "2019-SU", "season")),
    ],
)
def test_seasons(text, expected):
    assert mentions(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # June lies in the first half: "five months later" is no more precise than its anchor
        ("Ferry losses grew in the first half of 2024. Five months later the line closed.",
         ("Five months later", "2024-H1", "half")),
        # October is in autumn, and January in the winter that began in December
        ("The pier flooded in the summer of 2024. Four months later it reopened.",
         ("Four months later", "2024-FA", "season")),
        ("The pier flooded in the autumn of 2024. Four months later it reopened.",
         ("Four months later", "2024-WI", "season")),
        # a whole number of quarters keeps the quarter; a month later is still in it
        ("Fares rose in the third quarter of 2024 and again a year later.",
         ("a year later", "2025-Q3", "quarter")),
        ("The pier closed in March 2024. Two days later it reopened.",
         ("Two days later", "2024-03", "month")),
    ],
)  # fmt: skip
def test_months_later_than_a_period_stay_at_its_precision(text, expected):
    assert mentions(text)[-1] == expected


def test_decade():
    assert mentions("Ridership peaked in the 1990s.") == [("the 1990s", "199", "decade")]


# --- periods of business news, centuries, references (TimeBank's error classes) ---


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # "for the year" is the year itself; the twelve months "ended June 30" are a span
        ("Ferry fares rose 4% for the full year.", WEDNESDAY, [("the full year", "2025")]),
        ("Ferry fares rose 4% in the year ended June 30.", WEDNESDAY, [("June 30", "2024-06-30")]),
        ("Tolls fell in the latest fiscal year.", WEDNESDAY, [("the latest fiscal year", "2024")]),
        ("Tolls will fall in the current fiscal year.", WEDNESDAY,
         [("the current fiscal year", "2025")]),
        # the period reported on, a year back, and the year's end
        ("Pier income rose in the fourth quarter. Revenue in the latest period was flat.",
         WEDNESDAY, [("the fourth quarter", "2024-Q4"), ("the latest period", "2024-Q4")]),
        ("Pier income rose in the fourth quarter. In the year-ago fourth quarter it fell.",
         WEDNESDAY,
         [("the fourth quarter", "2024-Q4"), ("the year-ago fourth quarter", "2023-Q4")]),
        ("Tolls rose in the fiscal-first quarter.", WEDNESDAY,
         [("the fiscal-first quarter", "2025-Q1")]),
        ("The ferry line hopes to sign the deal by year-end.", WEDNESDAY, [("year-end", "2025")]),
        ("The ferry index has fallen 3% since year-end.", WEDNESDAY, [("year-end", "2024")]),
        # centuries and spelled decades; a year in its middle
        ("The pier is a relic of the 19th century.", WEDNESDAY, [("the 19th century", "18")]),
        ("Ferry use fell through the nineties.", WEDNESDAY, [("the nineties", "199")]),
        ("The pier reopened in mid-2019.", WEDNESDAY, [("mid-2019", "2019")]),
        # "the summer" as the clause's tense points; "this past spring" the one gone by
        ("Tolls rose over the summer.", WEDNESDAY, [("the summer", "2024-SU")]),
        ("Tolls will rise over the summer.", WEDNESDAY, [("the summer", "2025-SU")]),
        ("Tolls rose this past autumn.", WEDNESDAY, [("this past autumn", "2024-FA")]),
        ("Tolls may climb in the near term.", WEDNESDAY, [("the near term", "FUTURE_REF")]),
        ("Tolls will climb in coming months.", WEDNESDAY, [("coming months", "FUTURE_REF")]),
        # a stretch of time, not a date; a programme's name, not this week
        ("Tolls have risen in recent months.", WEDNESDAY, []),
        ('The minister spoke on the radio show "This Week With Ann Jones."', WEDNESDAY, []),
    ],
)  # fmt: skip
def test_periods_of_business_news(text, published, expected):
    dated = mentions(text, published_raw=published)
    assert [(m[0], m[1]) for m in dated] == expected


def test_a_quarter_not_yet_over_is_not_the_one_reported():
    # on 12 March 2025 the first quarter has not ended: "the latest quarter" is 2024's fourth
    dated = mentions(
        "Pier income rose in the fourth quarter. The firm expects a first-quarter charge. "
        "In the latest quarter, fares rose, from $2 a year ago."
    )
    assert [(m[0], m[1]) for m in dated] == [
        ("the fourth quarter", "2024-Q4"),
        ("first-quarter", "2025-Q1"),
        ("the latest quarter", "2024-Q4"),
        ("a year ago", "2023-Q4"),
    ]


def test_a_fiscal_quarter_is_reported_as_the_calendar_quarter_it_ended_in():
    dated = mentions(
        "The ferry firm's second quarter ended Sept. 30 was its best. "
        "In the latest quarter tolls rose.",
        published_raw="2025-10-20",
    )
    assert ("the latest quarter", "2025-Q3") in [(m[0], m[1]) for m in dated]


def test_a_year_earlier_beside_longer_months_is_a_year():
    dated = mentions(
        "Pier income rose in the fourth quarter. "
        "For the nine months, income was $5 million, against $4 million a year earlier."
    )
    assert [(m[0], m[1]) for m in dated][-1] == ("a year earlier", "2023")


def test_a_year_named_by_last_year_sets_the_year_of_a_month_in_its_sentence():
    dated = mentions(
        "Tolls rose last year, after the pier shut in March.", published_raw="2025-10-20"
    )
    assert [(m[0], m[1]) for m in dated] == [("last year", "2024"), ("March", "2024-03")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a deadline after a past verb may lie ahead: the nearest January
        ("The bank extended the ferry loans through January.", ("January", "2026-01")),
        # an irregular past tense points back
        ("In January, the ferry firm brought in a new chief.", ("January", "2025-01")),
    ],
)
def test_yearless_months_after_deadlines_and_irregular_past_tenses(text, expected):
    assert [(m[0], m[1]) for m in mentions(text, published_raw="2025-10-20")] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The new fares would start on a still undecided day in January.",
        "The pier will reopen after the revised works in January.",
    ],
)
def test_a_participle_after_a_determiner_does_not_make_the_clause_past(text):
    # "undecided", "revised" describe a noun; the clause's verb points ahead
    assert [(m[0], m[1]) for m in mentions(text, published_raw="2025-10-20")] == [
        ("January", "2026-01")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a decimal point ends no clause: "climbed" is the verb of the March
        ("Pier shares climbed, rising to $17.625 a share in March.", "2025-03"),
        # "succeed" is no past tense: the clause's verb is "will succeed"
        ("Ms. Lee will succeed the pier's chief on Feb. 1.", "2026-02-01"),
    ],
)
def test_a_yearless_date_finds_the_verb_of_its_clause(text, expected):
    assert [m[1] for m in mentions(text, published_raw="2025-10-20")] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an ordinal quarter takes a year written in its own sentence only; the next sentence's
        # "third-quarter profit" is the one the report is about, and its year-ago follows it
        (
            "The pier lost money in the third quarter of 2019. "
            "Now the pier posted third-quarter profit of $2 million, up from $1 million a year ago.",
            [("the third quarter of 2019", "2019-Q3"), ("Now", "PRESENT_REF"),
             ("third-quarter", "2025-Q3"), ("a year ago", "2024-Q3")],
        ),
        # the present of a past time
        ("Holders could buy shares at the then current price.", [("current", "PAST_REF")]),
        # a stretch counted back is no past reference
        ("Tolls rose over the past three winters.", []),
        # a half of a decade is read as the decade, not as the half of this year
        ("Fares stalled in the last half of the '90s.", [("the '90s", "199")]),
        # a month before a noun dates what the noun tells, whatever the clause's tense
        ("The ferry firm is still selling itself under a June agreement with its holders.",
         [("June", "2025-06")]),
        ("The ferry firm sails every June.", []),
        # a weekly schedule is a set, not a day; a newspaper's name is no day either
        ("New ferries will leave on Monday and Tuesday nights from the spring.",
         [("the spring", "2026-SP")]),
        ("USA Today reported the pier's sale.", []),
        # the year "of $3" is this one, whose high it names
        ("Pier shares hit a high for the year of $3.", [("the year", "2025")]),
    ],
)  # fmt: skip
def test_timeml_readings_of_business_and_reference_words(text, expected):
    assert [(m[0], m[1]) for m in mentions(text, published_raw="2025-10-20")] == expected


# --- numeric dates ---


@pytest.mark.parametrize(("order", "expected"), [("DMY", "2025-03-12"), ("MDY", "2025-12-03")])
def test_numeric_date_in_the_text_follows_the_configured_order(order, expected):
    dated = date_article(article("Work starts on 12/03/2025."), "UTC", order)
    assert [(m.value, m.precision) for m in dated.mentions] == [(expected, "day")]


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("Filed 04 / 11 / 25 09: 15 AM", "MDY", "2025-04-11"),
        ("Filed 04 / 11 / 25 09: 15 AM", "DMY", "2025-11-04"),
        ("The pier reopens on 11 - 04 - 2025.", "MDY", "2025-11-04"),
        ("Posted 23 / 10 / 2025", "MDY", "2025-10-23"),  # one valid reading, whatever the order
    ],
)
def test_numeric_date_with_spaced_separators_is_read(text, order, expected):
    dated = date_article(article(text, published_raw=None), "UTC", order)
    assert [(m.value, m.precision) for m in dated.mentions] == [(expected, "day")]


@pytest.mark.parametrize(
    "text",
    [
        "Filed 04 / 11 / 25 09: 15 AM ET\n\nThe pier closed.",  # an American zone: month first
        "Filed 04 / 11 / 25\n\nThe pier closed. Updated 04 / 30 / 25",  # its other date shows it
    ],
)
def test_an_ambiguous_numeric_date_follows_the_order_its_article_shows(text):
    dated = date_article(article(text, published_raw=None), "UTC", "DMY")
    assert dated.mentions[0].value == "2025-04-11"
    assert dated.diagnostics == []  # the article settles it: nothing to warn about


def test_a_record_written_with_spaced_dashes_is_no_date():
    text = "The club went 10 - 5 - 12 last season and opens on 10 - 31 - 2025."
    dated = date_article(article(text, published_raw=None), "UTC", "MDY")
    assert [m.value for m in dated.mentions] == ["2025-10-31"]


@pytest.mark.parametrize(("order", "expected"), [("DMY", "2025-04-03"), ("MDY", "2025-03-04")])
def test_ambiguous_numeric_date_is_warned_about(order, expected):
    dated = date_article(article("The lease ended on 03/04/2025."), "UTC", order)
    assert [m.value for m in dated.mentions] == [expected]
    [diagnostic] = dated.diagnostics
    assert diagnostic.path == "news/a.md"
    assert "03/04/2025" in diagnostic.message


@pytest.mark.parametrize("order", ["DMY", "MDY"])
def test_numeric_date_with_one_valid_reading_is_not_ambiguous(order):
    dated = date_article(article("The lease ended on 25/12/2025."), "UTC", order)
    assert [m.value for m in dated.mentions] == ["2025-12-25"]
    assert dated.diagnostics == []


def test_caption_dates_are_found_too():
    dated = date_article(
        article("The deck is new.", captions=("Workers on the pier, 10 March 2025. /Coast Photo",)),
        "UTC",
        "DMY",
    )
    [mention] = dated.mentions
    assert (mention.value, mention.paragraph) == ("2025-03-10", -1)


# --- no false dates ---


@pytest.mark.parametrize(
    "text",
    [
        "Officials may announce the date soon.",
        "Ferry fares saw a 17% rise.",
        "The pier holds 2024 boats.",
        "The rally drew 2000 people to the harbour.",
        "The old ferry bell sold for $1990.",
        "We sat in the sun on the pier.",
        "Protesters march on the capital.",
        "The strike lasted for three weeks.",
        "Both sides agreed to a 30-day ceasefire.",
        "The market opens every Monday.",
        "The council meets on Mondays.",
        "Ferry fares rise each year.",
    ],
)
def test_words_that_only_look_like_dates_give_no_mention(text):
    assert mentions(text) == []


# --- other languages ---


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Le sommet s'est tenu le 3 mars 2025.", ("3 mars 2025", "2025-03-03", "day")),
        ("fr", "Le maire a parlé hier.", ("hier", "2025-03-11", "day")),
        ("fr", "Le conseil a voté mardi.", ("mardi", "2025-03-11", "day")),
        ("fr", "Le conseil va voter mardi.", ("mardi", "2025-03-18", "day")),
        ("de", "Der Gipfel fand am 3. März 2025 statt.", ("3. März 2025", "2025-03-03", "day")),
        ("de", "Der Bürgermeister sprach gestern.", ("gestern", "2025-03-11", "day")),
        (
            "es",
            "La cumbre se celebró el 3 de marzo de 2025.",
            ("3 de marzo de 2025", "2025-03-03", "day"),
        ),
        ("es", "El alcalde habló ayer.", ("ayer", "2025-03-11", "day")),
    ],
)
def test_article_language_chooses_the_date_words(lang, text, expected):
    assert mentions(text, lang=lang) == [expected]


def test_site_language_applies_when_the_article_names_none():
    assert mentions("Le maire a parlé hier.", default_lang="fr") == [("hier", "2025-03-11", "day")]
    # the article's own language wins over the site's
    assert mentions("Der Bürgermeister sprach gestern.", lang="de-DE", default_lang="fr") == [
        ("gestern", "2025-03-11", "day")
    ]


def test_publication_date_is_read_in_the_article_language():
    dated = date_article(
        article("Le maire a parlé hier.", published_raw="12 mars 2025", lang="fr"), "UTC", "DMY"
    )
    assert dated.published.date() == date(2025, 3, 12)
    assert dated.diagnostics == []
    assert [(m.text, m.value) for m in dated.mentions] == [("hier", "2025-03-11")]


# --- undated articles ---

UNDATED = ("The council voted on Tuesday.", "The deal was signed on March 12, 2025.")


def test_without_publication_date_relative_mentions_have_no_value():
    dated = date_article(article(*UNDATED, published_raw=None), "UTC", "DMY")
    found = [(m.text, m.value, m.day) for m in dated.mentions]
    assert found == [
        ("Tuesday", None, None),
        ("March 12, 2025", "2025-03-12", date(2025, 3, 12)),
    ]
    assert dated.mentions[0].relative
    assert dated.mentions[0].weekday == 1
    assert dated.published is None
    assert dated.diagnostics == []


@pytest.mark.parametrize(
    "text", ["The deal was signed on March 12, 2025.", "Signed 12 March 2025."]
)
def test_written_date_with_its_year_is_not_relative(text):
    # dates.main_day trusts only non-relative mentions outside the lead of an undated article
    [mention] = date_article(article(text, published_raw=None), "UTC", "DMY").mentions
    assert (mention.value, mention.relative) == ("2025-03-12", False)


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
        ("Tuesday", "2025-03-11"),
        ("March 12, 2025", "2025-03-12"),
    ]


def test_anchor_from_the_event_takes_the_nearest_weekday():
    # the report may come before or after its event's day: Friday 14 March is 2 days from
    # Wednesday 12 March, Friday 7 March is 5 days away
    undated = article("The pier reopened on Friday.", published_raw=None)
    anchored = anchor_article(undated, date(2025, 3, 12), "DMY")
    assert [m.value for m in anchored.mentions] == ["2025-03-14"]
    # a publication date is later than what it reports: the same words point back
    assert mentions("The pier reopened on Friday.") == [("Friday", "2025-03-07", "day")]


# --- robustness: no text makes date reading slow (bench/dates.py times them) ---


# Each adversarial text at about 750 characters and GROWTH times as long: a longer one would meet
# the reader's bounds on attempts and mentions, which cap the work on it.
SMALL_CHARACTERS = 750
SIZES = {
    name: (unit * (SMALL_CHARACTERS // len(unit)), unit * (SMALL_CHARACTERS // len(unit)) * GROWTH)
    for name, (unit, _) in ADVERSARIAL.items()
}


@pytest.mark.parametrize(("small", "large"), SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("read", [read_text, read_article], ids=["text", "article"])
def test_date_reading_does_not_grow_catastrophically_on_any_text(read, small, large):
    assert slowdown(read, small, large) < SLOWDOWN_BOUND


def test_many_mentions_in_one_huge_sentence_stay_cheap(monkeypatch):
    text = "Monday, " * 25_000
    calls = []
    monkeypatch.setattr(
        dates, "sentence_spans", lambda paragraph: calls.append(1) or sentence_spans(paragraph)
    )
    tracemalloc.start()
    try:
        dated = date_article(article(text), "UTC", "DMY")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000  # bytes, for a text of 200 KB
    assert len(calls) == 1, "the paragraph was cut into sentences more than once"
    assert len(dated.mentions) == MAX_MENTIONS
    assert max(len(m.sentence) for m in dated.mentions) <= 2 * SENTENCE_REACH + len("Monday")


@pytest.mark.parametrize(
    "raw",
    [
        "2025-03-12",
        "2025-03-12T14:05:00Z",
        "2025-03-12T14:05:00+02:00",
        "2025-03-12 14:05",
        "12 March 2025",
        "March 12, 2025",
        "5 Mar 2025",
        "Mar 5, 2025",
    ],
)
def test_common_publication_date_forms_read_as_dateparser_reads_them(raw):
    from zoneinfo import ZoneInfo

    from storyline.dates import _parser, parse_published

    zone = ZoneInfo("Europe/Paris")
    expected = _parser("DMY", "en").get_date_data(raw).date_obj
    expected = (
        expected.replace(tzinfo=zone) if expected.tzinfo is None else expected.astimezone(zone)
    )
    assert parse_published(raw, "Europe/Paris", "DMY", "en") == (expected, "day", [])


# --- evaluation/dates.py: errors grouped by what went wrong ---


def test_evaluation_groups_errors_by_class():
    from evaluation.dates import score

    text = "Talks resume Tuesday at 1950 GMT. On Christmas they met; March 3 too, a day later."

    def span(phrase: str, value: str) -> dict:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase), "text": phrase, "value": value}

    gold = [
        {
            "id": "d",
            "text": text,
            "timexes": [
                {**span("Tuesday", "2025-03-18"), "type": "DATE"},
                {**span("Christmas", "2024-12-25"), "type": "DATE"},
                {**span("March 3", "2025-03-03"), "type": "DATE"},
                {**span("a day later", "2025-03-04"), "type": "DATE"},
            ],
        }
    ]
    predicted = {
        "d": [
            span("Tuesday", "2025-03-11"),
            span("1950", "1950"),
            span("March 3", "2024-03-03"),
            span("a day later", "2025-03-13"),
        ]
    }
    errors = score(gold, predicted)["errors"]
    assert list(errors["weekday"]) == ["wrong value 'Tuesday': 2025-03-11 for 2025-03-18"]
    assert list(errors["clock time"]) == ["spurious '1950'"]
    assert list(errors["holiday"]) == ["missed 'Christmas' (2024-12-25)"]
    assert list(errors["yearless date"]) == ["wrong value 'March 3': 2024-03-03 for 2025-03-03"]
    assert list(errors["anchoring chain"]) == [
        "wrong value 'a day later': 2025-03-13 for 2025-03-04"
    ]
    assert not errors["other"]


def test_evaluation_scores_against_the_errata_only_where_they_still_match(tmp_path):
    """The errata correct a gold value that contradicts its document; one that no longer
    matches the gold it names stops the evaluation rather than score against a stale fix."""
    from evaluation.dates import corrected, score

    text = "The council met on Tuesday."
    start = text.index("Tuesday")
    timex = {"start": start, "end": start + 7, "text": "Tuesday", "type": "DATE"}
    gold = [{"id": "d", "text": text, "timexes": [{**timex, "value": "2025-03-04"}]}]
    predicted = {"d": [{**timex, "value": "2025-03-11"}]}
    errata = tmp_path / "errata.yaml"
    errata.write_text(
        f"- {{doc: d, start: {start}, text: Tuesday, given: 2025-03-04, right: 2025-03-11,"
        " why: a week off}\n- {doc: elsewhere, start: 0, text: x, given: '1', right: '2',"
        " why: another corpus}\n",
        encoding="utf-8",
    )
    fixed, count = corrected(gold, errata)
    assert count == 1
    assert score(gold, predicted)["value_f1"] == 0.0
    assert score(fixed, predicted)["value_f1"] == 1.0
    errata.write_text(errata.read_text().replace("given: 2025-03-04", "given: 2025-03-05"))
    with pytest.raises(SystemExit, match="does not match"):
        corrected(gold, errata)
