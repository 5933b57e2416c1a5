"""Graduation eligibility, the pure rule: each criterion met or not, with the reason."""

from datetime import date, timedelta

from fdac.cases.phases import Outcome
from fdac.graduations.criteria import DEFAULT_CRITERIA, Criteria
from fdac.graduations.eligibility import (
    Evidence,
    TestDay,
    clean_weeks_before,
    eligibility,
    eligible,
)
from testing_results.interpret import Overall

TODAY = date(2027, 9, 15)  # a Wednesday
FINAL_HEARING = date(2027, 9, 1)


def weekly(end: date, weeks: int, overall=Overall.NEGATIVE, **changed) -> list[TestDay]:
    """One test in each of the `weeks` weeks before `end` (3 days into each), negative unless
    `changed` gives another result for a week ({"week_2": Overall.POSITIVE}: the third)."""
    start = end - timedelta(weeks=weeks)
    tests = []
    for n in range(weeks):
        result = changed.get(f"week_{n}", overall)
        if result is not None:
            tests.append(TestDay(start + timedelta(weeks=n, days=3), result))
    return tests


def evidence(**values) -> Evidence:
    given = {
        "outcome": Outcome.REUNIFIED,
        "trial_completed": True,
        "final_hearing_on": FINAL_HEARING,
        "tests": weekly(FINAL_HEARING, 8),
    }
    return Evidence(**(given | values))


def by_key(checks):
    return {check.key: check for check in checks}


def check(key, criteria=DEFAULT_CRITERIA, **values):
    """The check `key` for evidence with `values` changed, as of TODAY."""
    return by_key(eligibility(criteria, evidence(**values), TODAY))[key]


def test_a_parent_meeting_every_default_criterion_is_eligible():
    checks = eligibility(DEFAULT_CRITERIA, evidence(), TODAY)
    assert [check.key for check in checks] == ["final_order", "trial_completed", "clean_weeks"]
    assert all(check.met for check in checks)
    assert eligible(checks)
    found = by_key(checks)
    assert found["final_order"].detail == Outcome.REUNIFIED.label
    assert found["trial_completed"].detail == "Moved on to the final stage"
    assert found["clean_weeks"].label == (
        "8 weeks of negative or explained tests before the final hearing"
    )
    assert found["clean_weeks"].detail == "8 tests, all negative or explained"


# The final order


def test_a_final_order_with_family_or_friends_counts():
    found = check("final_order", outcome=Outcome.FAMILY_OR_FRIENDS)
    assert found.met
    assert found.detail == Outcome.FAMILY_OR_FRIENDS.label


def test_fostering_adoption_or_standard_proceedings_do_not():
    for outcome in (Outcome.FOSTERING_OR_ADOPTION, Outcome.RETURNED_TO_STANDARD_PROCEEDINGS):
        checks = eligibility(DEFAULT_CRITERIA, evidence(outcome=outcome), TODAY)
        found = by_key(checks)["final_order"]
        assert not found.met
        assert found.detail == outcome.label
        assert not eligible(checks)


def test_no_final_order_yet_is_not_met_and_says_so():
    found = by_key(eligibility(DEFAULT_CRITERIA, evidence(outcome=None), TODAY))["final_order"]
    assert not found.met
    assert found.detail == "No final order recorded yet"


# The trial for change


def test_a_trial_not_completed_is_not_met():
    checks = eligibility(DEFAULT_CRITERIA, evidence(trial_completed=False), TODAY)
    found = by_key(checks)["trial_completed"]
    assert not found.met and found.detail == "Not yet completed"
    assert not eligible(checks)


# Clean weeks before the final hearing


def test_the_window_is_the_weeks_before_the_final_hearing():
    # Clean before the hearing; a positive after it does not matter.
    after = TestDay(FINAL_HEARING + timedelta(days=2), Overall.POSITIVE)
    assert check("clean_weeks", tests=[*weekly(FINAL_HEARING, 8), after]).met


