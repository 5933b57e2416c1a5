"""One case's progress summary as an Excel workbook (openpyxl), for the court bundle.

Every figure and every interpretation comes from the ProgressSummary the page shows
(fdac.reports.summary) and the interpreted results it holds: this module lays them out and
counts them, it never classifies a result itself. No Flask: the view hands everything in.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fdac.contacts.compliance import week_start
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.reports.anonymise import Pseudonyms
from fdac.reports.summary import NOTHING, ParentProgress, ProgressSummary, ResultLine
from hearings.models import Hearing
from testing_results.interpret import Finding, Overall

DATE_FORMAT = "d mmmm yyyy"
DATE_TIME_FORMAT = "d mmmm yyyy h:mm"
TIME_FORMAT = "h:mm"
WEEK_FORMAT = "d mmm yyyy"
MAX_WIDTH = 60  # characters: longer text wraps
MIN_WIDTH = 8
BOLD = Font(bold=True)
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


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _number(value: Decimal | None):
    """A Decimal as an Excel number: whole values as integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _fill(outcome: Overall) -> PatternFill | None:
    if not outcome.counts_as_positive:
        return None
    return POSITIVE_FILL if outcome is Overall.POSITIVE else NOT_TAKEN_FILL


# ----------------------------------------------------------------------------- the rows


def _substance(finding: Finding) -> str:
    name = "EtG (alcohol)" if finding.band and finding.segment else finding.substance.label
    if finding.segment:
        s = finding.segment
        name += f", segment {s.from_cm.normalize()} to {s.to_cm.normalize()} cm"
    return name


def _result_rows(p: ParentProgress, line: ResultLine) -> list[Row]:
    """A row per substance of one result; a test not taken is one row saying so."""
    start = [line.collected_on, p.parent.name, line.result.title]
    end = [_yes_no(line.confirmed), _yes_no(line.amended)]
    findings = line.interpretation.findings
    if not findings:
        blank = [None, None, None, None]  # substance, value, unit, cut-off
        return [(start + blank + [line.overall.label, line.summary] + end, _fill(line.overall))]
    rows = []
    for f in findings:
        band = f.band.label if f.band else None  # PEth and hair EtG: a band, not a cut-off
        cutoff = _number(f.cutoff) if f.cutoff is not None else band
        middle = [
            _substance(f),
            _number(f.value),
            f.unit if f.value is not None else None,
            cutoff,
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


def _fit_columns(ws: Worksheet) -> None:
    """Each column as wide as its longest value, up to MAX_WIDTH; longer text wraps."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            width = _shown_width(cell.value)
            if width > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in widths.items():
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _write_row(ws: Worksheet, values: Sequence, fill: PatternFill | None = None) -> None:
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if number_format := _format(cell.value):
            cell.number_format = number_format
        if fill is not None:
            cell.fill = fill


def _table(ws: Worksheet, headers: Sequence[str], rows: list[Row]) -> None:
    """A header row frozen at the top, then the rows, or one row saying nothing was recorded."""
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    ws.freeze_panes = "A2"
    if not rows:
        ws.append([NOTHING])
    for values, fill in rows:
        _write_row(ws, values, fill)
    _fit_columns(ws)


def _parent_heading(p: ParentProgress, anonymised: bool) -> str:
    if anonymised:  # "the mother (mother)" would say it twice
        return p.parent.name
    return f"{p.parent.name} ({p.parent.relationship_to_children.label.lower()})"


def _summary_sheet(
    ws: Worksheet, summary: ProgressSummary, author: str, anonymised: bool = False
) -> None:
    case = summary.case
    ws.append([f"Progress summary for {case.reference}", ""])
    ws["A1"].font = Font(bold=True, size=14)
    ws.freeze_panes = "A2"
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
        _write_row(ws, [label, value])
    for p in summary.parents:
        ws.append([])
        ws.append([_parent_heading(p, anonymised)])
        ws[ws.max_row][0].font = BOLD
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
            _write_row(ws, [label, value])
    ws.append([])
    goals = summary.goals
    _write_row(ws, ["Last review's goals", goals.outcome.goals if goals else "None recorded"])
    if goals:
        _write_row(ws, ["Goals set on", goals.set_on])
    nxt = summary.next_hearing
    _write_row(ws, ["Next hearing", f"{nxt.kind.label}" if nxt else "None booked"])
    if nxt:
        _write_row(ws, ["Next hearing on", nxt.day])
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].font = BOLD
    _fit_columns(ws)


def _weeks(first: date, last: date) -> list[date]:
    weeks, monday = [], week_start(first)
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _by_week_sheet(ws: Worksheet, summary: ProgressSummary, chart_on: Worksheet) -> None:
    """Tests per week and parent, negative against positive or not taken, and their chart."""
    headers = ["Week beginning"]
    for p in summary.parents:
        headers += [f"{p.parent.name}: negative", f"{p.parent.name}: positive or not taken"]
    if not any(p.results for p in summary.parents):
        _table(ws, headers, [])
        return
    weeks = _weeks(summary.first, summary.last)
    rows = []
    for monday in weeks:
        values: list = [monday]
        for p in summary.parents:
            week = [line for line in p.results if week_start(line.collected_on) == monday]
            values.append(sum(1 for line in week if line.overall.is_negative))
            values.append(sum(1 for line in week if line.overall.counts_as_positive))
        rows.append((values, None))
    _table(ws, headers, rows)
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].number_format = WEEK_FORMAT

    chart = LineChart()
    chart.title = "Tests per week: negative against positive or not taken"
    chart.y_axis.title = "Tests"
    chart.x_axis.title = "Week beginning"
    chart.x_axis.number_format = WEEK_FORMAT
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    chart.y_axis.majorUnit = 1
    chart.height, chart.width = 9, 20
    data = Reference(ws, min_col=2, max_col=len(headers), min_row=1, max_row=len(weeks) + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(weeks) + 1))
    chart_on.add_chart(chart, "D2")


def _anonymise(wb: Workbook, pseudonyms: Pseudonyms) -> None:
    """Every string of every sheet with the case's names replaced by their stand-ins (the
    chart's series titles are header cells, so they follow); the columns refitted."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = pseudonyms.apply(cell.value)
        _fit_columns(ws)


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
    wb = Workbook()
    summary_ws = wb.active
    summary_ws.title = "Summary"
    _summary_sheet(summary_ws, summary, author, anonymised=pseudonyms is not None)
    results = [row for p in summary.parents for line in p.results for row in _result_rows(p, line)]
    results.sort(key=lambda row: row[0][0])  # by date, each day's parents in the case's order
    _table(wb.create_sheet("Test results"), RESULT_HEADERS, results)
    _table(wb.create_sheet("Contacts"), CONTACT_HEADERS, _contact_rows(contacts))
    _table(wb.create_sheet("Hearings"), HEARING_HEADERS, _hearing_rows(hearings))
    _by_week_sheet(wb.create_sheet("Results by week"), summary, chart_on=summary_ws)
    wb.properties.title = f"Progress summary for {summary.case.reference}"
    wb.properties.creator = author
    if pseudonyms is not None:
        _anonymise(wb, pseudonyms)
        wb.properties.creator = pseudonyms.name_for(author)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
