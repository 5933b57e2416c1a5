"""A lab's results file: its layout, how it is read (CSV or Excel), and how problems in it
are named (by spreadsheet row and column). The layout is documented in docs/lab-import.md."""

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from testing_results.interpret import Status
from testing_results.panels import HAIR_ETG_UNIT, MATRICES, Matrix

# The layout, in the order the guide lists it (docs/lab-import.md).
COLUMNS: dict[str, str] = {
    "case_reference": "The case's FDAC reference, like FDAC-2026-0042",
    "parent_name": "The parent's name as the case records it (capitals do not matter)",
    "test": "peth, hair, breath, oral_fluid or urine",
    "collected_on": "Date collected: YYYY-MM-DD or DD/MM/YYYY",
    "reported_on": "Date the lab reported (optional)",
    "lab": "The lab's name",
    "lab_reference": "The lab's sample reference: rows with the same lab and reference are one "
    "sample",
    "status": "result (or empty), missed, refused or unable_to_provide",
    "substance": "One substance per row; alcohol or empty for PEth and breath",
    "value": "The concentration or reading",
    "unit": "Optional: when given, it must be the test's unit",
    "cutoff": "The lab's cut-off (optional, except where no default exists)",
    "segment_from_cm": "Hair: where the segment starts, in cm from the scalp",
    "segment_to_cm": "Hair: where the segment ends, in cm from the scalp",
    "creatinine_mg_dl": "Urine: creatinine in mg/dL (optional)",
    "observed": "yes, no or empty: whether the sample was taken under observation",
    "note": "Optional; for a test that did not happen, the reason (required)",
}
REQUIRED_COLUMNS = (
    "case_reference",
    "parent_name",
    "test",
    "collected_on",
    "lab",
    "lab_reference",
    "substance",
    "value",
)
# The unit of each kind of test, for the upload page and the guide.
UNITS: tuple[tuple[str, str, str], ...] = (
    *((m.value, info.label, info.unit) for m, info in MATRICES.items()),
    ("hair", "Hair strand, alcohol (EtG)", HAIR_ETG_UNIT),
)

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
SINGLE_VALUE = (Matrix.BREATH, Matrix.PETH)  # the reading is the sample's own value
STATUSES = {s.value: s for s in Status} | {"": Status.RESULT, "unable": Status.UNABLE_TO_PROVIDE}
OBSERVED = {"": None, "yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
# The columns' database limits: Numeric(14, 4) concentrations, Numeric(6, 2) centimetres.
MAX_CONCENTRATION = Decimal("1e10")
MAX_CM = Decimal("1e4")
MAX_LAB, MAX_REFERENCE, MAX_IMPORT_KEY = 120, 80, 200
BAD_CELL = object()  # a cell that could not be read


@dataclass(frozen=True)
class RowError:
    """One problem: where it is as the person sees it in a spreadsheet, and what to do."""

    row: int | None  # the header is row 1; None: the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"Row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class ImportRejected(ValueError):
    """The file cannot be imported; nothing was stored."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s): " + "; ".join(map(str, errors[:3])))
        self.errors = errors


# ------------------------------------------------------------------------------ reading


def parse(file_bytes: bytes, filename: str) -> pd.DataFrame:
    """The file's cells as stripped strings, columns lower-cased, indexed by spreadsheet row.

    Each column is categorical: a lab file repeats the same few tests, dates and values down
    its rows, so each distinct cell is stripped (and later parsed and checked) only once.
    Blank rows are dropped (their numbers are kept by the others).
    """
    name = filename.lower()
    if not file_bytes:
        raise ImportRejected([RowError(None, None, "The file is empty")])
    if name.endswith(".csv"):
        frame = _read_csv(file_bytes)
    elif name.endswith(".xlsx"):
        frame = _read_xlsx(file_bytes)
    else:
        raise ImportRejected(
            [RowError(None, None, "The file must be a CSV or an Excel workbook (.xlsx)")]
        )
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = frame.loc[:, [c != "" and not c.startswith("unnamed:") for c in frame.columns]]
    names = list(frame.columns)
    # pandas renames a CSV's second "value" column "value.1"
    twice = {n for n in names if names.count(n) > 1} | {
        m.group(1) for n in names if (m := re.fullmatch(r"(.+)\.\d+", n)) and m.group(1) in COLUMNS
    }
    if twice:
        raise ImportRejected(
            [
                RowError(1, n, f"The file has more than one {n} column: keep one")
                for n in sorted(twice)
            ]
        )
    cells = {name: _stripped(frame[name]) for name in frame.columns}
    frame = pd.DataFrame(cells, index=pd.RangeIndex(2, len(frame) + 2, name="row"))
    if not cells:
        raise ImportRejected([RowError(None, None, "The file has no rows of results")])
    frame = frame[np.logical_or.reduce([column.codes != 0 for column in cells.values()])]
    if frame.empty:
        raise ImportRejected([RowError(None, None, "The file has no rows of results")])
    return frame


def _stripped(column: pd.Series) -> pd.Categorical:
    """The column's cells stripped, a missing cell empty; the empty cell is category 0."""
    codes, texts = pd.factorize(column.to_numpy(dtype=object))  # a missing cell is code -1
    # Cells that differ only in spaces around them become one category.
    renumbered, stripped = pd.factorize(
        np.array(["", *(str(text).strip() for text in texts)], dtype=object)
    )
    return pd.Categorical.from_codes(
        renumbered.take(codes + 1), categories=pd.Index(stripped, dtype=object)
    )


def _read_csv(data: bytes) -> pd.DataFrame:
    end = data.find(b"\n")
    header = data if end < 0 else data[:end]
    separator = max((",", ";", "\t"), key=lambda s: header.count(s.encode()))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(
                io.BytesIO(data),
                sep=separator,
                dtype=str,
                na_filter=False,
                skip_blank_lines=False,  # keep row numbers as a spreadsheet shows them
                encoding=encoding,
            )
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
            raise ImportRejected(
                [RowError(None, None, f"The file could not be read as CSV ({reason})")]
            ) from None
    raise ImportRejected([RowError(None, None, "Save the CSV file as UTF-8 and upload it again")])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = book.worksheets[0].iter_rows(values_only=True)
                header = [_cell(v) for v in next(rows, ())]
                records = [[_cell(v) for v in row[: len(header)]] for row in rows]
            finally:
                book.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError):
        raise ImportRejected(
            [RowError(None, None, "The file could not be read as an Excel workbook (.xlsx)")]
        ) from None
    return pd.DataFrame(records, columns=header, dtype=object)
