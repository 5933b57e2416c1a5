"""A realistic synthetic team, dated relative to `today` so the demo always looks current.

Every name is invented. Deterministic for a given `today` and seed.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case, Child, Parent, PhaseChange
from fdac.cases.people import LegalStatus, LivesWith, Relationship
from fdac.cases.phases import Outcome, Phase
from fdac.contacts.jobs import raise_contact_flags
from fdac.demo_contacts import add_contacts_and_graduations
from fdac.demo_documents import add_court_documents
from fdac.demo_hearings import add_court_and_hearings
from fdac.demo_testing import Feature, add_testing_history
from fdac.extensions import db
from fdac.teams.models import Team
from hearings.jobs import raise_flags
from testing_results.jobs import raise_testing_flags

# Demo only, printed on purpose; real accounts come from `flask fdac create-user`.
DEMO_PASSWORD = "fdac-demo-password"  # noqa: S105


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    name: str


STAFF = [
    ("Ada Administrator", "admin@demo.fdac.example", Role.ADMIN),
    ("Morgan Reid", "manager@demo.fdac.example", Role.TEAM_MANAGER),
    ("Priya Shah", "priya.shah@demo.fdac.example", Role.PRACTITIONER),
    ("Tom Okafor", "tom.okafor@demo.fdac.example", Role.PRACTITIONER),
    ("Hannah Lewis", "hannah.lewis@demo.fdac.example", Role.PRACTITIONER),
    ("Gareth Evans", "gareth.evans@demo.fdac.example", Role.PRACTITIONER),
    ("HHJ Eleanor Marsh", "judge.marsh@demo.fdac.example", Role.JUDGE),
    ("DJ Samuel Clarke", "judge.clarke@demo.fdac.example", Role.JUDGE),
    # A toxicology lab's API user: it posts results for the team's cases, reads nothing else.
    ("Northgate Toxicology", "lab@demo.fdac.example", Role.LAB),
]

MOTHERS = [
    "Kelly",
    "Jade",
    "Stacey",
    "Leanne",
    "Amy",
    "Chloe",
    "Danielle",
    "Gemma",
    "Laura",
    "Natalie",
    "Rebecca",
    "Sophie",
    "Toni",
    "Zoe",
    "Becky",
    "Carly",
    "Shannon",
    "Tasha",
]
FATHERS = ["Dean", "Craig", "Liam", "Ryan", "Jamie", "Lee", "Darren", "Kyle", "Nathan", "Scott"]
CHILDREN = [
    "Alfie",
    "Bella",
    "Charlie",
    "Daisy",
    "Evie",
    "Freddie",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Lily",
    "Mason",
    "Noah",
    "Olivia",
    "Poppy",
    "Ruby",
    "Theo",
    "Willow",
]
SURNAMES = [
    "Ashworth",
    "Brennan",
    "Carver",
    "Dawson",
    "Ellery",
    "Fairbairn",
    "Gorman",
    "Hollis",
    "Ingram",
    "Jarvis",
    "Kendrick",
    "Lowther",
    "Mallory",
    "Norbury",
    "Oakes",
    "Pritchard",
    "Quarry",
    "Ridley",
]
LOCAL_AUTHORITIES = ["Riverside Borough Council", "Eastbrook Council"]

# (phase, weeks since entering FDAC): spread over the journey, a few closed.
CASE_SHAPES = [
    (Phase.REFERRAL, 0),
    (Phase.REFERRAL, 1),
    (Phase.ASSESSMENT, 2),
    (Phase.ASSESSMENT, 3),
    (Phase.TRIAL_FOR_CHANGE, 6),
    (Phase.TRIAL_FOR_CHANGE, 9),
    (Phase.TRIAL_FOR_CHANGE, 12),
    (Phase.TRIAL_FOR_CHANGE, 14),
    (Phase.TRIAL_FOR_CHANGE, 17),
    (Phase.FINAL_STAGE, 21),
    (Phase.FINAL_STAGE, 24),
    (Phase.CLOSED, 30),
    (Phase.CLOSED, 34),
    (Phase.CLOSED, 40),
    (Phase.CLOSED, 45),
    (Phase.TRIAL_FOR_CHANGE, 8),
]
# Which case (by its place in CASE_SHAPES) shows each thing the testing demo promises.
TESTING_FEATURES = {
    5: {Feature.MISSED},
    6: {Feature.AMENDMENT},
    7: {Feature.METHADONE},
    8: {Feature.CONFIRMATION},
    9: {Feature.DILUTE},
    10: {Feature.REFUSED},
}
CLOSED_OUTCOMES = [
    Outcome.REUNIFIED,
    Outcome.REUNIFIED,
    Outcome.FAMILY_OR_FRIENDS,
    Outcome.RETURNED_TO_STANDARD_PROCEEDINGS,
]
# Weeks after entry at which each phase begins (DOMAIN.md's typical timing).
PHASE_STARTS = [
    (Phase.ASSESSMENT, 1),
    (Phase.TRIAL_FOR_CHANGE, 4),
    (Phase.FINAL_STAGE, 20),
    (Phase.CLOSED, 28),
]


def demo_logins() -> list[DemoLogin]:
    return [DemoLogin(email, role, name) for name, email, role in STAFF]


def has_data() -> bool:
    return bool(db.session.scalar(select(func.count(Team.id))))


def load(today: date, seed: int = 2026) -> Team:
    rng = random.Random(seed)
    team = Team(
        name="Riverside FDAC",
        court_name="Riverside Family Court",
        court_code="RV",
        local_authorities=", ".join(LOCAL_AUTHORITIES),
    )
    db.session.add(team)
    db.session.flush()
    people = {}
    for name, email, role in STAFF:
        teamless = role in (Role.ADMIN, Role.LAB)  # a lab serves teams rather than joining one
        user = User(name=name, email=email, role=role, team_id=None if teamless else team.id)
        if role is Role.LAB:
            user.served_teams = [team]
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        people.setdefault(role, []).append(user)
    db.session.flush()

    surnames = rng.sample(SURNAMES, len(CASE_SHAPES))
    for i, ((phase, weeks), surname) in enumerate(zip(CASE_SHAPES, surnames, strict=True)):
        entered = today - timedelta(weeks=weeks, days=rng.randint(0, 4))
        issued = (
            entered - timedelta(days=rng.randint(0, 10)) if phase is not Phase.REFERRAL else None
        )
        case = Case(
            reference=f"FDAC-{entered.year}-{i + 1:04d}",
            court_case_number=f"RV{entered:%y}C{rng.randint(100, 99999):05d}",
            team_id=team.id,
            local_authority=rng.choice(LOCAL_AUTHORITIES),
            issued_on=issued,
            entered_on=entered,
            phase=phase,
            outcome=rng.choice(CLOSED_OUTCOMES) if phase is Phase.CLOSED else None,
            keyworker_id=rng.choice(people[Role.PRACTITIONER]).id,
            judge_id=people[Role.JUDGE][i % 2].id if phase is not Phase.REFERRAL else None,
        )
        db.session.add(case)
        _add_family(case, surname, today, rng)
        _add_timeline(case, entered, phase, people[Role.TEAM_MANAGER][0])
        db.session.flush()  # ids for the test results
        # Its own generator, so the families above stay the same whatever testing draws.
        add_testing_history(
            case,
            random.Random(f"{seed}:testing:{i}"),
            today,
            db.session.get(User, case.keyworker_id),
            TESTING_FEATURES.get(i, ()),
        )
    add_court_and_hearings(team, today, seed)
    add_contacts_and_graduations(team, today, seed)
    db.session.commit()
    add_court_documents(team, today)
    # The morning jobs, as the scheduler would run them: the manager's home shows today's flags.
    raise_flags(today)
    raise_contact_flags(today)
    raise_testing_flags(today)
    return team


def _add_family(case: Case, surname: str, today: date, rng: random.Random) -> None:
    mother_age = rng.randint(19, 38)
    case.parents.append(
        Parent(
            name=f"{rng.choice(MOTHERS)} {surname}",
            date_of_birth=today - timedelta(days=365 * mother_age + rng.randint(0, 364)),
            relationship_to_children=Relationship.MOTHER,
        )
    )
    if rng.random() < 0.55:
        case.parents.append(
            Parent(
                name=f"{rng.choice(FATHERS)} {surname}",
                date_of_birth=today - timedelta(days=365 * (mother_age + rng.randint(0, 6))),
                relationship_to_children=Relationship.FATHER,
            )
        )
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        in_care = case.phase is not Phase.CLOSED or case.outcome is not Outcome.REUNIFIED
        case.children.append(
            Child(
                name=f"{rng.choice(CHILDREN)} {surname}",
                date_of_birth=today - timedelta(days=rng.randint(30, 365 * 12)),
                lives_with=rng.choice(
                    [LivesWith.FOSTER_CARE, LivesWith.FAMILY_OR_FRIENDS, LivesWith.ONE_PARENT]
                )
                if in_care
                else LivesWith.ONE_PARENT,
                legal_status=LegalStatus.INTERIM_CARE_ORDER
                if in_care
                else LegalStatus.SUPERVISION_ORDER,
            )
        )


def _add_timeline(case: Case, entered: date, phase: Phase, manager: User) -> None:
    case.phase_changes.append(
        PhaseChange(
            from_phase=None,
            to_phase=Phase.REFERRAL,
            changed_on=entered,
            changed_by=manager,
            note="Case opened",
        )
    )
    current = Phase.REFERRAL
    for target, week in PHASE_STARTS:
        if current is phase:
            break
        case.phase_changes.append(
            PhaseChange(
                from_phase=current,
                to_phase=target,
                changed_on=entered + timedelta(weeks=week),
                changed_by=manager,
                note="",
            )
        )
        current = target
