"""Setting up a team's court: sittings and slots, judges' absences, closure days.

Each change that can take a booked review off its day (a closure, an absence, a sitting changed
or retired) re-plans the cases with a review on an affected day at once (hearings.replanning), so
the reviews move and are flagged for the manager. The rules on numbers and days are pure, in
court_rules. Every function here that writes commits; the views turn a FieldError (or FieldErrors)
into the GOV.UK error summary.
"""

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.dates import uk_date, uk_time
from fdac.extensions import db
from fdac.validation import FieldError, FieldErrors
from hearings import replanning
from hearings.calendar import WEEKDAYS
from hearings.court_rules import closure_problem, overlaps, session_end, sitting_problems
from hearings.models import ClosureDay, JudgeAbsence, Sitting
from hearings.replanning import Replanned

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


# --- sittings -----------------------------------------------------------------------------


def _check_judge(team_id: int, judge_id: int | None) -> User:
    judge = db.session.get(User, judge_id) if judge_id is not None else None
    if judge is None:
        raise FieldError("Select the judge who sits", "judge_id")
    if judge.team_id != team_id or judge.role is not Role.JUDGE or not judge.active:
        raise FieldError("Choose a judge from this team's list", "judge_id")
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
    replanned = Replanned() if new else replanning.after_sitting_changed(sitting, today)
    db.session.commit()
    return sitting, replanned


def retire_sitting(sitting: Sitting, today: date) -> Replanned:
    """Take a sitting out of use (hearings point at it, so it stays), and move its reviews."""
    sitting.active = False
    db.session.flush()
    replanned = replanning.after_sitting_retired(sitting, today)
    db.session.commit()
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
    replanned = replanning.after_absence(absence, today)
    db.session.commit()
    return absence, replanned


def remove_absence(absence: JudgeAbsence) -> None:
    """Absences are settings, not evidence: removed outright (the audit trail keeps them)."""
    db.session.delete(absence)
    db.session.commit()


# --- closure days -------------------------------------------------------------------------


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
    replanned = replanning.after_closure(closure, today)
    db.session.commit()
    return closure, replanned


def remove_closure(closure: ClosureDay) -> None:
    db.session.delete(closure)
    db.session.commit()
