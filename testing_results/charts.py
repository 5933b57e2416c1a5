"""Server-rendered SVG charts of test results: one chart per substance group, and the evidence
coverage strip.

Pure functions on the interpretation's plain values: no Flask, no database. The SVG is written by
hand so it prints, works without JavaScript and passes the content security policy (no style
attributes, no <style> element: presentation attributes only). Each chart has a <title> and a
<desc> for screen readers, a <title> on every marker for tooltips, and a data table beside it
(GroupChart.rows, coverage_table). Colour is never the only cue: every outcome has its own shape
or hatching, and a legend. Every text is escaped.
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from markupsafe import Markup, escape

from fdac.dates import uk_date
from testing_results.interpret import (
    COVERAGE_LABELS,
    Coverage,
    CoverageRow,
    Finding,
    Interpreted,
    Overall,
    Status,
)
from testing_results.panels import (
    BREATH_DRINK_DRIVE_LIMIT,
    HAIR_ETG_BANDS,
    MATRICES,
    PETH_BANDS,
    Band,
    Matrix,
    Substance,
    SubstanceGroup,
)

# ------------------------------------------------------------------------------ look

WIDTH = 640  # viewBox units: about a pixel each at the target width
LEFT = 132  # lane and group labels
RIGHT = 12
PLOT_WIDTH = WIDTH - LEFT - RIGHT

TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
BORDER = "#b1b4b6"
GRID = "#dedfe0"

# Contrast against white, for graphics (WCAG 1.4.11 asks 3:1): green 6.2, red 4.9, blue 5.2,
# dark orange 5.1 (the usual orange #f47738 is only 2.8), black 19.6.
GREEN = "#00703c"
RED = "#d4351c"
BLUE = "#1d70b8"
ORANGE = "#b35200"
BLACK = "#0b0c0c"

NOT_TAKEN = (Overall.MISSED, Overall.REFUSED, Overall.UNABLE_TO_PROVIDE)


class _Marker(NamedTuple):
    shape: str
    colour: str
    legend: str


MARKERS: dict[Overall, _Marker] = {
    Overall.NEGATIVE: _Marker("circle", GREEN, "Negative"),
    Overall.POSITIVE: _Marker("triangle", RED, "Positive"),
    Overall.CONSISTENT_WITH_PRESCRIPTION: _Marker("diamond", BLUE, "Consistent with prescription"),
    Overall.DILUTE: _Marker("square", ORANGE, "Dilute (not a negative)"),
    **{
        o: _Marker("cross", BLACK, "Missed, refused or unable to provide (counts as a positive)")
        for o in NOT_TAKEN
    },
}
# When several results share a day in one lane, the marker shows the strongest.
_STRENGTH = [
    Overall.POSITIVE,
    Overall.MISSED,
    Overall.REFUSED,
    Overall.UNABLE_TO_PROVIDE,
    Overall.DILUTE,
    Overall.CONSISTENT_WITH_PRESCRIPTION,
    Overall.NEGATIVE,
]
_RANK = {outcome: i for i, outcome in enumerate(_STRENGTH)}

# Numeric series in one lane: a colour and a dash pattern each, so they differ without colour.
_SERIES_LINES = [("#505a5f", None), ("#4c2c92", "6 3"), ("#0b0c0c", "2 3"), ("#6f3a00", "8 3 2 3")]

NOT_HAPPENED_LANE = "Did not happen"
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


# ------------------------------------------------------------------------------ results


class ChartRow(NamedTuple):
    """One line of the data table beside a chart, in the order of its columns."""

    date: str
    test: str
    substance: str
    value: str
    result: str


@dataclass(frozen=True)
class GroupChart:
    group: SubstanceGroup
    title: str  # the group's name, for the heading above the chart
    id: str  # the <svg> element's id, unique on the page
    svg: Markup
    rows: tuple[ChartRow, ...]  # the data table: one row per test in this group
    description: str  # what the chart's <desc> says

    @property
    def table_body(self) -> Markup:
        """The data table's rows as GOV.UK table markup, escaped. Built here rather than in
        Jinja: 18 months of tests is hundreds of rows, and this is five times faster."""
        cell = '<td class="govuk-table__cell">'
        return Markup(  # noqa: S704  every value is escaped just below
            "".join(
                '<tr class="govuk-table__row">'
                + "".join(f"{cell}{escape(value)}</td>" for value in row)
                + "</tr>"
                for row in self.rows
            )
        )


class _Entry(NamedTuple):
    """One test's result for one substance group."""

    item: Interpreted
    outcome: Overall
    findings: tuple[Finding, ...]
    row: ChartRow
    lane: str  # the test's matrix, or NOT_HAPPENED_LANE

    @property
    def sample(self):
        return self.item.sample


class _Point(NamedTuple):
    x_day: float  # days after the start of the period (a day's middle is n + 0.5)
    value: Decimal
    outcome: Overall
    title: str
    span: tuple[float, float] | None = None  # a hair segment: the days it grew


@dataclass
class _Series:
    matrix: Matrix
    substance: Substance
    unit: str
    points: list[_Point] = field(default_factory=list)
    cutoffs: set[Decimal] = field(default_factory=set)

    @property
    def name(self) -> str:
        """The substance, within its lane."""
        if self.matrix is Matrix.HAIR and self.substance is Substance.ALCOHOL:
            return "Alcohol (EtG)"
        return self.substance.label

    @property
    def full_name(self) -> str:
        if self.matrix in (Matrix.BREATH, Matrix.PETH):
            return self.matrix.label
        return f"{self.matrix.label}: {self.name}"


