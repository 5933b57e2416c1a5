"""Booking, moving and cancelling a case's hearings by hand.

No Flask here. Each write checks the day with the court's calendar (court sitting, judge not away,
family not in court already, a free slot for a review), writes and commits; bad input raises a
FieldError naming the form field, and nothing is saved. Hearings are never deleted: a move or a
cancellation is a HearingChange row.
"""

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select

from fdac import versions
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.flags import services as flags
from fdac.validation import FieldError
from hearings import planning
from hearings.calendar import WEEKDAYS, Court
from hearings.kinds import KINDS, HearingKind, HearingStatus
from hearings.models import Hearing, Sitting
from hearings.saving import commit, refuse, user_id


@dataclass(frozen=True)
class When:
    """Where a hearing goes: the manager's choice on the book and move forms."""

    day: date
    starts_at: time | None
    judge_id: int | None
    duration_minutes: int | None = None


def why_fixed(hearing: Hearing) -> str | None:
    """Why a hearing can no longer be moved or cancelled, or None while it can."""
    if hearing.status is HearingStatus.HELD:
        return "This hearing has been held, so it cannot be moved or cancelled"
    if hearing.status is HearingStatus.CANCELLED:
        return "This hearing was cancelled, so it cannot be moved. Book a new hearing instead"
    return None


# --- where a hearing can go -------------------------------------------------------------------


def _judge(case: Case, judge_id: int | None) -> User:
    judge = db.session.get(User, judge_id) if judge_id is not None else None
    if judge is None or judge.role is not Role.JUDGE or judge.team_id != case.team_id:
        raise FieldError("Choose a judge from this team's list", "judge_id")
    if not judge.active:
        raise FieldError(f"{judge.name} no longer sits: choose another judge", "judge_id")
    return judge


def _taken_slots(sitting_id: int, day: date, besides: int | None) -> set[int]:
    query = select(Hearing.slot).where(
        Hearing.sitting_id == sitting_id,
        Hearing.day == day,
        Hearing.status != HearingStatus.CANCELLED,
    )
    if besides is not None:
        query = query.where(Hearing.id != besides)
    return set(db.session.scalars(query))


def _check_place(
    case: Case, kind: HearingKind, when: When, besides: int | None, court: Court
) -> tuple[Sitting | None, int | None]:
    """Refuse a day the hearing cannot go on; for a review, the (sitting, slot) it takes."""
    judge = _judge(case, when.judge_id)
    day = when.day
    if case.issued_on is not None and day < case.issued_on:
        raise FieldError(
            "The hearing date must be on or after the day proceedings were issued, "
            f"{uk_date(case.issued_on)}",
            "day",
        )
    closed = court.closed_because(day)
    if closed:
        raise FieldError(f"The court does not sit on {uk_date(day)}: {closed}", "day")
    away = court.judge_away(judge.id, day)
    if away is not None:
        why = f" ({away.reason})" if away.reason else ""
        raise FieldError(f"{judge.name} is away on {uk_date(day)}{why}", "judge_id")
    same_day = select(Hearing.id).where(
        Hearing.case_id == case.id, Hearing.day == day, Hearing.status != HearingStatus.CANCELLED
    )
    if besides is not None:
        same_day = same_day.where(Hearing.id != besides)
    if db.session.scalar(same_day.limit(1)) is not None:
        raise FieldError(f"The family already has a hearing on {uk_date(day)}", "day")
    if kind is not HearingKind.NLR:
        if when.starts_at is None:
            raise FieldError("Enter the start time", "starts_at")
        return None, None
    sittings = court.judge_sittings(judge.id, day.weekday())
    if not sittings:
        raise FieldError(
            f"{judge.name} has no FDAC sitting on {WEEKDAYS[day.weekday()]}s: "
            "choose a day they sit",
            "day",
        )
    for sitting in sittings:
        taken = _taken_slots(sitting.id, day, besides)
        free = [n for n in range(1, sitting.slots + 1) if n not in taken]
        if free:
            return sitting, free[0]
    raise FieldError(f"{judge.name}'s sitting on {uk_date(day)} is full", "day")


