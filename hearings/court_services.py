"""Setting up a team's court: sittings and slots, judges' absences, closure days.

Each change that can take a booked review off its day (a closure, an absence, a sitting changed
or retired) re-plans the cases with a review on an affected day at once, so the reviews move and
are flagged for the manager. Every function here commits; the views turn a FieldError (or
FieldErrors) into the GOV.UK error summary.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.dates import uk_date, uk_time
from fdac.extensions import db
from fdac.flags import services as flags
from fdac.validation import FieldError, FieldErrors
from hearings.calendar import (
    COURT_WEEKDAYS,
    WEEKDAYS,
    bank_holiday_name,
    bank_holidays,
    first_on_weekday,
)
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import ClosureDay, Hearing, HearingChange, JudgeAbsence, Sitting
from hearings.planner import sitting_for
from hearings.planning import case_to_plan, court_for, plan_reviews

# Our choices for a sensible FDAC list (the court set-up in issue 4): a slot is
# 5 minutes to 4 hours, a sitting has up to 20 slots, and the court rises by 6pm.
SLOT_MINUTES = (5, 240)
SLOTS = (1, 20)
LATEST_END = time(18, 0)


# --- reading the set-up -------------------------------------------------------------------


def team_judges(team_id: int, *, active_only: bool = False) -> list[User]:
    query = select(User).where(User.team_id == team_id, User.role == Role.JUDGE)
    if active_only:
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.name, User.id)))


def sittings(team_id: int) -> list[Sitting]:
    """The team's sittings, active first, in the order of the week."""
    return list(
        db.session.scalars(
            select(Sitting)
            .where(Sitting.team_id == team_id)
            .options(selectinload(Sitting.judge))
            .order_by(Sitting.active.desc(), Sitting.weekday, Sitting.starts_at, Sitting.id)
        )
    )


def absences(team_id: int, today: date, *, include_past: bool) -> list[JudgeAbsence]:
    query = select(JudgeAbsence).where(JudgeAbsence.team_id == team_id)
    if not include_past:
        query = query.where(JudgeAbsence.last_day >= today)
    return list(db.session.scalars(query.order_by(JudgeAbsence.first_day, JudgeAbsence.id)))


def closures(team_id: int, today: date, *, include_past: bool) -> list[ClosureDay]:
    query = select(ClosureDay).where(ClosureDay.team_id == team_id)
    if not include_past:
        query = query.where(ClosureDay.day >= today)
    return list(db.session.scalars(query.order_by(ClosureDay.day)))


def has_past(team_id: int, today: date) -> bool:
    """Whether there are past closures or absences to show."""
    return bool(
        db.session.scalar(
            select(ClosureDay.id).where(ClosureDay.team_id == team_id, ClosureDay.day < today)
        )
        or db.session.scalar(
            select(JudgeAbsence.id).where(
                JudgeAbsence.team_id == team_id, JudgeAbsence.last_day < today
            )
        )
    )


def coming_bank_holidays(today: date, days: int = 365) -> list[tuple[date, str]]:
    """England and Wales bank holidays from today for the next `days` days, in order."""
    until = today + timedelta(days=days)
    return sorted(
        (day, name)
        for day, name in bank_holidays(today.year, until.year).items()
        if today <= day < until
    )


def team_sitting(team_id: int, sitting_id: int) -> Sitting | None:
    """The team's sitting, or None for another team's (the view answers 404)."""
    sitting = db.session.get(Sitting, sitting_id)
    return sitting if sitting is not None and sitting.team_id == team_id else None


def team_absence(team_id: int, absence_id: int) -> JudgeAbsence | None:
    absence = db.session.get(JudgeAbsence, absence_id)
    return absence if absence is not None and absence.team_id == team_id else None


def team_closure(team_id: int, closure_id: int) -> ClosureDay | None:
    closure = db.session.get(ClosureDay, closure_id)
    return closure if closure is not None and closure.team_id == team_id else None


# --- the rules (pure) ---------------------------------------------------------------------


def session_end(starts_at: time, slot_minutes: int, slots: int) -> datetime:
    """When the session's last slot ends, on a nominal day (so a late end cannot wrap)."""
    return datetime.combine(date(2000, 1, 3), starts_at) + timedelta(minutes=slot_minutes * slots)


def weekday_problem(weekday: int | None) -> str | None:
    if weekday not in COURT_WEEKDAYS:
        return "Select the day of the week the court sits"
    return None


def slot_minutes_problem(slot_minutes: int) -> str | None:
    low, high = SLOT_MINUTES
    if slot_minutes < low:
        return f"Enter a slot length of at least {low} minutes"
    if slot_minutes > high:
        return f"Slot length must be {high} minutes or fewer"
    return None