def _number(value: Decimal) -> str:
    return format(value.normalize(), ",f")


def _float_label(value: float) -> str:
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def _day_labels(start: date, count: int) -> list[str]:
    """uk_date of each of `count` days from `start`: each month's words written once (uk_date
    formats its month with strftime, a few microseconds a call, and a page has hundreds)."""
    labels: list[str] = []
    day = start
    while len(labels) < count:
        month = uk_date(day).split(" ", 1)[1]  # "3 March 2027": the day, then the month's words
        following = _next_month(day)
        days = min((following - day).days, count - len(labels))
        labels += [f"{n} {month}" for n in range(day.day, day.day + days)]
        day = following
    return labels


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _segment_label(finding: Finding) -> str:
    s = finding.segment
    return f"{_number(s.from_cm)} to {_number(s.to_cm)} cm" if s else ""


def _finding_value(finding: Finding) -> str:
    if finding.value is not None:
        return f"{_number(finding.value)} {finding.unit}"
    return finding.meaning.split(";")[0]  # "Screen positive" / "Screen negative"


def _group_outcome(findings: Sequence[Finding], dilute: bool) -> Overall:
    """The strongest finding; `dilute`: the sample was dilute, so never read as a negative."""
    outcomes = [f.outcome for f in findings]
    if Overall.POSITIVE in outcomes:
        return Overall.POSITIVE
    if dilute:
        return Overall.DILUTE
    if Overall.CONSISTENT_WITH_PRESCRIPTION in outcomes:
        return Overall.CONSISTENT_WITH_PRESCRIPTION
    return Overall.NEGATIVE


def _is_dilute(item: Interpreted) -> bool:
    return item.overall is Overall.DILUTE or "dilute" in item.interpretation.flags


def _test_label(item: Interpreted) -> str:
    label = item.sample.matrix.label
    return f"{label} (laboratory confirmation)" if item.sample.confirms is not None else label


def _panel_by_group(matrix: Matrix) -> dict[SubstanceGroup, list[Substance]]:
    """The substances a test's panel covers, by group, in the panel's order."""
    panel: dict[SubstanceGroup, list[Substance]] = {}
    for substance in MATRICES[matrix].substances:
        panel.setdefault(substance.group, []).append(substance)
    return panel


def _result_entry(
    item: Interpreted, findings: tuple[Finding, ...], when: str, test: str, dilute: bool
) -> "_Entry":
    if len(findings) == 1:  # most entries: one substance, one reading
        f = findings[0]
        outcome = Overall.DILUTE if dilute and f.outcome is not Overall.POSITIVE else f.outcome
        substance = f.substance.label
        value = _finding_value(f)
        values = [f"{_segment_label(f)}: {value}" if f.segment else value]
        band = f.band
    else:
        outcome = _group_outcome(findings, dilute)
        substances: list[Substance] = []
        bands: list[Band] = []
        for f in findings:
            if f.substance not in substances:
                substances.append(f.substance)
            if f.band is not None and f.band not in bands:
                bands.append(f.band)
        several = len(substances) > 1
        values = []
        for f in findings:
            value = _finding_value(f)
            if several or f.segment:
                prefix = [f.substance.label] if several else []
                if f.segment:
                    prefix.append(_segment_label(f))
                value = f"{', '.join(prefix)}: {value}"
            values.append(value)
        substance = ", ".join([s.label for s in substances])
        band = bands[0] if len(bands) == 1 else None
    result = outcome.label
    if band is not None:
        result += f": {_lower_first(band.meaning)}"
    elif "above_drink_drive_limit" in item.interpretation.flags:
        result += ": at or above the drink-drive limit (for context)"
    creatinine = item.sample.creatinine_mg_dl
    if outcome is Overall.DILUTE and creatinine is not None:
        values.append(f"creatinine {_number(creatinine)} mg/dL")
    row = ChartRow(when, test, substance, "; ".join(values), result)
    # A result's lane is its test's (only a test that did not happen has NOT_TAKEN outcomes).
    return _Entry(item, outcome, findings, row, item.sample.matrix.label)


def _not_taken_entry(
    item: Interpreted, substances: list[Substance], when: str, test: str
) -> "_Entry":
    sample = item.sample
    row = ChartRow(
        when,
        test,
        ", ".join([s.label for s in substances]),
        sample.status.label,
        f"{item.overall.label} (counts as a positive)",
    )
    return _Entry(item, item.overall, (), row, NOT_HAPPENED_LANE)


def group_outcomes(
    series: Sequence[Interpreted], start: date, end: date
) -> dict[SubstanceGroup, list[tuple[Interpreted, Overall]]]:
    """Each test from `start` to `end` in each group it speaks for, oldest first, with its
    outcome for that group: the charts' own reading, for figures per group."""
    return {
        group: [(entry.item, entry.outcome) for entry in entries]
        for group, entries in _entries(series, start, end).items()
    }


