"""Route rows: signing in and out, health, static files, cases and their people, test results,
the lab file import and the users' pages."""

from tests.auth.route_rows import (
    ADMIN_ONLY,
    CASE_MANAGE,
    CASE_PEOPLE,
    CASE_READ,
    IMPORTERS,
    _row,
)

EVERYONE = _row(admin=200, team_manager=200, practitioner=200, judge=200, lab=200)
CASE = {"reference": "case"}
PARENT = {"reference": "case", "parent_id": "parent"}
RESULT = PARENT | {"result_id": "result"}

ROWS: dict = {
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
    "auth.change_password": ("GET", {}, EVERYONE),
    # Half-way through signing in only: anyone else is sent on (to sign in, or home).
    "auth.two_factor_code": ("GET", {}, _row(302, 302, 302, 302, 302, 302)),
    "auth.set_up_two_factor": ("GET", {}, _row(302, 302, 302, 302, 302, 302)),
    "auth.two_factor_account": ("GET", {}, EVERYONE),
    "auth.reset_two_factor": ("GET", {"user_id": "user"}, ADMIN_ONLY),
    "health.healthz": ("GET", {}, _row(200, 200, 200, 200, 200, 200)),
    "static": ("GET", {"filename": "app.css"}, _row(200, 200, 200, 200, 200, 200)),
    "cases.index": ("GET", {}, _row(team_manager=200, practitioner=200, judge=200)),
    "cases.new": ("GET", {}, _row(team_manager=200)),
    "cases.show": ("GET", CASE, CASE_READ),
    "cases.edit": ("GET", CASE, CASE_MANAGE),
    "cases.allocation": ("GET", CASE, CASE_MANAGE),
    "cases.phase": ("GET", CASE, CASE_MANAGE),
    # The history is read, closed or not; only the team's own people read it.
    "cases.history": ("GET", CASE, CASE_PEOPLE.but(writes=False)),
    "cases.new_parent": ("GET", CASE, CASE_PEOPLE),
    "cases.edit_parent": ("GET", CASE | {"person_id": "parent"}, CASE_PEOPLE),
    "cases.new_child": ("GET", CASE, CASE_PEOPLE),
    "cases.edit_child": ("GET", CASE | {"person_id": "child"}, CASE_PEOPLE),
    "results.parent": ("GET", PARENT, CASE_READ),
    "results.result": ("GET", RESULT, CASE_READ),
    "results.new_screens": ("GET", PARENT, CASE_PEOPLE),
    "results.new_peth": ("GET", PARENT, CASE_PEOPLE),
    "results.new_hair": ("GET", PARENT, CASE_PEOPLE),
    "results.new_lab_panel": ("GET", PARENT | {"matrix": "urine"}, CASE_PEOPLE),
    "results.amend": ("GET", RESULT, CASE_PEOPLE),
    "results.new_prescription": ("GET", PARENT, CASE_PEOPLE),
    "results.edit_prescription": (
        "GET",
        PARENT | {"prescription_id": "prescription"},
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
    "users.end_sessions": ("GET", {"user_id": "user"}, ADMIN_ONLY),
}
