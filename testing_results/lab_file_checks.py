"""Checking a lab file's rows: every problem in the whole file, each by row and column.

Cells are read and checked column by column (pandas), cases and parents are looked up in bulk,
and each assembled sample is then checked by services.problems(), the rule the forms use too.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
from sqlalchemy import select

from fdac.auth.access import Action, can, visible_cases
from fdac.cases.models import Case, Parent
from fdac.extensions import db
from fdac.paging import in_chunks
from testing_results.interpret import Sample, Segment, Status, SubstanceReading
from testing_results.lab_file import (
    BAD_CELL,
    COLUMNS,
    DATE_FORMATS,
    MAX_CM,
    MAX_CONCENTRATION,
    MAX_IMPORT_KEY,
    MAX_LAB,
    MAX_REFERENCE,
    OBSERVED,
    REQUIRED_COLUMNS,
    SINGLE_VALUE,
    STATUSES,
    ImportRejected,
    RowError,
)
from testing_results.models import Method
from testing_results.panels import HAIR_ETG_UNIT, MATRICES, Matrix, Substance
from testing_results.services import Draft, problems

# ----------------------------------------------------------------------------- checking


class _Problems:
    def __init__(self):
        self.errors: list[RowError] = []
        self.rows: set[int] = set()

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))
        if row is not None:
            self.rows.add(row)

    def flag(self, mask: pd.Series, column: str, message: str | Callable[[str], str], values):
        for row, raw in values[mask].items():
            self.add(row, column, message(raw) if callable(message) else message)

    def sorted(self) -> list[RowError]:
        order = {c: i for i, c in enumerate(COLUMNS)}
        return sorted(self.errors, key=lambda e: (e.row or 0, order.get(e.column, -1)))


def _parse_each(raw: pd.Series, parser) -> tuple[list, pd.Series]:
    """Parse each distinct cell once: (parsed values in row order, mask of unreadable cells)."""
    table = {text: parser(text) if text else None for text in raw.unique()}
    bad = {text for text, value in table.items() if value is BAD_CELL}
    return [table[text] for text in raw.tolist()], raw.isin(bad)


def _decimal(text: str):
    try:
        value = Decimal(text)
    except InvalidOperation:
        return BAD_CELL
    return value if value.is_finite() else BAD_CELL


def _date(text: str):
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return BAD_CELL


def _unit_key(text: str) -> str:
    key = "".join(text.split()).lower().replace("\u03bc", "\u00b5")  # Greek mu -> micro sign
    return "\u00b5" + key[1:] if key.startswith("u") else key  # "ug/100mL" is µg/100mL


MATRIX_OF = {m.value: m for m in Matrix}
SUBSTANCE_OF = {s.value: s for s in Substance}
_UNIT_KEYS = {
    u: _unit_key(u) for u in {info.unit for info in MATRICES.values()} | {HAIR_ETG_UNIT, ""}
}


def _one_of(values: Iterable[str]) -> str:
    return ", ".join(values)


def _quoted(text: str) -> str:
    return f'"{text}"'


@dataclass
class _Cells:
    """Every cell parsed, as row-ordered lists for assembling samples."""

    rows: list[int]
    matrix: list[Matrix | None]
    status: list[Status | None]
    substance: list[Substance | None]
    value: list
    cutoff: list
    seg_from: list
    seg_to: list
    creatinine: list
    observed: list
    collected: list
    reported: list
    key: pd.Series  # the sample: "lab|lab_reference", lower-cased


def _check_cells(frame: pd.DataFrame, found: _Problems) -> _Cells:
    def col(name: str) -> pd.Series:
        return frame[name] if name in frame else pd.Series("", index=frame.index)

    test = col("test").str.lower()
    is_matrix = test.isin([m.value for m in Matrix])
    found.flag(test == "", "test", f"Enter the test: {_one_of(m.value for m in Matrix)}", test)
    found.flag(
        ~is_matrix & (test != ""),
        "test",
        lambda raw: (
            f"{_quoted(raw)} is not a test we know. Use one of: " + _one_of(m.value for m in Matrix)
        ),
        col("test"),
    )
    status_text = col("status").str.lower().str.replace(" ", "_")
    found.flag(
        ~status_text.isin(list(STATUSES)),
        "status",
        lambda raw: (
            f"{_quoted(raw)} is not a status we know. Use one of: "
            + _one_of(s.value for s in Status)
        ),
        col("status"),
    )
    status = [STATUSES.get(text) for text in status_text.tolist()]
    taken = status_text.isin([text for text, s in STATUSES.items() if s is Status.RESULT])
    single = test.isin([m.value for m in SINGLE_VALUE])

    substance_text = col("substance").str.lower()
    known = substance_text.isin([s.value for s in Substance])
    needs_substance = taken & is_matrix & ~single
    found.flag(needs_substance & (substance_text == ""), "substance", "Enter the substance", test)
    found.flag(
        taken & (substance_text != "") & ~known,
        "substance",
        lambda raw: (
            f"{_quoted(raw)} is not a substance we know. Use one of: "
            + _one_of(s.value for s in Substance)
        ),
        col("substance"),
    )
    panel = {(m.value, s.value) for m, info in MATRICES.items() for s in info.substances}
    pairs = pd.Series(
        list(zip(test.tolist(), substance_text.tolist(), strict=True)), index=frame.index
    )
    alcohol_or_empty = substance_text.isin(["", Substance.ALCOHOL.value])
    outside = taken & is_matrix & known & ~pairs.isin(panel) & ~(single & alcohol_or_empty)
    for row, (matrix, substance) in pairs[outside].items():
        found.add(
            row,
            "substance",
            f"{Substance(substance).label} is not tested in {MATRICES[Matrix(matrix)].label}",
        )

    values = {}
    for name in ("value", "cutoff", "segment_from_cm", "segment_to_cm", "creatinine_mg_dl"):
        values[name], bad = _parse_each(col(name), _decimal)
        found.flag(bad, name, lambda raw: f"{_quoted(raw)} is not a number", col(name))
        limit = MAX_CM if name.startswith("segment") else MAX_CONCENTRATION
        too_big = pd.Series(
            [v is not None and v is not BAD_CELL and abs(v) >= limit for v in values[name]],
            index=frame.index,
        )
        found.flag(too_big, name, f"Must be less than {limit:,.0f}", col(name))
    value_given = col("value") != ""
    found.flag(taken & is_matrix & ~value_given, "value", "Enter the result's value", test)
    not_taken = status_text.isin([text for text, s in STATUSES.items() if s is not Status.RESULT])
    found.flag(
        not_taken & value_given,
        "value",
        "A test that did not happen has no value: leave value empty",
        test,
    )
    hair = test == Matrix.HAIR.value
    from_given, to_given = col("segment_from_cm") != "", col("segment_to_cm") != ""
    for name, given, other in (
        ("segment_from_cm", from_given, to_given),
        ("segment_to_cm", to_given, from_given),
    ):
        found.flag(is_matrix & ~hair & given, name, "Only hair results have segments", test)
        found.flag(hair & taken & ~given & other, name, "Enter both ends of the hair segment", test)
    found.flag(
        hair & taken & ~from_given & ~to_given,
        "segment_from_cm",
        "Enter the hair segment in segment_from_cm and segment_to_cm",
        test,
    )
    found.flag(
        is_matrix & (test != Matrix.URINE.value) & (col("creatinine_mg_dl") != ""),
        "creatinine_mg_dl",
        "Only urine results have a creatinine reading",
        test,
    )

    unit_text = col("unit")
    expected = test.map({m.value: info.unit for m, info in MATRICES.items()})
    expected = expected.where(~(hair & (substance_text == Substance.ALCOHOL.value)), HAIR_ETG_UNIT)
    unit_keys = {u: _unit_key(u) for u in unit_text.unique()}
    wrong_unit = (
        (unit_text != "")
        & is_matrix
        & (unit_text.map(unit_keys) != expected.fillna("").map(_UNIT_KEYS))
    )
    for row, raw in unit_text[wrong_unit].items():
        found.add(
            row,
            "unit",
            f"{_quoted(raw)} is not the unit of this test: use {expected[row]} "
            "(or leave unit empty)",
        )

    observed_text = col("observed").str.lower()
    found.flag(
        ~observed_text.isin(list(OBSERVED)),
        "observed",
        lambda raw: f"{_quoted(raw)} is not yes or no",
        col("observed"),
    )

    collected, bad = _parse_each(col("collected_on"), _date)
    found.flag(col("collected_on") == "", "collected_on", "Enter the date collected", test)
    reported, bad_reported = _parse_each(col("reported_on"), _date)
    for name, mask in (("collected_on", bad), ("reported_on", bad_reported)):
        found.flag(
            mask,
            name,
            lambda raw: f"{_quoted(raw)} is not a date. Use YYYY-MM-DD or DD/MM/YYYY",
            col(name),
        )

    lab, reference = col("lab"), col("lab_reference")
    for name, series, limit in (("lab", lab, MAX_LAB), ("lab_reference", reference, MAX_REFERENCE)):
        found.flag(series == "", name, f"Enter the {name.replace('_', ' ')}", series)
        found.flag(series.str.len() > limit, name, f"Must be {limit} characters or fewer", series)
    key = lab.str.lower() + "|" + reference.str.lower()
    found.flag(
        key.str.len() > MAX_IMPORT_KEY,
        "lab_reference",
        f"The lab and lab_reference together must be {MAX_IMPORT_KEY - 1} characters or fewer",
        key,
    )

    def plain(values: list) -> list:
        return [None if v is BAD_CELL else v for v in values]

    return _Cells(
        rows=frame.index.tolist(),
        matrix=[MATRIX_OF.get(t) for t in test.tolist()],
        status=status,
        substance=[SUBSTANCE_OF.get(s) for s in substance_text.tolist()],
        value=plain(values["value"]),
        cutoff=plain(values["cutoff"]),
        seg_from=plain(values["segment_from_cm"]),
        seg_to=plain(values["segment_to_cm"]),
        creatinine=plain(values["creatinine_mg_dl"]),
        observed=[OBSERVED.get(text) for text in observed_text.tolist()],
        collected=plain(collected),
        reported=plain(reported),
        key=key,
    )


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _folded_each(names: pd.Series) -> dict[str, str]:
    return {name: _folded(name) for name in names.unique()}


def _find_parents(frame: pd.DataFrame, user, found: _Problems) -> list[Parent | None]:
    """Each row's parent, from the cases the user may record results for: two queries."""
    refs = frame["case_reference"].str.upper()  # as normalise_reference() stores them
    names = frame["parent_name"]
    found.flag(refs == "", "case_reference", "Enter the case's FDAC reference", refs)
    found.flag(names == "", "parent_name", "Enter the parent's name", names)
    wanted = sorted(set(refs.unique()) - {""})
    cases: dict[str, Case] = {}
    for chunk in in_chunks(wanted):
        query = visible_cases(user).where(Case.reference.in_(chunk))
        cases.update((case.reference, case) for case in db.session.scalars(query))
    case_problem = {}
    for ref in wanted:
        case = cases.get(ref)
        if case is None:
            case_problem[ref] = (
                f"{_quoted(ref)} is not a case you can record results for: check the FDAC reference"
            )
        elif not can(user, Action.RECORD_RESULTS, case):
            case_problem[ref] = (
                f"Case {ref} is closed: results cannot be added to it"
                if case.is_closed
                else f"You cannot record results for case {ref}"
            )
    parents: dict[tuple[int, str], list[Parent]] = {}
    case_ids = [case.id for ref, case in cases.items() if ref not in case_problem]
    for chunk in in_chunks(case_ids):
        for parent in db.session.scalars(select(Parent).where(Parent.case_id.in_(chunk))):
            parents.setdefault((parent.case_id, _folded(parent.name)), []).append(parent)

    folded = names.map(_folded_each(names))
    found_parents: list[Parent | None] = []
    for row, ref, name, raw in zip(
        frame.index.tolist(), refs.tolist(), folded.tolist(), names.tolist(), strict=True
    ):
        parent = None
        if ref in case_problem:
            found.add(row, "case_reference", case_problem[ref])
        elif ref and name:
            matches = parents.get((cases[ref].id, name), [])
            if len(matches) == 1:
                parent = matches[0]
            elif not matches:
                found.add(row, "parent_name", f"{_quoted(raw)} is not a parent in case {ref}")
            else:
                found.add(
                    row,
                    "parent_name",
                    f"Case {ref} has {len(matches)} parents called {_quoted(raw)}: "
                    "enter this result in the case instead",
                )
        found_parents.append(parent)
    return found_parents


