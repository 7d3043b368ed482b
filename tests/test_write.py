"""Write stage: the output folder is replaced whole, or not at all, and never a wrong one."""

from __future__ import annotations

import os
from pathlib import Path
from unittest.mock import ANY

import pytest

from storyline.write import MARKER, OutputError, OutputFolder, write_site

OLD_SITE = {"index.html": b"<h1>old</h1>", "events/old/index.html": b"old event"}
NEW_SITE = {"index.html": b"<h1>new</h1>", "events/new/index.html": b"new event"}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text("The pier reopened.", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("Boats moored again.", encoding="utf-8")
    return folder


CONTENT_FILES = {"a.md": b"The pier reopened.", "sub/b.txt": b"Boats moored again."}


def test_first_write_creates_the_site_with_its_marker(tmp_path, content):
    output = tmp_path / "public" / "site"  # the parent does not exist yet
    assert len(write_site(NEW_SITE, output, content)) == 2
    written = tree(output)
    assert MARKER in written
    del written[MARKER]
    assert written == NEW_SITE


def test_output_that_is_the_content_folder_is_refused(content):
    with pytest.raises(OutputError):
        write_site(NEW_SITE, content, content)
    assert tree(content) == CONTENT_FILES


def test_output_that_contains_the_content_folder_is_refused(tmp_path):
    output = tmp_path / "site"
    content = output / "content"
    content.mkdir(parents=True)
    (content / "a.md").write_text("The pier reopened.", encoding="utf-8")
    with pytest.raises(OutputError):
        write_site(NEW_SITE, output, content)
    assert tree(output) == {"content/a.md": b"The pier reopened."}


def test_output_inside_the_content_folder_is_refused(content):
    with pytest.raises(OutputError):
        write_site(NEW_SITE, content / "site", content)
    assert tree(content) == CONTENT_FILES
    assert not (content / "site").exists()


def test_non_empty_folder_not_made_by_storyline_is_refused(tmp_path, content):
    output = tmp_path / "mine"
    output.mkdir()
    (output / "notes.txt").write_bytes(b"my own notes")
    with pytest.raises(OutputError) as caught:
        write_site(NEW_SITE, output, content)
    assert MARKER in str(caught.value)
    assert tree(output) == {"notes.txt": b"my own notes"}


def test_output_that_is_a_file_is_refused(tmp_path, content):
    output = tmp_path / "site"
    output.write_bytes(b"a file")
    with pytest.raises(OutputError):
        write_site(NEW_SITE, output, content)
    assert output.read_bytes() == b"a file"


def test_empty_existing_folder_is_accepted(tmp_path, content):
    output = tmp_path / "site"
    output.mkdir()
    write_site(NEW_SITE, output, content)
    assert (output / "index.html").read_bytes() == b"<h1>new</h1>"
    assert (output / MARKER).is_file()


def test_second_write_replaces_the_first_site(tmp_path, content):
    output = tmp_path / "site"
    write_site(OLD_SITE, output, content)
    write_site(NEW_SITE, output, content)
    written = tree(output)
    assert MARKER in written
    del written[MARKER]
    assert written == NEW_SITE  # events/old/index.html is gone
    assert not (output / "events" / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_failure_while_writing_keeps_the_previous_site(tmp_path, content, monkeypatch):
    output = tmp_path / "site"
    write_site(OLD_SITE, output, content)
    before = tree(output)

    calls = []
    real_write_bytes = Path.write_bytes

    def failing_write_bytes(self, data):
        calls.append(self)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write_bytes)
    with pytest.raises(OutputError, match="disk full"):
        write_site(NEW_SITE, output, content)
    monkeypatch.undo()

    assert len(calls) == 2  # the first page was written before the failure
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


@pytest.mark.parametrize("bad_path", ["../escaped.html", "events/../../escaped.html", "ABSOLUTE"])
def test_page_path_leaving_the_output_is_refused_and_the_site_kept(tmp_path, content, bad_path):
    output = tmp_path / "site"
    write_site(OLD_SITE, output, content)
    before = tree(output)
    if bad_path == "ABSOLUTE":
        bad_path = str(tmp_path / "escaped.html")
    with pytest.raises(OutputError):
        write_site({"index.html": b"new", bad_path: b"escaped"}, output, content)
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


@pytest.mark.parametrize("failing", ["events/new/index.html", MARKER])
def test_failure_while_moving_the_new_files_in_puts_the_previous_site_back(
    tmp_path, content, monkeypatch, failing
):
    """The old event page is moved out and the new front page moved in before the new event
    page (or the marker, last) fails to move in: all of it is undone."""
    import storyline.write

    output = tmp_path / "site"
    write_site(OLD_SITE, output, content)
    before = tree(output)
    real_replace = storyline.write.os.replace

    def failing_replace(src, dst):
        if Path(dst) == output / failing:
            raise OSError("rename failed")
        return real_replace(src, dst)

    monkeypatch.setattr(storyline.write.os, "replace", failing_replace)
    with pytest.raises(OutputError, match="rename failed"):
        write_site(NEW_SITE, output, content)
    monkeypatch.undo()

    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_a_rewrite_writes_only_the_changed_files_into_the_same_folder(
    tmp_path, content, monkeypatch
):
    """The site used to be made anew beside the output folder, every unchanged file
    hard-linked into it, and swapped in, the old folder then removed whole (2.4 s at 4,000
    articles). Now the output folder stays (a shell or a server in it keeps it), an unchanged
    file is not touched at all (its inode's change time would show a new link), a changed one
    is replaced, and one the new site lacks is removed with its emptied folder."""
    output = tmp_path / "site"
    old = {**OLD_SITE, "events/same/index.html": b"same event"}
    previous = write_site(old, output, content)

    def stamp(path: Path) -> tuple[int, int, int, int]:
        found = path.stat()
        return found.st_ino, found.st_mtime_ns, found.st_ctime_ns, found.st_nlink

    folder, same = stamp(output), stamp(output / "events/same/index.html")
    (output / "drafts" / "empty").mkdir(parents=True)  # made by hand: not in the new site
    made: list[str] = []
    for name in ("link", "replace"):
        real = getattr(os, name)

        def counted(source, target, real=real, name=name, **kwargs):
            made.append(f"{name} {Path(target).relative_to(tmp_path)}")
            return real(source, target, **kwargs)

        monkeypatch.setattr(os, name, counted)
    written = write_site(
        {**NEW_SITE, "events/same/index.html": b"same event"}, output, content, previous
    )
    monkeypatch.undo()

    assert stamp(output)[0] == folder[0]
    assert stamp(output / "events/same/index.html") == same
    assert written["events/same/index.html"] == previous["events/same/index.html"]
    assert tree(output) == {**NEW_SITE, "events/same/index.html": b"same event", MARKER: ANY}
    assert not (output / "events" / "old").exists() and not (output / "drafts").exists()
    moved_in = sorted(m for m in made if m.startswith("replace site/"))
    assert moved_in == [
        "replace site/.storyline-site",
        *(f"replace site/{p}" for p in sorted(NEW_SITE)),
    ]
    assert sum(m.startswith("link") for m in made) == 1  # the old index.html, kept till the end
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_failure_on_first_build_leaves_nothing_behind(tmp_path, content):
    output = tmp_path / "site"
    with pytest.raises(OutputError):
        write_site({"index.html": b"new", "../escaped.html": b"x"}, output, content)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_the_folder_the_writer_leaves_is_the_one_the_next_build_finds(tmp_path, content):
    """The writer knows what it changed: the output folder it describes after writing, and
    so the state the next build compares, is the one a walk of the folder finds, and the next
    build finds it by the listing alone, looking into no folder."""
    output = tmp_path / "site"
    folder = OutputFolder(output)
    previous = write_site(OLD_SITE, output, content, None, folder)
    assert folder.listing() == OutputFolder(output).listing()
    (output / "drafts" / "empty").mkdir(parents=True)  # made by hand: removed
    folder = OutputFolder(output, folder.listing())
    assert folder.walked  # the listing no longer holds
    write_site({**NEW_SITE, "events/old/more/index.html": b"x"}, output, content, previous, folder)
    walked = OutputFolder(output)
    assert folder.state() == walked.state() and folder.listing() == walked.listing()
    listed: list[str] = []
    real = os.scandir
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "scandir", lambda path: listed.append(path) or real(path))
        again = OutputFolder(output, folder.listing())
    assert not again.walked and not listed and again.state() == walked.state()
