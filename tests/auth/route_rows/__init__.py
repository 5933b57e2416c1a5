"""The access matrix: every route, every role, every kind of case (docs/decisions/0031).

A row, in one area module's ROWS: endpoint -> (method, url values, answers).
- A url value names a key of the world (world.py: "case", "parent", "sitting", ...) or is used
  as it is.
- `answers` (made by `_row`) is the status each role gets on the world's case of their own.
  The other kinds of case follow from the rules in `Answers.on`; a row that differs says so
  with an override, e.g. `_row(..., closed={"team_manager": 200})`.

Adding a route is one line in its area's ROWS; a route without a row fails the suite.
An area module may define, to add what its rows need to the world:
- `case_values(case, values) -> dict`: objects of one case (built for each of the four cases);
- `team_values(team, judge, values) -> dict`: objects of one team (built for both teams);
- `fixed_values(people, values) -> dict`: the same objects whatever the case.
"""

from collections.abc import Mapping

from fdac.auth.roles import Role

ANON = "anonymous"
ROLES = [ANON, *[r.value for r in Role]]
SIGNED_IN = ROLES[1:]

# The kinds of case each route is asked about. "own": the team's case, allocated to the judge
# who is signed in; "other_team": a case of another team; "other_judge": a case of the team
# allocated to another judge; "closed": the team's closed case, allocated to the judge.
OWN, OTHER_TEAM, OTHER_JUDGE, CLOSED = KINDS = ("own", "other_team", "other_judge", "closed")
# What a row's url values reach: something of one case, something of one team, or neither.
CASE, TEAM = "case", "team"
REACH_KINDS = {CASE: KINDS, TEAM: (OWN, OTHER_TEAM), None: (OWN,)}
SUCCESS = (200, 201, 302)


class Answers(Mapping):
    """role -> status on a case of their own; `on(kind, reach)` for the other kinds."""

    def __init__(self, own: dict[str, int], writes: bool = False, overrides=None):
        self.own = dict(own)
        self.writes = writes  # it changes the case: a closed case refuses it
        self.overrides = {kind: dict(roles) for kind, roles in (overrides or {}).items()}

    def __getitem__(self, role: str) -> int:
        return self.own[role]

    def __iter__(self):
        return iter(self.own)

    def __len__(self) -> int:
        return len(self.own)

    def __repr__(self) -> str:
        return f"Answers({self.own}, writes={self.writes}, overrides={self.overrides})"

    def but(self, writes: bool | None = None, **changes) -> "Answers":
        """The same answers with some changed: a role's own answer, or a kind's overrides."""
        own = {**self.own, **{k: v for k, v in changes.items() if k in self.own}}
        overrides = {k: dict(v) for k, v in self.overrides.items()}
        for kind in KINDS:
            if kind in changes:
                overrides[kind] = {**overrides.get(kind, {}), **changes[kind]}
        return Answers(own, self.writes if writes is None else writes, overrides)

    def on(self, kind: str, reach: str | None) -> dict[str, int]:
        """Each role's answer on a case of `kind`, for a route reaching a case or a team."""
        answers = dict(self.own)
        if kind == OTHER_TEAM:
            # Not found: another team's record is not revealed. A case route looks in the
            # user's reach before asking what they may do (case_for); a team's page refuses a
            # role without the permission (403) before looking anything up.
            for role in SIGNED_IN:
                if reach == CASE or answers[role] != 403:
                    answers[role] = 404
        elif kind == OTHER_JUDGE:
            answers["judge"] = 404  # a judge reaches only the cases allocated to them
        elif kind == CLOSED and self.writes:
            for role in SIGNED_IN:  # a closed case is read, not changed
                if answers[role] in SUCCESS:
                    answers[role] = 403
        answers.update(self.overrides.get(kind, {}))
        return answers


def _row(
    anonymous=302,
    admin=403,
    team_manager=403,
    practitioner=403,
    judge=403,
    lab=None,
    *,
    writes=False,
    **overrides,
) -> Answers:
    # A laboratory uses the API, not the pages: 403 unless a row says otherwise; like an admin
    # it reaches no case on the pages (404 where the admin's is); a route that answers
    # everyone alike (health, static files, a calendar feed) answers it alike too.
    if lab is None:
        alike = {anonymous, admin, team_manager, practitioner, judge}
        lab = anonymous if len(alike) == 1 else (404 if admin == 404 else 403)
    unknown = set(overrides) - set(KINDS)
    if unknown:
        raise TypeError(f"not a kind of case: {sorted(unknown)}")
    own = {
        ANON: anonymous,
        "admin": admin,
        "team_manager": team_manager,
        "practitioner": practitioner,
        "judge": judge,
        "lab": lab,
    }
    return Answers(own, writes, overrides)


# Case pages: admins and labs see no case data (404: a case's existence is not revealed).
CASE_READ = _row(admin=404, team_manager=200, practitioner=200, judge=200, lab=404)
# Forms that change a case: refused (403) on a closed case.
CASE_MANAGE = _row(admin=404, team_manager=200, lab=404, writes=True)
CASE_PEOPLE = _row(admin=404, team_manager=200, practitioner=200, lab=404, writes=True)
ADMIN_ONLY = _row(admin=200)
IMPORTERS = _row(team_manager=200, practitioner=200)
MANAGER_ONLY = _row(team_manager=200)
CALENDAR_READERS = _row(team_manager=200, practitioner=200, judge=200)
