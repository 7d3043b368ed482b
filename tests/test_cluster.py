"""Builds on a Dask cluster (`--scheduler`): a real `distributed.LocalCluster` of two worker
processes on loopback makes the same site, byte for byte, as this machine's own processes,
even when a worker is killed mid-build; a cluster that cannot run the build says why."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import dask
import distributed
import pytest

from storyline import write
from storyline.cluster import ClusterError, dask_workers
from storyline.pipeline import BuildOptions, build
from tests.conftest import ROOT, write_tree
from tests.test_cache import site_files

GENERATED = 2000


def assert_same_site(one: Path, other: Path) -> None:
    first, second = site_files(one), site_files(other)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []


def built(project: Path, content: Path, output: Path, config: str = "", **options) -> Path:
    config_path = project / "config.yaml"
    config_path.write_text(config, encoding="utf-8")
    build(
        BuildOptions(
            config=config_path,
            content=content,
            output=output,
            templates=ROOT / "templates",
            cache=False,
            **options,
        )
    )
    return output


def two_workers() -> distributed.LocalCluster:
    """A real cluster: two worker processes of one thread each, on loopback."""
    return distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    )


@pytest.fixture(scope="module")
def cluster():
    with two_workers() as local:
        yield local


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    """A generated corpus of 2,000 articles, and its site as this machine's two worker
    processes build it."""
    from bench.corpus import generate, write_markdown

    base = tmp_path_factory.mktemp("generated")
    write_markdown(generate(GENERATED), base / "content")
    site = built(base, base / "content", base / "local", jobs=2)
    return base / "content", site


def test_the_sample_digest_built_on_the_cluster_is_the_local_one_byte_for_byte(tmp_path, cluster):
    local = built(tmp_path, ROOT / "content", tmp_path / "local", config_of_sample(), jobs=1)
    remote = built(
        tmp_path,
        ROOT / "content",
        tmp_path / "cluster",
        config_of_sample(),
        scheduler=cluster.scheduler_address,
    )
    assert (remote / "index.html").is_file()
    assert_same_site(local, remote)


def config_of_sample() -> str:
    return (ROOT / "config.yaml").read_text(encoding="utf-8")


def test_a_generated_corpus_built_on_the_cluster_is_the_local_one_byte_for_byte(
    tmp_path, cluster, generated
):
    content, local = generated
    remote = built(tmp_path, content, tmp_path / "cluster", scheduler=cluster.scheduler_address)
    assert len(list(remote.glob("events/*/index.html"))) > 300
    assert_same_site(local, remote)


@pytest.mark.parametrize("stage", ["analyse", "describe"])
def test_a_worker_killed_mid_build_has_its_tasks_run_again_elsewhere(tmp_path, generated, stage):
    content, local = generated
    killed: list[int] = []
    with (
        two_workers() as fresh,
        distributed.Client(fresh, set_as_default=False) as client,
    ):
        pids = client.run(os.getpid)

        def kill_one_worker_halfway(name: str, done: int, total: int) -> None:
            if name == stage and not killed and done >= total // 2:
                pid = sorted(pids.values())[0]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        config = tmp_path / "config.yaml"
        config.write_text("", encoding="utf-8")
        options = BuildOptions(
            config=config,
            content=content,
            output=tmp_path / "cluster",
            templates=ROOT / "templates",
            cache=False,
            scheduler=fresh.scheduler_address,
        )
        build(options, kill_one_worker_halfway)
        assert killed, f"the build never reached the middle of {stage!r}"
        assert not pid_alive(killed[0])
        assert killed[0] not in client.run(os.getpid).values()  # the nanny started a new one
    assert_same_site(local, tmp_path / "cluster")


MARKER = re.compile(rb"Archive marker (\d{5}) closes this report")


def marked_copy(content: Path, target: Path) -> int:
    """The generated articles, each with a last paragraph found in no other (past its first
    60 words, which the search index keeps); how many there are."""
    files = sorted(content.glob("*.md"))
    for n, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        assert len(text.split("---", 2)[2].split()) > 60
        marked = f"{text.rstrip()}\n\nArchive marker {n:05d} closes this report.\n"
        (target / path.name).write_text(marked, encoding="utf-8")
    return len(files)


def texts_alive() -> set[bytes]:
    """The marked articles whose texts some object alive in this process holds, as text or
    as bytes (a pickle on its way to a worker, or the store's)."""
    gc.collect()  # what nothing holds any more is not held
    found: set[bytes] = set()
    for holder in gc.get_objects():
        for value in gc.get_referents(holder):
            if isinstance(value, str) and "Archive marker" in value:
                found.update(MARKER.findall(value.encode("utf-8", "surrogatepass")))
            elif isinstance(value, bytes | bytearray) and b"Archive marker" in value:
                found.update(MARKER.findall(value))
    return found


@pytest.mark.parametrize("scheduler", [None, "local"], ids=["local processes", "local cluster"])
def test_the_building_process_never_holds_every_article_text(tmp_path, generated, scheduler):
    """With --scheduler local, the cluster's scheduler runs in the building process too."""
    content = tmp_path / "content"
    content.mkdir()
    count = marked_copy(generated[0], content)
    held: dict[str, int] = {}

    def look(name: str, done: int, total: int) -> None:
        if name in ("analyse", "describe") and name not in held and done >= total // 2:
            held[name] = len(texts_alive())

    real_write = write.write_site

    def write_looking_halfway(files, *args):
        def looked():
            for n, file in enumerate(files):
                if n == 500:
                    held["render"] = len(texts_alive())
                yield file

        return real_write(looked(), *args)

    config = tmp_path / "config.yaml"
    config.write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(write, "write_site", write_looking_halfway)
        options = BuildOptions(config, content, tmp_path / "site", ROOT / "templates", jobs=2)
        build(replace(options, scheduler=scheduler), look)
    assert held.keys() == {"analyse", "describe", "render"}
    # What is on its way to and from the workers: 4 chunks of 32 articles per worker, the
    # articles being read and those being stored, some 350 of the 2,000 at most here. Until
    # the build ran its stages from the store, it held all 2,000 from the analysis on.
    assert max(held.values()) < count // 3, held
    pages = (tmp_path / "site" / "events").glob("*/index.html")
    shown = {marker for page in pages for marker in MARKER.findall(page.read_bytes())}
    assert len(shown) == count  # and every text made it to its event's page


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a killed child stays a zombie until its nanny reaps it
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_a_clear_error_within_the_timeout(tmp_path):
    write_tree(
        tmp_path,
        {
            "config.yaml": "scheduler_timeout: 2\n",
            "content/a.md": "---\ntitle: A\ndate: 2025-03-01\n---\nText.\n",
        },
    )
    address = f"tcp://127.0.0.1:{closed_port()}"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--config",
            str(tmp_path / "config.yaml"),
            "--content",
            str(tmp_path / "content"),
            "--output",
            str(tmp_path / "site"),
            "--templates",
            str(ROOT / "templates"),
            "--scheduler",
            address,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: could not reach the Dask scheduler at {address} within 2 s. Is `dask "
        "scheduler` running there, and can this machine reach its port? (Timed out trying to "
        f"connect to {address} after 2 s)"
    )
    assert not (tmp_path / "site").exists()


def test_a_scheduler_without_workers_says_how_to_start_one(tmp_path):
    write_tree(tmp_path, {"content/a.md": "---\ntitle: A\ndate: 2025-03-01\n---\nText.\n"})
    with distributed.LocalCluster(
        n_workers=0, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as empty:
        address = empty.scheduler_address
        with pytest.raises(ClusterError) as error:
            built(tmp_path, tmp_path / "content", tmp_path / "site", "scheduler_timeout: 1\n",
                  scheduler=address)  # fmt: skip
    assert str(error.value) == (
        f"the Dask scheduler at {address} has no workers after 1 s; start some with "
        f"`dask worker {address}`"
    )
    assert not (tmp_path / "site").exists()


def test_workers_running_another_storyline_are_refused_in_plain_words(tmp_path):
    """A real worker process whose storyline is another version: the build names the worker,
    the package and both versions, and writes nothing."""
    other = tmp_path / "other"
    shutil.copytree(ROOT / "storyline", other / "storyline")
    init = other / "storyline" / "__init__.py"
    init.write_text(
        init.read_text(encoding="utf-8").replace('__version__ = "', '__version__ = "9.9.'),
        encoding="utf-8",
    )
    write_tree(tmp_path, {"content/a.md": "---\ntitle: A\ndate: 2025-03-01\n---\nText.\n"})
    from storyline import __version__

    with distributed.LocalCluster(
        n_workers=0, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as empty:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                empty.scheduler_address,
                "--nthreads",
                "1",
                "--no-nanny",
                "--host",
                "127.0.0.1",
            ],  # fmt: skip
            env={**os.environ, "PYTHONPATH": str(other)},
            cwd=tmp_path,
            stderr=subprocess.DEVNULL,
        )
        try:
            with pytest.raises(ClusterError) as error:
                built(tmp_path, tmp_path / "content", tmp_path / "site", "scheduler_timeout: 60\n",
                      scheduler=empty.scheduler_address)  # fmt: skip
        finally:
            worker.terminate()
            worker.wait(30)
    message = str(error.value)
    assert message.startswith(
        "the Dask cluster does not run the same software as this machine, so the site could "
        "differ from a local build:\n  worker tcp://127.0.0.1:"
    )
    assert f"runs storyline 9.9.{__version__} (here: {__version__}), storyline code " in message
    assert message.endswith(
        f"Install the same versions on the scheduler and every worker, e.g. with pip install "
        f"'storyline[dask]=={__version__}' from the same source."
    )
    assert not (tmp_path / "site").exists()


def test_without_dask_the_scheduler_option_says_what_to_install(tmp_path, monkeypatch):
    write_tree(tmp_path, {"content/a.md": "---\ntitle: A\ndate: 2025-03-01\n---\nText.\n"})
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    with pytest.raises(ClusterError) as error:
        built(tmp_path, tmp_path / "content", tmp_path / "site", scheduler="local")
    assert str(error.value) == (
        "--scheduler needs Dask, which is not installed: pip install 'storyline[dask]'"
    )


def test_a_local_build_does_not_load_dask(tmp_path):
    """The default install stays light, and so does a build that does not ask for a cluster."""
    code = (
        "import sys; from storyline import cli; "
        "cli.main(['--config', sys.argv[1], '--content', sys.argv[2], '--output', sys.argv[3], "
        "'--templates', sys.argv[4], '--no-cache', '-q']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(ROOT / "config.yaml"),
            str(ROOT / "content"),
            str(tmp_path / "site"),
            str(ROOT / "templates"),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert (tmp_path / "site" / "index.html").is_file()
    assert result.stdout.strip() == "[]"


def test_a_scheduler_lost_mid_build_stops_it_and_leaves_the_last_site_alone(tmp_path, generated):
    """`dask scheduler` and `dask worker` as a user starts them; the scheduler dies halfway
    through the analysis. The build stops with a plain error and the site is the last one."""
    content, local = generated
    site = tmp_path / "site"
    shutil.copytree(local, site)
    address_file = tmp_path / "scheduler.json"
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    scheduler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(address_file),
        ],  # fmt: skip
        env=environment,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        for _ in range(600):
            if address_file.exists() and address_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(address_file.read_text(encoding="utf-8"))["address"]
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                address,
                "--nthreads",
                "1",
                "--host",
                "127.0.0.1",
            ],  # fmt: skip
            env=environment,
            stderr=subprocess.DEVNULL,
        )

        def kill_scheduler_halfway(name: str, done: int, total: int) -> None:
            if name == "analyse" and done >= total // 2 and scheduler.poll() is None:
                scheduler.kill()
                scheduler.wait(30)

        (tmp_path / "config.yaml").write_text("scheduler_timeout: 60\n", encoding="utf-8")
        options = BuildOptions(
            config=tmp_path / "config.yaml",
            content=content,
            output=site,
            templates=ROOT / "templates",
            cache=False,
            scheduler=address,
        )
        with pytest.raises(ClusterError) as error:
            build(options, kill_scheduler_halfway)
    finally:
        for process in (worker, scheduler):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(30)
    assert str(error.value).startswith(
        f"the connection to the Dask scheduler at {address} was lost mid-build ("
    )
    assert str(error.value).endswith("); nothing was written")
    assert_same_site(local, site)


