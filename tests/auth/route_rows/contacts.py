"""Route rows: a case's contacts, compliance and contact target."""

from tests.auth.route_rows import CASE_READ

ROWS: dict = {
    "contacts.index": ("GET", {"reference": "case"}, CASE_READ),
}