def _place(hearing: Hearing, when: When, sitting: Sitting | None, slot: int | None) -> None:
    """Put `hearing` at `when`: a review in its slot of the sitting, times from the slot."""
    hearing.day, hearing.judge_id = when.day, when.judge_id
    if sitting is not None:
        hearing.sitting_id, hearing.slot = sitting.id, slot
        hearing.starts_at = sitting.slot_starts(slot)
        hearing.duration_minutes = sitting.slot_minutes
    else:
        hearing.starts_at = when.starts_at


# --- the writes -------------------------------------------------------------------------------


def book(case: Case, kind: HearingKind, when: When, *, by) -> Hearing:
    """Book a hearing by hand; a review takes the first free slot of the judge's sitting."""
    minutes = when.duration_minutes
    try:
        if minutes is not None and minutes < 1:
            raise FieldError("The length must be at least 1 minute", "duration_minutes")
        if minutes is not None and minutes > 24 * 60:
            raise FieldError("The length must be 1,440 minutes or fewer", "duration_minutes")
        sitting, slot = _check_place(case, kind, when, None, planning.court_for(case.team_id))
    except FieldError as error:
        refuse(error)
    hearing = Hearing(case_id=case.id, kind=kind, booked_by_id=user_id(by))
    if sitting is None:
        hearing.duration_minutes = minutes or KINDS[kind].default_minutes
    _place(hearing, when, sitting, slot)
    db.session.add(hearing)
    commit()
    return hearing


def move(hearing: Hearing, when: When, reason: str, *, by, based_on: int | None = None) -> None:
    """Move a hearing by hand; the planner never moves it back (its planned date is kept).
    StaleEdit when the hearing has changed since version `based_on` (the form's)."""
    based_on = versions.check(hearing, based_on)
    try:
        fixed = why_fixed(hearing)
        if fixed:
            raise FieldError(fixed)
        if not reason.strip():
            raise FieldError("Enter the reason for the move", "reason")
        court = planning.court_for(hearing.case.team_id)
        sitting, slot = _check_place(hearing.case, hearing.kind, when, hearing.id, court)
    except FieldError as error:
        refuse(error)
    change = hearing.record_change("moved", reason, user_id(by))
    _place(hearing, when, sitting, slot)
    change.to_day, change.to_starts_at, change.to_judge_id = (
        hearing.day,
        hearing.starts_at,
        hearing.judge_id,
    )
    hearing.moved_by_hand = True
    hearing.move_reason = reason
    with db.session.no_autoflush:  # the hearing's UPDATE is made at the commit (StaleEdit)
        flags.clear_flag(hearing.case_id, "hearing_moved", f"hearing:{hearing.id}", by=by)
    commit(record=hearing, based_on=based_on)


def cancel(hearing: Hearing, reason: str, *, by, based_on: int | None = None) -> None:
    """Cancel, never delete: the planner keeps its key and will not book that review again.
    StaleEdit when the hearing has changed since version `based_on` (the form's)."""
    based_on = versions.check(hearing, based_on)
    try:
        fixed = why_fixed(hearing)
        if fixed:
            raise FieldError(fixed)
        if not reason.strip():
            raise FieldError("Enter the reason for cancelling the hearing", "reason")
    except FieldError as error:
        refuse(error)
    hearing.record_change("cancelled", reason, user_id(by))
    hearing.status = HearingStatus.CANCELLED
    hearing.cancel_reason = reason
    with db.session.no_autoflush:  # the hearing's UPDATE is made at the commit (StaleEdit)
        flags.clear_flag(hearing.case_id, "hearing_moved", f"hearing:{hearing.id}", by=by)
    commit(record=hearing, based_on=based_on)
