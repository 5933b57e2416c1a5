"""A lab file's cells, read column by column: each distinct cell of a column is parsed once (a
lab file repeats the same few tests, dates and values down 100,000 rows), every row gets its
parsed value by index, and each problem in a single cell is recorded by row and column.

The checks across the rows of a sample, and of whole samples, are in lab_file_checks.py.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property

import numpy as np
import pandas as pd

from testing_results.interpret import Status
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
    SINGLE_VALUE,
    STATUSES,
    RowError,
)
from testing_results.panels import HAIR_ETG_UNIT, MATRICES, Matrix, Substance

MATRIX_OF = {m.value: m for m in Matrix}
SUBSTANCE_OF = {s.value: s for s in Substance}
# Matrices and substances by number, for looking up tables like IN_PANEL with numpy.
MATRIX_LIST, SUBSTANCE_LIST, STATUS_LIST = list(Matrix), list(Substance), list(Status)
IN_PANEL = np.array([[s in MATRICES[m].substances for s in Substance] for m in Matrix])


class Problems:
    """Every problem found so far, and which rows (by position in the frame) have one."""

    def __init__(self, rows: np.ndarray):
        self.rows = rows  # the spreadsheet row of each position
        self.errors: list[RowError] = []
        self.bad = np.zeros(len(rows), dtype=bool)

    def add(self, position: int, column: str | None, message: str) -> None:
        self.errors.append(RowError(int(self.rows[position]), column, message))
        self.bad[position] = True

    def flag(
        self,
        mask: np.ndarray,
        column: str,
        message: str | Callable[[str], str],
        cells: np.ndarray | None = None,
    ) -> None:
        """A problem in every row of `mask`; a callable message is given the row's cell."""
        for position in np.flatnonzero(mask).tolist():
            self.add(position, column, message(cells[position]) if callable(message) else message)

    def sorted(self) -> list[RowError]:
        order = {c: i for i, c in enumerate(COLUMNS)}
        return sorted(self.errors, key=lambda e: (e.row or 0, order.get(e.column, -1)))


def array_of(values: list, dtype=object) -> np.ndarray:
    if dtype is not object:
        return np.array(values, dtype=dtype)
    array = np.empty(len(values), dtype=object)  # never a 2-d array of tuples
    array[:] = values
    return array


class Distinct:
    """A column's cells, each distinct text once: row i's cell is texts[codes[i]]."""

    def __init__(self, column: pd.Series | np.ndarray):
        if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
            self.codes = column.cat.codes.to_numpy().astype(np.int64)  # as parse() makes them
            self.texts = column.cat.categories.to_numpy(dtype=object)
        else:
            self.codes, self.texts = pd.factorize(np.asarray(column, dtype=object))

    @cached_property
    def cells(self) -> np.ndarray:
        return self.texts.take(self.codes)

    def each(self, function: Callable, dtype=object) -> np.ndarray:
        """function(cell) for every row, computed once per distinct text."""
        return array_of([function(text) for text in self.texts], dtype).take(self.codes)

    def empty(self) -> np.ndarray:
        return self.each(lambda text: text == "", bool)


class Parsed(Distinct):
    """A column of numbers or dates: `values` holds each row's (None: empty or unreadable)."""

    def __init__(self, column: pd.Series | np.ndarray, parser: Callable[[str], object]):
        super().__init__(column)
        parsed = [parser(text) if text else None for text in self.texts]
        self.bad = array_of([v is BAD_CELL for v in parsed], bool).take(self.codes)
        self.distinct = [None if v is BAD_CELL else v for v in parsed]
        self.values = array_of(self.distinct).take(self.codes)

    def of_values(self, function: Callable, dtype=object) -> np.ndarray:
        """function(value) for every row, computed once per distinct value (None included)."""
        return array_of([function(value) for value in self.distinct], dtype).take(self.codes)


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


def one_of(values: Iterable[str]) -> str:
    return ", ".join(values)


def quoted(text: str) -> str:
    return f'"{text}"'


