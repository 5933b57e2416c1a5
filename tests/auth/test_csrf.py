"""Every POST of the pages without a CSRF token is refused (400) and changes nothing, asked as
someone the route would otherwise accept; the API's POSTs are exempt from CSRF by design
(fdac/api/setup.py) because a session cookie never authenticates them (401).
"""

import pytest
from flask import url_for

from fdac.extensions import csrf, db
from tests.auth.route_rows import ANON, SIGNED_IN
from tests.auth.route_rows import api as api_rows
from tests.auth.route_rows.snapshot import changes, snapshot
from tests.auth.route_rows.world import ROUTES, shared

# Who asks each route: the first of these the table lets in (on a case of their own).
ASKERS = ("team_manager", "practitioner", "admin", "judge", "lab", ANON)


def _post_endpoints(app) -> list[str]:
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.endpoint.startswith("api.")
        }
    )


def _api_posts() -> list[str]:
    return sorted(e for e, (method, *_) in api_rows.TOKEN_ROWS.items() if method == "POST")


@pytest.fixture(autouse=True)
def _app_context(app):
    """Replaces conftest's: the module's world stays until the module is done."""
    with app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture(scope="module")
def world_and_clients(app):
    yield from shared(app)


def test_csrf_protection_is_on_in_the_tests_as_in_production(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


def test_every_page_post_is_in_the_table(app):
    assert set(_post_endpoints(app)) <= set(ROUTES)


def test_a_post_without_a_token_is_refused_and_changes_nothing(app, world_and_clients, monkeypatch):
    world, clients = world_and_clients
    refusals = _spy_on_csrf_refusals(monkeypatch)
    wrong = {}
    for endpoint in _post_endpoints(app):
        if endpoint not in ROUTES:
            continue  # test_every_page_post_is_in_the_table names it
        _, values, answers = ROUTES[endpoint]
        role = next((r for r in ASKERS if answers[r] in (200, 302)), "team_manager")
        url = url_for(endpoint, **world.url_values("own", values))
        before = snapshot()

        refusals.clear()
        response = clients[role].raw.post(url, data={"note": "forged"})
        response.close()

        changed = changes(before, snapshot())
        if response.status_code != 400 or refusals != [MISSING] or changed:
            wrong[endpoint] = (role, response.status_code, refusals[:], changed)
    assert not wrong, "endpoint: (asked as, status, CSRF refusals, tables changed)"


MISSING = "The CSRF token is missing."


def _spy_on_csrf_refusals(monkeypatch) -> list[str]:
    """The reasons Flask-WTF refuses requests for, as it refuses them (so the 400 is its)."""
    refusals = []
    refuse = csrf._error_response

    def spy(reason):
        refusals.append(reason)
        refuse(reason)

    monkeypatch.setattr(csrf, "_error_response", spy)
    return refusals


@pytest.mark.parametrize("endpoint", _api_posts())
@pytest.mark.parametrize("role", SIGNED_IN)
def test_a_session_cookie_alone_does_not_authenticate_an_api_post(
    endpoint, role, world_and_clients
):
    world, clients = world_and_clients
    method, values, body, _ = api_rows.TOKEN_ROWS[endpoint]
    mine = world.url_values("own", values)
    if values.get("result_id") == "fresh_result":
        mine["result_id"] = world.values["own"]["result"]
    before = snapshot()

    response = clients[role].raw.post(
        url_for(endpoint, **mine), json=body(world.values["own"], world.people)
    )
    response.close()

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert changes(before, snapshot()) == {}
