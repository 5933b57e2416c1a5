"""Contact compliance: every active case, with two years of contacts, and a team's flags.

Built with Core executemany, as history.py builds its history: teams, their practitioners and
managers, and active cases (in the trial for change for two years, as the issue asks) with two
parents each. Each parent has two or three contacts a week, some missed or cancelled; one case
in seven has slipped to one contact a week for the last three weeks and one in eleven has not
been seen for ten days, so the flags have something to find. One team has its own targets and a
few cases their own. No audit rows (compliance never reads the trail) and no practitioners on
the contacts (compliance never reads contact_practitioners).

Timed, as medians after warm-up runs:
- compliance_for_cases for every active case of the country, and of one team (with the read
  of the team's open cases, as the caseload and the job do);
- the bare floor: one Core select of one case's contacts in the 12 weeks shown;
- the morning job's work for one team (fdac.contacts.jobs.raise_team_contact_flags: compute,
  compare with the flags already there, commit), in the steady state where yesterday's run
  raised them already;
- GET home as the team's manager (the page that lists the flags, through the test client).
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask, url_for
from sqlalchemy import func, insert, select

from benchmarks.database import analyse, reset_sequences
from benchmarks.timing import Subject, Timing, compare
from benchmarks.trend_page import _isolated, _signed_in_client
from fdac.auth.roles import Role
from fdac.cases.models import Case, Parent, PhaseChange
from fdac.cases.people import Relationship
from fdac.cases.phases import Phase
from fdac.contacts import jobs
from fdac.contacts.compliance import WEEKS_SHOWN, week_start
from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.contacts.loading import compliance_for_cases
from fdac.contacts.models import CaseContactTarget, Contact, TeamContactTarget
from fdac.dates import LONDON
from fdac.extensions import db
from fdac.flags.models import Flag
from tests import factories

WEEKS = 104  # two years of contacts
CHUNK = 20_000
KINDS = list(ContactKind)
# What happened, for a parent who mostly comes: weights of attended, missed, cancelled by them,
# cancelled by the team.
OUTCOMES = (ContactOutcome.ATTENDED, ContactOutcome.DID_NOT_ATTEND)
OUTCOMES += (ContactOutcome.CANCELLED_BY_PARENT, ContactOutcome.CANCELLED_BY_TEAM)
OUTCOME_WEIGHTS = (85, 8, 4, 3)
HOURS = (9, 10, 11, 13, 14, 15, 16)
PARENTS = (("Kelly", Relationship.MOTHER), ("Dean", Relationship.FATHER))


@dataclass(frozen=True)
class Country:
    team_ids: list[int]
    case_ids: list[int]
    contacts: int
    manager_email: str  # the first team's manager: signs in to the home page


@dataclass(frozen=True)
class ComplianceFigures:
    all_cases: Timing
    one_team: Timing
    bare: Timing  # one case's contacts in the weeks shown
    team_flags: Timing
    home: Timing
    cases: int
    team_cases: int
    contacts: int
    case_contacts: int  # rows the bare select returns
    flags: int  # open contact flags of the team

    @property
    def per_case(self) -> float:
        return self.all_cases.seconds / self.cases


def _flush(rows: dict, force: bool = False) -> None:
    if not force and sum(map(len, rows.values())) < CHUNK:
        return
    with db.engine.begin() as conn:
        for model in (Case, PhaseChange, Parent, CaseContactTarget, Contact):
            if rows.get(model):
                conn.execute(insert(model.__table__), rows[model])
                rows[model].clear()


def _contacts_for(rng, case_id, parent_id, first: date, today: date, pattern: str) -> list[dict]:
    rows = []
    slipped_from = week_start(today) - timedelta(weeks=3)
    for week in range(WEEKS + 1):
        monday = week_start(first) + timedelta(weeks=week)
        days = sorted(rng.sample(range(5), rng.choice((2, 3, 3))))
        if pattern == "slipped" and monday >= slipped_from:
            days = days[:1]
        for weekday in days:
            day = monday + timedelta(days=weekday)
            if day < first or day > today:
                continue
            if pattern == "unseen" and day > today - timedelta(days=10):
                continue
            outcome = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
            at = datetime.combine(day, time(rng.choice(HOURS)), LONDON).astimezone(UTC)
            rows.append(
                {
                    "case_id": case_id,
                    "parent_id": parent_id,
                    "at": at,
                    "kind": rng.choice(KINDS),
                    "outcome": outcome,
                    "minutes": rng.choice((30, 45, 60, 90)),
                    "note": "",
                    "recorded_by_id": None,
                    "created_at": at,
                }
            )
    return rows


def build(*, cases: int, teams: int, today: date, seed: int = 5) -> Country:
    """`teams` teams sharing `cases` active cases, each with two years of contacts."""
    rng = random.Random(seed)
    team_rows = [factories.make_team(f"Contacts team {i + 1}") for i in range(teams)]
    workers = [factories.make_user(Role.PRACTITIONER, team=t) for t in team_rows]
    managers = [factories.make_user(Role.TEAM_MANAGER, team=t) for t in team_rows]
    db.session.add_all(
        TeamContactTarget(team_id=team_rows[0].id, phase=phase, per_week=per_week)
        for phase, per_week in ((Phase.TRIAL_FOR_CHANGE, 3), (Phase.FINAL_STAGE, 2))
    )
    db.session.commit()
    next_id = {
        model: (db.session.scalar(select(func.max(model.id))) or 0)
        for model in (Case, Parent, PhaseChange)
    }

    def new_id(model) -> int:
        next_id[model] += 1
        return next_id[model]

    now = datetime.now(UTC)
    entered = today - timedelta(weeks=WEEKS)
    rows: dict = {model: [] for model in (Case, PhaseChange, Parent, CaseContactTarget, Contact)}
    case_ids, contacts = [], 0
    for n in range(1, cases + 1):
        team, worker = team_rows[(n - 1) % teams], workers[(n - 1) % teams]
        case_id = new_id(Case)
        case_ids.append(case_id)
        rows[Case].append(
            {
                "id": case_id,
                "reference": f"FDAC-C-{n:05d}",
                "court_case_number": f"ZC{entered:%y}C{n:05d}",
                "team_id": team.id,
                "local_authority": "Riverside Borough Council",
                "issued_on": entered - timedelta(days=3),
                "entered_on": entered,
                "phase": Phase.TRIAL_FOR_CHANGE,
                "outcome": None,
                "keyworker_id": worker.id,
                "judge_id": None,
                "created_at": now,
            }
        )
        for from_phase, to_phase, on in (
            (None, Phase.ASSESSMENT, entered),
            (Phase.ASSESSMENT, Phase.TRIAL_FOR_CHANGE, entered + timedelta(weeks=4)),
        ):
            rows[PhaseChange].append(
                {
                    "id": new_id(PhaseChange),
                    "case_id": case_id,
                    "from_phase": from_phase,
                    "to_phase": to_phase,
                    "changed_on": on,
                    "changed_by_id": worker.id,
                    "note": "",
                    "created_at": now,
                }
            )
        if n % 13 == 0:
            rows[CaseContactTarget].append(
                {
                    "case_id": case_id,
                    "phase": Phase.TRIAL_FOR_CHANGE,
                    "per_week": 1,
                    "reason": "Works full time: one evening visit a week agreed at the IPM",
                    "set_by_id": managers[(n - 1) % teams].id,
                    "set_at": now,
                }
            )
        pattern = "slipped" if n % 7 == 0 else "unseen" if n % 11 == 0 else "usual"
        for first_name, relationship in (
            ("Kelly", Relationship.MOTHER),
            ("Dean", Relationship.FATHER),
        ):
            parent_id = new_id(Parent)
            rows[Parent].append(
                {
                    "id": parent_id,
                    "case_id": case_id,
                    "name": f"{first_name} Parent{n}",
                    "date_of_birth": date(1990 + n % 10, 1 + n % 12, 1 + n % 28),
                    "relationship_to_children": relationship,
                }
            )
            mine = _contacts_for(rng, case_id, parent_id, entered, today, pattern)
            rows[Contact].extend(mine)
            contacts += len(mine)
        _flush(rows)
    _flush(rows, force=True)
    tables = [m.__table__ for m in (Case, PhaseChange, Parent, CaseContactTarget, Contact)]
    reset_sequences(*tables)
    analyse(*tables)
    return Country([t.id for t in team_rows], case_ids, contacts, managers[0].email)


def bare_select(case_id: int, since: datetime) -> list:
    contacts = Contact.__table__
    query = select(contacts.c.parent_id, contacts.c.at, contacts.c.outcome).where(
        contacts.c.case_id == case_id, contacts.c.at >= since
    )
    with db.engine.connect() as conn:
        return conn.execute(query).all()


def _open_cases(team_id: int | None = None) -> list[Case]:
    query = select(Case).where(Case.phase != Phase.CLOSED)
    if team_id is not None:
        query = query.where(Case.team_id == team_id)
    return list(db.session.scalars(query.order_by(Case.id)))


def run(app: Flask, country: Country, today: date, *, runs: int, warmups: int) -> ComplianceFigures:
    team_id = country.team_ids[0]
    case_id = _open_cases(team_id)[0].id
    since = datetime.combine(
        week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1, days=1), time(0), UTC
    )
    with app.test_request_context():
        home = url_for("home")
    client = _isolated(lambda: _signed_in_client(app, country.manager_email))
    jobs.raise_team_contact_flags(team_id, today)  # yesterday's run: the flags exist already

    def fresh_session():
        db.session.remove()

    def get_home():
        response = _isolated(lambda: client.get(home))
        if response.status_code != 200:
            raise RuntimeError(f"GET {home}: {response.status_code}")

    def team_flags():
        if jobs.raise_team_contact_flags(team_id, today) is None:
            raise RuntimeError("the contact flags job gave up")

    timings = compare(
        {
            "all": Subject(lambda: compliance_for_cases(_open_cases(), today), fresh_session),
            "team": Subject(
                lambda: compliance_for_cases(_open_cases(team_id), today), fresh_session
            ),
            "bare": Subject(lambda: bare_select(case_id, since)),
            "flags": Subject(team_flags, fresh_session),
            "home": Subject(get_home),
        },
        runs=runs,
        warmups=warmups,
    )
    db.session.remove()
    flags = db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(
            Flag.team_id == team_id, Flag.kind.in_(jobs.CONTACT_KINDS), Flag.resolved_at.is_(None)
        )
    )
    return ComplianceFigures(
        all_cases=timings["all"],
        one_team=timings["team"],
        bare=timings["bare"],
        team_flags=timings["flags"],
        home=timings["home"],
        cases=len(_open_cases()),
        team_cases=len(_open_cases(team_id)),
        contacts=country.contacts,
        case_contacts=len(bare_select(case_id, since)),
        flags=flags,
    )
