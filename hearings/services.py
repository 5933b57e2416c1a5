"""Use cases for one case's hearings: plan reviews, book, move, cancel, outcomes, extensions.

No Flask here. Each write checks with the court's calendar and the clock, writes and commits; bad
input raises a FieldError naming the form field, and nothing is saved. Hearings are never deleted:
a move or a cancellation is a HearingChange row, a corrected outcome is a new version.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.flags import services as flags
from fdac.validation import FieldError
from hearings import planning
from hearings.calendar import WEEKDAYS, Court
from hearings.clock import Clock, check_extension, clock
from hearings.clock import Extension as ClockExtension
from hearings.kinds import KINDS, HearingKind, HearingStatus
from hearings.models import (
    Extension,
    Hearing,
    HearingAttendance,
    HearingChange,
    HearingOutcome,
    Sitting,
)

RACE = "Someone else booked this day or slot just now. Check the hearings and try again"


def _commit(message: str = RACE, field: str | None = "day") -> None:
    """Commit; losing a race to the database's unique rules reads as a field message."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise FieldError(message, field) from None


def _refuse(error: FieldError):
    db.session.rollback()  # nothing half-written stays in the session
    raise error


# --- Planning the fortnightly reviews -------------------------------------------------------


def judge_sittings(case: Case) -> list[Sitting]:
    """The case judge's active sittings, the choices for the case's reviews."""
    if case.judge_id is None:
        return []
    return list(
        db.session.scalars(
            select(Sitting)
            .where(Sitting.judge_id == case.judge_id, Sitting.active.is_(True))
            .where(Sitting.team_id == case.team_id)
            .order_by(Sitting.weekday, Sitting.starts_at, Sitting.id)
        )
    )


def plan_defaults(case: Case, sittings: list[Sitting]) -> tuple[date | None, int | None]:
    """The form's starting values: the saved schedule, else the trial for change start."""
    schedule = planning.schedule_for(case)
    first = schedule.first_nlr_on if schedule else planning.trial_started_on(case)
    ids = [s.id for s in sittings]
    sitting_id = schedule.sitting_id if schedule and schedule.sitting_id in ids else None
    return first, sitting_id or (ids[0] if ids else None)


def plan_case_reviews(
    case: Case, first_nlr_on: date, sitting_id: int | None, horizon_weeks: int, *, by, today: date
) -> planning.PlanResult:
    """Save where the rhythm starts, then book the reviews up to the horizon (or the IRH)."""
    planning.set_schedule(case, first_nlr_on, sitting_id, by)
    result = planning.plan_reviews(case, today, timedelta(weeks=horizon_weeks))
    if result.why_not:
        _refuse(FieldError(result.why_not))
    _commit("Someone else planned this case just now. Check its hearings and try again", None)
    return result


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def plan_summary(result: planning.PlanResult) -> str:
    """'3 reviews booked, 1 moved from its planned date', for the page after planning."""
    parts = []
    if result.booked:
        parts.append(_count(len(result.booked), "review booked", "reviews booked"))
        off_rhythm = sum(1 for h in result.booked if h.day != h.planned_for)
        if off_rhythm:
            its = "its" if off_rhythm == 1 else "their"
            parts.append(f"{off_rhythm} moved from {its} planned date")
    if result.moved:
        parts.append(_count(len(result.moved), "review re-planned", "reviews re-planned"))
    if result.cancelled:
        parts.append(
            _count(len(result.cancelled), "review", "reviews") + " of the old rhythm cancelled"
        )
    if result.not_booked:
        parts.append(
            _count(len(result.not_booked), "review", "reviews") + " could not be booked: see flags"
        )
    if not result.changed and not result.not_booked:
        return "The reviews are already planned: nothing changed"
    if not result.changed:
        return "Nothing changed; " + parts[0]
    return ", ".join(parts)


# --- Booking, moving and cancelling by hand --------------------------------------------------


@dataclass(frozen=True)
class When:
    """Where a hearing goes: the manager's choice on the book and move forms."""

    day: date
    starts_at: time | None
    judge_id: int | None
    duration_minutes: int | None = None


def team_judges(team_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.team_id == team_id, User.role == Role.JUDGE, User.active.is_(True))
            .order_by(User.name)
        )
    )


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


def _check_place(case: Case, kind: HearingKind, when: When, besides: int | None, court: Court):
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
        _refuse(error)
    hearing = Hearing(
        case_id=case.id,
        kind=kind,
        day=when.day,
        judge_id=when.judge_id,
        booked_by_id=by.id if by is not None else None,
    )
    if sitting is not None:
        hearing.sitting_id, hearing.slot = sitting.id, slot
        hearing.starts_at = sitting.slot_starts(slot)
        hearing.duration_minutes = sitting.slot_minutes
    else:
        hearing.starts_at = when.starts_at
        hearing.duration_minutes = minutes or KINDS[kind].default_minutes
    db.session.add(hearing)
    _commit()
    return hearing


