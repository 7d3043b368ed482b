"""Score Storyline's date reading against TimeML-annotated news.

    python evaluation/dates.py ../shared/data/timebank/timex.jsonl

runs `python build.py dates` on the gold file's texts (the build's own code), then compares its
mentions with the gold timexes of type DATE and TIME:
- span precision, recall and F1, where any overlap counts;
- value accuracy on the matched spans;
- value F1, where a mention counts only when its span and its value are both right.
Errors are listed by class (a weekday's direction or anchor, a yearless date's year, a clock
time read as a year, a holiday, an anchoring chain, other), each with its kind (missed,
spurious, wrong value, duration or set), so that a change shows what it fixed and what it broke.
`--predictions FILE` scores an existing output instead.

TimeBank's gold has values that contradict their own document (a weekday counted from a week
before the document's date, a month mistyped); `timebank_errata.yaml` lists those read in
context. The value line is printed twice: against the gold as published (the figure to
quote), then with the errata applied, so that a reader sees how much of the gap they are.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ERRATA = Path(__file__).with_name("timebank_errata.yaml")
SCORED_TYPES = {"DATE", "TIME"}
KINDS = ("missed", "spurious", "wrong value", "duration or set")
CLASSES = ("weekday", "yearless date", "clock time", "holiday", "anchoring chain", "other")
ZONE_AFTER = re.compile(r"\s*(?:[A-Z]{2,4}T\b|GMT|UTC|Z\b|local\s+time|hours?\b|hrs\b)")
HOLIDAY = re.compile(
    r"(?i:christmas|easter|thanksgiving|new\s+year['’]?s?\s+(?:day|eve)|hanukkah|passover|"
    r"ramadan|halloween|bastille|(?:election|labou?r|memorial|independence|veterans|"
    r"columbus|presidents['’]?|boxing|may|armistice|inauguration|valentine['’]?s)\s+day)"
)
WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
)
CHAIN = re.compile(
    r"(?i:\b(?:later|earlier|before|after|following|previous|same|that|then|the\s+day)\b)"
)


def error_class(text: str, document: str, end: int) -> str:
    """The class of an error on the expression `text`, which ends at `end` in `document`."""
    clock = re.match(r"\d{1,2}:?\d\d(?!\d)", text.strip())
    if clock and ZONE_AFTER.match((text.strip() + document[end : end + 12])[clock.end() :]):
        return "clock time"
    if HOLIDAY.search(text):
        return "holiday"
    if WEEKDAY.search(text):
        return "weekday"
    if MONTH.search(text) and not re.search(r"\d{4}|\byear\b", text):
        return "yearless date"
    if CHAIN.search(text):
        return "anchoring chain"
    return "other"


def predict(gold: Path) -> dict[str, list[dict]]:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "dates",
            str(gold),
            "--config",
            str(ROOT / "evaluation" / "no-config.yaml"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        record["id"]: record["mentions"] for record in map(json.loads, result.stdout.splitlines())
    }


def corrected(gold_docs: list[dict], errata_file: Path) -> tuple[list[dict], int]:
    """The gold with the errata's values in place, and how many apply (none for another
    corpus). An entry that names this corpus's document but no longer matches its gold (the
    offset, the words or the value given) is an error: the errata must not drift."""
    by_id = {doc["id"]: doc for doc in gold_docs}
    fixes: dict[tuple[str, int], str] = {}
    for entry in yaml.safe_load(errata_file.read_text(encoding="utf-8")):
        if (doc := by_id.get(entry["doc"])) is None:
            continue
        timex = next((t for t in doc["timexes"] if t["start"] == entry["start"]), None)
        if timex is None or (timex["text"], timex["value"]) != (entry["text"], str(entry["given"])):
            raise SystemExit(f"{errata_file}: {entry['doc']} at {entry['start']} does not match")
        fixes[entry["doc"], entry["start"]] = str(entry["right"])
    docs = [
        {
            **doc,
            "timexes": [
                {**t, "value": fixes.get((doc["id"], t["start"]), t["value"])}
                for t in doc["timexes"]
            ],
        }
        for doc in gold_docs
    ]
    return docs, len(fixes)


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def score(gold_docs: list[dict], predictions: dict[str, list[dict]]) -> dict:
    counts = Counter()
    errors: dict[str, Counter] = {name: Counter() for name in CLASSES}
    for doc in gold_docs:
        gold = [t for t in doc["timexes"] if t["type"] in SCORED_TYPES]
        other = [t for t in doc["timexes"] if t["type"] not in SCORED_TYPES]
        predicted = predictions.get(doc["id"], [])
        counts["gold"] += len(gold)
        counts["predicted"] += len(predicted)
        used: set[int] = set()
        for timex in gold:
            match = next(
                (i for i, p in enumerate(predicted) if i not in used and overlaps(timex, p)), None
            )
            if match is None:
                what = error_class(timex["text"], doc["text"], timex["end"])
                errors[what][f"missed {timex['text']!r} ({timex['value']})"] += 1
                continue
            used.add(match)
            counts["matched"] += 1
            if predicted[match]["value"] == timex["value"]:
                counts["right value"] += 1
            else:
                mention = predicted[match]
                what = error_class(mention["text"], doc["text"], mention["end"])
                errors[what][
                    f"wrong value {mention['text']!r}: {mention['value']} for {timex['value']}"
                ] += 1
        for i, mention in enumerate(predicted):
            if i in used:
                continue
            kind = "duration or set" if any(overlaps(t, mention) for t in other) else "spurious"
            what = error_class(mention["text"], doc["text"], mention["end"])
            errors[what][f"{kind} {mention['text']!r}"] += 1

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    span_p = counts["matched"] / counts["predicted"] if counts["predicted"] else 0.0
    span_r = counts["matched"] / counts["gold"] if counts["gold"] else 0.0
    value_p = counts["right value"] / counts["predicted"] if counts["predicted"] else 0.0
    value_r = counts["right value"] / counts["gold"] if counts["gold"] else 0.0
    return {
        "documents": len(gold_docs),
        "gold": counts["gold"],
        "predicted": counts["predicted"],
        "span_precision": span_p,
        "span_recall": span_r,
        "span_f1": f1(span_p, span_r),
        "value_accuracy": counts["right value"] / counts["matched"] if counts["matched"] else 0.0,
        "value_precision": value_p,
        "value_recall": value_r,
        "value_f1": f1(value_p, value_r),
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="TimeML gold in JSON Lines (timex.jsonl)")
    parser.add_argument("--predictions", type=Path, help="score this `dates` output instead")
    parser.add_argument("--errors", type=int, default=12, help="errors listed per kind")
    args = parser.parse_args()
    gold_docs = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    if args.predictions:
        predictions = {
            r["id"]: r["mentions"]
            for r in map(json.loads, args.predictions.read_text(encoding="utf-8").splitlines())
        }
    else:
        predictions = predict(args.gold)
    result = score(gold_docs, predictions)
    print(
        f"{result['documents']} documents, {result['gold']} gold DATE/TIME timexes, "
        f"{result['predicted']} predicted mentions"
    )
    print("| measure | precision | recall | F1 |\n| --- | --- | --- | --- |")
    print(
        f"| span (any overlap) | {result['span_precision']:.3f} | {result['span_recall']:.3f} "
        f"| {result['span_f1']:.3f} |"
    )
    print(
        f"| value (span and value right) | {result['value_precision']:.3f} | "
        f"{result['value_recall']:.3f} | {result['value_f1']:.3f} |"
    )
    fixed_docs, fixes = corrected(gold_docs, ERRATA)
    if fixes:
        fixed = score(fixed_docs, predictions)
        print(
            f"| value, {fixes} gold values corrected ({ERRATA.name}) | "
            f"{fixed['value_precision']:.3f} | {fixed['value_recall']:.3f} | "
            f"{fixed['value_f1']:.3f} |"
        )
    print(f"value accuracy on matched spans: {result['value_accuracy']:.3f}")
    errors = result["errors"]
    print("\n| error class | " + " | ".join(KINDS) + " | all |")
    print("| --- " * (len(KINDS) + 2) + "|")
    for name in CLASSES:
        by_kind = [sum(n for e, n in errors[name].items() if e.startswith(k)) for k in KINDS]
        print(f"| {name} | " + " | ".join(map(str, by_kind)) + f" | {sum(by_kind)} |")
    for name in CLASSES:
        print(f"\n{name}: {sum(errors[name].values())}")
        for what, n in errors[name].most_common(args.errors):
            print(f"  {n:3d}  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
