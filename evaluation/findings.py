"""Score the comparison's findings against the hand-labelled check set.

    python evaluation/findings.py [--shared ../shared]

builds, with the normal pipeline and each into a temporary folder, the BASIL events that
`tests/findings_labels.yaml` labels (their articles only) and the five seed articles, reads the
findings of each event from `digest.json`, and matches them to the labels, which were written
by reading the articles, never from the program's output (the file says how its events were
chosen). For each finding type it prints what the program shows, how much of it the labels
judge right or wrong, what they do not decide (unjudged, left out of precision), precision over
the judged, and recall of the labelled findings:

- speakers: a shown quote carrying the words of a labelled quote is right when its speaker is
  the labelled one (or none, where the article names none); recall is the share of labelled
  quotes with a named speaker that get that speaker;
- discrepancies and rewrites: labelled exhaustively for each event, so a shown one that is not
  labelled is wrong (a rewrite claimed between two outlets that run sentences of one wire text
  is left unjudged);
- "only in": a fact shown as one outlet's alone is right when it carries a detail labelled as
  that outlet's alone, wrong when it carries a detail labelled as carried by two or more;
- word choices: right when its words are two of the words one labelled slot was given by
  different outlets, wrong when one is and another is not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.pipeline import BuildOptions, build  # noqa: E402

LABELS = ROOT / "tests" / "findings_labels.yaml"
TYPES = ("speakers", "discrepancies", "rewrites", "machine rewrites", "only in", "word choices")
# what each outlet's articles are called in the labels: the source, or for articles that name
# none (the seeds) the start of the article's id
Outlets = dict[str, str]
FINDINGS = ("quotes", "discrepancies", "rewrites", "quality", "facts", "wordings")


@dataclass
class Tally:
    """One finding type: the shown findings judged right, wrong or not at all, and the labelled
    findings the program found."""

    right: int = 0
    wrong: int = 0
    unjudged: int = 0
    labelled: int = 0
    found: int = 0
    wrong_examples: list[str] = field(default_factory=list)
    missed_examples: list[str] = field(default_factory=list)

    def judge(self, verdict: bool | None, example: str) -> None:
        if verdict is None:
            self.unjudged += 1
        elif verdict:
            self.right += 1
        else:
            self.wrong += 1
            self.wrong_examples.append(example)

    def expect(self, found: bool, example: str) -> None:
        self.labelled += 1
        if found:
            self.found += 1
        else:
            self.missed_examples.append(example)

    @property
    def shown(self) -> int:
        return self.right + self.wrong + self.unjudged

    @property
    def precision(self) -> float | None:
        judged = self.right + self.wrong
        return self.right / judged if judged else None

    @property
    def recall(self) -> float | None:
        return self.found / self.labelled if self.labelled else None


def normal(text: str) -> str:
    """Lower case, straight quotes and hyphens, no accents, single spaces: how the labels'
    cue phrases and the program's texts are compared."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[‘’‛`]", "'", text)
    text = re.sub(r"[“”„]", '"', text)
    text = re.sub(r"[‐‑‒–—]", "-", text)
    return " ".join(text.lower().split())


def has(text: str, cue: str) -> bool:
    """`cue` occurs in `text` as whole words."""
    cue = normal(cue)
    return bool(cue) and re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", normal(text)) is not None


# A cue of this many words or more is kept in the labels as a fingerprint of the articles'
# words (their first two, their length and a hash), never as the words themselves: the labels
# hold no text of the articles, which are read from ../shared at run time
HIDDEN_WORDS = 4


def spelled_out(cue: str | dict[str, Any]) -> bool:
    """Whether the labels keep this cue as words that should be a fingerprint."""
    return isinstance(cue, str) and len(re.findall(r"\w+", cue)) >= HIDDEN_WORDS


def fingerprint(cue: str) -> dict[str, Any]:
    """How the labels keep a long cue: enough to find it again in the articles."""
    said = normal(cue)
    digest = hashlib.sha1(said.encode()).hexdigest()[:12]
    return {"starts": " ".join(said.split()[:2]), "chars": len(said), "sha1": digest}


