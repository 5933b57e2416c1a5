"""Small builders for test data; each returns a committed object."""

import itertools
from datetime import date, timedelta

from werkzeug.security import generate_password_hash

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case, Child, Parent, PhaseChange
from fdac.cases.people import LegalStatus, LivesWith, Relationship
from fdac.cases.phases import Phase
from fdac.extensions import db
from fdac.teams.models import Team

PASSWORD = "correct horse battery"
# A cheap hash made once: real scrypt on every test user would slow the suite for nothing.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


def make_team(name: str | None = None, court_code: str = "ZW") -> Team:
    n = next(_seq)
    team = Team(name=name or f"Team {n}", court_name=f"Court {n}", court_code=court_code)
    db.session.add(team)
    db.session.commit()
    return team


def make_user(role: str | Role = Role.PRACTITIONER, *, team: Team | None = None, **fields) -> User:
    role = Role(role)
    n = next(_seq)
    user = User(
        name=fields.pop("name", f"{role.label.split(' ')[0]} {n}"),
        email=fields.pop("email", f"{role.value}{n}@example.org"),
        role=role,
        team_id=None if role is Role.ADMIN else (team or make_team()).id,
        password_hash=_HASH,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_case(team: Team, *, phase: Phase = Phase.TRIAL_FOR_CHANGE, **fields) -> Case:
    n = next(_seq)
    entered = fields.pop("entered_on", date(2026, 6, 1))
    case = Case(
        reference=fields.pop("reference", f"FDAC-2026-{n:04d}"),
        court_case_number=fields.pop("court_case_number", f"ZW26C{n:05d}"),
        team_id=team.id,
        local_authority=fields.pop("local_authority", "Riverside Borough Council"),
        issued_on=fields.pop("issued_on", entered - timedelta(days=3)),
        entered_on=entered,
        phase=phase,
        **fields,
    )
    case.phase_changes.append(PhaseChange(from_phase=None, to_phase=phase, changed_on=entered))
    db.session.add(case)
    db.session.commit()
    return case


def add_parent(case: Case, name: str = "Kelly Ashworth") -> Parent:
    parent = Parent(
        case=case,
        name=name,
        date_of_birth=date(1994, 3, 27),
        relationship_to_children=Relationship.MOTHER,
    )
    db.session.add(parent)
    db.session.commit()
    return parent


def add_child(case: Case, name: str = "Alfie Ashworth") -> Child:
    child = Child(
        case=case,
        name=name,
        date_of_birth=date(2022, 5, 1),
        lives_with=LivesWith.FOSTER_CARE,
        legal_status=LegalStatus.INTERIM_CARE_ORDER,
    )
    db.session.add(child)
    db.session.commit()
    return child


def add_peth(parent: Parent, value: str = "12", collected_on: date | None = None):
    """A laboratory PEth result for `parent`, stored as the services would store it."""
    from decimal import Decimal

    from testing_results.models import Method, TestResult
    from testing_results.panels import Matrix

    result = TestResult(
        case_id=parent.case_id,
        parent_id=parent.id,
        matrix=Matrix.PETH,
        method=Method.LABORATORY,
        collected_on=collected_on or parent.case.entered_on,
        value=Decimal(value),
    )
    db.session.add(result)
    db.session.commit()
    return result


def add_prescription(parent: Parent, substance: str = "methadone"):
    from testing_results.models import Prescription
    from testing_results.panels import Substance

    prescription = Prescription(
        case_id=parent.case_id,
        parent_id=parent.id,
        medication="Methadone oral solution",
        substance=Substance(substance),
        starts_on=parent.case.entered_on,
    )
    db.session.add(prescription)
    db.session.commit()
    return prescription


def make_sitting(team: Team, judge: User, *, weekday: int = 0, **fields):
    """An FDAC sitting: Mondays at 10am, six 30-minute slots, unless told otherwise."""
    from datetime import time

    from hearings.models import Sitting

    sitting = Sitting(
        team_id=team.id,
        judge_id=judge.id,
        weekday=weekday,
        starts_at=fields.pop("starts_at", time(10, 0)),
        slot_minutes=fields.pop("slot_minutes", 30),
        slots=fields.pop("slots", 6),
        **fields,
    )
    db.session.add(sitting)
    db.session.commit()
    return sitting


def add_hearing(case: Case, day: date, kind: str = "nlr", **fields):
    """A hearing booked by hand (not by the planner) at 10am with the case's judge."""
    from datetime import time

    from hearings.kinds import HearingKind
    from hearings.models import Hearing

    hearing = Hearing(
        case_id=case.id,
        kind=HearingKind(kind),
        day=day,
        starts_at=fields.pop("starts_at", time(10, 0)),
        duration_minutes=fields.pop("duration_minutes", 30),
        judge_id=fields.pop("judge_id", case.judge_id),
        **fields,
    )
    db.session.add(hearing)
    db.session.commit()
    return hearing


def add_absence(team: Team, judge: User, first_day: date, last_day: date, reason: str = "Leave"):
    from hearings.models import JudgeAbsence

    absence = JudgeAbsence(
        team_id=team.id, judge_id=judge.id, first_day=first_day, last_day=last_day, reason=reason
    )
    db.session.add(absence)
    db.session.commit()
    return absence


def add_closure(team: Team, day: date, reason: str = "Staff training"):
    from hearings.models import ClosureDay

    closure = ClosureDay(team_id=team.id, day=day, reason=reason)
    db.session.add(closure)
    db.session.commit()
    return closure
