"""Results kept from one build for the next by a hash of what each was made from, so that an
edit makes again only those whose inputs it changed (`describe.Choices`, `storylines.Names`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Kept(Generic[T]):
    """Results by a hash of their inputs and `salt` (the code that makes them), given the last
    build's (`known`). What to keep for the next build: `made`, of the results in `used`."""

    def __init__(self, known: dict[str, T], salt: str) -> None:
        self.known = known
        self.salt = salt
        self.made: dict[str, T] = {}
        self.used: set[str] = set()

    def result(self, inputs: object, make: Callable[[], T], valid: Callable[[object], bool]) -> T:
        """The result for `inputs` (hashed by their repr): the kept one if `valid`, else made."""
        text = f"{self.salt}{inputs!r}"
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        self.used.add(key)
        found = self.known.get(key, self.made.get(key))
        if not valid(found):
            found = self.made[key] = make()
        return found  # type: ignore[return-value]  # valid() vouched for it