def why_fixed(hearing: Hearing) -> str | None:
    """Why a hearing can no longer be moved or cancelled, or None while it can."""
    if hearing.status is HearingStatus.HELD:
        return "This hearing has been held, so it cannot be moved or cancelled"
    if hearing.status is HearingStatus.CANCELLED:
        return "This hearing was cancelled, so it cannot be moved. Book a new hearing instead"
    return None


def _change(hearing: Hearing, change: str, reason: str, by) -> HearingChange:
    return HearingChange(
        case_id=hearing.case_id,
        change=change,
        from_day=hearing.day,
        from_starts_at=hearing.starts_at,
        from_judge_id=hearing.judge_id,
        reason=reason,
        changed_by_id=by.id if by is not None else None,
    )


def move(hearing: Hearing, when: When, reason: str, *, by) -> None:
    """Move a hearing by hand; the planner never moves it back (its planned date is kept)."""
    try:
        fixed = why_fixed(hearing)
        if fixed:
            raise FieldError(fixed)
        if not reason.strip():
            raise FieldError("Enter the reason for the move", "reason")
        court = planning.court_for(hearing.case.team_id)
        sitting, slot = _check_place(hearing.case, hearing.kind, when, hearing.id, court)
    except FieldError as error:
        _refuse(error)
    change = _change(hearing, "moved", reason, by)
    hearing.day, hearing.judge_id = when.day, when.judge_id
    if sitting is not None:
        hearing.sitting_id, hearing.slot = sitting.id, slot
        hearing.starts_at = sitting.slot_starts(slot)
        hearing.duration_minutes = sitting.slot_minutes
    else:
        hearing.starts_at = when.starts_at
    change.to_day, change.to_starts_at, change.to_judge_id = (
        hearing.day,
        hearing.starts_at,
        hearing.judge_id,
    )
    hearing.changes.append(change)
    hearing.moved_by_hand = True
    hearing.move_reason = reason
    flags.clear_flag(hearing.case_id, "hearing_moved", f"hearing:{hearing.id}", by=by)
    _commit()


def cancel(hearing: Hearing, reason: str, *, by) -> None:
    """Cancel, never delete: the planner keeps its key and will not book that review again."""
    try:
        fixed = why_fixed(hearing)
        if fixed:
            raise FieldError(fixed)
        if not reason.strip():
            raise FieldError("Enter the reason for cancelling the hearing", "reason")
    except FieldError as error:
        _refuse(error)
    hearing.changes.append(_change(hearing, "cancelled", reason, by))
    hearing.status = HearingStatus.CANCELLED
    hearing.cancel_reason = reason
    flags.clear_flag(hearing.case_id, "hearing_moved", f"hearing:{hearing.id}", by=by)
    _commit()


# --- What happened at a hearing ---------------------------------------------------------------


def can_record_outcome(hearing: Hearing, today: date) -> str | None:
    """Why the outcome cannot be recorded yet, or None when it can."""
    if hearing.is_cancelled:
        return "This hearing was cancelled, so it has no outcome"
    if hearing.day > today:
        return f"The outcome can be recorded from the day of the hearing, {uk_date(hearing.day)}"
    return None


def record_outcome(
    hearing: Hearing,
    attended: dict[int, bool | None],
    *,
    others_present: str,
    goals: str,
    note: str,
    by,
    today: date,
    amend_reason: str = "",
) -> HearingOutcome:
    """Record who came, the goals and a note; a second time is an amendment with a reason."""
    current = hearing.outcome
    try:
        not_yet = can_record_outcome(hearing, today)
        if not_yet:
            raise FieldError(not_yet)
        for parent in hearing.case.parents:
            if attended.get(parent.id) is None:
                raise FieldError(f"Select whether {parent.name} attended", f"attended_{parent.id}")
        if hearing.kind is HearingKind.NLR and not goals.strip():
            raise FieldError("Enter the goals for the next fortnight", "goals")
        if not note.strip():
            raise FieldError("Enter a note of the hearing", "note")
        if current is not None and not amend_reason.strip():
            raise FieldError("Enter the reason for the amendment", "amend_reason")
    except FieldError as error:
        _refuse(error)
    outcome = HearingOutcome(
        case_id=hearing.case_id,
        others_present=others_present,
        goals=goals,
        note=note,
        amends_id=current.id if current is not None else None,
        amend_reason=amend_reason if current is not None else "",
        recorded_by_id=by.id if by is not None else None,
    )
    for parent in hearing.case.parents:
        outcome.attendance.append(
            HearingAttendance(
                case_id=hearing.case_id, parent_id=parent.id, attended=attended[parent.id]
            )
        )
    hearing.outcomes.append(outcome)
    hearing.status = HearingStatus.HELD
    _commit("Someone else amended this outcome just now: check it and try again", None)
    return outcome


def record_extension(
    case: Case, granted_on: date | None, weeks: int | None, reason: str, *, by, today: date
) -> Extension:
    """An extension of the 26 weeks granted by the court (up to 8 weeks each time)."""
    try:
        check_extension(weeks, granted_on, case.issued_on, today, reason)
    except FieldError as error:
        _refuse(error)
    extension = Extension(
        case_id=case.id,
        granted_on=granted_on,
        weeks=weeks,
        reason=reason,
        recorded_by_id=by.id if by is not None else None,
    )
    db.session.add(extension)
    _commit()
    return extension


