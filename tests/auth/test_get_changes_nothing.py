"""No GET changes anything: every GET route, asked with the world's values by each role the
access matrix answers 200 (pages with the session, the API with the role's token), leaves
every table as it was: the same rows, the same values.

The writes a read is meant to make are listed in route_rows/snapshot.py (GROWING, TOUCHED), each
with its reason; nothing else may change. The audit trail may only grow: a row already there is
never altered or removed.
"""

import pytest
from flask import url_for

from fdac.api.tokens import create_token
from fdac.extensions import db
from tests.api.conftest import ApiClient
from tests.auth.route_rows import SIGNED_IN
from tests.auth.route_rows import api as api_rows
from tests.auth.route_rows.asking import ask
from tests.auth.route_rows.snapshot import changes, snapshot
from tests.auth.route_rows.world import ROUTES, shared

PAGE_READS = sorted(
    e for e, (method, *_) in ROUTES.items() if method == "GET" and not e.startswith("api.")
)
API_READS = sorted(e for e, (method, *_) in api_rows.TOKEN_ROWS.items() if method == "GET")


@pytest.fixture(autouse=True)
def _app_context(app):
    """Replaces conftest's: the module's world stays until the module is done."""
    with app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture(scope="module")
def crawl(app):
    yield from shared(app)


@pytest.fixture(scope="module")
def tokens(app, crawl):
    world, _ = crawl
    with app.app_context():
        made = {role: create_token(world.user(role), "GET crawl") for role in SIGNED_IN}
        clients = {role: ApiClient(app.test_client(), m.secret) for role, m in made.items()}
        db.session.commit()
    return clients


@pytest.mark.parametrize("endpoint", PAGE_READS)
def test_reading_a_page_changes_nothing(endpoint, crawl):
    world, clients = crawl
    _, values, answers = ROUTES[endpoint]
    before = snapshot()
    asked = 0
    for kind in world.kinds(world.reach(values)):
        url = url_for(endpoint, **world.url_values(kind, values))
        for role, status in answers.on(kind, world.reach(values)).items():
            if status == 200:
                assert ask(clients[role], "GET", url).status_code == 200, (role, kind)
                asked += 1
    assert asked or endpoint in NOBODY_READS, "nobody reads it: nothing was proved"
    assert changes(before, snapshot()) == {}


@pytest.mark.parametrize("endpoint", API_READS)
def test_reading_the_api_changes_nothing(endpoint, crawl, tokens):
    world, _ = crawl
    _, values, _, answers = api_rows.TOKEN_ROWS[endpoint]
    reach = world.reach(values)
    before = snapshot()
    for kind in world.kinds(reach):
        url = url_for(endpoint, **world.url_values(kind, values))
        for role, status in answers.on(kind, reach).items():
            if status == 200:
                assert tokens[role].get(url).status_code == 200, (role, kind)
    assert changes(before, snapshot()) == {}


# GET routes no role is answered 200 by (a redirect or an error for everyone, by design).
NOBODY_READS = {"calendar.revoke_feed", "auth.two_factor_code", "auth.set_up_two_factor"}
