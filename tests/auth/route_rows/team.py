"""Route rows: a practitioner's caseload and the team's settings."""

from tests.auth.route_rows import MANAGER_ONLY, _row

ROWS: dict = {
    "caseload.index": ("GET", {}, _row(team_manager=200, practitioner=200)),
    "team.settings": ("GET", {}, MANAGER_ONLY),
    "team.targets": ("GET", {}, MANAGER_ONLY),
    "team.criteria": ("GET", {}, MANAGER_ONLY),
}