def _entries(
    series: Sequence[Interpreted], start: date, end: date
) -> dict[SubstanceGroup, list["_Entry"]]:
    """Each test's entry in each group it speaks for, oldest first: built once per test, its
    date and test written once."""
    by_group: dict[SubstanceGroup, list[_Entry]] = {g: [] for g in SubstanceGroup}
    dates = _day_labels(start, (end - start).days + 1)
    for item in sorted(series, key=lambda i: i.sample.collected_on):
        sample = item.sample
        on = sample.collected_on
        if not start <= on <= end:
            continue
        when = dates[(on - start).days]
        test = _test_label(item)
        if sample.status is not Status.RESULT:
            # A test that did not happen speaks for every group its panel covers.
            for group, substances in _panel_by_group(sample.matrix).items():
                by_group[group].append(_not_taken_entry(item, substances, when, test))
            continue
        findings: dict[SubstanceGroup, list[Finding]] = {}
        for finding in item.interpretation.findings:
            findings.setdefault(finding.substance.group, []).append(finding)
        dilute = _is_dilute(item)
        for group, found in findings.items():
            by_group[group].append(_result_entry(item, tuple(found), when, test, dilute))
    return by_group


# ------------------------------------------------------------------------------ drawing
#
# SVG fragments are plain str, already markup: built from constants, numbers and ids checked
# by _check_prefix, with every text and attribute value that comes from data escaped (escape:
# & < > " '). A chart becomes Markup once, in _svg. (Markup.format on every attribute and
# element was most of the trend page's time: a long history draws a couple of thousand
# elements.)


@lru_cache(maxsize=4096)
def _f(value: float) -> str:
    """A coordinate: short, and the same on every machine. (Cached: the same days and lanes
    recur across a page's charts. 0, 0.0 and -0.0 are one key, so all are written "0".)"""
    text = f"{value:.1f}"
    if text == "-0.0":
        return "0"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    """escape(text), the same text, sooner: most text has nothing to escape."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text)
    return text


@lru_cache(maxsize=1024)
def _escaped_value(value: str) -> str:
    """An attribute's text, escaped; cached, as most are a few colours, anchors and ids."""
    return escape(value)


def _value(value) -> str:
    """An attribute's value: a float is a coordinate (_f), a str escaped, an int as it is."""
    kind = type(value)
    if kind is float:
        return _f(value)
    if kind is str:
        return _escaped_value(value)
    if kind is int:
        return str(value)
    return escape(value)  # markup stays as it is; anything else is escaped


def _attrs(attrs: dict) -> str:
    """Attributes, names with '_' as '-'."""
    return "".join(
        f' {name.replace("_", "-")}="{_value(value)}"'
        for name, value in attrs.items()
        if value is not None
    )


def _el(tag: str, content: str = "", **attrs) -> str:
    """An element; `content` is markup already. Attribute names with '_' become '-'
    (stroke_width: stroke-width)."""
    if content:
        return f"<{tag}{_attrs(attrs)}>{content}</{tag}>"
    return f"<{tag}{_attrs(attrs)}/>"


def _title(text: str) -> str:
    return f"<title>{_esc(text)}</title>" if text else "<title/>"


def _text(x: float, y: float, text: str, size: int = 12, **attrs) -> str:
    attrs.setdefault("fill", TEXT)
    start = f'<text x="{_f(x)}" y="{_f(y)}" font-size="{_value(size)}"{_attrs(attrs)}'
    content = _esc(text)
    return f"{start}>{content}</text>" if content else f"{start}/>"


def _text_width(text: str, size: int, bold: bool = False) -> float:
    """A generous estimate (no font metrics on the server): GDS Transport and Arial average
    about 0.45 of the font size a character, bold a little more."""
    return len(text) * size * (0.6 if bold else 0.52)


_OUTLINE = ' stroke="#ffffff" stroke-width="1"'


def _marker(shape: str, colour: str, x: float, y: float, title: str = "", r: float = 6) -> str:
    """A marker centred on x, y; `colour` is one of ours (not escaped), `title` is text."""
    if shape == "circle":
        tag = "circle"
        start = f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r * 0.9)}" fill="{colour}"{_OUTLINE}'
    elif shape == "triangle":
        tag = "polygon"
        start = (
            f'<polygon points="{_f(x)},{_f(y - r * 1.1)} {_f(x + r)},{_f(y + r * 0.8)} '
            f'{_f(x - r)},{_f(y + r * 0.8)}" fill="{colour}"{_OUTLINE}'
        )
    elif shape == "diamond":
        d = r * 1.15
        tag = "polygon"
        start = (
            f'<polygon points="{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y)} {_f(x)},{_f(y + d)} '
            f'{_f(x - d)},{_f(y)}" fill="{colour}"{_OUTLINE}'
        )
    elif shape == "square":
        s = r * 0.85
        tag = "rect"
        start = (
            f'<rect x="{_f(x - s)}" y="{_f(y - s)}" width="{_f(2 * s)}" height="{_f(2 * s)}" '
            f'fill="{colour}"{_OUTLINE}'
        )
    else:  # cross
        s = r * 0.8
        tag = "path"
        start = (
            f'<path d="M{_f(x - s)} {_f(y - s)}L{_f(x + s)} {_f(y + s)}'
            f'M{_f(x - s)} {_f(y + s)}L{_f(x + s)} {_f(y - s)}" '
            f'stroke="{colour}" stroke-width="2.5" fill="none"'
        )
    if title:
        return f"{start}><title>{_esc(title)}</title></{tag}>"
    return f"{start}/>"


