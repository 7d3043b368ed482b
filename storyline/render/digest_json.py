"""`digest.json`, the machine-readable digest: written an event at a time, each event's part
(with its parts of the search index and the TimelineJS data) kept in the store for the next
build."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any, NamedTuple

from .. import urls
from ..cache import AnalysisCache, source_hash
from ..compare_view import people_and_speakers
from ..config import Config
from ..model import Digest, Event, Findings, Holder, TimelineMention
from ..timelinejs import event_slide
from .formats import date_formatter
from .keys import Makings, value_hash
from .theme import GENERATOR

FRAGMENT_BATCH = 500  # events whose parts of digest.json are looked up in the store at once


def digest_json(
    digest: Digest,
    config: Config,
    held: Holder,
    made: dict[str, Fragment],
    store: AnalysisCache | None = None,
    making: Makings | None = None,
) -> Iterator[bytes]:
    """The machine-readable digest that tests and other tools read, as UTF-8 JSON in pieces,
    an event at a time (`event_fragments`), each event's parts of the other files kept in
    `made`: the whole digest as Python objects takes many times the memory of its text.
    Unindented, because the indenting encoder is pure Python and ten times slower."""
    event_of = {a.id: e.id for e in digest.events for a in e.articles}
    yield (
        f'{{"generator": {json.dumps(GENERATOR)}, '
        f'"site": {json.dumps({"title": config.title, "base_url": config.base_url})}, '
        '"events": ['
    ).encode()
    fragments = event_fragments(digest.events, held, config, store, making or Makings())
    for n, (event, fragment) in enumerate(zip(digest.events, fragments, strict=True)):
        made[event.id] = fragment._replace(text=b"")  # written here, not kept
        # as kept: the store's bytes, neither decoded nor joined
        if n:
            yield b","
        yield fragment.text
    rest = {
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "title": a.title,
                "source": a.source,
                "label": a.label,
                "author": a.author,
                "url": a.url,
                "published": a.published.isoformat() if a.published else None,
                "event": event_of.get(a.id),
                "place": a.place,
                "words_raw": a.words_raw,
                "words_clean": a.words_clean,
                "warnings": [d.message for d in a.diagnostics],
                "tags": a.tags,
            }
            for a in digest.articles
        ],
        "warnings": [
            {"path": d.path, "message": d.message, "line": d.line, "column": d.column}
            for d in digest.diagnostics
        ],
        "skipped": digest.skipped,
        "timeline": [_mention_json(m) for m in digest.timeline],
        "key_dates": [
            {
                "date": k.date.isoformat(),
                "precision": k.precision,
                "score": k.score,
                "sentence": k.sentence,
                "articles": k.articles,
                "event": k.event,
            }
            for k in digest.key_dates
        ],
        "redirects": digest.redirects,
        "storylines": [
            {"id": s.id, "title": s.title, "events": s.events} for s in digest.storylines
        ],
    }
    yield ("], " + json.dumps(rest, ensure_ascii=False)[1:] + "\n").encode()


class Fragment(NamedTuple):
    """An event's parts of the files made from all events."""

    text: bytes  # of digest.json, JSON in UTF-8
    search: str  # its entries of the search index (`search_entries`), JSON
    slide: dict[str, Any] | None  # of the TimelineJS data, when dated (`event_slide`)


def event_fragments(
    events: list[Event],
    held: Holder,
    config: Config,
    store: AnalysisCache | None,
    making: Makings,
) -> Iterator[Fragment]:
    """Each event's part of `digest.json`, its entries of the search index (the event and
    its quotes) and its TimelineJS slide. Made from its findings, read and unpickled from the
    store, unless `store` keeps it from a build that made it of the same: the event's
    fingerprint, the fields set after it, the site's address and language, and the code. An
    edit thus unpickles only the findings of the events it reaches, and makes the parts of no
    other event."""
    base, formatted = config.base_url or "", date_formatter(config.language)
    keys = [_fragment_key(e, config, making) for e in events]
    fresh: dict[str, bytes] = {}
    for start in range(0, len(events), FRAGMENT_BATCH):
        batch = keys[start : start + FRAGMENT_BATCH]
        known = store.get_many([k for k in batch if k], "fragments") if store else {}
        for event, key in zip(events[start : start + FRAGMENT_BATCH], batch, strict=True):
            if key in known:
                yield known[key]
                continue
            findings = held(event, False).findings_of()
            made = Fragment(
                json.dumps(_event_json(event, findings), ensure_ascii=False).encode(),
                json.dumps(search_entries(event, findings), ensure_ascii=False)[1:-1],
                event_slide(event, base, formatted) if event.date else None,
            )
            if key:
                fresh[key] = pickle.dumps(made, pickle.HIGHEST_PROTOCOL)
            yield made
        if store and fresh:
            store.put(fresh, "fragments")
            fresh.clear()
    if store:
        store.prune(set(keys), "fragments")


