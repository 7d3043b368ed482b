"""Property tests: the readers, the cleaner, the date reader and slug making take any input,
without catastrophic growth of their time with its size, and keep their promises on it.

Every test runs derandomized and without an example database: CI sees the same examples on
every run, so a newly found failure can never turn a build red at random; the examples that
once failed are kept as @example.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import tempfile
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import get_args
from zoneinfo import ZoneInfo

import pytest
import yaml
from babel.dates import format_date
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bench.hostile import FORMATS, HOSTILE_FILES, HOSTILE_TEXTS, clean_and_date, read_as_files
from storyline.clean import clean_article
from storyline.dates import date_article, mentions_in, parse_published
from storyline.dates.points import DAYS, MONTHS, Point, period
from storyline.events.identity import assign_identity, remembered
from storyline.model import Article, ArticleRecord, Event, Granularity
from storyline.readers import decode, read_content
from storyline.render import date_formatter
from storyline.text import normalised
from tests.conftest import GROWTH, SLOWDOWN_BOUND, slowdown, write_tree

# No deadline: a per-example time limit fails at random on a busy machine. Growth with the size
# of hostile input is tested below, and speed is measured in bench/.
PROPERTY = settings(derandomize=True, database=None, deadline=None)

LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "ru", "zh", "ar")
ANY_LANGUAGE = st.sampled_from((*LANGUAGES, "xx", "english"))  # front matter may say anything
DATE_ORDERS = ("DMY", "MDY", "YMD")
TIMEZONES = ("UTC", "Europe/Berlin", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Niue")


# --- inputs ---

DATE_WORDS = (
    "March", "May", "Sept.", "Tuesday", "Friday's", "yesterday", "tomorrow", "tonight",
    "last week", "next month", "this year", "the quarter", "Q3", "FY24", "fiscal 2025",
    "the 1990s", "'90s", "nineteen ninety-six", "two thousand and one", "early spring",
    "the first half", "the weekend", "recently", "the future", "now", "noon", "3 p.m.",
    "midnight", "yesterday morning", "12 March 2025", "March 12, 2025", "June 24-25",
    "12/03/25", "03/12/2025", "31.12.1999", "2025-03-12", "2025-03-12T14:30", "0000-00-00",
    "9999-12-31", "29 February 2023", "Feb. 30", "in 2019", "since 1888", "$1990",
    "No. 2001", "2000 people", "mars", "lundi", "hier", "demain", "la semaine dernière",
    "Montag", "gestern", "im Mai", "am 12. März", "ayer", "el martes", "en marzo",
    "понедельник", "вчера", "星期一", "昨天", "أمس", "Christmas Eve", "last Easter",
    "next Thanksgiving", "Holy Week", "Easter week", "Semana Santa", "Karwoche", "Feb. 29",
    "29 February", "the 20th century", "the nineties", "year-end", "mid-2019", "the summer",
)  # fmt: skip
UNITS = ("day", "days", "week", "weeks", "month", "months", "year", "years", "decade",
         "decades", "quarter", "quarters")  # fmt: skip
NUMBERS = st.one_of(
    st.integers(0, 999),
    st.sampled_from(("a", "an", "two", "several", "a few", "a couple of", "fifty")),
)
RELATIVE = st.builds(
    "{} {} {}".format,
    NUMBERS,
    st.sampled_from(UNITS),
    st.sampled_from(("ago", "earlier", "later", "from now", "hence", "before.", "after,")),
)
HUGE_YEARS = st.integers(-(10**12), 10**12).map(str)
GLUE = st.sampled_from((" ", "  ", "\n", "\n\n", ". ", ", ", " in ", " on ", " will ", " was "))
# Text that is mostly words a date reader looks at, with anything at all between them.
DATE_TEXT = st.lists(
    st.one_of(st.sampled_from(DATE_WORDS), RELATIVE, HUGE_YEARS, GLUE, st.text(max_size=12)),
    max_size=30,
).map("".join)
ANY_DAY = st.dates()  # years 1 to 9999: the calendar's ends are where date arithmetic breaks


# --- readers ---

# Any text a UTF-8 text file can hold; NUL marks a binary file, which the first test covers.
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
META_KEYS = ("title", "source", "author", "date", "published", "url", "lang", "tags", "event",
             "draft")  # fmt: skip
YAML_LINES = (
    "title: !!python/object/apply:os.system [ls]", "date: 2025-13-45", "date: 2025-03-12",
    "date: 2025-03-12 25:61:00", "published: 1e400", "tags: 5", "tags: a, b,, c",
    "draft: yes", "draft: [true]", "lang: english", "a: &a [*a]", "title: *missing",
    "title: ? complex\n  : key", "{", "- a list", "'unclosed", "%YAML 9.9", "...", "---",
    "title: |\n  block\n  text", "title:\t tab", "title: @reserved",
)  # fmt: skip
FRONT_MATTER = st.lists(
    st.one_of(
        st.sampled_from(YAML_LINES),
        st.builds("{}: {}".format, st.sampled_from(META_KEYS), st.text(max_size=20)),
        st.text(max_size=20),
    ),
    max_size=6,
).map("\n".join)
RECORDS = st.dictionaries(st.sampled_from((*META_KEYS, "id", "text")), JSON_VALUES)
FILE_TEXT = st.one_of(
    st.text(),
    st.builds("---\n{}\n---\n{}".format, FRONT_MATTER, st.text()),
    # front matter of any values, under the keys a reader looks at
    st.builds(
        lambda meta, body: f"---\n{json.dumps(meta)}\n---\n{body}",
        st.dictionaries(st.sampled_from(META_KEYS), JSON_VALUES),
        st.text(),
    ),
    # JSON Lines of any records, and lines that are no JSON
    st.lists(st.one_of(RECORDS.map(json.dumps), st.text()), max_size=5).map("\n".join),
)
FILE_BYTES = st.one_of(
    st.binary(),
    st.tuples(FILE_TEXT, st.sampled_from(("utf-8", "utf-8-sig", "utf-16"))).map(
        lambda pair: pair[0].encode(pair[1], errors="surrogatepass")  # lone surrogates too
    ),
)


def read_files(files: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as folder:
        return read_content(write_tree(Path(folder), files), include_drafts=True)


@settings(PROPERTY, max_examples=150)
@given(data=FILE_BYTES, suffix=st.sampled_from(FORMATS))
@example(b"\xef\xbb\xbf", ".jsonl")  # a byte order mark and nothing else
def test_any_file_is_read_or_reported(data, suffix):
    name = f"article{suffix}"
    corpus = read_files({name: data})
    articles = [a for a in corpus.articles if a.path.split(":")[0] == name]
    reported = [d for d in corpus.diagnostics if d.path.split(":")[0] == name]
    text = decode(data, name, [])
    blank = text is not None and not text.strip()
    assert articles or reported or blank, "a file with something in it vanished without a word"
    for article in articles:
        assert article.body.strip(), "an article without text was kept"
    if suffix != ".jsonl":
        assert len(articles) <= 1


# YAML reads U+0085 as a line break, which it folds into a space, whoever wrote it.
YAML_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00\x85"), min_size=1
).filter(str.strip)


@settings(PROPERTY, max_examples=60)
@given(
    title=YAML_TEXT,
    source=YAML_TEXT,
    tags=st.lists(YAML_TEXT, max_size=4),
    day=st.dates(),
    body=TEXT.filter(str.strip),
    encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-be")),
)
def test_front_matter_comes_back_as_written(title, source, tags, day, body, encoding):
    meta = {"title": title, "source": source, "tags": tags, "date": day}
    text = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    corpus = read_files({"a.md": data})
    assert [d.message for d in corpus.diagnostics] == []
    (article,) = corpus.articles
    assert article.title == title.strip()
    assert article.source == source.strip()
    assert article.tags == [t.strip() for t in tags]
    assert article.published_raw == day.isoformat()
    assert article.body.split() == body.split()


RECORD_TEXT = TEXT.filter(str.strip)
# JSON Lines end at "\n" only, but the reader also ends them at these, which json.dumps(...,
# ensure_ascii=False) leaves as they are (they can only stand in strings): written escaped.
LINE_BREAKS_INSIDE_JSON = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


@settings(PROPERTY, max_examples=60)
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {"id": RECORD_TEXT, "text": RECORD_TEXT},
            optional={"title": RECORD_TEXT, "source": RECORD_TEXT, "extra": JSON_VALUES},
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda r: r["id"],
    ),
    ascii_only=st.booleans(),
)
def test_json_lines_come_back_one_article_a_line(records, ascii_only):
    lines = "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records)
    lines = lines.translate(LINE_BREAKS_INSIDE_JSON)
    corpus = read_files({"feed.jsonl": lines.encode()})
    assert [d.message for d in corpus.diagnostics] == []
    assert [(a.id, a.body, a.title) for a in corpus.articles] == [
        (r["id"], r["text"], r["title"].strip() if "title" in r else None) for r in records
    ]
    assert [a.path for a in corpus.articles] == [
        f"feed.jsonl:{n}" for n in range(1, len(records) + 1)
    ]


@settings(PROPERTY, max_examples=60)
@given(text=TEXT)
def test_plain_text_loses_no_words(text):
    corpus = read_files({"a.txt": text.encode()})
    if not corpus.articles:  # nothing, or a headline alone
        assert not text.strip() or corpus.diagnostics
        return
    (article,) = corpus.articles
    assert f"{article.title or ''} {article.body}".split() == text.split()


# --- cleaner ---

NEWS_LINES = (
    "By Jo Reed, Bay Post", "By Anadolu staff", "BERLIN (AA) - Talks began.",
    "SALTMERE, March 3 (Reuters) — The pier reopened.", "Published: August 7, 2012",
    "UPDATED 05/03/2013 11:00 AM EDT", "We use cookies. By continuing you agree to our use.",
    "Choose your language", "Reader hotline: +44 (0)20 1234 5678", "Share this",
    "Jo Reed contributed reporting for the Bay Post.", "Related:", "Read more",
    "Workers lay the deck on the pier, March 10, 2025. /Coast Photo",
    "A boat at the pier (AP Photo/Jo Li)", "• Home • News • Sport", "The talks ended.Officials",
    "# Heading", "> quoted", "- item", "1. item", "**bold** and _it_", "[link](http://x)",
    "<b>tag</b>", "&amp; &lt;", "```", "    code", "---", "| a | b |",
)  # fmt: skip
ARTICLE_TEXT = st.lists(
    st.one_of(st.sampled_from(NEWS_LINES), st.text(max_size=60), GLUE), max_size=25
).map("".join)


@settings(PROPERTY, max_examples=200)
@given(
    body=ARTICLE_TEXT,
    title=st.none() | st.text(max_size=40) | st.sampled_from(NEWS_LINES),
    markdown=st.booleans(),
)
@example("- " * 1_000 + "x", None, True)  # Python-Markdown overflowed the stack
def test_cleaning_gives_plain_paragraphs_of_the_article(body, title, markdown):
    article = Article(
        id="a", path="a", body=body, format="markdown" if markdown else "text", title=title
    )
    cleaned = clean_article(article)
    for paragraph in cleaned.paragraphs:
        assert paragraph and paragraph == " ".join(paragraph.split()), "not one clean line"
    if not markdown:  # Markdown gives the text it renders to; plain text is kept as written
        lines = [" ".join(line.split()) for line in body.splitlines()]
        for paragraph in cleaned.paragraphs:
            assert any(paragraph in line for line in lines), "the cleaner invented text"
    forms = [normalised(p) for p in cleaned.paragraphs]
    assert len(set(forms)) == len(forms), "a repeated paragraph was kept"
    if cleaned.title:
        assert normalised(cleaned.title) not in forms, "the headline was kept as a paragraph"


# --- date reader ---


@settings(PROPERTY, max_examples=300)
@given(
    text=DATE_TEXT,
    anchor=st.none() | ANY_DAY,
    lang=ANY_LANGUAGE,
    order=st.sampled_from(DATE_ORDERS),
    nearest=st.booleans(),
)
@example("It happened 999 decades ago.", date(2025, 3, 12), "en", "DMY", False)
@example("tomorrow, next year, in March", date.max, "en", "DMY", False)
@example("yesterday, last year, the 1990s", date.min, "en", "DMY", True)
@example("Holy Week, last Easter week, Friday, Feb. 29", date.max, "en", "DMY", False)
@example("next Holy Week, Christmas Eve, Sunday, 29 February", date.min, "en", "DMY", False)
@example("la Semana Santa, el martes, el 29 de febrero", date.max, "es", "DMY", True)
def test_date_mentions_are_found_in_order_in_any_text(text, anchor, lang, order, nearest):
    tagged = mentions_in(text, anchor, lang, order, nearest)
    end = 0
    for found in tagged.mentions:
        assert end <= found.start < found.end <= len(text), "mentions overlap or are out of order"
        assert found.text == text[found.start : found.end]
        end = found.end
        if found.point is not None and found.point.start is not None:
            assert found.point.value, "a resolved date without its TimeML value"
            assert aligned(found.point), f"{found.point} is not the start of its period"


def aligned(point: Point) -> bool:
    return period(point.gran, point.start, point.extra) == point


# The TimeML value of each granularity.
TIMEML_VALUES = {
    "time": r"\d{4}-\d\d-\d\dT(?:[01]\d:[0-5]\d|2[0-3]:[0-5]\d|MO|AF|EV|NI)",
    "day": r"\d{4}-\d\d-\d\d",
    "week": r"\d{4}-W(?:0[1-9]|[1-4]\d|5[0-3])",
    "weekend": r"\d{4}-W(?:0[1-9]|[1-4]\d|5[0-3])-WE",
    "month": r"\d{4}-(?:0[1-9]|1[0-2])",
    "season": r"\d{4}-(?:SP|SU|FA|WI)",
    "quarter": r"\d{4}-Q[1-4]",
    "half": r"\d{4}-H[12]",
    "year": r"\d{4}",
    "decade": r"\d{3}",
    "century": r"\d{2}",
    "ref": r"PRESENT_REF|PAST_REF|FUTURE_REF",
}
GRANULARITIES = get_args(Granularity)  # every precision the date reader gives a mention
SHIFT_UNITS = sorted(DAYS | MONTHS)


def test_every_granularity_has_its_timeml_form():
    assert set(TIMEML_VALUES) == set(GRANULARITIES)


@settings(PROPERTY, max_examples=500)
@given(
    gran=st.sampled_from(GRANULARITIES),
    day=ANY_DAY,
    time=st.sampled_from(("14:30", "00:00", "MO", "NI")),
    amount=st.integers(-9, 9),
    unit=st.sampled_from(SHIFT_UNITS),
)
@example("half", date(2010, 1, 1), "", 5, "month")  # "five months later": was half of June
@example("season", date(2010, 6, 1), "", 4, "month")  # "four months later": season of October
def test_a_shifted_date_is_aligned_to_its_period_with_a_timeml_value(gran, day, time, amount, unit):
    try:
        point = Point(gran, None, "PAST_REF") if gran == "ref" else period(gran, day, time)
        shifted = point.shift(amount, unit)
    except (OverflowError, ValueError):  # beyond the calendar's years 1 to 9999
        assume(False)
    assert shifted.gran in (gran, unit), "a shift made up a precision"
    if shifted.start is not None:
        assert aligned(shifted), f"{point} shifted by {amount} {unit} is {shifted}"
    assert re.fullmatch(TIMEML_VALUES[shifted.gran], shifted.value), shifted


@settings(PROPERTY, max_examples=40)
@given(year=st.integers(1, 9999), language=st.sampled_from((*LANGUAGES, "en-US", "xx")))
@example(2010, "en")
@example(9999, "en")  # the last day the calendar has
def test_every_day_is_shown_at_every_precision(year, language):
    formatted = date_formatter(language)
    first = date(year, 1, 1)
    for day in (first + timedelta(days=n) for n in range((date(year, 12, 31) - first).days + 1)):
        for precision in GRANULARITIES:
            assert formatted(day, precision).strip(), f"{day} at {precision} shows nothing"


MONTHS = ("January February March April May June July August September October November "
          "December").split()  # fmt: skip
WRITTEN_FORMS = (
    lambda d: d.isoformat(),
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d:%A}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d:%A} {d.day} {MONTHS[d.month - 1]} {d.year}",
)
NEWS_YEARS = st.dates(date(1800, 1, 1), date(2099, 12, 31))  # the years the tagger reads


@settings(PROPERTY, max_examples=100)
@given(
    day=NEWS_YEARS,
    form=st.sampled_from(WRITTEN_FORMS),
    anchor=st.none() | NEWS_YEARS,
    before=st.sampled_from(("It happened on ", "The talks of ", "", "On Monday, and on ")),
    after=st.sampled_from((".", ", officials said.", " and again later.", "")),
)
def test_a_date_written_in_full_is_read_as_that_day(day, form, anchor, before, after):
    text = f"{before}{form(day)}{after}"
    values = [f.point.value for f in mentions_in(text, anchor).mentions if f.point]
    assert day.isoformat() in values


PUBLISHED_RAW = st.one_of(
    st.text(max_size=40),
    DATE_TEXT,
    HUGE_YEARS,
    st.builds("{}-{:02d}-{:02d}".format, st.integers(0, 99999), st.integers(0, 13),
              st.integers(0, 32)),
    st.builds(
        "{}T{}{}".format,
        ANY_DAY.map(date.isoformat),
        st.times().map(lambda t: t.isoformat(timespec="minutes")),
        st.sampled_from(("", "Z", "+14:00", "-12:00", "+05:30")),
    ),
    st.builds("{} {} {}".format, st.integers(-99, 99), st.sampled_from(MONTHS), HUGE_YEARS),
)  # fmt: skip


@settings(PROPERTY, max_examples=300)
@given(
    raw=PUBLISHED_RAW,
    zone=st.sampled_from(TIMEZONES),
    order=st.sampled_from(DATE_ORDERS),
    lang=st.none() | ANY_LANGUAGE,
)
@example("0001-01-01T00:00+05:00", "UTC", "DMY", None)
@example("9999-12-31T23:00-05:00", "UTC", "DMY", None)
@example("12 mars 2025", "UTC", "DMY", "english")  # a language dateparser does not know
def test_a_publication_date_is_read_or_reported(raw, zone, order, lang):
    published, precision, problems = parse_published(raw, zone, order, lang)
    if published is None:
        assert precision is None and problems, "an unread date must say so"
    else:
        assert published.tzinfo == ZoneInfo(zone), "not in the site's timezone"
        assert precision in ("day", "month", "year")


LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "tr", "pl")
# Offsets of the present day, odd ones too (+05:45, -03:30, +14:00); dateparser knows no
# rarer ones such as Eucla's +08:45 or Chatham's +13:45.
WORLD_ZONES = ("UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Asia/Kathmandu",
               "America/St_Johns", "Pacific/Kiritimati", "Pacific/Niue")  # fmt: skip


@settings(PROPERTY, max_examples=100)
@given(
    moment=st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)),  # present-day offsets
    zone=st.sampled_from(WORLD_ZONES).map(ZoneInfo),
    form=st.sampled_from(("iso", "iso-date", "rfc", "full", "long", "medium")),
    locale=st.sampled_from(LOCALES),
    order=st.sampled_from(DATE_ORDERS),
)
@example(datetime(2000, 9, 13), ZoneInfo("UTC"), "medium", "it", "DMY")  # "13 set 2000"
@example(datetime(2000, 3, 9), ZoneInfo("UTC"), "long", "tr", "DMY")  # "9 Mart 2000"
def test_publication_dates_in_many_formats_and_languages(moment, zone, form, locale, order):
    moment = moment.replace(tzinfo=zone)
    if form == "iso":
        raw, lang = moment.isoformat(), None
    elif form == "iso-date":
        raw, lang = moment.date().isoformat(), None
    elif form == "rfc":
        raw, lang = moment.strftime("%a, %d %b %Y %H:%M:%S %z"), "en"
    else:
        raw, lang = format_date(moment.date(), format=form, locale=locale), locale
        if not re.search(r"[^\W\d_]", raw):  # "02.01.2000" is read by dates.order, and
            order = "DMY"  # these locales write the day first
    published, precision, _ = parse_published(raw, "UTC", order, lang)
    assert precision == "day", f"{raw!r} was not read"
    expected = moment.astimezone(ZoneInfo("UTC")) if form in ("iso", "rfc") else moment
    assert published.date() == expected.date(), f"{raw!r} was misread"


@settings(PROPERTY, max_examples=150)
@given(
    paragraphs=st.lists(DATE_TEXT.filter(str.strip), max_size=4),
    captions=st.lists(DATE_TEXT.filter(str.strip), max_size=2),
    published_raw=st.none() | PUBLISHED_RAW,
    lang=st.none() | ANY_LANGUAGE,
)
@example(["It will end tomorrow, next year or in two decades."], [], "9999-12-31", None)
@example([], ["March", "12/03/25"], None, None)
@example(["The pier reopened in March", "12 boats moored there."], [], "2025-03-12", "en")
@example(["Das Treffen fand am 12. März 2025 statt."], [], "2025-03-14", "de")
@example([], [":Feb. 30"], None, None)
def test_each_mention_lies_in_one_paragraph_or_caption(paragraphs, captions, published_raw, lang):
    article = Article(
        id="a",
        path="a.md",
        body="\n\n".join(paragraphs),
        format="text",
        published_raw=published_raw,
        lang=lang,
        paragraphs=paragraphs,
        captions=captions,
    )
    dated = date_article(article, "UTC", "DMY")
    for mention in dated.mentions:
        assert -1 <= mention.paragraph < len(paragraphs)
        blocks = captions if mention.paragraph == -1 else [paragraphs[mention.paragraph]]
        assert any(mention.text in block for block in blocks), "a mention runs across blocks"
        assert mention.text in mention.sentence, "the sentence shown lacks the date"


# --- slugs ---

SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # never "", ".", ".." nor "-x" or "x-"
SLUG_LENGTH_MAX = 80  # 72 for the date and title, and room for "-2", "-3", ...
TITLES = st.one_of(
    st.text(max_size=200),
    st.sampled_from(("Ministers meet in Paris", "L'été à Paris", "Берлин", "東京", "", "-", "..")),
)


def event(title: str, day: date | None, article_ids: list[str]) -> Event:
    """An event as the describe stage makes it, before its identity is given."""
    return Event(
        id=hashlib.sha1(article_ids[0].encode()).hexdigest()[:10],
        slug="",
        title=title,
        date=day,
        date_precision="day" if day else None,
        place=None,
        summary="",
        articles=[
            ArticleRecord.of(Article(id=i, path=f"{i}.md", body="text", format="markdown"))
            for i in article_ids
        ],
    )


@st.composite
def builds(draw, article_ids: list[str] | None = None) -> list[Event]:
    """Events of one build: `article_ids` (or new ones) split into events of 1 to 3 articles,
    each with a title and a date drawn anew."""
    if article_ids is None:
        article_ids = draw(st.lists(st.text(min_size=1, max_size=8), max_size=12, unique=True))
    article_ids = list(draw(st.permutations(article_ids)))
    events = []
    while article_ids:
        size = draw(st.integers(1, min(3, len(article_ids))))
        group, article_ids = article_ids[:size], article_ids[size:]
        events.append(event(draw(TITLES), draw(st.none() | ANY_DAY), group))
    return events


def assert_safe_and_unique(events: list[Event], redirects: dict[str, str]) -> None:
    for e in events:
        assert SAFE_SLUG.fullmatch(e.slug), f"unsafe slug {e.slug!r}"
        assert len(e.slug) <= SLUG_LENGTH_MAX
    slugs = {e.slug for e in events}
    assert len(slugs) == len(events), "two events share a URL"
    assert len({e.id for e in events}) == len(events), "two events share an id"
    assert not set(redirects) & slugs, "a redirect would overwrite an event's page"
    assert set(redirects.values()) <= {e.id for e in events}, "a redirect leads nowhere"


def copies(events: list[Event]) -> list[Event]:
    """The same events as the next build describes them: without their identity."""
    return [event(e.title, e.date, [a.id for a in e.articles]) for e in events]


@settings(PROPERTY, max_examples=150)
@given(first=builds(), data=st.data())
def test_slugs_are_safe_unique_and_stable(first, data):
    redirects = assign_identity(first, None)
    assert_safe_and_unique(first, redirects)
    previous = json.loads(json.dumps(remembered(first, redirects)))  # as digest.json keeps it

    again = data.draw(st.permutations(copies(first)))
    assert assign_identity(again, previous) == {}
    assert {e.articles[0].id: (e.id, e.slug) for e in again} == {
        e.articles[0].id: (e.id, e.slug) for e in first
    }, "the same events got new URLs"

    # the next build: the same articles grouped anew, new ones, new titles and dates
    old_ids = [a.id for e in first for a in e.articles]
    new_ids = data.draw(st.lists(st.text(min_size=9, max_size=12), max_size=4, unique=True))
    second = data.draw(builds(old_ids + new_ids))
    redirects = assign_identity(second, previous)
    assert_safe_and_unique(second, redirects)
    live = {e.slug for e in second}
    for old in first:
        assert old.slug in live or old.slug in redirects, f"the URL of {old.slug!r} broke"
    slug_of = {frozenset(a.id for a in e.articles): e.slug for e in second}
    for old in first:
        if (slug := slug_of.get(frozenset(a.id for a in old.articles))) is not None:
            assert slug == old.slug, "an event with the same articles moved"


# --- hostile inputs: none grows catastrophically with its size (bench/hostile.py times them) ---

SMALL, LARGE = 1 / (4 * GROWTH), 1 / 4  # shares of the megabyte bench/hostile.py times


@pytest.mark.parametrize("make", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_hostile_text_is_cleaned_and_dated_without_catastrophic_growth(make):
    assert parse_published(make(LARGE), "UTC", "DMY")[0] is None
    assert slowdown(clean_and_date, make(SMALL), make(LARGE)) < SLOWDOWN_BOUND


@pytest.mark.parametrize("make", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_hostile_files_are_read_without_catastrophic_growth(tmp_path, make):
    for share in (SMALL, LARGE):
        read = read_as_files(tmp_path, make(share))
        for suffix in FORMATS:
            assert any(item.path.split(":")[0] == f"a{suffix}" for item in read)
    assert slowdown(partial(read_as_files, tmp_path), make(SMALL), make(LARGE)) < SLOWDOWN_BOUND


def namesakes(count: int) -> list[Event]:
    """An event with a title of `count` half kilobytes, and `count` events of the same title and
    day."""
    events = [event("a" * 500 * count, None, ["long"])]
    return events + [event("Update", date(2025, 3, 12), [f"a{i}"]) for i in range(count)]


def test_slugs_are_made_for_a_huge_title_and_many_namesakes_without_catastrophic_growth():
    events = namesakes(2_000)
    assert_safe_and_unique(events, assign_identity(events, None))
    small, large = 2_000 // GROWTH, 2_000
    assert slowdown(lambda n: assign_identity(namesakes(n), None), small, large) < SLOWDOWN_BOUND
