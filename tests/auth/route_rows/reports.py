"""Route rows: the judge's progress summary and other reports for the court."""

from tests.auth.route_rows import CASE_READ

ROWS: dict = {
    "reports.summary": ("GET", {"reference": "case"}, CASE_READ),
    # The exports: the same people as the page; each download is audited.
    "reports.summary_xlsx": ("GET", {"reference": "case"}, CASE_READ),
    "reports.summary_pdf": ("GET", {"reference": "case"}, CASE_READ),
}
