"""Grouping articles into events, and describing each event."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from storyline.clean import find_names
from storyline.config import Config
from storyline.dates import main_day
from storyline.events import (
    assign_identity,
    describe,
    event_date,
    group_articles,
    rank_events,
)
from storyline.model import Article, Group, Mention

COUNCIL = (
    "The harbour council of Saltmere voted to rebuild the old ferry pier after the winter "
    "storms, approving a loan and a new timber deck for the ferry pier."
)


def article(
    id_: str,
    text: str,
    *,
    place: str | None = None,
    published: date | None = None,
    mentions: list[Mention] | None = None,
    key: str | None = None,
    title: str | None = None,
) -> Article:
    made = Article(
        id=id_,
        path=f"{id_}.md",
        body=text,
        format="markdown",
        title=title,
        place=place,
        paragraphs=[text],
        event_key=key,
        mentions=mentions or [],
        published=datetime(published.year, published.month, published.day, 9, tzinfo=UTC)
        if published
        else None,
        published_precision="day" if published else None,
    )
    made.day = main_day(made)  # as the dates stage gives it
    return made


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def weekday(name: str, value: date | None = None) -> Mention:
    return Mention(
        text=name,
        sentence=f"It happened on {name}.",
        paragraph=0,
        value=value.isoformat() if value else None,
        day=value,
        precision="day",
        relative=True,
        weekday=DAYS.index(name),
    )


def groups_of(articles: list[Article], **config) -> list[set[str]]:
    return sorted(
        ({a.id for a in g.articles} for g in group_articles(articles, Config(**config))), key=min
    )


def test_reports_of_one_happening_form_one_event():
    a = article("a", COUNCIL, published=date(2025, 2, 3))
    b = article("b", COUNCIL.replace("voted", "decided"), published=date(2025, 2, 4))
    assert groups_of([a, b]) == [{"a", "b"}]


def test_different_datelines_keep_alike_articles_apart():
    a = article("a", COUNCIL, place="Saltmere")
    b = article("b", COUNCIL, place="Brindle")
    assert groups_of([a, b]) == [{"a"}, {"b"}]


def test_main_dates_too_far_apart_keep_alike_articles_apart():
    a = article("a", COUNCIL, published=date(2025, 2, 3))
    b = article("b", COUNCIL, published=date(2025, 2, 20))
    assert groups_of([a, b], max_days_apart=3) == [{"a"}, {"b"}]


def test_different_weekdays_count_against_undated_reports_joining():
    # identical words score 1.0; a weekday disagreement takes a penalty off that
    a = article("a", COUNCIL, mentions=[weekday("Monday")])
    b = article("b", COUNCIL, mentions=[weekday("Wednesday")])
    c = article("c", COUNCIL, mentions=[weekday("Wednesday")])
    assert groups_of([a, b, c], similarity=0.97) == [{"a"}, {"b", "c"}]


def test_unrelated_articles_stay_apart():
    a = article("a", COUNCIL)
    b = article(
        "b",
        "A marathon runner from the valley won the spring race in record time "
        "after a strong finish on the final hill.",
    )
    assert groups_of([a, b]) == [{"a"}, {"b"}]


def test_an_event_key_wins_over_everything():
    a = article("a", COUNCIL, place="Saltmere", key="pier")
    b = article("b", "Completely different words about gardening and roses.", key="pier")
    c = article("c", COUNCIL, place="Saltmere", key="other")
    assert groups_of([a, b, c]) == [{"a", "b"}, {"c"}]


def test_event_date_is_the_consensus_and_undated_articles_do_not_vote():
    group = Group(
        [
            article("a", COUNCIL, published=date(2025, 2, 3)),
            article("b", COUNCIL, published=date(2025, 2, 3)),
            article("c", COUNCIL, published=date(2025, 2, 4)),
            article("d", COUNCIL),
        ]
    )
    assert event_date(group) == (date(2025, 2, 3), "day")


def test_a_lead_weekday_resolved_against_publication_is_the_happening_day():
    told = article(
        "a", COUNCIL, published=date(2025, 2, 6), mentions=[weekday("Tuesday", date(2025, 2, 4))]
    )
    assert event_date(Group([told])) == (date(2025, 2, 4), "day")


def test_undated_event_warns_each_article_with_the_fix():
    event = describe(Group([article("a", COUNCIL, mentions=[weekday("Monday")])]), None, None)[0]
    assert event.date is None
    (warning,) = event.articles[0].diagnostics
    assert warning.path == "a.md"
    assert "undated" in warning.message and "'Monday'" in warning.message
    assert "front matter" in warning.message


def test_an_event_holds_no_findings_to_read_as_empty():
    """The event that listings and the building process hold is not compared: reading what
    comparing found off it fails, where it once gave an empty list with no error."""
    event, articles = describe(Group([article("a", COUNCIL)]), date(2025, 2, 3), "day")
    for finding in ("coverage", "quotes", "facts", "discrepancies", "wordings"):
        with pytest.raises(AttributeError):
            getattr(event, finding)
    assert [a.text for a in articles] == [COUNCIL]  # the texts comparing reads come beside it


def test_description_has_title_place_summary_and_other_happenings():
    earlier = Mention(
        text="on Sunday",
        sentence="The storm struck the pier on Sunday night.",
        paragraph=0,
        value="2025-02-02",
        day=date(2025, 2, 2),
        precision="day",
        relative=True,
    )
    same_day = Mention(
        text="on Monday",
        sentence="The council met on Monday.",
        paragraph=0,
        value="2025-02-03",
        day=date(2025, 2, 3),
        precision="day",
        relative=True,
    )
    a = article(
        "a",
        COUNCIL,
        place="Saltmere",
        title="Saltmere rebuilds its ferry pier",
        published=date(2025, 2, 3),
        mentions=[earlier, same_day],
    )
    b = article(
        "b",
        COUNCIL,
        title="Council backs pier rebuild",
        published=date(2025, 2, 3),
        mentions=[earlier],
    )
    event = describe(Group([a, b]), date(2025, 2, 3), "day")[0]
    assert event.place == "Saltmere"
    assert event.title in {"Saltmere rebuilds its ferry pier", "Council backs pier rebuild"}
    assert "ferry pier" in event.summary
    assert [(m.date, m.value, m.precision, m.articles) for m in event.mentions] == [
        (date(2025, 2, 2), "2025-02-02", "day", ["a", "b"])
    ]


def test_slugs_are_readable_and_unique():
    one = describe(Group([article("a", COUNCIL, title="Pier vote")]), date(2025, 2, 3), "day")[0]
    two = describe(Group([article("b", COUNCIL, title="Pier vote")]), date(2025, 2, 3), "day")[0]
    three = describe(Group([article("c", COUNCIL, title="Pier’s future")]), None, None)[0]
    assign_identity([one, two, three], previous=None)
    assert [one.slug, two.slug, three.slug] == [
        "2025-02-03-pier-vote",
        "2025-02-03-pier-vote-2",
        "undated-piers-future",
    ]


def test_articles_without_text_date_or_place_still_land_in_an_event():
    empty = article("empty", "")
    empty.paragraphs = []
    bare = article("bare", "Short note.")
    alike = [article(f"x{i}", COUNCIL) for i in range(3)]
    grouped = groups_of([empty, bare, *alike])
    assert sorted(i for g in grouped for i in g) == ["bare", "empty", "x0", "x1", "x2"]
    assert {"x0", "x1", "x2"} in grouped


def ranked(*groups: tuple[list[Article], date]) -> list[float]:
    """The importance of each group's event, described on its day and ranked together."""
    made = [describe(Group(articles), day, "day")[0] for articles, day in groups]
    rank_events(made, [a for e in made for a in e.articles])
    return [e.importance for e in made]


