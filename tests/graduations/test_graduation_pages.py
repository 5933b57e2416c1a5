"""A case's graduation: criteria from the record, a manager's confirmation; ceremonies; the
graduates' group with its support contacts and parent mentors."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fdac.audit.models import AuditEvent
from fdac.cases.phases import Outcome, Phase
from fdac.extensions import db
from fdac.graduations import evidence, services
from fdac.graduations.models import Ceremony, Graduation, GraduationCriteria, SupportContact
from fdac.graduations.services import NO_FINAL_ORDER
from fdac.validation import FieldError
from testing_results.models import TestResult
from tests import factories
from tests.conftest import error_summary
from tests.graduations import (
    FINAL_HEARING,
    TODAY,
    closed_family,
    date_boxes,
    graduate,
    move,
    weekly_negatives,
)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    for module in ("fdac.graduations.views", "fdac.graduations.group_views", "fdac.cases.views"):
        monkeypatch.setattr(f"{module}.london_today", lambda: TODAY)


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


@pytest.fixture
def case(team, judge):
    """Closed, reunified; Kelly tested negative every week of the 8 before the final hearing."""
    case = closed_family(team, judge)
    kelly = factories.add_parent(case, "Kelly Ashworth")
    weekly_negatives(kelly, FINAL_HEARING)
    return case


@pytest.fixture
def kelly(case):
    return case.parents[0]


@pytest.fixture
def manager(signed_in):
    return signed_in("team_manager", name="Priya Shah")


def _checks(page, parent) -> dict[str, str]:
    rows = page.select(f"#criteria-{parent.id} .govuk-summary-list__row")
    return {
        row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(
            " ", strip=True
        )
        for row in rows
    }


def _banner(page) -> str:
    return page.select_one(".govuk-notification-banner").get_text(" ", strip=True)


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


# --- eligibility from the record --------------------------------------------------------------


def test_a_reunified_family_with_eight_clean_weeks_meets_every_criterion(manager, case, kelly):
    page = manager.get("graduations.index", reference=case.reference)

    checks = _checks(page, kelly)
    assert checks == {
        "Final order made: the children live with the parent or family": "Met "
        + Outcome.REUNIFIED.label,
        "Trial for change completed": "Met Moved on to the final stage",
        "8 weeks of negative or explained tests before the final hearing": (
            "Met 8 tests, all negative or explained"
        ),
    }
    assert "All 3 criteria met." in page.get_text(" ")


def test_a_positive_three_weeks_before_the_final_hearing_fails_the_clean_weeks(
    manager, case, kelly
):
    factories.add_peth(kelly, "25", collected_on=FINAL_HEARING - timedelta(weeks=3))

    page = manager.get("graduations.index", reference=case.reference)

    clean = _checks(page, kelly)["8 weeks of negative or explained tests before the final hearing"]
    assert clean == "Not met Positive on 11 January 2027"
    assert "2 of 3 criteria met." in page.get_text(" ")


def test_each_parent_is_checked_on_their_own_tests(manager, case, kelly):
    dean = factories.add_parent(case, "Dean Ashworth")  # never tested

    page = manager.get("graduations.index", reference=case.reference)

    assert _checks(page, kelly)[
        "8 weeks of negative or explained tests before the final hearing"
    ].startswith("Met")
    assert (
        _checks(page, dean)["8 weeks of negative or explained tests before the final hearing"]
        == "Not met No test in the week from 7 December 2026"
    )


def test_the_teams_own_criteria_decide_what_is_checked(manager, case, kelly, team):
    db.session.add(
        GraduationCriteria(
            team_id=team.id, final_order_with_family=True, trial_completed=False, clean_weeks=4
        )
    )
    db.session.commit()

    checks = _checks(manager.get("graduations.index", reference=case.reference), kelly)

    assert list(checks) == [
        "Final order made: the children live with the parent or family",
        "4 weeks of negative or explained tests before the final hearing",
    ]


def test_a_case_closed_straight_from_the_trial_has_not_completed_it(team, judge):
    case = factories.make_case(team, judge_id=judge.id)
    move(case, Phase.CLOSED, date(2027, 1, 4), Outcome.RETURNED_TO_STANDARD_PROCEEDINGS)
    assert not evidence.trial_completed([c.to_phase for c in case.phase_changes])
    assert evidence.trial_completed([Phase.TRIAL_FOR_CHANGE, Phase.FINAL_STAGE, Phase.CLOSED])
    moved_back = [Phase.TRIAL_FOR_CHANGE, Phase.FINAL_STAGE, Phase.TRIAL_FOR_CHANGE]
    assert not evidence.trial_completed(moved_back)


def test_the_final_hearing_is_the_held_one_else_the_next_booked(team, judge):
    case = factories.make_case(team, judge_id=judge.id)
    factories.add_hearing(case, date(2027, 4, 5), kind="final_hearing")
    factories.add_hearing(
        case, date(2027, 3, 29), kind="final_hearing", status="cancelled", cancel_reason="Ill"
    )
    assert evidence.final_hearings([case.id], TODAY) == {case.id: date(2027, 4, 5)}
    factories.add_hearing(case, date(2027, 3, 1), kind="final_hearing", status="held")
    assert evidence.final_hearings([case.id], TODAY) == {case.id: date(2027, 3, 1)}


def test_many_parents_read_at_once_count_tests_as_one_parent_does(case, kelly):
    positive = factories.add_peth(kelly, "25", collected_on=date(2027, 1, 12))
    db.session.add(  # corrected: the amendment counts, not the original
        TestResult(
            case_id=case.id,
            parent_id=kelly.id,
            matrix=positive.matrix,
            method=positive.method,
            collected_on=positive.collected_on,
            value=12,
            amends_id=positive.id,
            amendment_reason="Typing error",
        )
    )
    db.session.commit()
    dean = factories.add_parent(case, "Dean Ashworth")
    factories.add_peth(dean, "300", collected_on=date(2027, 1, 5))

    together = evidence.parents_tests([kelly.id, dean.id])

    assert together[kelly.id] == evidence.parent_tests(kelly)
    assert together[dean.id] == evidence.parent_tests(dean)
    assert len(together[kelly.id]) == 9


# --- confirming a graduation ------------------------------------------------------------------


def test_manager_confirms_a_graduation_after_checking_it(manager, case, kelly):
    form = {"graduated_on": date_boxes(date(2027, 3, 1)), "note": ""}
    check = manager.post(
        "graduations.confirm", form, reference=case.reference, parent_id=kelly.id,
        _expected_status=200,
    )  # fmt: skip
    assert error_summary(check) == []
    assert check.h1.get_text(strip=True) == (
        "Are you sure you want to confirm Kelly Ashworth's graduation?"
    )
    assert "1 March 2027" in check.get_text(" ")
    assert _count(Graduation) == 0  # nothing saved before the manager confirms

    done = manager.post(
        "graduations.confirm", {**form, "confirmed": "yes"}, reference=case.reference,
        parent_id=kelly.id, _follow=True, _expected_status=200,
    )  # fmt: skip

    assert "Kelly Ashworth's graduation confirmed" in _banner(done)
    graduation = db.session.scalar(select(Graduation))
    assert (graduation.parent_id, graduation.graduated_on) == (kelly.id, date(2027, 3, 1))
    assert graduation.confirmed_by.name == "Priya Shah"
    shown = done.select_one(f"#graduation-{kelly.id}").get_text(" ", strip=True)
    assert "1 March 2027" in shown and "Priya Shah" in shown and "Not yet planned" in shown
    assert done.find("a", string="Confirm graduation") is None
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.table_name == "graduations")
    ).all()
    assert len(audited) == 1


def test_change_on_the_check_page_returns_to_the_form_with_the_answers(manager, case, kelly):
    form = {"graduated_on": date_boxes(date(2027, 3, 1)), "note": "Well done", "change": "yes"}
    page = manager.post(
        "graduations.confirm", {**form, "confirmed": "yes"}, reference=case.reference,
        parent_id=kelly.id, _expected_status=200,
    )  # fmt: skip
    assert page.select_one("#graduated_on-day")["value"] == "1"
    assert page.select_one("#note").get_text() == "Well done"
    assert _count(Graduation) == 0


def test_a_graduation_needs_the_final_order(manager, team, judge):
    case = factories.make_case(team, judge_id=judge.id)
    move(case, Phase.FINAL_STAGE, date(2027, 1, 4))
    kelly = factories.add_parent(case)

    page = manager.post(
        "graduations.confirm", {"graduated_on": date_boxes(date(2027, 3, 1))},
        reference=case.reference, parent_id=kelly.id, _expected_status=200,
    )  # fmt: skip

    assert error_summary(page) == [NO_FINAL_ORDER]
    assert page.select_one(".govuk-error-summary a")["href"].startswith("#graduated_on")
    assert _count(Graduation) == 0


def test_criteria_not_all_met_need_a_note_saying_why(manager, case, kelly):
    factories.add_peth(kelly, "25", collected_on=FINAL_HEARING - timedelta(weeks=3))
    values = {"reference": case.reference, "parent_id": kelly.id}
    form = {"graduated_on": date_boxes(date(2027, 3, 1)), "confirmed": "yes"}

    page = manager.post("graduations.confirm", form, _expected_status=200, **values)
    assert error_summary(page) == [
        "Enter why the parent graduates although not every criterion is met"
    ]
    assert "You can still confirm the graduation: it is your decision" in page.get_text(" ")

    why = "One lapse, disclosed by Kelly herself; clean since"
    manager.post("graduations.confirm", {**form, "note": why}, **values)
    assert db.session.scalar(select(Graduation.note)) == why


@pytest.mark.parametrize(
    ("day", "message"),
    [(TODAY + timedelta(days=1), "Graduation date must be today or in the past"),
     (None, "Enter the graduation date")],
)  # fmt: skip
def test_graduation_date_is_checked(manager, case, kelly, day, message):
    form = {"graduated_on": date_boxes(day) if day else ["", "", ""], "confirmed": "yes"}
    page = manager.post(
        "graduations.confirm", form, reference=case.reference, parent_id=kelly.id,
        _expected_status=200,
    )  # fmt: skip
    assert error_summary(page) == [message]


def test_a_parent_graduates_once(manager, case, kelly):
    # The form was open in another tab when a colleague confirmed the graduation.
    tab = manager.get("graduations.confirm", reference=case.reference, parent_id=kelly.id)
    graduate(case, kelly)
    form = {
        "csrf_token": tab.select_one("input[name=csrf_token]")["value"],
        "graduated_on": date_boxes(date(2027, 3, 2)),
        "confirmed": "yes",
    }
    url = _url("graduations.confirm", reference=case.reference, parent_id=kelly.id)

    response = manager.raw.post(url, data=form, follow_redirects=True)

    assert b"Kelly Ashworth&#39;s graduation has already been confirmed" in response.data
    assert _count(Graduation) == 1
    assert db.session.scalar(select(Graduation.graduated_on)) == date(2027, 3, 1)
    with pytest.raises(FieldError, match="already been confirmed"):
        services.confirm_graduation(
            case, kelly, date(2027, 3, 2), "", checks=[], by=None, today=TODAY
        )


def test_only_a_manager_confirms(signed_in, case, kelly):
    practitioner = signed_in("practitioner")
    practitioner.get("graduations.confirm", 403, reference=case.reference, parent_id=kelly.id)
    page = practitioner.get("graduations.index", reference=case.reference)
    assert page.find("a", string="Confirm graduation") is None


def test_the_judge_reads_the_criteria_and_cannot_confirm(signed_in, judge, case, kelly):
    as_judge = signed_in(judge)
    page = as_judge.get("graduations.index", reference=case.reference)

    assert _checks(page, kelly)["Trial for change completed"].startswith("Met")
    assert page.select("a.govuk-button") == []
    as_judge.get("graduations.confirm", 403, reference=case.reference, parent_id=kelly.id)
    form = {"graduated_on": date_boxes(date(2027, 3, 1)), "confirmed": "yes"}
    as_judge.post(
        "graduations.confirm", form, _expected_status=403, reference=case.reference,
        parent_id=kelly.id,
    )  # fmt: skip
    assert _count(Graduation) == 0


def test_a_parent_of_another_case_is_not_found(manager, case, team, judge):
    other = factories.add_parent(factories.make_case(team, judge_id=judge.id))
    manager.get("graduations.confirm", 404, reference=case.reference, parent_id=other.id)


# --- the case page ----------------------------------------------------------------------------


def test_case_page_shows_criteria_met_per_parent_then_the_graduation(manager, case, kelly):
    page = manager.get("cases.show", reference=case.reference)
    assert page.select_one("#graduation-summary").get_text(" ", strip=True) == (
        "Kelly Ashworth: 3 of 3 criteria met"
    )
    assert page.find("a", href=_url("graduations.index", reference=case.reference))

    graduate(case, kelly, date(2027, 3, 3))
    page = manager.get("cases.show", reference=case.reference)
    assert page.select_one("#graduation-summary").get_text(" ", strip=True) == (
        "Kelly Ashworth: Graduated on 3 March 2027"
    )


def test_case_page_says_nothing_of_graduation_during_the_trial(manager, team, judge):
    case = factories.make_case(team, judge_id=judge.id)
    factories.add_parent(case)
    page = manager.get("cases.show", reference=case.reference)
    assert page.select_one("#graduation") is None


# --- ceremonies -------------------------------------------------------------------------------


def test_plan_a_ceremony_and_add_graduates(manager, case, kelly, team):
    dean = factories.add_parent(case, "Dean Ashworth")
    graduate(case, kelly)
    graduate(case, dean)

    response = manager.post(
        "graduates.new_ceremony",
        {"day": date_boxes(date(2027, 6, 18)), "starts_at": "2pm", "place": "Court 3",
         "attending": "HHJ Marsh, the team, families"},
    )  # fmt: skip
    ceremony = db.session.scalar(select(Ceremony))
    assert (ceremony.team_id, ceremony.place, ceremony.starts_at.hour) == (team.id, "Court 3", 14)
    assert response.location.endswith(_url("graduates.ceremony", ceremony_id=ceremony.id))

    form = manager.get("graduates.add_graduates", ceremony_id=ceremony.id)
    assert len(form.select("input[name=graduation_ids]")) == 2
    kelly_graduation = db.session.scalar(select(Graduation).where(Graduation.parent_id == kelly.id))
    page = manager.post(
        "graduates.add_graduates", {"graduation_ids": [str(kelly_graduation.id)]},
        ceremony_id=ceremony.id, _follow=True, _expected_status=200,
    )  # fmt: skip

    assert "1 graduate added to the ceremony" in _banner(page)
    assert [a.get_text() for a in page.select("#ceremony-graduates td:first-child a")] == [
        "Kelly Ashworth"
    ]
    assert "HHJ Marsh, the team, families" in page.select_one("#ceremony").get_text()
    again = manager.get("graduates.add_graduates", ceremony_id=ceremony.id)
    labels = [label.get_text(strip=True) for label in again.select(".govuk-checkboxes__label")]
    assert labels == [f"Dean Ashworth ({case.reference}), graduated 1 March 2027"]
    listing = manager.get("graduates.ceremonies")
    assert "18 June 2027 at 2:00pm" in listing.select_one("#upcoming").get_text(" ")


def test_a_ceremony_needs_its_date_and_place(manager):
    page = manager.post("graduates.new_ceremony", {}, _expected_status=200)
    assert error_summary(page) == [
        "Enter the date of the ceremony",
        "Enter the place of the ceremony",
    ]
    assert _count(Ceremony) == 0


def test_change_a_ceremony(manager, team):
    ceremony = Ceremony(team_id=team.id, day=date(2027, 6, 18), place="Court 3")
    db.session.add(ceremony)
    db.session.commit()
    page = manager.get("graduates.edit_ceremony", ceremony_id=ceremony.id)
    assert page.select_one("#place")["value"] == "Court 3"
    manager.post(
        "graduates.edit_ceremony",
        {"day": date_boxes(date(2027, 6, 25)), "place": "Court 1", "attending": ""},
        ceremony_id=ceremony.id,
    )
    db.session.refresh(ceremony)
    assert (ceremony.day, ceremony.place, ceremony.starts_at) == (
        date(2027, 6, 25),
        "Court 1",
        None,
    )


def test_another_teams_ceremony_and_graduates_are_not_found(manager, judge):
    other_team = factories.make_team()
    ceremony = Ceremony(team_id=other_team.id, day=date(2027, 6, 18), place="Elsewhere")
    db.session.add(ceremony)
    other_case = closed_family(other_team, None)
    theirs = graduate(other_case, factories.add_parent(other_case, "Sam Other"))

    manager.get("graduates.ceremony", 404, ceremony_id=ceremony.id)
    manager.get("graduates.add_graduates", 404, ceremony_id=ceremony.id)
    manager.get("graduates.show", 404, graduation_id=theirs.id)
    manager.get("graduates.record_support", 404, graduation_id=theirs.id)
    manager.get("graduates.mentor", 404, graduation_id=theirs.id)
    assert "Sam Other" not in manager.get("graduates.index").get_text()


# --- the graduates' group ---------------------------------------------------------------------


def test_graduates_are_listed_searchable_by_name_and_by_mentors(manager, case, kelly):
    dean = factories.add_parent(case, "Dean Ashworth")
    graduate(case, kelly, mentor_since=date(2027, 3, 5))
    graduate(case, dean, date(2027, 2, 20))

    page = manager.get("graduates.index")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in page.select("#graduates tbody tr")
    ]
    assert rows == [
        ["Kelly Ashworth", case.reference, "1 March 2027", "Not yet planned", "Parent mentor"],
        ["Dean Ashworth", case.reference, "20 February 2027", "Not yet planned", ""],
    ]
    assert page.find("a", href=_url("graduates.ceremonies"))
    assert page.find("a", href=_url("graduates.outcomes"))

    found = manager.get("graduates.index", q=" dean ")
    assert [a.get_text() for a in found.select("#graduates td a")] == ["Dean Ashworth"]
    mentors = manager.get("graduates.index", mentors="yes")
    assert [a.get_text() for a in mentors.select("#graduates td a")] == ["Kelly Ashworth"]
    nobody = manager.get("graduates.index", q="100%")
    assert "No graduates match your search." in nobody.get_text()


def test_graduates_page_when_there_are_none(signed_in):
    page = signed_in("practitioner").get("graduates.index")
    assert "No graduates yet." in page.get_text()


def test_support_is_recorded_after_the_case_has_closed(signed_in, case, kelly):
    worker = signed_in("practitioner", name="Sam Keyworker")
    graduation = graduate(case, kelly)
    assert case.is_closed
    values = {"graduation_id": graduation.id}
    worker.post(
        "graduates.record_support",
        {"day": date_boxes(date(2027, 3, 4)), "kind": "support_call", "note": "Doing well"},
        **values,
    )
    page = worker.post(
        "graduates.record_support",
        {"day": date_boxes(date(2027, 3, 9)), "kind": "graduates_group"},
        _follow=True, _expected_status=200, **values,
    )  # fmt: skip

    assert "Graduates' group recorded" in _banner(page)
    rows = [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page.select("#support tbody tr")
    ]
    assert rows == [
        ["9 March 2027", "Graduates' group", "", "Sam Keyworker"],
        ["4 March 2027", "Support call", "Doing well", "Sam Keyworker"],
    ]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.table_name == "support_contacts")) == 2  # fmt: skip


@pytest.mark.parametrize(
    ("form", "message"),
    [({"day": date_boxes(TODAY + timedelta(days=1)), "kind": "other"},
      "Date of the support must be today or in the past"),
     ({"day": date_boxes(date(2027, 2, 1)), "kind": "other"},
      "Date of the support must be on or after the graduation (1 March 2027)"),
     ({"day": date_boxes(TODAY)}, "Select the kind of support")],
)  # fmt: skip
def test_support_is_refused_with_the_field_named(manager, case, kelly, form, message):
    graduation = graduate(case, kelly)
    page = manager.post(
        "graduates.record_support", form, graduation_id=graduation.id, _expected_status=200
    )
    assert error_summary(page) == [message]
    assert _count(SupportContact) == 0


def test_a_graduate_becomes_a_parent_mentor_and_stops(manager, case, kelly):
    graduation = graduate(case, kelly)
    values = {"graduation_id": graduation.id}

    page = manager.post(
        "graduates.mentor", {"since": date_boxes(date(2027, 3, 8)), "note": "Supports Dean"},
        _follow=True, _expected_status=200, **values,
    )  # fmt: skip
    assert "Kelly Ashworth recorded as a parent mentor" in _banner(page)
    assert "8 March 2027" in page.select_one("#mentor").get_text()
    assert page.find("strong", string="Parent mentor")

    check = manager.get("graduates.end_mentor", **values)
    assert check.h1.get_text(strip=True) == (
        "Are you sure Kelly Ashworth is no longer a parent mentor?"
    )
    db.session.refresh(graduation)
    assert graduation.mentor_since == date(2027, 3, 8)  # nothing changed by looking

    page = manager.post("graduates.end_mentor", {}, _follow=True, _expected_status=200, **values)
    assert "Kelly Ashworth is no longer a parent mentor" in _banner(page)
    db.session.refresh(graduation)
    assert graduation.mentor_since is None
    assert "Not a parent mentor." in page.get_text()


def test_mentor_since_cannot_be_in_the_future(manager, case, kelly):
    graduation = graduate(case, kelly)
    page = manager.post(
        "graduates.mentor", {"since": date_boxes(TODAY + timedelta(days=1))},
        graduation_id=graduation.id, _expected_status=200,
    )  # fmt: skip
    assert error_summary(page) == ["Mentor since must be today or in the past"]


def test_judges_have_no_graduates_pages(signed_in, judge, case, kelly):
    graduation = graduate(case, kelly)
    as_judge = signed_in(judge)
    as_judge.get("graduates.index", 403)
    as_judge.get("graduates.show", 403, graduation_id=graduation.id)


def _url(endpoint, **values) -> str:
    from flask import url_for

    return url_for(endpoint, **values)