def search_entries(event: Event, findings: Findings) -> list[dict[str, Any]]:
    """What the search page looks through of an event: the event, and its quotes, each with
    its event and outlets, linked to the quote itself."""
    url = urls.event_page(event.slug)
    source = {a.id: a.label for a in event.articles}
    entries = [
        {
            "kind": "event",
            "title": event.title,
            "text": event.summary,
            "url": url,
            # searched, not shown: "Healey" finds the event that quotes him
            "people": people_and_speakers(event.people, [q.speaker for q in findings.quotes]),
        }
    ]
    for number, quote in enumerate(findings.quotes, 1):
        entries.append(
            {
                "kind": "quote",
                "title": quote.speaker or "Speaker not named",
                "text": quote.text,
                "url": urls.quote(event.slug, number),
                "event": event.title,
                "outlets": list(dict.fromkeys(source[a] for a in quote.articles)),
            }
        )
    return entries


def _fragment_key(event: Event, config: Config, making: Makings) -> str:
    """What an event's parts are made from; none for an event without a fingerprint (made
    outside a build's store)."""
    if not event.fingerprint:
        return ""
    # its importance is ranked after describing, from the whole story's evidence
    site = (config.base_url, config.language)
    return value_hash((source_hash(), making(event), event.importance, site)).hex()


def _event_json(event: Event, findings: Findings) -> dict[str, Any]:
    return {
        "id": event.id,
        "slug": event.slug,
        "title": event.title,
        "date": event.date.isoformat() if event.date else None,
        "date_precision": event.date_precision,
        "place": event.place,
        "summary": event.summary,
        "articles": [a.id for a in event.articles],
        "sources": event.sources,
        "coverage": _plain(findings.coverage),
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "articles": q.articles,
                "conflicts": q.conflicts,
                "only_in": q.only_in,
                "variants": _plain(q.variants),
            }
            for q in findings.quotes
        ],
        "rewrites": _plain(findings.rewrites),
        "copies": _plain(findings.copies),
        "first_reported": findings.first_reported,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "importance": event.importance,
        "people": event.people,
        "storyline": event.storyline,
        "facts": [
            {
                "text": f.text,
                "articles": f.articles,
                "unique": f.unique,
                "details": [{"value": d.value, "articles": d.articles} for d in f.details],
            }
            for f in findings.facts
        ],
        "discrepancies": [
            {
                "fact": d.fact,
                "kind": d.kind,
                "values": [
                    {"value": v.value, "written": v.written, "articles": v.articles}
                    for v in d.values
                ],
            }
            for d in findings.discrepancies
        ],
        "wordings": [
            {
                "fact": w.fact,
                "choices": [{"words": v.value, "articles": v.articles} for v in w.choices],
            }
            for w in findings.wordings
        ],
        "quality": _plain(findings.quality),
        "date_reports": _plain(event.date_reports),
        "mentions": [_mention_json(m) for m in event.mentions],
    }


def _mention_json(mention: TimelineMention) -> dict[str, Any]:
    return {
        "date": mention.date.isoformat(),
        "value": mention.value,
        "precision": mention.precision,
        "text": mention.text,
        "articles": mention.articles,
    }


def _plain(value: Any) -> Any:
    """Dataclasses as JSON values, field by field in their order, dates as ISO text: for the
    findings whose fields `digest.json` keeps all, under their own names."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
