"""The data that flows between the stages. Stages take and return these; nothing else is shared."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit

from .text import is_web_url, normalised

Precision = Literal["day", "month", "year"]
EXCERPT_WORDS = 60  # of an article's text, in the search index
LABEL_WORDS = 3  # of its headline, in the label of an article without an outlet
HEADLINE_WORDS = 12  # of its opening, naming an article without a title in a list
# How precise a mentioned date is, finest first; "ref" is PRESENT_REF, PAST_REF or FUTURE_REF.
Granularity = Literal[
    "time",
    "day",
    "week",
    "weekend",
    "month",
    "season",
    "quarter",
    "half",
    "year",
    "decade",
    "century",
    "ref",
]


@dataclass(frozen=True)
class Diagnostic:
    """A problem with one input file, printed Hugo-style as `path:line:col: message`."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass
class Article:
    """One news article. The reader fills the metadata; later stages fill the rest."""

    id: str
    path: str  # relative to the content folder, with `:LINE` for JSON Lines, `#ENTRY` for feeds
    body: str  # as written: Markdown for .md, plain text otherwise
    format: Literal["markdown", "text", "jsonl", "html", "feed"]
    title: str | None = None
    source: str | None = None
    author: str | None = None
    published_raw: str | None = None
    url: str | None = None
    lang: str | None = None
    tags: list[str] = field(default_factory=list)
    event_key: str | None = None
    draft: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # clean
    paragraphs: list[str] = field(default_factory=list)
    # each paragraph's words as compared for sameness (text.normalised), found once by the
    # cleaning (for the repeats it removes) and read by describing, comparing and the pages
    normalised: list[str] = field(default_factory=list)
    captions: list[str] = field(
        default_factory=list
    )  # removed photo captions, kept for dates/places
    place: str | None = None
    # its Markdown as HTML, not yet sanitised: rendered once, for the cleaning and the page;
    # None for a text without markup (or whose Markdown could not be rendered)
    markdown_html: str | None = None
    names: list[str] = field(default_factory=list)  # people, organisations, places, as written
    boilerplate_removed: int = 0  # lines of web boilerplate the cleaning removed
    repeats_removed: int = 0  # paragraphs repeated within the article that it removed
    words_raw: int = 0
    words_clean: int = 0
    # dates
    published: datetime | None = None
    published_precision: Precision | None = None
    mentions: list[Mention] = field(default_factory=list)
    day: date | None = None  # the day of its own happening, as far as it says (dates.main_day)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def normalised_words(self) -> list[str]:
        """The words of its text as compared for sameness, `normalised(text).split()`: as the
        cleaning found them, or found here for an article the cleaning did not make."""
        found = len(self.normalised) == len(self.paragraphs)
        return " ".join(self.normalised if found else map(normalised, self.paragraphs)).split()


@dataclass(frozen=True)
class ArticleRecord:
    """What the building process keeps of an analysed article: what grouping, the timeline,
    the listing pages and digest.json read, without its text. The analysed article itself
    stays in the build's store and travels only inside the tasks that need its text."""

    id: str
    path: str
    title: str | None
    source: str | None
    author: str | None
    url: str | None
    published: datetime | None
    published_precision: Precision | None
    place: str | None
    words_raw: int
    words_clean: int
    diagnostics: list[Diagnostic]
    event_key: str | None
    day: date | None  # the day of its own happening, as far as it says (dates.main_day)
    excerpt: str  # its first EXCERPT_WORDS words, for the search index
    tags: list[str] = field(default_factory=list)  # from its front matter, for the tag pages
    # its name on every page, table, list, note, feed and search result: its outlet, else a
    # letter within its event and its headline (`outlet_labels`, set where the event is
    # described; empty before)
    label: str = ""

    @property
    def headline(self) -> str:
        """Its title, else its opening words: what a list names it by, never its file id."""
        opening = self.excerpt.split()
        cut = "…" if len(opening) > HEADLINE_WORDS else ""
        return self.title or " ".join(opening[:HEADLINE_WORDS]) + cut or "Untitled article"

    @classmethod
    def of(cls, article: Article, label: str = "") -> ArticleRecord:
        return cls(
            id=article.id,
            path=article.path,
            title=article.title,
            source=article.source,
            author=article.author,
            url=article.url,
            published=article.published,
            published_precision=article.published_precision,
            place=article.place,
            words_raw=article.words_raw,
            words_clean=article.words_clean,
            diagnostics=article.diagnostics,
            event_key=article.event_key,
            day=article.day,
            excerpt=" ".join(article.text.split()[:EXCERPT_WORDS]),
            tags=article.tags,
            label=label,
        )


