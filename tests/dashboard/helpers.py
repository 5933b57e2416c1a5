"""Seeding for the dashboard tests: tests and contacts as the services store them."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

from bs4 import BeautifulSoup

from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.extensions import db
from testing_results.interpret import Status
from testing_results.models import Method, TestResult
from testing_results.panels import Matrix

# A Wednesday in British Summer Time: the week runs Monday 7 June to Sunday 13 June 2027, and
# London midnight is 11pm UTC the day before, so a UTC week would be wrong at both ends.
TODAY = date(2027, 6, 9)


def add_test(parent, day: date, status: str = "result", **fields) -> TestResult:
    """A breath test reading 0 (or a test that did not happen) collected on `day`."""
    matrix = fields.setdefault("matrix", Matrix.BREATH)
    if matrix is Matrix.BREATH and status == "result":
        fields.setdefault("value", Decimal("0"))
    result = TestResult(
        case_id=parent.case_id,
        parent_id=parent.id,
        matrix=fields.pop("matrix", Matrix.BREATH),
        method=fields.pop("method", Method.POINT_OF_CARE),
        collected_on=day,
        status=Status(status),
        **fields,
    )
    db.session.add(result)
    db.session.commit()
    return result


def add_contact(parent, day: date, at: time = time(10), outcome: str = "attended") -> Contact:
    """A contact at `at` London wall-clock time on `day`."""
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


def follow(client, href: str) -> BeautifulSoup:
    """Open a link as a browser would and return the page."""
    response = client.raw.get(href)
    assert response.status_code == 200, (href, response.status_code)
    return BeautifulSoup(response.data, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def set_today(monkeypatch, today: date = TODAY) -> None:
    """The dashboard and its lists read london_today(); the tests fix it."""
    monkeypatch.setattr("fdac.home.london_today", lambda: today)
    monkeypatch.setattr("fdac.dashboard.views.london_today", lambda: today)
