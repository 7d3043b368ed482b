"""Points in time at a granularity, and their TimeML values: "2025-03-12", "2025-W11", "2025-Q1"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASONS_FROM_DECEMBER = ("WI", "SP", "SU", "FA")  # a month's season: [month % 12 // 3]
# How long each granularity is: in days, or in months where the calendar's months measure it.
# A time moves by whole days and keeps its hour.
DAYS = {"time": 1, "day": 1, "week": 7, "weekend": 7}
MONTHS = {
    "month": 1,
    "quarter": 3,
    "season": 3,
    "half": 6,
    "year": 12,
    "decade": 120,
    "century": 1200,
}


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
            return f"{year:04d}-W{week:02d}" + ("-WE" if self.gran == "weekend" else "")
        year = f"{s.year:04d}"  # TimeML writes four digits: "0999"
        if self.gran == "month":
            return f"{year}-{s.month:02d}"
        if self.gran == "season":
            return f"{year}-{self.extra}"
        if self.gran == "quarter":
            return f"{year}-Q{(s.month - 1) // 3 + 1}"
        if self.gran == "half":
            return f"{year}-H{1 if s.month < 7 else 2}"
        if self.gran == "year":
            return year
        if self.gran == "decade":
            return year[:3]
        return year[:2]  # century

    def shift(self, amount: int, unit: str) -> Point:
        """The point `amount` units later (earlier when negative), aligned to its period. A
        shift by whole periods of the point keeps its granularity ("a year later" after a
        quarter is the same quarter a year on); any other shift cannot be more precise than
        the coarser of the two ("five months later" after the first half of 2010 is the half
        in which June 2010 falls)."""
        if self.start is None:
            return self
        if unit in DAYS:
            start = self.start + timedelta(days=amount * DAYS[unit])
        else:
            start = add_months(self.start, amount * MONTHS[unit])
        gran = self.gran if _whole(unit, self.gran) else max(self.gran, unit, key=rough_days)
        return period(gran, start, self.extra)


def add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(value.day, _days_in(year, month + 1)))


def _whole(unit: str, gran: str) -> bool:
    """Whether one `unit` is a whole number of periods of `gran`."""
    for lengths in (DAYS, MONTHS):
        if unit in lengths and gran in lengths:
            return lengths[unit] % lengths[gran] == 0
    return False


def rough_days(gran: str) -> float:
    """About how many days a period of `gran` lasts."""
    return DAYS[gran] if gran in DAYS else MONTHS[gran] * 30.4


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def period(gran: str, day: date, extra: str = "") -> Point:
    """The point of granularity `gran` that contains `day`; `extra` is kept by a time."""
    if gran in ("week", "weekend"):
        return Point(gran, day - timedelta(days=day.weekday()))
    if gran == "month":
        return Point(gran, day.replace(day=1))
    if gran == "quarter":
        return Point(gran, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    if gran == "half":
        return Point(gran, date(day.year, 1 if day.month < 7 else 7, 1))
    if gran == "season":  # winter begins in December: January 2011 is in winter 2010
        code = SEASONS_FROM_DECEMBER[day.month % 12 // 3]
        year = day.year - 1 if day.month < SEASON_START[code] else day.year
        return Point(gran, date(year, SEASON_START[code], 1), code)
    if gran == "year":
        return Point(gran, date(day.year, 1, 1))
    if gran == "decade":
        return Point(gran, date(day.year // 10 * 10, 1, 1))
    if gran == "century":
        return Point(gran, date(day.year // 100 * 100, 1, 1))
    return Point(gran, day, extra)
