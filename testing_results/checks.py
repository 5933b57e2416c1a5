"""What makes a test result impossible to accept. Pure: used by the forms, the importer and
the API alike, so a bad value is refused the same way wherever it comes from.

Each problem is a FieldError whose `field` names where it is: "collected_on", "reported_on",
"value", "creatinine_mg_dl", "readings.<i>.value", "readings.<i>.cutoff", "segments.<i>".
"""

from datetime import date
from decimal import Decimal

from fdac.dates import uk_date
from fdac.validation import FieldError
from testing_results.interpret import Reading, Sample, Status
from testing_results.panels import MATRICES, Matrix, Substance, default_cutoff

READING_NAMES = {Matrix.BREATH: "breath reading", Matrix.PETH: "PEth reading"}


def check_dates(
    collected_on: date, *, reported_on: date | None, entered_fdac_on: date, today: date
) -> list[FieldError]:
    errors = []
    if collected_on > today:
        errors.append(FieldError("Date collected must be today or in the past", "collected_on"))
    elif collected_on < entered_fdac_on:
        errors.append(
            FieldError(
                "Date collected must be on or after the date the family entered FDAC "
                f"({uk_date(entered_fdac_on)})",
                "collected_on",
            )
        )
    if reported_on is not None and reported_on < collected_on:
        errors.append(
            FieldError("Date reported must be on or after the date collected", "reported_on")
        )
    if reported_on is not None and reported_on > today:
        errors.append(FieldError("Date reported must be today or in the past", "reported_on"))
    return errors


def _not_negative(value: Decimal | None, message: str, field: str) -> list[FieldError]:
    return [FieldError(message, field)] if value is not None and value < 0 else []


def check_values(sample: Sample) -> list[FieldError]:
    """Readings, cut-offs and hair segments that cannot be right."""
    if sample.status is not Status.RESULT:
        return []
    errors = _not_negative(sample.value, "Reading must be 0 or more", "value")
    errors += _not_negative(
        sample.creatinine_mg_dl, "Creatinine must be 0 or more", "creatinine_mg_dl"
    )
    if sample.matrix in (Matrix.BREATH, Matrix.PETH):
        if sample.value is None:
            errors.append(FieldError(f"Enter the {READING_NAMES[sample.matrix]}", "value"))
        return errors

    panel = MATRICES[sample.matrix].substances
    for i, reading in enumerate(sample.readings):
        name = reading.substance.label
        if reading.substance not in panel:
            errors.append(
                FieldError(
                    f"{name} is not tested in {MATRICES[sample.matrix].label}",
                    f"readings.{i}.substance",
                )
            )
            continue
        errors += _not_negative(
            reading.value, f"{name} concentration must be 0 or more", f"readings.{i}.value"
        )
        errors += _not_negative(
            reading.cutoff, f"{name} cut-off must be 0 or more", f"readings.{i}.cutoff"
        )
        etg = sample.matrix is Matrix.HAIR and reading.substance is Substance.ALCOHOL
        if (
            reading.value is not None
            and reading.cutoff is None
            and not etg
            and default_cutoff(sample.matrix, reading.substance) is None
        ):
            errors.append(
                FieldError(f"Enter the lab's cut-off for {name.lower()}", f"readings.{i}.cutoff")
            )
        if sample.matrix is Matrix.HAIR and (
            reading.segment is None or not 0 <= reading.segment < len(sample.segments)
        ):
            errors.append(FieldError(f"{name} result needs its hair segment", f"readings.{i}"))
    if sample.matrix is Matrix.HAIR:
        errors += check_segments(sample)
    answered = (Reading.POSITIVE, Reading.NEGATIVE)
    if not any(r.value is not None or r.screen in answered for r in sample.readings):
        errors.append(FieldError("Enter at least one substance's result", "readings"))
    return errors


def check_segments(sample: Sample) -> list[FieldError]:
    errors = []
    if not sample.segments:
        return [FieldError("Enter at least one hair segment", "segments")]
    for i, seg in enumerate(sample.segments):
        if seg.from_cm < 0 or seg.to_cm <= seg.from_cm:
            errors.append(
                FieldError(
                    f"Segment {i + 1} must start at 0 cm or more and end after it starts",
                    f"segments.{i}",
                )
            )
    ordered = sorted(range(len(sample.segments)), key=lambda i: sample.segments[i].from_cm)
    for before, after in zip(ordered, ordered[1:], strict=False):
        a, b = sample.segments[before], sample.segments[after]
        if b.from_cm < a.to_cm:
            errors.append(
                FieldError(
                    f"Segment {after + 1} ({b.from_cm} to {b.to_cm} cm) overlaps segment "
                    f"{before + 1} ({a.from_cm} to {a.to_cm} cm)",
                    f"segments.{after}",
                )
            )
    return errors
