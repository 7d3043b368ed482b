"""Where the heavy stages run: work shared out among processes for stages whose items are
independent (articles to analyse, runs of days to group, events to compare, pages to render).
Results come back in the order of the items, so the site is the same wherever it was made.

`LocalWorkers`, the default, is a process pool on this machine; `storyline.cluster` gives the
same interface on a Dask cluster. Both send the items in chunks and keep only a few chunks in
flight, so neither the items' pickles nor the results pile up while the build consumes them.

The local processes start from a fork server, not by forking the build: a build may run beside
threads (a test's web server, `serve`), which fork is not safe with. As with any
multiprocessing, a script that calls `build()` needs an `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")
CHUNKS_IN_FLIGHT = 4  # per worker: enough to keep each busy while the results are taken
# What the stages' work imports (SciPy, dateparser, Jinja: seconds of CPU), loaded
# once in the fork server, which every worker of every stage is forked from with them loaded.
# Without it, each worker of each stage imported them again; `serve` keeps its fork server,
# and so the modules, between rebuilds.
PRELOAD = [
    "__main__",  # multiprocessing's own default
    "storyline.clean",
    "storyline.dates",
    "storyline.events",
    "storyline.events.group",
    "storyline.compare",
    "storyline.render",
    "storyline.preload",  # last: what the workers would each do after the imports
]


class Pending(Protocol):
    """A chunk's results to come: a concurrent.futures or a Dask future."""

    def result(self) -> Any: ...


class Workers(ABC):
    """Runs a function over items somewhere, results in order; subclasses say where."""

    slots = 1  # how many chunks run at once

    def map(
        self, function: Callable[[T], R], items: Iterable[T], at_least: int, chunk: int
    ) -> Iterator[R]:
        """function(item) for each item, in order, `chunk` items to a task. Fewer than
        `at_least` items run here when the workers are this machine's own processes. The
        items are taken as tasks are sent, so that a generator's are never all made at once."""
        items = iter(items)
        first = list(itertools.islice(items, at_least))
        count = len(first)
        items = itertools.chain(first, items)
        del first  # the chain lets go of each item once it is taken
        if not self.distributes(count, at_least):
            yield from map(function, items)
            return
        pending: deque[Pending] = deque()
        while task := list(itertools.islice(items, chunk)):
            pending.append(self.submit(function, task))
            if len(pending) >= CHUNKS_IN_FLIGHT * self.slots:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    @abstractmethod
    def distributes(self, count: int, at_least: int) -> bool:
        """Whether `count` items go to the workers."""

    @abstractmethod
    def submit(self, function: Callable[[T], R], chunk: list[T]) -> Pending:
        """Start `each(function, chunk)` on a worker."""


def each(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    """What a worker runs for one chunk."""
    return [function(item) for item in chunk]


def end_with_the_build() -> None:
    """Run by each local worker as it starts: it ends when its build is gone rather than
    wait for work forever (it holds its own end of the pool's queue), keeping the build's
    terminal or pipe open and its memory: a build that is killed (`kill -9`, out of memory)
    does not tell its workers."""
    build = multiprocessing.parent_process()
    assert build is not None  # a worker is started by the build

    def watch() -> None:
        build.join()
        os._exit(1)

    threading.Thread(target=watch, name="watch the build", daemon=True).start()


@contextmanager
def stops_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait for the block to end, then stop the build as they would have.
    A stop while the pool starts a process, before it knows the process's id, leaves a worker
    it does not count: at shutdown, that one takes the one "stop" message the pool sends for
    each worker it knows, and a worker it knows waits for work forever, the build with it.
    Python runs signal handlers in the main thread only, so elsewhere there is nothing to hold."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM)
    handlers = {stop: signal.signal(stop, lambda signum, _: held.append(signum)) for stop in stops}
    try:
        yield
    finally:
        for stop, handler in handlers.items():
            signal.signal(stop, handler)
        if held:
            signal.raise_signal(held[0])


class LocalWorkers(Workers):
    """`jobs` processes on this machine, started for each stage that needs them and stopped
    at its end: a process keeps the memory its stage used, which the next stage would add to
    (at 10,000 articles, one pool for the whole build peaked 210 MB higher). Starting them
    costs little: they are forked from one fork server per build (per `serve`), which loaded
    the stages' modules once (`PRELOAD`)."""

    def __init__(self, jobs: int):
        self.slots = max(1, jobs)
        self.pool: Executor | None = None

    def map(
        self, function: Callable[[T], R], items: Iterable[T], at_least: int, chunk: int
    ) -> Iterator[R]:
        try:
            yield from super().map(function, items, at_least, chunk)
        finally:
            self.close()

    def distributes(self, count: int, at_least: int) -> bool:
        # below `at_least`, starting worker processes costs more than it saves
        return self.slots > 1 and count >= at_least

    def submit(self, function: Callable[[T], R], chunk: list[T]) -> Pending:
        if self.pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)  # before its server starts, else unused
            self.pool = ProcessPoolExecutor(
                self.slots, mp_context=context, initializer=end_with_the_build
            )
        with stops_held():  # a submit may start a process
            return self.pool.submit(each, function, chunk)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def __enter__(self) -> LocalWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
