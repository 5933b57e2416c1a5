"""The access matrix: every route x every role x every kind of case, answered as the table
(tests/auth/route_rows/) says; and the API's own table, asked with each role's token.

The world is built once for this module (a read changes nothing: test_get_changes_nothing.py
proves it), so the whole matrix runs in a few minutes. The rows that change things are asked
on a fresh world each, in test_routes_by_role.py.
"""

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from fdac.api.tokens import create_token
from fdac.extensions import db
from tests import factories
from tests.api.conftest import ApiClient
from tests.auth.route_rows import ANON, OWN, ROLES, SIGNED_IN
from tests.auth.route_rows import api as api_rows
from tests.auth.route_rows.asking import ask, check_page_basics, unlike_the_table
from tests.auth.route_rows.world import ROUTES, shared

# A secret link's answer is its owner's, whoever holds the link: the world's judge's calendar.
OWNERS_LINKS = {"calendar.feed"}
# The rows asked here: reads, and the API's (a session never authenticates it, so even its
# POSTs change nothing).
SHARED_ROWS = sorted(e for e, (method, *_) in ROUTES.items() if method == "GET" or e[:4] == "api.")


@pytest.fixture(autouse=True)
def _app_context(app):
    """Replaces conftest's: the module's world stays until the module is done."""
    with app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture(scope="module")
def matrix(app):
    yield from shared(app)


@pytest.mark.parametrize("endpoint", SHARED_ROWS)
def test_each_role_gets_the_tables_answer_on_each_kind_of_case(endpoint, matrix):
    world, clients = matrix
    method, values, answers = ROUTES[endpoint]
    reach = world.reach(values)
    wrong = {}
    for kind in world.kinds(reach):
        url = url_for(endpoint, **world.url_values(kind, values))
        expected = answers.on(kind, reach)
        for role in ROLES:
            response = ask(clients[role], method, url)
            status = response.status_code
            if status != expected[role]:
                wrong[role, kind] = (expected[role], status)
            for text, whose in world.never_shown(role, endpoint in OWNERS_LINKS).items():
                # Whatever the status; a redirect's body only repeats the address asked for.
                if not response.location and text.encode() in response.data:
                    wrong[role, kind] = (f"nothing of {whose}", f"shows {text!r}")
            if role == ANON and status == 302:
                assert response.location.startswith(url_for("auth.sign_in")), url
            if kind == OWN and status == 200 and response.mimetype == "text/html":
                check_page_basics(BeautifulSoup(response.data, "html.parser"))
    assert not wrong, unlike_the_table(wrong, "the app's")


# ------------------------------------------------------------------------- the API's table


@pytest.fixture(scope="module")
def tokens(app, matrix):
    world, _ = matrix
    with app.app_context():
        secrets = {}
        for role in SIGNED_IN:
            secrets[role] = create_token(world.user(role), "Access matrix").secret
        db.session.commit()
    return {
        role: ApiClient(app.test_client(), secrets.get(role)) for role in ROLES
    }  # anonymous: no token


@pytest.mark.parametrize("endpoint", sorted(api_rows.TOKEN_ROWS))
def test_each_token_gets_the_tables_answer_on_each_kind_of_case(endpoint, matrix, tokens):
    world, _ = matrix
    method, values, body, answers = api_rows.TOKEN_ROWS[endpoint]
    reach = world.reach(values)
    wrong = {}
    for kind in world.kinds(reach):
        expected = answers.on(kind, reach)
        for role in ROLES:
            mine = world.url_values(kind, values)
            if values.get("result_id") == "fresh_result":
                mine["result_id"] = _fresh_result(world.values[kind]["parent"])
            url = url_for(endpoint, **mine)
            sent = {"json": body(world.values[kind], world.people)} if body else {}
            response = tokens[role].request(method, url, **sent)
            if response.status_code != expected[role]:
                wrong[role, kind] = (expected[role], response.status_code)
    assert not wrong, unlike_the_table(wrong, "the API's")


def _fresh_result(parent_id: int) -> int:
    from fdac.cases.models import Parent

    return factories.add_peth(db.session.get(Parent, parent_id)).id


def test_the_case_rules_read_as_the_decision_says():
    """docs/decisions/0031: how one row's answers on a case of their own become the others."""
    from tests.auth.route_rows import CASE, CASE_PEOPLE, CASE_READ, MANAGER_ONLY, TEAM

    other_team = CASE_READ.on("other_team", CASE)
    assert other_team == {ANON: 302, **dict.fromkeys(SIGNED_IN, 404)}
    assert CASE_READ.on("other_judge", CASE)["judge"] == 404
    assert CASE_READ.on("closed", CASE) == CASE_READ.own  # a closed case is read
    closed = CASE_PEOPLE.on("closed", CASE)  # and not changed
    assert (closed["team_manager"], closed["practitioner"], closed["admin"]) == (403, 403, 404)
    # A team's page refuses a role without the permission before looking anything up.
    assert MANAGER_ONLY.on("other_team", TEAM) == {**MANAGER_ONLY.own, "team_manager": 404}
    assert CASE_PEOPLE.but(closed={"team_manager": 200}).on("closed", CASE)["team_manager"] == 200
