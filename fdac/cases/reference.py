"""Case identifiers: the team's own reference and the family court's case number. Pure."""

import re
from collections.abc import Iterable

# FDAC-2026-0042: the programme's reference, by year of entry.
REFERENCE_PATTERN = re.compile(r"^FDAC-(\d{4})-(\d{4})$")
# ZW26C00123: two-letter court code, two-digit year, C for care, five digits (DOMAIN.md).
COURT_NUMBER_PATTERN = re.compile(r"^[A-Z]{2}\d{2}C\d{5}$")


def normalise_court_number(value: str) -> str:
    """Court numbers are typed in many ways ('zw26 c 00123'); store one form."""
    return re.sub(r"\s+", "", value or "").upper()


def normalise_reference(value: str) -> str:
    return (value or "").strip().upper()


def next_reference(year: int, existing: Iterable[str]) -> str:
    """The next free reference for `year`, after the highest one already used that year."""
    used = [
        int(m.group(2))
        for ref in existing
        if (m := REFERENCE_PATTERN.match(ref)) and int(m.group(1)) == year
    ]
    return f"FDAC-{year}-{max(used, default=0) + 1:04d}"