def first_of_each(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each row's group of equal values, numbered in order of appearance; each group's
    first row)."""
    groups, uniques = pd.factorize(values)
    firsts = np.full(len(uniques), -1, dtype=np.int64)
    firsts[groups[::-1]] = np.arange(len(groups))[::-1]  # the last write is the first row
    return groups, firsts


def group_ids(numbers: np.ndarray) -> np.ndarray:
    """One number per column of `numbers` (rows of integers from -1 up), equal where the
    columns are equal."""
    combined = np.zeros(numbers.shape[1], dtype=np.int64)
    for row in numbers:
        combined = pd.factorize(combined * (row.max(initial=0) + 2) + (row + 1))[0]
    return combined


def negative(value) -> bool:
    return value is not None and value < 0


def ordinal(value: date | None) -> int:
    return -1 if value is None else value.toordinal()


@dataclass
class Cells:
    """Every cell parsed, one entry per row (position in the frame) in each array."""

    rows: np.ndarray  # the spreadsheet row
    matrix: np.ndarray  # Matrix | None
    matrix_code: np.ndarray  # index in MATRIX_LIST; -1: not a test we know
    single: np.ndarray  # bool: breath or PEth, whose one reading is the result's value
    status: np.ndarray  # Status | None
    status_code: np.ndarray  # index in STATUS_LIST; -1: not a status we know
    taken: np.ndarray  # bool: the test happened (status "result")
    not_taken: np.ndarray  # bool: missed, refused or unable to provide
    substance: np.ndarray  # Substance | None
    substance_code: np.ndarray  # index in SUBSTANCE_LIST; -1: none or unknown
    value: Parsed
    cutoff: Parsed
    seg_from: Parsed
    seg_to: Parsed
    creatinine: Parsed
    observed: np.ndarray  # bool | None
    collected: Parsed
    reported: Parsed
    sample: np.ndarray  # the row's sample, numbered in order of first rows
    sample_key: np.ndarray  # each sample's "lab|lab_reference", lower-cased


def check_cells(frame: pd.DataFrame, found: Problems) -> Cells:
    """Each cell read on its own: problems of one cell, or of cells in one row."""
    empty = np.full(len(frame), "", dtype=object)  # an optional column left out

    def column(name: str) -> Distinct:
        return Distinct(frame.get(name, empty))

    test, status, substance = _check_kinds(column, found)
    taken, not_taken = status.each(_taken, bool), status.each(_not_taken, bool)
    matrix_code = test.each(lambda t: _code(MATRIX_LIST, MATRIX_OF.get(t.lower())), int)
    substance_code = substance.each(
        lambda t: _code(SUBSTANCE_LIST, SUBSTANCE_OF.get(t.lower())), int
    )
    is_matrix, known = matrix_code >= 0, substance_code >= 0
    single = np.isin(matrix_code, [MATRIX_LIST.index(m) for m in SINGLE_VALUE])
    matrix = array_of([*MATRIX_LIST, None]).take(matrix_code)  # -1 takes the last: None
    substance_empty = substance.empty()
    found.flag(taken & is_matrix & ~single & substance_empty, "substance", "Enter the substance")
    found.flag(
        taken & ~substance_empty & ~known,
        "substance",
        lambda raw: (
            f"{quoted(raw)} is not a substance we know. Use one of: "
            + one_of(s.value for s in Substance)
        ),
        substance.cells,
    )
    alcohol = substance_code == SUBSTANCE_LIST.index(Substance.ALCOHOL)
    in_panel = IN_PANEL[matrix_code, substance_code] & is_matrix & known
    outside = taken & is_matrix & known & ~in_panel & ~(single & (alcohol | substance_empty))
    for position in np.flatnonzero(outside).tolist():
        label = SUBSTANCE_LIST[substance_code[position]].label
        found.add(
            position, "substance", f"{label} is not tested in {MATRICES[matrix[position]].label}"
        )

    numbers = {}
    for name in ("value", "cutoff", "segment_from_cm", "segment_to_cm", "creatinine_mg_dl"):
        numbers[name] = number = Parsed(frame.get(name, empty), _decimal)
        found.flag(number.bad, name, lambda raw: f"{quoted(raw)} is not a number", number.cells)
        limit = MAX_CM if name.startswith("segment") else MAX_CONCENTRATION
        too_big = number.of_values(lambda v, limit=limit: v is not None and abs(v) >= limit, bool)
        found.flag(too_big, name, f"Must be less than {limit:,.0f}")
    value_given = ~numbers["value"].empty()
    found.flag(taken & is_matrix & ~value_given, "value", "Enter the result's value")
    found.flag(
        not_taken & value_given,
        "value",
        "A test that did not happen has no value: leave value empty",
    )
    hair = matrix_code == MATRIX_LIST.index(Matrix.HAIR)
    from_given = ~numbers["segment_from_cm"].empty()
    to_given = ~numbers["segment_to_cm"].empty()
    for name, given, other in (
        ("segment_from_cm", from_given, to_given),
        ("segment_to_cm", to_given, from_given),
    ):
        found.flag(is_matrix & ~hair & given, name, "Only hair results have segments")
        found.flag(hair & taken & ~given & other, name, "Enter both ends of the hair segment")
    found.flag(
        hair & taken & ~from_given & ~to_given,
        "segment_from_cm",
        "Enter the hair segment in segment_from_cm and segment_to_cm",
    )
    found.flag(
        is_matrix
        & (matrix_code != MATRIX_LIST.index(Matrix.URINE))
        & ~numbers["creatinine_mg_dl"].empty(),
        "creatinine_mg_dl",
        "Only urine results have a creatinine reading",
    )
    _check_units(column("unit"), matrix_code, hair & alcohol, found)
    observed = column("observed")
    found.flag(
        observed.each(lambda t: t.lower() not in OBSERVED, bool),
        "observed",
        lambda raw: f"{quoted(raw)} is not yes or no",
        observed.cells,
    )
    collected = Parsed(frame.get("collected_on", empty), _date)
    reported = Parsed(frame.get("reported_on", empty), _date)
    found.flag(collected.empty(), "collected_on", "Enter the date collected")
    for name, dates in (("collected_on", collected), ("reported_on", reported)):
        found.flag(
            dates.bad,
            name,
            lambda raw: f"{quoted(raw)} is not a date. Use YYYY-MM-DD or DD/MM/YYYY",
            dates.cells,
        )
    sample, sample_key = _check_labs(column("lab"), column("lab_reference"), found)
    return Cells(
        rows=frame.index.to_numpy(),
        matrix=matrix,
        matrix_code=matrix_code,
        single=single,
        status=status.each(_status_of),
        status_code=status.each(lambda t: _code(STATUS_LIST, _status_of(t)), int),
        taken=taken,
        not_taken=not_taken,
        substance=array_of([*SUBSTANCE_LIST, None]).take(substance_code),
        substance_code=substance_code,
        value=numbers["value"],
        cutoff=numbers["cutoff"],
        seg_from=numbers["segment_from_cm"],
        seg_to=numbers["segment_to_cm"],
        creatinine=numbers["creatinine_mg_dl"],
        observed=observed.each(lambda t: OBSERVED.get(t.lower())),
        collected=collected,
        reported=reported,
        sample=sample,
        sample_key=sample_key,
    )


def _code(values: list, value) -> int:
    return -1 if value is None else values.index(value)


def _status_of(text: str) -> Status | None:
    return STATUSES.get(text.lower().replace(" ", "_"))


def _taken(text: str) -> bool:
    return _status_of(text) is Status.RESULT


def _not_taken(text: str) -> bool:
    return _status_of(text) not in (None, Status.RESULT)


def _check_kinds(column, found: Problems) -> tuple[Distinct, Distinct, Distinct]:
    """The test and status must be ones we know (the substance is checked with the test)."""
    test = column("test")
    known = test.each(lambda t: t.lower() in MATRIX_OF, bool)
    test_empty = test.empty()
    found.flag(test_empty, "test", f"Enter the test: {one_of(m.value for m in Matrix)}")
    found.flag(
        ~known & ~test_empty,
        "test",
        lambda raw: (
            f"{quoted(raw)} is not a test we know. Use one of: " + one_of(m.value for m in Matrix)
        ),
        test.cells,
    )
    status = column("status")
    found.flag(
        status.each(lambda t: _status_of(t) is None, bool),
        "status",
        lambda raw: (
            f"{quoted(raw)} is not a status we know. Use one of: " + one_of(s.value for s in Status)
        ),
        status.cells,
    )
    return test, status, column("substance")


def _check_units(unit: Distinct, matrix_code: np.ndarray, etg: np.ndarray, found: Problems):
    units = [MATRICES[m].unit for m in MATRIX_LIST]
    expected = array_of([*units, ""]).take(matrix_code)
    expected[etg] = HAIR_ETG_UNIT
    expected_key = array_of([*map(_unit_key, units), ""]).take(matrix_code)
    expected_key[etg] = _unit_key(HAIR_ETG_UNIT)
    wrong = ~unit.empty() & (matrix_code >= 0) & (unit.each(_unit_key) != expected_key)
    for position in np.flatnonzero(wrong).tolist():
        found.add(
            position,
            "unit",
            f"{quoted(unit.cells[position])} is not the unit of this test: use "
            f"{expected[position]} (or leave unit empty)",
        )


def _check_labs(
    lab: Distinct, reference: Distinct, found: Problems
) -> tuple[np.ndarray, np.ndarray]:
    """The lab and its reference name the sample: (each row's sample, each sample's key).

    Rows with the same "lab|lab_reference", lower-cased, are one sample."""
    for name, cells, limit in (("lab", lab, MAX_LAB), ("lab_reference", reference, MAX_REFERENCE)):
        found.flag(cells.empty(), name, f"Enter the {name.replace('_', ' ')}")
        found.flag(cells.each(len, int) > limit, name, f"Must be {limit} characters or fewer")
    # The key of each distinct (lab, lab_reference) once; keys alike are one sample.
    pair, first_rows = first_of_each(group_ids(np.stack([lab.codes, reference.codes])))
    keys = array_of(
        [
            f"{lab_text.lower()}|{reference_text.lower()}"
            for lab_text, reference_text in zip(
                lab.texts.take(lab.codes[first_rows]),
                reference.texts.take(reference.codes[first_rows]),
                strict=True,
            )
        ]
    )
    sample_of_pair, sample_keys = pd.factorize(keys)
    found.flag(
        array_of([len(key) > MAX_IMPORT_KEY for key in keys], bool).take(pair),
        "lab_reference",
        f"The lab and lab_reference together must be {MAX_IMPORT_KEY - 1} characters or fewer",
    )
    return sample_of_pair.take(pair), np.asarray(sample_keys, dtype=object)
