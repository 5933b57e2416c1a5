"""One case's Excel export: fdac.reports.excel.case_workbook for the first family's 18 months
of three tests a week (the report, its contacts and hearings gathered untimed first), against
openpyxl write-only writing the same cell values bare (read back from one workbook the app
wrote), both into memory.
"""

from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from benchmarks.history import History
from benchmarks.timing import Subject, Timing, compare
from fdac.cases.models import Case
from fdac.extensions import db
from fdac.reports import excel, records
from fdac.reports import summary as progress


@dataclass(frozen=True)
class ExcelFigures:
    app: Timing  # case_workbook
    bare: Timing  # openpyxl write-only, the same cells
    cells: int
    results: int  # result rows of the Test results sheet
    xlsx_bytes: int


def _bare_workbook(sheets: dict[str, list[tuple]]) -> bytes:
    wb = Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def run(history: History, *, runs: int, warmups: int) -> ExcelFigures:
    family = history.families[0]
    today = history.today
    case = db.session.scalar(select(Case).where(Case.reference == family.reference))
    first = family.entered_on
    report = progress.progress_summary(case, first, today, today)
    contacts = records.period_contacts(case, first, today)
    hearings = records.period_hearings(case, first, today)

    def app_workbook() -> bytes:
        return excel.case_workbook(report, contacts, hearings, author="Benchmark")

    written = app_workbook()
    book = load_workbook(BytesIO(written))
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    cells = sum(len(row) for rows in sheets.values() for row in rows)
    timings = compare(
        {"app": Subject(app_workbook), "bare": Subject(lambda: _bare_workbook(sheets))},
        runs=runs,
        warmups=warmups,
    )
    results = len(sheets.get("Test results", [])) - 1
    return ExcelFigures(timings["app"], timings["bare"], cells, results, len(written))
