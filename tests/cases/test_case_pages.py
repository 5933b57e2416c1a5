from datetime import timedelta

from sqlalchemy import func, select

from fdac.audit.models import AuditEvent
from fdac.cases.models import Case, Child, Parent
from fdac.cases.phases import Outcome, Phase
from fdac.dates import london_today
from fdac.extensions import db
from tests import factories
from tests.conftest import error_summary


def _case_form(**overrides):
    data = {
        "reference": "FDAC-2026-0042",
        "court_case_number": "zw26 c00123",
        "local_authority": "Riverside Borough Council",
        "issued_on": ["3", "3", "2026"],
        "entered_on": ["10", "3", "2026"],
        "keyworker_id": "",
        "judge_id": "",
    }
    data.update(overrides)
    return data


def test_manager_creates_a_case_and_sees_it_in_the_list(signed_in, team):
    manager = signed_in("team_manager")
    keyworker = factories.make_user("practitioner", team=team, name="Priya Shah")
    judge = factories.make_user("judge", team=team, name="HHJ Marsh")

    response = manager.post(
        "cases.new", _case_form(keyworker_id=str(keyworker.id), judge_id=str(judge.id))
    )

    case = db.session.scalar(select(Case))
    assert response.location.endswith("/cases/FDAC-2026-0042")
    assert case.court_case_number == "ZW26C00123"  # typed loosely, stored in one form
    assert case.phase is Phase.REFERRAL
    assert (case.keyworker, case.judge) == (keyworker, judge)
    rows = manager.get("cases.index").select("tbody tr")
    assert [r.select_one("a").get_text() for r in rows] == ["FDAC-2026-0042"]
    assert "Priya Shah" in rows[0].get_text()


def test_new_case_form_suggests_the_next_reference(signed_in, team):
    year = london_today().year
    factories.make_case(team, reference=f"FDAC-{year}-0007")
    page = signed_in("team_manager").get("cases.new")
    assert page.select_one("#reference")["value"] == f"FDAC-{year}-0008"


def test_case_without_reference_is_refused_and_nothing_saved(signed_in):
    page = signed_in("team_manager").post(
        "cases.new", _case_form(reference=""), _expected_status=200
    )
    assert error_summary(page) == ["Enter the FDAC reference"]
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert page.title.get_text().startswith("Error:")


def test_duplicate_court_number_is_refused_naming_the_field(signed_in, team):
    factories.make_case(team, court_case_number="ZW26C00123")
    page = signed_in("team_manager").post("cases.new", _case_form(), _expected_status=200)
    assert error_summary(page) == ["Another case already has the court number ZW26C00123"]
    assert page.select_one(".govuk-error-summary a")["href"] == "#court_case_number"
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_malformed_court_number_and_impossible_date_are_refused(signed_in):
    page = signed_in("team_manager").post(
        "cases.new",
        _case_form(court_case_number="12345", entered_on=["31", "2", "2026"]),
        _expected_status=200,
    )
    assert error_summary(page) == [
        "Enter the court case number like ZW26C00123",
        "Date the family entered FDAC must be a real date",
    ]


def test_child_born_in_the_future_is_refused_and_nothing_saved(signed_in, team):
    case = factories.make_case(team)
    tomorrow = london_today() + timedelta(days=1)
    page = signed_in("team_manager").post(
        "cases.new_child",
        {
            "name": "Baby Ashworth",
            "date_of_birth": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
            "lives_with": "foster_care",
            "legal_status": "interim_care_order",
        },
        _expected_status=200,
        reference=case.reference,
    )
    assert error_summary(page) == ["Date of birth must be today or in the past"]
    assert db.session.scalar(select(func.count(Child.id))) == 0


def test_practitioner_adds_a_parent_and_a_child_shown_on_the_case_page(signed_in, team):
    case = factories.make_case(team)
    worker = signed_in("practitioner")
    worker.post(
        "cases.new_parent",
        {
            "name": "Kelly Ashworth",
            "date_of_birth": ["27", "3", "1994"],
            "relationship_to_children": "mother",
        },
        reference=case.reference,
    )
    worker.post(
        "cases.new_child",
        {
            "name": "Alfie Ashworth",
            "date_of_birth": ["1", "5", "2022"],
            "lives_with": "foster_care",
            "legal_status": "interim_care_order",
        },
        reference=case.reference,
    )
    page = worker.get("cases.show", reference=case.reference)
    tables = page.select("table.govuk-table")
    assert "Kelly Ashworth" in tables[0].get_text() and "27 March 1994" in tables[0].get_text()
    assert "Alfie Ashworth" in tables[1].get_text() and "Foster care" in tables[1].get_text()
    assert page.h1.get_text(strip=True) == "Kelly Ashworth"


