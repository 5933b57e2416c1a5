"""The NLR planner with plain values: a court, the diary and `today` in, placements out."""

import random
from collections import Counter
from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from hearings.calendar import Absence, Court, Sitting, bank_holiday_name
from hearings.planner import Booking, CaseToPlan, Diary, Placement, plan, plan_case

MON, TUE, WED, THU, FRI, SAT = range(6)
JUDGE, OTHER_JUDGE = 1, 2
TODAY = date(2027, 1, 1)  # a Friday


def sitting(id=1, weekday=MON, judge=JUDGE, slots=6, starts_at=time(10)) -> Sitting:
    return Sitting(id, weekday, judge, starts_at, 30, slots)


def court(*sittings: Sitting, closures=None, absences=()) -> Court:
    return Court(sittings=sittings or (sitting(),), closures=closures or {}, absences=absences)


def case(case_id=1, first=date(2027, 1, 4), until=date(2027, 3, 1), **fields) -> CaseToPlan:
    return CaseToPlan(case_id, fields.pop("judge_id", JUDGE), first, until, **fields)


def away(first_day: date, last_day: date, judge=JUDGE) -> Absence:
    return Absence(judge, first_day, last_day, "Leave")


def booked(placements: list[Placement], first_id: int = 100) -> list[Booking]:
    """The diary after the service has applied `placements`: one NLR booking for each."""
    return [
        Booking(
            case_id=p.case_id,
            day=p.day,
            hearing_id=p.hearing_id or first_id + i,
            sitting_id=p.sitting_id,
            slot=p.slot,
            judge_id=p.judge_id,
            is_nlr=True,
            planned_for=p.planned_for,
        )
        for i, p in enumerate(placements)
        if p.day is not None
    ]


def plan_one(the_court: Court, the_case: CaseToPlan, bookings=(), today=TODAY):
    return plan_case(the_court, the_case, Diary(bookings), today)


def days(placements: list[Placement]) -> list[date | None]:
    return [p.day for p in placements]


def test_reviews_fall_every_fourteen_days_on_the_sitting_with_the_cases_judge():
    the_case = case(first=date(2027, 1, 6), until=date(2027, 2, 21))  # Wednesday: next Monday
    placements = plan_one(court(), the_case)
    assert days(placements) == [date(2027, 1, 11), date(2027, 1, 25), date(2027, 2, 8)]
    assert all(p.judge_id == JUDGE and p.sitting_id == 1 and p.slot == 1 for p in placements)
    assert not any(p.flagged for p in placements)
    assert [p.planned_for for p in placements] == days(placements)


@pytest.mark.parametrize(
    ("weekday", "holiday", "moved_to"),
    [
        (FRI, date(2027, 3, 26), date(2027, 4, 2)),  # Good Friday
        (MON, date(2027, 3, 29), date(2027, 4, 5)),  # Easter Monday
        (MON, date(2027, 5, 3), date(2027, 5, 10)),  # early May bank holiday
        (MON, date(2026, 12, 28), date(2027, 1, 4)),  # Boxing Day 2026 (Sat) substitute
        (TUE, date(2027, 12, 28), date(2028, 1, 4)),  # Boxing Day 2027 (Sun) substitute
    ],
)
def test_a_review_on_a_bank_holiday_moves_to_the_judges_next_sitting(weekday, holiday, moved_to):
    the_case = case(first=holiday, until=holiday, sitting_id=1)
    [placement] = plan_one(court(sitting(weekday=weekday)), the_case, today=holiday - timedelta(30))
    assert (placement.planned_for, placement.day) == (holiday, moved_to)
    assert placement.reason == f"bank holiday ({bank_holiday_name(holiday)})"


def test_christmas_2027_substitute_monday_cannot_move_past_the_new_year_substitute():
    # Monday sittings: 27 December 2027 (for Christmas Day, a Saturday) and 3 January 2028 (for
    # New Year's Day, a Saturday) are both bank holidays; 10 January is the next review's date.
    first = date(2027, 12, 13)
    placements = plan_one(court(), case(first=first, until=date(2028, 1, 10)), today=first)
    assert days(placements) == [date(2027, 12, 13), None, date(2028, 1, 10)]
    unplaced = placements[1]
    assert unplaced.planned_for == date(2027, 12, 27)
    assert unplaced.reason.startswith("bank holiday (Christmas Day")
    assert "no sitting with the judge before the next review" in unplaced.reason


