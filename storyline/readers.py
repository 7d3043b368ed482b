"""Read stage: content files -> Article, one reader per format (as Pelican's readers.py).

A file that cannot be read is reported as a Diagnostic and left out; the others still build.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from .model import Article, Diagnostic
from .text import is_web_url

log = logging.getLogger(__name__)
# The parsers of front matter and feeds (python-frontmatter, feedparser) are imported where a
# file is read: a build with nothing changed reads none (loading them took some 0.1 s of it).

TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}
HTML_SUFFIXES = {".html", ".htm"}
# read as feeds: .rss and .atom always; .xml and .json when their first or last bytes say so
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".json"}
SIDECAR_SUFFIXES = (".yaml", ".yml")
HEADLINE_MAX_WORDS = 20
# The longest news articles are a few hundred kilobytes; anything far past that is not one,
# and would take minutes to analyse.
MAX_ARTICLE_BYTES = 2_000_000


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of no known format
    drafts: int = 0


def read_content(content: Path, include_drafts: bool = False) -> Corpus:
    """Read every article below `content`, in a stable (sorted) order."""
    corpus = Corpus()
    corpus.articles.extend(read_articles(content, corpus, include_drafts))
    return corpus


@dataclass(frozen=True)
class Known:
    """An article of a content file that has not changed since a build read it (see
    `FileMemo`), not read again: its id and path as read, whether it is a draft, its key in
    the build cache, and where it is (the file, and its place among the file's articles)."""

    id: str
    path: str
    draft: bool
    key: str
    file: str
    index: int


@dataclass(frozen=True)
class FileRead:
    """What reading one content file found: its articles, and the problems it reported."""

    articles: list[Known]
    diagnostics: list[Diagnostic]


class FileMemo:
    """What reading each content file found, by the file's stamp: so a file that has not
    changed since the last build is not read again, nor its front matter parsed.

    The stamp is the file's path, size, modification and change times (nanoseconds) and
    inode, and its sidecar's, with `salt` (the code that reads and keys articles, and the
    settings). Like Hugo's and Lektor's checks by size and time, it trusts the file system:
    an edit that keeps a file's size and both its times is not seen. The change time is set by
    the system on every write and cannot be set back by a program (`touch -d`, `cp -p`,
    `rsync -t` set the modification time only), so only a clock set back can do that; a
    clean build (`--no-cache`) reads every file again."""

    def __init__(self, salt: str, key: Callable[[Article], str], known: Mapping[str, FileRead]):
        self.salt = salt
        self.known = known  # from the last build
        self.found: dict[str, FileRead] = {}  # this build's, to remember for the next
        self._key = key
        self._keys: dict[int, str] = {}  # of articles read and handed on, by id()

    def stamp(self, path: str, rel: str) -> str | None:
        """The stamp of the content file at `path` (whose suffix is known, see
        `_content_files`), or None when it cannot be found."""
        stem = path[: -len(_suffix(path))]
        parts = [self.salt, rel]
        for each in (path, *(stem + s for s in SIDECAR_SUFFIXES)):
            try:
                found = os.stat(each)
            except FileNotFoundError:
                parts.append("-")
                continue
            except OSError:
                return None
            parts.append(_stat_stamp(found))
        text = "\0".join(parts).encode("utf-8", "surrogateescape")
        return hashlib.sha256(text).hexdigest()

    def key(self, item: Article | Known) -> str:
        """An article's key in the build cache: a known one's as remembered, else made once."""
        if isinstance(item, Known):
            return item.key
        return self._keys.pop(id(item), None) or self._key(item)

    def read(self, article: Article, index: int, file: str) -> Known:
        key = self._key(article)
        self._keys[id(article)] = key
        return Known(article.id, article.path, article.draft, key, file, index)


def read_articles(
    content: Path, corpus: Corpus, include_drafts: bool = False, memo: FileMemo | None = None
) -> Iterator[Article | Known]:
    """Every article below `content`, in a stable (sorted) order, one at a time, so that a
    large corpus is never held whole. What reading finds besides (problems, skipped files,
    drafts) goes into `corpus`, whose articles it leaves alone. With `memo`, the articles of a
    file unchanged since the last build come as `Known`, without reading it."""
    seen: dict[str, str] = {}
    for path, rel in _content_files(content, corpus):
        stamp = memo.stamp(path, rel) if memo else None
        earlier = memo.known.get(stamp) if memo and stamp else None
        if memo and stamp and earlier and not any(a.id in seen for a in earlier.articles):
            memo.found[stamp] = earlier
            corpus.diagnostics.extend(earlier.diagnostics)
            for known in earlier.articles:
                if known.draft and not include_drafts:
                    corpus.drafts += 1
                    continue
                seen[known.id] = known.path
                yield known
            continue
        first = len(corpus.diagnostics)
        found: list[Known] | None = []  # None: not to be remembered
        try:
            for index, article in enumerate(_read_file(Path(path), rel, corpus.diagnostics)):
                if article.id in seen:
                    found = None  # renamed for this build's other files only
                    unique = _unique_id(article.id, seen)
                    corpus.diagnostics.append(
                        Diagnostic(
                            article.path,
                            f"id {article.id!r} is already used by {seen[article.id]}; "
                            f"this article is kept as {unique!r}",
                        )
                    )
                    article.id = unique
                if article.draft and not include_drafts:
                    corpus.drafts += 1
                    if found is not None:
                        found.append(Known(article.id, article.path, True, "", rel, index))
                    continue
                seen[article.id] = article.path
                if memo and found is not None:
                    found.append(memo.read(article, index, rel))
                yield article
        except Exception as error:  # one bad file must not stop the build
            log.debug("reading %s failed", rel, exc_info=True)
            corpus.diagnostics.append(Diagnostic(rel, f"could not be read: {error}"))
            found = None
        if memo and stamp and found is not None:
            memo.found[stamp] = FileRead(found, corpus.diagnostics[first:])


def read_again(content: Path, known: Known) -> Article:
    """A known article read from its file after all (the build cache lost its analysis), as
    it was read then."""
    path = content / known.file
    articles = itertools.islice(_read_file(path, known.file, []), known.index, None)
    article = next(articles, None)
    if article is None:
        raise OSError(f"{known.file} changed while it was read")
    article.id = known.id
    return article


def content_stamp(content: Path) -> str:
    """A hash of every file's path, size, modification and change times and inode below
    `content`: when it is as it was, no file can have changed (see `FileMemo`), and nothing
    needs reading."""
    lines: list[str] = []
    _stamp_lines(str(content), lines)
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _stamp_lines(folder: str, lines: list[str]) -> None:
    """The stamp of each file below `folder`, in name order, into `lines`; a link is stamped
    as its target (what reading it gives), a link to a folder not followed."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError:  # gone, or not to be listed: as it was not there
        return
    for entry in entries:
        try:
            if entry.is_dir():
                if not entry.is_symlink():
                    _stamp_lines(entry.path, lines)
                continue
            lines.append(f"{entry.path}\0{_stat_stamp(entry.stat())}")
        except OSError:
            lines.append(f"{entry.path}\0missing")


def _stat_stamp(found: os.stat_result) -> str:
    return f"{found.st_size} {found.st_mtime_ns} {found.st_ctime_ns} {found.st_ino}"


def _unique_id(wanted: str, seen: dict[str, str]) -> str:
    number = 2
    while f"{wanted}-{number}" in seen:
        number += 1
    return f"{wanted}-{number}"


def _content_files(content: Path, corpus: Corpus) -> Iterator[tuple[str, str]]:
    """Each content file below `content` as its path and its path relative to `content`
    (with `/`), in the order of their parts. Listed with `os.scandir` and plain strings:
    `Path.rglob` and a `Path` for each of 10,000 files took some 0.4 CPU-s of every edit."""
    root = os.path.join(os.path.realpath(content), "")
    yield from _files_below(str(content), "", root, corpus)


def _files_below(folder: str, prefix: str, root: str, corpus: Corpus) -> Iterator[tuple[str, str]]:
    try:
        with os.scandir(folder) as listed:
            entries = sorted(listed, key=lambda entry: entry.name)
    except PermissionError:  # as Path.rglob, a folder that cannot be listed is left out
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store) are not content
        rel = prefix + entry.name
        if entry.is_symlink():
            if not os.path.join(os.path.realpath(entry.path), "").startswith(root):
                corpus.diagnostics.append(
                    Diagnostic(rel, "is a link to outside the content folder; not followed")
                )
            elif _content_file(entry, rel, corpus):  # a link to a folder is not followed
                yield entry.path, rel
        elif _is_folder(entry):
            yield from _files_below(entry.path, rel + "/", root, corpus)
        elif _content_file(entry, rel, corpus):
            yield entry.path, rel


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _content_file(entry: os.DirEntry[str], rel: str, corpus: Corpus) -> bool:
    """Whether a listed entry is a file to read; a file of no known format is noted as
    skipped, a sidecar read together with its article is not."""
    try:
        if not entry.is_file():
            return False
    except OSError:
        return False
    suffix = _suffix(entry.name)
    if suffix in SIDECAR_SUFFIXES and _has_text_sibling(entry.path, suffix):
        return False  # read together with its article
    article_file = suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES or suffix == ".jsonl"
    if article_file or (suffix in FEED_SUFFIXES and is_feed(Path(entry.path))):
        return True
    corpus.skipped.append(rel)
    return False


def _suffix(name: str) -> str:
    """A file name's suffix in lower case, as `Path.suffix` finds it."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _has_text_sibling(sidecar: str, suffix: str) -> bool:
    stem = sidecar[: -len(suffix)]
    return any(os.path.isfile(stem + s) for s in (".txt", ".html", ".htm"))


def _read_file(path: Path, rel: str, diagnostics: list[Diagnostic]) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, rel, diagnostics)
        return
    if suffix in FEED_SUFFIXES:
        yield from _read_feed(path, rel, diagnostics)
        return
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        diagnostics.append(Diagnostic(rel, f"{_too_long(size)}; left out"))
        return
    text = decode(path.read_bytes(), rel, diagnostics)
    if text is None:
        return
    article_id = rel[: -len(path.suffix)]
    if suffix in HTML_SUFFIXES:
        article = _read_html(text, article_id, rel, diagnostics)
    elif TEXT_SUFFIXES[suffix] == "markdown":
        article = _read_markdown(text, article_id, rel, diagnostics)
    else:
        article = _read_text(text, article_id, rel)
    if article is None:
        return
    if suffix in (".txt", ".html", ".htm"):
        _apply_sidecar(path, rel, article, diagnostics)
    if not article.body.strip():
        diagnostics.append(Diagnostic(rel, "has no text; left out"))
        return
    yield article


