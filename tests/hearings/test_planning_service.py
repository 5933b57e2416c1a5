"""The planning service on a real database: fortnightly reviews booked, moved and left alone."""

from collections import Counter
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from fdac.extensions import db
from fdac.flags.models import Flag
from hearings import booking, planning, review_plans
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Hearing, HearingChange
from tests import factories

MONDAY = 0
WEDNESDAY = 2


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


@pytest.fixture
def sitting(team, judge):
    return factories.make_sitting(team, judge, weekday=MONDAY)


def _case(team, judge, first: date, sitting=None):
    case = factories.make_case(team, judge_id=judge.id)
    planning.set_schedule(case, first, sitting.id if sitting else None, by=None)
    db.session.commit()
    return case


def _reviews(case) -> list[Hearing]:
    return list(
        db.session.scalars(
            select(Hearing).where(Hearing.case_id == case.id).order_by(Hearing.planned_for)
        )
    )


def _plan(case, today: date, weeks: int = 8):
    result = planning.plan_reviews(case, today, timedelta(weeks=weeks))
    db.session.commit()
    return result


def test_reviews_are_fortnightly_on_the_sitting_weekday_with_the_case_judge(team, judge, sitting):
    case = _case(team, judge, date(2027, 1, 11), sitting)

    result = _plan(case, today=date(2027, 1, 11), weeks=8)

    reviews = _reviews(case)
    assert [h.day for h in reviews] == [
        date(2027, 1, 11),
        date(2027, 1, 25),
        date(2027, 2, 8),
        date(2027, 2, 22),
        date(2027, 3, 8),
    ]
    assert len(result.booked) == 5
    assert {(h.kind, h.judge_id, h.sitting_id) for h in reviews} == {
        (HearingKind.NLR, judge.id, sitting.id)
    }
    assert [(h.slot, h.starts_at) for h in reviews] == [(1, time(10, 0))] * 5
    assert all(h.booked_by_id is None and h.planned_for == h.day for h in reviews)


def test_rhythm_starts_on_the_first_sitting_day_after_the_chosen_date(team, judge, sitting):
    case = _case(team, judge, date(2027, 1, 6), sitting)  # a Wednesday
    _plan(case, today=date(2027, 1, 4), weeks=3)
    assert [h.day for h in _reviews(case)] == [date(2027, 1, 11), date(2027, 1, 25)]


def test_bank_holiday_moves_to_the_nearest_sitting_with_the_reason_and_a_flag(team, judge, sitting):
    case = _case(team, judge, date(2027, 3, 15), sitting)

    result = _plan(case, today=date(2027, 3, 15), weeks=4)

    reviews = _reviews(case)
    # 29 March 2027 is Easter Monday: the nearest Monday sitting in reach is 5 April.
    assert [(h.planned_for, h.day) for h in reviews] == [
        (date(2027, 3, 15), date(2027, 3, 15)),
        (date(2027, 3, 29), date(2027, 4, 5)),
        (date(2027, 4, 12), date(2027, 4, 12)),  # the rhythm continues from the planned date
    ]
    moved = reviews[1]
    assert moved.move_reason == "bank holiday (Easter Monday)"
    flag = db.session.scalar(select(Flag).where(Flag.kind == "hearing_moved"))
    assert flag.subject == f"hearing:{moved.id}" and flag.is_open
    assert "29 March 2027" in flag.message and "5 April 2027" in flag.message
    assert review_plans.plan_summary(result) == "3 reviews booked, 1 moved from its planned date"


def test_planning_twice_changes_nothing(team, judge, sitting):
    case = _case(team, judge, date(2027, 3, 15), sitting)
    _plan(case, today=date(2027, 3, 15), weeks=8)
    before = [(h.id, h.day, h.slot) for h in _reviews(case)]

    again = _plan(case, today=date(2027, 3, 15), weeks=8)

    assert not again.changed and not again.not_booked
    assert [(h.id, h.day, h.slot) for h in _reviews(case)] == before
    assert db.session.scalar(select(func.count(HearingChange.id))) == 0
    assert review_plans.plan_summary(again) == "The reviews are already planned: nothing changed"