@dataclass(frozen=True)
class Mention:
    """A date mentioned in an article's text (or a removed caption)."""

    text: str  # the words as written, e.g. "on Tuesday"
    sentence: str
    paragraph: int  # index into Article.paragraphs; -1 for a caption
    value: (
        str | None
    )  # TimeML: "2025-03-12", "2025-W11", "2025-Q1", "PRESENT_REF"; None: unresolved
    day: date | None  # the first day of the period the value stands for
    precision: Granularity | None
    relative: bool  # needs an anchor date to resolve ("Tuesday", "March 12", "last month")
    weekday: int | None = None  # the weekday it names, Monday = 0, even while unresolved


@dataclass
class Group:
    """Articles found to report one happening, before it is described."""

    articles: list[Article]


@dataclass(frozen=True)
class QuoteVariant:
    text: str
    articles: list[str]
    kind: Literal["original", "verbatim", "reworded", "partial"] = "original"
    diff: list[tuple[str, str]] = field(default_factory=list)  # (op, words) against the first


@dataclass(frozen=True)
class Quote:
    speaker: str | None
    text: str
    articles: list[str]
    variants: list[QuoteVariant]
    conflicts: list[str] = field(default_factory=list)  # what the outlets disagree on
    # the one outlet that carries it as a direct quote, when the event has several outlets: a
    # fact about coverage, not a conflict
    only_in: str | None = None


@dataclass(frozen=True)
class Fact:
    """One statement as one or more outlets report it."""

    text: str
    articles: list[str]
    unique: bool  # one outlet alone reports it
    sentences: dict[str, str] = field(default_factory=dict)  # article id -> its wording
    # in a shared fact, the amounts and names one outlet alone gives ("33 countries")
    details: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Value:
    value: str
    articles: list[str]
    written: list[str] = field(default_factory=list)  # the outlets' own words, where they differ


@dataclass(frozen=True)
class Discrepancy:
    """A fact whose outlets give different amounts, dates or places."""

    fact: str
    values: list[Value]
    kind: Literal["amount", "date", "place"] = "amount"


@dataclass(frozen=True)
class Wording:
    """A shared fact worded differently: the words each outlet chose at one place in it."""

    fact: str
    choices: list[Value]  # the first is the wording of the fact's first article


@dataclass(frozen=True)
class Quality:
    """What a reader should know about one article's text."""

    article: str
    boilerplate_removed: int
    repeats_removed: int
    truncated: bool  # it stops mid-sentence
    quotation_share: float  # of its cleaned words, those inside quotation marks
    machine_rewrite_of: str | None = None  # the article it follows with swapped synonyms


@dataclass(frozen=True)
class Rewrite:
    """One article that follows another sentence by sentence: a rewrite or a syndicated copy."""

    article: str  # the one that most likely came second
    of: str  # the one it most likely follows
    similarity: float  # share of sentences aligned (of the article that has more aligned)
    verbatim_share: float  # share of the article's word triples found word for word in `of`
    shared_quotes: list[str]  # direct quotes the two carry in the same words
    first_by_time: str | None  # the one published first, when both times tell
    first_by_details: str | None  # the one holding more details the other lacks
    details: dict[str, int]  # article id -> its sentences the other has no counterpart for
    # its own sentences (quotes and documents' words left out), each with its counterpart in `of`
    aligned: list[tuple[str, str]] = field(default_factory=list)
    swapped_share: float = 0.0  # of the aligned sentences' words, those swapped one for one


