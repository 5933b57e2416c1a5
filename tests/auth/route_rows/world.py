"""The world the access matrix asks about: two teams, four cases (one of each kind) with
everything that hangs off a case, each team's court set-up and graduates, and one signed-in
person of each role.

`build()` returns a World: `values[kind]` maps each url value name ("case", "parent",
"sitting", ...) to that kind's object id or reference, so a row's url is built for any kind.
"""

from dataclasses import dataclass
from datetime import date
from importlib import import_module

from fdac.auth.models import User
from fdac.cases.models import PhaseChange
from fdac.cases.phases import Outcome, Phase
from fdac.extensions import db, limiter
from tests import factories
from tests.auth.route_rows import (
    ANON,
    CASE,
    CLOSED,
    KINDS,
    OTHER_JUDGE,
    OTHER_TEAM,
    OWN,
    REACH_KINDS,
    SIGNED_IN,
    TEAM,
)

AREAS = tuple(
    import_module(f"tests.auth.route_rows.{name}")
    for name in (
        "core",
        "court",
        "case_hearings",
        "calendar",
        "home",
        "contacts",
        "team",
        "graduations",
        "reports",
        "court_documents",
        "programme",
        "subject_access",
        "api",
    )
)
# endpoint -> (method, url values, answers): the whole table.
ROUTES: dict = {}
for _area in AREAS:
    duplicated = set(ROUTES) & set(_area.ROWS)
    assert not duplicated, f"rows twice: {sorted(duplicated)}"
    ROUTES.update(_area.ROWS)


# Each case's parent has a name of its own, so a page showing a case it should not is seen.
PARENT_NAMES = {
    OWN: "Kelly Ashworth",
    OTHER_TEAM: "Olwen Farrow",
    OTHER_JUDGE: "Nadia Judd",
    CLOSED: "Carla Moss",
}
# Whose cases a role must never see anything of, on any page: another team's always; a judge,
# those allocated to other judges; an admin and a laboratory, none at all (pages, not the API).
NEVER_SHOWN = {
    ANON: KINDS,
    "admin": KINDS,
    "team_manager": (OTHER_TEAM,),
    "practitioner": (OTHER_TEAM,),
    "judge": (OTHER_TEAM, OTHER_JUDGE),
    "lab": KINDS,
}


@dataclass
class World:
    people: dict[str, int]  # role -> the id of the user signed in as that role
    values: dict[str, dict]  # kind of case -> url value name -> id or reference

    def reach(self, values: dict) -> str | None:
        """What a row's url values reach: one case's things, one team's, or neither."""
        named = [v for v in values.values() if isinstance(v, str) and v in self.values[OWN]]
        if any(self.values[OWN][v] != self.values[OTHER_JUDGE][v] for v in named):
            return CASE
        if any(self.values[OWN][v] != self.values[OTHER_TEAM][v] for v in named):
            return TEAM
        return None

    def kinds(self, reach: str | None) -> tuple[str, ...]:
        return REACH_KINDS[reach]

    def url_values(self, kind: str, values: dict) -> dict:
        mine = self.values[kind]
        return {k: mine[v] if isinstance(v, str) and v in mine else v for k, v in values.items()}

    def never_shown(self, role: str, judges_link: bool = False) -> dict[str, str]:
        """What must appear on no page answered to `role`: its reference and parent -> kind
        of case. A link of the world's judge's answers as the judge, whoever holds it."""
        if judges_link:
            role = "judge"
        return {
            text: kind
            for kind in NEVER_SHOWN[role]
            for text in (self.values[kind]["case"], PARENT_NAMES[kind])
        }

    def user(self, role: str) -> User:
        return db.session.get(User, self.people[role])


def build() -> World:
    team, other_team = factories.make_team(), factories.make_team()
    judge = factories.make_user("judge", team=team)
    colleague = factories.make_user("judge", team=team)  # the team's other judge
    their_judge = factories.make_user("judge", team=other_team)
    lab = factories.make_user("lab", team=team)
    lab.team_id, lab.served_teams = None, [team]  # a laboratory serving the team
    people = {
        "admin": factories.make_user("admin"),
        "team_manager": factories.make_user("team_manager", team=team),
        "practitioner": factories.make_user("practitioner", team=team),
        "judge": judge,
        "lab": lab,
    }
    db.session.commit()

    fixed = {"user": factories.make_user("practitioner", team=team).id}
    for area in AREAS:
        if hasattr(area, "fixed_values"):
            fixed.update(area.fixed_values(people, fixed))
    teams = {t.id: _team_values(t, j) for t, j in ((team, judge), (other_team, their_judge))}
    cases = {
        OWN: factories.make_case(team, judge_id=judge.id),
        OTHER_TEAM: factories.make_case(other_team, judge_id=their_judge.id),
        OTHER_JUDGE: factories.make_case(team, judge_id=colleague.id),
        CLOSED: factories.make_case(team, judge_id=judge.id),
    }
    values = {
        kind: {**fixed, **teams[case.team_id], **_case_values(case, PARENT_NAMES[kind])}
        for kind, case in cases.items()
    }
    _close(cases[CLOSED])  # after its things are made, as they were while it was open
    assert set(values) == set(KINDS)
    return World({role: user.id for role, user in people.items()}, values)


def _team_values(team, judge) -> dict:
    values = {
        "sitting": factories.make_sitting(team, judge).id,
        "absence": factories.add_absence(team, judge, date(2027, 2, 1), date(2027, 2, 5)).id,
        "closure": factories.add_closure(team, date(2027, 1, 18)).id,
    }
    for area in AREAS:
        if hasattr(area, "team_values"):
            values.update(area.team_values(team, judge, values))
    return values


def _case_values(case, parent_name: str) -> dict:
    parent = factories.add_parent(case, parent_name)
    values = {
        "case": case.reference,
        "parent": parent.id,
        "result": factories.add_peth(parent).id,
        "prescription": factories.add_prescription(parent).id,
        "child": factories.add_child(case).id,
        "hearing": factories.add_hearing(case, date(2027, 1, 4)).id,
    }
    for area in AREAS:
        if hasattr(area, "case_values"):
            values.update(area.case_values(case, values))
    return values


def _close(case) -> None:
    case.phase, case.outcome = Phase.CLOSED, Outcome.REUNIFIED
    case.phase_changes.append(
        PhaseChange(
            from_phase=Phase.TRIAL_FOR_CHANGE, to_phase=Phase.CLOSED, changed_on=date(2026, 11, 2)
        )
    )
    db.session.commit()


def shared(app):
    """Build the world once for a test module, with a client signed in as each role; empty the
    database when the module is done. For a module-scoped fixture (`yield from shared(app)`);
    the module also replaces conftest's `_app_context`, which empties it after every test."""
    from tests.conftest import PageClient, _empty_database

    with app.test_request_context():
        world = build()
        clients = {ANON: PageClient(app.test_client())}
        for role in SIGNED_IN:
            clients[role] = PageClient(app.test_client())
            clients[role].sign_in(world.user(role).email)
        db.session.remove()
    try:
        yield world, clients
    finally:
        with app.app_context():
            db.session.remove()
            _empty_database()
        limiter.reset()  # as conftest does after each test: the next starts with none spent
