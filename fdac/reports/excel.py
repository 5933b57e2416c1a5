"""One case's progress summary as an Excel workbook (openpyxl), for the court bundle.

Every figure and every interpretation comes from the ProgressSummary the page shows
(fdac.reports.summary) and the interpreted results it holds: this module lays them out and
counts them, it never classifies a result itself. No Flask: the view hands everything in.
Written in openpyxl's write-only mode (see _Sheet); each sheet prints on A4 landscape, one page
wide, its header row repeated on every page.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from fdac.contacts.compliance import week_start
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.reports import cells
from fdac.reports.anonymise import Pseudonyms
from fdac.reports.cells import cutoff, number, substance_name, yes_no
from fdac.reports.summary import NOTHING, ParentProgress, ProgressSummary, ResultLine
from hearings.models import Hearing
from testing_results.interpret import Overall

DATE_FORMAT = "d mmmm yyyy"
DATE_TIME_FORMAT = "d mmmm yyyy h:mm"
TIME_FORMAT = "h:mm"
WEEK_FORMAT = "d mmm yyyy"
MAX_WIDTH = 60  # characters: longer text wraps
MIN_WIDTH = 8
LINE_HEIGHT = 15  # points: a line of 11-point text
PAPER_A4 = 9  # the page set-up code of A4 (ECMA-376 ST_PaperSize)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="DEE0E2")
# Colour is never the only signal: the highlighted cell also says "Positive", "Missed" ...
POSITIVE_FILL = PatternFill("solid", fgColor="F4CDC6")  # a tint of GOV.UK red
NOT_TAKEN_FILL = PatternFill("solid", fgColor="FCE3C8")  # a tint of GOV.UK orange

RESULT_HEADERS = (
    "Date",
    "Parent",
    "Test",
    "Substance",
    "Value",
    "Unit",
    "Cut-off",
    "Result",
    "Interpretation",
    "Confirmed",
    "Amended",
)
CONTACT_HEADERS = ("Date and time", "Parent", "Kind", "What happened", "Length (minutes)", "Who")
HEARING_HEADERS = (
    "Date",
    "Time",
    "Kind",
    "Judge",
    "Status",
    "Moved from",
    "Why moved or cancelled",
    "Goals set",
)

Row = tuple[list, PatternFill | None]


def _fill(outcome: Overall) -> PatternFill | None:
    if not outcome.counts_as_positive:
        return None
    return POSITIVE_FILL if outcome is Overall.POSITIVE else NOT_TAKEN_FILL


# ----------------------------------------------------------------------------- the rows


def _result_rows(p: ParentProgress, line: ResultLine) -> list[Row]:
    """A row per substance of one result; a test not taken is one row saying so."""
    start = [line.collected_on, p.parent.name, line.result.title]
    end = [yes_no(line.confirmed), yes_no(line.amended)]
    findings = line.interpretation.findings
    if not findings:
        blank = [None, None, None, None]  # substance, value, unit, cut-off
        return [(start + blank + [line.overall.label, line.summary] + end, _fill(line.overall))]
    rows = []
    for f in findings:
        middle = [
            substance_name(f),
            number(f.value),
            f.unit if f.value is not None else None,
            cutoff(f),
            f.outcome.label,
            f.meaning,
        ]
        rows.append((start + middle + end, _fill(f.outcome)))
    return rows


def _contact_rows(contacts: Iterable[Contact]) -> list[Row]:
    rows = []
    for c in contacts:
        local = c.at.astimezone(LONDON).replace(tzinfo=None)  # Excel has no time zones
        who = ", ".join(person.name for person in c.practitioners) or None
        values = [local, c.parent.name, c.kind.label, c.outcome.label, c.minutes, who]
        rows.append((values, NOT_TAKEN_FILL if c.outcome.against_parent else None))
    return rows


def _hearing_rows(hearings: Iterable[Hearing]) -> list[Row]:
    rows = []
    for h in hearings:
        outcome = h.outcome
        values = [
            h.day,
            h.starts_at,
            h.kind.label,
            h.judge.name if h.judge else None,
            h.status.label,
            h.planned_for if h.moved else None,
            (h.cancel_reason if h.is_cancelled else h.move_reason if h.moved else "") or None,
            (outcome.goals if outcome else "") or None,
        ]
        rows.append((values, None))
    return rows


# ---------------------------------------------------------------------------- the sheets
#
# openpyxl's write-only mode: each sheet streams its rows once, so the widths (fitted to the
# values) and the frozen header are set before the first row, from the rows in hand. A normal
# workbook looks up its last row on every append, which grows with the sheet (seconds for 18
# months of results).


def _format(value) -> str | None:
    if isinstance(value, datetime):
        return DATE_TIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, time):
        return TIME_FORMAT
    return None


def _shown_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 22
    if isinstance(value, date):
        return 17
    if isinstance(value, time):
        return 6
    return max(len(part) for part in str(value).split("\n"))


def _wrapped_lines(values: Sequence) -> int:
    """How many lines the row's longest wrapped text takes at MAX_WIDTH; 0 if none wraps."""
    lengths = [_shown_width(v) for v in values if isinstance(v, str)]
    longest = max(lengths, default=0)
    return -(-longest // (MAX_WIDTH - 2)) if longest > MAX_WIDTH else 0


class _Sheet:
    """One sheet's rows, gathered, then written in one pass with the columns fitted: each
    as wide as its longest value, up to MAX_WIDTH (longer text wraps)."""

    def __init__(self, title: str, text: Callable[[str], str]):
        self.title = title
        self._text = text  # every string passes through it: the anonymiser, or as it is
        self._rows: list[tuple[list, PatternFill | None, Font | None, str | None]] = []
        self.charts: list[tuple[LineChart, str]] = []

    def row(
        self,
        values: Sequence = (),
        fill: PatternFill | None = None,
        font: Font | None = None,
        fmt: str | None = None,
    ) -> None:
        """A row; `fill` highlights it, `font` marks a heading, `fmt` overrides the number
        format of its dated cells (weeks)."""
        # Names, notes and reasons are people's text: none becomes a formula (cells.text).
        values = [cells.text(self._text(v)) if isinstance(v, str) else v for v in values]
        self._rows.append((values, fill, font, fmt))

    @property
    def count(self) -> int:
        return len(self._rows)

    def write(self, wb: Workbook, frozen: bool = True, bold_labels: bool = False) -> None:
        ws = wb.create_sheet(self.title)
        widths: dict[int, int] = {}
        for values, *_ in self._rows:
            for column, value in enumerate(values, start=1):
                widths[column] = max(widths.get(column, 0), _shown_width(value))
        for column, width in widths.items():
            letter = get_column_letter(column)
            ws.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        if frozen:
            ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"  # printed, each page repeats the header
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.fitToHeight = 0  # as many pages down as needed, one page across
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        for chart, anchor in self.charts:
            ws.add_chart(chart, anchor)
        for row_number, (values, fill, font, fmt) in enumerate(self._rows, start=1):
            label = bold_labels and row_number > 1  # the first column of a list of labels
            if lines := _wrapped_lines(values):  # spreadsheets do not all grow a row to fit
                ws.row_dimensions[row_number].height = LINE_HEIGHT * lines
            ws.append(
                [
                    self._cell(ws, value, fill, BOLD if label and i == 0 else font, fmt)
                    for i, value in enumerate(values)
                ]
            )

    @staticmethod
    def _cell(ws, value, fill: PatternFill | None, font: Font | None, fmt):
        """The value as it is when it needs no style (cheaper to write), else a styled cell."""
        number_format = _format(value)
        wraps = (
            isinstance(value, str) and len(value) > MAX_WIDTH and _shown_width(value) > MAX_WIDTH
        )
        if not (number_format or fill or font or wraps):
            return value
        cell = WriteOnlyCell(ws, value=value)
        if number_format:
            cell.number_format = fmt or number_format
        if fill is not None:
            cell.fill = fill
        if font is not None:
            cell.font = font
        if wraps:
            cell.alignment = WRAP
        return cell


def _table(sheet: _Sheet, headers: Sequence[str], rows: list[Row]) -> None:
    """A header row (frozen at the top), then the rows, or one row saying nothing was
    recorded."""
    sheet.row(headers, HEADER_FILL, BOLD)
    if not rows:
        sheet.row([NOTHING])
    for values, fill in rows:
        sheet.row(values, fill)


def _parent_heading(p: ParentProgress, anonymised: bool) -> str:
    if anonymised:  # "the mother (mother)" would say it twice
        return p.parent.name
    return f"{p.parent.name} ({p.parent.relationship_to_children.label.lower()})"


def _summary_sheet(
    sheet: _Sheet, summary: ProgressSummary, author: str, anonymised: bool = False
) -> None:
    case = summary.case
    sheet.row([f"Progress summary for {case.reference}", ""], font=TITLE)
    for label, value in (
        ("Court", case.team.court_name),
        ("Case number", case.court_case_number),
        ("FDAC reference", case.reference),
        ("Judge", case.judge.name if case.judge else "Not allocated"),
        ("Period from", summary.first),
        ("Period to", summary.last),
        ("Prepared on", summary.today),
        ("Prepared by", author),
    ):
        sheet.row([label, value])
    for p in summary.parents:
        sheet.row()
        sheet.row([_parent_heading(p, anonymised)])
        for label, value in (
            ("Tests in the period", p.trend.total),
            ("Negative", p.negatives),
            ("Positive or not taken", p.trend.counted_as_positive),
            ("Days since the last positive or missed test", p.since_positive_text),
            (
                "Contacts attended against target",
                p.contacts.period_text if p.contacts else "No target",
            ),
        ):
            sheet.row([label, value])
    sheet.row()
    goals = summary.goals
    sheet.row(["Last review's goals", goals.outcome.goals if goals else "None recorded"])
    if goals:
        sheet.row(["Goals set on", goals.set_on])
    nxt = summary.next_hearing
    sheet.row(["Next hearing", f"{nxt.kind.label}" if nxt else "None booked"])
    if nxt:
        sheet.row(["Next hearing on", nxt.day])


def _weeks(first: date, last: date) -> list[date]:
    weeks, monday = [], week_start(first)
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _by_week_sheet(sheet: _Sheet, summary: ProgressSummary, chart_on: _Sheet) -> None:
    """Tests per week and parent, negative against positive or not taken, and their chart."""
    headers = ["Week beginning"]
    for p in summary.parents:
        headers += [f"{p.parent.name}: negative", f"{p.parent.name}: positive or not taken"]
    if not any(p.results for p in summary.parents):
        _table(sheet, headers, [])
        return
    weeks = _weeks(summary.first, summary.last)
    by_week: dict[tuple[int, date], list[ResultLine]] = {}
    for i, p in enumerate(summary.parents):
        for line in p.results:
            by_week.setdefault((i, week_start(line.collected_on)), []).append(line)
    sheet.row(headers, HEADER_FILL, BOLD)
    for monday in weeks:
        values: list = [monday]
        for i, _ in enumerate(summary.parents):
            week = by_week.get((i, monday), [])
            values.append(sum(1 for line in week if line.overall.is_negative))
            values.append(sum(1 for line in week if line.overall.counts_as_positive))
        sheet.row(values, fmt=WEEK_FORMAT)

    chart = LineChart()
    chart.title = "Tests per week: negative against positive or not taken"
    chart.y_axis.title = "Tests"
    chart.x_axis.title = "Week beginning"
    chart.x_axis.number_format = WEEK_FORMAT
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    chart.y_axis.majorUnit = 1
    chart.height, chart.width = 9, 20
    title = quote_sheetname(sheet.title)
    data = Reference(
        range_string=f"{title}!$B$1:${get_column_letter(len(headers))}${len(weeks) + 1}"
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(range_string=f"{title}!$A$2:$A${len(weeks) + 1}"))
    chart_on.charts.append((chart, "D2"))


def case_workbook(
    summary: ProgressSummary,
    contacts: Sequence[Contact],
    hearings: Sequence[Hearing],
    *,
    author: str,
    pseudonyms: Pseudonyms | None = None,
) -> bytes:
    """The workbook of one case and period: Summary (with the chart), Test results, Contacts,
    Hearings, and Results by week (the chart's figures). With `pseudonyms`, anonymised:
    every name in it (cells, author) replaced by its stand-in."""
    text = pseudonyms.apply if pseudonyms is not None else str
    results = [row for p in summary.parents for line in p.results for row in _result_rows(p, line)]
    results.sort(key=lambda row: row[0][0])  # by date, each day's parents in the case's order
    sheets = {
        title: _Sheet(title, text)
        for title in ("Summary", "Test results", "Contacts", "Hearings", "Results by week")
    }
    _summary_sheet(sheets["Summary"], summary, author, anonymised=pseudonyms is not None)
    _table(sheets["Test results"], RESULT_HEADERS, results)
    _table(sheets["Contacts"], CONTACT_HEADERS, _contact_rows(contacts))
    _table(sheets["Hearings"], HEARING_HEADERS, _hearing_rows(hearings))
    _by_week_sheet(sheets["Results by week"], summary, chart_on=sheets["Summary"])

    wb = Workbook(write_only=True)
    for title, sheet in sheets.items():
        sheet.write(wb, bold_labels=title == "Summary")
    wb.properties.title = f"Progress summary for {summary.case.reference}"
    wb.properties.creator = text(author)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
