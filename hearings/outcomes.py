"""What the court did: the outcome of a hearing, an extension of the 26 weeks.

No Flask here. Both are evidence, so append-only: a corrected outcome is a new version that
amends the last, with a reason. Bad input raises a FieldError naming the form field, and nothing
is saved.
"""

from datetime import date

from sqlalchemy import select

from fdac import versions
from fdac.audit.models import AuditEvent
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
    based_on: int | None = None,
) -> HearingOutcome:
    """Record who came, the goals and a note; a second time is an amendment with a reason.
    StaleEdit when the hearing has changed since version `based_on` (the form's): another
    outcome or amendment recorded meanwhile, or a move."""
    try:
        based_on = versions.check(hearing, based_on)
    except versions.StaleEdit as error:
        raise outcome_stale(hearing, based_on) from error
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
    if hearing.status is HearingStatus.HELD:
        hearing.version = hearing.version + 1  # an amendment writes no column of the hearing
    hearing.status = HearingStatus.HELD
    commit(
        "Someone else amended this outcome just now: check it and try again",
        None,
        stale=lambda: outcome_stale(hearing, based_on),
    )
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


OUTCOME_FIELDS = ("others_present", "goals", "note", "amend_reason")


def outcome_stale(hearing: Hearing, based_on: int | None) -> versions.StaleEdit:
    """The refusal of a stale outcome form: the changes since version `based_on`, newest first.

    A version of a hearing is one save: an audited update of the hearing (a move, a
    cancellation, the first outcome's status), an outcome recorded (an audited insert), or
    both in one flush (one audit time). An amendment moves the version alone, which the trail
    does not list as an update of the hearing, so the saves are grouped by the time of the
    trail's rows rather than counted from the hearing's updates (versions.changes_since)."""
    db.session.rollback()
    db.session.refresh(hearing)
    current = hearing.version
    wanted = current - based_on if based_on is not None and 0 <= based_on < current else None
    wanted = min(wanted or versions.SHOWN_CHANGES, versions.SHOWN_CHANGES)
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            (
                (AuditEvent.table_name == Hearing.__tablename__)
                & (AuditEvent.record_id == str(hearing.id))
                & (AuditEvent.action == "update")
            )
            | (
                (AuditEvent.table_name == HearingOutcome.__tablename__)
                & (AuditEvent.action == "insert")
                & (AuditEvent.case_id == hearing.case_id)
            )
        )
        .order_by(AuditEvent.id.desc())
    )
    saves: list[tuple[AuditEvent, list[versions.FieldChange]]] = []
    for event in events:
        is_outcome = event.table_name == HearingOutcome.__tablename__
        if is_outcome and event.changes.get("hearing_id", [None, None])[1] != hearing.id:
            continue
        if not saves or saves[-1][0].at != event.at:
            if len(saves) == wanted:
                break
            saves.append((event, []))
        fields = saves[-1][1]
        if not is_outcome:
            fields.extend(
                versions.FieldChange(name, before, after)
                for name, (before, after) in sorted(event.changes.items())
                if name not in ("status", versions.FIELD_NAME)
            )
            continue
        amended = event.changes.get("amends_id", [None, None])[1]
        earlier = db.session.get(HearingOutcome, amended) if amended else None
        for name in OUTCOME_FIELDS:
            after = event.changes.get(name, [None, None])[1]
            was = getattr(earlier, name) if earlier is not None else None
            if (after or was) and after != was:
                fields.append(versions.FieldChange(name, was, after))
    changes = [
        versions.OtherChange(event.actor_label, event.at, tuple(fields)) for event, fields in saves
    ]
    return versions.StaleEdit(current, changes)