def _check_prefix(id_prefix: str) -> None:
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a plain identifier: {id_prefix!r}")


@dataclass(frozen=True)
class _Axis:
    start: date
    end: date

    @cached_property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def day_width(self) -> float:
        return PLOT_WIDTH / self.days

    def x(self, day: float) -> float:
        """`day` days after the start; a date's middle is its offset + 0.5."""
        return LEFT + day * self.day_width

    def x_date(self, when: date) -> float:
        return self.x((when - self.start).days + 0.5)

    @cached_property
    def ticks(self) -> list[tuple[date, str]]:
        """Months (the year on the first and on each January); weeks for a short period."""
        first = self.start if self.start.day == 1 else _next_month(self.start)
        months = []
        while first <= self.end:
            months.append(first)
            first = _next_month(first)
        month_width = 30.4 * self.day_width
        if len(months) >= 2:
            step = next((k for k in (1, 2, 3, 4, 6, 12) if k * month_width >= 46), 24)
            chosen = [m for m in months if (m.year * 12 + m.month - 1) % step == 0] or months[:1]
            return [
                (m, f"{m:%b %Y}" if i == 0 or m.month == 1 else f"{m:%b}")
                for i, m in enumerate(chosen)
            ]
        step = next((k for k in (1, 2, 7, 14) if k * self.day_width >= 40), 28)
        if step == 1:
            days = range(0, self.days)
        else:
            monday = (7 - self.start.weekday()) % 7
            days = range(monday if step >= 7 else 0, self.days, step)
        dates = [self.start + timedelta(n) for n in days]
        return [
            (d, f"{d.day} {d:%b %Y}" if i == 0 else f"{d.day} {d:%b}") for i, d in enumerate(dates)
        ]

    @cached_property
    def _tick_marks(self) -> list[tuple[str, str, str]]:
        """Each tick's x, its label's anchor and its label (escaped), for every chart."""
        marks = []
        for when, label in self.ticks:
            x = self.x((when - self.start).days)
            anchor = "end" if x + _text_width(label, 11) / 2 > WIDTH else "middle"
            marks.append((_f(x), anchor, escape(label)))
        return marks

    def gridlines(self, top: float, bottom: float) -> str:
        y1, y2 = _f(top), _f(bottom)
        return "".join(
            f'<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{GRID}"/>'
            for x, _, _ in self._tick_marks
        )

    def draw(self, bottom: float) -> str:
        """The time axis along `bottom`: a line, ticks and their labels."""
        y, tick_end, label_y = _f(bottom), _f(bottom + 5), _f(bottom + 17)
        parts = [
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="{SECONDARY_TEXT}"/>'
        ]
        for x, anchor, label in self._tick_marks:
            parts.append(
                f'<line x1="{x}" y1="{y}" x2="{x}" y2="{tick_end}" stroke="{SECONDARY_TEXT}"/>'
                f'<text x="{x}" y="{label_y}" font-size="11" text-anchor="{anchor}" '
                f'fill="{SECONDARY_TEXT}">{label}</text>'
            )
        return "".join(parts)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _legend(items: list[tuple[str, str]], top: float, columns: int = 3) -> tuple[str, float]:
    """Swatches (markup, drawn around 0,0) and their labels on a grid, a long label taking two
    or more columns: (svg, height)."""
    column_width = (WIDTH - 8) / columns
    parts, column, y = [], 0, top + 10
    for swatch, label in items:
        span = min(math.ceil((24 + _text_width(label, 12)) / column_width), columns)
        if column + span > columns:
            column, y = 0, y + 22
        x = 4 + column * column_width
        parts.append(_el("g", swatch, transform=f"translate({_f(x + 8)},{_f(y)})"))
        parts.append(_text(x + 22, y + 4, label, 12))
        column += span
    return "".join(parts), y + 12 - top


def _svg(chart_id: str, title: str, desc: str, height: float, body: str) -> Markup:
    """The whole chart, as Markup: the one place a chart's markup is declared safe. Everything
    in it is ours (constants, numbers, checked ids) or escaped where it was written (_esc,
    _attrs), so the tests check every SVG parses and no text from data comes through raw."""
    return Markup(  # noqa: S704 (built from escaped parts, above)
        _el(
            "svg",
            _el("title", escape(title), id=f"{chart_id}-title")
            + _el("desc", escape(desc), id=f"{chart_id}-desc")
            + body,
            xmlns="http://www.w3.org/2000/svg",
            id=chart_id,
            viewBox=f"0 0 {WIDTH} {_f(height)}",
            width="100%",
            font_family="GDS Transport, arial, sans-serif",
            role="img",
            focusable="false",
            aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        )
    )


# ------------------------------------------------------------------------------ numeric lanes


def _band_name(band: Band) -> str:
    return band.key.replace("_", " ").capitalize()


def _band_lines(bands: Sequence[Band]) -> list[tuple[Decimal, str]]:
    """A line at each band's lower end, named after the band above it."""
    return [
        (below.upper, f"{_band_name(above)} ({_lower_first(above.label)})")
        for below, above in zip(bands, bands[1:], strict=False)
        if below.upper is not None
    ]


