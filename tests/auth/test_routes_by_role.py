"""Every route in the app has a row in the access matrix (tests/auth/route_rows/), and every
API endpoint a row in the API's table: a route added without one fails here, so nobody can
ship a page whose access was never decided.

The rows that change things (page POSTs) are asked here, each role on a fresh world, so one
role's accepted change does not alter what the next is answered; the reads are asked on one
shared world in test_access_matrix.py.
"""

import pytest
from flask import url_for

from tests.auth.route_rows import ANON, ROLES
from tests.auth.route_rows import api as api_rows
from tests.auth.route_rows.asking import ask, unlike_the_table
from tests.auth.route_rows.world import ROUTES, build

CHANGING_ROWS = sorted(
    e for e, (method, *_) in ROUTES.items() if method == "POST" and not e.startswith("api.")
)


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES)


def test_every_api_endpoint_has_a_row_in_the_apis_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("api.")} == set(api_rows.TOKEN_ROWS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", CHANGING_ROWS)
def test_a_change_answers_each_role_on_each_kind_of_case(endpoint, role, client, signed_in):
    world = build()
    who = client if role == ANON else signed_in(world.user(role))
    method, values, answers = ROUTES[endpoint]
    reach = world.reach(values)
    wrong = {}
    for kind in world.kinds(reach):  # each kind's things are its own: one change each
        response = ask(who, method, url_for(endpoint, **world.url_values(kind, values)))
        expected = answers.on(kind, reach)[role]
        if response.status_code != expected:
            wrong[role, kind] = (expected, response.status_code)
    assert not wrong, unlike_the_table(wrong, "the app's")
