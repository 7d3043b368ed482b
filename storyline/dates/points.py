"""Points in time at a granularity, and their TimeML values: "2025-03-12", "2025-W11", "2025-Q1"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class Point:
    """A date at some granularity: `start` is the first day of the period it stands for."""

    gran: str
    start: date | None = None
    extra: str = ""  # the time ("14:00") or part of day ("MO"), the season code, or the ref name

    @property
    def value(self) -> str:
        s = self.start
        if self.gran == "ref" or s is None:
            return self.extra
        if self.gran == "time":
            return f"{s.isoformat()}T{self.extra}"
        if self.gran == "day":
            return s.isoformat()
        if self.gran in ("week", "weekend"):
            year, week, _ = s.isocalendar()
            return f"{year}-W{week:02d}" + ("-WE" if self.gran == "weekend" else "")
        if self.gran == "month":
            return f"{s.year}-{s.month:02d}"
        if self.gran == "season":
            return f"{s.year}-{self.extra}"
        if self.gran == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.gran == "half":
            return f"{s.year}-H{1 if s.month < 7 else 2}"
        if self.gran == "year":
            return str(s.year)
        if self.gran == "decade":
            return str(s.year // 10)
        return str(s.year // 100)  # century

    def shift(self, amount: int, unit: str) -> Point:
        """The same kind of point `amount` units later (earlier when negative)."""
        if self.start is None:
            return self
        if unit in ("day", "week"):
            days = amount * (7 if unit == "week" else 1)
            return replace(self, start=self.start + timedelta(days=days))
        months = (
            amount
            * {
                "month": 1,
                "quarter": 3,
                "season": 3,
                "half": 6,
                "year": 12,
                "decade": 120,
                "century": 1200,
            }[unit]
        )
        return replace(self, start=add_months(self.start, months))


def add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(value.day, _days_in(year, month + 1)))


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def period(gran: str, day: date, extra: str = "") -> Point:
    """The point of granularity `gran` that contains `day`."""
    if gran in ("week", "weekend"):
        return Point(gran, day - timedelta(days=day.weekday()))
    if gran == "month":
        return Point(gran, day.replace(day=1))
    if gran == "quarter":
        return Point(gran, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    if gran == "half":
        return Point(gran, date(day.year, 1 if day.month < 7 else 7, 1))
    if gran == "season":
        return Point(gran, date(day.year, SEASON_START[extra], 1), extra)
    if gran == "year":
        return Point(gran, date(day.year, 1, 1))
    if gran == "decade":
        return Point(gran, date(day.year // 10 * 10, 1, 1))
    if gran == "century":
        return Point(gran, date(day.year // 100 * 100, 1, 1))
    return Point(gran, day, extra)
