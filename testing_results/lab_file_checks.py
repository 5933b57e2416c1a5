"""Checking a lab file's rows: every problem in the whole file, each by row and column.

Cells are read and checked column by column (lab_file_cells.py), cases and parents are looked
up in bulk, the rows of each sample must agree, and each sample is then checked against
services.problems(), the rule the forms use too (lab_file_samples.py).
"""

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import select

from fdac.auth.access import Action, can, visible_cases
from fdac.cases.models import Case, Parent
from fdac.extensions import db
from fdac.paging import in_chunks
from testing_results.lab_file import REQUIRED_COLUMNS, ImportRejected, RowError
from testing_results.lab_file_cells import (
    Cells,
    Distinct,
    Parsed,
    Problems,
    check_cells,
    first_of_each,
    group_ids,
    quoted,
)
from testing_results.lab_file_samples import (
    Layout,
    RowParents,
    Samples,
    check_samples,
    columns,
)
from testing_results.panels import MATRICES, Matrix


def check(frame: pd.DataFrame, *, user, today: date) -> Samples:
    """Every sample in the file, checked; ImportRejected with every problem."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ImportRejected(
            [RowError(1, name, f"The file has no {name} column: add it") for name in missing]
        )
    found = Problems(frame.index.to_numpy())
    cells = check_cells(frame, found)
    parents = _find_parents(frame, user, found)
    layout = _check_one_sample_per_key(frame, cells, parents, found)
    check_samples(frame, cells, parents, layout, found, today)
    if found.errors:
        raise ImportRejected(found.sorted())
    return columns(frame, cells, parents, layout)


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _find_parents(frame: pd.DataFrame, user, found: Problems) -> RowParents:
    """Each row's parent, from the cases the user may record results for: two queries."""
    references, names = Distinct(frame["case_reference"]), Distinct(frame["parent_name"])
    refs = references.each(str.upper)  # as normalise_reference() stores them
    found.flag(references.empty(), "case_reference", "Enter the case's FDAC reference")
    found.flag(names.empty(), "parent_name", "Enter the parent's name")
    wanted = sorted({text.upper() for text in references.texts} - {""})
    cases: dict[str, Case] = {}
    for chunk in in_chunks(wanted):
        query = visible_cases(user).where(Case.reference.in_(chunk))
        cases.update((case.reference, case) for case in db.session.scalars(query))
    case_problem = {}
    for ref in wanted:
        case = cases.get(ref)
        if case is None:
            case_problem[ref] = (
                f"{quoted(ref)} is not a case you can record results for: check the FDAC reference"
            )
        elif not can(user, Action.RECORD_RESULTS, case):
            case_problem[ref] = (
                f"Case {ref} is closed: results cannot be added to it"
                if case.is_closed
                else f"You cannot record results for case {ref}"
            )
    by_name: dict[tuple[int, str], list[Parent]] = {}
    case_ids = [case.id for ref, case in cases.items() if ref not in case_problem]
    for chunk in in_chunks(case_ids):
        for parent in db.session.scalars(select(Parent).where(Parent.case_id.in_(chunk))):
            by_name.setdefault((parent.case_id, _folded(parent.name)), []).append(parent)

    # Each distinct (case_reference, parent_name) once: a file names a few hundred parents.
    ref_codes = pd.factorize(refs)[0]
    folded = names.each(_folded)
    name_codes = pd.factorize(folded)[0]
    pair_of_row, firsts = first_of_each(group_ids(np.stack([ref_codes, names.codes])))
    parents: list[Parent] = []
    outcomes = []  # per pair: (parent index, column, message)
    for position in firsts.tolist():
        ref, name, raw = refs[position], folded[position], names.cells[position]
        outcome = (-1, None, None)
        if ref in case_problem:
            outcome = (-1, "case_reference", case_problem[ref])
        elif ref and name:
            matches = by_name.get((cases[ref].id, name), [])
            if len(matches) == 1:
                parents.append(matches[0])
                outcome = (len(parents) - 1, None, None)
            elif not matches:
                outcome = (-1, "parent_name", f"{quoted(raw)} is not a parent in case {ref}")
            else:
                outcome = (
                    -1,
                    "parent_name",
                    f"Case {ref} has {len(matches)} parents called {quoted(raw)}: "
                    "enter this result in the case instead",
                )
        outcomes.append(outcome)
    wrong = np.array([column is not None for _, column, _ in outcomes], dtype=bool)
    for position in np.flatnonzero(wrong[pair_of_row]).tolist():
        _, column, message = outcomes[pair_of_row[position]]
        found.add(position, column, message)
    case_of = {case.id: case for case in cases.values()}
    return RowParents(
        parents=parents,
        entered_fdac=[case_of[parent.case_id].entered_on for parent in parents],
        of_row=np.array([index for index, _, _ in outcomes], dtype=np.int64)[pair_of_row],
        reference=ref_codes,
        name=name_codes,
    )


