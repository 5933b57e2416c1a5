"""Route rows: a case's contacts and compliance, a practitioner's caseload, team settings."""

from tests.auth.route_rows import CASE_READ, MANAGER_ONLY, _row

ROWS: dict = {
    "contacts.index": ("GET", {"reference": "case"}, CASE_READ),
    "caseload.index": ("GET", {}, _row(team_manager=200, practitioner=200)),
    "team.settings": ("GET", {}, MANAGER_ONLY),
}
