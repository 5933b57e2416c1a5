"""Route rows: the programme-wide export for commissioners (team managers only)."""

from tests.auth.route_rows import MANAGER_ONLY

ROWS: dict = {
    "programme.index": ("GET", {}, MANAGER_ONLY),
    # No year: the page again, with the error (400), and nothing exported.
    "programme.download": ("GET", {}, {**MANAGER_ONLY, "team_manager": 400}),
}
