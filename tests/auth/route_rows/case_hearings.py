"""Route rows: a case's hearings, outcomes and the 26-week clock."""

from datetime import date

from tests import factories
from tests.auth.route_rows import CASE_MANAGE, CASE_PEOPLE, CASE_READ

CASE = {"reference": "case"}
HEARING = {"reference": "case", "hearing_id": "hearing"}  # an NLR on 4 January 2027, planned

ROWS: dict = {
    "hearings.index": ("GET", CASE, CASE_READ),
    "hearings.plan": ("GET", CASE, CASE_MANAGE),
    "hearings.book": ("GET", CASE, CASE_MANAGE),
    "hearings.extension": ("GET", CASE, CASE_MANAGE),
    "hearings.show": ("GET", HEARING, CASE_READ),
    "hearings.move": ("GET", HEARING, CASE_MANAGE),
    "hearings.cancel": ("GET", HEARING, CASE_MANAGE),
    # Outcomes are recorded from the day of the hearing: this one is in the past.
    "hearings.outcome": ("GET", {"reference": "case", "hearing_id": "past_hearing"}, CASE_PEOPLE),
}


def case_values(case, values) -> dict:
    return {"past_hearing": factories.add_hearing(case, date(2026, 6, 8)).id}
