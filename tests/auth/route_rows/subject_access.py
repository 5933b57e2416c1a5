"""Route rows: the subject access export of one parent (docs/decisions/0035)."""

from tests.auth.route_rows import _row

ROWS: dict = {
    # The manager of the team only, closed cases too (a read, audited); the POST is the
    # download, asked by tests/data_protection.
    "subject_access.export": (
        "GET",
        {"reference": "case", "parent_id": "parent"},
        _row(admin=404, team_manager=200, lab=404),
    ),
}
