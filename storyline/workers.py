"""Work shared out among processes, one per core, for stages whose items are independent
(articles to analyse, events to compare). Results come back in the order of the items, so
the site is the same with any number of workers.

The processes start from a fork server, not by forking the build: a build may run beside
threads (a test's web server, `serve`), which fork is not safe with. As with any
multiprocessing, a script that calls `build()` needs an `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def mapped(
    function: Callable[[T], R], items: list[T], jobs: int, at_least: int, chunk: int
) -> Iterator[R]:
    """function(item) for each item, in order: in `jobs` worker processes when there are
    `at_least` items (starting workers costs more than it saves on fewer), else here."""
    if jobs < 2 or len(items) < at_least:
        yield from map(function, items)
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        yield from pool.map(function, items, chunksize=chunk)
