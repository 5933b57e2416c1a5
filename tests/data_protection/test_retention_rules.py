"""The pure rules of retention: which cases are due, and what a field becomes."""

from datetime import date

import pytest

from fdac import retention
from fdac.retention import CaseState


def _closed(closed_on, anonymised_on=None, phase="closed"):
    return CaseState(1, phase, closed_on, anonymised_on)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2032, 11, 21), False),  # the day before the sixth anniversary
        (date(2032, 11, 22), True),  # the anniversary itself
        (date(2040, 1, 1), True),
    ],
)
def test_a_closed_case_is_due_on_the_anniversary_of_its_closing(today, due):
    assert retention.is_due(_closed(date(2026, 11, 22)), today, 6) is due


def test_an_open_case_an_anonymised_case_and_an_undated_closure_are_never_due():
    far = date(2099, 1, 1)
    assert not retention.is_due(_closed(date(2020, 1, 1), phase="final_stage"), far, 6)
    assert not retention.is_due(_closed(date(2020, 1, 1), anonymised_on=date(2026, 1, 1)), far, 6)
    assert not retention.is_due(_closed(None), far, 6)


def test_a_case_closed_on_29_february_is_due_on_1_march():
    assert retention.retention_ends(date(2028, 2, 29), 1) == date(2029, 3, 1)
    assert retention.retention_ends(date(2028, 2, 29), 4) == date(2032, 2, 29)


@pytest.mark.parametrize("years", [0, -1])
def test_a_period_under_a_year_is_refused(years):
    with pytest.raises(ValueError, match="at least 1 year"):
        retention.retention_ends(date(2026, 1, 1), years)


def test_the_closing_day_is_the_last_move_into_closed():
    moves = [
        ("referral", date(2025, 1, 1)),
        ("closed", date(2025, 6, 1)),
        ("closed", date(2026, 2, 3)),
    ]
    assert retention.closed_on(moves) == date(2026, 2, 3)
    assert retention.closed_on([("referral", date(2025, 1, 1))]) is None


def test_due_lists_case_ids_in_order():
    cases = [
        CaseState(9, "closed", date(2010, 1, 1), None),
        CaseState(3, "closed", date(2011, 1, 1), None),
        CaseState(5, "closed", date(2026, 1, 1), None),
    ]
    assert retention.due(cases, date(2026, 11, 22), 6) == [3, 9]


def test_dates_of_birth_keep_what_the_figures_need_and_no_more():
    assert retention.birth_month(date(2025, 8, 19)) == date(2025, 8, 1)  # age at entry to a month
    assert retention.birth_year(date(1994, 3, 27)) == date(1994, 7, 1)
    # Reducing twice changes nothing: a second run is harmless.
    assert retention.birth_month(date(2025, 8, 1)) == date(2025, 8, 1)
    assert retention.birth_year(date(1994, 7, 1)) == date(1994, 7, 1)


def test_parents_become_their_relationship_numbered_when_two_share_one():
    assert retention.parent_stand_ins(["Mother", "Father"]) == ["Mother", "Father"]
    assert retention.parent_stand_ins(["Mother", "Mother", "Parent's partner"]) == [
        "First mother",
        "Second mother",
        "Parent's partner",
    ]


def test_children_are_lettered_oldest_first_as_judgments_letter_them():
    births = [date(2024, 1, 1), date(2019, 5, 5), date(2021, 3, 3)]
    assert retention.child_stand_ins(births) == ["Child C", "Child A", "Child B"]
    assert retention.child_stand_ins([date(2020, 1, 1)] * 27)[-1] == "Child AA"


def test_the_court_number_leaves_the_frozen_header_and_the_rest_stays():
    header = {"court": "Central Family Court", "case_number": "ZW26C00042", "judge": "HHJ Patel"}
    assert retention.header_without_number(header, 7) == {
        "court": "Central Family Court",
        "case_number": "ANON-7",
        "judge": "HHJ Patel",
    }
    assert retention.header_without_number(None, 7) is None


def test_every_field_named_exists_on_its_table(app):
    from fdac.extensions import db

    for table, rules in retention.FIELDS.items():
        columns = db.metadata.tables[table].c
        assert set(rules) <= set(columns.keys()), table
