"""Route rows: the court set-up pages (team managers only, within their own team)."""

from tests.auth.route_rows import MANAGER_ONLY

ROWS: dict = {
    "court.index": ("GET", {}, MANAGER_ONLY),
    "court.new_sitting": ("GET", {}, MANAGER_ONLY),
    "court.edit_sitting": ("GET", {"sitting_id": "sitting"}, MANAGER_ONLY),
    "court.retire_sitting": ("GET", {"sitting_id": "sitting"}, MANAGER_ONLY),
    "court.new_absence": ("GET", {}, MANAGER_ONLY),
    "court.remove_absence": ("GET", {"absence_id": "absence"}, MANAGER_ONLY),
    "court.new_closure": ("GET", {}, MANAGER_ONLY),
    "court.remove_closure": ("GET", {"closure_id": "closure"}, MANAGER_ONLY),
}
