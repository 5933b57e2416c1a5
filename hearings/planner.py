"""The NLR planner: fortnightly non-lawyer reviews placed on the court's sittings.

Pure and deterministic: a `Court`, the hearings already in the diary and `today` go in, a list of
`Placement`s comes out. Nothing here reads a clock or a database; the service applies the plan.

The rules (shared/DOMAIN.md, "Hearings"; issue 4):
- a case's NLRs fall every 14 days from its first NLR date, on its sitting's weekday, with its
  judge (judge continuity: never another judge; the manager may choose otherwise by hand);
- a date that cannot be used (weekend, bank holiday, closure, judge away, sitting full, the case
  already in court that day) moves to the nearest usable sitting of the same judge, later
  preferred, between 6 days earlier and the day before the next rhythm date, and never past
  the family's review before or after it (reviews stay in order) nor the day before the IRH
  (`CaseToPlan.last_day`); the move carries its reason and is flagged; the rhythm continues
  from the planned date, not the moved one;
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
    # No review may be moved past this day (the day before the IRH): `until` alone bounds only
    # the rhythm dates, and a late move could otherwise land after the IRH. None: no bound.
    last_day: date | None = None


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


def sitting_for(court: Court, case: CaseToPlan) -> Sitting | None:
    """The sitting a case's rhythm follows: its chosen one if that is its judge's, else the
    judge's first sitting of the week."""
    chosen = court.sitting(case.sitting_id) if case.sitting_id is not None else None
    if chosen is not None and chosen.judge_id == case.judge_id:
        return chosen
    mine = [s for s in court.sittings if s.judge_id == case.judge_id]
    return min(mine, key=lambda s: (s.weekday, s.starts_at, s.id), default=None)


def _why_not(court: Court, diary: Diary, case: CaseToPlan, day: date, today: date) -> str:
    """Why `day` cannot take this case's NLR (the first reason found)."""
    if day < today:
        return "the day has passed"
    unavailable = court.unavailable_because(day, case.judge_id)
    if unavailable:
        return unavailable
    if diary.in_court(case.case_id, day):
        return "the family already has a hearing that day"
    if not court.judge_sittings(case.judge_id, day.weekday()):
        return "the judge does not sit that day"
    if _place_on(court, diary, case, day):
        # The day is free, but a neighbouring review was put on or past it (by hand, say).
        return "it would fall out of order with the family's other reviews"
    return "sitting full"


def _place_on(court: Court, diary: Diary, case: CaseToPlan, day: date):
    """The first free slot with the case's judge on `day`, as (sitting, slot), or None."""
    # The cheap questions first: most days in reach are not the judge's sitting days.
    sittings = court.judge_sittings(case.judge_id, day.weekday())
    if not sittings or diary.in_court(case.case_id, day):
        return None
    if court.unavailable_because(day, case.judge_id):
        return None
    for sitting in sittings:
        slot = diary.free_slot(sitting, day)
        if slot is not None:
            return sitting, slot
    return None


# How far a review may move, nearest first and later before earlier at equal distance: from
# 6 days earlier to 13 days later (the day before the next rhythm date).
_MOVES = tuple(
    sorted(
        (timedelta(days=d) for d in range(-EARLIEST_MOVE.days, NLR_INTERVAL.days) if d),
        key=lambda move: (abs(move), move < timedelta(0)),
    )
)
_ONE_DAY = timedelta(days=1)


def _candidate_days(planned_for: date, earliest: date, latest: date | None) -> list[date]:
    """Days a review may move to, nearest first and later before earlier at equal distance.

    Only days from `earliest` to `latest` (inclusive, None: no bound besides the window), so
    reviews stay in order: a moved review never passes the one before or after it.
    """
    days = [planned_for + move for move in _MOVES]
    return [day for day in days if earliest <= day and (latest is None or day <= latest)]


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


