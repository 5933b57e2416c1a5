"""The NLR planner: fortnightly non-lawyer reviews placed on the court's sittings.

Pure and deterministic: a `Court`, the hearings already in the diary and `today` go in, a list of
`Placement`s comes out. Nothing here reads a clock or a database; the service applies the plan.

The rules (shared/DOMAIN.md, "Hearings"; issue 4):
- a case's NLRs fall every 14 days from its first NLR date, on its sitting's weekday, with its
  judge (judge continuity: never another judge; the manager may choose otherwise by hand);
- a date that cannot be used (weekend, bank holiday, closure, judge away, sitting full, the case
  already in court that day) moves to the nearest usable sitting of the same judge, later
  preferred, between 6 days earlier and the day before the next review; the move carries its
  reason and is flagged; the rhythm continues from the planned date, not the moved one;
- hearings already held, in the past, moved by hand or cancelled are never touched;
- planning again changes nothing that is already right.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from hearings.calendar import Court, Sitting, first_on_weekday, fortnightly
from hearings.timings import EARLIEST_MOVE, NLR_INTERVAL


@dataclass(frozen=True)
class Booking:
    """A hearing already in the diary, as the planner sees it."""

    case_id: int
    day: date
    hearing_id: int | None = None
    sitting_id: int | None = None
    slot: int | None = None
    judge_id: int | None = None
    is_nlr: bool = False
    planned_for: date | None = None  # the rhythm date a planned NLR stands for
    fixed: bool = False  # held or moved by hand: it stays where it is
    cancelled: bool = False


@dataclass(frozen=True)
class CaseToPlan:
    case_id: int
    judge_id: int
    first_nlr: date  # the trial for change start, or the first NLR date the manager chose
    until: date  # the IRH date or the horizon, inclusive
    sitting_id: int | None = None  # the case's sitting; default the judge's first


@dataclass(frozen=True)
class Placement:
    """One thing the plan asks for: book a new NLR, move one, or say why one cannot be booked."""

    case_id: int
    planned_for: date
    judge_id: int
    day: date | None  # None: no usable sitting in reach
    sitting_id: int | None = None
    slot: int | None = None
    hearing_id: int | None = None  # set: move this existing hearing
    reason: str = ""  # why it is not on `planned_for`; empty when it is

    @property
    def flagged(self) -> bool:
        return bool(self.reason)


class Diary:
    """Who is where: slots taken per sitting and day, days each case is already in court."""

    def __init__(self, bookings: Iterable[Booking] = ()):
        self._taken: dict[tuple[int, date], set[int]] = defaultdict(set)
        self._case_days: dict[int, set[date]] = defaultdict(set)
        self._nlrs: dict[int, dict[date, Booking]] = defaultdict(dict)
        for booking in bookings:
            if booking.is_nlr and booking.planned_for is not None:
                self._nlrs[booking.case_id][booking.planned_for] = booking
            if not booking.cancelled:
                self.hold(booking)

    def _hold(self, case_id, day, sitting_id, slot) -> None:
        self._case_days[case_id].add(day)
        if sitting_id is not None and slot is not None:
            self._taken[(sitting_id, day)].add(slot)

    def hold(self, booking: Booking) -> None:
        self._hold(booking.case_id, booking.day, booking.sitting_id, booking.slot)

    def release(self, booking: Booking) -> None:
        self._case_days[booking.case_id].discard(booking.day)
        if booking.sitting_id is not None and booking.slot is not None:
            self._taken[(booking.sitting_id, booking.day)].discard(booking.slot)

    def take(self, placement: Placement) -> None:
        self._hold(placement.case_id, placement.day, placement.sitting_id, placement.slot)

    def nlr_for(self, case_id: int, planned_for: date) -> Booking | None:
        return self._nlrs[case_id].get(planned_for)

    def nlrs(self, case_id: int) -> list[Booking]:
        return list(self._nlrs[case_id].values())

    def in_court(self, case_id: int, day: date) -> bool:
        return day in self._case_days[case_id]

    def free_slot(self, sitting: Sitting, day: date) -> int | None:
        taken = self._taken.get((sitting.id, day), ())
        for slot in range(1, sitting.slots + 1):
            if slot not in taken:
                return slot
        return None


def _sitting_for(court: Court, case: CaseToPlan) -> Sitting | None:
    chosen = court.sitting(case.sitting_id) if case.sitting_id is not None else None
    if chosen is not None and chosen.judge_id == case.judge_id:
        return chosen
    mine = [s for s in court.sittings if s.judge_id == case.judge_id]
    return min(mine, key=lambda s: (s.weekday, s.starts_at, s.id), default=None)


def _why_not(court: Court, diary: Diary, case: CaseToPlan, day: date) -> str:
    """Why `day` cannot take this case's NLR (the first reason found)."""
    unavailable = court.unavailable_because(day, case.judge_id)
    if unavailable:
        return unavailable
    if diary.in_court(case.case_id, day):
        return "the family already has a hearing that day"
    if not court.judge_sittings(case.judge_id, day.weekday()):
        return "the judge does not sit that day"
    return "sitting full"


