"""Route rows: the API (a session never authenticates it: 401 for everyone, signed in or not)
and the API token pages (everyone's own; an admin's view of all)."""

from fdac.api.tokens import create_token
from fdac.extensions import db
from tests.auth.route_rows import _row, home

EVERYONE = _row(admin=200, team_manager=200, practitioner=200, judge=200, lab=200)
NO_SESSION = _row(401, 401, 401, 401, 401, 401)

ROWS: dict = {
    "tokens.mine": ("GET", {}, EVERYONE),
    "tokens.new": ("GET", {}, EVERYONE),
    "tokens.all_tokens": ("GET", {}, _row(admin=200)),
    # Someone else's token: not found, except by an admin.
    "tokens.revoke": (
        "GET",
        {"token_id": "api_token"},
        _row(admin=200, team_manager=404, practitioner=404, judge=200, lab=404),
    ),
    # The home page sends a lab to its API tokens (it works through the API only).
    # The row is home.py's with the lab's answer added (api comes after home in AREAS).
    "home": (*home.ROWS["home"][:2], {**home.ROWS["home"][2], "lab": 302}),
    "api.openapi": ("GET", {}, NO_SESSION),
    "api.list_cases": ("GET", {}, NO_SESSION),
    "api.get_case": ("GET", {"reference": "case"}, NO_SESSION),
    "api.substances": ("GET", {}, NO_SESSION),
    "api.post_result": ("POST", {"reference": "case"}, NO_SESSION),
    "api.list_results": ("GET", {"reference": "case"}, NO_SESSION),
    "api.amend_result": ("POST", {"result_id": 1}, NO_SESSION),
    "api.case_progress": ("GET", {"reference": "case"}, NO_SESSION),
    "api.case_report": ("GET", {"reference": "case"}, NO_SESSION),
    "api.list_hearings": ("GET", {}, NO_SESSION),
    "api.post_contact": ("POST", {"reference": "case"}, NO_SESSION),
}


def world_values(team, case, judge, values) -> dict:
    made = create_token(judge, "Route table")
    db.session.commit()
    return {"api_token": made.token.id}
