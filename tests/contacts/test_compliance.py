"""Contact compliance, the pure rule: attended contacts per London week against the target."""

from datetime import UTC, date, datetime, timedelta

import pytest

from fdac.cases.phases import Phase
from fdac.contacts.compliance import (
    Compliance,
    ContactRow,
    compliance,
    week_start,
)
from fdac.contacts.kinds import ContactOutcome
from fdac.contacts.targets import DEFAULT_TARGETS, weekly_target
from fdac.dates import LONDON

ATTENDED = ContactOutcome.ATTENDED
DNA = ContactOutcome.DID_NOT_ATTEND
BY_PARENT = ContactOutcome.CANCELLED_BY_PARENT
BY_TEAM = ContactOutcome.CANCELLED_BY_TEAM

# A Wednesday; its week runs from Monday 7 July to Sunday 13 July 2027.
TODAY = date(2027, 7, 7)
THIS_MONDAY = date(2027, 7, 5)


def target_of(n):
    return lambda monday: n


def rows(*pairs):
    return [ContactRow(day, outcome) for day, outcome in pairs]


def attended_on(*days):
    return [ContactRow(day, ATTENDED) for day in days]


def by_week(result: Compliance) -> dict[date, int]:
    return {week.starts_on: week.attended for week in result.weeks}


def london_day(utc: datetime) -> date:
    """As the loader does: the stored UTC instant, turned into its London calendar day."""
    return utc.astimezone(LONDON).date()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Weeks Monday to Sunday


def test_weeks_run_monday_to_sunday_and_the_last_is_this_week():
    assert week_start(date(2027, 7, 5)) == date(2027, 7, 5)  # a Monday
    assert week_start(date(2027, 7, 11)) == date(2027, 7, 5)  # the Sunday after
    assert week_start(date(2027, 7, 12)) == date(2027, 7, 12)

    result = compliance([], target_of(2), TODAY)

    assert len(result.weeks) == 12
    assert all(week.starts_on.weekday() == 0 for week in result.weeks)
    assert result.this_week.starts_on == THIS_MONDAY
    assert result.this_week.ends_on == date(2027, 7, 11)
    assert not result.this_week.complete
    assert all(week.complete for week in result.weeks[:-1])
    assert result.weeks[0].starts_on == THIS_MONDAY - timedelta(weeks=11)


def test_a_sunday_contact_counts_in_the_week_before_a_monday_one():
    last_sunday, this_monday = date(2027, 7, 4), date(2027, 7, 5)
    result = compliance(attended_on(last_sunday, this_monday), target_of(2), TODAY)
    assert by_week(result)[date(2027, 6, 28)] == 1
    assert by_week(result)[THIS_MONDAY] == 1


# Clock changes: each contact counted once, in its London week


def test_the_week_the_clocks_go_back_in_october_counts_each_contact_once():
    # Clocks go back at 02:00 BST (01:00 UTC) on Sunday 31 October 2027.
    instants = [
        utc(2027, 10, 24, 23, 30),  # 00:30 BST Monday 25 October: the first day of the week
        utc(2027, 10, 30, 23, 30),  # 00:30 BST Sunday 31 October, not Saturday
        utc(2027, 10, 31, 0, 30),  # 01:30 BST, the first time round
        utc(2027, 10, 31, 1, 30),  # 01:30 GMT, the second time round: a different contact
        utc(2027, 10, 31, 23, 30),  # 23:30 GMT Sunday: still the same week
        utc(2027, 11, 1, 0, 30),  # 00:30 GMT Monday 1 November: the next week
    ]
    days = [london_day(at) for at in instants]
    assert days[1] == date(2027, 10, 31)
    today = date(2027, 11, 3)

    result = compliance(attended_on(*days), target_of(2), today)

    weeks = by_week(result)
    assert weeks[date(2027, 10, 18)] == 0
    assert weeks[date(2027, 10, 25)] == 5
    assert weeks[date(2027, 11, 1)] == 1
    assert sum(weeks.values()) == len(instants)


def test_the_week_the_clocks_go_forward_in_march_counts_each_contact_once():
    # Clocks go forward at 01:00 GMT on Sunday 28 March 2027.
    instants = [
        utc(2027, 3, 21, 23, 30),  # 23:30 GMT Sunday 21 March: the week before
        utc(2027, 3, 22, 0, 30),  # Monday 22 March
        utc(2027, 3, 27, 23, 30),  # 23:30 GMT Saturday 27 March
        utc(2027, 3, 28, 0, 30),  # 00:30 GMT Sunday, before the change
        utc(2027, 3, 28, 1, 30),  # 02:30 BST Sunday, after it
        utc(2027, 3, 28, 22, 59),  # 23:59 BST Sunday: the last minute of the week
        utc(2027, 3, 28, 23, 30),  # 00:30 BST Monday 29 March: the next week
    ]
    days = [london_day(at) for at in instants]
    assert days[-1] == date(2027, 3, 29)
    today = date(2027, 3, 31)

    result = compliance(attended_on(*days), target_of(2), today)

    weeks = by_week(result)
    assert weeks[date(2027, 3, 15)] == 1
    assert weeks[date(2027, 3, 22)] == 5
    assert weeks[date(2027, 3, 29)] == 1
    assert sum(weeks.values()) == len(instants)


