"""A case's hearing pages: plan, book, move, cancel, outcomes, extensions, the case page."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import event, func, select

from fdac.cases.phases import Phase
from fdac.dates import uk_time
from fdac.extensions import db
from fdac.flags.models import Flag
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import (
    Extension,
    Hearing,
    HearingAttendance,
    HearingChange,
    HearingOutcome,
    NlrSchedule,
)
from tests import factories
from tests.conftest import error_summary

TODAY = date(2027, 3, 10)  # a Wednesday; the views' clock is set to it


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("hearings.views.london_today", lambda: TODAY)
    monkeypatch.setattr("fdac.cases.views.london_today", lambda: TODAY)


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


@pytest.fixture
def sitting(team, judge):
    return factories.make_sitting(team, judge)  # Mondays at 10am, six 30-minute slots


@pytest.fixture
def case(team, judge):
    case = factories.make_case(
        team, judge_id=judge.id, issued_on=date(2026, 11, 2), entered_on=date(2026, 11, 9)
    )
    factories.add_parent(case, "Kelly Ashworth")
    factories.add_parent(case, "Dean Ashworth")
    return case


@pytest.fixture
def manager(signed_in):
    return signed_in("team_manager")


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _banner(page) -> str:
    return page.select_one(".govuk-notification-banner").get_text(" ", strip=True)


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _plan_form(sitting, first=date(2027, 3, 15), horizon="4"):
    return {"first_nlr_on": _date(first), "sitting_id": str(sitting.id), "horizon": horizon}


# --- Planning reviews -------------------------------------------------------------------------


def test_manager_plans_reviews_and_planning_again_changes_nothing(manager, case, sitting):
    form = _plan_form(sitting, horizon="5")  # to 14 April 2027
    page = manager.post(
        "hearings.plan", form, reference=case.reference, _follow=True, _expected_status=200
    )

    assert "3 reviews booked, 1 moved from its planned date" in _banner(page)
    rows = page.select("tbody tr")
    assert [r.select_one("td").get_text(" ", strip=True).split(":")[0].strip() for r in rows] == [
        "15 March 2027",
        "5 April 2027",
        "12 April 2027",
    ]
    assert "Moved from 29 March 2027: bank holiday (Easter Monday)" in rows[1].get_text(" ")
    assert db.session.scalar(select(NlrSchedule.first_nlr_on)) == date(2027, 3, 15)

    again = manager.post(
        "hearings.plan", form, reference=case.reference, _follow=True, _expected_status=200
    )
    assert "The reviews are already planned: nothing changed" in _banner(again)
    assert _count(Hearing) == 3


def test_plan_form_starts_from_the_trial_for_change_and_the_judges_sitting(manager, case, sitting):
    page = manager.get("hearings.plan", reference=case.reference)
    start = case.phase_changes[0].changed_on
    boxes = [int(page.select_one(f"#first_nlr_on-{p}")["value"]) for p in ("day", "month", "year")]
    assert boxes == [start.day, start.month, start.year]
    checked = page.select_one("input[name=sitting_id][checked]")
    assert checked["value"] == str(sitting.id)
    assert page.select_one("#horizon")["value"] == "12"


@pytest.mark.parametrize(
    ("horizon", "message"),
    [("0", "Plan from 1 to 52 weeks ahead"), ("53", "Plan from 1 to 52 weeks ahead"),
     ("", "Enter the number of weeks ahead to plan"),
     ("six", "Number of weeks ahead must be a whole number, like 30")],
)  # fmt: skip
def test_plan_horizon_out_of_range_is_refused_and_nothing_saved(
    manager, case, sitting, horizon, message
):
    page = manager.post(
        "hearings.plan",
        _plan_form(sitting, horizon=horizon),
        reference=case.reference,
        _expected_status=200,
    )
    assert error_summary(page) == [message]
    assert (_count(Hearing), _count(NlrSchedule)) == (0, 0)


def test_plan_for_a_judge_without_a_sitting_says_why(manager, case):
    page = manager.get("hearings.plan", reference=case.reference)
    assert "HHJ Marsh has no FDAC sitting" in page.select_one("#no-sitting").get_text()
    assert page.select_one("form[method=post] #horizon") is None


# --- Booking ------------------------------------------------------------------------------------


def _book_form(judge, **overrides):
    data = {
        "kind": "fcmh",
        "day": _date(date(2027, 3, 16)),
        "starts_at": "2pm",
        "duration_minutes": "",
        "judge_id": str(judge.id),
    }
    data.update(overrides)
    return data


def test_manager_books_an_fcmh_with_the_usual_length(manager, case, judge):
    response = manager.post("hearings.book", _book_form(judge), reference=case.reference)

    hearing = db.session.scalar(select(Hearing))
    assert response.location.endswith(f"/hearings/{hearing.id}")
    assert (hearing.kind, hearing.day, hearing.starts_at) == (
        HearingKind.FCMH,
        date(2027, 3, 16),
        time(14, 0),
    )
    assert (hearing.duration_minutes, hearing.sitting_id, hearing.slot) == (60, None, None)
    assert hearing.booked_by_id == manager.user.id
    page = manager.get("hearings.show", reference=case.reference, hearing_id=hearing.id)
    assert "2:00pm (60 minutes)" in page.get_text()


def test_a_booked_review_takes_the_first_free_slot_of_the_judges_sitting(
    manager, case, judge, team, sitting
):
    other = factories.make_case(team, judge_id=judge.id)
    factories.add_hearing(other, date(2027, 3, 15), sitting_id=sitting.id, slot=1)

    manager.post(
        "hearings.book",
        _book_form(judge, kind="nlr", day=_date(date(2027, 3, 15)), starts_at=""),
        reference=case.reference,
    )

    hearing = db.session.scalar(select(Hearing).where(Hearing.case_id == case.id))
    assert (hearing.sitting_id, hearing.slot, hearing.starts_at) == (sitting.id, 2, time(10, 30))
    assert hearing.duration_minutes == 30
    assert hearing.planned_for is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": "0"}, "The length must be at least 1 minute"),
        (
            {"day": _date(date(2026, 10, 30))},
            "The hearing date must be on or after the day proceedings were issued, "
            "2 November 2026",
        ),
        ({"day": _date(date(2027, 3, 20))}, "The court does not sit on 20 March 2027: weekend"),
        (
            {"day": _date(date(2027, 3, 26))},
            "The court does not sit on 26 March 2027: bank holiday (Good Friday)",
        ),
        ({"day": _date(date(2027, 3, 17))}, "HHJ Marsh is away on 17 March 2027 (Leave)"),
        ({"day": _date(date(2027, 3, 18))}, "The family already has a hearing on 18 March 2027"),
        (
            {"kind": "nlr", "day": _date(date(2027, 3, 16))},
            "HHJ Marsh has no FDAC sitting on Tuesdays: choose a day they sit",
        ),
        (
            {"kind": "nlr", "day": _date(date(2027, 3, 22))},
            "HHJ Marsh's sitting on 22 March 2027 is full",
        ),
        ({"starts_at": ""}, "Enter the start time"),
        ({"starts_at": "25:00"}, "Enter the start time as a time, like 10:30am or 2pm"),
        ({"kind": ""}, "Select the kind of hearing"),
    ],
)  # fmt: skip
def test_booking_bad_input_is_refused_naming_the_field_and_nothing_saved(
    manager, case, judge, team, overrides, message
):
    sitting = factories.make_sitting(team, judge, slots=1)
    factories.add_absence(team, judge, date(2027, 3, 17), date(2027, 3, 17))
    factories.add_hearing(case, date(2027, 3, 18), kind="directions")
    other = factories.make_case(team, judge_id=judge.id)
    factories.add_hearing(other, date(2027, 3, 22), sitting_id=sitting.id, slot=1)

    page = manager.post(
        "hearings.book",
        _book_form(judge, **overrides),
        reference=case.reference,
        _expected_status=200,
    )

    assert error_summary(page) == [message]
    assert _count(Hearing) == 2


def test_error_links_point_at_the_field(manager, case, judge):
    page = manager.post(
        "hearings.book",
        _book_form(judge, duration_minutes="0"),
        reference=case.reference,
        _expected_status=200,
    )
    assert page.select_one(".govuk-error-summary a")["href"] == "#duration_minutes"


# --- Moving and cancelling ------------------------------------------------------------------


@pytest.fixture
def review(case, sitting):
    """A review the planner booked for 29 March 2027 and moved to 5 April (Easter Monday)."""
    hearing = factories.add_hearing(
        case,
        date(2027, 4, 5),
        sitting_id=sitting.id,
        slot=1,
        planned_for=date(2027, 3, 29),
        move_reason="bank holiday (Easter Monday)",
    )
    db.session.add(
        Flag(
            team_id=case.team_id,
            case_id=case.id,
            kind="hearing_moved",
            subject=f"hearing:{hearing.id}",
            message="The review planned for 29 March 2027 is on 5 April 2027",
        )
    )
    db.session.commit()
    return hearing


def test_manager_moves_a_review_by_hand_with_a_reason(manager, case, judge, review, sitting):
    manager.post(
        "hearings.move",
        {
            "day": _date(date(2027, 4, 12)),
            "starts_at": "",
            "judge_id": str(judge.id),
            "reason": "Father's operation on the 5th",
        },
        reference=case.reference,
        hearing_id=review.id,
    )

    db.session.refresh(review)
    assert (review.day, review.planned_for, review.moved_by_hand) == (
        date(2027, 4, 12),
        date(2027, 3, 29),
        True,
    )
    assert (review.sitting_id, review.slot) == (sitting.id, 1)
    change = db.session.scalar(select(HearingChange))
    assert (change.change, change.from_day, change.to_day, change.changed_by_id) == (
        "moved",
        date(2027, 4, 5),
        date(2027, 4, 12),
        manager.user.id,
    )
    assert db.session.scalar(select(Flag.resolved_by_id)) == manager.user.id
    page = manager.get("hearings.show", reference=case.reference, hearing_id=review.id)
    changes = page.select_one("#changes").get_text(" ", strip=True)
    assert "Moved from 5 April 2027 at 10:00am to 12 April 2027 at 10:00am" in changes
    assert manager.user.name in changes and "Father's operation on the 5th" in changes


def test_a_move_without_a_reason_or_onto_a_closure_is_refused(manager, case, judge, review, team):
    factories.add_closure(team, date(2027, 4, 19), "Staff training")
    for data, message in [
        ({"day": _date(date(2027, 4, 12)), "reason": ""}, "Enter the reason for the move"),
        (
            {"day": _date(date(2027, 4, 19)), "reason": "Family asked"},
            "The court does not sit on 19 April 2027: court closed (Staff training)",
        ),
    ]:
        page = manager.post(
            "hearings.move",
            {"starts_at": "", "judge_id": str(judge.id), **data},
            reference=case.reference,
            hearing_id=review.id,
            _expected_status=200,
        )
        assert error_summary(page) == [message]
    db.session.refresh(review)
    assert review.day == date(2027, 4, 5) and not review.moved_by_hand
    assert _count(HearingChange) == 0


def test_a_held_hearing_cannot_be_moved_or_cancelled(manager, case):
    held = factories.add_hearing(case, date(2027, 3, 1), status=HearingStatus.HELD)
    for endpoint in ("hearings.move", "hearings.cancel"):
        page = manager.get(endpoint, reference=case.reference, hearing_id=held.id)
        assert (
            "has been held, so it cannot be moved or cancelled"
            in page.select_one("#why").get_text()
        )
        assert page.select_one("form[method=post] textarea") is None
    page = manager.get("hearings.show", reference=case.reference, hearing_id=held.id)
    assert not page.find("a", string="Move")


def test_cancelling_asks_for_a_reason_then_keeps_the_hearing_on_record(manager, case, review):
    confirm = manager.get("hearings.cancel", reference=case.reference, hearing_id=review.id)
    assert confirm.h1.get_text().startswith("Are you sure you want to cancel")
    refused = manager.post(
        "hearings.cancel",
        {"reason": ""},
        reference=case.reference,
        hearing_id=review.id,
        _expected_status=200,
    )
    assert error_summary(refused) == ["Enter the reason for cancelling the hearing"]

    manager.post(
        "hearings.cancel",
        {"reason": "Care plan changed"},
        reference=case.reference,
        hearing_id=review.id,
    )

    db.session.refresh(review)
    assert (review.status, review.cancel_reason) == (HearingStatus.CANCELLED, "Care plan changed")
    assert db.session.scalar(select(HearingChange.change)) == "cancelled"
    page = manager.get("hearings.index", reference=case.reference)
    assert "Cancelled: Care plan changed" in page.get_text()


# --- Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["hearings.plan", "hearings.book", "hearings.extension"])
def test_practitioner_cannot_plan_book_or_extend(signed_in, case, endpoint):
    keyworker = signed_in("practitioner")
    keyworker.get(endpoint, _expected_status=403, reference=case.reference)
    keyworker.post(endpoint, {}, _expected_status=403, reference=case.reference)
    assert _count(Hearing) == 0


@pytest.mark.parametrize("endpoint", ["hearings.move", "hearings.cancel"])
def test_practitioner_cannot_move_or_cancel(signed_in, case, review, endpoint):
    keyworker = signed_in("practitioner")
    keyworker.post(
        endpoint,
        {"reason": "x", "day": _date(date(2027, 4, 12))},
        _expected_status=403,
        reference=case.reference,
        hearing_id=review.id,
    )
    db.session.refresh(review)
    assert review.status is HearingStatus.PLANNED and review.day == date(2027, 4, 5)


def test_judge_reads_hearings_but_changes_nothing(signed_in, case, judge, review):
    as_judge = signed_in(judge)
    index = as_judge.get("hearings.index", reference=case.reference)
    assert index.select("#main-content .govuk-button") == []
    show = as_judge.get("hearings.show", reference=case.reference, hearing_id=review.id)
    assert show.select(".govuk-button-group") == []
    as_judge.get("hearings.plan", _expected_status=403, reference=case.reference)
    as_judge.get(
        "hearings.outcome", _expected_status=403, reference=case.reference, hearing_id=review.id
    )


def test_a_closed_case_refuses_every_change(manager, signed_in, team, judge, sitting):
    closed = factories.make_case(team, judge_id=judge.id, phase=Phase.CLOSED)
    past = factories.add_hearing(closed, date(2027, 3, 1))
    index = manager.get("hearings.index", reference=closed.reference)
    assert index.select("#main-content .govuk-button") == []
    for endpoint in ("hearings.plan", "hearings.book", "hearings.extension"):
        manager.post(endpoint, {}, _expected_status=403, reference=closed.reference)
    for endpoint in ("hearings.move", "hearings.cancel", "hearings.outcome"):
        manager.post(
            endpoint, {}, _expected_status=403, reference=closed.reference, hearing_id=past.id
        )
    assert _count(HearingOutcome) == 0


def test_another_cases_hearing_is_not_found_through_this_case(manager, case, team, judge):
    other = factories.make_case(team, judge_id=judge.id)
    theirs = factories.add_hearing(other, date(2027, 3, 1))
    manager.get(
        "hearings.show", _expected_status=404, reference=case.reference, hearing_id=theirs.id
    )


# --- Outcomes ---------------------------------------------------------------------------------


def _outcome_form(case, **overrides):
    kelly, dean = case.parents
    data = {
        f"attended_{kelly.id}": "yes",
        f"attended_{dean.id}": "no",
        "others_present": "Keyworker, social worker",
        "goals": "Attend every test; start the parenting course",
        "note": "Good progress; father unwell",
    }
    data.update(overrides)
    return data


def _record(client, case, hearing, data, **kwargs):
    return client.post(
        "hearings.outcome", data, reference=case.reference, hearing_id=hearing.id, **kwargs
    )


def test_keyworker_records_an_outcome(signed_in, case):
    nlr = factories.add_hearing(case, date(2027, 3, 8))
    keyworker = signed_in("practitioner")

    keyworker.post(
        "hearings.outcome", _outcome_form(case), reference=case.reference, hearing_id=nlr.id
    )

    db.session.refresh(nlr)
    assert nlr.status is HearingStatus.HELD
    outcome = nlr.outcome
    assert outcome.goals == "Attend every test; start the parenting course"
    assert outcome.recorded_by_id == keyworker.user.id
    assert {(a.parent.name, a.attended) for a in outcome.attendance} == {
        ("Kelly Ashworth", True),
        ("Dean Ashworth", False),
    }


def test_outcome_needs_each_parent_goals_for_a_review_and_a_note(signed_in, case):
    nlr = factories.add_hearing(case, date(2027, 3, 8))
    kelly, dean = case.parents
    page = signed_in("practitioner").post(
        "hearings.outcome",
        _outcome_form(case, **{f"attended_{dean.id}": "", "goals": "", "note": ""}),
        reference=case.reference,
        hearing_id=nlr.id,
        _expected_status=200,
    )
    assert error_summary(page) == [
        "Select whether Dean Ashworth attended",
        "Enter the goals for the next fortnight",
        "Enter a note of the hearing",
    ]
    assert (_count(HearingOutcome), _count(HearingAttendance)) == (0, 0)


def test_goals_are_required_after_a_review(signed_in, case):
    nlr = factories.add_hearing(case, date(2027, 3, 8))
    page = signed_in("practitioner").post(
        "hearings.outcome",
        _outcome_form(case, goals=""),
        reference=case.reference,
        hearing_id=nlr.id,
        _expected_status=200,
    )
    assert error_summary(page) == ["Enter the goals for the next fortnight"]
    assert _count(HearingOutcome) == 0


def test_no_outcome_before_the_day_of_the_hearing(signed_in, case):
    ahead = factories.add_hearing(case, date(2027, 3, 15))
    keyworker = signed_in("practitioner")
    page = keyworker.get("hearings.outcome", reference=case.reference, hearing_id=ahead.id)
    assert "from the day of the hearing, 15 March 2027" in page.select_one("#why").get_text()
    keyworker.post(
        "hearings.outcome",
        _outcome_form(case),
        reference=case.reference,
        hearing_id=ahead.id,
        _expected_status=200,
    )
    assert _count(HearingOutcome) == 0


def test_amending_an_outcome_needs_a_reason_and_keeps_the_original(signed_in, case):
    nlr = factories.add_hearing(case, date(2027, 3, 8))
    keyworker = signed_in("practitioner")
    keyworker.post(
        "hearings.outcome", _outcome_form(case), reference=case.reference, hearing_id=nlr.id
    )
    amended = _outcome_form(case, goals="Attend every test", amend_reason="")

    refused = keyworker.post(
        "hearings.outcome",
        amended,
        reference=case.reference,
        hearing_id=nlr.id,
        _expected_status=200,
    )
    assert error_summary(refused) == ["Enter the reason for the amendment"]

    amended["amend_reason"] = "The course starts next month"
    _record(keyworker, case, nlr, amended)

    first, second = db.session.scalars(select(HearingOutcome).order_by(HearingOutcome.id))
    assert second.amends_id == first.id and second.amend_reason == "The course starts next month"
    assert first.goals == "Attend every test; start the parenting course"  # unchanged
    page = keyworker.get("hearings.show", reference=case.reference, hearing_id=nlr.id)
    assert "Attend every test" in page.select_one("#outcome").get_text()
    earlier = page.select_one(".app-amended").get_text(" ", strip=True)
    assert "Amended" in earlier and "start the parenting course" in earlier


# --- Extensions and the clock -------------------------------------------------------------


def test_manager_records_an_extension_and_the_deadline_moves(manager, case):
    manager.post(
        "hearings.extension",
        {"granted_on": _date(date(2027, 3, 1)), "weeks": "8", "reason": "Assessment pending"},
        reference=case.reference,
    )

    assert db.session.scalar(select(Extension.weeks)) == 8
    page = manager.get("hearings.index", reference=case.reference)
    text = page.get_text(" ", strip=True)
    # Issued 2 November 2026: 26 weeks is 3 May 2027, eight more is 28 June 2027.
    assert "Statutory deadline 3 May 2027" in text
    assert "Deadline now 28 June 2027" in text
    assert "Week 19 of 26" in text
    assert "Assessment pending" in page.select("table")[-1].get_text()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weeks": "9"}, "An extension can be at most 8 weeks"),
        ({"weeks": ""}, "Enter the number of weeks, from 1 to 8"),
        ({"weeks": "0"}, "Enter the number of weeks, from 1 to 8"),
        ({"granted_on": _date(date(2026, 10, 1))},
         "The date granted must be on or after the day proceedings were issued"),
        ({"reason": ""}, "Enter the reason the court gave for the extension"),
    ],
)  # fmt: skip
def test_extension_bad_input_is_refused_naming_the_field(manager, case, data, message):
    form = {"granted_on": _date(date(2027, 3, 1)), "weeks": "4", "reason": "Assessment pending"}
    page = manager.post(
        "hearings.extension", {**form, **data}, reference=case.reference, _expected_status=200
    )
    assert error_summary(page) == [message]
    assert _count(Extension) == 0


def test_final_hearing_past_the_deadline_warns_until_extended(manager, case):
    factories.add_hearing(case, date(2027, 5, 10), kind="final_hearing", duration_minutes=180)
    warning = manager.get("hearings.index", reference=case.reference).select_one(
        ".govuk-warning-text"
    )
    assert "final hearing on 10 May 2027 is after the deadline of 3 May 2027" in warning.get_text()
    case_page = manager.get("cases.show", reference=case.reference)
    assert case_page.select_one("#hearings ~ .govuk-warning-text") is not None

    db.session.add(Extension(case_id=case.id, granted_on=date(2027, 3, 1), weeks=2, reason="x"))
    db.session.commit()
    page = manager.get("hearings.index", reference=case.reference)
    assert page.select_one(".govuk-warning-text") is None


# --- The index and the case page ----------------------------------------------------------


def test_index_lists_upcoming_then_past_with_times_and_an_empty_state(manager, case, judge):
    assert manager.get("hearings.index", reference=case.reference).select_one("#no-hearings")
    factories.add_hearing(case, date(2027, 2, 22), starts_at=time(10, 30))
    factories.add_hearing(case, date(2027, 3, 22), kind="irh", starts_at=time(14, 0))
    factories.add_hearing(case, date(2027, 3, 15))

    page = manager.get("hearings.index", reference=case.reference)

    upcoming, past = page.select("table")[:2]
    assert "Upcoming" in upcoming.caption.get_text() and "Past" in past.caption.get_text()
    cells = [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in upcoming.select("tbody tr")
    ]
    assert [c[0].split(":")[0].strip() for c in cells] == ["15 March 2027", "22 March 2027"]
    assert cells[1][1:4] == ["2:00pm", "Issues resolution hearing (IRH)", "HHJ Marsh"]
    assert "Planned" in cells[0][4]
    assert "Outcome not recorded" in past.get_text()


def test_case_page_shows_the_next_hearing_last_goals_and_the_clock(manager, case):
    held = factories.add_hearing(case, date(2027, 3, 8), status=HearingStatus.HELD)
    db.session.add(
        HearingOutcome(hearing_id=held.id, case_id=case.id, goals="Keep every test", note="Fine")
    )
    factories.add_hearing(case, date(2027, 3, 22), starts_at=time(10, 30))
    db.session.add(Extension(case_id=case.id, granted_on=date(2027, 3, 1), weeks=4, reason="x"))
    db.session.commit()

    page = manager.get("cases.show", reference=case.reference)

    section = page.select_one("#hearings").find_parent()
    text = section.get_text(" ", strip=True)
    assert "22 March 2027 at 10:30am" in text
    link = section.find("a", string="Non-lawyer review (NLR)")
    assert link["href"].endswith(f"/hearings/{held.id + 1}")
    assert "Goals set on 8 March 2027: Keep every test" in page.select_one("#last-goals").get_text(
        " ", strip=True
    )
    assert page.select_one("#clock-summary").get_text(" ", strip=True) == (
        "26-week clock: week 19 of 26, deadline 31 May 2027; 1 extension (4 weeks)."
    )
    assert page.find("a", string="All hearings")["href"].endswith("/hearings")


def _queries_for(client, endpoint, **values) -> int:
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get(endpoint, **values)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("endpoint", ["cases.show", "hearings.index"])
def test_pages_make_no_query_per_hearing(manager, case, team, endpoint):
    factories.add_hearing(case, date(2027, 3, 1))
    few = _queries_for(manager, endpoint, reference=case.reference)
    other_judge = factories.make_user("judge", team=team)
    for week in range(1, 11):
        day = date(2027, 3, 1) + timedelta(weeks=week)
        factories.add_hearing(case, day, judge_id=other_judge.id)
    many = _queries_for(manager, endpoint, reference=case.reference)
    assert many == few


def test_uk_time_reads_as_the_court_writes_it():
    assert [
        uk_time(t) for t in (time(10, 0), time(10, 30), time(12, 5), time(0, 0), time(14, 0))
    ] == [
        "10:00am",
        "10:30am",
        "12:05pm",
        "12:00am",
        "2:00pm",
    ]


def test_goals_are_optional_after_a_hearing_with_lawyers(signed_in, case):
    fcmh = factories.add_hearing(case, date(2027, 3, 9), kind="fcmh", duration_minutes=60)
    _record(signed_in("practitioner"), case, fcmh, _outcome_form(case, goals=""))
    assert db.session.scalar(select(HearingOutcome.note)) == "Good progress; father unwell"
