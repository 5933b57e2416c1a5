"""The programme-wide export for commissioners: every case of one team over one calendar year,
as an Excel workbook written in openpyxl's write-only mode into a temporary file.

Sheets, in this order:
- Summary: the team, the year, when and by whom it was generated, that it is anonymised; a
  table per month (cases open, entered, closed, tests by overall result, counted as positive,
  contacts attended against the target, reviews held) and one per phase (the case's phase
  now). The figures are pandas sums (programme_figures) of small per-case-month records.
- Cases: a row per case in the programme on some day of the year.
- Test results: a row per result and substance collected in the year (a test not taken is
  one row), interpreted by testing_results.interpret exactly as the pages do.
- Contacts: a row per contact in the year. Hearings: a row per hearing in the year.

Text that begins like a formula (a team's, a court's or a local authority's name) is quoted
(cells.text, decision 0030). `export_to` writes a file whole or not at all.

Always anonymised (decision 0022): commissioners get no family member's name, and no other
person's name or free text either (notes, reasons, goals can hold names). Parents appear by
role ("Mother", "Father", "Mother (2)"); a case by its FDAC reference and court case number.

Memory stays flat: the cases are read in chunks (programme_rows), each chunk's rows are
written and dropped, and only a few counters per case and month are kept for the Summary.
Write-only sheets cannot be revisited, so the Summary sheet is created first (it is first in
the workbook) and filled last, from the counters.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from fdac.cases.phases import PHASES
from fdac.dates import LONDON
from fdac.files import atomic_file
from fdac.reports import cells
from fdac.reports import programme_figures as figures_module
from fdac.reports import programme_rows as rows_module
from fdac.reports.anonymise import initials
from fdac.reports.cells import cutoff, number, substance_name, yes_no
from hearings.kinds import HearingKind, HearingStatus

DATE_FORMAT = "d mmm yyyy"
DATE_TIME_FORMAT = "d mmm yyyy h:mm"
TIME_FORMAT = "h:mm"
MONTH_FORMAT = "mmmm yyyy"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DEE0E2")

# (header, width in characters, number format or None): widths are set before any row.
CASE_COLUMNS = (
    ("FDAC reference", 16, None),
    ("Court case number", 18, None),
    ("Local authority", 28, None),
    ("Phase now", 18, None),
    ("Entered FDAC", 14, DATE_FORMAT),
    ("Proceedings issued", 14, DATE_FORMAT),
    ("Closed", 14, DATE_FORMAT),
    ("Outcome", 30, None),
    ("Weeks in proceedings", 12, None),
    ("Parents", 9, None),
    ("Tests in the year", 10, None),
    ("Positive or not taken", 12, None),
    ("Contacts attended", 11, None),
    ("Contact target", 10, None),
    ("Reviews held", 10, None),
)
RESULT_COLUMNS = (
    ("FDAC reference", 16, None),
    ("Parent", 12, None),
    ("Date", 14, DATE_FORMAT),
    ("Test", 30, None),
    ("Substance", 34, None),
    ("Value", 9, None),
    ("Unit", 9, None),
    ("Cut-off", 18, None),
    ("Result", 16, None),
    ("Interpretation", 60, None),
    ("Test result", 16, None),
    ("Confirmed", 10, None),
    ("Amended", 10, None),
)
CONTACT_COLUMNS = (
    ("FDAC reference", 16, None),
    ("Parent", 12, None),
    ("Date and time", 18, DATE_TIME_FORMAT),
    ("Kind", 24, None),
    ("What happened", 26, None),
    ("Length (minutes)", 10, None),
)
HEARING_COLUMNS = (
    ("FDAC reference", 16, None),
    ("Date", 14, DATE_FORMAT),
    ("Time", 8, TIME_FORMAT),
    ("Kind", 26, None),
    ("Status", 14, None),
    ("Moved from its planned date", 14, DATE_FORMAT),
)
MONTH_HEADERS = ("Month", "Cases open", "Entered", "Closed", "Tests")
MONTH_HEADERS += tuple(o.label for o in figures_module.OVERALLS)
MONTH_HEADERS += ("Positive or not taken", "Contacts attended", "Contact target")
MONTH_HEADERS += ("Reviews held",)
PHASE_HEADERS = ("Phase now", "Cases", *MONTH_HEADERS[4:])
SUMMARY_WIDTHS = (24, 30) + (12,) * (len(MONTH_HEADERS) - 2)
ANONYMISED = "Yes, always: parents by role, no names of people, no notes, no addresses"


@dataclass(frozen=True)
class ExportFigures:
    """What was written: for the view's audit row and the benchmark's rows per second."""

    cases: int
    result_rows: int
    contact_rows: int
    hearing_rows: int

    @property
    def rows(self) -> int:
        return self.cases + self.result_rows + self.contact_rows + self.hearing_rows


class _Sheet:
    """A write-only sheet with its headers, widths and date formats set up front."""

    def __init__(self, workbook: Workbook, title: str, columns, freeze: bool = True):
        self.ws = workbook.create_sheet(title)
        self.formats = [fmt for _, _, fmt in columns]
        for i, (_, width, _) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        if freeze:
            self.ws.freeze_panes = "A2"
            self.header([name for name, _, _ in columns])
        self.rows = 0

    def header(self, names) -> None:
        row = []
        for name in names:
            cell = WriteOnlyCell(self.ws, value=cells.value(name))
            cell.font, cell.fill = BOLD, HEADER_FILL
            row.append(cell)
        self.ws.append(row)

    def append(self, values) -> None:
        row = []
        for value, fmt in zip(map(cells.value, values), self.formats, strict=False):
            if fmt is not None and value is not None:
                cell = WriteOnlyCell(self.ws, value=value)
                cell.number_format = fmt
                row.append(cell)
            else:
                row.append(value)
        self.ws.append(row)
        self.rows += 1


def result_rows(reference: str, role: str, tested) -> Iterator[list]:
    """A row per substance of one interpreted result; a test not taken is one row."""
    interpretation = tested.interpreted.interpretation
    start = [reference, role, tested.result.collected_on, tested.title]
    overall = interpretation.overall.label
    end = [overall, yes_no(tested.confirmed), yes_no(tested.amended)]
    if not interpretation.findings:
        yield start + [None, None, None, None, overall, interpretation.summary] + end
        return
    for f in interpretation.findings:
        value = number(f.value)
        unit = f.unit if f.value is not None else None
        yield start + [substance_name(f), value, unit, cutoff(f), f.outcome.label, f.meaning] + end


def _weeks_in_proceedings(issued: date | None, closed: date | None, last: date) -> int | None:
    if issued is None or issued > last:
        return None
    end = min(closed or last, last)
    return max(0, (end - issued).days // 7)


def _local(at: datetime) -> datetime:
    return at.astimezone(LONDON).replace(tzinfo=None)  # Excel has no time zones


def write_programme(
    out: IO[bytes], *, team, year: int, today: date, author: str, generated_at: datetime
) -> ExportFigures:
    """Write the team's `year` into `out` (a file opened for binary writing)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    wb = Workbook(write_only=True)
    summary = _Sheet(wb, "Summary", [("", w, None) for w in SUMMARY_WIDTHS], freeze=False)
    cases_sheet = _Sheet(wb, "Cases", CASE_COLUMNS)
    results_sheet = _Sheet(wb, "Test results", RESULT_COLUMNS)
    contacts_sheet = _Sheet(wb, "Contacts", CONTACT_COLUMNS)
    hearings_sheet = _Sheet(wb, "Hearings", HEARING_COLUMNS)
    case_records, month_records = [], []

    for part in rows_module.chunks(team.id, first, last, today):
        for case in part.cases:
            months: dict[date, Counter] = {}

            def month(day: date, months=months) -> Counter:
                return months.setdefault(day.replace(day=1), Counter())

            for parent_id in part.parents.get(case.id, []):
                role = part.roles[parent_id]
                for tested in part.results.get(parent_id, []):
                    for row in result_rows(case.reference, role, tested):
                        results_sheet.append(row)
                    overall = tested.interpreted.overall
                    counts = month(tested.result.collected_on)
                    counts["tests"] += 1
                    counts[overall.value] += 1
                    counts["counted_as_positive"] += overall.counts_as_positive
                compliance = part.compliance.get(case.id, {}).get(parent_id)
                if compliance is not None:
                    for week in rows_module.counted_weeks(compliance, first, last):
                        counts = month(week.starts_on + rows_module.THURSDAY)
                        counts["contacts_attended"] += week.attended
                        counts["contacts_target"] += week.target
            for c in part.contacts.get(case.id, []):
                contacts_sheet.append(
                    [
                        case.reference,
                        part.roles.get(c.parent_id),
                        _local(c.at),
                        c.kind.label,
                        c.outcome.label,
                        c.minutes,
                    ]
                )
            for h in part.hearings.get(case.id, []):
                moved = h.planned_for if h.planned_for and h.planned_for != h.day else None
                hearings_sheet.append(
                    [case.reference, h.day, h.starts_at, h.kind.label, h.status.label, moved]
                )
                if h.kind is HearingKind.NLR and h.status is HearingStatus.HELD:
                    month(h.day)["reviews_held"] += 1
            totals = sum(months.values(), Counter())
            cases_sheet.append(
                [
                    case.reference,
                    case.court_case_number,
                    case.local_authority,
                    PHASES[case.phase].label,
                    case.entered_on,
                    case.issued_on,
                    case.closed_on,
                    case.outcome.label if case.outcome else None,
                    _weeks_in_proceedings(case.issued_on, case.closed_on, min(last, today)),
                    len(part.parents.get(case.id, [])),
                    totals["tests"],
                    totals["counted_as_positive"],
                    totals["contacts_attended"],
                    totals["contacts_target"],
                    totals["reviews_held"],
                ]
            )
            case_records.append(
                {
                    "case_id": case.id,
                    "phase": case.phase,
                    "entered_on": case.entered_on,
                    "closed_on": case.closed_on,
                }
            )
            for first_of_month, counts in months.items():
                record = {"case_id": case.id, "month": first_of_month}
                month_records.append(record | {n: counts[n] for n in figures_module.COUNTS})

    figures = figures_module.figures(year, case_records, month_records)
    _write_summary(summary, team, year, author, generated_at, figures, len(case_records))
    wb.save(out)
    return ExportFigures(
        len(case_records), results_sheet.rows, contacts_sheet.rows, hearings_sheet.rows
    )