SAMPLE_COLUMNS = ("case_reference", "parent_name", "test", "collected_on", "reported_on")
SAMPLE_COLUMNS += ("status", "creatinine_mg_dl", "observed")


def _check_one_sample_per_key(
    frame: pd.DataFrame, cells: _Cells, found: _Problems
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of one sample must agree on the sample's own fields: (sample codes, first rows)."""
    codes, _ = pd.factorize(cells.key)
    positions = np.arange(len(codes))
    first = pd.Series(positions).groupby(codes).transform("first").to_numpy()
    rows = np.array(cells.rows)
    valid = ((frame["lab"] != "") & (frame["lab_reference"] != "")).to_numpy()
    same_as_first = {
        "case_reference": frame["case_reference"].str.upper().tolist(),
        "parent_name": frame["parent_name"].map(_folded_each(frame["parent_name"])).tolist(),
        "test": cells.matrix,
        "collected_on": cells.collected,
        "reported_on": cells.reported,
        "status": cells.status,
        "creatinine_mg_dl": cells.creatinine,
        "observed": cells.observed,
    }
    for name in SAMPLE_COLUMNS:
        values = np.array(same_as_first[name], dtype=object)
        raw = frame[name].to_numpy() if name in frame else np.full(len(codes), "", dtype=object)
        for p in np.flatnonzero(valid & (values != values[first])):
            shown = _quoted(raw[first[p]]) if raw[first[p]] else "it empty"
            found.add(
                int(rows[p]),
                name,
                f"Use the same {name} in every row of one sample: row {rows[first[p]]} has "
                f"{shown} (same lab and lab_reference)",
            )

    later = valid & (positions != first)
    for p in np.flatnonzero(later):
        matrix, status = cells.matrix[p], cells.status[p]
        if status is not None and status is not Status.RESULT:
            what = "A test that did not happen"
        elif matrix in SINGLE_VALUE:
            what = f"A {MATRICES[matrix].label} result"
        else:
            continue
        found.add(
            int(rows[p]),
            "lab_reference",
            f"{what} has one row: row {rows[first[p]]} has the same lab and lab_reference",
        )

    def text(value) -> str:
        return "" if value is None else str(value.normalize())

    readings = pd.DataFrame(
        {
            "code": codes,
            "substance": [s.value if s else "" for s in cells.substance],
            "from": [text(v) for v in cells.seg_from],
            "to": [text(v) for v in cells.seg_to],
        }
    )
    group = readings.groupby(list(readings.columns), sort=False).ngroup().to_numpy()
    first_reading = np.unique(group, return_index=True)[1][group]
    is_reading = np.array(
        [
            s is Status.RESULT and m not in SINGLE_VALUE
            for s, m in zip(cells.status, cells.matrix, strict=True)
        ]
    )
    for p in np.flatnonzero(valid & is_reading & (positions != first_reading)):
        substance = cells.substance[p]
        if substance is None:
            continue
        found.add(
            int(rows[p]),
            "substance",
            f"{substance.label} is already in row {rows[first_reading[p]]} of this sample"
            + (" for the same hair segment" if cells.matrix[p] is Matrix.HAIR else ""),
        )
    return codes, first


def _locate(field: str | None, first_row: int, reading_rows, segment_rows) -> tuple[int, str]:
    """Where a services.problems() field came from in the file."""
    parts = (field or "").split(".")
    if parts[0] == "readings":
        if len(parts) == 1:
            return first_row, "substance"
        return reading_rows[int(parts[1])], parts[2] if len(parts) > 2 else "segment_from_cm"
    if parts[0] == "segments":
        if len(parts) == 1:
            return first_row, "segment_from_cm"
        return segment_rows[int(parts[1])], "segment_from_cm"
    return first_row, {"status_reason": "note", "": None}.get(parts[0], parts[0])


def check(frame: pd.DataFrame, *, user, today: date) -> list[tuple[Parent, Draft]]:
    """Every sample in the file as a draft for its parent; ImportRejected with every problem."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ImportRejected(
            [RowError(1, name, f"The file has no {name} column: add it") for name in missing]
        )
    found = _Problems()
    cells = _check_cells(frame, found)
    parents = _find_parents(frame, user, found)
    codes, first = _check_one_sample_per_key(frame, cells, found)
    notes = frame["note"].tolist() if "note" in frame else [""] * len(frame)
    labs, references = frame["lab"].tolist(), frame["lab_reference"].tolist()
    keys = cells.key.tolist()
    rows = cells.rows

    drafts = []
    order = np.argsort(codes, kind="stable")
    for group in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1):
        positions = group.tolist()
        start = positions[0]
        parent = parents[start]
        if parent is None or any(rows[p] in found.rows for p in positions):
            continue  # its problems are already reported
        matrix, status = cells.matrix[start], cells.status[start]
        pairs, readings, reading_rows = {}, [], []
        if status is Status.RESULT and matrix not in SINGLE_VALUE:
            for p in positions:
                pair = None
                if matrix is Matrix.HAIR and cells.seg_from[p] is not None:
                    pair = (cells.seg_from[p], cells.seg_to[p])
                    pairs.setdefault(pair, rows[p])
                readings.append((cells.substance[p], cells.value[p], cells.cutoff[p], pair))
                reading_rows.append(rows[p])
        ordered = sorted(pairs)  # position 0 nearest the scalp
        segment_of = {pair: i for i, pair in enumerate(ordered)}
        note = "; ".join(dict.fromkeys(n for p in positions if (n := notes[p])))
        draft = Draft(
            sample=Sample(
                matrix=matrix,
                collected_on=cells.collected[start],
                status=status,
                value=cells.value[start] if matrix in SINGLE_VALUE else None,
                creatinine_mg_dl=cells.creatinine[start],
                readings=tuple(
                    SubstanceReading(s, value=v, cutoff=c, segment=segment_of.get(pair))
                    for s, v, c, pair in readings
                ),
                segments=tuple(Segment(*pair) for pair in ordered),
            ),
            method=Method.LABORATORY,
            observed=cells.observed[start],
            status_reason=note if status is not Status.RESULT else "",
            note=note if status is Status.RESULT else "",
            lab_name=labs[start],
            lab_reference=references[start],
            reported_on=cells.reported[start],
            import_key=keys[start],
        )
        for error in problems(parent, draft, today):
            row, column = _locate(
                error.field, rows[start], reading_rows, [pairs[pair] for pair in ordered]
            )
            found.add(row, column, error.message)
        drafts.append((parent, draft))
    if found.errors:
        raise ImportRejected(found.sorted())
    return drafts
