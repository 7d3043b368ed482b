"""Feeds as content: RSS, Atom and JSON Feed files, one article per entry, and every way a
feed can be broken."""

from __future__ import annotations

import json
import shutil
import tracemalloc
from functools import partial
from pathlib import Path
from xml.etree import ElementTree

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.dates import parse_published
from storyline.readers import Corpus, read_content
from tests.conftest import GROWTH, ROOT, SLOWDOWN_BOUND, slowdown
from tests.conftest import write_tree as write

PIER = "The ferry pier in Saltmere reopened on Wednesday after two months of repairs."
SECOND = "Skippers said the new timber deck was wider than the old one."
ATOM = "http://www.w3.org/2005/Atom"


def atom(entries: str, title: str = "Bay Post", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{prolog}'
        f'<feed xmlns="{ATOM}"><title>{title}</title><id>urn:bay</id>\n{entries}</feed>\n'
    )


def messages(corpus: Corpus) -> list[str]:
    return [str(d) for d in corpus.diagnostics]


def test_atom_entries_are_articles_with_their_metadata(tmp_path):
    entries = f"""
<entry><id>urn:bay:pier</id><title type="html">Pier &lt;em&gt;reopens&lt;/em&gt; &amp;amp; ferries return</title>
<link rel="alternate" href="https://example.org/pier"/><author><name>Jo Reed</name></author>
<published>2025-03-12T09:30:00+01:00</published><updated>2025-03-13T10:00:00Z</updated>
<summary>A teaser.</summary>
<content type="html">&lt;p&gt;{PIER}&lt;/p&gt;&lt;p&gt;{SECOND} &amp;amp; more&lt;/p&gt;</content></entry>
<entry><id>urn:wire:1</id><title>Tolls rise</title><updated>2025-03-14T08:00:00Z</updated>
<source><id>urn:wire</id><title>Coast Wire</title></source>
<content type="text">Tolls on the bridge rise by a tenth from Monday.</content></entry>
"""
    write(tmp_path, {"bay.atom": atom(entries)})
    corpus = read_content(tmp_path)
    assert messages(corpus) == []
    pier, tolls = corpus.articles
    assert (pier.id, pier.path, pier.format) == ("urn:bay:pier", "bay.atom#1", "feed")
    assert pier.title == "Pier reopens & ferries return"
    assert pier.url == "https://example.org/pier"
    assert pier.author == "Jo Reed"
    assert pier.source == "Bay Post"  # the feed's title
    assert pier.published_raw == "2025-03-12T08:30:00+00:00"  # published before updated
    assert pier.body.split("\n") == [PIER, f"{SECOND} & more"]  # the content, not the summary
    assert (tolls.source, tolls.published_raw) == ("Coast Wire", "2025-03-14T08:00:00+00:00")
    assert tolls.body == "Tolls on the bridge rise by a tenth from Monday."


def test_rss_item_with_only_a_description_is_used_with_a_warning(tmp_path):
    rss = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour &amp;amp; Coast</title>