def slots_problem(slots: int) -> str | None:
    low, high = SLOTS
    if not low <= slots <= high:
        return f"Number of slots must be between {low} and {high}"
    return None


def sitting_problems(
    weekday: int | None, starts_at: time, slot_minutes: int, slots: int
) -> list[FieldError]:
    """What is wrong with a sitting's weekday, times and slots, each naming its field."""
    problems = [
        FieldError(message, name)
        for message, name in (
            (weekday_problem(weekday), "weekday"),
            (slot_minutes_problem(slot_minutes), "slot_minutes"),
            (slots_problem(slots), "slots"),
        )
        if message
    ]
    if not problems:
        end = session_end(starts_at, slot_minutes, slots)
        latest = datetime.combine(end.date(), LATEST_END)
        if end > latest:
            ends = uk_time(end.time()) if end.date() == latest.date() else "after midnight"
            problems.append(
                FieldError(
                    f"The session must end by {uk_time(LATEST_END)}: these slots end at {ends}. "
                    "Start earlier, or use fewer or shorter slots",
                    "slots",
                )
            )
    return problems


def overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return a_start < b_end and b_start < a_end


# --- sittings -----------------------------------------------------------------------------


@dataclass
class Replanned:
    """What re-planning after a change did, for the flash message."""

    moved: int = 0
    not_booked: int = 0
    retimed: int = 0
    not_planned: list[str] = field(default_factory=list)  # "FDAC-2026-0001: why"
    still_there: int = 0  # hearings left on an affected day (booked by hand, or not movable)

    def sentences(self) -> list[str]:
        said = []
        if self.moved:
            reviews = "1 review" if self.moved == 1 else f"{self.moved} reviews"
            said.append(f"{reviews} moved: see the flags on the home page")
        if self.retimed:
            reviews = "1 review" if self.retimed == 1 else f"{self.retimed} reviews"
            said.append(f"{reviews} now start at a new time: see the flags on the home page")
        if self.not_booked:
            reviews = "1 review" if self.not_booked == 1 else f"{self.not_booked} reviews"
            said.append(f"{reviews} could not be re-booked: see the flags on the home page")
        for why in self.not_planned:
            said.append(f"Not re-planned: {why}")
        if self.still_there:
            one = self.still_there == 1
            hearings = "1 hearing is" if one else f"{self.still_there} hearings are"
            said.append(
                f"{hearings} still booked where the court cannot hear "
                f"{'it' if one else 'them'}: move or cancel {'it' if one else 'them'} "
                "from the case's hearings page"
            )
        return said


def _check_judge(team_id: int, judge_id: int | None, field_name: str = "judge_id") -> User:
    judge = db.session.get(User, judge_id) if judge_id is not None else None
    if judge is None:
        raise FieldError("Select the judge who sits", field_name)
    if judge.team_id != team_id or judge.role is not Role.JUDGE or not judge.active:
        raise FieldError("Choose a judge from this team's list", field_name)
    return judge


def _check_overlap(sitting: Sitting) -> None:
    end = session_end(sitting.starts_at, sitting.slot_minutes, sitting.slots).time()
    query = select(Sitting).where(
        Sitting.team_id == sitting.team_id,
        Sitting.judge_id == sitting.judge_id,
        Sitting.weekday == sitting.weekday,
        Sitting.active.is_(True),
    )
    if sitting.id is not None:
        query = query.where(Sitting.id != sitting.id)
    with db.session.no_autoflush:  # ask before this sitting itself is written
        others = list(db.session.scalars(query))
    for other in others:
        other_end = session_end(other.starts_at, other.slot_minutes, other.slots).time()
        if overlaps(sitting.starts_at, end, other.starts_at, other_end):
            raise FieldError(
                f"{other.judge.name} already sits on {WEEKDAYS[other.weekday]}s from "
                f"{uk_time(other.starts_at)} to {uk_time(other_end)}: choose a start time "
                "or slots that do not overlap that sitting",
                "starts_at",
            )


