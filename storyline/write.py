"""Write stage: put the rendered files in place without ever leaving a broken site.

Only the files that changed are written: a file the previous site already holds, made from the
same inputs or with the same bytes, is left in place once it is found to hold what was written
(an edit by hand is never kept). The changed files are written in a folder beside the output
folder, then moved in, the files they replace kept aside until the marker file, which names the
site, is swapped in last: a build that fails, or is killed, leaves the previous site whole.
Nothing outside the output folder is deleted, and a folder that this tool did not make is never
written into (the marker file tells).
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import posixpath
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from . import testhooks
from .model import SiteFile, Written

MARKER = ".storyline-site"
Stats = dict[str, os.stat_result]  # of the folders or ends of a tree, by path inside it
# in the backup folder beside the output folder while new files move in (`_commit`)
JOURNAL = "journal.json"  # the new site's marker, and the files it adds
KEPT = "kept"  # the files it replaces or removes, by their paths in the site


class OutputError(Exception):
    """The output folder cannot be written safely; the message says why."""


def check_output(output: Path, content: Path, project: Path | None = None) -> None:
    """Refuse an output folder that would destroy content or someone else's files: the
    content folder or one around or inside it, the project (the config file's folder) or one
    around it, the file system's root, the home folder, and any non-empty folder that
    Storyline did not make."""
    out, src = output.resolve(), content.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        where = "the root of the file system" if out == Path(out.anchor) else "your home folder"
        raise OutputError(
            f"{output}: the output folder is {where}; building replaces the output folder's "
            "contents, so choose a folder of its own, such as output/"
        )
    if project is not None and project.resolve().is_relative_to(out):
        raise OutputError(
            f"{output}: the output folder is or contains the project folder "
            f"{project}; building would replace the project, so choose a folder inside it, "
            "such as output/"
        )
    if out == src:
        raise OutputError(f"{output}: the output folder is the content folder; choose another")
    if src.is_relative_to(out):
        raise OutputError(
            f"{output}: the output folder contains the content folder {content}; "
            "building would replace the articles"
        )
    if out.is_relative_to(src):
        raise OutputError(
            f"{output}: the output folder is inside the content folder {content}; "
            "the next build would read the site as articles"
        )
    if out.exists() and not out.is_dir():
        raise OutputError(f"{output}: exists and is not a folder")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise OutputError(
            f"{output}: this folder was not made by Storyline (no {MARKER} file) "
            "and is not empty; empty it or choose another output folder"
        )


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one build: a second build at the same time stops with a
    clear message instead of mixing its files in. The lock is the operating system's, on a
    file beside the folder, so a build that is killed releases it by dying."""
    path = output.parent / f".{output.name}.lock"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        opened = path.open("a")
    except OSError as error:
        raise _unwritable(error, path, output) from error
    with opened as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{output}: another build is writing this folder right now "
                f"(it holds {path.name}); wait for it to finish, then build again"
            ) from None
        try:
            _clear_leftovers(output)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def scratch(output: Path) -> Iterator[Path]:
    """A folder beside the output folder for one build's working files, removed at its end;
    one that a killed build left behind, the next build removes (`_clear_leftovers`)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-scratch-", dir=output.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _clear_leftovers(output: Path) -> None:
    """Remove what a killed build left beside the output folder: its staging folder, and the
    backup of a commit it did not finish, once the previous site is put back from it (or the
    new one was whole: its marker was swapped in)."""
    pattern = glob.escape(f".{output.name}")
    for backup in output.parent.glob(f"{pattern}.old-*"):
        if not _committed(backup, output):
            _roll_back(backup, output)
    for leftover in [
        *output.parent.glob(f"{pattern}.new-*"),
        *output.parent.glob(f"{pattern}.old-*"),
    ]:
        shutil.rmtree(leftover, ignore_errors=True)


def previous_digest(output: Path, given: Path | None = None) -> dict | None:
    """The digest.json of the site this tool wrote last time (or the one `given`, such as the
    published site's), if there is a readable one: it carries the events' ids and slugs over
    to this build."""
    path = given or output / "digest.json"
    if given is None and not (output / MARKER).exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a damaged or missing previous digest only means new ids
    return data if isinstance(data, dict) else None


def site_id(output: Path) -> str | None:
    """The id of the site in the output folder: a hash of its files, which its marker holds."""
    try:
        lines = (output / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((line.split()[1] for line in lines if line.startswith("site ")), None)


class OutputFolder:
    """The output folder as this build found it: each folder in it, and each file, link, empty
    folder or other end of its tree, by path inside it ("." is the output folder itself), with
    its `lstat` (a link is not followed). Found once for the whole build, for the check that
    the site there is untouched (`state`), the files the writer reuses and those it removes;
    `write_site` keeps it in step with what it changes, so that it is known after writing
    without looking again.

    Found without listing any folder where it can: `listing` (what `listing()` gave after the
    last build) names every folder and end there was, with a hash of their stamps. When each is
    there with the same size, times and inode, nothing was added, removed or edited (an
    entry added or removed sets its folder's times, an edit its file's), and listing the
    folders (16,520 of them at 10,000 articles) would find the same; else the folder is
    walked. It trusts the file system's times as the content folder's stamps do (`FileMemo`)."""

    def __init__(self, output: Path, listing: str | None = None):
        self.output = output
        self._base = f"{output}/"
        self._stamp: str | None = None
        found = self._listed(listing) if listing else None
        self.walked = found is None  # not found as listed
        self.folders, self.leaves = found or self._walked()

    def state(self) -> str | None:
        """The site as found: the id its marker holds, and every folder's and end's path, size,
        times and inode, so that a site another build wrote (one with --no-cache, of
        other content, or with another cache) or a file edited, added or removed by hand is
        never taken for the site a cache noted; None when the folder holds no whole site."""
        if not all(
            (found := self.leaves.get(name)) and stat.S_ISREG(found.st_mode)
            for name in (MARKER, "digest.json")
        ):
            return None
        return f"{site_id(self.output)} {self.stamp()}"

    def stamp(self) -> str:
        """A hash of every folder's and end's path, size, times and inode (a change of its
        type or mode sets its change time)."""
        if self._stamp is None:
            lines = [
                f"{path}\0{s.st_size} {s.st_mtime_ns} {s.st_ctime_ns} {s.st_ino}"
                for found in (self.folders, self.leaves)
                for path, s in sorted(found.items())
            ]
            lines.insert(len(self.folders), "")  # the folders end, so no folder is taken for an end
            text = "\n".join(lines).encode("utf-8", "surrogateescape")
            self._stamp = hashlib.sha256(text).hexdigest()
        return self._stamp

    def listing(self) -> str:
        """Every folder and end, with the hash of their stamps, for the next build to find
        them by (`listing` above)."""
        return (
            "\0".join([self.stamp(), str(len(self.folders)), *sorted(self.folders)])
            + "\0"
            + "\0".join(sorted(self.leaves))
        )

    def _listed(self, listing: str) -> tuple[Stats, Stats] | None:
        """The folders and ends `listing` names, if each is as it was then; else None."""
        try:
            stamp, count, *paths = listing.split("\0")
            folders = {path: os.lstat(self._base + path) for path in paths[: int(count)]}
            leaves = {path: os.lstat(self._base + path) for path in paths[int(count) :]}
        except (OSError, ValueError):
            return None
        self.folders, self.leaves = folders, leaves  # for `stamp`
        if self.stamp() != stamp:
            self._stamp = None
            return None
        return folders, leaves

    def _walked(self) -> tuple[Stats, Stats]:
        folders: Stats = {}
        leaves: Stats = {}
        if self.output.is_dir():
            folders["."] = os.lstat(self._base + ".")
            _walk(self._base, "", folders, leaves)
        return folders, leaves

    def rewritten(self, site: Iterable[str], touched: Iterable[str]) -> None:
        """The folder now that the writer made it hold the files of `site` and the marker,
        moving the `touched` paths in or out: these found again, and every folder around
        them (an entry moved in or out sets its folder's times), the others as they were."""
        touched = set(touched)
        around = {"."}
        for path in touched:
            while (path := posixpath.dirname(path)) and path not in around:
                around.add(path)
        folders = {path: s for path, s in self.folders.items() if path not in around}
        for path in around:
            with suppress(FileNotFoundError):  # removed, left empty
                if stat.S_ISDIR((found := os.lstat(self._base + path)).st_mode):
                    folders[path] = found
        self.folders, self._stamp = folders, None
        self.leaves = {
            path: os.lstat(self._base + path) if path in touched else self.leaves[path]
            for path in [*site, MARKER]
        }

    def holds(self, path: str, known: Written) -> bool:
        """Whether the file still holds the bytes it was written with: by its size and time as
        written, else (touched, copied, edited by hand) by the hash of its bytes."""
        found = self.leaves.get(path)
        if found is None or not stat.S_ISREG(found.st_mode) or found.st_size != known.size:
            return False
        if found.st_mtime_ns == known.mtime_ns:
            return True
        digest = hashlib.sha256()
        try:
            with (self.output / path).open("rb") as handle:
                while piece := handle.read(1 << 20):
                    digest.update(piece)
        except OSError:  # gone since the folder was walked
            return False
        return digest.hexdigest() == known.content


def unchanged_in(
    folder: OutputFolder, previous: Mapping[str, Written]
) -> Callable[[str, str], bool]:
    """Whether the site in the output folder, whose files `previous` describes, holds a file
    made from the inputs that `key` hashes, as it was written: then the writer can take it
    over instead of a new one."""

    def unchanged(path: str, key: str) -> bool:
        known = previous.get(path)
        return known is not None and known.key == key and folder.holds(path, known)

    return unchanged


def write_site(
    files: Mapping[str, bytes] | Iterable[SiteFile],
    output: Path,
    content: Path,
    previous: Mapping[str, Written] | None = None,
    folder: OutputFolder | None = None,
) -> dict[str, Written]:
    """Make the output folder hold exactly `files` ({path: content}, or SiteFiles as they are
    made); return what each file was made from and holds. `previous` describes the site in
    the output folder: a file that is unchanged from it (the same key, or the same bytes) and
    still holds what was written is left where it is, not written again, so a small edit
    writes a few files; a file edited by hand is written again. The changed files are written
    beside the output folder first, then moved in (`_commit`). `folder` is the output folder
    as the build found it (walked here if not given); it is left describing the new site."""
    check_output(output, content)
    previous = previous or {}
    folder = folder or OutputFolder(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    except OSError as error:
        raise _unwritable(error, output, output) from error
    writing = output  # what was being written when a file system error came
    written: dict[str, Written] = {}
    changed: list[str] = []  # the files written into the staging folder, to move in
    items = (
        (SiteFile(path, data) for path, data in files.items())
        if isinstance(files, Mapping)
        else files
    )
    try:
        for file in items:
            _check_path(file.path)
            # the file's place in the output folder, and in the staging folder when written:
            # made once each, an edit's site being some 16,000 files left where they are
            writing = output / file.path
            known = previous.get(file.path)
            if file.data is None:  # the render stage found it unchanged (`unchanged_in`)
                if known is None:
                    raise ValueError(f"{file.path}: no previous file to reuse")
                content_hash, fresh = known.content, False
            elif isinstance(file.data, bytes):
                content_hash = hashlib.sha256(file.data).hexdigest()
                fresh = not _still(folder, file.path, known, content_hash)
                if fresh:
                    target = staging / file.path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(file.data)
            else:  # its hash is known once it is written
                target = staging / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                content_hash = _stream(file.data, target)
                fresh = not _still(folder, file.path, known, content_hash)
                if not fresh:
                    target.unlink()
            if fresh:
                changed.append(file.path)
            found = target.stat() if fresh else folder.leaves[file.path]
            written[file.path] = Written(file.key, content_hash, found.st_size, found.st_mtime_ns)
        writing = output / MARKER
        listing = "".join(f"{path} {w.content}\n" for path, w in sorted(written.items()))
        (staging / MARKER).write_text(
            "This folder is generated by Storyline; it is replaced on every build.\n"
            f"site {hashlib.sha256(listing.encode()).hexdigest()}\n",
            encoding="utf-8",
        )
        testhooks.reached("staged")
        writing = output
        gone: list[str] = []
        if output.exists():
            gone = _commit(staging, output, changed, folder.leaves.keys(), written.keys())
        else:  # a first build: the staging folder holds the whole site
            staging.chmod(0o755)
            os.replace(staging, output)
    except OSError as error:  # a full disk, no permission: one line, and no site damaged
        raise _unwritable(error, writing, output, staging) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    folder.rewritten(written, [*changed, *gone, MARKER])
    return written


def _still(folder: OutputFolder, path: str, known: Written | None, content_hash: str) -> bool:
    """Whether the previous site's file at `path` holds these bytes, as it was written."""
    return known is not None and known.content == content_hash and folder.holds(path, known)


def _check_path(path: str) -> None:
    """Refuse a page path that would leave the output folder."""
    normal = posixpath.normpath(path)
    if posixpath.isabs(normal) or normal == ".." or normal.startswith("../"):
        raise OutputError(f"{path}: a page path may not leave the output folder")


def _commit(
    staging: Path, output: Path, changed: list[str], found: Set[str], site: Iterable[str]
) -> list[str]:
    """Move the changed files from the staging folder into the output folder, and the files
    (and other ends of its tree) `found` there that the new site does not have out of it, all
    or nothing; return the paths moved out. The files replaced or removed are kept in a backup
    folder beside, with a journal of the files added, until the marker (the site's id) is
    swapped in last: a failure before that puts the previous site back here, a killed build's
    next build does (`_clear_leftovers`), and nothing is removed whole."""
    gone = sorted(found - {*site, MARKER})
    backup = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    journal = {
        "marker": (staging / MARKER).read_text(encoding="utf-8"),
        "added": [path for path in changed if path not in found],
    }
    try:
        (backup / "journal.tmp").write_text(json.dumps(journal), encoding="utf-8")
        os.replace(backup / "journal.tmp", backup / JOURNAL)  # whole or absent
        for path in gone:
            _move(output / path, backup / KEPT / path)
        _remove_empty_folders(output, gone)
        for n, path in enumerate(changed):
            if path in found:
                _keep_copy(output / path, backup / KEPT / path)
            _move(staging / path, output / path)
            if n == 0:
                testhooks.reached("swapping")
        os.replace(staging / MARKER, output / MARKER)
    except BaseException:
        _roll_back(backup, output)  # should it fail, the next build puts the site back
        shutil.rmtree(backup, ignore_errors=True)
        raise
    testhooks.reached("swapped")
    shutil.rmtree(backup, ignore_errors=True)
    return gone


def _walk(folder: str, inside: str, folders: Stats, leaves: Stats) -> bool:
    """Put each folder below `folder` that holds anything into `folders`, and every file,
    link, empty folder and other end of the tree into `leaves`, by path inside it (after
    `inside`), with its `lstat`; a link to a folder is an end (not followed). Whether `folder`
    holds anything."""
    held = False
    with os.scandir(folder) as entries:
        for entry in entries:
            held = True
            path = inside + entry.name
            found = entry.stat(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False) and _walk(
                entry.path, f"{path}/", folders, leaves
            ):
                folders[path] = found
            else:
                leaves[path] = found
    return held


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _keep_copy(path: Path, backup: Path) -> None:
    """The file about to be replaced, kept in the backup: a hard link, as the replacing
    rename leaves the file's old bytes to it; a copy where the file system has none."""
    backup.parent.mkdir(parents=True, exist_ok=True)
    _take_over(path, backup)


def _remove_empty_folders(output: Path, paths: Iterable[str]) -> None:
    """The folders of `paths` inside the output folder that are left empty, deepest first."""
    folders = {p for path in paths for p in PurePosixPath(path).parents if p.parts}
    for folder in sorted(folders, key=lambda p: -len(p.parts)):
        with suppress(OSError):  # not empty (or gone): it stays
            (output / folder).rmdir()


def _roll_back(backup: Path, output: Path) -> None:
    """Put back the site that was in the output folder before a commit that did not finish:
    the files added taken out, those replaced or removed put back from the backup."""
    try:
        journal = json.loads((backup / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return  # killed before its journal: the output folder was not touched
    for path in journal["added"]:
        with suppress(FileNotFoundError):
            (output / path).unlink()
    _remove_empty_folders(output, journal["added"])
    kept = backup / KEPT
    ends: Stats = {}
    if kept.is_dir():
        _walk(str(kept), "", {}, ends)
    for path in ends:
        _move(kept / path, output / path)


def _committed(backup: Path, output: Path) -> bool:
    """Whether the commit that left `backup` swapped its marker in: the new site is whole."""
    try:
        journal = json.loads((backup / JOURNAL).read_text(encoding="utf-8"))
        return (output / MARKER).read_text(encoding="utf-8") == journal["marker"]
    except (OSError, ValueError, KeyError):
        return False


def _unwritable(
    error: OSError, writing: Path, output: Path, staging: Path | None = None
) -> OutputError:
    """The error as one line naming its file: the one it names (a file of the new site as it
    would be in the output folder), else the one being written (a failed write names none)."""
    named = Path(error.filename) if isinstance(error.filename, str) else None
    if named and staging and named.is_relative_to(staging):
        named = output / named.relative_to(staging)
    return OutputError(
        f"{named or writing}: {error.strerror or error}; nothing was written, the previous site "
        "is left as it was"
    )


def _stream(pieces: Iterable[bytes], target: Path) -> str:
    """Write the pieces one after another; return the hash of the whole."""
    digest = hashlib.sha256()
    with target.open("wb") as handle:
        for piece in pieces:
            digest.update(piece)
            handle.write(piece)
    return digest.hexdigest()


def _take_over(old: Path, new: Path) -> None:
    """The previous site's file in the new one: a hard link, which costs no copy; a copy
    where the file system has no hard links."""
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)
