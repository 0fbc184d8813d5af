"""The reply promise: when is a reply due?

Organisations promise a reply within N working days (weekends and Finnish public holidays
do not count; Midsummer Eve and Christmas Eve are days off in practice and ``holidays.FI``
lists them) or within N calendar days. A request left on a day off starts counting from
the next working day, as a person reading it on Monday would.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

KINDS = ("working", "calendar")


@dataclass(frozen=True)
class Promise:
    days: int
    kind: str = "working"
    retention_days: int = 30

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"promise kind must be one of {KINDS}, not {self.kind!r}")
        if not 0 < int(self.days) <= 365:
            raise ValueError("promise days must be 1..365")
        if not 0 <= int(self.retention_days) <= 3650:
            raise ValueError("retention days must be 0..3650")


DEFAULT = Promise(7, "working", 30)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.FI(years=[year]).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def due_date(submitted: date, promise: Promise) -> date:
    """The last day a reply keeps the promise.

    Working days: the N-th working day after the submission day (submitted on a Friday
    with 5 working days -> the next Friday). Calendar days: submission + N days.
    """
    if promise.kind == "calendar":
        return submitted + timedelta(days=int(promise.days))
    day, left = submitted, int(promise.days)
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += is_working_day(day)
    return n
