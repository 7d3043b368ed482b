"""Group and describe stages: articles about one happening become one Event.

`group` partitions the articles; `describe` turns each group into an Event and builds the
digest's timeline; `salience` ranks the story's days; `clues` holds what both read from a
single article.
"""

from .describe import (
    Choices,
    consensus,
    describe,
    event_articles,
    event_date,
    timeline,
    undated_warning,
)
from .group import GroupInput, group_articles, group_run, joined, time_runs
from .identity import assign_identity, remembered
from .salience import key_dates, rank_events
from .storylines import Names, TermCounts, event_terms, storylines

__all__ = [
    "Choices",
    "GroupInput",
    "Names",
    "TermCounts",
    "assign_identity",
    "consensus",
    "describe",
    "event_articles",
    "event_date",
    "event_terms",
    "group_articles",
    "group_run",
    "joined",
    "key_dates",
    "rank_events",
    "remembered",
    "storylines",
    "time_runs",
    "timeline",
    "undated_warning",
]
