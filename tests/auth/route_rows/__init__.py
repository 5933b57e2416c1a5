"""Rows of the route-by-role table, one module per area (gathered by test_routes_by_role.py).

A row: endpoint -> (method, url values, expected status per role). A url value names a key of
the `world` fixture ("case", "parent", "hearing", ...) or is used as it is.
An area module may define `world_values(team, case, judge, values) -> dict` to add objects.
"""

from fdac.auth.roles import Role

ANON = "anonymous"
ROLES = [ANON, *[r.value for r in Role]]


def _row(anonymous=302, admin=403, team_manager=403, practitioner=403, judge=403, lab=None):
    # A laboratory uses the API, not the pages: 403 unless a row says otherwise; like an admin
    # it reaches no case on the pages (404 where the admin's is); a route that answers
    # everyone alike (health, static files, a calendar feed) answers it alike too.
    if lab is None:
        alike = {anonymous, admin, team_manager, practitioner, judge}
        lab = anonymous if len(alike) == 1 else (404 if admin == 404 else 403)
    return {
        ANON: anonymous,
        "admin": admin,
        "team_manager": team_manager,
        "practitioner": practitioner,
        "judge": judge,
        "lab": lab,
    }


# Case pages: admins and labs see no case data (404: a case's existence is not revealed).
CASE_READ = _row(admin=404, team_manager=200, practitioner=200, judge=200, lab=404)
CASE_MANAGE = _row(admin=404, team_manager=200, lab=404)
CASE_PEOPLE = _row(admin=404, team_manager=200, practitioner=200, lab=404)
ADMIN_ONLY = _row(admin=200)
IMPORTERS = _row(team_manager=200, practitioner=200)
MANAGER_ONLY = _row(team_manager=200)
CALENDAR_READERS = _row(team_manager=200, practitioner=200, judge=200)