@dataclass(frozen=True)
class Copies:
    """One text that several articles run near word for word, as sites run an agency's story:
    compared once, through its earliest article; the copies carry what it carries."""

    of: str  # the representative: the earliest article of the text
    articles: list[str]  # the copies, in the event's order
    identical: dict[str, float]  # copy -> share of its word 5-grams found in `of`


@dataclass(frozen=True)
class TimelineMention:
    date: date  # the first day of the period
    precision: Granularity
    value: str  # TimeML
    text: str
    articles: list[str]


@dataclass(frozen=True)
class DayEvidence:
    """One article's word on one day: published on it (`reported`), or naming it, in its
    paragraph `paragraph` (-1: a caption), in `sentence`."""

    date: date
    article: str
    reported: bool
    paragraph: int
    sentence: str


@dataclass(frozen=True)
class KeyDate:
    """A day of the story, as salient as its evidence makes it: what happened (`sentence`),
    the articles that report or name it, and the event of that day, if it has one."""

    date: date
    precision: Precision
    score: float
    sentence: str
    articles: list[str]
    event: str | None  # id


@dataclass(frozen=True)
class SourceEntry:
    """One article as the comparison page lists it."""

    article: str
    source: str | None
    published: datetime | None
    words_raw: int
    words_clean: int


def outlet_of(article: Article | ArticleRecord) -> str | None:
    """The article's outlet: its `source`, else the web domain of its `url` ("example.org")."""
    if article.source:
        return article.source
    if is_web_url(article.url) and (host := urlsplit(article.url or "").hostname):
        return host.removeprefix("www.")
    return None


def outlet_labels(articles: Sequence[Article | ArticleRecord]) -> dict[str, str]:
    """Each article's outlet as an event's pages name it, by article id: its outlet, else a
    letter in the event's order with the first words of its headline (or of its text), "B ·
    Europe Unites for…", so that every table, list and note tells the articles apart alike."""
    labels: dict[str, str] = {}
    unnamed = 0
    for article in articles:
        label = outlet_of(article)
        if label is None:
            letter = _letters(unnamed)
            unnamed += 1
            opening = article.title or (
                article.excerpt if isinstance(article, ArticleRecord) else article.text
            )
            head = opening.split()[:LABEL_WORDS]
            cut = "…" if len(opening.split()) > LABEL_WORDS else ""
            label = f"{letter} · {' '.join(head)}{cut}" if head else f"Article {letter}"
        labels[article.id] = label
    return labels