# --- Reading: the hearings page, one hearing, the case page's section ------------------------


def hearing_of(case: Case, hearing_id: int) -> Hearing | None:
    """The case's hearing with its changes and outcomes, or None (another case's, or none)."""
    return db.session.scalar(
        select(Hearing)
        .where(Hearing.id == hearing_id, Hearing.case_id == case.id)
        .options(
            joinedload(Hearing.judge),
            selectinload(Hearing.changes).options(
                joinedload(HearingChange.changed_by),
                joinedload(HearingChange.from_judge),
                joinedload(HearingChange.to_judge),
            ),
            selectinload(Hearing.outcomes).options(
                joinedload(HearingOutcome.recorded_by),
                selectinload(HearingOutcome.attendance).joinedload(HearingAttendance.parent),
            ),
        )
    )


STATUS_TAGS = {
    HearingStatus.PLANNED: "blue",
    HearingStatus.HELD: "green",
    HearingStatus.CANCELLED: "grey",
}


@dataclass(frozen=True)
class HearingLine:
    """One hearing as the lists show it."""

    hearing: Hearing
    moved_from: date | None  # the date it was planned or first booked for, when moved
    tag_text: str
    tag_colour: str


def _line(hearing: Hearing, today: date) -> HearingLine:
    moved_from = None
    if hearing.moved:
        moved_from = hearing.planned_for
    else:
        first_move = next((c for c in hearing.changes if c.change == "moved"), None)
        if first_move is not None and first_move.from_day != hearing.day:
            moved_from = first_move.from_day
    if hearing.status is HearingStatus.PLANNED and hearing.day < today:
        return HearingLine(hearing, moved_from, "Outcome not recorded", "orange")
    return HearingLine(hearing, moved_from, hearing.status.label, STATUS_TAGS[hearing.status])


def _case_clock(case: Case, today: date, hearings: list[Hearing]) -> Clock | None:
    extensions = db.session.scalars(
        select(Extension).where(Extension.case_id == case.id).order_by(Extension.granted_on)
    )
    finals = [
        h.day
        for h in hearings
        if h.kind is HearingKind.FINAL_HEARING and h.status is not HearingStatus.CANCELLED
    ]
    return clock(
        case.issued_on,
        today,
        [ClockExtension(e.granted_on, e.weeks, e.reason) for e in extensions],
        max(finals, default=None),
    )


@dataclass(frozen=True)
class HearingsPage:
    upcoming: list[HearingLine]
    past: list[HearingLine]
    clock: Clock | None


def hearings_page(case: Case, today: date) -> HearingsPage:
    """Every hearing of the case, upcoming first (soonest first), then past (latest first)."""
    hearings = list(
        db.session.scalars(
            select(Hearing)
            .where(Hearing.case_id == case.id)
            .options(joinedload(Hearing.judge), selectinload(Hearing.changes))
            .order_by(Hearing.day, Hearing.starts_at, Hearing.id)
        ).unique()
    )
    lines = [_line(h, today) for h in hearings]
    return HearingsPage(
        upcoming=[line for line in lines if line.hearing.day >= today],
        past=[line for line in reversed(lines) if line.hearing.day < today],
        clock=_case_clock(case, today, hearings),
    )


@dataclass(frozen=True)
class CaseHearings:
    """The case page's section: what is next, last time's goals, the 26-week clock."""

    next_hearing: Hearing | None
    next_review: Hearing | None
    goals: HearingOutcome | None  # the current outcome of the last held hearing
    goals_set_on: date | None
    clock: Clock | None


def case_hearings(case: Case, today: date) -> CaseHearings:
    """Three queries whatever the number of hearings: hearings, last outcome, extensions."""
    hearings = list(
        db.session.scalars(
            select(Hearing)
            .where(Hearing.case_id == case.id, Hearing.status != HearingStatus.CANCELLED)
            .options(joinedload(Hearing.judge))
            .order_by(Hearing.day, Hearing.starts_at, Hearing.id)
        ).unique()
    )
    ahead = [h for h in hearings if h.day >= today and h.status is HearingStatus.PLANNED]
    last = db.session.execute(
        select(HearingOutcome, Hearing.day)
        .join(Hearing, Hearing.id == HearingOutcome.hearing_id)
        .where(Hearing.case_id == case.id, Hearing.status == HearingStatus.HELD)
        .order_by(Hearing.day.desc(), HearingOutcome.id.desc())
        .limit(1)
    ).first()
    return CaseHearings(
        next_hearing=ahead[0] if ahead else None,
        next_review=next((h for h in ahead if h.kind is HearingKind.NLR), None),
        goals=last[0] if last and last[0].goals else None,
        goals_set_on=last[1] if last else None,
        clock=_case_clock(case, today, hearings),
    )
