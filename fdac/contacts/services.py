"""Use cases for a case's contacts: record and correct a contact, list them, read the tests
taken at one, and set or remove the case's own contact target.

No Flask here. Each write checks everything first and raises FieldErrors naming the form fields,
saving nothing; otherwise it writes and commits. Contacts are corrected in place: the audit
trail keeps each change's before and after.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from fdac import versions
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case, Parent
from fdac.cases.phases import Phase
from fdac.contacts.kinds import MAX_MINUTES, MIN_MINUTES, ContactKind, ContactOutcome
from fdac.contacts.loading import team_targets
from fdac.contacts.models import CaseContactTarget, Contact
from fdac.contacts.targets import DEFAULT_TARGETS, MAX_TARGET
from fdac.dates import LONDON, uk_date, utc_now
from fdac.extensions import db
from fdac.query_args import whole_id, whole_number
from fdac.validation import FieldError, FieldErrors

PER_PAGE = 25
NOTE_MAX = 2000
MINUTES_MESSAGE = "Enter a length from 1 minute to 12 hours"
# Phases a case can have its own target for (a closed case owes no contact).
TARGET_PHASES = tuple(phase for phase in Phase if phase is not Phase.CLOSED)


@dataclass(frozen=True)
class ContactEntry:
    """A contact as typed on the form: the London date and wall-clock time, ids as chosen."""

    parent_id: int | None
    day: date
    at_time: time
    practitioner_ids: tuple[int, ...]
    kind: ContactKind
    minutes: int
    outcome: ContactOutcome
    note: str = ""


def london_instant(day: date, at_time: time) -> datetime:
    """The UTC instant of a London date and wall-clock time (BST or GMT as that day has it)."""
    return datetime.combine(day, at_time, tzinfo=LONDON).astimezone(UTC)


def team_practitioners(team_id: int) -> list[User]:
    """Who may be named on a contact: the team's active practitioners and managers."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.team_id == team_id,
                User.active.is_(True),
                User.role.in_([Role.PRACTITIONER, Role.TEAM_MANAGER]),
            )
            .order_by(User.name)
        )
    )


def practitioner_choices(case: Case, contact: Contact | None = None) -> list[User]:
    """The team's active practitioners and managers, and whoever is already on `contact`."""
    people = {user.id: user for user in team_practitioners(case.team_id)}
    for user in contact.practitioners if contact is not None else ():
        people.setdefault(user.id, user)
    return sorted(people.values(), key=lambda user: user.name)


def _problems(
    case: Case, entry: ContactEntry, allowed: list[User], now: datetime
) -> tuple[list[FieldError], Parent | None, list[User]]:
    errors = []
    parent = next((p for p in case.parents if p.id == entry.parent_id), None)
    if parent is None:
        errors.append(FieldError("Select a parent of this family", "parent_id"))
    if london_instant(entry.day, entry.at_time) > now:
        errors.append(FieldError("The date and time of the contact must be in the past", "day"))
    elif entry.day < case.entered_on:  # keyworking starts when the family enters FDAC
        message = f"The date of the contact must be on or after {uk_date(case.entered_on)}, "
        errors.append(FieldError(message + "when the family entered FDAC", "day"))
    by_id = {user.id: user for user in allowed}
    chosen = [by_id[i] for i in dict.fromkeys(entry.practitioner_ids) if i in by_id]
    if not entry.practitioner_ids:
        errors.append(FieldError("Select at least one practitioner", "practitioner_ids"))
    elif len(chosen) != len(set(entry.practitioner_ids)):
        errors.append(FieldError("Select practitioners from this team's list", "practitioner_ids"))
    if not MIN_MINUTES <= entry.minutes <= MAX_MINUTES:
        errors.append(FieldError(MINUTES_MESSAGE, "minutes"))
    if len(entry.note) > NOTE_MAX:
        errors.append(FieldError("Note must be 2,000 characters or fewer", "note"))
    return errors, parent, chosen


def _write(contact: Contact, entry: ContactEntry, parent: Parent, people: list[User]) -> None:
    contact.parent_id = parent.id
    contact.at = london_instant(entry.day, entry.at_time)
    contact.kind = entry.kind
    contact.outcome = entry.outcome
    contact.minutes = entry.minutes
    contact.note = entry.note
    contact.practitioners = people


def record(case: Case, entry: ContactEntry, *, by: User | None, now: datetime) -> Contact:
    """Record a contact with one of the case's parents; nothing is saved on bad input."""
    errors, parent, people = _problems(case, entry, practitioner_choices(case), now)
    if errors:
        db.session.rollback()
        raise FieldErrors(errors)
    contact = Contact(case_id=case.id, recorded_by_id=by.id if by is not None else None)
    _write(contact, entry, parent, people)
    db.session.add(contact)
    db.session.commit()
    return contact


def correct(
    contact: Contact, entry: ContactEntry, *, now: datetime, based_on: int | None = None
) -> None:
    """Correct a contact in place (the audit trail keeps what it said before). StaleEdit when
    it has changed since version `based_on`, the one the form was opened at."""
    based_on = versions.check(contact, based_on)
    case = contact.case
    errors, parent, people = _problems(case, entry, practitioner_choices(case, contact), now)
    if errors:
        db.session.rollback()
        raise FieldErrors(errors)
    _write(contact, entry, parent, people)
    versions.commit(contact, based_on)


