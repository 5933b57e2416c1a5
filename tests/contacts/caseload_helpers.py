"""Contacts stored as the services store them, for the caseload and contact-flag tests."""

from datetime import UTC, date, datetime, time

from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.extensions import db

TODAY = date(2027, 3, 10)  # a Wednesday: this week began on Monday 8 March


def add_contact(parent, day: date, outcome: str = "attended", at: time = time(10)) -> Contact:
    contact = Contact(
        case_id=parent.case_id,
        parent_id=parent.id,
        at=datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC),
        kind=ContactKind.HOME_VISIT,
        outcome=ContactOutcome(outcome),
        minutes=60,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def add_contacts(parent, *days: date, outcome: str = "attended") -> None:
    for day in days:
        add_contact(parent, day, outcome)