<item><title>Pier reopens</title><guid isPermaLink="false">pier-2025</guid>
<pubDate>Wed, 12 Mar 2025 09:30:00 GMT</pubDate><author>desk@example.org (Jo Reed)</author>
<description>&lt;p&gt;{PIER}&lt;/p&gt;</description></item>
<item><title>Deck widened</title><link>https://example.org/deck</link>
<pubDate>Thu, 13 Mar 2025 09:30:00 GMT</pubDate><description>{SECOND}</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;{SECOND}&lt;/p&gt;&lt;p&gt;{PIER}&lt;/p&gt;</content:encoded></item>
</channel></rss>
"""
    write(tmp_path, {"harbour.rss": rss})
    corpus = read_content(tmp_path)
    summary, full = corpus.articles
    assert messages(corpus) == [
        "harbour.rss#1: has a summary but no content: the article is only its summary"
    ]
    assert (summary.id, summary.url, summary.author) == ("pier-2025", None, "Jo Reed")
    assert summary.source == "Harbour & Coast"
    assert summary.body == PIER
    assert summary.published_raw == "2025-03-12T09:30:00+00:00"
    assert full.id == "https://example.org/deck"  # no guid: its link is its id
    assert full.body.split("\n") == [SECOND, PIER]


def test_json_feed_items_are_articles(tmp_path):
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Bay Post",
        "authors": [{"name": "Bay Post desk"}],
        "items": [
            {
                "id": "pier",
                "url": "https://example.org/pier",
                "title": "Pier reopens",
                "content_html": f"<p>{PIER}</p><p>{SECOND}</p>",
                "summary": "A teaser.",
                "date_published": "2025-03-12T09:30:00+01:00",
                "authors": [{"name": "Jo Reed"}],
            },
            {"id": 7, "content_text": PIER, "date_modified": "2025-03-13T10:00:00Z"},
            {"id": "teaser", "summary": SECOND, "date_published": "2025-03-14"},
        ],
    }
    write(tmp_path, {"bay.json": json.dumps(feed)})
    corpus = read_content(tmp_path)
    pier, plain, teaser = corpus.articles
    assert (pier.id, pier.path, pier.title, pier.url) == (
        "pier",
        "bay.json#1",
        "Pier reopens",
        "https://example.org/pier",
    )
    assert (pier.author, pier.source) == ("Jo Reed", "Bay Post")
    assert pier.published_raw == "2025-03-12T09:30:00+01:00"
    assert pier.body.split("\n") == [PIER, SECOND]
    assert (plain.id, plain.author, plain.body) == ("7", "Bay Post desk", PIER)
    assert plain.published_raw == "2025-03-13T10:00:00Z"
    assert teaser.body == SECOND
    assert messages(corpus) == [
        "bay.json#3: has a summary but no content: the article is only its summary"
    ]


def test_a_repeated_entry_id_is_reported_and_made_unique(tmp_path):
    entry = "<entry><id>urn:pier</id><title>Pier</title><updated>2025-03-12T09:30:00Z</updated><content>{}</content></entry>"
    write(tmp_path, {"bay.atom": atom(entry.format(PIER) + entry.format(SECOND))})
    corpus = read_content(tmp_path)
    assert [(a.id, a.path) for a in corpus.articles] == [
        ("urn:pier", "bay.atom#1"),
        ("urn:pier-2", "bay.atom#2"),
    ]
    assert messages(corpus) == [
        "bay.atom#2: id 'urn:pier' is already used by bay.atom#1; this article is kept as "
        "'urn:pier-2'"
    ]


def test_xml_and_json_files_that_are_not_feeds_are_skipped_as_before(tmp_path):
    sorted_keys = {"items": [{"id": "a", "content_text": PIER}], "title": "T"}
    sorted_keys["version"] = "https://jsonfeed.org/version/1"  # last, as with sorted keys
    write(
        tmp_path,
        {
            "a.md": PIER,
            "sitemap.xml": '<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>',
            "data.json": json.dumps({"items": [1, 2], "note": "not a feed"}),
            "padded.json": json.dumps({"padding": "x" * 200_000, **sorted_keys}),
            "escaped.json": json.dumps(sorted_keys).replace("/", "\\/"),  # as PHP writes it
            "feed.xml": atom(f"<entry><id>b</id><content>{PIER}</content></entry>"),
        },
    )
    corpus = read_content(tmp_path)
    assert sorted(corpus.skipped) == ["data.json", "sitemap.xml"]
    assert sorted(a.id for a in corpus.articles) == ["a", "a-2", "a-3", "b"]


def test_each_bad_entry_is_named_by_file_and_number_and_the_rest_is_read(tmp_path):
    entries = f"""