def revealed(cue: str | dict[str, Any], text: str) -> str:
    """The cue as the articles (`text`) word it: a fingerprint's words found again, or a cue
    that matches nothing when no words of the text have that fingerprint."""
    if not isinstance(cue, dict):
        return cue
    said = normal(text)
    for start in re.finditer(rf"(?<!\w){re.escape(cue['starts'])}", said):
        words = said[start.start() : start.start() + cue["chars"]]
        if hashlib.sha1(words.encode()).hexdigest()[:12] == cue["sha1"]:
            return words
    return f"(no words of the articles have the fingerprint {cue['sha1']})"


def with_cues(label: dict[str, Any], text: str) -> dict[str, Any]:
    """The event's label with its fingerprinted cues as `text`, its articles, words them."""

    def found(cue: str | dict[str, Any]) -> str:
        return revealed(cue, text)

    return {
        **label,
        "quotes": [[found(words), speaker] for words, speaker in label["quotes"]],
        "discrepancies": [
            {**d, "values": {o: found(v) for o, v in d["values"].items()}}
            for d in label["discrepancies"]
        ],
        "unique": [[outlet, found(cue)] for outlet, cue in label.get("unique", [])],
        "shared": [[found(cue) for cue in cues] for cues in label.get("shared", [])],
        "wordings": [[found(words) for words in slot] for slot in label.get("wordings", [])],
    }


def event_texts(shared: Path, labels: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each labelled event's name -> its articles' texts by the outlet the labels name."""
    basil = shared / "data" / "basil"
    gold = dict(line.split("\t")[:2] for line in (basil / "gold.tsv").read_text().splitlines())
    alias = {source: short for short, source in labels["outlets"].items()}
    by_event: dict[str, dict[str, str]] = {}
    for line in (basil / "articles.jsonl").open(encoding="utf-8"):
        article = json.loads(line)
        by_event.setdefault(gold[article["id"]], {})[alias[article["source"]]] = article["text"]
    found = {e["name"]: by_event[e["id"]] for e in labels["basil"]}
    for event in labels["seeds"]:
        found[event["name"]] = {
            path.name[:3]: path.read_text(encoding="utf-8")
            for path in (shared / "seeds").glob("*.txt")
            if path.name[:3] in event["articles"]
        }
    return found


def load_labels(shared: Path, labels_path: Path = LABELS) -> dict[str, Any]:
    """The check set, its long cues found again in the articles under `shared`."""
    labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    texts = event_texts(shared, labels)
    for group in ("basil", "seeds"):
        labels[group] = [
            with_cues(label, "\n".join(texts[label["name"]].values())) for label in labels[group]
        ]
    return labels


NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def value_text(value: str) -> str:
    """A value as written, with its number words in digits and no thousands separators, so
    that "around fifteen" is "around 15" and "7,000" is "7000"."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", normal(value))
    return " ".join(str(NUMBER_WORDS.index(w)) if w in NUMBER_WORDS else w for w in text.split())


def same_value(shown: str, labelled: str) -> bool:
    shown, labelled = value_text(shown), value_text(labelled)
    return has(shown, labelled) or has(labelled, shown)


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", normal(text)) if w not in {"that", "with", "from"}}


def same_choice(shown: str, labelled: str) -> bool:
    """A shown word choice is one labelled for its slot: either holds the other, or they
    share a word of four letters or more ("money spent" and "taxpayer money")."""
    return (
        has(shown, labelled)
        or has(labelled, shown)
        or bool(content_words(shown) & content_words(labelled))
    )


def same_person(shown: str | None, labelled: str | None) -> bool:
    if shown is None or labelled is None:
        return shown is labelled
    surname = normal(labelled).split()[-1]
    return has(shown, surname)


def score_event(
    label: dict[str, Any], events: list[dict], outlet: Outlets, tallies: dict[str, Tally]
) -> None:
    """Add one labelled event's findings, as the program shows them in `events` (the events
    holding its articles), to the tallies."""
    found = {key: [x for e in events for x in e[key]] for key in FINDINGS}
    outlets = Named(label["name"], outlet)
    _speakers(label, found["quotes"], outlets, tallies["speakers"])
    _discrepancies(label, found["discrepancies"], outlets, tallies["discrepancies"])
    _rewrites(label, found, outlets, tallies)
    _only_in(label, found["facts"], outlets, tallies["only in"])
    _word_choices(label, found["wordings"], outlets, tallies["word choices"])


