"""The keys of incremental builds: a hash of everything a page is made from, so that a page
the previous site holds made from the same is not rendered again."""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import urls
from ..cache import source_hash
from ..config import Config
from ..model import Event
from .theme import GENERATOR

if TYPE_CHECKING:  # the site's pages hash their events with `Makings`
    from .site import Page


def context_hash(context: dict[str, Any], making: Makings) -> bytes:
    """A hash of a page's context, its event counted by what it is made from (`making`)."""
    event = context.get("event")
    if isinstance(event, Event) and event.fingerprint:
        rest = {k: v for k, v in context.items() if k != "event"}
        return value_hash((making(event), rest))
    return value_hash(context)


def value_hash(value: Any) -> bytes:
    """A hash of a value by its canonical bytes (`canonical`)."""
    return hashlib.sha256(canonical(value)).digest()


def canonical(value: Any) -> bytes:
    """The value pickled without the pickler's memo, so that equal values give equal bytes
    however their objects are shared (a cached event and a fresh one share differently)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: shared objects are written out each time they occur
    pickler.dump(value)
    return buffer.getvalue()


class Makings:
    """The hash of what each event is made from (`made_of`), each event hashed once a build:
    the keys of its pages, of the listings that show it and of its part of `digest.json` all
    hash it, and the mentions of a story's main events (thousands) are slow to hash. By the
    event's id, which is the event's own within a digest."""

    def __init__(self) -> None:
        self.hashed: dict[str, bytes] = {}

    def __call__(self, event: Event) -> bytes:
        found = self.hashed.get(event.id)
        if found is None:
            found = self.hashed[event.id] = value_hash(made_of(event))
        return found


def made_of(event: Event) -> Any:
    """What an event is made from, to hash: its fingerprint (what describing and comparing
    made it from, its articles too) and the fields set after them that its own pages show,
    much quicker to hash than its records; the event itself when it has no fingerprint (made
    outside a build's store). Its importance, ranked from the whole story, is not among them:
    the pages that show or order by it hash it beside this."""
    if not event.fingerprint:
        return event
    return (event.fingerprint, event.id, event.slug, event.storyline, event.mentions)


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
