"""Conflicts in the diary, from plain values: a judge double-booked, a parent in two places,
a sitting over capacity; and none for back-to-back slots."""

from datetime import date, time

from hearings.conflicts import (
    ConflictKind,
    Listed,
    Person,
    SittingSize,
    by_hearing,
    find_conflicts,
    judge_double_booked,
    parent_in_two_places,
    sittings_over_capacity,
)

MONDAY = date(2027, 3, 1)
KELLY = Person("Kelly Ashworth", date(1994, 3, 27))
DEAN = Person("Dean Ashworth", date(1990, 8, 2))


def hearing(hearing_id, case_id, at, minutes=30, *, day=MONDAY, judge=7, sitting=None, parents=()):
    return Listed(
        hearing_id=hearing_id,
        case_id=case_id,
        reference=f"FDAC-2026-{case_id:04d}",
        day=day,
        starts_at=at,
        duration_minutes=minutes,
        judge_id=judge,
        judge_name="HHJ Patel" if judge == 7 else "HHJ Okafor",
        sitting_id=sitting,
        parents=tuple(parents),
    )


def test_judge_in_two_cases_at_overlapping_times_is_double_booked():
    fcmh = hearing(1, 1, time(10), 60)
    review = hearing(2, 2, time(10, 30))

    [conflict] = judge_double_booked([fcmh, review])

    assert conflict.kind is ConflictKind.JUDGE_DOUBLE_BOOKED
    assert conflict.hearing_ids == (1, 2)
    assert conflict.message == (
        "HHJ Patel is double-booked on 1 March 2027: "
        "FDAC-2026-0001 at 10:00am and FDAC-2026-0002 at 10:30am"
    )


def test_different_judges_or_days_at_the_same_time_are_no_conflict():
    hearings = [
        hearing(1, 1, time(10)),
        hearing(2, 2, time(10), judge=8),
        hearing(3, 3, time(10), day=date(2027, 3, 8)),
    ]

    assert judge_double_booked(hearings) == []


def test_back_to_back_slots_are_no_conflict_of_any_kind():
    sitting = SittingSize(5, 2, "Monday 10:00am sitting (HHJ Patel)")
    first = hearing(1, 1, time(10), sitting=5, parents=[KELLY])
    second = hearing(2, 2, time(10, 30), sitting=5, parents=[KELLY])

    assert find_conflicts([first, second], [sitting]) == []


def test_the_same_parent_in_two_cases_at_overlapping_times_is_in_two_places():
    # The same person entered on two cases: same name (spacing and case aside) and birth date.
    other_entry = Person("kelly  ashworth", KELLY.date_of_birth)
    review = hearing(1, 1, time(10), parents=[KELLY, DEAN])
    irh = hearing(2, 2, time(10, 15), 60, judge=8, parents=[other_entry])

    [conflict] = parent_in_two_places([review, irh])

    assert conflict.kind is ConflictKind.PARENT_IN_TWO_PLACES
    assert conflict.hearing_ids == (1, 2)
    assert conflict.message == (
        "Kelly Ashworth is due in two places on 1 March 2027: "
        "FDAC-2026-0001 at 10:00am and FDAC-2026-0002 at 10:15am"
    )


def test_a_namesake_with_another_birth_date_is_another_person():
    namesake = Person("Kelly Ashworth", date(1971, 1, 5))
    hearings = [
        hearing(1, 1, time(10), parents=[KELLY]),
        hearing(2, 2, time(10), judge=8, parents=[namesake]),
    ]

    assert parent_in_two_places(hearings) == []


def test_more_families_in_a_sitting_than_its_slots_is_over_capacity():
    # The sitting went down to 2 slots after three families were booked into it.
    sitting = SittingSize(5, 2, "Monday 10:00am sitting (HHJ Patel)")
    hearings = [
        hearing(3, 3, time(11), sitting=5),
        hearing(1, 1, time(10), sitting=5),
        hearing(2, 2, time(10, 30), sitting=5),
        hearing(4, 4, time(10), sitting=5, day=date(2027, 3, 8)),
    ]

    [conflict] = sittings_over_capacity(hearings, [sitting])

    assert conflict.kind is ConflictKind.SITTING_OVER_CAPACITY
    assert conflict.day == MONDAY
    assert conflict.hearing_ids == (1, 2, 3)
    assert conflict.message == (
        "The Monday 10:00am sitting (HHJ Patel) on 1 March 2027 has 3 families booked for 2 slots"
    )


def test_a_full_sitting_is_not_over_capacity():
    sitting = SittingSize(5, 2, "Monday 10:00am sitting (HHJ Patel)")
    hearings = [hearing(1, 1, time(10), sitting=5), hearing(2, 2, time(10, 30), sitting=5)]

    assert sittings_over_capacity(hearings, [sitting]) == []


def test_each_hearing_lists_the_conflicts_it_is_part_of():
    first = hearing(1, 1, time(10), parents=[KELLY])
    second = hearing(2, 2, time(10), parents=[KELLY])
    unrelated = hearing(3, 3, time(14))

    conflicts = find_conflicts([first, second, unrelated], [])
    found = by_hearing(conflicts)

    assert {c.kind for c in conflicts} == {
        ConflictKind.JUDGE_DOUBLE_BOOKED,
        ConflictKind.PARENT_IN_TWO_PLACES,
    }
    assert len(found[1]) == len(found[2]) == 2
    assert 3 not in found
