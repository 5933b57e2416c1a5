"""The court set-up pages: a team manager's sittings, judges' absences and closure days."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from fdac.cases.phases import Phase
from fdac.dates import london_today, uk_date
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.forms import parse_time
from hearings.calendar import bank_holiday_name, first_on_weekday
from hearings.court_rules import coming_bank_holidays
from hearings.models import ClosureDay, Hearing, HearingChange, JudgeAbsence, Sitting
from hearings.planning import plan_reviews
from tests import factories
from tests.conftest import error_summary


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _court_day(start: date, weekday: int = 0) -> date:
    """The first `weekday` on or after `start` that is not a bank holiday."""
    day = first_on_weekday(start, weekday)
    while bank_holiday_name(day):
        day += timedelta(days=7)
    return day


def _texts(page, selector: str) -> list[str]:
    return [tag.get_text(" ", strip=True) for tag in page.select(selector)]


def _banner(page) -> str:
    banner = page.select_one(".govuk-notification-banner")
    return banner.get_text(" ", strip=True) if banner else ""


@pytest.fixture
def manager(signed_in):
    return signed_in("team_manager")


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


def _sitting_form(judge, **overrides):
    data = {
        "weekday": "1",
        "starts_at": "2pm",
        "slot_minutes": "20",
        "slots": "6",
        "judge_id": str(judge.id),
    }
    data.update(overrides)
    return data


# --- the page -----------------------------------------------------------------------------


def test_empty_court_says_what_to_do_and_lists_the_bank_holidays(manager, team):
    page = manager.get("court.index")

    text = page.get_text(" ", strip=True)
    assert team.court_name in text
    assert "No sittings set up yet." in text
    assert "No judges in this team yet." in text
    assert "No closure days coming up." in text
    assert "New judge accounts are added by an administrator." in text
    holidays = coming_bank_holidays(london_today())
    rows = page.select("#bank-holidays ~ table tbody tr")
    assert len(rows) == len(holidays) >= 8  # a year always has eight or more
    first_day, first_name = holidays[0]
    assert _texts(rows[0], "td") == [uk_date(first_day), first_name]


def test_court_page_shows_sittings_judges_absences_and_closures(manager, team, judge):
    today = london_today()
    factories.make_sitting(team, judge, weekday=0, starts_at=time(10), slot_minutes=30, slots=6)
    factories.make_sitting(team, judge, weekday=3, active=False)
    factories.add_absence(team, judge, today + timedelta(days=20), today + timedelta(days=24))
    factories.add_absence(team, judge, today - timedelta(days=30), today - timedelta(days=29))
    closure_day = _court_day(today + timedelta(days=40), weekday=2)
    factories.add_closure(team, closure_day, reason="Staff training")
    factories.add_closure(team, _court_day(today - timedelta(days=60), weekday=2))

    page = manager.get("court.index")

    sittings = page.select("#sittings + table tbody tr")
    assert [_texts(row, "td")[:4] for row in sittings] == [
        ["Mondays", "10:00am to 1:00pm", "6 slots of 30 minutes", "HHJ Marsh"]
    ]
    assert "Thursdays" in page.select_one(".govuk-details").get_text()  # retired, kept apart
    absences = page.select("#judges ~ table")[0].select("tbody tr")
    assert len(absences) == 1  # the past one is hidden
    assert _texts(absences[0], "td")[:2] == [
        f"{uk_date(today + timedelta(days=20))} to {uk_date(today + timedelta(days=24))}",
        "Leave",
    ]
    closures = page.select("#closures + table tbody tr")
    assert [_texts(row, "td")[:2] for row in closures] == [[uk_date(closure_day), "Staff training"]]

    with_past = manager.get("court.index", past="1")
    assert len(with_past.select("#closures + table tbody tr")) == 2
    assert len(with_past.select("#judges ~ table")[0].select("tbody tr")) == 2


# --- sittings -----------------------------------------------------------------------------


def test_manager_adds_a_sitting(manager, team, judge):
    response = manager.post("court.new_sitting", _sitting_form(judge))

    assert response.location.endswith("/court")
    sitting = db.session.scalar(select(Sitting))
    assert (sitting.team_id, sitting.weekday, sitting.starts_at) == (team.id, 1, time(14))
    assert (sitting.slot_minutes, sitting.slots, sitting.judge_id) == (20, 6, judge.id)
    assert sitting.active


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"slot_minutes": "0"}, "Enter a slot length of at least 5 minutes", "slot_minutes"),
        ({"slot_minutes": "241"}, "Slot length must be 240 minutes or fewer", "slot_minutes"),
        (
            {"slot_minutes": "half an hour"},
            "Slot length in minutes must be a whole number, like 30",
            "slot_minutes",
        ),
        ({"judge_id": ""}, "Select the judge who sits", "judge_id"),
        ({"weekday": ""}, "Select the day of the week the court sits", "weekday"),
        ({"weekday": "5"}, "Select the day of the week the court sits", "weekday"),
        (
            {"starts_at": "25:00"},
            "Enter the session start time as a time, like 10:30am or 2pm",
            "starts_at",
        ),
        ({"starts_at": ""}, "Enter the time the session starts", "starts_at"),
        ({"slots": "0"}, "Number of slots must be between 1 and 20", "slots"),
        ({"slots": "21"}, "Number of slots must be between 1 and 20", "slots"),
        (
            {"starts_at": "16:00", "slot_minutes": "30", "slots": "5"},
            "The session must end by 6:00pm: these slots end at 6:30pm. "
            "Start earlier, or use fewer or shorter slots",
            "slots",
        ),
    ],
)
def test_bad_sitting_is_refused_naming_the_field(manager, judge, overrides, message, field):
    page = manager.post(
        "court.new_sitting", _sitting_form(judge, **overrides), _expected_status=200
    )

    assert error_summary(page) == [message]
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{field}"
    assert page.title.get_text().startswith("Error:")
    assert _count(Sitting) == 0


def test_every_problem_with_a_sitting_shows_at_once(manager, judge):
    page = manager.post(
        "court.new_sitting",
        _sitting_form(judge, starts_at="ten", slot_minutes="0", slots="x", judge_id=""),
        _expected_status=200,
    )
    assert error_summary(page) == [
        "Enter the session start time as a time, like 10:30am or 2pm",
        "Enter a slot length of at least 5 minutes",
        "Number of slots must be a whole number, like 6",
        "Select the judge who sits",
    ]
    assert _count(Sitting) == 0


def test_another_teams_judge_is_refused(manager, judge):
    stranger = factories.make_user("judge", team=factories.make_team())
    page = manager.post(
        "court.new_sitting", _sitting_form(judge, judge_id=str(stranger.id)), _expected_status=200
    )
    assert error_summary(page) == ["Choose a judge from this team's list"]
    assert _count(Sitting) == 0


def test_session_may_end_at_six_exactly(manager, judge):
    manager.post("court.new_sitting", _sitting_form(judge, starts_at="16:00", slots="6"))
    assert _count(Sitting) == 1


def test_overlapping_sitting_for_the_same_judge_and_day_is_refused(manager, team, judge):
    factories.make_sitting(team, judge, weekday=0, starts_at=time(10), slots=6)  # to 1pm

    page = manager.post(
        "court.new_sitting",
        _sitting_form(judge, weekday="0", starts_at="12:30", slot_minutes="30", slots="2"),
        _expected_status=200,
    )

    assert error_summary(page) == [
        "HHJ Marsh already sits on Mondays from 10:00am to 1:00pm: choose a start time "
        "or slots that do not overlap that sitting"
    ]
    assert page.select_one(".govuk-error-summary a")["href"] == "#starts_at"
    assert _count(Sitting) == 1


def test_sittings_that_touch_or_are_another_judges_do_not_overlap(manager, team, judge):
    factories.make_sitting(team, judge, weekday=0, starts_at=time(10), slots=6)  # to 1pm
    other = factories.make_user("judge", team=team)
    manager.post("court.new_sitting", _sitting_form(judge, weekday="0", starts_at="1pm"))
    manager.post("court.new_sitting", _sitting_form(other, weekday="0", starts_at="10am"))
    assert _count(Sitting) == 3


def test_manager_changes_a_sitting(manager, team, judge):
    sitting = factories.make_sitting(team, judge, weekday=0, starts_at=time(10))

    form = manager.get("court.edit_sitting", sitting_id=sitting.id)
    assert form.select_one("#starts_at")["value"] == "10:00am"
    assert form.select_one("input[name=weekday][checked]")["value"] == "0"

    manager.post(
        "court.edit_sitting",
        _sitting_form(judge, weekday="0", starts_at="9:30am", slot_minutes="30", slots="6"),
        sitting_id=sitting.id,
    )
    assert (sitting.starts_at, sitting.slots) == (time(9, 30), 6)
    assert _count(Sitting) == 1


def test_a_sitting_does_not_overlap_itself_when_changed(manager, team, judge):
    sitting = factories.make_sitting(team, judge, weekday=0, starts_at=time(10), slots=6)
    manager.post(
        "court.edit_sitting",
        _sitting_form(judge, weekday="0", starts_at="10:00", slot_minutes="30", slots="4"),
        sitting_id=sitting.id,
    )
    assert sitting.slots == 4


def test_manager_retires_a_sitting_after_confirming(manager, team, judge):
    sitting = factories.make_sitting(team, judge)

    confirm = manager.get("court.retire_sitting", sitting_id=sitting.id)
    assert "Are you sure" in confirm.select_one("h1").get_text()
    assert sitting.active  # asking changes nothing

    manager.post("court.retire_sitting", {}, sitting_id=sitting.id)
    assert not sitting.active
    assert _count(Sitting) == 1  # kept: hearings point at it
    manager.get("court.edit_sitting", _expected_status=404, sitting_id=sitting.id)


# --- absences -----------------------------------------------------------------------------


def _absence_form(judge, first: date, last: date, reason="Annual leave"):
    return {
        "judge_id": str(judge.id),
        "first_day": [str(first.day), str(first.month), str(first.year)],
        "last_day": [str(last.day), str(last.month), str(last.year)],
        "reason": reason,
    }


def test_manager_adds_an_absence(manager, team, judge):
    first = london_today() + timedelta(days=30)

    page = manager.post(
        "court.new_absence",
        _absence_form(judge, first, first + timedelta(days=4)),
        _expected_status=200,
        _follow=True,
    )

    absence = db.session.scalar(select(JudgeAbsence))
    assert (absence.team_id, absence.judge_id) == (team.id, judge.id)
    assert (absence.first_day, absence.last_day) == (first, first + timedelta(days=4))
    assert absence.reason == "Annual leave"
    assert "Absence added for HHJ Marsh" in _banner(page)


def test_absence_form_picks_the_judge_from_the_link(manager, judge):
    page = manager.get("court.new_absence", judge=judge.id)
    assert page.select_one("#judge_id option[selected]")["value"] == str(judge.id)


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        (
            {"last_day": ["1", "3", "2027"]},
            "Last day of the absence must be the same as or after the first day",
            "last_day",
        ),
        ({"judge_id": ""}, "Select the judge who is away", "judge_id"),
        ({"first_day": ["", "", ""]}, "Enter the first day of the absence", "first_day"),
        (
            {"last_day": ["31", "2", "2027"]},
            "Last day of the absence must be a real date",
            "last_day",
        ),
    ],
)
def test_bad_absence_is_refused_naming_the_field(manager, judge, change, message, field):
    data = _absence_form(judge, date(2027, 3, 2), date(2027, 3, 5))
    data.update(change)

    page = manager.post("court.new_absence", data, _expected_status=200)

    assert error_summary(page) == [message]
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{field}"
    assert _count(JudgeAbsence) == 0


def test_manager_removes_an_absence_after_confirming(manager, team, judge):
    absence = factories.add_absence(team, judge, date(2027, 2, 1), date(2027, 2, 5))

    confirm = manager.get("court.remove_absence", absence_id=absence.id)
    assert "Are you sure" in confirm.select_one("h1").get_text()
    assert _count(JudgeAbsence) == 1

    manager.post("court.remove_absence", {}, absence_id=absence.id)
    assert _count(JudgeAbsence) == 0


# --- closure days -------------------------------------------------------------------------


def _closure_form(day: date, reason="Staff training"):
    return {"day": [str(day.day), str(day.month), str(day.year)], "reason": reason}


def test_manager_adds_a_closure_day(manager, team):
    day = _court_day(london_today() + timedelta(days=30), weekday=2)

    page = manager.post("court.new_closure", _closure_form(day), _expected_status=200, _follow=True)

    closure = db.session.scalar(select(ClosureDay))
    assert (closure.team_id, closure.day, closure.reason) == (team.id, day, "Staff training")
    assert f"Court closed on {uk_date(day)}" in _banner(page)


def _weekday_bank_holiday() -> date:
    return next(day for day, _ in coming_bank_holidays(london_today()) if day.weekday() < 5)


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("duplicate", "The court is already closed on {day}"),
        (
            "saturday",
            "{day} is a Saturday: the court does not sit at weekends, so there is no need to "
            "close it",
        ),
        ("bank holiday", "{day} is a bank holiday ({name}): the court is closed then anyway"),
        ("no reason", "Enter why the court is closed"),
    ],
)
def test_bad_closure_is_refused_naming_the_field(manager, team, which, message):
    day = _court_day(london_today() + timedelta(days=30), weekday=2)
    data = _closure_form(day)
    if which == "duplicate":
        factories.add_closure(team, day)
    elif which == "saturday":
        day = first_on_weekday(day, 5)
        data = _closure_form(day)
    elif which == "bank holiday":
        day = _weekday_bank_holiday()
        data = _closure_form(day)
    else:
        data["reason"] = "  "
    closures_before = _count(ClosureDay)

    page = manager.post("court.new_closure", data, _expected_status=200)

    expected = message.format(day=uk_date(day), name=bank_holiday_name(day))
    assert error_summary(page) == [expected]
    field = "reason" if which == "no reason" else "day"
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{field}"
    assert _count(ClosureDay) == closures_before


def test_manager_removes_a_closure_after_confirming(manager, team):
    closure = factories.add_closure(team, date(2027, 1, 18))

    confirm = manager.get("court.remove_closure", closure_id=closure.id)
    assert "18 January 2027" in confirm.select_one("h1").get_text()
    assert _count(ClosureDay) == 1

    manager.post("court.remove_closure", {}, closure_id=closure.id)
    assert _count(ClosureDay) == 0


# --- re-planning --------------------------------------------------------------------------


def _planned_case(team, judge):
    """A family in the trial for change, its Monday reviews booked by the planner."""
    today = london_today()
    factories.make_sitting(team, judge, weekday=0)
    case = factories.make_case(
        team, judge_id=judge.id, phase=Phase.TRIAL_FOR_CHANGE, entered_on=today - timedelta(3)
    )
    plan_reviews(case, today=today)
    db.session.commit()
    return case


def _movable_review(case) -> Hearing:
    """A future review on its planned day whose next Monday can take it."""
    today = london_today()
    reviews = db.session.scalars(
        select(Hearing).where(Hearing.case_id == case.id).order_by(Hearing.day)
    )
    return next(
        h
        for h in reviews
        if h.day > today and h.day == h.planned_for and not bank_holiday_name(h.day + timedelta(7))
    )


def _open_flag(hearing) -> Flag | None:
    return db.session.scalar(
        select(Flag).where(
            Flag.kind == "hearing_moved",
            Flag.subject == f"hearing:{hearing.id}",
            Flag.resolved_at.is_(None),
        )
    )


def test_closure_on_a_review_day_moves_the_review_and_flags_it(manager, team, judge):
    case = _planned_case(team, judge)
    review = _movable_review(case)
    planned = review.day

    page = manager.post(
        "court.new_closure", _closure_form(planned), _expected_status=200, _follow=True
    )

    assert review.day == planned + timedelta(days=7)  # the judge's next Monday sitting
    assert review.planned_for == planned  # the rhythm keeps its date
    assert "court closed (Staff training)" in review.move_reason
    assert _open_flag(review) is not None
    assert "1 review moved: see the flags on the home page" in _banner(page)


def test_absence_moves_the_judges_reviews_and_flags_them(manager, team, judge):
    case = _planned_case(team, judge)
    review = _movable_review(case)
    planned = review.day

    page = manager.post(
        "court.new_absence",
        _absence_form(judge, planned - timedelta(days=2), planned + timedelta(days=2)),
        _expected_status=200,
        _follow=True,
    )

    assert review.day == planned + timedelta(days=7)
    assert review.move_reason == "judge away"
    assert _open_flag(review) is not None
    assert "1 review moved: see the flags on the home page" in _banner(page)


def test_changing_a_sittings_start_moves_its_reviews_to_the_new_time(manager, team, judge):
    case = _planned_case(team, judge)
    review = _movable_review(case)
    sitting = review.sitting

    manager.post(
        "court.edit_sitting",
        _sitting_form(judge, weekday="0", starts_at="11:00", slot_minutes="30", slots="6"),
        sitting_id=sitting.id,
    )

    assert review.day == review.planned_for  # same day, same slot, half past ten becomes 11:30
    assert review.starts_at == sitting.rule().slot_starts(review.slot)
    assert review.starts_at.hour >= 11
    change = db.session.scalar(select(HearingChange).where(HearingChange.hearing_id == review.id))
    assert (change.from_starts_at.hour, change.reason) == (10, "The sitting's times changed")
    assert _open_flag(review) is not None


def test_moving_a_sitting_to_another_day_moves_its_reviews_without_a_second_set(
    manager, team, judge
):
    case = _planned_case(team, judge)
    reviews = db.session.scalars(select(Hearing).where(Hearing.case_id == case.id)).all()
    future = [h for h in reviews if h.day >= london_today()]

    page = manager.post(
        "court.edit_sitting",
        _sitting_form(judge, weekday="1", starts_at="10:00", slot_minutes="30", slots="6"),
        _expected_status=200,
        _follow=True,
        sitting_id=future[0].sitting_id,
    )

    after = db.session.scalars(select(Hearing).where(Hearing.case_id == case.id)).all()
    assert len(after) == len(reviews)  # moved, not booked twice
    for review in future:
        assert review.day.weekday() == 1 or bank_holiday_name(review.planned_for), (
            review.move_reason
        )
        assert review.planned_for.weekday() == 1  # the rhythm now falls on Tuesdays
        assert _open_flag(review) is not None
    assert f"{len(future)} reviews moved" in _banner(page)


def test_retiring_a_sitting_moves_its_reviews_to_the_judges_other_sitting(manager, team, judge):
    case = _planned_case(team, judge)
    review = _movable_review(case)
    monday = review.sitting
    # A second Monday sitting in the afternoon, with the same judge.
    afternoon = factories.make_sitting(team, judge, weekday=0, starts_at=time(14))

    page = manager.post(
        "court.retire_sitting", {}, _expected_status=200, _follow=True, sitting_id=monday.id
    )

    assert (review.day, review.sitting_id, review.starts_at) == (
        review.planned_for,
        afternoon.id,
        afternoon.rule().slot_starts(review.slot),
    )
    assert _open_flag(review) is not None  # same day, new time: the family must be told
    assert "moved: see the flags on the home page" in _banner(page)


def test_nothing_to_replan_says_nothing_about_reviews(manager, team, judge):
    _planned_case(team, judge)
    day = _court_day(london_today() + timedelta(days=30), weekday=2)  # a Wednesday: no reviews
    page = manager.post("court.new_closure", _closure_form(day), _expected_status=200, _follow=True)
    assert "review" not in _banner(page)


# --- who may -------------------------------------------------------------------------------


def _other_team_objects():
    other = factories.make_team()
    judge = factories.make_user("judge", team=other)
    return {
        "sitting_id": factories.make_sitting(other, judge).id,
        "absence_id": factories.add_absence(other, judge, date(2027, 2, 1), date(2027, 2, 5)).id,
        "closure_id": factories.add_closure(other, date(2027, 1, 18)).id,
    }


OBJECT_PAGES = [
    ("court.edit_sitting", "sitting_id"),
    ("court.retire_sitting", "sitting_id"),
    ("court.remove_absence", "absence_id"),
    ("court.remove_closure", "closure_id"),
]


@pytest.mark.parametrize(("endpoint", "key"), OBJECT_PAGES)
def test_another_teams_settings_are_not_found(manager, endpoint, key):
    ids = _other_team_objects()
    manager.get(endpoint, _expected_status=404, **{key: ids[key]})
    manager.post(endpoint, {}, _expected_status=404, **{key: ids[key]})
    assert _count(Sitting) == _count(JudgeAbsence) == _count(ClosureDay) == 1
    assert db.session.scalar(select(Sitting)).active


@pytest.mark.parametrize("role", ["practitioner", "judge"])
def test_only_managers_set_up_the_court(signed_in, team, role):
    judge = factories.make_user("judge", team=team)
    who = signed_in(role)
    for endpoint in ("court.index", "court.new_sitting", "court.new_absence", "court.new_closure"):
        who.get(endpoint, _expected_status=403)
    sitting = factories.make_sitting(team, judge)
    who.get("court.edit_sitting", _expected_status=403, sitting_id=sitting.id)
    who.post("court.retire_sitting", {}, _expected_status=403, sitting_id=sitting.id)
    who.post("court.new_closure", _closure_form(date(2027, 1, 20)), _expected_status=403)
    assert sitting.active
    assert _count(ClosureDay) == 0


# --- typing a time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:00", time(10)),
        ("9:30", time(9, 30)),
        ("14:30", time(14, 30)),
        ("10am", time(10)),
        ("2pm", time(14)),
        ("2.30 PM", time(14, 30)),
        ("12pm", time(12)),
        ("12am", time(0)),
        ("noon", time(12)),
        ("10", None),
        ("24:00", None),
        ("10:60", None),
        ("13pm", None),
        ("ten", None),
        ("10:00:00", None),
    ],
)
def test_session_start_time_is_read_strictly(typed, expected):
    assert parse_time(typed) == expected