def _value_codes(parsed: Parsed) -> np.ndarray:
    """A number for each row's value (-1: none), equal for equal values (1 and 1.0 too)."""
    numbers: dict = {}
    return parsed.of_values(lambda v: -1 if v is None else numbers.setdefault(v, len(numbers)), int)


SAMPLE_COLUMNS = ("case_reference", "parent_name", "test", "collected_on", "reported_on")
SAMPLE_COLUMNS += ("status", "creatinine_mg_dl", "observed")


def _check_one_sample_per_key(
    frame: pd.DataFrame, cells: Cells, parents: RowParents, found: Problems
) -> Layout:
    """Rows of one sample must agree on the sample's own fields."""
    codes = cells.sample
    layout = Layout(codes)
    first = layout.starts[codes]
    positions = np.arange(len(codes))
    rows = cells.rows
    valid = ((frame["lab"] != "") & (frame["lab_reference"] != "")).to_numpy()
    same_as_first = {
        "case_reference": parents.reference,
        "parent_name": parents.name,
        "test": cells.matrix_code,
        "collected_on": _value_codes(cells.collected),
        "reported_on": _value_codes(cells.reported),
        "status": cells.status_code,
        "creatinine_mg_dl": _value_codes(cells.creatinine),
        "observed": pd.factorize(cells.observed)[0],
    }
    for name in SAMPLE_COLUMNS:
        values = same_as_first[name]
        differ = np.flatnonzero(valid & (values != values[first])).tolist()
        if not differ:
            continue
        raw = frame[name].to_numpy()  # rows can only differ in a column the file has
        for p in differ:
            shown = quoted(raw[first[p]]) if raw[first[p]] else "it empty"
            found.add(
                p,
                name,
                f"Use the same {name} in every row of one sample: row {rows[first[p]]} has "
                f"{shown} (same lab and lab_reference)",
            )

    single = cells.single
    one_row = valid & (positions != first) & (cells.not_taken | single)
    for p in np.flatnonzero(one_row).tolist():
        what = (
            "A test that did not happen"
            if cells.not_taken[p]
            else f"A {MATRICES[cells.matrix[p]].label} result"
        )
        found.add(
            p,
            "lab_reference",
            f"{what} has one row: row {rows[first[p]]} has the same lab and lab_reference",
        )

    # The same substance twice in one sample (in one hair segment): by value, 1 cm as 1.0 cm.
    def normalised(parsed: Parsed) -> np.ndarray:
        return pd.factorize(parsed.of_values(lambda v: "" if v is None else str(v.normalize())))[0]

    reading = np.stack(
        [codes, cells.substance_code, normalised(cells.seg_from), normalised(cells.seg_to)]
    )
    group, first_of_group = first_of_each(group_ids(reading))
    first_reading = first_of_group[group]
    again = valid & cells.taken & ~single & (positions != first_reading)
    again &= cells.substance_code >= 0
    for p in np.flatnonzero(again).tolist():
        found.add(
            p,
            "substance",
            f"{cells.substance[p].label} is already in row {rows[first_reading[p]]} of this sample"
            + (" for the same hair segment" if cells.matrix[p] is Matrix.HAIR else ""),
        )
    return layout