def _lane_references(lane: list[_Series]) -> list[tuple[Decimal, str]]:
    """Each line once; a cut-off that only some of the lane's substances share names them."""
    lines: dict[Decimal, str] = {}
    cutoffs: dict[Decimal, list[str]] = {}
    for series in lane:
        lines.update((v, label) for v, label in _reference_lines(series) if v not in lines)
        for cutoff in series.cutoffs:
            cutoffs.setdefault(cutoff, []).append(series.name)
    unit = lane[0].unit
    for value, names in cutoffs.items():
        whose = "" if len(names) == len(lane) else " and ".join(names) + ": "
        label = f"{whose}cut-off {_number(value)} {unit}"
        lines.setdefault(value, label[:1].upper() + label[1:])
    return sorted(lines.items())


def _reference_lines(series: _Series) -> list[tuple[Decimal, str]]:
    if series.matrix is Matrix.PETH:
        return _band_lines(PETH_BANDS)
    if series.matrix is Matrix.HAIR and series.substance is Substance.ALCOHOL:
        return _band_lines(HAIR_ETG_BANDS)
    if series.matrix is Matrix.BREATH:
        limit = BREATH_DRINK_DRIVE_LIMIT
        return [(limit, f"Drink-drive limit ({_number(limit)} {series.unit}, for context)")]
    return []  # drugs: the cut-offs reported with the values (_lane_references)


def _numeric_series(entries: Sequence[_Entry], axis: _Axis) -> dict[tuple, list[_Series]]:
    """Each matrix's values for each substance, in lanes by matrix and unit."""
    lanes: dict[tuple[Matrix, str], dict[Substance, _Series]] = {}
    for entry in entries:
        sample = entry.sample
        for f in entry.findings:
            if f.value is None:
                continue
            lane = lanes.setdefault((sample.matrix, f.unit), {})
            series = lane.get(f.substance)
            if series is None:
                series = lane[f.substance] = _Series(sample.matrix, f.substance, f.unit)
            if f.cutoff is not None:
                series.cutoffs.add(f.cutoff)
            span = None
            x_day = (sample.collected_on - axis.start).days + 0.5
            if f.segment is not None and f.period is not None:
                # A hair segment speaks for the weeks it grew, not for the day it was cut.
                first = (f.period[0] - axis.start).days
                last = (f.period[1] - axis.start).days + 1
                if last <= 0 or first >= axis.days:
                    continue  # grew before (or after) the period: it is in the table
                span = (max(first, 0), min(last, axis.days))
                x_day = (span[0] + span[1]) / 2
            where = f"{entry.row.date}, {entry.row.test}"
            segment = f", {_segment_label(f)}" if f.segment else ""
            title = (
                f"{where}, {f.substance.label}{segment}: {_number(f.value)} {f.unit}. "
                f"{f.outcome.label}: {_lower_first(f.meaning)}"
            )
            series.points.append(_Point(x_day, f.value, f.outcome, title, span))
    ordered = sorted(lanes.items(), key=lambda kv: (list(Matrix).index(kv[0][0]), kv[0][1]))
    return {
        key: [s for s in by_substance.values() if s.points]
        for key, by_substance in ordered
        if any(s.points for s in by_substance.values())
    }