def _letters(n: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA", as spreadsheet columns are named."""
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def outlet_key(article: Article | ArticleRecord) -> str:
    """What tells outlets apart: the outlet, or for an article of unknown outlet the article
    itself (two such articles may share a label, "A · Live updates…", in different events)."""
    return outlet_of(article) or f"article {article.id}"


def count_outlets(articles: Iterable[Article | ArticleRecord]) -> int:
    """Distinct outlets, an article of unknown outlet counting as an outlet of its own."""
    return len({outlet_key(a) for a in articles})


@dataclass(frozen=True)
class DateReport:
    """One date an event was reported as happening on, and the articles that say so."""

    date: date
    articles: list[str]


@dataclass
class Event:
    """A happening as the building process holds it: its description and its articles'
    records, never their texts nor what comparing them found. Those stay in the build's store
    (see `Held`); an `EventReport` holds the three together where an event's pages are made."""

    id: str
    slug: str
    title: str
    date: date | None
    date_precision: Precision | None
    place: str | None
    summary: str
    articles: list[ArticleRecord]
    mentions: list[TimelineMention] = field(default_factory=list)
    date_reports: list[DateReport] = field(default_factory=list)  # most reported first
    date_end: date | None = None  # the last day of a happening that lasts several days
    people: list[str] = field(default_factory=list)  # the names its articles mention most
    importance: float = 0.0  # its day's evidence (events.salience.rank_events)
    storyline: str | None = None  # id of the Storyline it belongs to
    evidence: list[DayEvidence] = field(default_factory=list)  # its articles' days, for salience
    # a hash of what describing and comparing made the event from, when the build keeps one;
    # the fields set after them (id, slug, storyline, mentions) are not in it
    fingerprint: str = ""

    @property
    def sources(self) -> list[str]:
        """Its articles' outlets as every page names them (`ArticleRecord.label`): by name,
        web domain, or for an article without either, its letter and headline."""
        return sorted({a.label for a in self.articles})

    @property
    def outlet_count(self) -> int:
        """How many outlets reported it, as every page and the timeline count them."""
        return count_outlets(self.articles)


@dataclass(frozen=True)
class Findings:
    """What the compare stage finds among one event's articles."""

    coverage: list[SourceEntry]
    quotes: list[Quote]
    rewrites: list[Rewrite]
    copies: list[Copies]  # wire copies, compared as one article
    facts: list[Fact]
    discrepancies: list[Discrepancy]
    quality: list[Quality]
    first_reported: list[str]  # earliest articles, when times tell
    wordings: list[Wording]
    failed: str | None = None  # why its sources could not be compared; then only coverage


@dataclass(frozen=True)
class EventReport:
    """An event whole, as its pages show it: the event, its analysed articles in its order,
    and what comparing them found."""

    event: Event
    articles: list[Article]
    findings: Findings


@dataclass(frozen=True)
class Held:
    """What an event's pages are made from besides its Event, as the build's store keeps it:
    the comparison's findings and the analysed articles, pickled. They travel as they are
    and are unpickled only where they are used."""

    findings: bytes  # the event's Findings
    articles: tuple[bytes, ...]  # in the event's order; empty where only findings are wanted

    def findings_of(self) -> Findings:
        return pickle.loads(self.findings)

    def whole(self, event: Event) -> EventReport:
        """The event with its articles and findings."""
        articles = [pickle.loads(a) for a in self.articles]
        return EventReport(event, articles, self.findings_of())


# an event's Held from the build's store, its articles' texts too when asked (`True`)
Holder = Callable[["Event", bool], Held]


@dataclass(frozen=True)
class Terms:
    """An event's words (its title's twice) and names, counted where its texts are: what
    storylines compare events by."""

    words: dict[str, int]
    names: dict[str, int]


@dataclass(frozen=True)
class Storyline:
    """Events of one running story, at different times, oldest first."""

    id: str
    title: str
    events: list[str]


@dataclass
class Digest:
    """Everything the site shows."""

    events: list[Event]
    articles: list[ArticleRecord]
    diagnostics: list[Diagnostic]
    skipped: list[str]  # files of no known format
    drafts: int = 0  # draft articles left out
    timeline: list[TimelineMention] = field(default_factory=list)  # merged across events
    key_dates: list[KeyDate] = field(default_factory=list)  # every day of the story, best first
    storylines: list[Storyline] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)  # old event slug -> event id


@dataclass(frozen=True)
class SiteFile:
    """One file of the site, as the render stage hands it to the write stage."""

    path: str  # in the site, e.g. "events/slug/index.html"
    # its bytes, whole or in pieces as they are made (a large file is never whole in memory);
    # None: made from the same inputs as in the site it replaces, whose file is reused
    data: bytes | Iterable[bytes] | None
    key: str | None = None  # a hash of everything the file is made from, where that is known


class RenderError(Exception):
    """A template that failed, as one line: `template:line: problem (rendering page)`. It
    holds only its message, so it comes back from a worker process as it is."""


class ClusterError(Exception):
    """The cluster cannot run this build (`cluster`); the message says why in plain words.
    Here, with the other errors the command line reports, so that it need not load Dask's
    side of the build to catch it."""


@dataclass(frozen=True)
class Written:
    """What a file of a written site was made from and holds, for the next build to reuse."""

    key: str | None  # SiteFile.key
    content: str  # hash of its bytes
    # as written: a file whose size or time differs is hashed before it is reused (an edit)
    size: int
    mtime_ns: int
