"""How a result's parts are written into a spreadsheet cell, the same in every workbook (one
case's, and the programme's)."""

from decimal import Decimal

from testing_results.interpret import Finding


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