def _nice_top(value: float) -> tuple[float, float]:
    """An axis top at or above `value`, and its tick step (about four ticks)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * 1.0000001)
    return step * math.ceil(value / step - 1e-9), step


LANE_TITLE = 20
# A white outline behind a label keeps it readable where a line crosses it.
_HALO = {
    "stroke": "#ffffff",
    "stroke_width": 3,
    "paint_order": "stroke",
    "stroke_linejoin": "round",
}
LANE_PLOT = 104
LANE_GAP = 16


def _draw_numeric_lane(
    key: tuple[Matrix, str], lane: list[_Series], axis: _Axis, top: float
) -> tuple[str, float]:
    matrix, unit = key
    parts = []
    title = f"{lane[0].full_name if len(lane) == 1 else matrix.label}, {unit}"
    parts.append(_text(LEFT, top + 13, title, 12, font_weight="bold"))
    x = LEFT + _text_width(title, 12, bold=True) + 16
    if len(lane) > 1:  # name each line next to the lane's title
        for i, series in enumerate(lane):
            colour, dash = _SERIES_LINES[i % len(_SERIES_LINES)]
            parts.append(
                _el(
                    "line",
                    x1=x,
                    y1=top + 9,
                    x2=x + 18,
                    y2=top + 9,
                    stroke=colour,
                    stroke_width=2,
                    stroke_dasharray=dash,
                )
            )
            parts.append(_text(x + 22, top + 13, series.name, 12))
            x += 22 + _text_width(series.name, 12) + 14
    plot_top, plot_bottom = top + LANE_TITLE + 6, top + LANE_TITLE + 6 + LANE_PLOT
    references = _lane_references(lane)
    highest = max(
        [float(p.value) for s in lane for p in s.points] + [float(v) for v, _ in references]
    )
    y_top, step = _nice_top(highest * 1.08)

    def y(value: float) -> float:
        return plot_bottom - value / y_top * LANE_PLOT

    parts.append(axis.gridlines(plot_top, plot_bottom))
    tick = 0.0
    while tick <= y_top + step / 1000:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{_f(ty)}" x2="{WIDTH - RIGHT}" y2="{_f(ty)}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{_f(ty + 4)}" font-size="11" text-anchor="end" '
            f'fill="{SECONDARY_TEXT}">{_float_label(tick)}</text>'
        )
        tick += step
    parts.append(_el("line", x1=LEFT, y1=plot_top, x2=LEFT, y2=plot_bottom, stroke=SECONDARY_TEXT))
    # Reference lines (bands, limits, cut-offs), labelled at the right just above the line;
    # labels too close to the one below move up so they never overlap.
    last_label_y = math.inf
    for value, label in sorted(references, key=lambda r: r[0]):
        ly = y(float(value))
        parts.append(
            _el(
                "line",
                x1=LEFT,
                y1=ly,
                x2=WIDTH - RIGHT,
                y2=ly,
                stroke=TEXT,
                stroke_width=1,
                stroke_dasharray="5 4",
            )
        )
        label_y = min(ly - 4, last_label_y - 13)
        last_label_y = label_y
        parts.append(_text(WIDTH - RIGHT - 4, label_y, label, 11, text_anchor="end", **_HALO))
    for i, series in enumerate(lane):
        colour, dash = _SERIES_LINES[i % len(_SERIES_LINES)]
        points = sorted(series.points, key=lambda p: p.x_day)
        xs = [axis.x(p.x_day) for p in points]
        ys = [y(float(p.value)) for p in points]
        for p, py in zip(points, ys, strict=True):
            if p.span:
                parts.append(
                    f'<line x1="{_f(axis.x(p.span[0]))}" y1="{_f(py)}" '
                    f'x2="{_f(axis.x(p.span[1]))}" y2="{_f(py)}" stroke="{colour}" '
                    'stroke-width="3" stroke-opacity="0.5"/>'
                )
        if len(points) > 1:
            coords = " ".join(f"{_f(px)},{_f(py)}" for px, py in zip(xs, ys, strict=True))
            parts.append(
                _el(
                    "polyline",
                    points=coords,
                    fill="none",
                    stroke=colour,
                    stroke_width=2,
                    stroke_dasharray=dash,
                    stroke_linejoin="round",
                )
            )
        for p, px, py in zip(points, xs, ys, strict=True):
            marker = MARKERS[p.outcome]
            parts.append(_marker(marker.shape, marker.colour, px, py, p.title, 5))
    return "".join(parts), LANE_TITLE + 6 + LANE_PLOT + LANE_GAP


def _describe_series(series: _Series, axis: _Axis) -> str:
    points = sorted(series.points, key=lambda p: p.x_day)
    first, last = points[0], points[-1]
    highest = max(points, key=lambda p: p.value)
    text = f"{series.full_name}: {len(points)} reading{'s' if len(points) != 1 else ''}"
    if len(points) == 1:
        return text + f", {_number(first.value)} {series.unit}."
    return (
        text + f", from {_number(first.value)} to {_number(last.value)} {series.unit}; "
        f"highest {_number(highest.value)} {series.unit}."
    )


# ------------------------------------------------------------------------------ group charts

LANE_HEIGHT = 26


def _draw_group(
    group: SubstanceGroup, entries: list[_Entry], axis: _Axis, chart_id: str
) -> tuple[Markup, str]:
    parts: list[str] = []
    y = 6.0
    numeric = _numeric_series(entries, axis)
    numeric_outcomes = set()
    for key, lane in numeric.items():
        svg, height = _draw_numeric_lane(key, lane, axis, y)
        parts.append(svg)
        y += height
        numeric_outcomes |= {p.outcome for s in lane for p in s.points}

    used = {e.lane for e in entries}
    lanes = [m.label for m in Matrix if m.label in used] + [NOT_HAPPENED_LANE]
    lanes_top = y
    lanes_bottom = lanes_top + len(lanes) * LANE_HEIGHT
    parts.append(axis.gridlines(lanes_top, lanes_bottom))
    mids: dict[str, float] = {}
    for i, lane in enumerate(lanes):
        mids[lane] = mid = lanes_top + i * LANE_HEIGHT + LANE_HEIGHT / 2
        parts.append(_el("line", x1=LEFT, y1=mid, x2=WIDTH - RIGHT, y2=mid, stroke=BORDER))
        parts.append(_text(LEFT - 8, mid + 4, lane, 12, text_anchor="end"))
    parts.append(axis.draw(lanes_bottom))
    # One marker per lane and day: several results on a day share it, and its title.
    by_spot: dict[tuple[str, date], list[_Entry]] = {}
    for entry in entries:
        key = (entry.lane, entry.item.sample.collected_on)
        spot = by_spot.get(key)
        if spot is None:
            by_spot[key] = [entry]
        else:
            spot.append(entry)
    spots = [
        (
            _RANK[spot[0].outcome]
            if len(spot) == 1
            else min(_RANK[e.outcome] for e in spot),  # the strongest shows
            lane,
            day,
            spot,
        )
        for (lane, day), spot in by_spot.items()
    ]
    radius = _marker_radius(by_spot, axis)
    # Negatives first, positives last: where markers crowd, a positive is never hidden.
    for rank, lane, day, spot in sorted(spots, key=lambda s: -s[0]):
        marker = MARKERS[_STRENGTH[rank]]
        title = _marker_title(spot[0]) if len(spot) == 1 else "\n".join(map(_marker_title, spot))
        parts.append(
            _marker(marker.shape, marker.colour, axis.x_date(day), mids[lane], title, radius)
        )

    shown = {e.outcome for e in entries} | numeric_outcomes
    legend_items, seen = [], set()
    for outcome in _LEGEND_ORDER:
        marker = MARKERS[outcome]
        if outcome in shown and marker.legend not in seen:
            seen.add(marker.legend)
            legend_items.append((_marker(marker.shape, marker.colour, 0, 0), marker.legend))
    legend, legend_height = _legend(legend_items, lanes_bottom + 26)
    parts.append(legend)
    height = lanes_bottom + 26 + legend_height + 6

    desc = _describe_group(group, entries, numeric, axis)
    title = f"{group.label}: test results from {uk_date(axis.start)} to {uk_date(axis.end)}"
    return _svg(chart_id, title, desc, height, "".join(parts)), desc


def _marker_radius(spots: Iterable[tuple[str, date]], axis: _Axis) -> float:
    """Full size unless markers in a lane crowd each other; never too small to tell apart."""
    by_lane: dict[str, list[date]] = {}
    for lane, day in spots:
        by_lane.setdefault(lane, []).append(day)
    fewest = min(
        ((b - a).days for days in by_lane.values() for a, b in itertools.pairwise(sorted(days))),
        default=None,
    )
    closest = math.inf if fewest is None else fewest * axis.day_width
    return 6.0 if closest >= 13 else max(4.0, closest / 2 + 0.5)


_LEGEND_ORDER = [
    Overall.NEGATIVE,
    Overall.POSITIVE,
    Overall.CONSISTENT_WITH_PRESCRIPTION,
    Overall.DILUTE,
    *NOT_TAKEN,
]


def _marker_title(entry: _Entry) -> str:
    row = entry.row
    if entry.outcome in NOT_TAKEN:
        return f"{row.date}, {row.test}: {row.value}, counts as a positive"
    return f"{row.date}, {row.test}, {row.substance}: {row.value}. {row.result}"


def _describe_group(
    group: SubstanceGroup, entries: list[_Entry], numeric: dict, axis: _Axis
) -> str:
    found = Counter(e.outcome for e in entries)
    tally = ", ".join(f"{found[o]} {_lower_first(o.label)}" for o in _LEGEND_ORDER if found[o])
    total = len(entries)
    text = (
        f"{total} test{'s' if total != 1 else ''} covering {group.label.lower()} from "
        f"{uk_date(axis.start)} to {uk_date(axis.end)}: {tally}."
    )
    for lane in numeric.values():
        for series in lane:
            text += " " + _describe_series(series, axis)
    return text + " The table beside the chart lists every result."


def group_charts(
    series: Sequence[Interpreted], start: date, end: date, id_prefix: str = "results"
) -> list[GroupChart]:
    """One chart per substance group with a result collected from `start` to `end`.

    Each test is a marker at its collection date, in the lane of its test (or of tests that
    did not happen); a group with numeric values also has a line for each test's readings.
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    _check_prefix(id_prefix)
    axis = _Axis(start, end)
    charts = []
    for group, entries in _entries(series, start, end).items():
        if not entries:
            continue
        chart_id = f"{id_prefix}-chart-{group.value}"
        svg, desc = _draw_group(group, entries, axis, chart_id)
        charts.append(
            GroupChart(group, group.label, chart_id, svg, tuple(e.row for e in entries), desc)
        )
    return charts


