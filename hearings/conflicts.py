"""Conflicts in the court's diary, as pure values: who or what is wanted in two places at once.

No Flask, no database: the caller hands in the hearings that still stand (cancelled ones left
out) as `Listed` values and the sittings as `SittingSize` values, and gets `Conflict`s back, each
with a sentence a manager can act on. Three kinds (issue 4):
- a judge double-booked: the same judge in two cases' hearings whose times overlap;
- a parent in two places: the same person (same name and date of birth) in two cases'
  hearings whose times overlap on the same day;
- a sitting over capacity: more hearings in a sitting on a day than it has slots (for example
  after its slots were reduced).
Times overlap when one starts before the other ends: back-to-back slots (10:00 to 10:30 and
10:30 to 11:00) do not.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from itertools import combinations

from fdac.dates import uk_date, uk_time


class ConflictKind(StrEnum):
    JUDGE_DOUBLE_BOOKED = "judge_double_booked"
    PARENT_IN_TWO_PLACES = "parent_in_two_places"
    SITTING_OVER_CAPACITY = "sitting_over_capacity"

    @property
    def label(self) -> str:
        return {
            "judge_double_booked": "Judge double-booked",
            "parent_in_two_places": "Parent in two places",
            "sitting_over_capacity": "Sitting over capacity",
        }[self.value]


@dataclass(frozen=True)
class Person:
    name: str
    date_of_birth: date

    @property
    def key(self) -> tuple[str, date]:
        # The same person entered twice may differ in case or spacing, not in who they are.
        return " ".join(self.name.split()).casefold(), self.date_of_birth


@dataclass(frozen=True)
class Listed:
    """A hearing that stands in the diary, as conflict checks see it."""

    hearing_id: int
    case_id: int
    reference: str
    day: date
    starts_at: time  # London wall-clock time
    duration_minutes: int
    judge_id: int | None = None
    judge_name: str = ""
    sitting_id: int | None = None
    parents: tuple[Person, ...] = ()

    def overlaps(self, other: "Listed") -> bool:
        if self.day != other.day:
            return False
        start, end = _minutes(self)
        other_start, other_end = _minutes(other)
        return start < other_end and other_start < end

    @property
    def when(self) -> str:
        return f"{self.reference} at {uk_time(self.starts_at)}"


@dataclass(frozen=True)
class SittingSize:
    sitting_id: int
    slots: int
    description: str  # how the page names it: "Monday 10:00am sitting (HHJ Patel)"


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    day: date
    hearing_ids: tuple[int, ...]
    message: str


def _minutes(hearing: Listed) -> tuple[int, int]:
    start = hearing.starts_at.hour * 60 + hearing.starts_at.minute
    return start, start + hearing.duration_minutes


def _overlapping_pairs(hearings: Iterable[Listed]) -> list[tuple[Listed, Listed]]:
    """Pairs of different cases' hearings on one day whose times overlap, in time order."""
    ordered = sorted(hearings, key=lambda h: (h.day, h.starts_at, h.hearing_id))
    return [
        (first, second)
        for first, second in combinations(ordered, 2)
        if first.case_id != second.case_id and first.overlaps(second)
    ]


def judge_double_booked(hearings: Iterable[Listed]) -> list[Conflict]:
    """The same judge listed in two cases' hearings at overlapping times."""
    by_judge_day: dict[tuple[int, date], list[Listed]] = defaultdict(list)
    for hearing in hearings:
        if hearing.judge_id is not None:
            by_judge_day[(hearing.judge_id, hearing.day)].append(hearing)
    conflicts = []
    for (_judge, day), listed in sorted(by_judge_day.items(), key=lambda item: item[0][1]):
        for first, second in _overlapping_pairs(listed):
            judge = first.judge_name or "The judge"
            conflicts.append(
                Conflict(
                    ConflictKind.JUDGE_DOUBLE_BOOKED,
                    day,
                    (first.hearing_id, second.hearing_id),
                    f"{judge} is double-booked on {uk_date(day)}: {first.when} and {second.when}",
                )
            )
    return conflicts


def parent_in_two_places(hearings: Iterable[Listed]) -> list[Conflict]:
    """The same parent (name and date of birth) in two cases' hearings at overlapping times."""
    by_person_day: dict[tuple[tuple[str, date], date], list[Listed]] = defaultdict(list)
    names: dict[tuple[str, date], str] = {}
    for hearing in hearings:
        for person in set(hearing.parents):
            by_person_day[(person.key, hearing.day)].append(hearing)
            names.setdefault(person.key, person.name)
    conflicts = []
    for (person, day), listed in sorted(by_person_day.items(), key=lambda item: item[0][1]):
        for first, second in _overlapping_pairs(listed):
            conflicts.append(
                Conflict(
                    ConflictKind.PARENT_IN_TWO_PLACES,
                    day,
                    (first.hearing_id, second.hearing_id),
                    f"{names[person]} is due in two places on {uk_date(day)}: "
                    f"{first.when} and {second.when}",
                )
            )
    return conflicts


def sittings_over_capacity(
    hearings: Iterable[Listed], sittings: Iterable[SittingSize]
) -> list[Conflict]:
    """Sittings holding more hearings on a day than they have slots."""
    sizes = {s.sitting_id: s for s in sittings}
    by_sitting_day: dict[tuple[int, date], list[Listed]] = defaultdict(list)
    for hearing in hearings:
        if hearing.sitting_id in sizes:
            by_sitting_day[(hearing.sitting_id, hearing.day)].append(hearing)
    conflicts = []
    for (sitting_id, day), listed in sorted(by_sitting_day.items(), key=lambda item: item[0][1]):
        sitting = sizes[sitting_id]
        if len(listed) > sitting.slots:
            ordered = sorted(listed, key=lambda h: (h.starts_at, h.hearing_id))
            conflicts.append(
                Conflict(
                    ConflictKind.SITTING_OVER_CAPACITY,
                    day,
                    tuple(h.hearing_id for h in ordered),
                    f"The {sitting.description} on {uk_date(day)} has {len(listed)} families "
                    f"booked for {sitting.slots} slots",
                )
            )
    return conflicts


def find_conflicts(hearings: Iterable[Listed], sittings: Iterable[SittingSize]) -> list[Conflict]:
    """Every conflict among `hearings` (those that stand: cancelled ones left out), by day."""
    hearings = list(hearings)
    found = (
        judge_double_booked(hearings)
        + parent_in_two_places(hearings)
        + sittings_over_capacity(hearings, sittings)
    )
    return sorted(found, key=lambda c: c.day)


def by_hearing(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    """Each hearing's conflicts, to show beside it."""
    found: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        for hearing_id in conflict.hearing_ids:
            found[hearing_id].append(conflict)
    return dict(found)
