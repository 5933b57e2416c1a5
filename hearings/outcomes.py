"""What the court did: the outcome of a hearing, an extension of the 26 weeks.

No Flask here. Both are evidence, so append-only: a corrected outcome is a new version that
amends the last, with a reason. Bad input raises a FieldError naming the form field, and nothing
is saved.
"""

from datetime import date

from fdac.cases.models import Case
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.validation import FieldError
from hearings.clock import check_extension
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Extension, Hearing, HearingAttendance, HearingOutcome
from hearings.saving import commit, refuse, user_id


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
        refuse(error)
    outcome = HearingOutcome(
        case_id=hearing.case_id,
        others_present=others_present,
        goals=goals,
        note=note,
        amends_id=current.id if current is not None else None,
        amend_reason=amend_reason if current is not None else "",
        recorded_by_id=user_id(by),
    )
    for parent in hearing.case.parents:
        outcome.attendance.append(
            HearingAttendance(
                case_id=hearing.case_id, parent_id=parent.id, attended=attended[parent.id]
            )
        )
    hearing.outcomes.append(outcome)
    hearing.status = HearingStatus.HELD
    commit("Someone else amended this outcome just now: check it and try again", None)
    return outcome


def record_extension(
    case: Case, granted_on: date | None, weeks: int | None, reason: str, *, by, today: date
) -> Extension:
    """An extension of the 26 weeks granted by the court (up to 8 weeks each time)."""
    try:
        check_extension(weeks, granted_on, case.issued_on, today, reason)
    except FieldError as error:
        refuse(error)
    extension = Extension(
        case_id=case.id,
        granted_on=granted_on,
        weeks=weeks,
        reason=reason,
        recorded_by_id=user_id(by),
    )
    db.session.add(extension)
    commit()
    return extension
