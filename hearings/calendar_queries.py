"""Reading the hearings calendar and shaping it for the pages and the feeds.

Every hearing read here comes through `visible_cases(user)`, so a judge sees their own cases'
hearings and a team its own, as on the case pages. Each page costs one query per kind of thing
(hearings with their cases, parents and judges; sittings; closures; absences), however many
hearings there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from fdac.auth.access import visible_cases
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.dates import uk_time
from fdac.extensions import db
from hearings.calendar import COURT_WEEKDAYS, bank_holiday_name
from hearings.conflicts import Conflict, Listed, Person, SittingSize, by_hearing, find_conflicts
from hearings.kinds import HearingStatus
from hearings.models import ClosureDay, Hearing, JudgeAbsence, Sitting

VIEWS = ("week", "month", "list")
LIST_DAYS = 28  # the list view shows four weeks at a time
_DAY = timedelta(days=1)


# --- Reading -------------------------------------------------------------------------------


def hearings_between(
    user, first: date, last: date, *, judge_id: int | None = None, with_cancelled: bool = False
) -> list[Hearing]:
    """The hearings of the cases `user` may see, from `first` to `last`, in time order."""
    visible = visible_cases(user).with_only_columns(Case.id)
    query = (
        select(Hearing)
        .where(Hearing.case_id.in_(visible), Hearing.day >= first, Hearing.day <= last)
        .options(
            joinedload(Hearing.case).selectinload(Case.parents),
            joinedload(Hearing.case).joinedload(Case.team),
            joinedload(Hearing.judge),
        )
        .order_by(Hearing.day, Hearing.starts_at, Hearing.slot, Hearing.id)
    )
    if not with_cancelled:
        query = query.where(Hearing.status != HearingStatus.CANCELLED)
    if judge_id is not None:
        query = query.where(Hearing.judge_id == judge_id)
    return list(db.session.scalars(query).unique())


def sittings_for(user) -> list[Sitting]:
    """The active sittings `user` sees: a judge their own, everyone else their team's."""
    query = (
        select(Sitting)
        .where(Sitting.active.is_(True))
        .options(joinedload(Sitting.judge))
        .order_by(Sitting.weekday, Sitting.starts_at, Sitting.id)
    )
    if user.role is Role.JUDGE:
        return list(db.session.scalars(query.where(Sitting.judge_id == user.id)))
    return list(db.session.scalars(query.where(Sitting.team_id == user.team_id)))


def closures_for(user, first: date, last: date) -> dict[date, str]:
    rows = db.session.execute(
        select(ClosureDay.day, ClosureDay.reason).where(
            ClosureDay.team_id == user.team_id, ClosureDay.day >= first, ClosureDay.day <= last
        )
    )
    return {day: reason for day, reason in rows}


def absences_for(judge_ids: set[int], first: date, last: date) -> list[JudgeAbsence]:
    if not judge_ids:
        return []
    return list(
        db.session.scalars(
            select(JudgeAbsence).where(
                JudgeAbsence.judge_id.in_(judge_ids),
                JudgeAbsence.first_day <= last,
                JudgeAbsence.last_day >= first,
            )
        )
    )


def team_judges(user) -> list[User]:
    """The active judges of `user`'s team, for choosing whose list to see."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.team_id == user.team_id, User.role == Role.JUDGE, User.active.is_(True))
            .order_by(User.name)
        )
    )


def last_goals(case_ids: set[int], before: date) -> dict[int, str]:
    """Each case's goals from its latest hearing held before `before` (its current outcome)."""
    if not case_ids:
        return {}
    held = db.session.scalars(
        select(Hearing)
        .where(
            Hearing.case_id.in_(case_ids),
            Hearing.status == HearingStatus.HELD,
            Hearing.day < before,
        )
        .options(selectinload(Hearing.outcomes))
        .order_by(Hearing.day.desc(), Hearing.starts_at.desc(), Hearing.id.desc())
    )
    goals: dict[int, str] = {}
    for hearing in held:
        if hearing.case_id not in goals:
            outcome = hearing.outcome
            goals[hearing.case_id] = outcome.goals if outcome else ""
    return goals


# --- Conflicts -----------------------------------------------------------------------------


def listed(hearing: Hearing) -> Listed:
    return Listed(
        hearing_id=hearing.id,
        case_id=hearing.case_id,
        reference=hearing.case.reference,
        day=hearing.day,
        starts_at=hearing.starts_at,
        duration_minutes=hearing.duration_minutes,
        judge_id=hearing.judge_id,
        judge_name=hearing.judge.name if hearing.judge else "",
        sitting_id=hearing.sitting_id,
        parents=tuple(Person(p.name, p.date_of_birth) for p in hearing.case.parents),
    )


def sitting_description(sitting: Sitting) -> str:
    return f"{sitting.weekday_name} {uk_time(sitting.starts_at)} sitting ({sitting.judge.name})"


def conflicts_among(hearings: list[Hearing], sittings: list[Sitting]) -> list[Conflict]:
    return find_conflicts(
        [listed(h) for h in hearings if not h.is_cancelled],
        [SittingSize(s.id, s.slots, sitting_description(s)) for s in sittings],
    )


# --- Shaping the pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The stretch of days a calendar page shows, and where its previous and next links go."""

    view: str
    first: date
    last: date
    previous: date
    next: date


def period(view: str, start: date) -> Period:
    if view == "month":
        first = start.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return Period(view, first, last, (first - timedelta(days=1)).replace(day=1), last + _DAY)
    monday = start - timedelta(days=start.weekday())
    length = 7 if view == "week" else LIST_DAYS
    step = timedelta(days=length)
    return Period(view, monday, monday + step - _DAY, monday - step, monday + step)


