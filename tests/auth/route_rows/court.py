"""Route rows: the court set-up pages."""

from tests.auth.route_rows import MANAGER_ONLY

ROWS: dict = {
    "court.index": ("GET", {}, MANAGER_ONLY),
}
