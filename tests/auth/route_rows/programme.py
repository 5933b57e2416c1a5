"""Route rows: the programme-wide export for commissioners (team managers only)."""

from tests.auth.route_rows import MANAGER_ONLY

ROWS: dict = {
    "programme.index": ("GET", {}, MANAGER_ONLY),
    # A year of the team's cases: the workbook (its export is audited).
    "programme.download": ("GET", {"year": 2026}, MANAGER_ONLY),
}
