"""Read stage: every content format, and every way a file can be broken."""

from __future__ import annotations

import codecs
import json

import pytest

from storyline.readers import read_content
from tests.conftest import write_tree as write

PIER = "The ferry pier in Saltmere reopened on Wednesday after two months of repairs."


def by_id(corpus) -> dict:
    return {a.id: a for a in corpus.articles}


def messages_for(corpus, path: str) -> list[str]:
    return [d.message for d in corpus.diagnostics if d.path == path]


# --- Markdown ---


def test_markdown_front_matter_fills_the_metadata(tmp_path):
    write(
        tmp_path,
        {
            "pier.md": f"""---
title: Pier reopens
source: Bay Post
author: Jo Reed
date: 2025-03-12
url: https://example.org/pier
lang: en
tags: [harbour, ferry]
event: pier-reopening
---
{PIER}
"""
        },
    )
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.id == "pier"
    assert article.path == "pier.md"
    assert article.format == "markdown"
    assert article.title == "Pier reopens"
    assert article.source == "Bay Post"
    assert article.author == "Jo Reed"
    assert article.published_raw == "2025-03-12"
    assert article.url == "https://example.org/pier"
    assert article.lang == "en"
    assert article.tags == ["harbour", "ferry"]
    assert article.event_key == "pier-reopening"
    assert article.draft is False
    assert article.body.strip() == PIER
    assert corpus.diagnostics == []


def test_published_key_is_read_and_tags_may_be_comma_separated(tmp_path):
    write(
        tmp_path,
        {
            "a.md": f"""---
published: "12 March 2025 09:30"
tags: "harbour, ferry ,  storms"
---
{PIER}
"""
        },
    )
    [article] = read_content(tmp_path).articles
    assert article.published_raw == "12 March 2025 09:30"
    assert article.tags == ["harbour", "ferry", "storms"]


def test_markdown_without_front_matter_is_read_without_metadata(tmp_path):
    write(tmp_path, {"plain.md": PIER + "\n"})
    [article] = read_content(tmp_path).articles
    assert article.title is None
    assert article.body.strip() == PIER


def test_drafts_are_left_out_and_counted_unless_asked_for(tmp_path):
    write(
        tmp_path,
        {
            "done.md": f"---\ntitle: Done\n---\n{PIER}\n",
            "wip.md": f"---\ntitle: Not yet\ndraft: true\n---\n{PIER}\n",
            "wip2.md": f"---\ntitle: Not yet either\ndraft: yes\n---\n{PIER}\n",
        },
    )
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["done"]
    assert corpus.drafts == 2

    with_drafts = read_content(tmp_path, include_drafts=True)
    assert [a.id for a in with_drafts.articles] == ["done", "wip", "wip2"]
    assert by_id(with_drafts)["wip"].draft is True
    assert with_drafts.drafts == 0


# --- plain text and sidecars ---


def test_text_file_takes_its_first_line_as_headline(tmp_path):
    write(tmp_path, {"a.txt": f"Saltmere ferry pier reopens\n{PIER}\n"})
    [article] = read_content(tmp_path).articles
    assert article.format == "text"
    assert article.title == "Saltmere ferry pier reopens"
    assert article.body.strip() == PIER


def test_text_file_whose_first_line_is_a_sentence_has_no_headline(tmp_path):
    long_sentence = (
        "The harbour council of Saltmere voted late on Tuesday evening to rebuild the "
        "old ferry pier that the winter storms had wrecked in the first week of "
        "January"
    )  # 30 words, no full stop: still too long for a headline
    write(
        tmp_path,
        {
            "sentence.txt": f"{PIER}\nA second line follows.\n",
            "long.txt": f"{long_sentence}\nA second line follows.\n",
            "byline.txt": f"By Jo Reed\n{PIER}\n",
        },
    )
    articles = by_id(read_content(tmp_path))
    assert articles["sentence"].title is None
    assert articles["sentence"].body.splitlines()[0] == PIER
    assert articles["long"].title is None
    assert articles["long"].body.splitlines()[0] == long_sentence
    assert articles["byline"].title is None


