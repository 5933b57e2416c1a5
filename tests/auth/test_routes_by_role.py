"""Every route in the app, for every role: the answer each one gets.

A route added without a row here fails test_every_route_has_a_row, so nobody can ship a
page whose access was never decided.
"""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from tests import factories
from tests.auth.route_rows import (
    ADMIN_ONLY,
    ANON,
    CASE_MANAGE,
    CASE_PEOPLE,
    CASE_READ,
    IMPORTERS,
    ROLES,
    _row,
    api,
    calendar,
    case_hearings,
    contacts,
    court,
    court_documents,
    graduations,
    home,
    programme,
    reports,
    team,
)

AREAS = (
    court,
    case_hearings,
    calendar,
    home,
    contacts,
    team,
    graduations,
    reports,
    court_documents,
    programme,
    api,
)

# endpoint -> (method, url values, expected status per role)
ROUTES = {
    "home": (
        "GET",
        {},
        _row(admin=302, team_manager=302, practitioner=302, judge=302, lab=302),
    ),
    "auth.sign_in": (
        "GET",
        {},
        _row(anonymous=200, admin=302, team_manager=302, practitioner=302, judge=302, lab=302),
    ),
    "auth.sign_out": (
        "POST",
        {},
        _row(anonymous=302, admin=302, team_manager=302, practitioner=302, judge=302, lab=302),
    ),
    "auth.change_password": (
        "GET",
        {},
        _row(admin=200, team_manager=200, practitioner=200, judge=200, lab=200),
    ),
    "health.healthz": ("GET", {}, _row(200, 200, 200, 200, 200, 200)),
    "static": ("GET", {"filename": "app.css"}, _row(200, 200, 200, 200, 200, 200)),
    "cases.index": ("GET", {}, _row(team_manager=200, practitioner=200, judge=200)),
    "cases.new": ("GET", {}, _row(team_manager=200)),
    "cases.show": ("GET", {"reference": "case"}, CASE_READ),
    "cases.edit": ("GET", {"reference": "case"}, CASE_MANAGE),
    "cases.allocation": ("GET", {"reference": "case"}, CASE_MANAGE),
    "cases.phase": ("GET", {"reference": "case"}, CASE_MANAGE),
    "cases.history": ("GET", {"reference": "case"}, CASE_PEOPLE),
    "cases.new_parent": ("GET", {"reference": "case"}, CASE_PEOPLE),
    "cases.edit_parent": ("GET", {"reference": "case", "person_id": "parent"}, CASE_PEOPLE),
    "cases.new_child": ("GET", {"reference": "case"}, CASE_PEOPLE),
    "cases.edit_child": ("GET", {"reference": "case", "person_id": "child"}, CASE_PEOPLE),
    "results.parent": ("GET", {"reference": "case", "parent_id": "parent"}, CASE_READ),
    "results.result": (
        "GET",
        {"reference": "case", "parent_id": "parent", "result_id": "result"},
        CASE_READ,
    ),
    "results.new_screens": ("GET", {"reference": "case", "parent_id": "parent"}, CASE_PEOPLE),
    "results.new_peth": ("GET", {"reference": "case", "parent_id": "parent"}, CASE_PEOPLE),
    "results.new_hair": ("GET", {"reference": "case", "parent_id": "parent"}, CASE_PEOPLE),
    "results.new_lab_panel": (
        "GET",
        {"reference": "case", "parent_id": "parent", "matrix": "urine"},
        CASE_PEOPLE,
    ),
    "results.amend": (
        "GET",
        {"reference": "case", "parent_id": "parent", "result_id": "result"},
        CASE_PEOPLE,
    ),
    "results.new_prescription": (
        "GET",
        {"reference": "case", "parent_id": "parent"},
        CASE_PEOPLE,
    ),
    "results.edit_prescription": (
        "GET",
        {"reference": "case", "parent_id": "parent", "prescription_id": "prescription"},
        CASE_PEOPLE,
    ),
    "lab_imports.upload": ("GET", {}, IMPORTERS),
    "lab_imports.guide": ("GET", {}, IMPORTERS),
    "lab_imports.example": ("GET", {}, IMPORTERS),
    "users.index": ("GET", {}, ADMIN_ONLY),
    "users.new": ("GET", {}, ADMIN_ONLY),
    "users.edit": ("GET", {"user_id": "user"}, ADMIN_ONLY),
    "users.set_active": ("GET", {"user_id": "user", "change": "deactivate"}, ADMIN_ONLY),
    "users.reset_password": ("GET", {"user_id": "user"}, ADMIN_ONLY),
}
for area in AREAS:
    ROUTES.update(area.ROWS)


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES)


@pytest.fixture
def world(team):
    judge = factories.make_user("judge", team=team)
    case = factories.make_case(team, judge_id=judge.id)
    parent = factories.add_parent(case)
    values = {
        "judge": judge,
        "case": case.reference,
        "parent": parent.id,
        "result": factories.add_peth(parent).id,
        "prescription": factories.add_prescription(parent).id,
        "child": factories.add_child(case).id,
        "user": factories.make_user("practitioner", team=team).id,
        "sitting": factories.make_sitting(team, judge).id,
        "hearing": factories.add_hearing(case, date(2027, 1, 4)).id,
        "absence": factories.add_absence(team, judge, date(2027, 2, 1), date(2027, 2, 5)).id,
        "closure": factories.add_closure(team, date(2027, 1, 18)).id,
    }
    for area in AREAS:
        if hasattr(area, "world_values"):
            values.update(area.world_values(team, case, judge, values))
    return values


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_answers_each_role_as_intended(endpoint, role, world, signed_in, client):
    method, values, expected = ROUTES[endpoint]
    if role == ANON:
        who = client
    elif role == "judge":
        who = signed_in(world["judge"])  # the judge allocated to the case
    else:
        who = signed_in(role)
    url = url_for(endpoint, **{k: world.get(v, v) for k, v in values.items()})

    if method == "GET":
        response = who.raw.get(url)
    else:
        # Every page a person lands on carries the session's token (the sign-out form has it).
        landing = who.raw.get(url_for("auth.sign_in"), follow_redirects=True)
        field = BeautifulSoup(landing.data, "html.parser").select_one("input[name=csrf_token]")
        response = who.raw.post(url, data={"csrf_token": field["value"]})
    response.close()

    assert response.status_code == expected[role]
    if role == ANON and expected[role] == 302 and endpoint != "auth.sign_out":
        assert response.location.startswith(url_for("auth.sign_in", _external=False))
    if response.status_code != 302 and response.mimetype == "text/html":
        _check_page_basics(BeautifulSoup(response.data, "html.parser"))


def _check_page_basics(page) -> None:
    """Every page has a real title and one h1, and no id twice (labels and links rely on ids)."""
    assert page.title.get_text(strip=True).endswith("– FDAC Manager")
    assert len(page.select("h1")) == 1
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
