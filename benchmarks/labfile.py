"""A lab's results file in the documented layout (docs/lab-import.md), for parents that exist.

Mostly urine and oral fluid lab panels (one row per substance), some PEth, a few hair tests
in three segments, and the odd missed test; every sample new to the database.
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from benchmarks.history import HAIR_SEGMENTS, HAIR_SUBSTANCES, Family
from testing_results.panels import HAIR_ETG_UNIT, MATRICES, Matrix, Substance, default_cutoff

# The documented columns, in the guide's order.
COLUMNS = (
    "case_reference",
    "parent_name",
    "test",
    "collected_on",
    "reported_on",
    "lab",
    "lab_reference",
    "status",
    "substance",
    "value",
    "unit",
    "cutoff",
    "segment_from_cm",
    "segment_to_cm",
    "creatinine_mg_dl",
    "observed",
    "note",
)
LAB = "Northgate Toxicology"
# Share of samples by kind; the rest are missed tests.
KINDS = ((Matrix.URINE, 0.52), (Matrix.ORAL_FLUID, 0.34), (Matrix.PETH, 0.10), (Matrix.HAIR, 0.02))
# The lab's own cut-off where panels.py has no default (benzodiazepines in oral fluid, hair).
LAB_CUTOFFS = {Matrix.ORAL_FLUID: Decimal("10"), Matrix.HAIR: Decimal("0.05")}


@dataclass(frozen=True)
class LabFile:
    data: bytes
    rows: int
    samples: int
    readings: int  # rows that are a substance reading (not PEth, not a missed test)
    hair_segments: int


def _kind(rng: random.Random) -> Matrix | None:
    pick = rng.random()
    for matrix, share in KINDS:
        if pick < share:
            return matrix
        pick -= share
    return None  # a missed test


def _value(rng: random.Random, cutoff: Decimal | None) -> str:
    if cutoff is not None and rng.random() < 0.05:
        return str(cutoff * 3)  # a positive
    return "0" if rng.random() < 0.7 else str((cutoff or Decimal(1)) * rng.randint(1, 40) / 100)


def generate(families: list[Family], rows: int, today: date, seed: int = 7) -> LabFile:
    """`rows` rows (the last sample may report fewer substances) for `families`' parents."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = samples = readings = segments = 0
    while written < rows:
        family = rng.choice(families)
        name = rng.choice(family.parents)[1]
        span = (today - family.entered_on).days - 10
        collected = family.entered_on + timedelta(days=rng.randint(0, span))
        matrix = _kind(rng)
        if matrix is Matrix.HAIR and rows - written < len(HAIR_SEGMENTS) * len(HAIR_SUBSTANCES):
            matrix = Matrix.URINE  # a hair test is never cut short: its segments stay whole
        samples += 1
        common = {
            "case_reference": family.reference,
            "parent_name": name,
            "test": (matrix or Matrix.URINE).value,
            "collected_on": collected.isoformat(),
            "reported_on": (collected + timedelta(days=rng.randint(2, 9))).isoformat(),
            "lab": LAB,
            "lab_reference": f"NT-{samples:08d}",
            "status": "result",
            "observed": rng.choice(("yes", "yes", "yes", "no", "")),
        }
        lines = []
        if matrix is None:
            lines.append(common | {"status": "missed", "note": "Did not attend the appointment"})
        elif matrix is Matrix.PETH:
            lines.append(
                common | {"substance": "alcohol", "value": rng.randint(0, 300), "unit": "ng/mL"}
            )
        elif matrix is Matrix.HAIR:
            for start, end in HAIR_SEGMENTS:
                segments += 1
                for substance in HAIR_SUBSTANCES:
                    etg = substance is Substance.ALCOHOL
                    cutoff = None if etg else default_cutoff(matrix, substance)
                    lines.append(
                        common
                        | {
                            "substance": substance.value,
                            "value": _value(rng, cutoff or Decimal(5)),
                            "unit": HAIR_ETG_UNIT if etg else MATRICES[matrix].unit,
                            "cutoff": "" if cutoff is None else str(cutoff),
                            "segment_from_cm": str(start),
                            "segment_to_cm": str(end),
                        }
                    )
        else:
            creatinine = str(rng.randint(15, 220)) if matrix is Matrix.URINE else ""
            for substance in MATRICES[matrix].substances:
                cutoff = default_cutoff(matrix, substance) or LAB_CUTOFFS[matrix]
                lines.append(
                    common
                    | {
                        "substance": substance.value,
                        "value": _value(rng, cutoff),
                        "unit": MATRICES[matrix].unit,
                        "cutoff": str(cutoff),
                        "creatinine_mg_dl": creatinine,
                    }
                )
        lines = lines[: rows - written]
        writer.writerows([line.get(c, "") for c in COLUMNS] for line in lines)
        written += len(lines)
        readings += len(lines) if matrix not in (None, Matrix.PETH) else 0
    return LabFile(out.getvalue().encode(), written, samples, readings, segments)