def test_a_positive_inside_the_window_fails_with_its_date():
    tests = weekly(FINAL_HEARING, 8, week_5=Overall.POSITIVE)
    found = by_key(eligibility(DEFAULT_CRITERIA, evidence(tests=tests), TODAY))["clean_weeks"]
    positive_on = FINAL_HEARING - timedelta(weeks=8) + timedelta(weeks=5, days=3)
    assert not found.met
    assert found.detail == f"Positive on {positive_on.day} {positive_on:%B %Y}"


def test_a_positive_just_before_the_window_does_not_count():
    before = FINAL_HEARING - timedelta(weeks=8, days=1)
    tests = [TestDay(before, Overall.POSITIVE), *weekly(FINAL_HEARING, 8)]
    assert clean_weeks_before(tests, FINAL_HEARING, 8)[0]


def test_a_week_without_a_test_fails_and_names_the_week():
    tests = weekly(FINAL_HEARING, 8, week_3=None)
    met, detail = clean_weeks_before(tests, FINAL_HEARING, 8)
    untested = FINAL_HEARING - timedelta(weeks=8) + timedelta(weeks=3)
    assert not met
    assert detail == f"No test in the week from {untested.day} {untested:%B %Y}"


def test_no_tests_at_all_fail():
    met, detail = clean_weeks_before([], FINAL_HEARING, 8)
    assert not met
    assert detail.startswith("No test in the week from")


def test_consistent_with_prescription_counts_as_explained():
    tests = weekly(FINAL_HEARING, 8, week_2=Overall.CONSISTENT_WITH_PRESCRIPTION)
    assert clean_weeks_before(tests, FINAL_HEARING, 8) == (
        True,
        "8 tests, all negative or explained",
    )


def test_dilute_missed_refused_and_unable_to_provide_are_not_negative():
    for overall in (Overall.DILUTE, Overall.MISSED, Overall.REFUSED, Overall.UNABLE_TO_PROVIDE):
        tests = weekly(FINAL_HEARING, 8, week_4=overall)
        met, detail = clean_weeks_before(tests, FINAL_HEARING, 8)
        assert not met, overall
        assert detail.startswith(overall.label), detail


def test_a_bad_test_in_a_week_with_a_negative_still_fails():
    tests = [*weekly(FINAL_HEARING, 8), TestDay(FINAL_HEARING - timedelta(days=1), Overall.MISSED)]
    assert not clean_weeks_before(tests, FINAL_HEARING, 8)[0]


def test_a_test_on_the_day_of_the_final_hearing_is_not_before_it():
    tests = [*weekly(FINAL_HEARING, 8), TestDay(FINAL_HEARING, Overall.POSITIVE)]
    assert clean_weeks_before(tests, FINAL_HEARING, 8)[0]


def test_without_a_final_hearing_the_window_ends_today():
    tests = weekly(TODAY, 8)
    found = check("clean_weeks", final_hearing_on=None, tests=tests)
    assert found.met
    assert found.label.endswith("before today")


def test_a_final_hearing_still_to_come_does_not_ask_for_tests_in_the_future():
    booked = TODAY + timedelta(weeks=3)
    tests = weekly(TODAY, 8)
    found = check("clean_weeks", final_hearing_on=booked, tests=tests)
    assert found.met, found.detail
    assert found.label.endswith("before today")


def test_the_number_of_clean_weeks_is_the_teams_choice():
    criteria = Criteria(clean_weeks=4)
    tests = weekly(FINAL_HEARING, 4)  # four clean weeks, nothing before
    found = by_key(eligibility(criteria, evidence(tests=tests), TODAY))["clean_weeks"]
    assert found.met
    assert found.label.startswith("4 weeks")
    assert not by_key(eligibility(DEFAULT_CRITERIA, evidence(tests=tests), TODAY))[
        "clean_weeks"
    ].met


# Criteria switched off


def test_criteria_switched_off_are_not_checked():
    none = Criteria(final_order_with_family=False, trial_completed=False, clean_weeks=0)
    bad = evidence(outcome=None, trial_completed=False, tests=[])
    assert eligibility(none, bad, TODAY) == []
    only_tests = Criteria(final_order_with_family=False, trial_completed=False)
    checks = eligibility(only_tests, evidence(outcome=None, trial_completed=False), TODAY)
    assert [check.key for check in checks] == ["clean_weeks"]
    assert eligible(checks)