def entry_of(contact: Contact) -> ContactEntry:
    """What the form shows for a stored contact: its London date and time."""
    local = contact.at.astimezone(LONDON)
    return ContactEntry(
        parent_id=contact.parent_id,
        day=local.date(),
        at_time=local.time().replace(tzinfo=None),
        practitioner_ids=tuple(user.id for user in contact.practitioners),
        kind=contact.kind,
        minutes=contact.minutes,
        outcome=contact.outcome,
        note=contact.note,
    )


# --------------------------------------------------------------------------------- reading


def contact_of(case: Case, contact_id: int) -> Contact | None:
    """The contact with this id if it is one of `case`'s (None: another case's, or none)."""
    contact = db.session.get(Contact, contact_id)
    return contact if contact is not None and contact.case_id == case.id else None


def contact_for_parent(parent: Parent, contact_id: str | int | None) -> Contact | None:
    """The contact `contact_id` names if it is one of this parent's, on their case."""
    number = whole_id(str(contact_id)) if contact_id is not None else None
    if number is None:
        return None
    contact = db.session.get(Contact, number)
    if contact is None or contact.parent_id != parent.id or contact.case_id != parent.case_id:
        return None
    return contact


@dataclass(frozen=True)
class Filters:
    parent_id: int | None = None
    outcome: ContactOutcome | None = None

    @classmethod
    def of(cls, case: Case, args) -> "Filters":
        """Filters from the query string; anything not of this case is ignored."""
        parent = args.get("parent", "")
        parent_id = whole_number(parent)
        if parent_id not in {p.id for p in case.parents}:
            parent_id = None
        outcome = args.get("outcome", "")
        return cls(
            parent_id,
            ContactOutcome(outcome) if outcome in {o.value for o in ContactOutcome} else None,
        )

    @property
    def active(self) -> bool:
        return self.parent_id is not None or self.outcome is not None


def contacts_query(case: Case, filters: Filters):
    """The case's contacts, newest first, with parents and practitioners loaded together."""
    query = (
        select(Contact)
        .where(Contact.case_id == case.id)
        .options(joinedload(Contact.parent), selectinload(Contact.practitioners))
        .order_by(Contact.at.desc(), Contact.id.desc())
    )
    if filters.parent_id is not None:
        query = query.where(Contact.parent_id == filters.parent_id)
    if filters.outcome is not None:
        query = query.where(Contact.outcome == filters.outcome)
    return query


def tests_at(contact: Contact) -> list:
    """The results taken at this contact, as they stand now (amended ones at their latest)."""
    from testing_results.services import parent_testing

    testing = parent_testing(contact.parent)
    return [
        history
        for history in testing.results
        if any(v.contact_id == contact.id for v in [history.current, *history.earlier])
    ]


# --------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class TargetRow:
    phase: Phase
    per_week: int  # what counts: the case's own, else the team's
    team_per_week: int
    own: CaseContactTarget | None
    current: bool  # the phase the case is in now


def case_target_rows(case: Case) -> list[TargetRow]:
    team = team_targets([case.team_id]).get(case.team_id, {})
    own = {
        t.phase: t
        for t in db.session.scalars(
            select(CaseContactTarget)
            .where(CaseContactTarget.case_id == case.id)
            .options(joinedload(CaseContactTarget.set_by))
        )
    }
    rows = []
    for phase in TARGET_PHASES:
        team_per_week = team.get(phase, DEFAULT_TARGETS[phase])
        mine = own.get(phase)
        rows.append(
            TargetRow(
                phase=phase,
                per_week=mine.per_week if mine else team_per_week,
                team_per_week=team_per_week,
                own=mine,
                current=case.phase is phase,
            )
        )
    return rows


def own_target(case: Case, phase: Phase) -> CaseContactTarget | None:
    return db.session.scalar(
        select(CaseContactTarget).where(
            CaseContactTarget.case_id == case.id, CaseContactTarget.phase == phase
        )
    )


def set_target(
    case: Case,
    phase: Phase | None,
    per_week: int | None,
    reason: str,
    *,
    by: User | None,
    based_on: int | None = None,
) -> CaseContactTarget:
    """Give the case its own target for a phase (or change it), with the reason. StaleEdit when
    the phase's own target is no longer at version `based_on` (0: there was none) as the form
    was opened: someone else set, changed or removed it since."""
    errors = []
    if phase not in TARGET_PHASES:
        errors.append(FieldError("Select the phase", "phase"))
    if per_week is None or not 0 <= per_week <= MAX_TARGET:
        errors.append(
            FieldError(f"Enter a target from 0 to {MAX_TARGET} contacts a week", "per_week")
        )
    if not reason.strip():
        errors.append(FieldError("Enter the reason this case needs its own target", "reason"))
    elif len(reason) > NOTE_MAX:
        errors.append(FieldError("Reason must be 2,000 characters or fewer", "reason"))
    if errors:
        db.session.rollback()
        raise FieldErrors(errors)
    target = own_target(case, phase)
    current = target.version if target is not None else 0
    if based_on is not None and based_on != current:
        db.session.rollback()
        raise versions.stale(target, based_on) if target else versions.StaleEdit(0, [])
    if target is None:
        target = CaseContactTarget(case_id=case.id, phase=phase)
        db.session.add(target)
    target.per_week = per_week
    target.reason = reason.strip()
    target.set_by_id = by.id if by is not None else None
    target.set_at = utc_now()
    try:
        versions.commit(target, current)
    except IntegrityError:  # someone else gave the phase its own target at the same moment
        db.session.rollback()
        raise versions.StaleEdit(1, []) from None
    return target


def remove_target(target: CaseContactTarget) -> None:
    """Back to the team's target for that phase (the audit trail keeps the removed one)."""
    db.session.delete(target)
    db.session.commit()
