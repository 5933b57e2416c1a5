"""Route rows: a case's hearings, outcomes and the 26-week clock."""

from tests.auth.route_rows import CASE_READ

ROWS: dict = {
    "hearings.index": ("GET", {"reference": "case"}, CASE_READ),
}
