"""Hostile and broken input, end to end: each input beside a good article, built with and
without --strict. For each, the exact message, whether its article is in the site, and the
exit codes (a message makes --strict fail with 1 and write nothing; the plain build goes on
with exit 0)."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from storyline.cli import main
from tests.conftest import ROOT, write_tree

BODY = (
    "The harbour board met on Tuesday in Portwick to approve the new ferry timetable, "
    "its chair said. Members voted nine to two after a short debate.\n"
)
GOOD = f"---\ntitle: Ferry timetable approved\nsource: Bay Post\ndate: 2025-03-04\n---\n{BODY}"


def front(meta: str, body: str = BODY) -> str:
    return f"---\n{meta}\n---\n{body}"


DATED = "title: Harbour board vote\nsource: Coast Times\ndate: "
BILLION_LAUGHS = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
)

FEED = '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Coast Times</title>{}</feed>'
ENTRIES = (
    '<entry><id>urn:ferry:1</id><title type="html">Fares &lt;b&gt;frozen&lt;/b&gt; &amp;amp; kept</title>'
    f"<updated>2025-03-04T12:00:00Z</updated><content>{BODY}</content></entry>"
    "<entry><id>urn:ferry:2</id><title>Empty</title><updated>2025-03-04T12:00:00Z</updated></entry>"
    "<entry><id>urn:ferry:3</id><title>Teaser</title><updated>2025-03-04T12:00:00Z</updated>"
    f"<summary>{BODY}</summary></entry>"
    f"<entry><id>urn:ferry:1</id><title>Undated</title><content>{BODY}</content></entry>"
)
LAUGHS = (
    "<!DOCTYPE feed [<!ENTITY lol0 'lol'>"
    + "".join(f"<!ENTITY lol{i} '{f'&lol{i - 1};' * 10}'>" for i in range(1, 10))
    + "]>\n"
)
LAUGHING = f"<entry><id>lol</id><updated>2025-03-04T12:00:00Z</updated><content>{BODY}&lol9;</content></entry>"

# name -> (files beside GOOD, ids expected in the site besides GOOD's, exact warnings)
CASES: dict[str, tuple[dict[str, str | bytes], set[str], list[str]]] = {
    "utf-8 with BOM": (
        {"bom.md": codecs.BOM_UTF8 + front(DATED + "2025-03-04").encode()},
        {"bom"},
        [],
    ),
    "utf-16": ({"wide.md": front(DATED + "2025-03-04").encode("utf-16")}, {"wide"}, []),
    "latin-1": (
        {"latin.md": front(DATED + "2025-03-04", "Le café du port a rouvert.\n").encode("cp1252")},
        {"latin"},
        ["latin.md: is not UTF-8; read as Latin-1 (Windows-1252) text"],
    ),
    "invalid utf-8": (
        # UTF-8 ("é" is two bytes) with one stray byte after the front matter's 21 bytes
        {"broken.md": "---\ntitle: Café\n---\n".encode() + b"\xff" + BODY.encode()},
        {"broken"},
        [
            "broken.md: is not valid UTF-8 (byte 0xff at offset 21); undecodable bytes were "
            "replaced with \ufffd"
        ],
    ),
    "binary named .md": (
        {"photo.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        set(),
        ["photo.md: is a binary file, not text; left out"],
    ),
    "empty file": ({"empty.md": ""}, set(), ["empty.md: has no text; left out"]),
    "only whitespace": ({"blank.txt": " \n\t\n  \n"}, set(), ["blank.txt: has no text; left out"]),
    "a line of 1 MB without spaces": (
        {"line.md": front(DATED + "2025-03-04", BODY + "\n" + "x" * 1_000_000 + "\n")},
        {"line"},
        [
            "line.md: dates were read only up to character 150000: no article is that long or "
            "holds that many date-like words"
        ],
    ),
    "Markdown nested past Python's stack": (
        {"nested.md": front(DATED + "2025-03-04", BODY + "\n" + "- " * 1000 + "x\n")},
        {"nested"},
        [
            "nested.md: its Markdown nests too deeply or has more than 1000 '[' and '<' to be "
            "rendered in time; its text is shown as plain paragraphs"
        ],
    ),
    "20,000 unclosed brackets": (
        {"brackets.md": front(DATED + "2025-03-04", BODY + "\n" + "[" * 20_000 + "\n")},
        {"brackets"},
        [
            "brackets.md: its Markdown nests too deeply or has more than 1000 '[' and '<' to "
            "be rendered in time; its text is shown as plain paragraphs"
        ],
    ),
    "YAML that does not parse": (
        {"yaml.md": front("source: Coast Times\ntitle: Vote: done")},
        set(),
        [
            "yaml.md:3:12: front matter is not valid YAML: mapping values are not allowed in this context; left out"
        ],
    ),
    "a python tag": (
        {"tag.md": front('title: !!python/object/apply:os.system ["echo pwned"]')},
        set(),
        [
            "tag.md:2:8: front matter is not valid YAML: could not determine a constructor for "
            "the tag 'tag:yaml.org,2002:python/object/apply:os.system'; left out"
        ],
    ),
    "front matter that is a list": (
        {"list.md": front("- title\n- source")},
        set(),
        ["list.md:2: front matter must be a mapping of keys (title: ...), not a list; left out"],
    ),
    "duplicate keys": (
        {"twice.md": front(DATED + "2025-03-04\ntitle: Harbour board vote, again")},
        {"twice"},
        ["twice.md:5:1: key 'title' is given twice; the last is used"],
    ),
    "nested aliases as a title": (
        {"laughs.md": front(BILLION_LAUGHS + "\ntitle: *a9\ndate: 2025-03-04")},
        {"laughs"},
        ["laughs.md: title must be text, not a list; ignored"],
    ),
    "31 February": (
        {"feb.md": front(DATED + "31/02/2025")},
        {"feb"},
        [
            "feb.md: publication date '31/02/2025' could not be read; the article is kept "
            "without one"
        ],
    ),
    "yesterday without a publication date": (
        {
            "yesterday.md": front(
                "title: Lighthouse relit", "The old lighthouse was relit yesterday.\n"
            )
        },
        {"yesterday"},
        [
            "yesterday.md: its event is undated: its 'yesterday' cannot be resolved without a "
            "publication date; add `date:` to its front matter"
        ],
    ),
    "the year 3000": (
        {"future.md": front(DATED + "3000-03-04")},
        {"future"},
        ["future.md: publication date '3000-03-04' is in the future"],
    ),
    "ambiguous 03/04/2025": (
        {"ambiguous.md": front(DATED + "03/04/2025")},
        {"ambiguous"},
        [
            "ambiguous.md: publication date '03/04/2025' is ambiguous; read as 2025-04-03 by "
            "dates.order DMY"
        ],
    ),
    "a datetime without a time zone near midnight": (
        {"midnight.md": front(DATED + "2025-03-04T23:59:30")},
        {"midnight"},
        [],
    ),
    "JSON Lines with bad lines, a repeated id and no text": (
        {
            "wire.jsonl": "\n".join(
                [
                    json.dumps({"id": "w1", "title": "Ferry fares", "text": BODY}),
                    '{"id": "w2", "text": ',  # 21 characters: the value is missing at 22
                    json.dumps({"id": "w1", "title": "Ferry fares again", "text": BODY}),
                    json.dumps({"id": "w3", "title": "No text"}),
                    "[1, 2]",
                ]
            )
        },
        {"w1", "w1-2"},
        [
            # in the order of the lines: the file is read a line at a time
            "wire.jsonl:2:22: not valid JSON: Expecting value; line left out",
            "wire.jsonl:3: id 'w1' is already used by wire.jsonl:1; this article is kept as 'w1-2'",
            "wire.jsonl:4: has no 'text'; line left out",
            "wire.jsonl:5: each line must be a JSON object; line left out",
        ],
    ),
    "a feed that does not parse": (
        {"notes.rss": "Notes for the feed we never made."},
        set(),
        ["notes.rss:1:1: is not a feed that can be read: syntax error; left out"],
    ),
    "feed entries without text or date, with HTML and entities in titles, a repeated id": (
        {"ferry.atom": FEED.format(ENTRIES)},
        {"urn:ferry:1", "urn:ferry:1-2", "urn:ferry:3"},
        [
            # in the order of the entries, then what the build finds in the articles
            "ferry.atom#2: has no text (content or summary); left out",
            "ferry.atom#3: has a summary but no content: the article is only its summary",
            "ferry.atom#4: has no date (published or updated)",
            "ferry.atom#4: id 'urn:ferry:1' is already used by ferry.atom#1; this article is "
            "kept as 'urn:ferry:1-2'",
        ],
    ),
    "a feed entry without a date, alone in its event": (
        {
            "undated.atom": FEED.format(
                "<entry><id>lone</id><title>Lighthouse relit</title>"
                "<content>The old lighthouse was relit yesterday.</content></entry>"
            )
        },
        {"lone"},
        [
            "undated.atom#1: has no date (published or updated)",
            "undated.atom#1: its event is undated: its 'yesterday' cannot be resolved without a "
            "publication date; give its entry a published or updated date",
        ],
    ),
    "a billion laughs in a feed": (
        {"laughs.atom": FEED.format(LAUGHING).replace("<feed", LAUGHS + "<feed")},
        set(),
        [
            "laughs.atom: declares XML entities (<!ENTITY ...>), which could expand to any size; "
            "a feed needs none; left out"
        ],
    ),
    "names with .., spaces and other scripts": (
        {
            "report..final.md": front(DATED + "2025-03-04"),
            "my article.md": front(DATED + "2025-03-04"),
            "новости/статья.md": front(DATED + "2025-03-04"),
        },
        {"report..final", "my article", "новости/статья"},
        [],
    ),
}


def build(project: Path, *extra: str) -> int:
    return main(
        [
            "build",
            "--config",
            str(project / "config.yaml"),
            "--content",
            str(project / "content"),
            "--output",
            str(project / "site"),
            "--templates",
            str(ROOT / "templates"),
            "--jobs",
            "1",
            *extra,
        ]
    )


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_hostile_input_gives_its_message_and_exit_codes(tmp_path, capsys, case):
    files, kept, warnings = CASES[case]
    write_tree(tmp_path, {"config.yaml": "", "content/good.md": GOOD})
    write_tree(tmp_path / "content", files)

    strict = build(tmp_path, "--strict")
    strict_err = capsys.readouterr().err
    assert strict == (1 if warnings else 0)
    assert (tmp_path / "site").exists() == (not warnings)  # --strict writes nothing

    assert build(tmp_path) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines == warnings
    assert [line for line in strict_err.splitlines() if not line.startswith("error:")] == warnings
    digest = json.loads((tmp_path / "site" / "digest.json").read_text(encoding="utf-8"))
    assert {a["id"] for a in digest["articles"]} == kept | {"good"}


def test_a_python_tag_is_never_run(tmp_path):
    marker = tmp_path / "pwned"
    write_tree(
        tmp_path,
        {
            "config.yaml": "",
            "content/good.md": GOOD,
            "content/evil.md": front(f'title: !!python/object/apply:os.system ["touch {marker}"]'),
        },
    )
    assert build(tmp_path) == 0
    assert not marker.exists()


def test_a_50_mb_article_is_left_out_with_its_size(tmp_path, capsys):
    write_tree(tmp_path, {"config.yaml": "", "content/good.md": GOOD})
    with (tmp_path / "content" / "huge.md").open("wb") as huge:
        huge.truncate(50_000_000)
    assert build(tmp_path, "--strict") == 1
    assert build(tmp_path) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "huge.md: is 50.0 MB; an article is at most 2 MB of text; left out"
    )
    digest = json.loads((tmp_path / "site" / "digest.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in digest["articles"]] == ["good"]


def test_a_link_to_outside_the_content_folder_is_not_followed(tmp_path, capsys):
    secret = tmp_path / "secret.md"
    secret.write_text(front("title: Private notes"), encoding="utf-8")
    write_tree(tmp_path, {"config.yaml": "", "content/good.md": GOOD})
    os.symlink(secret, tmp_path / "content" / "link.md")
    assert build(tmp_path) == 0
    assert capsys.readouterr().err.splitlines() == [
        "link.md: is a link to outside the content folder; not followed"
    ]
    site = tmp_path / "site"
    assert "Private notes" not in (site / "digest.json").read_text(encoding="utf-8")
    assert build(tmp_path, "--strict") == 1


def test_a_datetime_without_a_zone_keeps_its_day_in_the_configured_zone(tmp_path):
    write_tree(
        tmp_path,
        {
            "config.yaml": "site:\n  timezone: America/New_York\n",
            "content/late.md": front(DATED + "2025-03-04T23:59:30"),
        },
    )
    assert build(tmp_path, "--strict") == 0
    digest = json.loads((tmp_path / "site" / "digest.json").read_text(encoding="utf-8"))
    [article] = digest["articles"]
    assert article["published"].startswith("2025-03-04T23:59:30")
    [event] = digest["events"]
    assert event["date"] == "2025-03-04"