def save_sitting(
    team_id: int,
    sitting: Sitting | None,
    *,
    weekday: int | None,
    starts_at: time,
    slot_minutes: int,
    slots: int,
    judge_id: int | None,
    today: date,
) -> tuple[Sitting, Replanned]:
    """Add a sitting (`sitting` None) or change one, then re-plan the reviews booked into it."""
    problems = sitting_problems(weekday, starts_at, slot_minutes, slots)
    try:
        _check_judge(team_id, judge_id)
    except FieldError as error:
        problems.append(error)
    if problems:
        raise FieldErrors(problems)
    new = sitting is None
    with db.session.no_autoflush:
        if new:
            sitting = Sitting(team_id=team_id, active=True)
        sitting.weekday = weekday
        sitting.starts_at = starts_at
        sitting.slot_minutes = slot_minutes
        sitting.slots = slots
        sitting.judge_id = judge_id
        try:
            _check_overlap(sitting)
        except FieldError as error:
            db.session.rollback()
            raise FieldErrors([error]) from None
    db.session.add(sitting)
    db.session.flush()
    replanned = Replanned() if new else _replan_sitting(sitting, today)
    db.session.commit()
    return sitting, replanned


def retire_sitting(sitting: Sitting, today: date) -> Replanned:
    """Take a sitting out of use (hearings point at it, so it stays), and move its reviews."""
    sitting.active = False
    db.session.flush()
    _follow_new_weekday(sitting, today)
    replanned = _replan(
        sitting.team_id, today, _at_sitting(sitting.id), why="the sitting was retired"
    )
    db.session.commit()
    return replanned


def _at_sitting(sitting_id: int):
    return Hearing.sitting_id == sitting_id


def _fits(hearing: Hearing, sitting: Sitting) -> bool:
    return (
        hearing.slot is not None
        and hearing.slot <= sitting.slots
        and hearing.day.weekday() == sitting.weekday
        and hearing.judge_id == sitting.judge_id
    )


def _follow_new_weekday(sitting: Sitting, today: date) -> None:
    """Let the reviews booked into `sitting` stand for the dates of their case's rhythm now.

    A case's rhythm falls on its sitting's weekday. When that sitting moves to another weekday
    (or is retired and the judge's other sitting is on another day), the booked reviews keep
    their old rhythm dates and the planner would book a second set beside them. Re-keyed to
    the new rhythm's dates, they are moved by the planner instead (and flagged).
    """
    court = court_for(sitting.team_id)
    for hearing in _affected_hearings(sitting.team_id, today, _at_sitting(sitting.id)):
        if hearing.planned_for is None:
            continue  # booked by hand: the manager moves it
        wanted = case_to_plan(hearing.case, court, today)
        rhythm = sitting_for(court, wanted) if not isinstance(wanted, str) else None
        old_weekday = hearing.planned_for.weekday()
        if rhythm is None or rhythm.weekday == old_weekday:
            continue
        shift = first_on_weekday(wanted.first_nlr, rhythm.weekday) - first_on_weekday(
            wanted.first_nlr, old_weekday
        )
        taken = db.session.scalar(
            select(Hearing.id).where(
                Hearing.case_id == hearing.case_id,
                Hearing.planned_for == hearing.planned_for + shift,
            )
        )
        if taken is None:
            hearing.planned_for += shift
            db.session.flush()


def _replan_sitting(sitting: Sitting, today: date) -> Replanned:
    _follow_new_weekday(sitting, today)
    replanned = _replan(
        sitting.team_id, today, _at_sitting(sitting.id), count_left=False, why="the sitting changed"
    )
    # Reviews left in this sitting keep their slot; their times follow the sitting's.
    rule = sitting.rule()
    for hearing in _affected_hearings(sitting.team_id, today, _at_sitting(sitting.id)):
        if not _fits(hearing, sitting):
            replanned.still_there += 1  # booked by hand, or nowhere to go: the manager decides
            continue
        starts_at = rule.slot_starts(hearing.slot)
        if (hearing.starts_at, hearing.duration_minutes) == (starts_at, sitting.slot_minutes):
            continue
        hearing.changes.append(
            HearingChange(
                case_id=hearing.case_id,
                change="moved",
                from_day=hearing.day,
                from_starts_at=hearing.starts_at,
                to_day=hearing.day,
                to_starts_at=starts_at,
                from_judge_id=hearing.judge_id,
                to_judge_id=hearing.judge_id,
                reason="The sitting's times changed",
            )
        )
        hearing.starts_at = starts_at
        hearing.duration_minutes = sitting.slot_minutes
        db.session.flush()
        flags.raise_flag(
            hearing.case,
            "hearing_moved",
            f"hearing:{hearing.id}",
            f"The review on {uk_date(hearing.day)} now starts at {uk_time(starts_at)}: "
            "the sitting's times changed",
        )
        replanned.retimed += 1
    return replanned


# --- re-planning after a change -----------------------------------------------------------