@dataclass
class SlotRow:
    slot: int | None  # None: a hearing beyond the sitting's slots
    starts_at: time
    hearing: Hearing | None = None


@dataclass
class SittingDay:
    sitting: Sitting
    rows: list[SlotRow]
    booked: int
    judge_away: str | None = None  # the absence's reason, when the judge is away

    @property
    def ends_at(self):
        return self.sitting.rule().ends_at


@dataclass
class CalendarDay:
    day: date
    closed: str | None  # "Bank holiday: Good Friday", "Court closed: Staff training"
    sittings: list[SittingDay] = field(default_factory=list)
    others: list[Hearing] = field(default_factory=list)  # hearings outside any sitting shown
    count: int = 0


@dataclass
class Calendar:
    period: Period
    days: list[CalendarDay]
    hearings: list[Hearing]
    conflicts: list[Conflict]
    conflicts_by_hearing: dict[int, list[Conflict]]

    @property
    def weeks(self) -> list[list[CalendarDay]]:
        """Monday to Friday rows for the month grid (days outside the month included)."""
        weeks: list[list[CalendarDay]] = []
        for day in self.days:
            if day.day.weekday() == 0 or not weeks:
                weeks.append([])
            if day.day.weekday() in COURT_WEEKDAYS:
                weeks[-1].append(day)
        return weeks


def closed_because(day: date, closures: dict[date, str]) -> str | None:
    holiday = bank_holiday_name(day)
    if holiday:
        return f"Bank holiday: {holiday}"
    if day in closures:
        return f"Court closed: {closures[day]}" if closures[day] else "Court closed"
    return None


def calendar_for(user, shown: Period) -> Calendar:
    """Everything a calendar page shows for `user` over `shown`."""
    # The month grid shows whole weeks: read from the Monday before to the Sunday after.
    first = shown.first - timedelta(days=shown.first.weekday())
    last = shown.last + timedelta(days=6 - shown.last.weekday())
    hearings = hearings_between(user, first, last)
    sittings = sittings_for(user)
    closures = closures_for(user, first, last)
    away = defaultdict(list)
    for absence in absences_for({s.judge_id for s in sittings}, first, last):
        away[absence.judge_id].append(absence)

    by_day: dict[date, list[Hearing]] = defaultdict(list)
    for hearing in hearings:
        by_day[hearing.day].append(hearing)
    days = []
    day = first
    while day <= last:
        todays = by_day.get(day, [])
        if day.weekday() in COURT_WEEKDAYS or todays:
            days.append(_calendar_day(day, todays, sittings, closures, away))
        day += _DAY
    conflicts = conflicts_among(hearings, sittings)
    if shown.view != "month":
        days = [d for d in days if shown.first <= d.day <= shown.last]
        hearings = [h for h in hearings if shown.first <= h.day <= shown.last]
        conflicts = [c for c in conflicts if shown.first <= c.day <= shown.last]
    return Calendar(shown, days, hearings, conflicts, by_hearing(conflicts))


def _calendar_day(day, hearings, sittings, closures, away) -> CalendarDay:
    closed = closed_because(day, closures)
    result = CalendarDay(day, closed, count=len(hearings))
    placed: set[int] = set()
    for sitting in sittings:
        if sitting.weekday != day.weekday():
            continue
        in_sitting = [h for h in hearings if h.sitting_id == sitting.id]
        if closed and not in_sitting:
            continue  # the court does not sit: no empty slots to offer
        placed.update(h.id for h in in_sitting)
        absence = next(
            (a for a in away.get(sitting.judge_id, ()) if a.first_day <= day <= a.last_day), None
        )
        result.sittings.append(
            SittingDay(
                sitting,
                _slot_rows(sitting, in_sitting),
                booked=len(in_sitting),
                judge_away=(absence.reason or "away") if absence else None,
            )
        )
    result.others = [h for h in hearings if h.id not in placed]
    return result


def _slot_rows(sitting: Sitting, hearings: list[Hearing]) -> list[SlotRow]:
    rule = sitting.rule()
    by_slot: dict[int, Hearing] = {}
    extra = []
    for hearing in hearings:
        if hearing.slot and 1 <= hearing.slot <= sitting.slots and hearing.slot not in by_slot:
            by_slot[hearing.slot] = hearing
        else:
            extra.append(hearing)
    rows = [SlotRow(n, rule.slot_starts(n), by_slot.get(n)) for n in range(1, sitting.slots + 1)]
    return rows + [SlotRow(None, h.starts_at, h) for h in extra]


@dataclass
class ListedToday:
    hearing: Hearing
    goals: str | None  # None: no hearing held yet; "" held, but no goals recorded


def next_listed_day(user, after: date, judge_id: int | None) -> date | None:
    """The first day after `after` with a hearing on this list: where an empty day points."""
    visible = visible_cases(user).with_only_columns(Case.id)
    query = select(func.min(Hearing.day)).where(
        Hearing.case_id.in_(visible),
        Hearing.day > after,
        Hearing.status != HearingStatus.CANCELLED,
    )
    if judge_id is not None:
        query = query.where(Hearing.judge_id == judge_id)
    return db.session.scalar(query)


def day_list(user, day: date, judge_id: int | None) -> list[ListedToday]:
    """A judge's list for `day` (or the whole team's when `judge_id` is None), in time order."""
    hearings = hearings_between(user, day, day, judge_id=judge_id)
    goals = last_goals({h.case_id for h in hearings}, day)
    return [ListedToday(h, goals.get(h.case_id)) for h in hearings]