@dataclass(frozen=True)
class Named:
    """The labelled event's name, and the outlet the labels call each of its articles."""

    event: str
    outlet: Outlets

    def of(self, articles: Iterable[str]) -> set[str]:
        return {self.outlet[a] for a in articles if a in self.outlet}


def _speakers(label: dict[str, Any], quotes: list[dict], named: Named, tally: Tally) -> None:
    judged: set[int] = set()
    for words, speaker in label.get("quotes", []):
        carrying = [q for q in quotes if any(has(v["text"], words) for v in q["variants"])]
        if speaker is not None:
            tally.expect(
                any(same_person(q["speaker"], speaker) for q in carrying),
                f"{named.event}: {words!r} -> {speaker}, shown as "
                f"{[q['speaker'] for q in carrying]}",
            )
        for q in carrying:
            if id(q) not in judged:
                judged.add(id(q))
                tally.judge(
                    same_person(q["speaker"], speaker),
                    f"{named.event}: {words!r} given to {q['speaker']}, not {speaker}",
                )
    for q in quotes:
        if id(q) not in judged:
            tally.judge(None, "")


def _discrepancies(label: dict[str, Any], shown: list[dict], named: Named, tally: Tally) -> None:
    """Right when two of its values are two different values of one labelled discrepancy."""
    labelled = [set(d["values"].values()) for d in label["discrepancies"]]
    found: set[int] = set()
    for d in shown:
        values = [v["value"] for v in d["values"]]
        matching = {
            n
            for n, different in enumerate(labelled)
            if sum(any(same_value(v, lv) for v in values) for lv in different) >= 2
        }
        found |= matching
        tally.judge(bool(matching), f"{named.event}: {' / '.join(values)}")
    for n, d in enumerate(label["discrepancies"]):
        tally.expect(n in found, f"{named.event}: {d['thing']}")


def _rewrites(
    label: dict[str, Any], found: dict[str, list], named: Named, tallies: dict[str, Tally]
) -> None:
    """Rewrites and machine rewrites, judged by the pair of outlets they name."""
    machine = {
        frozenset((r["article"], r["of"])): r.get("machine", False) for r in label["rewrites"]
    }
    undecided = {frozenset(pair) for pair in label.get("common_source", [])}
    claims = {
        "rewrites": [(r["article"], r["of"]) for r in found["rewrites"]],
        "machine rewrites": [
            (q["article"], q["machine_rewrite_of"])
            for q in found["quality"]
            if q["machine_rewrite_of"]
        ],
    }
    for kind, claimed in claims.items():
        pairs = {frozenset(named.of(claim)) for claim in claimed}
        for pair in pairs:
            right = pair in machine and (kind == "rewrites" or machine[pair])
            tallies[kind].judge(
                None if pair in undecided and not right else right,
                f"{named.event}: {' / '.join(sorted(pair))}",
            )
        for pair, swapped in machine.items():
            if kind == "rewrites" or swapped:
                tallies[kind].expect(pair in pairs, f"{named.event}: {' / '.join(sorted(pair))}")


def _only_in(label: dict[str, Any], facts: list[dict], named: Named, tally: Tally) -> None:
    """A fact shown as one outlet's alone, and a detail marked "only in" within a shared fact
    ("33 countries"), both count: right when they carry a detail labelled as that outlet's
    alone, wrong when they carry one labelled as carried by two or more."""
    unique = label.get("unique", [])
    shared = [cue for fact in label.get("shared", []) for cue in fact]
    shown = [(f["text"], f["articles"], has) for f in facts if f["unique"]]
    # a detail is a few words: it carries a cue it is part of, or that is part of it
    shown += [(d["value"], d["articles"], _part) for f in facts for d in f.get("details", [])]
    found: set[int] = set()
    for text, articles, carries in shown:
        by = ", ".join(sorted(named.of(articles)))
        own = {n for n, (o, cue) in enumerate(unique) if o == by and carries(text, cue)}
        found |= own
        other = [cue for o, cue in unique if o != by and carries(text, cue)]
        other += [cue for cue in shared if carries(text, cue)]
        verdict = True if own else (False if other else None)
        tally.judge(verdict, f"{named.event}: only in {by}: {text[:40]!r} {other[:1]}")
    for n, (o, cue) in enumerate(unique):
        tally.expect(n in found, f"{named.event}: {o}: {cue!r}")