def _affected_hearings(team_id: int, today: date, where, *, nlr_only=True) -> list[Hearing]:
    """The team's planned reviews (or all hearings) from today that `where` picks out."""
    query = select(Hearing).join(Case, Case.id == Hearing.case_id)
    if nlr_only:
        query = query.where(Hearing.kind == HearingKind.NLR)
    return list(
        db.session.scalars(
            query.where(
                Case.team_id == team_id,
                Hearing.status == HearingStatus.PLANNED,
                Hearing.day >= today,
                where,
            ).order_by(Hearing.case_id, Hearing.day)
        )
    )


def _replan(
    team_id: int, today: date, where, *, count_left: bool = True, why: str = ""
) -> Replanned:
    """Re-plan every case with a planned review that `where` picks out.

    plan_reviews flags each review it moves off its planned day; one moved to another sitting
    on the same day (its time or judge's court changes) is flagged here, saying `why`.
    """
    replanned = Replanned()
    case_ids = sorted({h.case_id for h in _affected_hearings(team_id, today, where)})
    for case in db.session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id)):
        result = plan_reviews(case, today)
        if result.why_not:
            replanned.not_planned.append(f"{case.reference}: {result.why_not}")
        replanned.moved += len(result.moved)
        replanned.not_booked += len(result.not_booked)
        for hearing in result.moved:
            if not hearing.move_reason:
                flags.raise_flag(
                    case,
                    "hearing_moved",
                    f"hearing:{hearing.id}",
                    f"The review is now on {uk_date(hearing.day)} at "
                    f"{uk_time(hearing.starts_at)}: {why or 'the court set-up changed'}",
                )
    if count_left:
        # Hearings of any kind left there: booked by hand, or with nowhere to go.
        replanned.still_there = len(_affected_hearings(team_id, today, where, nlr_only=False))
    return replanned


# --- judges' absences ---------------------------------------------------------------------


def add_absence(
    team_id: int,
    *,
    judge_id: int | None,
    first_day: date,
    last_day: date,
    reason: str,
    today: date,
) -> tuple[JudgeAbsence, Replanned]:
    """Record a judge's absence and move the reviews booked with them on those days."""
    problems = []
    try:
        _check_judge(team_id, judge_id)
    except FieldError:
        problems.append(FieldError("Select the judge who is away", "judge_id"))
    if last_day < first_day:
        problems.append(
            FieldError(
                "Last day of the absence must be the same as or after the first day", "last_day"
            )
        )
    if problems:
        raise FieldErrors(problems)
    absence = JudgeAbsence(
        team_id=team_id, judge_id=judge_id, first_day=first_day, last_day=last_day, reason=reason
    )
    db.session.add(absence)
    db.session.flush()
    where = (Hearing.judge_id == judge_id) & (Hearing.day >= first_day) & (Hearing.day <= last_day)
    replanned = _replan(team_id, today, where)
    db.session.commit()
    return absence, replanned


def remove_absence(absence: JudgeAbsence) -> None:
    """Absences are settings, not evidence: removed outright (the audit trail keeps them)."""
    db.session.delete(absence)
    db.session.commit()


# --- closure days -------------------------------------------------------------------------


def closure_problem(day: date) -> str | None:
    """Why `day` needs no closure: the court never sits then anyway (pure)."""
    if day.weekday() not in COURT_WEEKDAYS:
        return (
            f"{uk_date(day)} is a {WEEKDAYS[day.weekday()]}: the court does not sit at weekends, "
            "so there is no need to close it"
        )
    holiday = bank_holiday_name(day)
    if holiday:
        return f"{uk_date(day)} is a bank holiday ({holiday}): the court is closed then anyway"
    return None


def add_closure(
    team_id: int, *, day: date, reason: str, today: date
) -> tuple[ClosureDay, Replanned]:
    """Close the court on `day` and move the reviews booked that day."""
    problem = closure_problem(day)
    if problem:
        raise FieldError(problem, "day")
    clash = db.session.scalar(
        select(ClosureDay.id).where(ClosureDay.team_id == team_id, ClosureDay.day == day)
    )
    if clash is not None:
        raise FieldError(f"The court is already closed on {uk_date(day)}", "day")
    closure = ClosureDay(team_id=team_id, day=day, reason=reason)
    db.session.add(closure)
    try:
        db.session.flush()
    except IntegrityError:  # another manager closed the same day a moment ago
        db.session.rollback()
        raise FieldError(f"The court is already closed on {uk_date(day)}", "day") from None
    replanned = _replan(team_id, today, Hearing.day == day)
    db.session.commit()
    return closure, replanned


def remove_closure(closure: ClosureDay) -> None:
    db.session.delete(closure)
    db.session.commit()
