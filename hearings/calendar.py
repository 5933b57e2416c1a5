"""The court's calendar as pure values: sittings, closures, judges' absences, bank holidays.

No Flask, no database, no clock: the caller builds a `Court` from its settings and asks it
whether a day can hold a hearing. The planner and the pages share these answers.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from hearings.timings import NLR_INTERVAL

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
COURT_WEEKDAYS = range(5)  # courts sit Monday to Friday


@lru_cache(maxsize=64)
def _bank_holidays_for(year: int) -> dict[date, str]:
    # England and Wales share one calendar (subdivision ENG in the `holidays` package, which
    # ships its data: no network). It includes substitute days and one-off extras.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """England and Wales bank holidays from `first_year` to `last_year`, with their names."""
    days: dict[date, str] = {}
    for year in range(first_year, last_year + 1):
        days.update(_bank_holidays_for(year))
    return days


def bank_holiday_name(day: date) -> str | None:
    """The bank holiday's name ("Boxing Day (observed)") when `day` is one, else None."""
    return _bank_holidays_for(day.year).get(day)


@dataclass(frozen=True)
class Sitting:
    """A recurring FDAC sitting: a weekday, a session, its slots and its judge."""

    id: int
    weekday: int  # 0 is Monday
    judge_id: int
    starts_at: time
    slot_minutes: int
    slots: int

    def slot_starts(self, slot: int) -> time:
        """When slot number `slot` (1, 2, ...) starts, as a wall-clock time in London."""
        start = datetime.combine(date(2000, 1, 3), self.starts_at)
        return (start + timedelta(minutes=self.slot_minutes * (slot - 1))).time()

    @property
    def ends_at(self) -> time:
        return self.slot_starts(self.slots + 1)


@dataclass(frozen=True)
class Absence:
    """A judge away from `first_day` to `last_day` inclusive: no reviews with them then."""

    judge_id: int
    first_day: date
    last_day: date
    reason: str = ""


@dataclass(frozen=True)
class Court:
    """What a planner needs to know about one court's FDAC list."""

    sittings: tuple[Sitting, ...] = ()
    closures: dict[date, str] = field(default_factory=dict)  # day -> why the court is closed
    absences: tuple[Absence, ...] = ()

    def __post_init__(self):
        by_judge: dict[int, list[Absence]] = defaultdict(list)
        for absence in self.absences:
            by_judge[absence.judge_id].append(absence)
        object.__setattr__(self, "_absences_by_judge", dict(by_judge))
        by_weekday: dict[tuple[int, int], list[Sitting]] = defaultdict(list)
        for sitting in sorted(self.sittings, key=lambda s: (s.starts_at, s.id)):
            by_weekday[(sitting.judge_id, sitting.weekday)].append(sitting)
        object.__setattr__(self, "_sittings_by_judge_day", dict(by_weekday))
        object.__setattr__(self, "_sittings_by_id", {s.id: s for s in self.sittings})

    def sitting(self, sitting_id: int) -> Sitting | None:
        return self._sittings_by_id.get(sitting_id)

    def judge_sittings(self, judge_id: int, weekday: int) -> list[Sitting]:
        return self._sittings_by_judge_day.get((judge_id, weekday), [])

    def closed_because(self, day: date) -> str | None:
        """Why the court does not sit on `day` at all, or None on a court day."""
        if day.weekday() not in COURT_WEEKDAYS:
            return "weekend"
        holiday = bank_holiday_name(day)
        if holiday:
            return f"bank holiday ({holiday})"
        closure = self.closures.get(day)
        if closure is not None:
            return f"court closed ({closure})" if closure else "court closed"
        return None

    def judge_away(self, judge_id: int, day: date) -> Absence | None:
        for absence in self._absences_by_judge.get(judge_id, ()):
            if absence.first_day <= day <= absence.last_day:
                return absence
        return None

    def unavailable_because(self, day: date, judge_id: int | None) -> str | None:
        """Why `day` cannot hold a hearing with `judge_id`, or None when it can."""
        closed = self.closed_because(day)
        if closed:
            return closed
        if judge_id is not None and self.judge_away(judge_id, day):
            return "judge away"
        return None


def first_on_weekday(start: date, weekday: int) -> date:
    """The first day on or after `start` that falls on `weekday` (0 is Monday)."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def fortnightly(first: date, until: date) -> list[date]:
    """Every 14 days from `first` to `until` inclusive: the NLR rhythm."""
    days = []
    day = first
    while day <= until:
        days.append(day)
        day += NLR_INTERVAL
    return days
