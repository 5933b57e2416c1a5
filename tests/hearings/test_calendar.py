"""The court's calendar as plain values: which days can hold a hearing, and why not."""

from datetime import date, time

import pytest

from hearings.calendar import (
    WEEKDAYS,
    Absence,
    Court,
    Sitting,
    bank_holiday_name,
    bank_holidays,
    first_on_weekday,
    fortnightly,
)

JUDGE = 1


@pytest.mark.parametrize(
    ("day", "name"),
    [
        # 2026: Christmas on a Friday, Boxing Day on a Saturday -> substitute Monday 28 December.
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day"),
        # 2027: Christmas on a Saturday -> substitute days Monday 27 and Tuesday 28 December.
        (date(2027, 12, 27), "Christmas Day"),
        (date(2027, 12, 28), "Boxing Day"),
        (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 29), "Easter Monday"),
        (date(2027, 5, 3), "May Day"),  # the early May bank holiday
        (date(2027, 5, 31), "Spring Bank Holiday"),
        (date(2027, 8, 30), "Late Summer Bank Holiday"),
        # New Year's Day 2028 is a Saturday: the substitute is Monday 3 January.
        (date(2028, 1, 3), "New Year's Day"),
    ],
)
def test_england_and_wales_bank_holidays_include_substitute_days(day, name):
    assert name in bank_holiday_name(day)
    assert Court().closed_because(day) == f"bank holiday ({bank_holiday_name(day)})"


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 12, 29),  # an ordinary Wednesday between Christmas and New Year
        date(2027, 3, 25),  # Maundy Thursday
        date(2027, 3, 17),  # St Patrick's Day: a bank holiday in Northern Ireland only
        date(2027, 11, 30),  # St Andrew's Day: Scotland only
        date(2027, 8, 2),  # Scotland's summer bank holiday, not England's
    ],
)
def test_other_days_are_not_bank_holidays_in_england_and_wales(day):
    assert bank_holiday_name(day) is None
    assert Court().closed_because(day) is None


def test_eight_bank_holidays_a_year_and_one_off_extras():
    assert len(bank_holidays(2027, 2027)) == 10  # eight, plus 25 and 26 December at a weekend
    working_days = [d for d in bank_holidays(2027, 2027) if d.weekday() < 5]
    assert len(working_days) == 8
    # The coronation of King Charles III: a one-off bank holiday on Monday 8 May 2023.
    assert date(2023, 5, 8) in bank_holidays(2023, 2023)


def test_weekends_closures_and_absences_each_say_why_the_day_cannot_be_used():
    court = Court(
        closures={date(2027, 2, 8): "Staff training", date(2027, 2, 9): ""},
        absences=(Absence(JUDGE, date(2027, 2, 15), date(2027, 2, 19), "Leave"),),
    )
    assert court.closed_because(date(2027, 2, 6)) == "weekend"
    assert court.closed_because(date(2027, 2, 7)) == "weekend"
    assert court.closed_because(date(2027, 2, 8)) == "court closed (Staff training)"
    assert court.closed_because(date(2027, 2, 9)) == "court closed"
    assert court.unavailable_because(date(2027, 2, 15), JUDGE) == "judge away"
    assert court.unavailable_because(date(2027, 2, 19), JUDGE) == "judge away"
    assert court.unavailable_because(date(2027, 2, 22), JUDGE) is None
    assert court.unavailable_because(date(2027, 2, 15), JUDGE + 1) is None  # another judge
    assert court.judge_away(JUDGE, date(2027, 2, 14)) is None


def test_slots_follow_each_other_from_the_start_of_the_sitting():
    sitting = Sitting(1, 0, JUDGE, time(10, 0), 30, 6)
    assert [sitting.slot_starts(n) for n in (1, 2, 6)] == [time(10), time(10, 30), time(12, 30)]
    assert sitting.ends_at == time(13, 0)


def test_a_judges_sittings_on_a_weekday_come_in_time_order():
    morning = Sitting(2, 0, JUDGE, time(10), 30, 4)
    afternoon = Sitting(1, 0, JUDGE, time(14), 30, 4)
    court = Court(sittings=(afternoon, morning, Sitting(3, 0, JUDGE + 1, time(9), 30, 4)))
    assert court.judge_sittings(JUDGE, 0) == [morning, afternoon]
    assert court.judge_sittings(JUDGE, 1) == []
    assert court.sitting(3).judge_id == JUDGE + 1
    assert court.sitting(99) is None


def test_the_rhythm_is_every_fourteen_days_on_the_sitting_weekday():
    assert WEEKDAYS[0] == "Monday"
    assert first_on_weekday(date(2027, 1, 6), 0) == date(2027, 1, 11)  # Wednesday -> Monday
    assert first_on_weekday(date(2027, 1, 4), 0) == date(2027, 1, 4)  # already a Monday
    assert fortnightly(date(2027, 1, 4), date(2027, 2, 1)) == [
        date(2027, 1, 4),
        date(2027, 1, 18),
        date(2027, 2, 1),
    ]
    assert fortnightly(date(2027, 1, 4), date(2027, 1, 3)) == []