def test_a_name_with_a_control_character_is_refused_by_name_and_nothing_is_saved(signed_in, team):
    # Every text field of every form (fdac.forms.BaseForm): PostgreSQL cannot store a NUL.
    case = factories.make_case(team)
    page = signed_in("practitioner").post(
        "cases.new_parent",
        {
            "name": "Kelly\x00Ashworth",
            "date_of_birth": ["27", "3", "1994"],
            "relationship_to_children": "mother",
        },
        _expected_status=200,
        reference=case.reference,
    )
    assert error_summary(page) == ["Full name must not contain control characters"]
    db.session.refresh(case)
    assert case.parents == []


def test_manager_closes_a_case_with_an_outcome_and_it_becomes_read_only(signed_in, team):
    case = factories.make_case(team, phase=Phase.FINAL_STAGE)
    factories.add_parent(case)
    manager = signed_in("team_manager")
    today = london_today()
    manager.post(
        "cases.phase",
        {
            "to_phase": "closed",
            "changed_on": [str(today.day), str(today.month), str(today.year)],
            "outcome": "reunified",
            "note": "Final order: supervision order, home with mother",
        },
        reference=case.reference,
    )
    db.session.refresh(case)
    assert (case.phase, case.outcome) == (Phase.CLOSED, Outcome.REUNIFIED)
    page = manager.get("cases.show", reference=case.reference)
    timeline = [t.get_text(" ", strip=True) for t in page.select(".moj-timeline__title")]
    assert timeline[0].startswith("Closed")
    assert not page.find("a", string="Add a parent")
    manager.get("cases.new_parent", _expected_status=403, reference=case.reference)


def test_closing_without_outcome_is_refused(signed_in, team):
    case = factories.make_case(team, phase=Phase.FINAL_STAGE)
    today = london_today()
    page = signed_in("team_manager").post(
        "cases.phase",
        {"to_phase": "closed", "changed_on": [str(today.day), str(today.month), str(today.year)]},
        _expected_status=200,
        reference=case.reference,
    )
    assert error_summary(page) == ["Select the outcome of the proceedings"]
    db.session.refresh(case)
    assert case.phase is Phase.FINAL_STAGE


def test_search_finds_cases_by_parent_name_and_filters_by_phase(signed_in, team):
    a = factories.make_case(team, phase=Phase.ASSESSMENT)
    factories.add_parent(a, "Jade Carver")
    b = factories.make_case(team, phase=Phase.TRIAL_FOR_CHANGE)
    factories.add_parent(b, "Stacey Dawson")
    manager = signed_in("team_manager")

    found = manager.get("cases.index", q="carver").select("tbody tr a")
    assert [x.get_text() for x in found] == [a.reference]
    found = manager.get("cases.index", phase="trial_for_change").select("tbody tr a")
    assert [x.get_text() for x in found] == [b.reference]
    empty = manager.get("cases.index", q="nobody by this name")
    assert "No cases match your search" in empty.get_text()


def test_case_list_pages_through_many_cases(signed_in, team):
    for _ in range(7):
        factories.make_case(team)
    manager = signed_in("team_manager")
    first = manager.get("cases.index")
    second = manager.get("cases.index", page=2)
    assert len(first.select("tbody tr")) == 5 and len(second.select("tbody tr")) == 2
    assert "7 cases" in first.select_one("#case-count").get_text()


def test_every_change_is_in_the_case_history_with_before_and_after(signed_in, team):
    case = factories.make_case(team, local_authority="Old Council")
    manager = signed_in("team_manager")
    manager.post(
        "cases.edit",
        _case_form(
            reference=case.reference,
            court_case_number=case.court_case_number,
            local_authority="Eastbrook Council",
        ),
        reference=case.reference,
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "update")
    ).one()
    assert event.actor_id == manager.user.id
    assert event.changes["local_authority"] == ["Old Council", "Eastbrook Council"]
    page = manager.get("cases.history", reference=case.reference)
    assert "Old Council → Eastbrook Council" in page.get_text()


def test_parent_of_another_case_cannot_be_edited_through_this_case(signed_in, team):
    mine = factories.make_case(team)
    other = factories.make_case(team)
    parent = factories.add_parent(other)
    signed_in("team_manager").get(
        "cases.edit_parent", _expected_status=404, reference=mine.reference, person_id=parent.id
    )
    assert db.session.get(Parent, parent.id).case_id == other.id