def test_no_review_is_planned_on_a_weekend_even_on_a_weekend_sitting():
    weekend = sitting(id=1, weekday=SAT)
    the_court = court(weekend, sitting(id=2, weekday=MON))
    placements = plan_one(the_court, case(sitting_id=1))
    # Saturday 25 December 2027 is Christmas Day: it is closed as a weekend first of all.
    assert the_court.closed_because(date(2027, 12, 25)) == "weekend"
    assert [p.planned_for.weekday() for p in placements] == [SAT] * len(placements)
    assert {p.day.weekday() for p in placements} == {MON}  # two days later, the nearest
    assert {p.reason for p in placements} == {"weekend"}


def test_no_review_is_planned_on_a_closure_day():
    the_court = court(closures={date(2027, 1, 18): "Staff training"})
    placements = plan_one(the_court, case())
    assert date(2027, 1, 18) not in days(placements)
    moved = [p for p in placements if p.flagged]
    assert [(p.planned_for, p.day, p.reason) for p in moved] == [
        (date(2027, 1, 18), date(2027, 1, 25), "court closed (Staff training)")
    ]


def test_the_rhythm_continues_from_the_planned_date_not_the_moved_one():
    the_court = court(closures={date(2027, 1, 18): "Staff training"})
    placements = plan_one(the_court, case(until=date(2027, 2, 15)))
    assert days(placements) == [
        date(2027, 1, 4),
        date(2027, 1, 25),  # moved a week on
        date(2027, 2, 1),  # not 8 February: the rhythm is 4, 18 January, 1, 15 February
        date(2027, 2, 15),
    ]


def test_judge_away_moves_the_review_to_that_judges_next_sitting_never_another_judge():
    the_court = court(
        sitting(id=1, weekday=MON, judge=JUDGE),
        sitting(id=2, weekday=MON, judge=OTHER_JUDGE),  # free, the same day
        sitting(id=3, weekday=TUE, judge=OTHER_JUDGE),  # free, the next day
        absences=(away(date(2027, 1, 16), date(2027, 1, 22)),),
    )
    placements = plan_one(the_court, case())
    moved = placements[1]
    assert (moved.planned_for, moved.day, moved.reason) == (
        date(2027, 1, 18),
        date(2027, 1, 25),
        "judge away",
    )
    assert {(p.judge_id, p.sitting_id) for p in placements} == {(JUDGE, 1)}


def test_a_judge_away_too_long_leaves_the_review_unbooked_with_the_reason():
    the_court = court(absences=(away(date(2027, 1, 11), date(2027, 1, 31)),))
    placements = plan_one(the_court, case(until=date(2027, 2, 1)))
    assert days(placements) == [date(2027, 1, 4), None, date(2027, 2, 1)]
    unplaced = placements[1]
    assert unplaced.planned_for == date(2027, 1, 18)
    assert (unplaced.sitting_id, unplaced.slot, unplaced.hearing_id) == (None, None, None)
    assert unplaced.reason == "judge away; no sitting with the judge before the next review"


def test_a_judge_sitting_mondays_and_fridays_a_closed_monday_goes_to_the_nearer_friday_before():
    the_court = court(sitting(id=1, weekday=MON), sitting(id=2, weekday=FRI))
    closed = court(*the_court.sittings, closures={date(2027, 1, 18): "Staff training"})
    placements = plan_one(closed, case(sitting_id=1, until=date(2027, 1, 18)))
    # Friday 15 January is 3 days before, Friday 22 January 4 days after: the nearer wins.
    assert days(placements) == [date(2027, 1, 4), date(2027, 1, 15)]
    assert placements[1].sitting_id == 2


