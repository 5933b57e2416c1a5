"""Route rows: graduation on a case, the graduates' group, ceremonies, outcomes."""

from tests.auth.route_rows import CASE_READ, _row

ROWS: dict = {
    "graduations.index": ("GET", {"reference": "case"}, CASE_READ),
    "graduates.index": ("GET", {}, _row(team_manager=200, practitioner=200)),
}
