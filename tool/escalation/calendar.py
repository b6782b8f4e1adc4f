"""Working days, as the procedures count them.

A working day is Monday to Friday and not a bank holiday of the partnership's region
or a local closure day. "Within N working days of D" ends at the end of the Nth working
day after D: D itself is never counted, whatever day it is. Days are calendar days;
hours are hours.

The bank holidays are given to the calendar (from the `holidays` package at build time)
for a window of years; asking about a day outside that window is an error rather than a
silent guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .model import Unit


class OutsideCalendar(ValueError):
    """A date beyond the years whose bank holidays are known."""


@dataclass(frozen=True)
class Deadline:
    """The end of `day`, or `at` that moment when the timescale is in hours."""

    day: date
    at: time | None = None

    def passed(self, now: datetime) -> bool:
        if self.at is None:
            return now.date() > self.day
        return now > datetime.combine(self.day, self.at)


@dataclass(frozen=True)
class Calendar:
    first_year: int
    last_year: int
    closed: Mapping[date, str] = field(default_factory=dict)  # bank holidays, closure days

    def _require(self, day: date) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise OutsideCalendar(
                f"{day.isoformat()} is outside the years whose bank holidays this site knows "
                f"({self.first_year} to {self.last_year}), so working days cannot be counted "
                "reliably")

    def is_working_day(self, day: date) -> bool:
        self._require(day)
        return day.weekday() < 5 and day not in self.closed

    def closure(self, day: date) -> str | None:
        """The name of the bank holiday or closure on `day`, if any."""
        return self.closed.get(day)

    def working_days_after(self, day: date, count: int) -> date:
        """The Nth working day after `day`, not counting `day` itself."""
        if count < 1:
            raise ValueError("a timescale in working days must be 1 or more")
        current, remaining = day, count
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_day_before(self, day: date) -> date:
        """The last working day before `day` (Friday for a Monday)."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def deadline(self, start: date | datetime, within: int, unit: Unit) -> Deadline:
        """When a timescale counted from `start` runs out.

        Hours run from the moment given; with a date alone the clock starts at midnight,
        so the deadline shown is never later than the real one. They are wall-clock hours:
        across the autumn clock change the real deadline is an hour earlier.
        """
        day = start.date() if isinstance(start, datetime) else start
        self._require(day)
        if unit == "working days":
            return Deadline(self.working_days_after(day, within))
        if unit == "calendar days":
            end = day + timedelta(days=within)
            self._require(end)
            return Deadline(end)
        if unit == "hours":
            moment = start if isinstance(start, datetime) else datetime.combine(day, time())
            end = moment + timedelta(hours=within)
            self._require(end.date())
            return Deadline(end.date(), end.time())
        raise ValueError(f"unknown unit {unit!r}")