def test_a_judge_sitting_mondays_and_fridays_a_closed_friday_goes_to_the_nearer_monday_after():
    closed = court(
        sitting(id=1, weekday=MON),
        sitting(id=2, weekday=FRI),
        closures={date(2027, 1, 22): "Staff training"},
    )
    the_case = case(sitting_id=2, first=date(2027, 1, 8), until=date(2027, 1, 22))
    placements = plan_one(closed, the_case)
    # Monday 25 January is 3 days after, Monday 18 January 4 days before.
    assert days(placements) == [date(2027, 1, 8), date(2027, 1, 25)]


def test_at_equal_distance_the_later_sitting_is_preferred():
    closed = court(
        sitting(id=1, weekday=MON),
        sitting(id=2, weekday=WED),
        sitting(id=3, weekday=FRI),
        closures={date(2027, 1, 20): "Staff training"},
    )
    the_case = case(sitting_id=2, first=date(2027, 1, 6), until=date(2027, 1, 20))
    placements = plan_one(closed, the_case)
    # Monday 18 and Friday 22 January are both two days away from Wednesday 20 January.
    assert days(placements) == [date(2027, 1, 6), date(2027, 1, 22)]


def test_a_review_never_moves_before_today():
    # Friday 15 January would be nearer, but today is Saturday 16 January.
    closed = court(
        sitting(id=1, weekday=MON),
        sitting(id=2, weekday=FRI),
        closures={date(2027, 1, 18): "Staff training"},
    )
    placements = plan_one(closed, case(sitting_id=1), today=date(2027, 1, 16))
    assert days(placements)[0] == date(2027, 1, 22)


def test_a_full_sitting_moves_the_family_on_and_never_takes_more_families_than_slots():
    the_court = court(sitting(slots=2))
    cases = [case(case_id=n, until=date(2027, 1, 18)) for n in (1, 2, 3)]
    placements = plan(the_court, cases, [], TODAY)
    on_the_4th = [p for p in placements if p.planned_for == date(2027, 1, 4)]
    assert [(p.case_id, p.day, p.slot) for p in on_the_4th] == [
        (1, date(2027, 1, 4), 1),
        (2, date(2027, 1, 4), 2),
        (3, date(2027, 1, 11), 1),
    ]
    assert on_the_4th[2].reason == "sitting full"
    per_sitting = Counter((p.sitting_id, p.day) for p in placements)
    assert max(per_sitting.values()) == 2
    assert len({(p.sitting_id, p.day, p.slot) for p in placements}) == len(placements)


def test_never_two_hearings_for_one_case_on_one_day():
    fcmh = Booking(case_id=1, day=date(2027, 1, 18), hearing_id=7)  # booked by hand, no sitting
    placements = plan_one(court(), case(), [fcmh])
    assert date(2027, 1, 18) not in days(placements)
    moved = next(p for p in placements if p.planned_for == date(2027, 1, 18))
    assert (moved.day, moved.reason) == (
        date(2027, 1, 25),
        "the family already has a hearing that day",
    )


def test_a_judge_with_no_sitting_gets_no_plan():
    assert plan_one(court(), case(judge_id=OTHER_JUDGE)) == []


def busy_court() -> Court:
    """Two judges, three sittings, small lists, an absence, a closure and Easter."""
    return court(
        sitting(id=1, weekday=MON, judge=JUDGE, slots=3),
        sitting(id=2, weekday=THU, judge=JUDGE, slots=2),
        sitting(id=3, weekday=WED, judge=OTHER_JUDGE, slots=3),
        closures={date(2027, 2, 1): "Staff training", date(2027, 3, 10): "Building works"},
        absences=(
            away(date(2027, 2, 15), date(2027, 2, 19)),
            away(date(2027, 4, 5), date(2027, 4, 23), judge=OTHER_JUDGE),
        ),
    )


def busy_cases() -> list[CaseToPlan]:
    rng = random.Random(4)
    return [
        case(
            case_id=n,
            judge_id=JUDGE if n % 3 else OTHER_JUDGE,
            first=date(2027, 1, 4) + timedelta(days=rng.randint(0, 40)),
            until=date(2027, 6, 30),
        )
        for n in range(1, 16)
    ]


