"""Route rows: the home page (a manager's dashboard; everyone else is sent on), flags, and the
lists behind the dashboard's figures (the manager's only)."""

from fdac.extensions import db
from fdac.flags.models import Flag
from tests.auth.route_rows import MANAGER_ONLY, _row

ROWS: dict = {
    # The home page sends a lab to its API tokens (it works through the API only).
    "home": (
        "GET",
        {},
        _row(admin=302, team_manager=200, practitioner=302, judge=302, lab=302),
    ),
    # Only the manager marks a flag as dealt with; others who can see the case are refused,
    # and a case they cannot see is not revealed.
    "flags.resolve": (
        "POST",
        {"flag_id": "flag"},
        _row(admin=404, team_manager=302, practitioner=403, judge=403),
    ),
    "dashboard.tests": ("GET", {}, MANAGER_ONLY),
    "dashboard.contacts": ("GET", {}, MANAGER_ONLY),
}


def case_values(case, values) -> dict:
    flag = Flag(
        team_id=case.team_id,
        case_id=case.id,
        kind="hearing_moved",
        subject=f"hearing:{values['hearing']}",
        message="The review planned for 4 January 2027 is on 11 January 2027: closure day",
    )
    db.session.add(flag)
    db.session.commit()
    return {"flag": flag.id}