def test_yaml_sidecar_overrides_what_the_text_file_gives(tmp_path):
    write(
        tmp_path,
        {
            "a.txt": f"Inferred headline\n{PIER}\n",
            "a.yaml": "title: Headline from the sidecar\nsource: Bay Post\ndate: 2025-03-12\n",
        },
    )
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.title == "Headline from the sidecar"
    assert article.source == "Bay Post"
    assert article.published_raw == "2025-03-12"
    assert corpus.skipped == []  # the sidecar is part of the article, not an unknown file


def test_broken_sidecar_is_reported_and_the_article_still_read(tmp_path):
    write(
        tmp_path,
        {
            "a.txt": f"Inferred headline\n{PIER}\n",
            "a.yaml": "title: a: b\n",
        },
    )
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.title == "Inferred headline"
    [diagnostic] = corpus.diagnostics
    assert diagnostic.path == "a.yaml"
    assert (diagnostic.line, diagnostic.column) == (1, 9)


# --- JSON Lines ---


def test_jsonl_reads_good_lines_and_reports_bad_ones(tmp_path):
    lines = [
        json.dumps({"id": "n1", "text": PIER, "title": "First", "source": "Bay Post"}),
        '{"id": "n2", "text": ',
        json.dumps({"id": "n3", "title": "No text here"}),
        "",
        json.dumps({"text": "A story without an id."}),
        json.dumps({"id": 6, "text": "The sixth line is a story too."}),
        json.dumps(["not", "an", "object"]),
    ]
    write(tmp_path, {"feed.jsonl": "\n".join(lines) + "\n"})
    corpus = read_content(tmp_path)

    assert [(a.id, a.path) for a in corpus.articles] == [
        ("n1", "feed.jsonl:1"),
        ("6", "feed.jsonl:6"),
    ]
    first = corpus.articles[0]
    assert (first.title, first.source, first.body, first.format) == (
        "First",
        "Bay Post",
        PIER,
        "jsonl",
    )

    reported = {d.line: d.message for d in corpus.diagnostics}
    assert all(d.path == "feed.jsonl" for d in corpus.diagnostics)
    assert sorted(reported) == [2, 3, 5, 7]
    assert "not valid JSON" in reported[2]
    assert "'text'" in reported[3]
    assert "'id'" in reported[5]
    assert "object" in reported[7]


def test_jsonl_bad_line_names_its_column(tmp_path):
    write(tmp_path, {"feed.jsonl": "{bad json}\n" + json.dumps({"id": "x", "text": PIER}) + "\n"})
    corpus = read_content(tmp_path)
    [diagnostic] = corpus.diagnostics
    assert (diagnostic.line, diagnostic.column) == (1, 2)  # a name was expected after "{"
    assert [a.path for a in corpus.articles] == ["feed.jsonl:2"]


# --- files that are not articles ---


def test_unknown_extensions_are_listed_as_skipped(tmp_path):
    write(
        tmp_path,
        {
            "a.md": PIER,
            "photo.png": b"\x89PNG\r\n\x1a\n",
            "data.csv": "a,b\n1,2\n",
            "notes/meta.yaml": "title: alone\n",  # a YAML file with no article beside it
        },
    )
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["a"]
    assert sorted(corpus.skipped) == ["data.csv", "notes/meta.yaml", "photo.png"]


def test_hidden_files_and_folders_are_ignored(tmp_path):
    write(
        tmp_path,
        {
            "a.md": PIER,
            ".secret.md": PIER,
            ".git/HEAD.md": PIER,
            ".DS_Store": b"\x00\x01",
        },
    )
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["a"]
    assert corpus.skipped == []
    assert corpus.diagnostics == []


