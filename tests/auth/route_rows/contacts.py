"""Route rows: a case's contacts, compliance and contact target."""

from datetime import UTC, datetime

from fdac.cases.phases import Phase
from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.contacts.models import CaseContactTarget, Contact
from fdac.extensions import db
from tests.auth.route_rows import CASE_MANAGE, CASE_PEOPLE, CASE_READ

CASE = {"reference": "case"}
CONTACT = {"reference": "case", "contact_id": "contact"}

ROWS: dict = {
    "contacts.index": ("GET", CASE, CASE_READ),
    "contacts.new": ("GET", CASE, CASE_PEOPLE),
    "contacts.show": ("GET", CONTACT, CASE_READ),
    "contacts.edit": ("GET", CONTACT, CASE_PEOPLE),
    "contacts.target": ("GET", CASE, CASE_MANAGE),
    # The case has its own target for the trial for change (see world_values).
    "contacts.remove_target": (
        "GET",
        {"reference": "case", "phase": "trial_for_change"},
        CASE_MANAGE,
    ),
}


def case_values(case, values) -> dict:
    contact = Contact(
        case_id=case.id,
        parent_id=values["parent"],
        at=datetime(2026, 6, 3, 9, 30, tzinfo=UTC),
        kind=ContactKind.HOME_VISIT,
        outcome=ContactOutcome.ATTENDED,
        minutes=60,
    )
    db.session.add(contact)
    db.session.add(
        CaseContactTarget(
            case_id=case.id, phase=Phase.TRIAL_FOR_CHANGE, per_week=3, reason="Newborn at home"
        )
    )
    db.session.commit()
    return {"contact": contact.id}