def test_a_busy_plan_keeps_every_rule():
    the_court = busy_court()
    placements = plan(the_court, busy_cases(), [], TODAY)
    placed = [p for p in placements if p.day is not None]
    assert placed and len(placed) < len(placements)  # the fixture exercises both
    for p in placed:
        assert the_court.unavailable_because(p.day, p.judge_id) is None, p
        assert the_court.sitting(p.sitting_id).judge_id == p.judge_id
        assert the_court.sitting(p.sitting_id).weekday == p.day.weekday()
        assert 1 <= p.slot <= the_court.sitting(p.sitting_id).slots
        assert p.planned_for - timedelta(days=6) <= p.day < p.planned_for + timedelta(days=14)
    assert len({(p.case_id, p.day) for p in placed}) == len(placed)
    assert len({(p.sitting_id, p.day, p.slot) for p in placed}) == len(placed)
    for case_id in {p.case_id for p in placed}:
        mine = [p.day for p in sorted(placed, key=lambda p: p.planned_for) if p.case_id == case_id]
        assert mine == sorted(mine)  # reviews stay in order
    assert all(p.reason for p in placements if p.day != p.planned_for)


def test_planning_again_changes_nothing():
    the_court = court(sitting(id=1, slots=3), closures={date(2027, 1, 18): "Staff training"})
    cases = [
        case(case_id=1, until=date(2027, 4, 30)),
        case(case_id=2, until=date(2027, 4, 30)),
        case(case_id=3, first=date(2027, 1, 11), until=date(2027, 4, 30)),
    ]
    first = plan(the_court, cases, [], TODAY)
    # Cases 1 and 2 move from the closure to the 25th, and from Easter Monday to 5 April.
    assert {p.reason for p in first} == {
        "",
        "court closed (Staff training)",
        "bank holiday (Easter Monday)",
    }
    assert all(p.day is not None for p in first)
    assert plan(the_court, cases, booked(first), TODAY) == []
    # Later on, with the earlier reviews now in the past, still nothing to do.
    assert plan(the_court, cases, booked(first), date(2027, 3, 15)) == []


def test_planning_again_only_repeats_the_reviews_that_still_cannot_be_booked():
    the_court, cases = busy_court(), busy_cases()
    first = plan(the_court, cases, [], TODAY)
    unbooked = [p for p in first if p.day is None]
    assert unbooked
    # Nothing booked or moved: the manager is told again what is still missing.
    assert plan(the_court, cases, booked(first), TODAY) == unbooked


def test_the_same_input_gives_the_same_plan_whatever_the_order_of_the_cases():
    the_court, cases = busy_court(), busy_cases()
    first = plan(the_court, cases, [], TODAY)
    assert plan(the_court, cases, [], TODAY) == first
    assert plan(the_court, list(reversed(cases)), [], TODAY) == first
    assert plan(the_court, random.Random(1).sample(cases, len(cases)), [], TODAY) == first


def test_a_booking_made_invalid_by_a_new_closure_is_moved_with_the_reason():
    first = plan_one(court(), case())
    bookings = booked(first)
    target = next(b for b in bookings if b.day == date(2027, 2, 1))
    closed = court(closures={date(2027, 2, 1): "Staff training"})
    assert plan_one(closed, case(), bookings) == [
        Placement(
            case_id=1,
            planned_for=date(2027, 2, 1),
            judge_id=JUDGE,
            day=date(2027, 2, 8),
            sitting_id=1,
            slot=1,
            hearing_id=target.hearing_id,
            reason="court closed (Staff training)",
        )
    ]


def test_a_booking_made_invalid_by_a_new_absence_moves_to_the_same_judge():
    bookings = booked(plan_one(court(sitting(id=1), sitting(id=2, judge=OTHER_JUDGE)), case()))
    later = court(
        sitting(id=1),
        sitting(id=2, judge=OTHER_JUDGE),
        absences=(away(date(2027, 1, 18), date(2027, 1, 18)),),
    )
    [moved] = plan_one(later, case(), bookings)
    assert (moved.day, moved.sitting_id, moved.judge_id, moved.reason) == (
        date(2027, 1, 25),
        1,
        JUDGE,
        "judge away",
    )
    assert moved.hearing_id is not None