def test_importance_grows_with_the_outlets_that_report_an_event():
    day = date(2025, 2, 3)
    one = [article(f"a{i}", COUNCIL, published=day) for i in range(2)]
    for a in one:
        a.source = "Bay Post"
    many = [article(f"b{i}", COUNCIL, published=day) for i in range(2)]
    many[0].source, many[1].source = "Bay Post", "Valley Wire"
    quiet, covered = ranked((one, day), (many, day))
    assert covered > quiet


def test_a_happening_later_articles_look_back_on_is_more_important_than_its_reports_alone():
    vote_day, later = date(2025, 2, 3), date(2025, 3, 10)
    vote = [article("v", COUNCIL, published=vote_day, mentions=[day_mention(vote_day)])]
    looking_back = [
        article(
            f"r{i}",
            "A month on, the ferry pier works began.",
            published=later,
            mentions=[day_mention(vote_day, "February 3")],
        )
        for i in range(3)
    ]
    alone = ranked((vote, vote_day))[0]
    recalled, _ = ranked((vote, vote_day), (looking_back, later))
    assert recalled > alone
    # the reports of another event of the day are that event's, not this one's
    rival = [article("x", COUNCIL, published=vote_day, mentions=[day_mention(vote_day)])]
    assert ranked((vote, vote_day), (rival, vote_day))[0] == alone


