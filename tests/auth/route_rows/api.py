"""Route rows: the API and the API token pages (everyone's own; an admin's view of all).

ROWS: with a session cookie and no token, the API answers nobody (401), signed in or not.
TOKEN_ROWS: the API's own table, asked with each role's token (anonymous: no token) about
each kind of case: endpoint -> (method, path values, body, answers). The body is made for the
kind's case from the world's values (`body(values, people)`), valid, so that only access
decides the answer.
"""

from fdac.api.tokens import create_token
from fdac.dates import london_today
from fdac.extensions import db
from tests.auth.route_rows import KINDS, _row

EVERYONE = _row(admin=200, team_manager=200, practitioner=200, judge=200, lab=200)
NO_SESSION = _row(401, 401, 401, 401, 401, 401)
NO_SESSION = NO_SESSION.but(**dict.fromkeys(KINDS, NO_SESSION.own))  # whatever the case

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
    "api.openapi": ("GET", {}, NO_SESSION),
    "api.list_cases": ("GET", {}, NO_SESSION),
    "api.get_case": ("GET", {"reference": "case"}, NO_SESSION),
    "api.substances": ("GET", {}, NO_SESSION),
    "api.post_result": ("POST", {"reference": "case"}, NO_SESSION),
    "api.list_results": ("GET", {"reference": "case"}, NO_SESSION),
    "api.amend_result": ("POST", {"result_id": "result"}, NO_SESSION),
    "api.case_progress": ("GET", {"reference": "case"}, NO_SESSION),
    "api.case_report": ("GET", {"reference": "case"}, NO_SESSION),
    "api.list_hearings": ("GET", {}, NO_SESSION),
    "api.post_contact": ("POST", {"reference": "case"}, NO_SESSION),
}


def _api(anonymous=401, admin=403, team_manager=403, practitioner=403, judge=403, lab=403):
    return _row(anonymous, admin, team_manager, practitioner, judge, lab)


def _peth(values, people) -> dict:
    day = london_today().isoformat()
    return {
        "parent_id": values["parent"],
        "kind": "peth",
        "collected_at": day,
        "value": 25,
        "unit": "ng/mL",
    }


def _contact(values, people) -> dict:
    return {
        "parent_id": values["parent"],
        "on": london_today().isoformat(),
        "at": "00:00",
        "kind": "home_visit",
        "outcome": "attended",
        "minutes": 45,
        "practitioner_ids": [people["practitioner"]],
    }


def _amendment(values, people) -> dict:
    return {"reason": "The value was keyed wrongly", "value": 30}


ANY_TOKEN = _api(admin=200, team_manager=200, practitioner=200, judge=200, lab=200)
# Reading a case: the team and its judge; a lab reaches the case but reads nothing (403); an
# admin reaches no case (404).
API_READ = _api(admin=404, team_manager=200, practitioner=200, judge=200)
# Recording: the team's people and the lab it serves; never on a closed case.
API_RECORD = _api(admin=404, team_manager=201, practitioner=201, lab=201).but(writes=True)

TOKEN_ROWS: dict = {
    "api.openapi": ("GET", {}, None, ANY_TOKEN),
    "api.substances": ("GET", {}, None, ANY_TOKEN),
    "api.list_cases": ("GET", {}, None, _api(team_manager=200, practitioner=200, judge=200)),
    "api.list_hearings": ("GET", {}, None, _api(team_manager=200, practitioner=200, judge=200)),
    "api.get_case": ("GET", {"reference": "case"}, None, API_READ),
    "api.list_results": ("GET", {"reference": "case"}, None, API_READ),
    "api.case_progress": ("GET", {"reference": "case"}, None, API_READ),
    "api.case_report": ("GET", {"reference": "case"}, None, API_READ),
    "api.post_result": ("POST", {"reference": "case"}, _peth, API_RECORD),
    # A fresh result of the kind's parent each time: an amended result is not amended again.
    "api.amend_result": ("POST", {"result_id": "fresh_result"}, _amendment, API_RECORD),
    "api.post_contact": (
        "POST",
        {"reference": "case"},
        _contact,
        API_RECORD.but(lab=403),  # a laboratory records results only
    ),
}


def fixed_values(people, values) -> dict:
    """A token of the world's judge: someone else's for everyone but the judge."""
    made = create_token(people["judge"], "Route table")
    db.session.commit()
    return {"api_token": made.token.id}