<entry><id>ok</id><title>Fine</title><updated>2025-03-12T09:30:00Z</updated><content>{PIER}</content></entry>
<entry><id>empty</id><title>Nothing</title><updated>2025-03-12T09:30:00Z</updated></entry>
<entry><id>undated</id><title>When?</title><content>{SECOND}</content></entry>
<entry><id>markup</id><title>Tags only</title><updated>2025-03-12T09:30:00Z</updated><content type="html">&lt;p&gt; &lt;/p&gt;</content></entry>
<entry><id>huge</id><updated>2025-03-12T09:30:00Z</updated><content>{"word " * 500_000}</content></entry>
"""
    write(
        tmp_path,
        {
            "bay.atom": atom(entries),
            "broken.rss": "<rss><channel><title>Oops</channel>",
            "notes.rss": "Notes for the feed we never made.",
            "page.atom": "<html><body><p>A saved page, named as a feed.</p></body></html>",
            "items.json": json.dumps(
                {"version": "https://jsonfeed.org/version/1.1", "items": ["x", {"id": "y"}]}
            ),
            "bad.json": '{"version": "https://jsonfeed.org/version/1.1", "items": [}',
        },
    )
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["ok", "undated"]
    assert messages(corpus) == [
        "bad.json:1:59: is not valid JSON: Expecting value; left out",
        "bay.atom#2: has no text (content or summary); left out",
        "bay.atom#3: has no date (published or updated)",
        "bay.atom#4: has no text (content or summary); left out",
        "bay.atom#5: its text is 2.5 MB; an article is at most 2 MB of text; left out",
        "broken.rss:1:28: is not well-formed: mismatched tag; read as far as it goes",
        "broken.rss: is a feed without entries",
        "items.json#1: is not a JSON object; left out",
        "items.json#2: has no text (content or summary); left out",
        "notes.rss:1:1: is not a feed that can be read: syntax error; left out",
        "page.atom: is not a feed that can be read (its root is not RSS, Atom or RDF); left out",
    ]


FEED_PIECES = st.sampled_from(
    [
        '<?xml version="1.0"?>', "<rss>", "</rss>", "<channel>", "<item>", "</item>",
        f'<feed xmlns="{ATOM}">', "</feed>", "<entry>", "</entry>", "<title>", "</title>",
        "<content type='html'>", "</content>", "<summary>", "<id>x</id>", "&lt;p&gt;",
        "&amp;", "&nbsp;", "<![CDATA[", "]]>", "<!DOCTYPE feed>", "2025-03-12T09:30:00Z",
        "<updated>", "</updated>", PIER, "<", ">", "\x00", "é",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(FEED_PIECES, max_size=30) | st.binary().map(lambda b: [b.decode("latin-1")]),
    suffix=st.sampled_from([".rss", ".atom"]),
)
def test_any_feed_file_is_read_or_reported(tmp_path_factory, pieces, suffix):
    folder = tmp_path_factory.mktemp("feed")
    (folder / f"any{suffix}").write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    corpus = read_content(folder)
    assert corpus.articles or corpus.diagnostics, "a feed vanished without a word"
    assert all(a.body.strip() and a.path.startswith(f"any{suffix}#") for a in corpus.articles)


# --- entities: the billion laughs and its flat cousin ---

LAUGHS = "<!DOCTYPE feed [\n<!ENTITY lol0 'lol'>\n" + "".join(
    f"<!ENTITY lol{i} '{f'&lol{i - 1};' * 10}'>\n" for i in range(1, 10)
)
BIG_ENTITY = "<!ENTITY big '" + "lol" * 10_000 + "'>\n"  # 30 kB, used 3,000 times: 90 MB


def test_xml_entities_are_never_expanded(tmp_path):
    laughing = f"<entry><id>laugh</id><updated>2025-03-12T09:30:00Z</updated><content>{PIER} &amp;lol9;</content></entry>"
    flat = f"<entry><id>flat</id><updated>2025-03-12T09:30:00Z</updated><content>{'&big;' * 3_000}</content></entry>"
    good = f"<entry><id>good</id><updated>2025-03-12T09:30:00Z</updated><content>{PIER}</content></entry>"
    write(
        tmp_path,
        {
            "laughs.atom": atom(laughing.replace("&amp;lol9;", "&lol9;"), prolog=LAUGHS + "]>\n"),
            "flat.atom": atom(flat, prolog=f"<!DOCTYPE feed [\n{BIG_ENTITY}]>\n"),
            "wide.atom": atom(laughing, prolog=LAUGHS + "]>\n")
            .replace('encoding="utf-8"', 'encoding="utf-16"')
            .encode("utf-16"),
            "good.atom": atom(good),
        },
    )
    tracemalloc.start()
    try:
        corpus = read_content(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.id for a in corpus.articles] == ["good"]
    assert messages(corpus) == [
        f"{name}: declares XML entities (<!ENTITY ...>), which could expand to any size; a feed "
        "needs none; left out"
        for name in ("flat.atom", "laughs.atom", "wide.atom")
    ]
    assert peak < 20_000_000  # the files are 130 kB; expanded, one would be 90 MB, one 3 GB


# --- size ---


def feed_of(count: int) -> str:
    return atom(
        "".join(
            f"<entry><id>e{n}</id><title>Report {n}</title><updated>2025-03-12T09:30:00Z</updated>"
            f'<content type="html">&lt;p&gt;{PIER} Boat {n}.&lt;/p&gt;&lt;p&gt;{SECOND}&lt;/p&gt;</content></entry>\n'
            for n in range(count)
        )
    )


def read_feed(folder: Path, text: str) -> list:
    (folder / "big.atom").write_text(text, encoding="utf-8")
    return read_content(folder).articles


def test_a_feed_over_100_mb_is_left_out_without_reading_it(tmp_path):
    write(tmp_path, {"good.atom": feed_of(1)})
    with (tmp_path / "archive.rss").open("wb") as huge:
        huge.truncate(150_000_000)  # sparse: nothing is written, nothing may be read
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["e0"]
    assert messages(corpus) == [
        "archive.rss: is 150.0 MB; a feed is read whole, and at most 100 MB: split it, or "
        "write its entries as JSON Lines; left out"
    ]


def test_a_large_feed_is_read_whole_without_catastrophic_growth(tmp_path):
    """bench/feeds.py reads a 50 MB feed; here 8 times the entries may not take 40 times as
    long (no wall-clock limit)."""
    small, large = feed_of(64 // GROWTH), feed_of(64)
    assert len(read_feed(tmp_path, large)) == 64
    assert slowdown(partial(read_feed, tmp_path), small, large) < SLOWDOWN_BOUND


# --- the sample as feeds builds the same events ---


def sample_feeds(markdown_folder: Path, timezone: str, order: str) -> dict[str, str]:
    """The sample's Markdown articles as one Atom feed and as one JSON Feed: the Atom entries
    carry HTML and name their outlet (Atom's source); the JSON Feed items carry plain text, and
    JSON Feed has no outlet of an item: all are the feed's."""
    articles = read_content(markdown_folder).articles
    ElementTree.register_namespace("", ATOM)
    root = ElementTree.Element(f"{{{ATOM}}}feed")
    ElementTree.SubElement(root, f"{{{ATOM}}}title").text = "Sample"
    items = []
    for article in articles:
        stamp = parse_published(article.published_raw, timezone, order)[0].isoformat()
        entry = ElementTree.SubElement(root, f"{{{ATOM}}}entry")
        for tag, text in (("id", f"urn:sample:{article.id}"), ("title", article.title)):
            ElementTree.SubElement(entry, f"{{{ATOM}}}{tag}").text = text
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", href=article.url)
        ElementTree.SubElement(entry, f"{{{ATOM}}}updated").text = stamp
        author = ElementTree.SubElement(entry, f"{{{ATOM}}}author")
        ElementTree.SubElement(author, f"{{{ATOM}}}name").text = article.author
        source = ElementTree.SubElement(entry, f"{{{ATOM}}}source")
        ElementTree.SubElement(source, f"{{{ATOM}}}title").text = article.source
        content = ElementTree.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = markdown.markdown(article.body)
        items.append(
            {
                "id": f"urn:sample:{article.id}",
                "url": article.url,
                "title": article.title,
                "content_text": article.body,
                "date_published": stamp,
                "authors": [{"name": article.author}],
            }
        )
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Sample", "items": items}
    return {
        "sample.atom": ElementTree.tostring(root, encoding="unicode"),
        "sample.json": json.dumps(json_feed),
    }


def event_summary(digest: dict) -> list[tuple]:
    return sorted((e["title"], e["date"], len(e["articles"])) for e in digest["events"])


def test_the_sample_as_an_atom_feed_and_as_a_json_feed_builds_the_same_events(tmp_path, build_site):
    markdown_only = tmp_path / "markdown"
    for path in (ROOT / "content").rglob("*.md"):
        target = markdown_only / path.relative_to(ROOT / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    feeds = sample_feeds(markdown_only, "America/Los_Angeles", "MDY")
    assert "timezone: America/Los_Angeles" in config and "order: MDY" in config
    _, expected = build_site(markdown_only, config)
    assert len(expected["events"]) >= 2 and expected["warnings"] == []
    for name in ("atom", "json"):
        content = write(
            tmp_path / name, {n: text for n, text in feeds.items() if n.endswith(f".{name}")}
        )
        _, digest = build_site(content, config)
        assert event_summary(digest) == event_summary(expected), name
        assert len(digest["articles"]) == len(expected["articles"])
        assert digest["warnings"] == [], name
