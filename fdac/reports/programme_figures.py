"""The programme export's Summary figures: pandas over small frames, never over the rows.

The writer hands in one record per case and one per case and month it counted while it
streamed (a few thousand rows for a national-scale team-year, however many results); this
groups them by month and by phase. No Flask, no database.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from fdac.cases.phases import PHASES, Phase
from testing_results.interpret import Overall

# The Overall values in the order the Summary's columns show them.
OVERALLS = tuple(Overall)
COUNTS = ("tests", *(o.value for o in OVERALLS), "counted_as_positive")
COUNTS += ("contacts_attended", "contacts_target", "reviews_held")


@dataclass(frozen=True)
class Figures:
    months: list[dict]  # month (date, the 1st), cases_open, entered, closed, then COUNTS
    phases: list[dict]  # phase (label), cases, then COUNTS


def months_of(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


def _month_end(first: date) -> date:
    return (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()


def figures(year: int, cases: list[dict], case_months: list[dict]) -> Figures:
    """`cases`: case_id, phase (Phase), entered_on, closed_on (None while open).
    `case_months`: case_id, month (date, the 1st) and each of COUNTS."""
    months = months_of(year)
    counted = pd.DataFrame(case_months, columns=["case_id", "month", *COUNTS])
    by_month = counted.groupby("month")[list(COUNTS)].sum()
    frame = pd.DataFrame(cases, columns=["case_id", "phase", "entered_on", "closed_on"])
    entered = pd.to_datetime(frame["entered_on"])
    closed = pd.to_datetime(frame["closed_on"])
    month_rows = []
    for first in months:
        start, end = pd.Timestamp(first), pd.Timestamp(_month_end(first))
        row = {
            "month": first,
            "cases_open": int(((entered <= end) & (closed.isna() | (closed >= start))).sum()),
            "entered": int(entered.between(start, end).sum()),
            "closed": int(closed.between(start, end).sum()),
        }
        sums = by_month.loc[first] if first in by_month.index else None
        row |= {name: int(sums[name]) if sums is not None else 0 for name in COUNTS}
        month_rows.append(row)

    per_case = counted.groupby("case_id")[list(COUNTS)].sum()
    joined = frame.set_index("case_id").join(per_case).fillna(0)
    by_phase = joined.groupby("phase")[list(COUNTS)].sum()
    cases_per_phase = joined.groupby("phase").size()
    phase_rows = []
    for phase in Phase:  # the journey's order; a phase with no case is left out
        if phase not in cases_per_phase.index:
            continue
        row = {"phase": PHASES[phase].label, "cases": int(cases_per_phase[phase])}
        row |= {name: int(by_phase.loc[phase, name]) for name in COUNTS}
        phase_rows.append(row)
    return Figures(month_rows, phase_rows)
