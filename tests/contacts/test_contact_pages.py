"""A case's contact pages: record and correct contacts, compliance on the case page and the
contacts page, tests entered from a contact, and the case's own contact target."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from fdac.cases.phases import Phase
from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.contacts.models import CaseContactTarget, Contact
from fdac.extensions import db
from testing_results.models import TestResult
from tests import factories
from tests.conftest import error_summary

# Wednesday 31 March 2027, 1pm in London (British Summer Time began on Sunday 28 March).
NOW = datetime(2027, 3, 31, 12, 0, tzinfo=UTC)
TODAY = date(2027, 3, 31)
MONDAY = date(2027, 3, 29)
FUTURE = "The date and time of the contact must be in the past"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr("fdac.contacts.views.london_today", lambda: TODAY)
    monkeypatch.setattr("fdac.contacts.views.utc_now", lambda: NOW)
    monkeypatch.setattr("fdac.cases.views.london_today", lambda: TODAY)
    monkeypatch.setattr("testing_results.views.london_today", lambda: TODAY)


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


@pytest.fixture
def case(team, judge):
    case = factories.make_case(team, judge_id=judge.id, entered_on=date(2027, 1, 4))
    factories.add_parent(case, "Kelly Ashworth")
    factories.add_parent(case, "Dean Ashworth")
    return case


@pytest.fixture
def kelly(case):
    return case.parents[0]


@pytest.fixture
def worker(signed_in, team):
    return signed_in(factories.make_user("practitioner", team=team, name="Sam Keyworker"))


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _form(parent, who, day=date(2027, 3, 30), at="10:00am", **fields) -> dict:
    data = {
        "parent_id": str(parent.id),
        "day": _date(day),
        "at_time": at,
        "practitioner_ids": [str(u.id) for u in who],
        "kind": "home_visit",
        "minutes": "45",
        "outcome": "attended",
        "note": "",
    }
    data.update(fields)
    return data


def _count(model=Contact) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _text(tag) -> str:
    return tag.get_text(" ", strip=True)


def add_contact(parent, day: date, outcome="attended", hour=10, who=()):
    """A contact stored as the service stores it: 10am London time on `day`."""
    from fdac.contacts.services import london_instant

    contact = Contact(
        case_id=parent.case_id,
        parent_id=parent.id,
        at=london_instant(day, datetime(2000, 1, 1, hour).time()),
        kind=ContactKind.OFFICE,
        outcome=ContactOutcome(outcome),
        minutes=30,
    )
    contact.practitioners = list(who)
    db.session.add(contact)
    db.session.commit()
    return contact


def _compliance_row(page, parent_name) -> list[str]:
    for row in page.select("#contact-compliance tbody tr"):
        if row.th.get_text(strip=True) == parent_name:
            return [_text(cell) for cell in row.select("td")]
    raise AssertionError(f"no compliance row for {parent_name}")


# --- Recording --------------------------------------------------------------------------------


def test_worker_records_a_contact_stored_as_utc_and_shown_in_london_time(worker, case, kelly):
    page = worker.post(
        "contacts.new",
        _form(kelly, [worker.user], note="Kitchen tidy; talked about the IPM"),
        reference=case.reference,
        _follow=True,
        _expected_status=200,
    )

    contact = db.session.scalar(select(Contact))
    assert contact.at == datetime(2027, 3, 30, 9, 0, tzinfo=UTC)  # 10am BST
    assert contact.day == date(2027, 3, 30)
    assert [u.name for u in contact.practitioners] == ["Sam Keyworker"]
    assert contact.recorded_by_id == worker.user.id
    banner = _text(page.select_one(".govuk-notification-banner"))
    assert "Contact with Kelly Ashworth recorded" in banner
    details = _text(page.select_one(".govuk-summary-list"))
    assert "30 March 2027 at 10:00am" in details
    assert "Home visit" in details and "45 minutes" in details and "Attended" in details
    assert "Every change is kept in the case history" in _text(page)
    link = page.find("a", string="Enter tests taken at this contact")
    assert f"contact={contact.id}" in link["href"]


def test_the_form_starts_with_today_and_the_signed_in_person(worker, case):
    page = worker.get("contacts.new", reference=case.reference)
    boxes = [int(page.select_one(f"#day-{p}")["value"]) for p in ("day", "month", "year")]
    assert boxes == [TODAY.day, TODAY.month, TODAY.year]
    ticked = [box["value"] for box in page.select("input[name=practitioner_ids][checked]")]
    assert ticked == [str(worker.user.id)]


def test_a_joint_visit_names_two_practitioners(worker, case, kelly, team):
    colleague = factories.make_user("team_manager", team=team, name="Alex Manager")
    worker.post(
        "contacts.new",
        _form(kelly, [worker.user, colleague], kind="joint_visit"),
        reference=case.reference,
    )
    contact = db.session.scalar(select(Contact))
    assert [u.name for u in contact.practitioners] == ["Alex Manager", "Sam Keyworker"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day": date(2027, 4, 1)}, FUTURE),
        ({"day": TODAY, "at_time": "2pm"}, FUTURE),  # 1pm now in London
        ({"minutes": "0"}, "Enter a length from 1 minute to 12 hours"),
        ({"minutes": "721"}, "Enter a length from 1 minute to 12 hours"),
        ({"practitioner_ids": []}, "Select at least one practitioner"),
        ({"at_time": "25:00"}, "Enter the time of the contact as a time, like 10:30am or 2pm"),
    ],
)
def test_bad_contacts_are_refused_naming_the_field_and_nothing_saved(
    worker, case, kelly, change, message
):
    page = worker.post(
        "contacts.new",
        _form(kelly, [worker.user], **change),
        reference=case.reference,
        _expected_status=200,
    )
    assert message in error_summary(page)
    assert _count() == 0


def test_the_error_names_its_field(worker, case, kelly):
    page = worker.post(
        "contacts.new",
        _form(kelly, [worker.user], minutes="721"),
        reference=case.reference,
        _expected_status=200,
    )
    link = page.select_one(".govuk-error-summary a")
    assert link["href"] == "#minutes"
    assert "Enter a length from 1 minute to 12 hours" in _text(page.select_one("#minutes-error"))


def test_a_parent_of_another_case_is_refused(worker, case, team):
    other = factories.make_case(team)
    stranger = factories.add_parent(other, "Someone Else")
    page = worker.post(
        "contacts.new",
        _form(stranger, [worker.user]),
        reference=case.reference,
        _expected_status=200,
    )
    assert error_summary(page) == ["Select a parent of this family"]
    assert _count() == 0


def test_someone_from_another_team_cannot_be_named(worker, case, kelly):
    outsider = factories.make_user("practitioner", name="Other Team Worker")
    page = worker.post(
        "contacts.new", _form(kelly, [outsider]), reference=case.reference, _expected_status=200
    )
    assert error_summary(page) == ["Select practitioners from this team's list"]
    assert _count() == 0


# --- Compliance -------------------------------------------------------------------------------


def test_a_missed_contact_shows_on_the_case_page_and_lowers_the_week(worker, case, kelly):
    add_contact(kelly, MONDAY - timedelta(days=2))  # Saturday, the week before
    contact = add_contact(kelly, MONDAY)
    page = worker.get("cases.show", reference=case.reference)
    assert _compliance_row(page, "Kelly Ashworth") == ["1 of 2", "1 of 8 (13%)", "0", "2 days"]
    assert _compliance_row(page, "Dean Ashworth")[3] == "No attended contact yet"

    # The keyworker corrects it: Kelly did not come.
    worker.post(
        "contacts.edit",
        _form(kelly, [worker.user], day=MONDAY, outcome="did_not_attend"),
        reference=case.reference,
        contact_id=contact.id,
    )
    page = worker.get("cases.show", reference=case.reference)
    assert _compliance_row(page, "Kelly Ashworth") == ["0 of 2", "1 of 8 (13%)", "1", "4 days"]
    link = page.find("a", string="Contacts and compliance")
    assert link["href"].endswith(f"/cases/{case.reference}/contacts")
    # The last 12 weeks, newest first, are on the case page too (folded away).
    weeks = page.select(f"#weeks-{kelly.id} tbody tr")
    assert len(weeks) == 12
    assert [td.get_text(strip=True) for td in weeks[0].select("td")][:3] == ["2", "0", "1"]


def test_a_contact_the_team_cancelled_does_not_count_against_the_parent(worker, case, kelly):
    add_contact(kelly, MONDAY, "cancelled_by_team")
    page = worker.get("cases.show", reference=case.reference)
    assert _compliance_row(page, "Kelly Ashworth")[2] == "0"

    add_contact(kelly, MONDAY + timedelta(days=1), "cancelled_by_parent")
    page = worker.get("cases.show", reference=case.reference)
    assert _compliance_row(page, "Kelly Ashworth")[2] == "1"


def test_the_contacts_page_shows_each_week_against_the_target(worker, case, kelly):
    add_contact(kelly, MONDAY - timedelta(days=7))
    add_contact(kelly, MONDAY - timedelta(days=6))
    add_contact(kelly, MONDAY - timedelta(days=5), "did_not_attend")
    add_contact(kelly, MONDAY)
    page = worker.get("contacts.index", reference=case.reference)

    table = page.select_one(f"#weeks-{kelly.id}")
    assert "Kelly Ashworth" in _text(table.caption)
    rows = [[_text(c) for c in row.select("th, td")] for row in table.select("tbody tr")]
    assert rows[0] == ["29 March 2027 (so far)", "2", "1", "0", "Not met yet"]
    assert rows[1] == ["22 March 2027", "2", "2", "1", "Met"]
    assert rows[2] == ["15 March 2027", "2", "0", "0", "Not met"]
    assert len(rows) == 12


def test_contacts_list_newest_first_with_filters(worker, case, kelly):
    dean = case.parents[1]
    add_contact(kelly, MONDAY - timedelta(days=3), who=[worker.user])
    add_contact(dean, MONDAY, "did_not_attend")
    page = worker.get("contacts.index", reference=case.reference)
    rows = page.select("#contacts-table tbody tr")
    assert [_text(r.select("td")[1]) for r in rows] == ["Dean Ashworth", "Kelly Ashworth"]
    assert _text(rows[1].select("td")[0]).startswith("26 March 2027 at 10:00am")
    assert _text(rows[1].select("td")[5]) == "Sam Keyworker"

    only_missed = worker.get("contacts.index", reference=case.reference, outcome="did_not_attend")
    assert [_text(r.select("td")[1]) for r in only_missed.select("#contacts-table tbody tr")] == [
        "Dean Ashworth"
    ]
    only_kelly = worker.get("contacts.index", reference=case.reference, parent=kelly.id)
    assert len(only_kelly.select("#contacts-table tbody tr")) == 1
    nothing = worker.get(
        "contacts.index", reference=case.reference, parent=kelly.id, outcome="cancelled_by_team"
    )
    assert "No contacts match these filters" in _text(nothing.select_one("#no-contacts"))


def test_a_case_without_contacts_says_so(worker, case):
    page = worker.get("contacts.index", reference=case.reference)
    assert _text(page.select_one("#no-contacts")) == "No contacts recorded yet."
    assert page.find("a", string="Record a contact") is not None


def test_the_contacts_list_costs_the_same_queries_for_one_contact_or_a_page(worker, case, kelly):
    add_contact(kelly, MONDAY, who=[worker.user])
    one = count_queries(worker, "contacts.index", reference=case.reference)
    for n in range(1, 30):
        add_contact(case.parents[n % 2], MONDAY - timedelta(days=n), who=[worker.user])
    assert count_queries(worker, "contacts.index", reference=case.reference) == one
    page = worker.get("contacts.index", reference=case.reference)
    assert len(page.select("#contacts-table tbody tr")) == 25


def count_queries(client, endpoint, **values) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get(endpoint, **values)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


# --- Correcting -------------------------------------------------------------------------------


def test_the_change_form_shows_london_time_and_corrects_in_place(worker, case, kelly):
    contact = add_contact(kelly, MONDAY, hour=14)
    page = worker.get("contacts.edit", reference=case.reference, contact_id=contact.id)
    assert page.select_one("#at_time")["value"] == "2:00pm"

    worker.post(
        "contacts.edit",
        _form(kelly, [worker.user], day=MONDAY, at="2:30pm", minutes="90"),
        reference=case.reference,
        contact_id=contact.id,
    )
    assert _count() == 1
    db.session.refresh(contact)
    assert contact.at == datetime(2027, 3, 29, 13, 30, tzinfo=UTC)
    assert contact.minutes == 90


# --- Tests taken at a contact -----------------------------------------------------------------


def test_screens_entered_from_a_contact_link_to_it(worker, case, kelly):
    contact = add_contact(kelly, MONDAY - timedelta(days=1))
    values = {"reference": case.reference, "parent_id": kelly.id, "contact": contact.id}
    form = worker.get("results.new_screens", **values)
    boxes = [int(form.select_one(f"#collected_on-{p}")["value"]) for p in ("day", "month", "year")]
    assert boxes == [28, 3, 2027]  # the day of the contact, not today

    worker.post(
        "results.new_screens",
        {
            "collected_on": _date(MONDAY - timedelta(days=1)),
            "observed": "yes",
            "note": "",
            "breath_status": "result",
            "breath_value": "0",
        },
        **values,
    )
    result = db.session.scalar(select(TestResult))
    assert result.contact_id == contact.id
    page = worker.get("contacts.show", reference=case.reference, contact_id=contact.id)
    assert "Breath" in _text(page.select_one("#tests + table"))


def test_a_contact_of_another_parent_is_not_linked(worker, case, kelly):
    dean_contact = add_contact(case.parents[1], MONDAY)
    worker.post(
        "results.new_screens",
        {
            "collected_on": _date(MONDAY),
            "observed": "yes",
            "breath_status": "result",
            "breath_value": "0",
        },
        reference=case.reference,
        parent_id=kelly.id,
        contact=dean_contact.id,
    )
    assert db.session.scalar(select(TestResult.contact_id)) is None


# --- Who may do what --------------------------------------------------------------------------


def test_a_judge_sees_compliance_but_cannot_record(signed_in, judge, case, kelly):
    contact = add_contact(kelly, MONDAY)
    client = signed_in(judge)
    page = client.get("cases.show", reference=case.reference)
    assert _compliance_row(page, "Kelly Ashworth")[0] == "1 of 2"
    assert page.find("a", string="Record a contact") is None

    index = client.get("contacts.index", reference=case.reference)
    assert index.find("a", string="Record a contact") is None
    assert index.find("a", string="Change") is None
    shown = client.get("contacts.show", reference=case.reference, contact_id=contact.id)
    assert shown.find("a", string="Enter tests taken at this contact") is None
    client.get("contacts.new", reference=case.reference, _expected_status=403)
    client.get(
        "contacts.edit", reference=case.reference, contact_id=contact.id, _expected_status=403
    )


def test_a_closed_case_refuses_new_contacts(signed_in, team):
    closed = factories.make_case(team, phase=Phase.CLOSED)
    factories.add_parent(closed)
    manager = signed_in("team_manager")
    manager.get("contacts.new", reference=closed.reference, _expected_status=403)
    manager.post("contacts.new", {}, reference=closed.reference, _expected_status=403)
    page = manager.get("contacts.index", reference=closed.reference)
    assert page.find("a", string="Record a contact") is None


def test_another_teams_case_and_contacts_are_not_found(worker, kelly, case):
    other_team = factories.make_team()
    elsewhere = factories.make_case(other_team)
    their_contact = add_contact(factories.add_parent(elsewhere), MONDAY)
    worker.get("contacts.index", reference=elsewhere.reference, _expected_status=404)
    worker.get(
        "contacts.show",
        reference=elsewhere.reference,
        contact_id=their_contact.id,
        _expected_status=404,
    )
    # Their contact through our case's address is not found either.
    worker.get(
        "contacts.show", reference=case.reference, contact_id=their_contact.id, _expected_status=404
    )


# --- The case's own target --------------------------------------------------------------------


def test_a_manager_sets_the_cases_own_target_and_the_weeks_follow_it(signed_in, case, kelly):
    manager = signed_in("team_manager")
    add_contact(kelly, MONDAY)
    manager.post(
        "contacts.target",
        {"phase": "trial_for_change", "per_week": "3", "reason": "Newborn at home"},
        reference=case.reference,
    )
    target = db.session.scalar(select(CaseContactTarget))
    assert (target.per_week, target.reason) == (3, "Newborn at home")
    assert target.set_by_id == manager.user.id

    page = manager.get("contacts.index", reference=case.reference)
    first = page.select_one(f"#weeks-{kelly.id} tbody tr")
    assert [_text(c) for c in first.select("th, td")][:3] == ["29 March 2027 (so far)", "3", "1"]
    assert "Newborn at home" in _text(page.select_one("#contact-target + table"))
    case_page = manager.get("cases.show", reference=case.reference)
    assert _compliance_row(case_page, "Kelly Ashworth")[0] == "1 of 3"

    # Setting it again changes the one row.
    manager.post(
        "contacts.target",
        {"phase": "trial_for_change", "per_week": "4", "reason": "Baby due home"},
        reference=case.reference,
    )
    assert _count(CaseContactTarget) == 1

    confirm = manager.get(
        "contacts.remove_target", reference=case.reference, phase="trial_for_change"
    )
    assert "The team's target is 2 a week" in _text(confirm)
    manager.post("contacts.remove_target", {}, reference=case.reference, phase="trial_for_change")
    assert _count(CaseContactTarget) == 0
    page = manager.get("contacts.index", reference=case.reference)
    assert _text(page.select_one(f"#weeks-{kelly.id} tbody tr td")) == "2"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"per_week": "15"}, "Enter a target from 0 to 14 contacts a week"),
        ({"reason": ""}, "Enter the reason this case needs its own target"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_saved(signed_in, case, change, message):
    manager = signed_in("team_manager")
    data = {"phase": "trial_for_change", "per_week": "3", "reason": "Newborn at home", **change}
    page = manager.post("contacts.target", data, reference=case.reference, _expected_status=200)
    assert message in error_summary(page)
    assert _count(CaseContactTarget) == 0


def test_practitioners_cannot_set_the_target(worker, case):
    worker.get("contacts.target", reference=case.reference, _expected_status=403)
    page = worker.get("contacts.index", reference=case.reference)
    assert page.find("a", string="Change") is None