def test_held_hearing_and_one_moved_by_hand_are_never_moved(team, judge, sitting):
    case = _case(team, judge, date(2027, 1, 11), sitting)
    _plan(case, today=date(2027, 1, 11), weeks=4)
    held, by_hand, _ = _reviews(case)
    held.status = HearingStatus.HELD
    manager = factories.make_user("team_manager", team=team)
    booking.move(
        by_hand,
        booking.When(date(2027, 2, 1), None, judge.id),
        "Mother in hospital on the 25th",
        by=manager,
    )
    # The court then closes on both days: the planner would move a review it owned.
    factories.add_closure(team, date(2027, 1, 11))
    factories.add_closure(team, date(2027, 2, 1))

    result = _plan(case, today=date(2027, 1, 4), weeks=5)

    assert not result.moved
    db.session.refresh(held)
    db.session.refresh(by_hand)
    assert held.day == date(2027, 1, 11) and held.status is HearingStatus.HELD
    assert (by_hand.day, by_hand.planned_for) == (date(2027, 2, 1), date(2027, 1, 25))
    assert by_hand.moved_by_hand
    # Nothing was booked in the moved review's place either.
    assert len(_reviews(case)) == 3


def test_new_closure_on_a_booked_date_moves_the_review_on_replanning(team, judge, sitting):
    case = _case(team, judge, date(2027, 1, 11), sitting)
    _plan(case, today=date(2027, 1, 4), weeks=5)
    factories.add_closure(team, date(2027, 1, 25), "Building works")

    result = _plan(case, today=date(2027, 1, 4), weeks=5)

    assert [h.planned_for for h in result.moved] == [date(2027, 1, 25)]
    moved = result.moved[0]
    assert moved.day == date(2027, 2, 1)
    change = db.session.scalar(select(HearingChange))
    assert (change.change, change.from_day, change.to_day) == (
        "moved",
        date(2027, 1, 25),
        date(2027, 2, 1),
    )
    assert change.changed_by_id is None  # the planner
    assert "court closed (Building works)" in change.reason
    assert db.session.scalar(select(Flag.subject).where(Flag.kind == "hearing_moved")) == (
        f"hearing:{moved.id}"
    )


def test_judge_away_moves_to_that_judges_next_sitting_never_another_judge(team, judge, sitting):
    wednesday = factories.make_sitting(team, judge, weekday=WEDNESDAY, starts_at=time(14, 0))
    other = factories.make_user("judge", team=team, name="HHJ Other")
    factories.make_sitting(team, other, weekday=MONDAY)  # free on the day: never used
    factories.add_absence(team, judge, date(2027, 1, 25), date(2027, 1, 25), "Training")
    case = _case(team, judge, date(2027, 1, 11), sitting)

    _plan(case, today=date(2027, 1, 4), weeks=4)

    moved = [h for h in _reviews(case) if h.planned_for == date(2027, 1, 25)][0]
    assert (moved.day, moved.judge_id, moved.sitting_id) == (
        date(2027, 1, 27),
        judge.id,
        wednesday.id,
    )
    assert moved.starts_at == time(14, 0)
    assert moved.move_reason == "judge away"
    assert {h.judge_id for h in _reviews(case)} == {judge.id}


def test_a_full_sitting_is_never_over_filled_across_several_cases(team, judge):
    sitting = factories.make_sitting(team, judge, weekday=MONDAY, slots=2)
    cases = [_case(team, judge, date(2027, 1, 11), sitting) for _ in range(3)]

    for case in cases:
        _plan(case, today=date(2027, 1, 4), weeks=4)

    hearings = db.session.scalars(select(Hearing)).all()
    per_sitting = Counter((h.sitting_id, h.day) for h in hearings)
    assert max(per_sitting.values()) == 2
    assert len({(h.sitting_id, h.day, h.slot) for h in hearings}) == len(hearings)
    third = _reviews(cases[2])
    assert [h.day for h in third] == [date(2027, 1, 18), date(2027, 2, 1)]
    assert {h.move_reason for h in third} == {"sitting full"}