def export_to(destination: Path | str, **kwargs) -> ExportFigures:
    """write_programme into the file `destination`, whole or not at all: the workbook is
    written beside it and renamed into place (fdac.files.atomic_file): a process killed
    part-way leaves no truncated workbook at `destination`."""
    with atomic_file(destination) as out:
        return write_programme(out, **kwargs)


def _write_summary(sheet: _Sheet, team, year, author, generated_at, figures, cases) -> None:
    ws = sheet.ws
    title = WriteOnlyCell(ws, value=cells.text(f"FDAC programme export: {team.name}, {year}"))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    generated = WriteOnlyCell(ws, value=_local(generated_at))
    generated.number_format = DATE_TIME_FORMAT
    for label, value in (
        ("Team", team.name),
        ("Court", team.court_name),
        ("Year", year),
        ("Period", f"1 January {year} to 31 December {year}"),
        ("Cases in the programme", cases),
        ("Generated", generated),
        ("Generated by", initials(author)),  # anonymised like every other name
        ("Anonymised", ANONYMISED),
    ):
        key = WriteOnlyCell(ws, value=label)
        key.font = BOLD
        ws.append([key, cells.value(value)])  # a team's or court's name is people's text
    ws.append([])
    sheet.header(["By month"])
    sheet.header(MONTH_HEADERS)
    for row in figures.months:
        month = WriteOnlyCell(ws, value=row["month"])
        month.number_format = MONTH_FORMAT
        ws.append([month, *(row[k] for k in ("cases_open", "entered", "closed"))] + _counts(row))
    ws.append([])
    sheet.header(["By phase (the case's phase now)"])
    sheet.header(PHASE_HEADERS)
    for row in figures.phases:
        ws.append([cells.value(row["phase"]), row["cases"], *_counts(row)])
    if not figures.phases:
        ws.append(["Nothing recorded in this period"])


def _counts(row: dict) -> list[int]:
    return [row[name] for name in figures_module.COUNTS]