def test_article_ids_are_relative_paths_without_extension(tmp_path):
    write(
        tmp_path,
        {
            "sub/a.md": PIER,
            "sub/deeper/b.txt": PIER,
            "c.markdown": PIER,
        },
    )
    corpus = read_content(tmp_path)
    assert sorted((a.id, a.path) for a in corpus.articles) == [
        ("c", "c.markdown"),
        ("sub/a", "sub/a.md"),
        ("sub/deeper/b", "sub/deeper/b.txt"),
    ]


def test_two_files_with_one_id_are_both_kept_under_unique_ids(tmp_path):
    write(tmp_path, {"a.md": PIER, "a.txt": PIER, "w.jsonl": '{"id": "a", "text": "Pier."}\n'})
    corpus = read_content(tmp_path)
    assert [(a.path, a.id) for a in corpus.articles] == [
        ("a.md", "a"),
        ("a.txt", "a-2"),
        ("w.jsonl:1", "a-3"),
    ]
    [message] = messages_for(corpus, "a.txt")
    assert "a.md" in message and "'a-2'" in message


# --- broken files ---

BROKEN = f"---\nsource: Bay Post\ntitle: a: b\n---\n{PIER}\n"  # a second "key:" on line 3


def test_broken_front_matter_is_reported_and_the_file_left_out(tmp_path):
    write(tmp_path, {"bad.md": BROKEN, "good.md": f"---\ntitle: Fine\n---\n{PIER}\n"})
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["good"]
    [diagnostic] = corpus.diagnostics
    assert diagnostic.path == "bad.md"
    assert "YAML" in diagnostic.message
    assert diagnostic.line is not None
    assert diagnostic.column == 9  # the second colon of "title: a: b"


def test_broken_front_matter_names_the_line_of_the_file(tmp_path):
    write(tmp_path, {"bad.md": BROKEN})
    [diagnostic] = read_content(tmp_path).diagnostics
    assert (diagnostic.line, diagnostic.column) == (3, 9)
    assert str(diagnostic).startswith("bad.md:3:9: ")


def test_front_matter_that_is_a_list_is_reported_and_left_out(tmp_path):
    write(tmp_path, {"list.md": f"---\n- one\n- two\n---\n{PIER}\n", "ok.md": PIER})
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["ok"]
    [message] = messages_for(corpus, "list.md")
    assert "mapping" in message


def test_invalid_utf8_is_reported_with_its_offset_and_the_text_kept(tmp_path):
    # "Café: the pier caf" is 19 bytes in UTF-8, so the stray byte 0xe9 sits at offset 19
    write(tmp_path, {"a.md": "Café: the pier caf".encode() + b"\xe9 reopened on Monday.\n"})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.body == "Café: the pier caf\ufffd reopened on Monday.\n"
    [message] = messages_for(corpus, "a.md")
    assert "0xe9" in message
    assert "offset 19" in message


def test_latin1_file_is_read_as_latin1_with_a_warning(tmp_path):
    write(tmp_path, {"a.md": "The pier café reopened on Monday; “fine”.\n".encode("cp1252")})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.body == "The pier café reopened on Monday; “fine”.\n"
    assert messages_for(corpus, "a.md") == ["is not UTF-8; read as Latin-1 (Windows-1252) text"]


def test_json_lines_are_decoded_a_line_at_a_time_each_problem_reported_once(tmp_path):
    def line(n: int, text: str) -> bytes:
        return json.dumps({"id": f"w{n}", "text": text}, ensure_ascii=False).encode()

    lines = [
        codecs.BOM_UTF8 + line(1, "The pier café reopened."),
        line(2, "Le café du port a rouvert.").replace("é".encode(), b"\xe9"),  # Windows-1252
        line(3, "Café: the pier caf").replace(b'caf"', b'caf\xe9"'),  # at byte 42: broken UTF-8
        line(4, "Der Hafen öffnet.").replace("ö".encode(), b"\xf6"),  # Windows-1252 again
    ]
    write(tmp_path, {"wire.jsonl": b"\n".join(lines) + b"\n"})
    corpus = read_content(tmp_path)
    assert [a.body for a in corpus.articles] == [
        "The pier café reopened.",
        "Le café du port a rouvert.",
        "Café: the pier caf\ufffd",
        "Der Hafen öffnet.",
    ]
    assert [(d.line, d.message) for d in corpus.diagnostics] == [
        (2, "is not UTF-8; read as Latin-1 (Windows-1252) text"),
        (
            3,
            "is not valid UTF-8 (byte 0xe9 at column 42); undecodable bytes were replaced "
            "with \ufffd",
        ),
    ]