def _part(detail: str, cue: str) -> bool:
    return has(detail, cue) or has(cue, detail)


def _word_choices(label: dict[str, Any], shown: list[dict], named: Named, tally: Tally) -> None:
    slots = label.get("wordings", [])
    found: set[int] = set()
    for wording in shown:
        words = [c["words"] for c in wording["choices"]]
        verdict = None
        for n, slot in enumerate(slots):
            matched = [any(same_choice(word, s) for s in slot) for word in words]
            if sum(matched) >= 2 and all(matched):
                verdict = True
                found.add(n)
                break
            if any(matched):
                verdict = False
        tally.judge(verdict, f"{named.event}: {' / '.join(words)}")
    for n, slot in enumerate(slots):
        tally.expect(n in found, f"{named.event}: {' / '.join(slot)}")


def built_events(content: Path) -> tuple[list[dict], dict[str, dict]]:
    """(the digest's events, article id -> its digest entry) of a normal build of `content`."""
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "config.yaml"
        config.write_text("", encoding="utf-8")
        site = Path(work) / "site"
        build(
            BuildOptions(config=config, content=content, output=site, templates=ROOT / "templates")
        )
        digest = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    return digest["events"], {a["id"]: a for a in digest["articles"]}


def holding(events: list[dict], articles: set[str]) -> list[dict]:
    return [e for e in events if articles & set(e["articles"])]


def labelled_events(shared: Path, labels: dict[str, Any]) -> Iterator[tuple[dict, list, Outlets]]:
    """Each labelled event with the built events holding its articles and its articles'
    outlets as the labels name them."""
    basil = shared / "data" / "basil"
    gold = dict(
        line.split("\t")[:2] for line in (basil / "gold.tsv").read_text().splitlines() if line
    )
    wanted = {e["id"] for e in labels["basil"]}
    alias = {source: short for short, source in labels["outlets"].items()}
    with tempfile.TemporaryDirectory() as work:
        content = Path(work)
        with (content / "articles.jsonl").open("w", encoding="utf-8") as out:
            for line in (basil / "articles.jsonl").open(encoding="utf-8"):
                if gold[json.loads(line)["id"]] in wanted:
                    out.write(line)
        events, articles = built_events(content)
    for label in labels["basil"]:
        ids = {a for a, event in gold.items() if event == label["id"]}
        yield label, holding(events, ids), {a: alias[articles[a]["source"]] for a in ids}
    with tempfile.TemporaryDirectory() as work:
        content = Path(work)
        for seed in sorted((shared / "seeds").glob("*.txt")):
            shutil.copyfile(seed, content / seed.name)
        events, articles = built_events(content)
    for label in labels["seeds"]:
        ids = {a for a in articles if any(a.startswith(prefix) for prefix in label["articles"])}
        yield label, holding(events, ids), {a: a.split("_")[0] for a in ids}


def score(shared: Path, labels_path: Path = LABELS) -> dict[str, Tally]:
    labels = load_labels(shared, labels_path)
    tallies = {name: Tally() for name in TYPES}
    for label, events, outlet in labelled_events(shared, labels):
        score_event(label, events, outlet, tallies)
    return tallies


def figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(tallies: dict[str, Tally]) -> str:
    lines = [
        "| finding | shown | right | wrong | unjudged | precision | labelled | found | recall |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, t in tallies.items():
        lines.append(
            f"| {name} | {t.shown} | {t.right} | {t.wrong} | {t.unjudged} | "
            f"{figure(t.precision)} | {t.labelled} | {t.found} | {figure(t.recall)} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--examples", type=int, default=5, help="wrong and missed listed")
    args = parser.parse_args()
    tallies = score(args.shared)
    print(table(tallies))
    for name, t in tallies.items():
        for kind, examples in (("wrong", t.wrong_examples), ("missed", t.missed_examples)):
            if examples[: args.examples]:
                print(f"\n{name}, {kind}:\n  " + "\n  ".join(examples[: args.examples]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