# ------------------------------------------------------------------------------ coverage

COVERAGE_ORDER = (Coverage.NEGATIVE, Coverage.POSITIVE, Coverage.NOT_TAKEN, Coverage.NONE)
COVERAGE_SHORT = {
    Coverage.NEGATIVE: "negative",
    Coverage.POSITIVE: "positive",
    Coverage.NOT_TAKEN: "not taken",
    Coverage.NONE: "not covered",
}


@dataclass(frozen=True)
class CoverageShare:
    """One group's days in the period, by what evidence covers them."""

    group: SubstanceGroup
    days: int
    counts: dict[Coverage, int]

    @property
    def label(self) -> str:
        return self.group.label

    def share(self, state: Coverage) -> float:
        return self.counts[state] / self.days if self.days else 0.0

    def percent(self, state: Coverage) -> str:
        """'40%'; a share that rounds to nothing but is not nothing says so."""
        share = self.share(state) * 100
        if 0 < share < 0.5:
            return "less than 1%"
        if 99.5 <= share < 100:
            return "more than 99%"
        return f"{share:.0f}%"


def coverage_table(rows: Sequence[CoverageRow]) -> list[CoverageShare]:
    """Each group's share of days covered by a negative, a positive, a test not taken, nothing."""
    return [
        CoverageShare(row.group, len(row.days), {s: row.days.count(s) for s in COVERAGE_ORDER})
        for row in rows
    ]