def _place_on(court: Court, diary: Diary, case: CaseToPlan, day: date):
    """The first free slot with the case's judge on `day`, as (sitting, slot), or None."""
    if court.unavailable_because(day, case.judge_id) or diary.in_court(case.case_id, day):
        return None
    for sitting in court.judge_sittings(case.judge_id, day.weekday()):
        slot = diary.free_slot(sitting, day)
        if slot is not None:
            return sitting, slot
    return None


def _candidate_days(planned_for: date, earliest: date) -> list[date]:
    """Days a review may move to, nearest first and later before earlier at equal distance."""
    window = range(-EARLIEST_MOVE.days, NLR_INTERVAL.days)
    days = [planned_for + timedelta(days=offset) for offset in window if offset != 0]
    days = [day for day in days if day >= earliest]
    return sorted(days, key=lambda day: (abs((day - planned_for).days), day < planned_for))


def _still_right(court: Court, case: CaseToPlan, booking: Booking) -> bool:
    sitting = court.sitting(booking.sitting_id) if booking.sitting_id is not None else None
    return (
        sitting is not None
        and sitting.judge_id == case.judge_id == booking.judge_id
        and sitting.weekday == booking.day.weekday()
        and booking.slot is not None
        and booking.slot <= sitting.slots
        and court.unavailable_because(booking.day, case.judge_id) is None
    )


def _place(court, diary, case, planned_for, earliest, hearing_id=None) -> Placement:
    found = _place_on(court, diary, case, planned_for) if planned_for >= earliest else None
    if found:
        sitting, slot = found
        return Placement(
            case.case_id, planned_for, case.judge_id, planned_for, sitting.id, slot, hearing_id
        )
    reason = _why_not(court, diary, case, planned_for)
    for day in _candidate_days(planned_for, earliest):
        found = _place_on(court, diary, case, day)
        if found:
            sitting, slot = found
            return Placement(
                case.case_id, planned_for, case.judge_id, day, sitting.id, slot, hearing_id, reason
            )
    return Placement(
        case.case_id,
        planned_for,
        case.judge_id,
        None,
        None,
        None,
        hearing_id,
        f"{reason}; no sitting with the judge before the next review",
    )


def plan_case(court: Court, case: CaseToPlan, diary: Diary, today: date) -> list[Placement]:
    """The changes that bring one case's NLRs from `today` to `case.until` into line.

    `diary` is updated as places are taken, so cases planned one after another share it.
    """
    sitting = _sitting_for(court, case)
    if sitting is None:
        return []  # the caller says why: the judge has no FDAC sitting
    rhythm = fortnightly(first_on_weekday(case.first_nlr, sitting.weekday), case.until)
    # Reviews stay in order: a moved one never goes on or before the review before it.
    held_on = {b.planned_for: b.day for b in diary.nlrs(case.case_id) if not b.cancelled}
    placements = []
    for planned_for in rhythm:
        before = [day for key, day in held_on.items() if key < planned_for]
        earliest = max([today, *(day + timedelta(days=1) for day in before)])
        booking = diary.nlr_for(case.case_id, planned_for)
        if booking is not None:
            untouchable = booking.cancelled or booking.fixed or booking.day < today
            if untouchable or _still_right(court, case, booking):
                continue
            diary.release(booking)
            placement = _place(court, diary, case, planned_for, earliest, booking.hearing_id)
            if placement.day is None:
                diary.hold(booking)  # it stays where it is until the manager decides
        elif planned_for < today:
            continue
        else:
            placement = _place(court, diary, case, planned_for, earliest)
        if placement.day is not None:
            diary.take(placement)
            held_on[planned_for] = placement.day
        placements.append(placement)
    return placements


def plan(court: Court, cases: Iterable[CaseToPlan], bookings: Iterable[Booking], today: date):
    """Plan many cases against one diary, in case order so the result is always the same."""
    diary = Diary(bookings)
    placements = []
    for case in sorted(cases, key=lambda c: c.case_id):
        placements.extend(plan_case(court, case, diary, today))
    return placements