def test_an_event_without_headlines_gets_a_who_did_what_where_title():
    lead = (
        "Harbour pilots from three ports met on Tuesday in Saltmere to plan winter routes, "
        "and they agreed on a shared radio channel for the ferry pier."
    )
    event = describe(Group([article("a", lead, place="Saltmere")]), date(2025, 2, 4), "day")[0]
    assert event.title == "Harbour pilots from three ports met on Tuesday in Saltmere"


def test_a_happening_over_several_days_has_an_end_date():
    day_one = Mention(
        text="Monday",
        sentence="The summit opened on Monday.",
        paragraph=0,
        value="2025-02-03",
        day=date(2025, 2, 3),
        precision="day",
        relative=True,
    )
    day_two = Mention(
        text="Tuesday",
        sentence="The summit closed on Tuesday.",
        paragraph=0,
        value="2025-02-04",
        day=date(2025, 2, 4),
        precision="day",
        relative=True,
    )
    opening = [
        article(f"o{i}", COUNCIL, published=date(2025, 2, 3), mentions=[day_one]) for i in range(2)
    ]
    closing = [
        article(f"c{i}", COUNCIL, published=date(2025, 2, 4), mentions=[day_two]) for i in range(2)
    ]
    group = Group(opening + closing)
    day, precision = event_date(group)
    event = describe(group, day, precision)[0]
    assert (event.date, event.date_end) == (date(2025, 2, 3), date(2025, 2, 4))
    lone = describe(Group([*opening, closing[0]]), date(2025, 2, 3), "day")[0]
    assert lone.date_end is None  # one late report is a disagreement, not a span


def test_a_fragment_attaches_to_the_larger_event_it_fits_unless_evidence_speaks_against():
    core = [article(f"c{i}", COUNCIL) for i in range(3)]
    reworded = article("r", COUNCIL.replace("voted to rebuild", "agreed to repair"))
    elsewhere = article(
        "x", COUNCIL.replace("voted to rebuild", "chose to restore"), place="Brindle"
    )
    for a in core:
        a.place = "Saltmere"
    # the first pass joins only identical texts; the fragments come in on the second
    grouped = groups_of([*core, reworded, elsewhere], similarity=0.99, attach_similarity=0.5)
    assert {"c0", "c1", "c2", "r"} in grouped
    assert {"x"} in grouped


SCHOOL = (
    "Teachers at the northern school of Saltmere walked out over class sizes and pay, and "
    "parents joined the teachers on the picket line outside the school gates."
)
BRIDGE = (
    "Engineers closed the old railway bridge at Brindle after finding deep cracks in a "
    "stone pier, and trains were sent the long way round through the hills."
)