def _coverage_fills(id_prefix: str) -> tuple[str, dict[Coverage, str]]:
    """Pattern definitions and the fill for each state: solid green, red with thin white
    stripes, black with white stripes the other way, and white."""
    positive, not_taken = f"{id_prefix}-positive", f"{id_prefix}-not-taken"
    stripes = {"patternUnits": "userSpaceOnUse"}
    defs = _el(
        "defs",
        _el(
            "pattern",
            _el("rect", width=6, height=6, fill=RED)
            + _el("rect", width=1.5, height=6, fill="#ffffff"),
            id=positive,
            width=6,
            height=6,
            patternTransform="rotate(-45)",
            **stripes,
        )
        + _el(
            "pattern",
            _el("rect", width=5, height=5, fill=BLACK)
            + _el("rect", width=1.75, height=5, fill="#ffffff"),
            id=not_taken,
            width=5,
            height=5,
            patternTransform="rotate(45)",
            **stripes,
        ),
    )
    fills = {
        Coverage.NEGATIVE: GREEN,
        Coverage.POSITIVE: f"url(#{positive})",
        Coverage.NOT_TAKEN: f"url(#{not_taken})",
        Coverage.NONE: "#ffffff",
    }
    return defs, fills


BAND_HEIGHT = 20
MIN_CELL = 2.5  # the narrowest mark a day with evidence gets, in viewBox units
BAND_GAP = 8


def _runs(days: Sequence[Coverage]) -> list[tuple[int, int, Coverage]]:
    """(first, last, state) for each run of days in one state."""
    runs: list[tuple[int, int, Coverage]] = []
    first = 0
    for i in range(1, len(days)):
        if days[i] is not days[first]:
            runs.append((first, i - 1, days[first]))
            first = i
    if days:
        runs.append((first, len(days) - 1, days[first]))
    return runs


def coverage_strip(
    rows: Sequence[CoverageRow], start: date, end: date, id_prefix: str = "results"
) -> Markup:
    """One band per substance group, one cell per day from `start` to `end`, filled by what
    evidence covers that day (interpret.coverage). A run of days in one state is one cell,
    with one tooltip."""
    if end < start:
        raise ValueError("the period ends before it starts")
    _check_prefix(id_prefix)
    axis = _Axis(start, end)
    for row in rows:
        if len(row.days) != axis.days:
            raise ValueError(f"{row.group.label}: {len(row.days)} days, expected {axis.days}")
    chart_id = f"{id_prefix}-coverage"
    defs, fills = _coverage_fills(chart_id)
    parts = [defs]
    top = 6.0
    # Per strip, not per cell: each day's date, each state's words and fill, escaped once.
    dates = [_esc(label) for label in _day_labels(start, axis.days)]
    states = {s: escape(_lower_first(s.label)) for s in COVERAGE_ORDER}
    fill_attrs = {s: escape(fill) for s, fill in fills.items()}
    day_width, height_attr = axis.day_width, _f(BAND_HEIGHT)
    for i, row in enumerate(rows):
        y = top + i * (BAND_HEIGHT + BAND_GAP)
        label = row.group.label
        parts.append(_text(LEFT - 8, y + BAND_HEIGHT / 2 + 4, label, 12, text_anchor="end"))
        cell_y, group = _f(y), escape(label)
        for first, last, state in _runs(row.days):
            when = dates[first] if last == first else f"{dates[first]} to {dates[last]}"
            x, width = axis.x(first), (last - first + 1) * day_width
            if state is not Coverage.NONE and width < MIN_CELL:  # a lone day stays visible
                x, width = x - (MIN_CELL - width) / 2, MIN_CELL
            parts.append(
                f'<rect x="{_f(x)}" y="{cell_y}" width="{_f(width)}" height="{height_attr}" '
                f'fill="{fill_attrs[state]}"><title>{group}, {when}: {states[state]}</title></rect>'
            )
        parts.append(
            _el(
                "rect",
                x=LEFT,
                y=y,
                width=PLOT_WIDTH,
                height=BAND_HEIGHT,
                fill="none",
                stroke=SECONDARY_TEXT,
            )
        )
    bands_bottom = top + len(rows) * (BAND_HEIGHT + BAND_GAP) - BAND_GAP
    parts.append(axis.draw(bands_bottom + 4))
    swatches = [
        (
            _el("rect", x=-7, y=-7, width=14, height=14, fill=fills[s], stroke=SECONDARY_TEXT),
            _coverage_legend(s),
        )
        for s in COVERAGE_ORDER
    ]
    legend, legend_height = _legend(swatches, bands_bottom + 30, columns=2)
    parts.append(legend)
    height = bands_bottom + 30 + legend_height + 6

    shares = coverage_table(rows)
    desc = (
        f"Evidence coverage from {uk_date(start)} to {uk_date(end)} ({axis.days} days), "
        "share of days by substance group. "
        + " ".join(
            f"{s.label}: "
            + ", ".join(f"{COVERAGE_SHORT[c]} {s.percent(c)}" for c in COVERAGE_ORDER)
            + "."
            for s in shares
        )
    )
    title = f"Evidence coverage by substance group, {uk_date(start)} to {uk_date(end)}"
    return _svg(chart_id, title, desc, height, "".join(parts))


def _coverage_legend(state: Coverage) -> str:
    return {
        Coverage.NEGATIVE: "Negative result",
        Coverage.POSITIVE: "Positive result",
        Coverage.NOT_TAKEN: "Missed, refused, not provided or dilute",
        Coverage.NONE: COVERAGE_LABELS[Coverage.NONE],
    }[state]
