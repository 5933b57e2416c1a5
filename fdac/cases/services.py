"""Use cases for a family's record: load, check with the domain rules, write, commit.

Views call these and turn a FieldError into the GOV.UK error summary.
"""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from fdac import versions
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case, Child, Parent, PhaseChange
from fdac.cases.phases import Outcome, Phase, check_phase_change
from fdac.cases.reference import next_reference
from fdac.extensions import db
from fdac.teams.models import Team
from fdac.validation import FieldError

CASE_FIELDS = ("reference", "court_case_number", "local_authority", "issued_on", "entered_on")


def suggested_reference(year: int) -> str:
    """The next FDAC reference for `year` across every team (references are unique)."""
    refs = db.session.scalars(select(Case.reference).where(Case.reference.like(f"FDAC-{year}-%")))
    return next_reference(year, refs)


def team_people(team_id: int, role: Role) -> list[User]:
    """Active people of one role in a team, for allocation lists."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.team_id == team_id, User.role == role, User.active.is_(True))
            .order_by(User.name)
        )
    )


def _check_unique(case: Case) -> None:
    for field, label in (("reference", "FDAC reference"), ("court_case_number", "court number")):
        query = select(func.count(Case.id)).where(getattr(Case, field) == getattr(case, field))
        if case.id is not None:
            query = query.where(Case.id != case.id)
        with db.session.no_autoflush:  # ask before this case itself is written
            clash = db.session.scalar(query)
        if clash:
            raise FieldError(f"Another case already has the {label} {getattr(case, field)}", field)


def _commit_or_explain(case: Case | None = None, based_on: int | None = None) -> None:
    """Commit; losing a race with another user for the same number reads as a field message,
    losing one for the same case (saved by someone else since `based_on`) as StaleEdit."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise versions.stale(case, based_on) from None
    except IntegrityError:
        db.session.rollback()
        raise FieldError(
            "Another case was saved with this FDAC reference or court case number just now. "
            "Check both and try again",
            "court_case_number",
        ) from None


def _allocate(case: Case, keyworker_id: int | None, judge_id: int | None) -> None:
    for field, person_id, role, title in (
        ("keyworker_id", keyworker_id, Role.PRACTITIONER, "keyworker"),
        ("judge_id", judge_id, Role.JUDGE, "judge"),
    ):
        if person_id is None:
            setattr(case, field, None)
            continue
        person = db.session.get(User, person_id)
        if (
            person is None
            or person.role is not role
            or person.team_id != case.team_id
            or not person.active
        ):
            raise FieldError(f"Choose a {title} from this team's list", field)
        setattr(case, field, person_id)


def create_case(
    team: Team,
    details: dict,
    *,
    keyworker_id: int | None,
    judge_id: int | None,
    by: User | None,
    today: date,
) -> Case:
    """Open a case at referral, with the first entry of its phase timeline."""
    case = Case(team_id=team.id, phase=Phase.REFERRAL, **{f: details[f] for f in CASE_FIELDS})
    db.session.add(case)
    try:
        _check_unique(case)
        _allocate(case, keyworker_id, judge_id)
        case.phase_changes.append(
            PhaseChange(
                from_phase=None,
                to_phase=Phase.REFERRAL,
                changed_on=details["entered_on"] or today,
                changed_by=by,
                note="Case opened",
            )
        )
        _commit_or_explain()
    except FieldError:
        db.session.rollback()
        raise
    return case


def update_case_details(case: Case, details: dict, *, based_on: int | None = None) -> None:
    """Save the case's details; StaleEdit when the case has changed since version `based_on`
    (the version the form was opened at; None: not known, the version read now)."""
    based_on = versions.check(case, based_on)
    for field in CASE_FIELDS:
        setattr(case, field, details[field])
    try:
        _check_unique(case)
        _commit_or_explain(case, based_on)
    except FieldError:
        db.session.rollback()
        raise


def allocate(
    case: Case, *, keyworker_id: int | None, judge_id: int | None, based_on: int | None = None
) -> None:
    based_on = versions.check(case, based_on)
    try:
        _allocate(case, keyworker_id, judge_id)
        versions.commit(case, based_on)
    except FieldError:
        db.session.rollback()
        raise


def change_phase(
    case: Case,
    target: Phase,
    *,
    changed_on: date,
    outcome: Outcome | None,
    note: str,
    by: User,
    today: date,
    based_on: int | None = None,
) -> PhaseChange:
    based_on = versions.check(case, based_on)
    last = case.phase_changes[-1].changed_on if case.phase_changes else None
    check_phase_change(
        case.phase,
        target,
        changed_on=changed_on,
        today=today,
        last_change_on=last,
        outcome=outcome,
        note=note,
    )
    change = PhaseChange(
        from_phase=case.phase, to_phase=target, changed_on=changed_on, changed_by=by, note=note
    )
    case.phase_changes.append(change)
    case.phase = target
    case.outcome = outcome
    versions.commit(case, based_on)
    return change


def save_person(
    case: Case, person: Parent | Child, data: dict, *, based_on: int | None = None
) -> None:
    """Add a parent or child to the case, or update one already on it (StaleEdit when it has
    changed since version `based_on`)."""
    if person.id is not None:
        based_on = versions.check(person, based_on)
    for field, value in data.items():
        setattr(person, field, value)
    if person.id is None:
        person.case = case
        db.session.add(person)
        db.session.commit()
    else:
        versions.commit(person, based_on)
