"""Programme outcomes, the pure rule: per year of closing, as the evaluations measure them."""

from datetime import date, timedelta

import pytest

from fdac.cases.phases import Outcome
from fdac.graduations.eligibility import TestDay
from fdac.graduations.outcomes import ClosedCase, outcomes_by_year, stopped_misusing
from fdac.graduations.published import PUBLISHED
from testing_results.interpret import Overall

CLOSED_ON = date(2027, 6, 30)


def final_weeks(*results, end=CLOSED_ON) -> list[TestDay]:
    """One test in each week before `end`, the last result the nearest to closing."""
    start = end - timedelta(weeks=len(results))
    return [TestDay(start + timedelta(weeks=n, days=2), r) for n, r in enumerate(results)]


NEG = Overall.NEGATIVE


# Stopped misusing: negative or explained through the final 4 weeks, each week tested


def test_negative_through_the_final_four_weeks_is_stopped_misusing():
    assert stopped_misusing(final_weeks(NEG, NEG, NEG, NEG), CLOSED_ON)


def test_explained_tests_count_as_negative():
    tests = final_weeks(NEG, Overall.CONSISTENT_WITH_PRESCRIPTION, NEG, NEG)
    assert stopped_misusing(tests, CLOSED_ON)


def test_a_positive_in_the_final_four_weeks_is_not():
    assert not stopped_misusing(final_weeks(NEG, NEG, Overall.POSITIVE, NEG), CLOSED_ON)


def test_a_missed_or_dilute_test_in_the_final_four_weeks_is_not():
    assert not stopped_misusing(final_weeks(NEG, Overall.MISSED, NEG, NEG), CLOSED_ON)
    assert not stopped_misusing(final_weeks(NEG, NEG, NEG, Overall.DILUTE), CLOSED_ON)


def test_a_week_untested_in_the_final_four_is_not():
    tests = final_weeks(NEG, NEG, NEG, NEG)
    del tests[1]
    assert not stopped_misusing(tests, CLOSED_ON)
    assert not stopped_misusing([], CLOSED_ON)


def test_only_the_final_four_weeks_count():
    # Positive in the fifth week before closing and earlier: they had stopped by the end.
    tests = final_weeks(Overall.POSITIVE, Overall.POSITIVE, NEG, NEG, NEG, NEG)
    assert stopped_misusing(tests, CLOSED_ON)


# Outcomes per year of closing


def closed(day, outcome, children=1, stopped=(True,)):
    return ClosedCase(closed_on=day, outcome=outcome, children=children, parents_stopped=stopped)


def test_outcomes_are_grouped_by_the_year_of_closing_oldest_first():
    rows = outcomes_by_year(
        [
            closed(date(2027, 3, 1), Outcome.REUNIFIED),
            closed(date(2026, 12, 31), Outcome.FOSTERING_OR_ADOPTION),
            closed(date(2027, 1, 1), Outcome.FAMILY_OR_FRIENDS),
        ]
    )
    assert [(row.year, row.cases) for row in rows] == [(2026, 1), (2027, 2)]


def test_children_reunified_count_every_child_of_a_reunified_case_only():
    [year] = outcomes_by_year(
        [
            closed(date(2027, 2, 1), Outcome.REUNIFIED, children=2),
            # With family or friends is a good outcome, but not reunified with the carer.
            closed(date(2027, 4, 1), Outcome.FAMILY_OR_FRIENDS, children=1),
            closed(date(2027, 5, 1), Outcome.RETURNED_TO_STANDARD_PROCEEDINGS, children=3),
            closed(date(2027, 6, 1), Outcome.FOSTERING_OR_ADOPTION, children=1),
            closed(date(2027, 7, 1), None, children=1),  # closed without an outcome recorded
        ]
    )
    assert year.children == 8
    assert year.children_reunified == 2
    assert year.reunified_share == pytest.approx(0.25)


def test_parents_stopped_misusing_are_counted_per_parent():
    [year] = outcomes_by_year(
        [
            closed(date(2027, 2, 1), Outcome.REUNIFIED, stopped=(True, False)),
            closed(date(2027, 5, 1), Outcome.FOSTERING_OR_ADOPTION, stopped=(False,)),
            closed(date(2027, 6, 1), Outcome.REUNIFIED, stopped=(True,)),
        ]
    )
    assert (year.parents, year.parents_stopped) == (4, 2)
    assert year.stopped_share == pytest.approx(0.5)


def test_no_closed_cases_give_no_rows():
    assert outcomes_by_year([]) == []


def test_a_year_with_no_children_or_parents_has_no_share():
    [year] = outcomes_by_year([closed(date(2027, 2, 1), None, children=0, stopped=())])
    assert year.reunified_share is None
    assert year.stopped_share is None


def test_the_published_figures_are_those_of_the_evaluations():
    figures = {figure.source: figure for figure in PUBLISHED}
    foundations = figures["Foundations evaluation (2023)"]
    assert (foundations.reunified_fdac, foundations.reunified_comparison) == (0.52, 0.125)
    assert (foundations.stopped_fdac, foundations.stopped_comparison) == (0.336, 0.081)
    lancaster = figures["Lancaster University study (2016)"]
    assert (lancaster.reunified_fdac, lancaster.reunified_comparison) == (0.37, 0.25)
    assert (lancaster.stopped_fdac, lancaster.stopped_comparison) == (0.46, 0.30)