def test_utf8_bom_is_removed_and_front_matter_still_found(tmp_path):
    text = f"---\ntitle: Café reopens\n---\n{PIER}\n"
    write(tmp_path, {"a.md": codecs.BOM_UTF8 + text.encode("utf-8")})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.title == "Café reopens"
    assert corpus.diagnostics == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path, encoding):
    text = f"---\ntitle: Café reopens\n---\n{PIER}\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # the -le/-be codecs write no BOM: add the matching one
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    write(tmp_path, {"a.md": data})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.title == "Café reopens"
    assert article.body.strip() == PIER
    assert corpus.diagnostics == []


def test_binary_file_named_md_is_reported_and_left_out(tmp_path):
    write(
        tmp_path,
        {
            "image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01",
            "ok.md": PIER,
        },
    )
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["ok"]
    [message] = messages_for(corpus, "image.md")
    assert "binary" in message


@pytest.mark.parametrize("content", ["", "   \n\n", "---\ntitle: Only a title\n---\n"])
def test_file_without_text_is_reported_and_left_out(tmp_path, content):
    write(tmp_path, {"empty.md": content, "ok.md": PIER})
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["ok"]
    [message] = messages_for(corpus, "empty.md")
    assert "no text" in message


def test_python_tags_in_front_matter_never_run(tmp_path):
    marker = tmp_path / "pwned"
    content = tmp_path / "content"
    write(
        content,
        {
            "evil.md": f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n{PIER}\n',
            "ok.md": PIER,
        },
    )
    corpus = read_content(content)
    assert not marker.exists()
    assert [a.id for a in corpus.articles] == ["ok"]
    [diagnostic] = corpus.diagnostics
    assert diagnostic.path == "evil.md"
    assert "python/object/apply:os.system" in diagnostic.message


def test_repeated_front_matter_key_is_reported_and_the_last_used(tmp_path):
    write(tmp_path, {"a.md": f"---\ntitle: First\nsource: Bay Post\ntitle: Second\n---\n{PIER}\n"})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.title == "Second"
    assert [str(d) for d in corpus.diagnostics] == [
        "a.md:4:1: key 'title' is given twice; the last is used"
    ]


def test_repeated_sidecar_key_is_reported(tmp_path):
    write(tmp_path, {"a.txt": PIER, "a.yaml": "date: 2025-03-01\ndate: 2025-03-02\n"})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.published_raw == "2025-03-02"
    assert [str(d) for d in corpus.diagnostics] == [
        "a.yaml:2:1: key 'date' is given twice; the last is used"
    ]


def test_repeated_key_of_a_nested_mapping_is_reported_where_it_stands(tmp_path):
    # libyaml's parser reads front matter and sidecars; the report still points at the key
    write(tmp_path, {"a.txt": PIER, "a.yaml": "title: Pier\nextra:\n  city: Ayr\n  city: Troon\n"})
    corpus = read_content(tmp_path)
    assert [str(d) for d in corpus.diagnostics] == [
        "a.yaml:4:3: key 'city' is given twice; the last is used"
    ]


def test_nested_yaml_aliases_in_a_title_are_refused_quickly(tmp_path):
    # "billion laughs": nine levels of ten aliases; printed out it would be 10**9 items long
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)
    ]
    write(tmp_path, {"a.md": "---\n" + "\n".join(levels) + f"\ntitle: *a9\n---\n{PIER}\n"})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.title is None
    assert messages_for(corpus, "a.md") == ["title must be text, not a list; ignored"]


