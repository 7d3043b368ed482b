"""`python build.py dates FILE.jsonl`: the build's date reading, one JSON line out per line in."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

RECORDS = [
    {
        "id": "ferry",
        "dct": "2025-03-12",
        "text": "The ferry sailed on Tuesday and will return on 20 March 2025.",
    },
    {"id": "plain", "dct": "2025-03-12", "text": "Nothing dated here."},
    {"id": "mairie", "dct": "12 mars 2025", "lang": "fr", "text": "Le maire a parlé hier."},
    {"id": "undated", "text": "The pier reopened on Friday, 7 March 2025."},
]
EXPECTED = {
    "ferry": [("Tuesday", "2025-03-11", "day"), ("20 March 2025", "2025-03-20", "day")],
    "plain": [],
    "mairie": [("hier", "2025-03-11", "day")],
    "undated": [("Friday, 7 March 2025", "2025-03-07", "day")],
}


def lines(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    return tmp_path


def run(folder: Path, file: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "build.py"), "dates", file, "--config", "empty.yaml"]
    return subprocess.run(
        command, cwd=folder, input=stdin, capture_output=True, text=True, timeout=120
    )


def outputs(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def check(records: list[dict], results: list[dict]) -> None:
    """One result per record, in order; each mention's text is the span it points at."""
    assert [r["id"] for r in results] == [r["id"] for r in records]
    for record, result in zip(records, results, strict=True):
        assert set(result) == {"id", "mentions"}
        for mention in result["mentions"]:
            assert set(mention) == {"start", "end", "text", "value", "precision"}
            assert record["text"][mention["start"] : mention["end"]] == mention["text"]
        found = [(m["text"], m["value"], m["precision"]) for m in result["mentions"]]
        assert found == EXPECTED[record["id"]]


def test_one_json_line_out_per_line_in(folder):
    (folder / "texts.jsonl").write_text(lines(RECORDS), encoding="utf-8")
    result = run(folder, "texts.jsonl")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check(RECORDS, outputs(result.stdout))


def test_blank_lines_are_skipped(folder):
    (folder / "texts.jsonl").write_text("\n" + lines(RECORDS[:2]) + "\n\n", encoding="utf-8")
    result = run(folder, "texts.jsonl")
    assert result.returncode == 0, result.stderr
    check(RECORDS[:2], outputs(result.stdout))


def test_bad_line_is_reported_with_its_number_and_the_others_still_read(folder):
    text = lines(RECORDS[:2]) + '{"id": "broken", "text": \n' + lines(RECORDS[2:])
    (folder / "texts.jsonl").write_text(text, encoding="utf-8")
    result = run(folder, "texts.jsonl")
    assert result.returncode != 0
    [error] = result.stderr.splitlines()
    assert error.startswith("texts.jsonl:3: ")
    check(RECORDS, outputs(result.stdout))


def test_line_without_text_is_reported(folder):
    text = lines(RECORDS[:1]) + '{"id": "empty"}\n' + lines(RECORDS[1:2])
    (folder / "texts.jsonl").write_text(text, encoding="utf-8")
    result = run(folder, "texts.jsonl")
    assert result.returncode != 0
    [error] = result.stderr.splitlines()
    assert error.startswith("texts.jsonl:2: ")
    check(RECORDS[:2], outputs(result.stdout))


def test_dash_reads_standard_input(folder):
    result = run(folder, "-", stdin=lines(RECORDS))
    assert result.returncode == 0, result.stderr
    check(RECORDS, outputs(result.stdout))


def test_bad_line_on_standard_input_is_reported(folder):
    result = run(folder, "-", stdin=lines(RECORDS[:1]) + "not json\n" + lines(RECORDS[1:2]))
    assert result.returncode != 0
    [error] = result.stderr.splitlines()
    assert error.startswith("-:2: ")
    check(RECORDS[:2], outputs(result.stdout))