def test_an_event_across_the_edge_of_two_calendar_blocks_is_one_event(monkeypatch):
    from storyline.events import group

    monkeypatch.setattr(group, "MIN_RUN", 1)  # blocks of BLOCK_DAYS, however few articles
    edge = date.fromordinal(group.BLOCK_DAYS * (date(2025, 3, 1).toordinal() // group.BLOCK_DAYS))
    before, after = date.fromordinal(edge.toordinal() - 1), edge
    articles = [
        article("pier-a", COUNCIL, published=before),
        article("pier-b", COUNCIL.replace("voted", "decided"), published=after),
        article("school-a", SCHOOL, published=date.fromordinal(edge.toordinal() - 30)),
        article("school-b", SCHOOL, published=date.fromordinal(edge.toordinal() - 29)),
        article("bridge-a", BRIDGE, published=date.fromordinal(edge.toordinal() + 30)),
        article("bridge-b", BRIDGE, published=date.fromordinal(edge.toordinal() + 30)),
    ]
    runs = group.time_runs([a.day for a in articles], Config(), list)
    assert len(runs) == 2 and all({0, 1} <= set(run) for run in runs)  # both see the pier
    assert groups_of(articles) == [
        {"bridge-a", "bridge-b"},
        {"pier-a", "pier-b"},
        {"school-a", "school-b"},
    ]


def test_an_undated_article_still_joins_its_dated_event(monkeypatch):
    from storyline.events import group

    monkeypatch.setattr(group, "MIN_RUN", 1)
    articles = [
        article("pier-a", COUNCIL, published=date(2025, 2, 3)),
        article("pier-b", COUNCIL.replace("voted", "decided"), published=date(2025, 2, 4)),
        article("pier-undated", COUNCIL.replace("voted", "chose")),
        article("bridge-a", BRIDGE, published=date(2025, 9, 22)),
        article("bridge-b", BRIDGE, published=date(2025, 9, 22)),
    ]
    for each in articles:  # as the clean stage finds them: "Saltmere", "Brindle"
        each.names = find_names(None, each.paragraphs)
    assert groups_of(articles) == [
        {"bridge-a", "bridge-b"},
        {"pier-a", "pier-b", "pier-undated"},
    ]


def day_mention(day: date, text: str = "Wednesday") -> Mention:
    return Mention(
        text=text,
        sentence=f"It happened on {text}.",
        paragraph=0,
        value=day.isoformat(),
        day=day,
        precision="day",
        relative=True,
    )


def test_a_lead_day_days_before_publication_is_background_not_the_happening():
    # published on the 10th: "met on Wednesday" (the 9th) is the happening, the 5th is not
    told = article(
        "a", COUNCIL, published=date(2025, 2, 10), mentions=[day_mention(date(2025, 2, 9))]
    )
    looking_back = article(
        "b", COUNCIL, published=date(2025, 2, 10), mentions=[day_mention(date(2025, 2, 5))]
    )
    assert main_day(told) == date(2025, 2, 9)
    assert main_day(looking_back) == date(2025, 2, 10)


TALKS = (
    "Union leaders and the port authority of Saltmere resumed talks over dockers' pay, "
    "shift rotas and the new cranes, and both sides said the talks on pay would go on."
)


def test_an_event_span_is_bounded_as_a_whole_not_pair_by_pair():
    # the same talks reported every other day: each report is close to the next, but an
    # event may not reach further than max_days_apart from its day
    start = date(2025, 3, 3)
    reports = [
        article(f"day{n}", TALKS, published=date.fromordinal(start.toordinal() + 2 * n))
        for n in range(6)
    ]
    for group in group_articles(reports, Config(max_days_apart=3)):
        days = sorted(a.day for a in group.articles)
        middle = days[(len(days) - 1) // 2]
        assert all(abs((d - middle).days) <= 3 for d in days), days


ROUNDUP = {
    "talks": [
        "Dockers' union leaders and the Saltmere port authority resumed pay talks on Monday, "
        "the first talks since the strike began; the talks resume on Tuesday.",
        "Pay talks between Saltmere dockers and the port authority resumed, the first talks "
        "since the walkout, and both sides said the talks would resume again.",
        "The port authority resumed talks with the dockers' union in Saltmere, reopening pay "
        "talks for the first time since the strike.",
    ],
    "deal": [
        "Saltmere dockers accepted a pay deal from the port authority, ending the strike: the "
        "union voted for the deal and the cranes move again on Thursday.",
        "The strike at Saltmere port is over after dockers voted to accept the port "
        "authority's pay deal; union members backed the deal.",
        "Dockers in Saltmere voted to accept the pay deal, and the union said the strike "
        "ends and the cranes move again.",
    ],
}


STRIKE = " The strike has shut the port of Saltmere for three weeks and the island ferries."


def test_developments_of_a_running_story_on_consecutive_days_stay_apart():
    # three outlets report the talks on one day and the deal the next, with the story's
    # background alike: two events
    days = {"talks": date(2025, 3, 3), "deal": date(2025, 3, 4)}
    articles = [
        article(f"{name}-{n}", text + STRIKE, published=days[name])
        for name, texts in ROUNDUP.items()
        for n, text in enumerate(texts)
    ]
    assert groups_of(articles) == [
        {"deal-0", "deal-1", "deal-2"},
        {"talks-0", "talks-1", "talks-2"},
    ]


def test_a_lone_report_joins_the_pair_it_fits_when_nothing_speaks_against():
    pair = [article(f"c{i}", COUNCIL, published=date(2025, 2, 3)) for i in range(2)]
    reworded = article(
        "r", COUNCIL.replace("voted to rebuild", "agreed to repair"), published=date(2025, 2, 3)
    )
    grouped = groups_of([*pair, reworded], similarity=0.99, attach_similarity=0.5)
    assert grouped == [{"c0", "c1", "r"}]


def test_an_undated_article_takes_its_day_from_its_lead_happening_never_from_background():
    def said(text: str, sentence: str, paragraph: int, day: date | None, **kw) -> Mention:
        return Mention(
            text=text,
            sentence=sentence,
            paragraph=paragraph,
            value=day.isoformat() if day else None,
            day=day,
            precision="day" if day else None,
            relative=day is None,
            **kw,
        )

    born = said("May 1, 1913", "Born on May 1, 1913, he ran the pier.", 0, date(1913, 5, 1))
    died = said("Tuesday", "The harbour master died on Tuesday.", 0, None, weekday=1)
    scandal = said(
        "June 17, 1972", "He was known for the break-in of June 17, 1972.", 4, date(1972, 6, 17)
    )
    met = said("March 3, 2025", "The council met on March 3, 2025.", 0, date(2025, 3, 3))
    obituary = article("o", COUNCIL, mentions=[born, died, scandal])
    background_only = article("b", COUNCIL, mentions=[born, scandal])
    dated_lead = article("m", COUNCIL, mentions=[met, scandal])
    assert main_day(obituary) is None  # its day is a Tuesday, which Tuesday unknown
    assert main_day(background_only) is None
    assert main_day(dated_lead) == date(2025, 3, 3)


def test_a_date_line_a_photo_credit_or_a_lede_is_not_an_event_title():
    lead = (
        "Harbour pilots from three ports met on Tuesday in Saltmere to plan winter routes, "
        "and they agreed on a shared radio channel for the ferry pier."
    )
    made = "Harbour pilots from three ports met on Tuesday in Saltmere"
    not_headlines = [
        "THURSDAY, JUNE 30, 2005",
        "Posted February 4, 2025 - 3:47pm ET",
        "Photo: Saltmere Gazette / J. Doe",
        "Harbour pilots from three ports met on Tuesday in Saltmere to plan their winter "
        "routes, and they agreed on a shared radio channel.",
    ]
    for title in not_headlines:
        told = article("a", lead, place="Saltmere", title=title)
        assert describe(Group([told]), date(2025, 2, 4), "day")[0].title == made, title
    headline = article("b", lead, place="Saltmere", title="Pilots agree winter routes")
    event = describe(Group([headline]), date(2025, 2, 4), "day")[0]
    assert event.title == "Pilots agree winter routes"


PIER_STORY = [
    "The harbour council of Saltmere voted to rebuild the old ferry pier after the winter "
    "storms, approving a loan for the ferry pier.",
    "Builders began work on the Saltmere ferry pier, the harbour council said, driving new "
    "piles where the storms broke the old ferry pier.",
    "The rebuilt ferry pier of Saltmere opened to ferries, the harbour council said, a year "
    "after the storms wrecked the old pier.",
]
SCHOOL_STORY = [
    "Teachers at the northern school of Saltmere walked out over class sizes and pay, and "
    "parents joined the teachers on the picket line.",
    "Teachers at the northern school returned after the strike over class sizes and pay, "
    "parents said, and the school gates reopened.",
    "The teachers' union and the school board agreed on class sizes and pay at the northern "
    "school, ending the teachers' dispute.",
]
BOTH_STORIES = (
    "Teachers and parents of the northern school marched to the harbour council of Saltmere "
    "over pay, as the council voted on the ferry pier loan."
)


def test_a_storyline_is_one_story_not_everything_that_shares_words():
    from storyline.events.storylines import Names, TermCounts, event_terms, storylines

    told = [(f"pier{n}", text, date(2025, 1 + n, 3)) for n, text in enumerate(PIER_STORY)]
    told += [(f"school{n}", text, date(2025, 1 + n, 10)) for n, text in enumerate(SCHOOL_STORY)]
    told.append(("both", BOTH_STORIES, date(2025, 2, 20)))
    events, counts = [], TermCounts()
    for name, text, day in told:
        event, articles = describe(Group([article(name, text, published=day)]), day, "day")
        event.fingerprint = name
        counts.add(name, event_terms(event, articles))
        events.append(event)
    storylines(events, counts, Config(), Names({}, ""))
    line = {e.articles[0].id: e.storyline for e in events}
    piers = {line[f"pier{n}"] for n in range(3)}
    schools = {line[f"school{n}"] for n in range(3)}
    # the event that touches both stories joins one of them, and does not tie them together
    assert len(piers) == 1 and len(schools) == 1 and piers != schools
    assert line["both"] in piers | schools


def test_two_storylines_of_the_same_people_are_named_by_what_happened():
    from storyline.events.storylines import Names, TermCounts, event_terms, storylines

    events, counts = [], TermCounts()
    for story, texts in (("pier", PIER_STORY), ("school", SCHOOL_STORY)):
        for n, text in enumerate(texts):
            name, day = f"{story}{n}", date(2025, 1 + n, 3 if story == "pier" else 10)
            headline = f"{story.title()} news {n}"
            made = describe(Group([article(name, text, published=day, title=headline)]), day, "day")
            event, articles = made
            event.people = ["Mara Lind", "Harbour Council"]  # the same people in both stories
            event.importance = n
            event.fingerprint = name
            counts.add(name, event_terms(event, articles))
            events.append(event)
    lines = [s for s in storylines(events, counts, Config(), Names({}, "")) if len(s.events) > 1]
    assert sorted(s.title for s in lines) == ["Pier news 2", "School news 2"]


def test_undated_reports_that_mostly_name_another_weekday_stay_off_a_dated_twin():
    # the same kind of happening twice: three dated reports of a Tuesday, three undated ones
    # that say it happened on a Wednesday
    tuesday = [article(f"tue{n}", COUNCIL, published=date(2025, 2, 4)) for n in range(3)]
    wednesday = [article(f"wed{n}", COUNCIL, mentions=[weekday("Wednesday")]) for n in range(3)]
    assert groups_of([*tuesday, *wednesday]) == [
        {"tue0", "tue1", "tue2"},
        {"wed0", "wed1", "wed2"},
    ]


def test_a_dated_lone_report_of_another_weekday_does_not_join_an_undated_event():
    # three undated reports that say it happened on a Wednesday, and a dated report of the same
    # kind of happening on a Tuesday: a dated day is a fact, so the lone report stays apart,
    # in the second pass (fragments joining a larger event) as in the first
    wednesday = [article(f"wed{n}", COUNCIL, mentions=[weekday("Wednesday")]) for n in range(3)]
    tuesday = article("tue", COUNCIL, published=date(2025, 2, 4))
    assert groups_of([*wednesday, tuesday]) == [{"tue"}, {"wed0", "wed1", "wed2"}]
    # an undated lone report's other weekday may be background: it still joins
    monday = article("mon", COUNCIL, mentions=[weekday("Monday")])
    assert groups_of([*wednesday, monday]) == [{"mon", "wed0", "wed1", "wed2"}]


def test_a_dated_report_meets_its_own_days_neighbours_before_an_undated_twin():
    # the pier vote, reported twice on the 3rd and once on the 4th by a report that also
    # recalls the jetty of another town, whose undated reports are a twin happening of the
    # same kind: an undated report is of an unknown day, not of the same day, so the late
    # report meets the vote's reports (more alike) before the twin's and stays with them
    pier = (
        "The harbour council voted to rebuild the ferry pier of Saltmere that the winter "
        "storms wrecked, with a loan from the regional bank and a new timber deck."
    )
    jetty = (
        "Brinkwater fishermen will get a new stone jetty: the harbour council approved a grant "
        "from the national fund to replace the one the spring floods swept away."
    )
    late = (
        pier.replace("voted", "agreed")
        + " Brinkwater fishermen got a new jetty from the harbour council in the same way after "
        "the spring floods."
    )
    voted = [
        article(f"pier{n}", pier.replace("voted", verb), published=date(2025, 3, 3))
        for n, verb in enumerate(["voted", "decided"])
    ]
    twins = [article(f"jetty{n}", jetty) for n in range(3)]
    assert groups_of([*voted, article("late", late, published=date(2025, 3, 4)), *twins]) == [
        {"jetty0", "jetty1", "jetty2"},
        {"late", "pier0", "pier1"},
    ]


def test_reports_of_one_happening_across_midnight_join_when_one_is_undated():
    # a fire reported twice in the evening of the 3rd, and the next morning by a dated report
    # and an undated one: the undated report may be of either day, so the two groups are not
    # known to be of different days, and they join (two groups of dated reports of different
    # days stay apart: see test_developments_of_a_running_story_on_consecutive_days_stay_apart)
    evening = (
        "Fire broke out late in the evening in the Saltmere sail loft on the quay, and crews "
        "fought the blaze in the old loft until the roof fell in."
    )
    morning = (
        "The old sail loft on the Saltmere quay burned down overnight: the roof fell in after "
        "midnight and crews were still fighting the blaze at dawn."
    )
    reports = [
        *(
            article(f"evening{n}", evening.replace("fought", verb), published=date(2025, 3, 3))
            for n, verb in enumerate(["fought", "battled"])
        ),
        article("dawn", morning, published=date(2025, 3, 4)),
        article("undated", morning.replace("burned down", "was destroyed")),
    ]
    assert groups_of(reports) == [{"dawn", "evening0", "evening1", "undated"}]


def test_a_days_reports_gather_before_they_meet_the_previous_development():
    # the vote, reported three times on the 3rd; the demolition two days later, by two
    # reports and a third that recalls the vote at length: alike to the vote's reports (0.8)
    # more than to its own day's (0.5), it is still the demolition's, and the two days stay
    # two events
    vote = (
        "The Saltmere harbour council voted to rebuild the ferry pier, approving a loan for a "
        "new timber deck after the winter storms wrecked the old one."
    )
    works = (
        "Crews began tearing down the wrecked Saltmere ferry pier on Wednesday, as barges and "
        "cranes arrived and the contractor fenced off the quay."
    )
    recap = vote + " Crews began tearing down the pier as barges and cranes arrived."
    voted = [article(f"vote{n}", vote, published=date(2025, 3, 3)) for n in range(3)]
    began = [article(f"works{n}", works, published=date(2025, 3, 5)) for n in range(2)]
    recalled = article("recap", recap, published=date(2025, 3, 5))
    assert groups_of([*voted, *began, recalled]) == [
        {"recap", "works0", "works1"},
        {"vote0", "vote1", "vote2"},
    ]


def test_a_lead_day_after_publication_is_a_plan_not_the_happening():
    # published on the 10th: "will vote on Wednesday" (the 12th) has not happened yet
    plan = article(
        "p", COUNCIL, published=date(2025, 2, 10), mentions=[day_mention(date(2025, 2, 12))]
    )
    assert main_day(plan) == date(2025, 2, 10)


def test_an_outlets_second_report_on_a_story_is_not_taken_for_its_first():
    # the talks reported by two outlets; a report of the deal, alike enough to join them, joins
    # when a third outlet files it and stays apart when one of the two files it again
    day = date(2025, 3, 3)
    talks = [
        replace(article(f"talks-{n}", ROUNDUP["talks"][n] + STRIKE, published=day), source=outlet)
        for n, outlet in enumerate(["Harbour Ledger", "Valley Wire"])
    ]
    deal = article("deal", ROUNDUP["deal"][0] + STRIKE, published=day)
    third = replace(deal, source="Civic Post")
    again = replace(deal, source="Harbour Ledger")
    assert groups_of([*talks, third], similarity=0.35) == [{"deal", "talks-0", "talks-1"}]
    assert groups_of([*talks, again], similarity=0.35) == [{"deal"}, {"talks-0", "talks-1"}]


def made_up_word(n: int, letters: str = "bcdfghklmnprstvz") -> str:
    word = ""
    while True:
        n, rest = divmod(n, len(letters))
        word += letters[rest] + "a"
        if not n:
            return word


def four_reports_an_event(count: int, published: date | None) -> list[Article]:
    """`count` short reports, four to an event: each names its event's own words and those
    of one of 25 stories, so that a story's words are carried by a share of the corpus."""
    reports = []
    for i in range(count):
        event = i // 4
        story = event % 25
        words = [made_up_word(10 * event + k) for k in range(5)]
        words += [made_up_word(10**6 + 10 * story + k) for k in range(3)]
        text = "Reports said " + " ".join(words[(i % 4) :] + words[: (i % 4)]) + "."
        reports.append(article(f"r{i}", text, published=published))
    return reports


def test_grouping_work_grows_linearly_when_every_article_is_undated_or_on_one_day(monkeypatch):
    from storyline.events import group

    # small bounds, so that a small corpus shows what a large one would do
    monkeypatch.setattr(group, "CROWDED", 50)
    monkeypatch.setattr(group, "POSTING_ROWS", 20)
    work = 0
    products = group.products

    def counted(vectors, rows, columns):
        nonlocal work
        work += len(rows) * len(columns)  # similarities computed
        return products(vectors, rows, columns)

    monkeypatch.setattr(group, "products", counted)
    for published in (None, date(2025, 3, 3)):
        done = []
        for count in (1000, 2000):
            work = 0
            reports = four_reports_an_event(count, published)
            found = {frozenset(g) for g in groups_of(reports)}
            assert found == {frozenset(f"r{i + k}" for k in range(4)) for i in range(0, count, 4)}
            done.append(work)
        assert done[1] <= 2.5 * done[0], done  # a quadratic search does four times the work