def test_article_over_the_size_limit_is_left_out_without_reading_it(tmp_path):
    write(tmp_path, {"ok.md": PIER})
    with (tmp_path / "huge.md").open("wb") as huge:
        huge.truncate(50_000_000)  # 50 MB, sparse: the reader must not need to look inside
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["ok"]
    assert messages_for(corpus, "huge.md") == [
        "is 50.0 MB; an article is at most 2 MB of text; left out"
    ]


def test_jsonl_record_over_the_size_limit_is_left_out(tmp_path):
    lines = [
        json.dumps({"id": "big", "text": "word " * 500_000}),
        json.dumps({"id": "ok", "text": PIER}),
    ]
    write(tmp_path, {"a.jsonl": "\n".join(lines)})
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["ok"]
    assert [str(d) for d in corpus.diagnostics] == [
        "a.jsonl:1: its text is 2.5 MB; an article is at most 2 MB of text; line left out"
    ]


def test_line_of_a_megabyte_without_spaces_is_kept(tmp_path):
    write(tmp_path, {"a.md": f"{PIER}\n\n{'x' * 1_000_000}\n"})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert len(article.body) > 1_000_000
    assert corpus.diagnostics == []


def test_front_matter_nested_past_the_stack_is_refused_without_crashing(tmp_path):
    # PyYAML would recurse once per bracket and bring Python down
    write(tmp_path, {"a.md": "---\ntitle: " + "[" * 30_000 + "\n---\nText.\n", "ok.md": PIER})
    write(tmp_path, {"b.txt": PIER, "b.yaml": "title: " + "{" * 100_000 + "\n"})
    corpus = read_content(tmp_path)
    assert [a.id for a in corpus.articles] == ["b", "ok"]
    assert [str(d) for d in corpus.diagnostics] == [
        "a.md: front matter is not valid YAML: nested 30000 brackets deep (at most 100); left out",
        "b.yaml: is not valid YAML: nested 100000 brackets deep (at most 100); ignored",
    ]


def test_jsonl_lines_end_at_newlines_only_and_one_bad_line_loses_only_itself(tmp_path):
    lines = [
        '{"id": "sep", "text": "one\u2028two"}',  # U+2028 as JSON may hold it, unescaped
        "[" * 100_000,
        '{"id": ' + "9" * 5_000 + ', "text": "x"}',
        json.dumps({"id": "ok", "text": PIER}),
    ]
    write(tmp_path, {"a.jsonl": "\n".join(lines)})
    corpus = read_content(tmp_path)
    assert [(a.id, a.body) for a in corpus.articles] == [("sep", "one\u2028two"), ("ok", PIER)]
    assert [str(d) for d in corpus.diagnostics] == [
        "a.jsonl:2: not valid JSON: nested too deeply; line left out",
        "a.jsonl:3: not valid JSON: a number too long; line left out",
    ]


# --- saved web pages ---


def test_html_page_is_read_with_its_title(tmp_path):
    paragraphs = [
        "The ferry pier in Saltmere reopened on Wednesday after two months of repairs paid for "
        "by the harbour council.",
        "Skippers said the new timber deck was wider than the old one and would let two boats "
        "moor at once during the summer season.",
        "The council said the cost of the work had stayed within the loan it approved in "
        "January, and thanked the crews who worked through the storms.",
    ]
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Saltmere ferry pier reopens</title></head>
<body><nav><a href="/">Home</a></nav>
<article><h1>Saltmere ferry pier reopens</h1>
{body}</article>
<footer>Copyright Bay Post</footer></body></html>
"""
    write(tmp_path, {"saved/pier.html": page})
    corpus = read_content(tmp_path)
    [article] = corpus.articles
    assert article.id == "saved/pier"
    assert article.format == "html"
    assert article.title == "Saltmere ferry pier reopens"
    assert not article.body.startswith("Saltmere ferry pier reopens")
    for paragraph in paragraphs:
        assert paragraph in article.body