# What counts, and against whom


def test_attended_contacts_are_counted_against_the_target():
    last_week = THIS_MONDAY - timedelta(weeks=1)
    result = compliance(attended_on(last_week, last_week + timedelta(days=2)), target_of(3), TODAY)
    week = result.weeks[-2]
    assert (week.attended, week.target, week.met, week.shortfall) == (2, 3, False, 1)
    met = compliance(attended_on(last_week, last_week, last_week), target_of(3), TODAY)
    assert met.weeks[-2].met and met.weeks[-2].shortfall == 0


def test_a_team_cancellation_does_not_count_against_the_parent_a_miss_does():
    last_week = THIS_MONDAY - timedelta(weeks=1)
    result = compliance(
        rows(
            (last_week, ATTENDED),
            (last_week + timedelta(days=1), BY_TEAM),
            (last_week + timedelta(days=2), DNA),
            (last_week + timedelta(days=3), BY_PARENT),
        ),
        target_of(2),
        TODAY,
    )
    week = result.weeks[-2]
    assert week.attended == 1  # none of the others is an attended contact
    assert week.did_not_attend == 2  # the miss and the parent's cancellation
    assert week.cancelled_by_team == 1
    assert result.did_not_attend == 2
    assert result.cancelled_by_parent == 1


def test_a_team_cancellation_alone_is_never_counted_against_the_parent():
    last_week = THIS_MONDAY - timedelta(weeks=1)
    result = compliance(rows((last_week, BY_TEAM), (last_week, BY_TEAM)), target_of(1), TODAY)
    assert result.did_not_attend == 0 and result.cancelled_by_parent == 0
    assert result.weeks[-2].cancelled_by_team == 2


def test_contacts_in_the_future_are_ignored():
    tomorrow = TODAY + timedelta(days=1)
    result = compliance(rows((tomorrow, ATTENDED), (tomorrow, DNA)), target_of(2), TODAY)
    assert result.this_week.attended == 0
    assert result.did_not_attend == 0
    assert result.last_attended_on is None


def test_contacts_older_than_the_weeks_shown_are_left_out_of_the_counts():
    long_ago = THIS_MONDAY - timedelta(weeks=20)
    result = compliance(rows((long_ago, ATTENDED), (long_ago, DNA)), target_of(2), TODAY)
    assert sum(by_week(result).values()) == 0
    assert result.did_not_attend == 0
    assert result.last_attended_on == long_ago  # but the last attended one is still known


# The rolling rate


def test_the_rolling_rate_covers_the_last_four_complete_weeks_only():
    mondays = [THIS_MONDAY - timedelta(weeks=n) for n in range(6)]  # this week first
    contacts = attended_on(
        mondays[0], mondays[0], mondays[0],  # this week: not complete, not counted
        mondays[1], mondays[1],
        mondays[2],
        mondays[3], mondays[3],
        mondays[4],
        mondays[5], mondays[5], mondays[5], mondays[5],  # five weeks back: outside the four
    )  # fmt: skip
    result = compliance(contacts, target_of(2), TODAY)
    assert result.rolling_attended == 6
    assert result.rolling_target == 8
    assert result.rolling_rate == pytest.approx(0.75)


def test_the_rolling_rate_is_none_without_a_target():
    result = compliance(attended_on(THIS_MONDAY - timedelta(weeks=1)), target_of(0), TODAY)
    assert result.rolling_target == 0
    assert result.rolling_rate is None


# Days since the last attended contact


def test_days_since_the_last_attended_contact():
    result = compliance(
        rows(
            (TODAY - timedelta(days=9), ATTENDED),
            (TODAY - timedelta(days=5), ATTENDED),
            (TODAY - timedelta(days=2), DNA),  # a miss is not a contact the parent attended
        ),
        target_of(2),
        TODAY,
    )
    assert result.last_attended_on == TODAY - timedelta(days=5)
    assert result.days_since_attended == 5


def test_no_attended_contact_at_all_gives_none():
    result = compliance(rows((TODAY - timedelta(days=3), DNA)), target_of(2), TODAY)
    assert result.last_attended_on is None
    assert result.days_since_attended is None


# Flags: below target two weeks running, no recent contact


