"""The keys of incremental builds: a hash of everything a page is made from, so that a page
the previous site holds made from the same is not rendered again."""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

from .. import urls
from ..cache import source_hash
from ..config import Config
from ..model import Event
from .site import Page
from .theme import GENERATOR


def context_hash(context: dict[str, Any]) -> bytes:
    """A hash of a page's context. An event whose fingerprint says what it was made from
    counts by that and by the fields set after it, not by all its contents (much the
    slower to hash); its articles are in the fingerprint too."""
    event = context.get("event")
    if isinstance(event, Event) and event.fingerprint:
        made = (event.fingerprint, event.id, event.slug, event.storyline, event.mentions)
        rest = {k: v for k, v in context.items() if k != "event"}
        return hashlib.sha256(canonical((made, rest))).digest()
    return hashlib.sha256(canonical(context)).digest()


def canonical(value: Any) -> bytes:
    """The value pickled without the pickler's memo, so that equal values give equal bytes
    however their objects are shared (a cached event and a fresh one share differently)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: shared objects are written out each time they occur
    pickler.dump(value)
    return buffer.getvalue()


def made_of(event: Event) -> Any:
    """What an event is made from, to hash: its fingerprint (what describing and comparing
    made it from) and the fields set after them, much quicker to hash than its records; the
    event itself when it has no fingerprint (made outside a build's store)."""
    if not event.fingerprint:
        return event
    return (
        event.fingerprint,
        event.id,
        event.slug,
        event.storyline,
        event.importance,
        event.mentions,
    )


def salt(config: Config, templates: Path) -> bytes:
    """What every page is made from besides its own context: the code, the templates and the
    settings."""
    digest = hashlib.sha256(f"{source_hash()}|{config!r}|{GENERATOR}".encode())
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            # by its place among the templates: the same theme reached by another path is
            # the same theme, and its pages are reused
            digest.update(path.relative_to(templates).as_posix().encode() + path.read_bytes())
    return digest.digest()


def page_key(salt: bytes, page: Page, hashed: bytes, config: Config) -> str:
    """A page's key: the hash of its context (`hashed`), its place and template, and what
    every page is made from (`salt`)."""
    inputs = (salt, page.path, page.template, urls.root(page.path, config.base_url), hashed)
    return hashlib.sha256(pickle.dumps(inputs)).hexdigest()