@pytest.mark.parametrize("how", ["fixed", "in the past"])
def test_hearings_already_held_are_never_moved(how):
    bookings = booked(plan_one(court(), case()))
    closed = court(closures={date(2027, 1, 4): "Flood", date(2027, 1, 18): "Flood"})
    if how == "fixed":  # held, or moved by hand: the service marks it fixed
        bookings = [replace(b, fixed=True) for b in bookings]
        today = TODAY
    else:
        today = date(2027, 1, 19)
    placements = plan_one(closed, case(), bookings, today=today)
    assert [p for p in placements if p.planned_for <= date(2027, 1, 18)] == []


def test_a_cancelled_booking_is_not_rebooked_and_frees_its_slot():
    the_court = court(sitting(slots=1))
    first = plan_one(the_court, case(case_id=1))
    bookings = booked(first)
    bookings[1] = replace(bookings[1], cancelled=True)
    assert plan_one(the_court, case(case_id=1), bookings) == []
    # Another family can have the cancelled slot.
    other = case(case_id=2, first=bookings[1].day, until=bookings[1].day)
    [placement] = plan(the_court, [case(case_id=1), other], bookings, TODAY)
    assert (placement.case_id, placement.day, placement.slot) == (2, bookings[1].day, 1)


def test_a_past_review_that_was_never_booked_is_not_booked_now():
    placements = plan_one(court(), case(), today=date(2027, 1, 19))
    assert min(p.planned_for for p in placements) == date(2027, 2, 1)


def test_a_moved_review_never_jumps_past_the_next_review():
    # The review for 25 January was put early, on Tuesday 19 January. Then the court closes on
    # 11 January and on every nearer day: Friday 22 January is free, but after the next review.
    the_court = court(
        sitting(id=1, weekday=MON),
        sitting(id=2, weekday=TUE),
        sitting(id=3, weekday=FRI),
        closures={date(2027, 1, day): "Flood" for day in (5, 8, 11, 12, 15, 18)},
    )
    bookings = [
        Booking(1, date(2027, 1, 11), 7, 1, 1, JUDGE, True, date(2027, 1, 11)),
        Booking(1, date(2027, 1, 19), 8, 2, 1, JUDGE, True, date(2027, 1, 25)),
    ]
    the_case = case(first=date(2027, 1, 11), until=date(2027, 1, 25), sitting_id=1)
    [placement] = plan_one(the_court, the_case, bookings)
    assert (placement.hearing_id, placement.day) == (7, None)
    assert placement.reason.startswith("court closed (Flood)")


def test_a_review_whose_day_is_taken_by_the_review_before_it_says_so():
    # The review for 4 January was moved by hand to 19 January; 18 January is free, but would
    # come before it.
    held = Booking(1, date(2027, 1, 19), 7, None, None, JUDGE, True, date(2027, 1, 4), fixed=True)
    placements = plan_one(court(), case(until=date(2027, 2, 1)), [held])
    assert [(p.planned_for, p.day) for p in placements] == [
        (date(2027, 1, 18), date(2027, 1, 25)),
        (date(2027, 2, 1), date(2027, 2, 1)),
    ]
    assert placements[0].reason == "it would fall out of order with the family's other reviews"


def test_a_review_is_never_moved_past_the_cases_last_day_before_the_irh():
    closed = court(closures={date(2027, 2, 15): "Staff training"})
    the_case = case(until=date(2027, 2, 15))
    assert days(plan_one(closed, the_case))[-1] == date(2027, 2, 22)  # no IRH: a week later
    # The IRH is on Tuesday 16 February: the review cannot go after it.
    before_irh = replace(the_case, last_day=date(2027, 2, 15))
    last = plan_one(closed, before_irh)[-1]
    assert (last.planned_for, last.day) == (date(2027, 2, 15), None)
    assert last.reason.startswith("court closed (Staff training)")
