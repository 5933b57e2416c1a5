"""How a result's parts are written into a spreadsheet cell, the same in every workbook (one
case's, and the programme's)."""

from decimal import Decimal

from testing_results.interpret import Finding

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection"): `=`, `+`, `-`,
# `@`, a tab, a carriage return at the start. Decision 0030.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    """Text as a cell that no spreadsheet will run: one that begins like a formula gets a
    single quote in front ("'=HYPERLINK(...)"). openpyxl stores any string that does not begin
    with "=" as a string, so the quoted value is never a formula, and a copy saved as CSV
    keeps the quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def value(cell):
    """A cell's value, text escaped as text() does; numbers, dates and None as they are."""
    return text(cell) if isinstance(cell, str) else cell


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as an Excel number: whole values as integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def substance_name(finding: Finding) -> str:
    """'Cocaine'; a hair segment's 'Cocaine, segment 0 to 3 cm'; hair EtG as 'EtG (alcohol)'."""
    name = "EtG (alcohol)" if finding.band and finding.segment else finding.substance.label
    if finding.segment:
        s = finding.segment
        name += f", segment {s.from_cm.normalize()} to {s.to_cm.normalize()} cm"
    return name


def cutoff(finding: Finding) -> int | float | str | None:
    """The cut-off a finding was read against; PEth and hair EtG have a band instead."""
    if finding.cutoff is not None:
        return number(finding.cutoff)
    return finding.band.label if finding.band else None