def test_weeks_below_target_count_back_from_the_last_complete_week():
    mondays = [THIS_MONDAY - timedelta(weeks=n) for n in range(1, 5)]  # last week first
    contacts = attended_on(mondays[2], mondays[2], mondays[3], mondays[3], mondays[1])
    result = compliance(contacts, target_of(2), TODAY)
    assert result.weeks_below_target_running == 2  # last week (0) and the week before (1)
    assert result.below_target_two_weeks


def test_one_week_below_target_is_not_yet_flagged():
    mondays = [THIS_MONDAY - timedelta(weeks=n) for n in range(1, 3)]
    result = compliance(attended_on(mondays[1], mondays[1]), target_of(2), TODAY)
    assert result.weeks_below_target_running == 1
    assert not result.below_target_two_weeks


def test_the_week_in_progress_never_counts_as_below_target():
    last_week = THIS_MONDAY - timedelta(weeks=1)
    result = compliance(attended_on(last_week, last_week), target_of(2), TODAY)
    assert result.this_week.attended == 0  # nothing yet this week
    assert result.weeks_below_target_running == 0
    assert not result.below_target_two_weeks


def test_weeks_without_a_target_are_never_below_it():
    result = compliance([], target_of(0), TODAY)
    assert result.weeks_below_target_running == 0
    assert all(week.met for week in result.weeks)


def test_no_recent_contact_after_seven_days_while_a_target_asks_for_contact():
    seven_days_ago = attended_on(TODAY - timedelta(days=7))
    six_days_ago = attended_on(TODAY - timedelta(days=6))
    assert compliance(seven_days_ago, target_of(2), TODAY).no_recent_contact
    assert not compliance(six_days_ago, target_of(2), TODAY).no_recent_contact
    assert compliance([], target_of(1), TODAY).no_recent_contact


def test_no_recent_contact_is_not_raised_when_no_target_asks_for_contact():
    # At referral, or closed: the target is 0, and a month without contact is expected.
    long_ago = attended_on(TODAY - timedelta(days=30))
    assert not compliance(long_ago, target_of(0), TODAY).no_recent_contact
    assert not compliance([], target_of(0), TODAY).no_recent_contact


def test_a_family_that_entered_days_ago_has_not_gone_a_week_without_contact():
    entered = TODAY - timedelta(days=3)
    assert not compliance([], target_of(1), TODAY, since=entered).no_recent_contact
    entered = TODAY - timedelta(days=8)
    assert compliance([], target_of(1), TODAY, since=entered).no_recent_contact


# `since`: no weeks before the family entered FDAC


def test_since_leaves_out_the_weeks_before_entry():
    entered = date(2027, 6, 23)  # a Wednesday, two weeks before TODAY's week
    result = compliance([], target_of(2), TODAY, since=entered)
    assert [week.starts_on for week in result.weeks] == [
        date(2027, 6, 21),
        date(2027, 6, 28),
        THIS_MONDAY,
    ]
    assert result.weeks_below_target_running == 2  # both complete weeks, none before entry
    assert result.rolling_target == 4


def test_a_family_entering_this_week_still_has_this_week_shown():
    result = compliance([], target_of(2), TODAY, since=TODAY)
    assert [week.starts_on for week in result.weeks] == [THIS_MONDAY]
    assert result.weeks_below_target_running == 0
    assert result.rolling_rate is None
    # Even an entry date still to come leaves this week to show, with nothing owed.
    later = compliance([], target_of(0), TODAY, since=TODAY + timedelta(days=14))
    assert later.this_week.starts_on == THIS_MONDAY


def test_the_number_of_weeks_shown_can_be_asked_for():
    assert len(compliance([], target_of(1), TODAY, weeks=4).weeks) == 4


# Targets follow the phase history


def test_a_case_moving_from_assessment_to_the_trial_mid_week_gets_one_then_two():
    history = [
        (date(2027, 6, 2), Phase.REFERRAL),
        (date(2027, 6, 9), Phase.ASSESSMENT),
        (date(2027, 6, 23), Phase.TRIAL_FOR_CHANGE),  # a Wednesday
    ]
    target = weekly_target(history, DEFAULT_TARGETS)
    result = compliance([], target, TODAY, since=date(2027, 6, 2))
    targets = {week.starts_on: week.target for week in result.weeks}
    assert targets == {
        date(2027, 5, 31): 0,  # entered at referral on the Wednesday
        date(2027, 6, 7): 0,  # still at referral on the Monday
        date(2027, 6, 14): 1,  # assessment
        date(2027, 6, 21): 1,  # in assessment on the Monday; the trial began on Wednesday
        date(2027, 6, 28): 2,  # trial for change
        date(2027, 7, 5): 2,
    }
