"""Stable identity: an event keeps its id and slug (its URL) from one build to the next.

The previous build's digest.json says which event each article was in. An event that holds
articles of one previous event keeps that event's id and slug, however many articles join it.
When events merge, the merged event keeps the identity of its oldest part and the other parts'
old slugs redirect to it. A new event gets an id from its oldest article and a slug from its
date and title, unique among every slug in use or redirecting.

The previous digest may come from anywhere (the published site's, downloaded), so a slug
in it is a path only if it is one this module could have made: one safe path segment,
unique. An event with any other is taken as new; a redirect from any other is dropped.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..model import Event

SLUG_MAX = 72
SLUG_LONGEST = SLUG_MAX + 8  # a made slug: SLUG_MAX, and "-2", "-3", ... for its namesakes


@dataclass(frozen=True)
class _Previous:
    slug: str
    date: str  # ISO date, or "" for undated: the oldest part sorts first


def assign_identity(
    events: list[Event], previous: dict[str, Any] | None, problems: list[str] | None = None
) -> dict[str, str]:
    """Give every event its id and slug; return the redirects, old slug -> event id. What
    `previous` holds that cannot be trusted is left out, and said in `problems`."""
    known, article_event, redirects = _read(previous, [] if problems is None else problems)
    parts = {id(e): _parts(e, article_event, known) for e in events}
    holders: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for part in parts[id(event)]:
            holders[part].append(event)
    claimed: dict[str, Event] = {}  # previous event id -> the event that now answers for it
    fresh: list[Event] = []
    for event in sorted(events, key=lambda e: _age(parts[id(e)], known, e)):
        mine = [p for p in parts[id(event)] if p not in claimed]
        if not mine:
            fresh.append(event)
            continue
        kept = mine[0]  # the oldest part keeps its identity
        event.id, event.slug = kept, known[kept].slug
        claimed[kept] = event
    for part, held in holders.items():  # merged parts redirect to where most of them went
        if part not in claimed:
            claimed[part] = max(
                held, key=lambda e: sum(article_event.get(a.id) == part for a in e.articles)
            )
            redirects[known[part].slug] = claimed[part].id
    used_ids = {e.id for e in claimed.values()}
    used_slugs = {e.slug for e in claimed.values()} | set(redirects)
    tried_ids: dict[str, int] = {}
    tried_slugs: dict[str, int] = {}
    for event in sorted(fresh, key=lambda e: (e.date is None, e.date, e.articles[0].id)):
        event.id = _unique(
            event.id,
            used_ids,
            lambda base, n: hashlib.sha1(f"{base}:{n}".encode()).hexdigest()[:10],
            tried_ids,
        )
        event.slug = _unique(_slug(event), used_slugs, lambda base, n: f"{base}-{n}", tried_slugs)
        used_ids.add(event.id)
        used_slugs.add(event.slug)
    moved = {part: event.id for part, event in claimed.items()}
    alive = {e.id for e in events}
    slugs = {e.slug for e in events}
    result = {}
    for slug, target in sorted(redirects.items()):
        target = moved.get(target, target)
        if target in alive and slug not in slugs:
            result[slug] = target
    return result


def remembered(events: list[Event], redirects: dict[str, str]) -> dict[str, Any]:
    """What the next build needs to keep these events' identities: the parts of digest.json
    that `assign_identity` reads, without the rest."""
    return {
        "events": [
            {"id": e.id, "slug": e.slug, "date": e.date.isoformat() if e.date else None}
            for e in events
        ],
        "articles": [{"id": a.id, "event": e.id} for e in events for a in e.articles],
        "redirects": dict(redirects),
    }


def _read(
    previous: dict[str, Any] | None, problems: list[str]
) -> tuple[dict[str, _Previous], dict[str, str], dict[str, str]]:
    """What the previous digest.json says; anything missing or malformed counts as nothing,
    and an event or redirect whose slug is not a safe, unique path segment is left out (said
    in `problems`)."""
    if not isinstance(previous, dict):
        return {}, {}, {}
    known: dict[str, _Previous] = {}
    holder: dict[str, str] = {}  # slug -> the event that has it
    for event in _listed(previous, "events"):
        if not (
            isinstance(event, dict)
            and isinstance(event.get("id"), str)
            and isinstance(event.get("slug"), str)
        ):
            continue
        ident, slug = event["id"], event["slug"]
        if ident in known:
            problems.append(f"event {ident}: is listed twice; the first is used")
            continue
        problem = _unsafe(slug) or (
            f"slug {slug!r} is event {holder[slug]}'s too" if slug in holder else None
        )
        if problem:
            problems.append(f"event {ident}: {problem}; it gets a new id and slug")
            continue
        holder[slug] = ident
        known[ident] = _Previous(slug, str(event.get("date") or ""))
    article_event = {
        a["id"]: a["event"]
        for a in _listed(previous, "articles")
        if isinstance(a, dict) and a.get("event") in known and isinstance(a.get("id"), str)
    }
    listed = previous.get("redirects")
    redirects: dict[str, str] = {}
    for slug, target in listed.items() if isinstance(listed, dict) else ():
        if isinstance(slug, str) and isinstance(target, str):
            if problem := _unsafe(slug):
                problems.append(f"redirect {slug!r}: {problem}; left out")
            else:
                redirects[slug] = target
    return known, article_event, redirects


def _listed(previous: dict[str, Any], name: str) -> list[Any]:
    found = previous.get(name)
    return found if isinstance(found, list) else []


def _unsafe(slug: str) -> str | None:
    """Why `slug` is not one this module could have made (see `_slugified`), or None."""
    if not slug or len(slug) > SLUG_LONGEST or _slugified(slug) != slug:
        return f"slug {slug[: SLUG_LONGEST + 1]!r} is not a safe path segment"
    return None


def _parts(event: Event, article_event: dict[str, str], known: dict[str, _Previous]) -> list[str]:
    """The previous events this event's articles were in, the oldest first."""
    counts = Counter(article_event[a.id] for a in event.articles if a.id in article_event)
    return sorted(counts, key=lambda p: (known[p].date == "", known[p].date, -counts[p], p))


def _age(parts: list[str], known: dict[str, _Previous], event: Event) -> tuple:
    """Events holding the oldest previous events choose first; new ones come last."""
    if not parts:
        return (1, False, "", 0, event.articles[0].id)
    first = known[parts[0]]
    return (0, first.date == "", first.date, -len(event.articles), parts[0])


def _slug(event: Event) -> str:
    """Readable: the date and the title ('2025-03-12-ministers-meet-in-paris')."""
    base = _slugified(f"{event.date.isoformat() if event.date else 'undated'} {event.title}")
    if len(base) > SLUG_MAX:
        base = base[:SLUG_MAX].rsplit("-", 1)[0]
    return base or event.id


def _slugified(text: str) -> str:
    """The slug rules: lower-case ASCII letters and digits, words joined by single hyphens,
    so always one safe path segment."""
    return urls.slugified(text, replacements=[["'", ""], ["’", ""]])


def _unique(base: str, used: set[str], variant, tried: dict[str, int]) -> str:
    """`base`, or its first variant (number 2, 3, ...) not in `used`. `tried` keeps, per base,
    the number to try next, so that many events of one title are numbered in linear time;
    the caller adds the result to `used`."""
    if base not in used:
        return base
    n = tried.get(base, 2)
    while (candidate := variant(base, n)) in used:
        n += 1
    tried[base] = n + 1
    return candidate