def test_cluster_and_local_builds_share_the_cache(tmp_path, cluster):
    """The cluster's results are kept in the build cache here: a local build after a cluster
    build finds the site up to date, and a cluster rebuild after an edit makes the site a
    clean local build makes."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "config.yaml").write_text(config_of_sample(), encoding="utf-8")

    def run(output: Path, **options):
        return build(
            BuildOptions(
                config=tmp_path / "config.yaml",
                content=tmp_path / "content",
                output=output,
                templates=ROOT / "templates",
                **options,
            )
        )

    assert not run(tmp_path / "site", scheduler=cluster.scheduler_address).unchanged
    assert run(tmp_path / "site", jobs=1).unchanged
    edited = sorted((tmp_path / "content").rglob("*.md"))[0]
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nThe council met again on Friday.\n",
        encoding="utf-8",
    )
    rebuilt = run(tmp_path / "site", scheduler=cluster.scheduler_address)
    assert not rebuilt.unchanged
    run(tmp_path / "clean", jobs=1, cache=False)
    assert_same_site(tmp_path / "clean", tmp_path / "site")


def end_the_worker(item: int) -> int:
    os._exit(1)  # as a worker killed by the kernel for its memory


def test_a_task_that_ends_every_worker_it_is_given_stops_the_build_in_plain_words():
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        two_workers() as fresh,
        dask_workers(fresh.scheduler_address, jobs=2, timeout=30) as workers,
        pytest.raises(ClusterError) as error,
    ):
        list(workers.map(end_the_worker, [1], at_least=1, chunk=1))
    assert str(error.value).startswith("a task ended the worker it ran on, on every worker")
    assert str(error.value).endswith(
        "the build stopped. Workers that run out of memory do this: give them more."
    )
