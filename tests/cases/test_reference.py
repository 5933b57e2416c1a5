import pytest

from fdac.cases.reference import (
    COURT_NUMBER_PATTERN,
    next_reference,
    normalise_court_number,
)


def test_next_reference_follows_the_highest_of_the_year_only():
    used = ["FDAC-2026-0041", "FDAC-2026-0007", "FDAC-2025-0099", "not a reference"]
    assert next_reference(2026, used) == "FDAC-2026-0042"
    assert next_reference(2027, used) == "FDAC-2027-0001"


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("ZW26C00123", True),
        ("zw26 c00123", True),
        ("ZW26P00123", False),
        ("Z26C00123", False),
        ("ZW26C0012", False),
    ],
)
def test_court_numbers_follow_the_family_court_pattern(typed, valid):
    assert bool(COURT_NUMBER_PATTERN.match(normalise_court_number(typed))) is valid