def test_a_cancelled_review_is_not_booked_again(team, judge, sitting):
    case = _case(team, judge, date(2027, 1, 11), sitting)
    _plan(case, today=date(2027, 1, 4), weeks=4)
    second = _reviews(case)[1]
    booking.cancel(second, "Family on holiday", by=factories.make_user("team_manager", team=team))

    result = _plan(case, today=date(2027, 1, 4), weeks=4)

    assert not result.changed
    assert len(_reviews(case)) == 2  # 11 and 25 January: the cancelled one is not replaced
    db.session.refresh(second)
    assert second.status is HearingStatus.CANCELLED


def test_a_case_without_a_judge_sitting_says_why(team, judge):
    case = _case(team, judge, date(2027, 1, 11))
    result = _plan(case, today=date(2027, 1, 4))
    assert result.why_not == "HHJ Marsh has no FDAC sitting: add one in the court set-up"
    assert _reviews(case) == []


def test_a_review_booked_by_hand_stands_for_that_days_review(team, judge, sitting):
    case = _case(team, judge, date(2027, 1, 11), sitting)
    manager = factories.make_user("team_manager", team=team)
    by_hand = booking.book(
        case, HearingKind.NLR, booking.When(date(2027, 1, 11), None, judge.id), by=manager
    )

    result = _plan(case, today=date(2027, 1, 4), weeks=4)

    assert [h.day for h in result.booked] == [date(2027, 1, 25)]
    assert sorted((h.day, h.id) for h in _reviews(case)) == [
        (date(2027, 1, 11), by_hand.id),
        (date(2027, 1, 25), result.booked[0].id),
    ]
    assert not _plan(case, today=date(2027, 1, 4), weeks=4).changed


def test_a_review_is_never_moved_onto_or_past_the_irh(team, judge, sitting):
    case = _case(team, judge, date(2027, 1, 11), sitting)
    factories.add_hearing(case, date(2027, 1, 26), kind="irh", starts_at=time(14, 0))
    factories.add_closure(team, date(2027, 1, 25))  # the next Monday, 1 February, is too late

    result = _plan(case, today=date(2027, 1, 4), weeks=8)

    nlrs = [h for h in _reviews(case) if h.kind is HearingKind.NLR]
    assert [h.day for h in nlrs] == [date(2027, 1, 11)]
    assert [p.planned_for for p in result.not_booked] == [date(2027, 1, 25)]
    assert db.session.scalar(select(Flag.kind).where(Flag.kind == "review_not_booked"))


def test_a_new_first_review_date_replaces_the_old_rhythm_instead_of_doubling_it(team):
    judge = factories.make_user("judge", team=team)
    factories.make_sitting(team, judge, weekday=0)
    case = factories.make_case(team, judge_id=judge.id, entered_on=date(2027, 1, 4))
    today = date(2027, 1, 4)
    planning.plan_reviews(case, today)
    db.session.commit()
    first_plan = sorted(h.day for h in db.session.scalars(select(Hearing)))
    assert first_plan[0] == date(2027, 1, 4)

    # The manager moves the rhythm on a week: reviews now fall on the other Mondays.
    planning.set_schedule(case, date(2027, 1, 11), None, by=None)
    result = planning.plan_reviews(case, today)
    db.session.commit()

    live = [h for h in db.session.scalars(select(Hearing)) if h.status is HearingStatus.PLANNED]
    days = sorted(h.day for h in live)
    assert days[0] == date(2027, 1, 11)
    assert all((day - date(2027, 1, 11)).days % 14 == 0 for day in days)
    assert len(result.cancelled) == len(first_plan)
    cancelled = [h for h in db.session.scalars(select(Hearing)) if h.is_cancelled]
    assert all(h.changes[-1].change == "cancelled" for h in cancelled)