def _too_long(size: int) -> str:
    return f"is {size / 1e6:.1f} MB; an article is at most {MAX_ARTICLE_BYTES / 1e6:.0f} MB of text"


UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")  # a lead byte and a continuation
READ_AS_LATIN1 = "is not UTF-8; read as Latin-1 (Windows-1252) text"


def _replaced(byte: int, where: str) -> str:
    """The warning for a text whose undecodable bytes were replaced, the first at `where`."""
    return (
        f"is not valid UTF-8 (byte 0x{byte:02x} at {where}); undecodable bytes were replaced "
        "with \ufffd"
    )


def decode(data: bytes, rel: str, diagnostics: list[Diagnostic]) -> str | None:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with BOM, or Latin-1 when no byte
    reads as UTF-8; other bad bytes are reported and replaced."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            diagnostics.append(Diagnostic(rel, f"is not valid UTF-16: {error.reason}; left out"))
            return None
    if b"\x00" in data[:8192]:
        diagnostics.append(Diagnostic(rel, "is a binary file, not text; left out"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not UTF8_SEQUENCE.search(data):
            # not one UTF-8 letter of two or more bytes: an 8-bit file, which is Windows-1252
            # (Latin-1's superset, as browsers read Latin-1 pages) far more often than not
            diagnostics.append(Diagnostic(rel, READ_AS_LATIN1))
            return data.decode("cp1252", errors="replace")
        diagnostics.append(Diagnostic(rel, _replaced(data[error.start], f"offset {error.start}")))
        return data.decode("utf-8-sig", errors="replace")


# --- metadata shared by front matter, sidecars and JSON Lines ---


INVALID = object()  # what load_yaml returns for YAML it could not read


# libyaml's parser where PyYAML was built with it (the wheels are): about 8 times faster on
# front matter; the constructor, and so the safety and the repeated-key hook, is the same
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """Safe YAML (no tag ever builds a Python object) that notes the keys a mapping repeats,
    which plain YAML loading would silently settle by taking the last."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.repeated: list[tuple[str, int, int]] = []  # (key, line, column)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    mark = key.start_mark
                    self.repeated.append((key.value, mark.line + 1, mark.column + 1))
                seen.add(key.value)
        return super().construct_mapping(node, deep)


MAX_YAML_DEPTH = 100  # brackets within brackets; real front matter has two or three
BRACKET = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> int:
    """How deep the text's [ and { nest (quoted ones too: an overestimate is harmless here)."""
    depth = deepest = 0
    for bracket in BRACKET.finditer(text):
        depth = depth + 1 if bracket.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def load_yaml(
    text: str, rel: str, diagnostics: list[Diagnostic], problem: str, outcome: str
) -> Any:
    """The YAML document in `text`, or INVALID after reporting why (as "problem: why;
    outcome"); repeated keys are reported, and the last value of each is used."""
    depth = _flow_depth(text)
    if depth > MAX_YAML_DEPTH:  # PyYAML recurses per level, and crashes Python past some 20,000
        diagnostics.append(
            Diagnostic(
                rel,
                f"{problem}: nested {depth} brackets deep (at most {MAX_YAML_DEPTH}); {outcome}",
            )
        )
        return INVALID
    loader = _YamlLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        diagnostics.append(
            Diagnostic(
                rel,
                f"{problem}: {error.problem}; {outcome}",
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
            )
        )
        return INVALID
    except yaml.YAMLError as error:
        diagnostics.append(Diagnostic(rel, f"{problem}: {error}; {outcome}"))
        return INVALID
    except RecursionError:  # nested by indentation past Python's stack
        diagnostics.append(Diagnostic(rel, f"{problem}: nested too deeply; {outcome}"))
        return INVALID
    finally:
        loader.dispose()
    for key, line, column in loader.repeated:
        repeated = f"key {key!r} is given twice; the last is used"
        diagnostics.append(Diagnostic(rel, repeated, line, column))
    return data


def _apply_metadata(
    article: Article, meta: dict[str, Any], rel: str, diagnostics: list[Diagnostic]
) -> None:
    def text(key: str, value: Any) -> str | None:
        if isinstance(value, list | dict):  # str() of nested YAML aliases could be endless
            kind = "list" if isinstance(value, list) else "mapping"
            diagnostics.append(Diagnostic(rel, f"{key} must be text, not a {kind}; ignored"))
            return None
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(value).strip() or None

    for key in ("title", "source", "author", "url", "lang"):
        if meta.get(key) is not None:
            setattr(article, key, text(key, meta[key]))
    published = meta.get("published", meta.get("date"))
    if published is not None:
        article.published_raw = text("published", published)
    tags = meta.get("tags")
    if isinstance(tags, str):
        article.tags = [t.strip() for t in tags.split(",") if t.strip()]
    elif isinstance(tags, list) and not any(isinstance(t, list | dict) for t in tags):
        article.tags = [str(t).strip() for t in tags if str(t).strip()]
    elif tags is not None:
        diagnostics.append(Diagnostic(rel, "tags must be a list or comma-separated text; ignored"))
    if meta.get("event") is not None:
        article.event_key = text("event", meta["event"])
    if "draft" in meta:
        article.draft = meta["draft"] is True or str(meta["draft"]).lower() in ("true", "yes", "1")


def _read_markdown(
    text: str, article_id: str, rel: str, diagnostics: list[Diagnostic]
) -> Article | None:
    import frontmatter

    handler = frontmatter.YAMLHandler()
    meta: Any = {}
    body = text
    if handler.detect(text):
        try:
            raw_meta, body = handler.split(text)
        except ValueError as error:
            diagnostics.append(
                Diagnostic(rel, f"front matter could not be read: {error}; left out")
            )
            return None
        # the block starts with the newline after the opening ---, so its lines are the file's
        meta = load_yaml(raw_meta, rel, diagnostics, "front matter is not valid YAML", "left out")
        if meta is INVALID:
            return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        diagnostics.append(
            Diagnostic(
                rel,
                "front matter must be a mapping of keys (title: ...), "
                f"not a {type(meta).__name__}; left out",
                2,
            )
        )
        return None
    article = Article(id=article_id, path=rel, body=body, format="markdown")
    _apply_metadata(article, meta, rel, diagnostics)
    return article


def looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= HEADLINE_MAX_WORDS
        and line[0].isupper()
        and line.rstrip()[-1] not in ".,;:"
        and not line.lower().startswith("by ")
    )


def _read_text(text: str, article_id: str, rel: str) -> Article:
    lines = text.strip().splitlines()
    title = None
    if lines and looks_like_headline(lines[0].strip()):
        title = lines.pop(0).strip()
    return Article(id=article_id, path=rel, body="\n".join(lines), format="text", title=title)


def _apply_sidecar(path: Path, rel: str, article: Article, diagnostics: list[Diagnostic]) -> None:
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_suffix(suffix)
        if not sidecar.is_file():
            continue
        side_rel = rel[: -len(path.suffix)] + suffix
        text = decode(sidecar.read_bytes(), side_rel, diagnostics)
        meta = load_yaml(text or "", side_rel, diagnostics, "is not valid YAML", "ignored")
        if meta is INVALID or meta is None:
            return
        if not isinstance(meta, dict):
            diagnostics.append(
                Diagnostic(side_rel, "must be a mapping of keys (date: ...); ignored")
            )
            return
        _apply_metadata(article, meta, side_rel, diagnostics)
        return


HTML_EXTRA = "need the optional extra: pip install 'storyline[html]'"


def _read_html(
    text: str, article_id: str, rel: str, diagnostics: list[Diagnostic]
) -> Article | None:
    try:
        doc = html_extraction(text)
    except ImportError:
        diagnostics.append(Diagnostic(rel, f"saved HTML pages {HTML_EXTRA}; left out"))
        return None
    if doc is None:
        diagnostics.append(Diagnostic(rel, "no article text found in this HTML page; left out"))
        return None
    body = doc.text
    if doc.title and body.startswith(doc.title):
        body = body[len(doc.title) :].lstrip()
    return Article(
        id=article_id,
        path=rel,
        body=body,
        format="html",
        title=doc.title,
        source=doc.sitename,
        author=doc.author,
        published_raw=doc.date,
        url=doc.url,
        lang=doc.language,
    )


def html_extraction(page: str) -> Any:
    """trafilatura's reading of an HTML page: its main text, one paragraph a line, and its
    metadata; None when it finds no text. ImportError without the optional extra."""
    import trafilatura

    doc = trafilatura.bare_extraction(page, with_metadata=True)
    return doc if doc is not None and doc.text else None


def html_text(fragment: str) -> str:
    """The text of a piece of HTML (a feed entry's content, a title), as a saved page's is
    read: the fragment stands as the article of a page."""
    doc = html_extraction(f"<html><body><article>{fragment}</article></body></html>")
    return doc.text.strip() if doc is not None else ""


def _read_jsonl(path: Path, rel: str, diagnostics: list[Diagnostic]) -> Iterator[Article]:
    with path.open("rb") as handle:
        head = handle.read(8192)
        handle.seek(0)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            text = decode(handle.read(), rel, diagnostics)  # UTF-16, or a binary file
            yield from _jsonl_records(text.split("\n") if text else [], rel, diagnostics)
        else:  # a line at a time: a file of a million articles is never held whole
            yield from _jsonl_records(_utf8_lines(handle, rel, diagnostics), rel, diagnostics)


def _utf8_lines(handle: BinaryIO, rel: str, diagnostics: list[Diagnostic]) -> Iterator[str]:
    """The lines of a UTF-8 file as `decode` reads a whole file, but line by line: a line
    with no UTF-8 letter of two or more bytes and bytes that are not UTF-8 is Windows-1252;
    in others, undecodable bytes are replaced. Each is reported once, at its first line.
    JSON Lines ends lines with \n only: U+2028 and the like may stand unescaped in a string."""
    reported: set[str] = set()
    for number, raw in enumerate(handle, start=1):
        line = raw.removesuffix(b"\n")
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            yield line.decode("utf-8")
            continue
        except UnicodeDecodeError as error:
            if not UTF8_SEQUENCE.search(line):
                kind, message = "latin", READ_AS_LATIN1
                decoded = line.decode("cp1252", errors="replace")
            else:
                kind = "replaced"
                message = _replaced(line[error.start], f"column {error.start + 1}")
                decoded = line.decode("utf-8", errors="replace")
        if kind not in reported:
            reported.add(kind)
            diagnostics.append(Diagnostic(rel, message, number))
        yield decoded


def _jsonl_records(
    lines: Iterable[str], rel: str, diagnostics: list[Diagnostic]
) -> Iterator[Article]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            diagnostics.append(
                Diagnostic(rel, f"not valid JSON: {error.msg}; line left out", number, error.colno)
            )
            continue
        except (ValueError, RecursionError) as error:  # a 5,000-digit number; 100,000 "["
            reason = (
                "nested too deeply" if isinstance(error, RecursionError) else "a number too long"
            )
            diagnostics.append(Diagnostic(rel, f"not valid JSON: {reason}; line left out", number))
            continue
        if not isinstance(record, dict):
            diagnostics.append(
                Diagnostic(rel, "each line must be a JSON object; line left out", number)
            )
            continue
        if record.get("id") in (None, ""):
            diagnostics.append(Diagnostic(rel, "has no 'id'; line left out", number))
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            diagnostics.append(Diagnostic(rel, "has no 'text'; line left out", number))
            continue
        if len(body) > MAX_ARTICLE_BYTES:
            diagnostics.append(
                Diagnostic(rel, f"its text {_too_long(len(body))}; line left out", number)
            )
            continue
        article = Article(id=str(record["id"]), path=f"{rel}:{number}", body=body, format="jsonl")
        _apply_metadata(article, record, f"{rel}:{number}", diagnostics)
        yield article


# --- feeds: RSS, Atom and JSON Feed, one article per entry ---

FEED_SNIFF_BYTES = 65_536  # a feed names its kind near its start (XML) or at either end (JSON)
XML_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
# "https://jsonfeed.org/version/1.1", with its slashes escaped or not (PHP escapes them)
JSON_FEED_VERSION = re.compile(rb'"https?:(?:\\?/){2}jsonfeed\.org\\?/version\\?/')
# A feed is parsed whole, in five to eight times its size (bench/feeds.py); an
# archive larger than this belongs in JSON Lines, which is read a line at a time.
MAX_FEED_BYTES = 100_000_000
HTML_TYPES = {"text/html", "application/xhtml+xml"}


def is_feed(path: Path) -> bool:
    """Whether a file is a feed: .rss and .atom always; an .xml file whose root element is a
    feed's (<rss>, <feed>, <rdf:RDF>); a .json file that names the JSON Feed version, at its
    start or, keys sorted, at its end. Other .xml and .json files are not content. A file
    that cannot be opened is taken for one, so that reading it reports why."""
    suffix = path.suffix.lower()
    if suffix in (".rss", ".atom"):
        return True
    try:
        return _names_a_feed(path, suffix)
    except OSError:
        return True


def _names_a_feed(path: Path, suffix: str) -> bool:
    with path.open("rb") as handle:
        head = handle.read(FEED_SNIFF_BYTES)
        if suffix == ".xml":
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                head = head.decode("utf-16", errors="replace").encode()
            return XML_FEED_ROOT.search(head) is not None
        handle.seek(max(path.stat().st_size - FEED_SNIFF_BYTES, 0))
        return any(JSON_FEED_VERSION.search(part) for part in (head, handle.read()))


@dataclass
class FeedEntry:
    """One entry of a feed, whichever its format, as its article is made from it."""

    id: str | None
    title: str | None
    title_is_html: bool
    url: str | None
    published: str | None
    author: str | None
    source: str | None
    text: str | None
    text_is_html: bool
    summary_only: bool  # its text is its summary: it has no content


def _read_feed(path: Path, rel: str, diagnostics: list[Diagnostic]) -> Iterator[Article]:
    size = path.stat().st_size
    if size > MAX_FEED_BYTES:
        diagnostics.append(
            Diagnostic(
                rel,
                f"is {size / 1e6:.1f} MB; a feed is read whole, and at most "
                f"{MAX_FEED_BYTES / 1e6:.0f} MB: split it, or write its entries as JSON Lines; "
                "left out",
            )
        )
        return
    data = path.read_bytes()
    entries: Sequence[FeedEntry | None] | None
    if path.suffix.lower() == ".json":
        entries = _json_feed_entries(data, rel, diagnostics)
    else:
        entries = _xml_feed_entries(data, rel, diagnostics)
    if entries is None:
        return  # reported
    if not entries:
        diagnostics.append(Diagnostic(rel, "is a feed without entries"))
    html_missing = False
    for number, entry in enumerate(entries, start=1):
        where = f"{rel}#{number}"  # the file and the entry's number: feeds give no lines
        if entry is None:
            diagnostics.append(Diagnostic(where, "is not a JSON object; left out"))
            continue
        try:
            article = _feed_article(entry, where, diagnostics)
        except ImportError:
            if not html_missing:
                html_missing = True
                diagnostics.append(Diagnostic(rel, f"feed entries in HTML {HTML_EXTRA}; left out"))
            continue
        if article is not None:
            yield article


def _xml_feed_entries(
    data: bytes, rel: str, diagnostics: list[Diagnostic]
) -> list[FeedEntry] | None:
    """The entries of an RSS or Atom feed; None, reported, for a file that cannot be read."""
    import xml.sax

    import feedparser
    from feedparser.encodings import convert_to_utf8

    # feedparser drops entities defined by other entities (the billion laughs) but expands
    # those defined as plain text, however often they are used: a 16 kB feed became 20 MB.
    # Feeds need no entities of their own, so a feed that declares one is not read. The check
    # is on the text as feedparser decodes it, so that no encoding hides the declaration.
    decoding: dict[str, Any] = {}
    if b"<!ENTITY" in convert_to_utf8({}, data, decoding):
        diagnostics.append(
            Diagnostic(
                rel,
                "declares XML entities (<!ENTITY ...>), which could expand to any size; a feed "
                "needs none; left out",
            )
        )
        return None
    parsed = feedparser.parse(io.BytesIO(data))  # a stream: feedparser never opens a URL
    error = parsed.get("bozo_exception") if parsed.bozo else None
    line = column = None
    if isinstance(error, xml.sax.SAXParseException):
        # feedparser puts an XML declaration on a line of its own before a file without one
        line = error.getLineNumber() - (not _opens_with_declaration(data, decoding))
        column = error.getColumnNumber() + 1
    reason = getattr(error, "getMessage", lambda: str(error))()
    if not parsed.version:
        why = f": {reason}" if error else " (its root is not RSS, Atom or RDF)"
        diagnostics.append(
            Diagnostic(rel, f"is not a feed that can be read{why}; left out", line, column)
        )
        return None
    if error:
        diagnostics.append(
            Diagnostic(rel, f"is not well-formed: {reason}; read as far as it goes", line, column)
        )
    feed = parsed.feed
    feed_title = _plain(feed.get("title"), feed.get("title_detail", {}).get("type") in HTML_TYPES)
    return [_xml_entry(entry, feed_title) for entry in parsed.entries]


def _opens_with_declaration(data: bytes, decoding: dict[str, Any]) -> bool:
    try:
        opening = data[:100].decode(decoding.get("encoding") or "utf-8", errors="replace")
    except LookupError:
        return True
    return opening.lstrip("\ufeff").startswith("<?xml")


def _xml_entry(entry: Any, feed_title: str | None) -> FeedEntry:
    contents = entry.get("content") or []
    detail = contents[0] if contents else entry.get("summary_detail")
    source = entry.get("source", {})
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    author = entry.get("author_detail", {}).get("name") or entry.get("author")
    url = entry.get("link")
    return FeedEntry(
        id=entry.get("id"),
        title=entry.get("title"),
        title_is_html=entry.get("title_detail", {}).get("type") in HTML_TYPES,
        # an RSS guid that is not a web address is no link, though feedparser makes it one
        url=url if is_web_url(url) or not entry.get("guidislink") else None,
        # feedparser reads every date format of every feed kind, to UTC
        published=(
            datetime(*stamp[:6], tzinfo=UTC).isoformat()
            if stamp
            else entry.get("published") or entry.get("updated")
        ),
        author=author,
        source=_plain(source.get("title"), False) or feed_title,
        text=detail.get("value") if detail else None,
        text_is_html=bool(detail) and detail.get("type") in HTML_TYPES,
        summary_only=not contents and detail is not None,
    )


def _json_feed_entries(
    data: bytes, rel: str, diagnostics: list[Diagnostic]
) -> list[FeedEntry | None] | None:
    """The items of a JSON Feed (1.0 and 1.1), which feedparser 6 does not read, None for an
    item that is not an object; None, reported, for a file that cannot be read."""
    text = decode(data, rel, diagnostics)
    if text is None:
        return None
    try:
        feed = json.loads(text)
    except json.JSONDecodeError as error:
        diagnostics.append(
            Diagnostic(rel, f"is not valid JSON: {error.msg}; left out", error.lineno, error.colno)
        )
        return None
    except (ValueError, RecursionError):
        diagnostics.append(Diagnostic(rel, "is not valid JSON: nested too deeply; left out"))
        return None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        problem = "is not a JSON Feed: it has no list of 'items'; left out"
        diagnostics.append(Diagnostic(rel, problem))
        return None
    feed_title = _json_text(feed.get("title"))
    feed_authors = feed.get("authors") or [feed.get("author")]
    return [
        _json_item(item, feed_title, feed_authors) if isinstance(item, dict) else None
        for item in feed["items"]
    ]


def _json_item(item: dict[str, Any], feed_title: str | None, feed_authors: Any) -> FeedEntry:
    html, plain, summary = (
        _json_text(item.get(key)) for key in ("content_html", "content_text", "summary")
    )
    authors = item.get("authors") or [item.get("author")]  # 1.1 has a list; 1.0 one author
    names = [a["name"] for a in [*authors, *feed_authors] if isinstance(a, dict) and a.get("name")]
    return FeedEntry(
        id=_json_text(item.get("id")),
        title=_json_text(item.get("title")),
        title_is_html=False,  # JSON Feed titles are plain text
        url=_json_text(item.get("url")),
        published=_json_text(item.get("date_published") or item.get("date_modified")),
        author=_json_text(names[0]) if names else None,
        source=feed_title,
        text=html or plain or summary,
        text_is_html=bool(html),
        summary_only=not (html or plain) and summary is not None,
    )


def _json_text(value: Any) -> str | None:
    """A JSON value where text is expected: numbers as written (ids may be numbers)."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _feed_article(entry: FeedEntry, where: str, diagnostics: list[Diagnostic]) -> Article | None:
    # measured before the HTML is read: its markup only adds to the length
    if entry.text is not None and len(entry.text) > MAX_ARTICLE_BYTES:
        diagnostics.append(Diagnostic(where, f"its text {_too_long(len(entry.text))}; left out"))
        return None
    body = _plain(entry.text, entry.text_is_html, single_line=False)
    if not body:
        diagnostics.append(Diagnostic(where, "has no text (content or summary); left out"))
        return None
    if entry.summary_only:
        diagnostics.append(
            Diagnostic(where, "has a summary but no content: the article is only its summary")
        )
    if not entry.published:
        diagnostics.append(Diagnostic(where, "has no date (published or updated)"))
    return Article(
        id=entry.id or entry.url or where,
        path=where,
        body=body,
        format="feed",
        title=_plain(entry.title, entry.title_is_html),
        source=entry.source,
        author=entry.author,
        published_raw=entry.published,
        url=entry.url,
    )


def _plain(text: str | None, is_html: bool, single_line: bool = True) -> str | None:
    """A feed's text as plain text: HTML read as a saved page's is, on one line for a title."""
    if text is None:
        return None
    plain = html_text(text) if is_html else text
    plain = " ".join(plain.split()) if single_line else plain.strip()
    return plain or None
