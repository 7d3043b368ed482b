"""Day salience: which days of the story matter, by the evidence of its articles.

A day matters when many articles report on it or name it (DATEWISE, Ghalandari & Ifrim, ACL
2020, ranks days by just that), more so when they name it in their lead, when they name it
long after it (a day still recalled weeks later is a turning point), and when several
outlets do. Each key date gets the sentence that says best what happened on it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from ..model import ArticleRecord, DayEvidence, Event, KeyDate
from .clues import LEAD_PARAGRAPHS
from .describe import CENTRAL_OF, balanced, central, shortened

REPORTED = 1.0  # an article whose own happening is on the day (clues.main_day)
LEAD_MENTION = 1.0  # an article that names the day in its lead
BODY_MENTION = 0.5  # ... further down
RECALLED = 0.5  # more, up to this, the further after the day an article names it
RECALL_DAYS = 30  # ... reaching it this many days after
AHEAD = 0.5  # a day named before it comes (a plan, a deadline) counts this much of that
OUTLET_BONUS = 0.25  # each outlet besides the first multiplies the score by 1 + this
SENTENCE_WORDS = 40


def weight(evidence: DayEvidence, published: date | None) -> float:
    """How much one article's word on a day counts."""
    if evidence.reported:
        return REPORTED
    lead = evidence.paragraph < LEAD_PARAGRAPHS
    base = LEAD_MENTION if lead else BODY_MENTION
    if published is None:
        return base
    after = (published - evidence.date).days
    if after < 0:
        return base * AHEAD
    return base + RECALLED * min(after, RECALL_DAYS) / RECALL_DAYS


def day_weights(
    events: list[Event], articles: list[ArticleRecord]
) -> tuple[dict[date, dict[str, float]], dict[date, list[DayEvidence]]]:
    """Per day, each article's word on it (the most it counts, once per article), and what
    was said of it."""
    record = {a.id: a for a in articles}
    weights: dict[date, dict[str, float]] = defaultdict(dict)
    told: dict[date, list[DayEvidence]] = defaultdict(list)
    for event in events:
        for evidence in event.evidence:
            published = record[evidence.article].published if evidence.article in record else None
            w = weight(evidence, published.date() if published else None)
            known = weights[evidence.date]
            known[evidence.article] = max(known.get(evidence.article, 0.0), w)
            told[evidence.date].append(evidence)
    return weights, told


def rank_events(events: list[Event], articles: list[ArticleRecord]) -> None:
    """Set each event's importance from the same evidence as the days': its own reports, and
    the articles of other days that name its day (a happening recalled weeks later matters
    more than one reported once), the more outlets report it the more. Reports of another
    event of the same day do not count for this one."""
    weights, _ = day_weights(events, articles)
    reporting: dict[date, set[str]] = defaultdict(set)
    for event in events:
        for day in _days(event):
            reporting[day].update(a.id for a in event.articles)
    for event in events:
        own = {a.id for a in event.articles}
        recalled: dict[str, float] = {}
        for day in _days(event):
            for article, w in weights.get(day, {}).items():
                if article not in reporting[day]:
                    recalled[article] = max(recalled.get(article, 0.0), w)
        outlets = {a.source or a.id for a in event.articles}
        score = (REPORTED * len(own) + sum(recalled.values())) * (
            1 + OUTLET_BONUS * (len(outlets) - 1)
        )
        event.importance = round(score, 3)


def _days(event: Event) -> list[date]:
    """The days an event took place on, when it is dated to the day (at most a week)."""
    if event.date is None or event.date_precision != "day":
        return []
    first, last = event.date, event.date_end or event.date
    days = min((last - first).days, 6) + 1
    return [first + timedelta(days=n) for n in range(days)]  # date_end is a real day


def key_dates(
    events: list[Event],
    articles: list[ArticleRecord],
    choose: Callable[[list[str]], str] = central,
) -> list[KeyDate]:
    """Every day the articles report on or name, the most salient first; each day's sentence
    chosen by `choose` (`central`, or a `Choices` that keeps its choices) among what its event's
    articles say of it, when it has an event, else among what every article says."""
    record = {a.id: a for a in articles}
    weights, told = day_weights(events, articles)
    day_event = _day_events(events)
    ranked = []
    for day, by_article in weights.items():
        outlets = {record[a].source for a in by_article if a in record}
        score = sum(by_article.values()) * (1 + OUTLET_BONUS * (len(outlets) - 1))
        event = day_event.get(day)
        # the day's event is named beside the sentence: the sentence says what that event's
        # articles said of the day, not another story's (a roundup of many stories has many a day)
        said = [e for e in event.evidence if e.date == day] if event else told[day]
        ranked.append(
            KeyDate(
                day,
                "day",
                round(score, 3),
                best_sentence(said, choose),
                sorted(by_article),
                event.id if event else None,
            )
        )
    return sorted(ranked, key=lambda k: (-k.score, k.date))


def _day_events(events: list[Event]) -> dict[date, Event]:
    """The most important event of each day."""
    found: dict[date, Event] = {}
    for event in events:
        if event.date and event.date_precision == "day":
            known = found.get(event.date)
            if known is None or event.importance > known.importance:
                found[event.date] = event
    return found


def best_sentence(told: list[DayEvidence], choose: Callable[[list[str]], str] = central) -> str:
    """The sentence most alike the others that name the day or report on it: what most
    articles say happened, not one article's aside."""
    candidates = list(
        dict.fromkeys(e.sentence for e in told if 6 <= len(e.sentence.split()) <= 80)
    )[:CENTRAL_OF]
    if not candidates:
        candidates = [e.sentence for e in told if e.sentence][:1]
    if not candidates:
        return ""
    return shortened(balanced(choose(candidates)), SENTENCE_WORDS)
