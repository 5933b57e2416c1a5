"""Units as the API writes them: plain ASCII, fixed so integrations can rely on them.

The panels (testing_results/panels.py) carry the units as the pages show them; this is the
one table from those to the API's spelling.
"""

API_UNITS = {
    "µg/100mL": "ug/100mL",
    "ng/mL": "ng/mL",
    "ng/mg": "ng/mg",
    "pg/mg": "pg/mg",
    "mg/dL": "mg/dL",
}


def api_unit(display_unit: str) -> str:
    """The API's spelling of a unit the panels use (a KeyError names a unit missing here)."""
    return API_UNITS[display_unit]
