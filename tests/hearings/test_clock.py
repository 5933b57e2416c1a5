"""The 26-week clock: deadline, weeks since issue, warnings, and which extensions are refused."""

from datetime import date, timedelta

import pytest

from fdac.validation import FieldError
from hearings.clock import Extension, check_extension, clock

ISSUED = date(2027, 1, 4)  # a Monday
DEADLINE = date(2027, 7, 5)  # 26 weeks later


def test_no_clock_before_proceedings_are_issued():
    assert clock(None, ISSUED) is None


def test_the_deadline_is_26_weeks_from_issue_plus_every_extension():
    assert clock(ISSUED, ISSUED).deadline == DEADLINE
    extended = clock(
        ISSUED,
        ISSUED,
        extensions=[
            Extension(date(2027, 6, 20), 4, "Assessment report late"),
            Extension(date(2027, 6, 1), 8, "Trial for change continuing"),
        ],
    )
    assert extended.statutory_deadline == DEADLINE
    assert extended.extended_weeks == 12
    assert extended.deadline == DEADLINE + timedelta(weeks=12)
    assert [e.granted_on for e in extended.extensions] == [date(2027, 6, 1), date(2027, 6, 20)]


@pytest.mark.parametrize(
    ("today", "weeks", "week"),
    [
        (ISSUED, 0, 1),
        (date(2027, 1, 10), 0, 1),
        (date(2027, 1, 11), 1, 2),
        (DEADLINE, 26, 27),
        (date(2026, 12, 31), 0, 0),  # before issue (a date typed early): never negative
    ],
)
def test_weeks_since_issue(today, weeks, week):
    assert clock(ISSUED, today).weeks_since_issue == weeks
    assert clock(ISSUED, today).week == week


@pytest.mark.parametrize(
    ("today", "near", "overdue"),
    [
        (DEADLINE - timedelta(days=29), False, False),
        (DEADLINE - timedelta(days=28), True, False),  # four weeks to go
        (DEADLINE, True, False),  # the last day
        (DEADLINE + timedelta(days=1), False, True),
    ],
)
def test_near_the_deadline_and_overdue(today, near, overdue):
    the_clock = clock(ISSUED, today)
    assert (the_clock.near_deadline, the_clock.overdue) == (near, overdue)
    assert the_clock.days_left == (DEADLINE - today).days


def test_an_extension_takes_the_case_back_from_overdue():
    today = DEADLINE + timedelta(days=3)
    assert clock(ISSUED, today).overdue
    extended = clock(ISSUED, today, extensions=[Extension(DEADLINE, 8, "Reason")])
    assert not extended.overdue
    assert not extended.near_deadline


def test_warning_when_the_final_hearing_is_planned_past_the_deadline():
    assert not clock(ISSUED, ISSUED).final_hearing_past_deadline  # none planned
    assert not clock(ISSUED, ISSUED, final_hearing_on=DEADLINE).final_hearing_past_deadline
    late = DEADLINE + timedelta(days=1)
    assert clock(ISSUED, ISSUED, final_hearing_on=late).final_hearing_past_deadline
    extended = clock(
        ISSUED, ISSUED, extensions=[Extension(ISSUED, 1, "Reason")], final_hearing_on=late
    )
    assert not extended.final_hearing_past_deadline


def refused(**fields) -> FieldError:
    values = {
        "weeks": 8,
        "granted_on": date(2027, 6, 1),
        "issued_on": ISSUED,
        "today": date(2027, 6, 2),
        "reason": "Residential assessment continuing",
    }
    with pytest.raises(FieldError) as caught:
        check_extension(**(values | fields))
    return caught.value


def test_an_extension_of_one_to_eight_weeks_is_accepted():
    for weeks in (1, 8):
        check_extension(weeks, date(2027, 6, 1), ISSUED, date(2027, 6, 1), "Reason")


@pytest.mark.parametrize("weeks", [None, 0, -1, 9, 26])
def test_an_extension_of_no_weeks_or_more_than_eight_is_refused_naming_weeks(weeks):
    error = refused(weeks=weeks)
    assert error.field == "weeks"
    assert "8" in error.message


@pytest.mark.parametrize(
    ("granted_on", "words"),
    [
        (None, "Enter the date"),
        (ISSUED - timedelta(days=1), "on or after the day proceedings were issued"),
        (date(2027, 6, 3), "today or in the past"),
    ],
)
def test_a_grant_date_before_issue_or_in_the_future_is_refused_naming_granted_on(granted_on, words):
    error = refused(granted_on=granted_on)
    assert error.field == "granted_on"
    assert words in error.message


def test_an_extension_needs_a_reason_and_an_issued_case():
    assert refused(reason="  ").field == "reason"
    no_clock = refused(issued_on=None)
    assert no_clock.field is None
    assert "not been issued" in no_clock.message