def _place(court, diary, case, planned_for, today, bounds, hearing_id=None) -> Placement:
    """Place the review for `planned_for` between `bounds` (earliest, latest or None)."""
    earliest, latest = bounds
    in_bounds = earliest <= planned_for and (latest is None or planned_for <= latest)
    found = _place_on(court, diary, case, planned_for) if in_bounds else None
    if found:
        sitting, slot = found
        return Placement(
            case.case_id, planned_for, case.judge_id, planned_for, sitting.id, slot, hearing_id
        )
    reason = _why_not(court, diary, case, planned_for, today)
    for day in _candidate_days(planned_for, earliest, latest):
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


def _latest_days(rhythm: list[date], held_on: dict[date, date], last_day: date | None):
    """For each rhythm date, the last day its review may take: the day before the first later
    review already in the diary, and never after the case's `last_day` (None: no bound).

    Worked out once per case: a later review stays put while the earlier ones are placed."""
    latest, bound = [], last_day
    for planned_for in reversed(rhythm):
        latest.append(bound)
        if planned_for in held_on:
            day = held_on[planned_for] - _ONE_DAY
            bound = day if bound is None else min(bound, day)
    return latest[::-1]


def _replan(court, diary, case, planned_for, today, bounds) -> Placement | None:
    """What the review for `planned_for` needs: None when it is right (or must stay) as it is."""
    booking = diary.nlr_for(case.case_id, planned_for)
    if booking is None:
        if planned_for < today:
            return None  # a past review never booked: too late now
        return _place(court, diary, case, planned_for, today, bounds)
    untouchable = booking.cancelled or booking.fixed or booking.day < today
    if untouchable or _still_right(court, case, booking):
        return None
    diary.release(booking)
    placement = _place(court, diary, case, planned_for, today, bounds, booking.hearing_id)
    if placement.day is None:
        diary.hold(booking)  # it stays where it is until the manager decides
    return placement


def plan_case(court: Court, case: CaseToPlan, diary: Diary, today: date) -> list[Placement]:
    """The changes that bring one case's NLRs from `today` to `case.until` into line.

    `diary` is updated as places are taken, so cases planned one after another share it.
    """
    sitting = sitting_for(court, case)
    if sitting is None:
        return []  # the caller says why: the judge has no FDAC sitting
    rhythm = fortnightly(first_on_weekday(case.first_nlr, sitting.weekday), case.until)
    # Where each review of this rhythm already is: a review is placed between its neighbours.
    # (Reviews of an older rhythm still hold their days in the diary but bound nothing.)
    dates = set(rhythm)
    held_on = {
        b.planned_for: b.day
        for b in diary.nlrs(case.case_id)
        if not b.cancelled and b.planned_for in dates
    }
    latest_days = _latest_days(rhythm, held_on, case.last_day)
    earliest = today  # then the day after the review before, as the rhythm goes on
    placements = []
    for planned_for, latest in zip(rhythm, latest_days, strict=True):
        placement = _replan(court, diary, case, planned_for, today, (earliest, latest))
        if placement is not None:
            if placement.day is not None:
                diary.take(placement)
                held_on[planned_for] = placement.day
            placements.append(placement)
        if planned_for in held_on:
            earliest = max(earliest, held_on[planned_for] + _ONE_DAY)
    return placements


def off_rhythm(
    court: Court, case: CaseToPlan, bookings: Iterable[Booking], today: date
) -> list[Booking]:
    """Reviews still to come that the planner booked for an older rhythm of this case (its first
    review date or its sitting changed since): the new plan replaces them."""
    sitting = sitting_for(court, case)
    if sitting is None:
        return []
    first = first_on_weekday(case.first_nlr, sitting.weekday)
    return [
        b
        for b in bookings
        if b.case_id == case.case_id
        and b.is_nlr
        and b.planned_for is not None
        and not (b.cancelled or b.fixed)
        and b.day >= today
        and (b.planned_for < first or (b.planned_for - first) % NLR_INTERVAL)
    ]


def plan(court: Court, cases: Iterable[CaseToPlan], bookings: Iterable[Booking], today: date):
    """Plan many cases against one diary, in case order so the result is always the same."""
    diary = Diary(bookings)
    placements = []
    for case in sorted(cases, key=lambda c: c.case_id):
        placements.extend(plan_case(court, case, diary, today))
    return placements
