"""A lab file's samples: which rows make each one, the check of each against
services.problems() (the rule the forms use), and the checked samples as columns to store.

services.problems() works on one Draft at a time, and building a Draft and its readings for
each of 10,000 samples costs more than everything else in checking a file. So each of its
rules is first applied to every sample at once, with numpy (`_may_have_problems`), and only the
samples that may break one are built as Drafts and checked by services.problems() itself,
which says what is wrong in the words the forms use. A sample it would refuse is never
stored: the rules here may only ever ask about more samples than needed, never fewer.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fdac.cases.models import Parent
from testing_results.interpret import Sample, Segment, Status, SubstanceReading
from testing_results.lab_file import SINGLE_VALUE
from testing_results.lab_file_cells import (
    IN_PANEL,
    MATRIX_LIST,
    STATUS_LIST,
    SUBSTANCE_LIST,
    Cells,
    Problems,
    array_of,
    first_of_each,
    group_ids,
    negative,
    ordinal,
)
from testing_results.models import Method
from testing_results.panels import Matrix, Substance, default_cutoff
from testing_results.services import Draft, problems

HAIR = MATRIX_LIST.index(Matrix.HAIR)
# By matrix and substance code: a reading needs the lab's cut-off (panels.py has no default).
NEEDS_CUTOFF = np.array(
    [
        [
            default_cutoff(m, s) is None and not (m is Matrix.HAIR and s is Substance.ALCOHOL)
            for s in SUBSTANCE_LIST
        ]
        for m in MATRIX_LIST
    ]
)


@dataclass
class RowParents:
    """Each row's parent, found from its case_reference and parent_name."""

    parents: list[Parent]
    entered_fdac: list[date]  # the date each parent's family entered FDAC
    of_row: np.ndarray  # per row: index in `parents`; -1: none
    reference: np.ndarray  # per row: a number for its case_reference (as stored: capitals)
    name: np.ndarray  # per row: a number for its parent_name (capitals and spaces aside)


class Layout:
    """Which rows make each sample; samples are numbered in the order of their first rows."""

    def __init__(self, codes: np.ndarray):
        self.codes = codes  # per row: its sample
        self.order = np.argsort(codes, kind="stable")  # the rows sample by sample
        self.bounds = np.r_[0, np.flatnonzero(np.diff(codes[self.order])) + 1]
        self.starts = self.order[self.bounds]  # each sample's first row
        self.count = len(self.starts)

    def any(self, mask: np.ndarray) -> np.ndarray:
        """Per sample: whether any of its rows is in `mask`."""
        return np.logical_or.reduceat(mask[self.order], self.bounds)

    def rows(self, sample: int) -> list[int]:
        end = self.bounds[sample + 1] if sample + 1 < self.count else len(self.order)
        return self.order[self.bounds[sample] : end].tolist()


@dataclass
class Segments:
    """Hair segments, sample by sample, each sample's from nearest the scalp."""

    sample: np.ndarray
    position: np.ndarray  # 0 nearest the scalp
    from_cm: np.ndarray  # Decimal, as the segment's first row gives it
    to_cm: np.ndarray


@dataclass
class Readings:
    """Substance readings, sample by sample, each sample's in file order."""

    sample: np.ndarray
    substance: np.ndarray  # as stored: "cocaine"
    value: np.ndarray  # Decimal | None
    cutoff: np.ndarray
    value_text: np.ndarray  # str(value), for the audit trail
    cutoff_text: np.ndarray
    segment: np.ndarray  # index in Segments; -1: none


@dataclass
class Samples:
    """A checked file's samples as columns of test_results, one entry per sample in file
    order, with their readings and hair segments."""

    rows: int  # rows in the file (not counting blank rows)
    case_id: np.ndarray
    parent_id: np.ndarray
    matrix: np.ndarray  # as stored: "urine"
    status: np.ndarray  # as stored: "result"
    collected_on: np.ndarray
    reported_on: np.ndarray
    observed: np.ndarray
    value: np.ndarray  # breath and PEth: the reading
    creatinine_mg_dl: np.ndarray
    status_reason: np.ndarray  # a test that did not happen: its rows' notes, each once
    note: np.ndarray  # a test taken: its rows' notes, each once
    lab_name: np.ndarray
    lab_reference: np.ndarray
    import_key: np.ndarray
    readings: Readings
    segments: Segments

    def __len__(self) -> int:
        return len(self.matrix)


def _notes(notes: np.ndarray, layout: Layout) -> np.ndarray:
    """Per sample: the notes of its rows, each once, in file order."""
    joined: dict[int, dict[str, None]] = {}
    for p in layout.order[notes[layout.order] != ""].tolist():
        joined.setdefault(layout.codes[p], {})[notes[p]] = None
    per_sample = np.full(layout.count, "", dtype=object)
    for sample, texts in joined.items():
        per_sample[sample] = "; ".join(texts)
    return per_sample


def _hair_segments(cells: Cells, layout: Layout) -> tuple[Segments, np.ndarray, np.ndarray]:
    """The distinct hair segments of each hair sample that happened, equal by value (1 cm
    is 1.0 cm), in order from the scalp: (segments, each row's segment or -1, and per
    segment whether it starts below 0 cm, ends before it starts or overlaps the one before)."""
    first = layout.starts
    hair = (cells.taken[first] & (cells.matrix_code[first] == HAIR))[layout.codes]
    hair &= cells.seg_from.of_values(lambda v: v is not None, bool)
    distinct = {v for v in cells.seg_from.distinct + cells.seg_to.distinct if v is not None}
    rank = {value: i for i, value in enumerate(sorted(distinct))}  # equal values, one rank

    def ranks(parsed) -> np.ndarray:
        return parsed.of_values(lambda v: rank.get(v, -1) if v is not None else -1, int)

    rows = layout.order[hair[layout.order]]  # sample by sample, in file order
    starts, ends = ranks(cells.seg_from)[rows], ranks(cells.seg_to)[rows]
    samples = layout.codes[rows]
    group, firsts = first_of_each(group_ids(np.stack([samples, starts, ends])))
    by_place = np.lexsort((ends[firsts], starts[firsts], samples[firsts]))
    segment_of_group = np.empty(len(firsts), dtype=np.int64)
    segment_of_group[by_place] = np.arange(len(firsts))
    segment_of_row = np.full(len(layout.codes), -1, dtype=np.int64)
    segment_of_row[rows] = segment_of_group[group]
    first_rows = firsts[by_place]  # index in `rows` of each segment's first row
    sample, low, high = samples[first_rows], starts[first_rows], ends[first_rows]
    wrong = cells.seg_from.of_values(negative, bool)[rows[first_rows]] | (high <= low)
    overlaps = np.zeros(len(sample), dtype=bool)  # with the segment before it in its sample
    overlaps[1:] = (sample[1:] == sample[:-1]) & (low[1:] < high[:-1])
    segments = Segments(
        sample=sample,
        position=np.arange(len(sample)) - np.searchsorted(sample, sample),
        from_cm=cells.seg_from.values[rows[first_rows]],
        to_cm=cells.seg_to.values[rows[first_rows]],
    )
    return segments, segment_of_row, wrong | overlaps


def check_samples(
    frame: pd.DataFrame,
    cells: Cells,
    parents: RowParents,
    layout: Layout,
    found: Problems,
    today: date,
) -> None:
    """Every sample without a problem so far, checked by services.problems()'s rules."""
    parent = parents.of_row[layout.starts]
    clean = ~layout.any(found.bad) & (parent >= 0)
    notes = _column(frame, "note")
    suspect = clean & _may_have_problems(cells, notes != "", parents, layout, today)
    for sample in np.flatnonzero(suspect).tolist():
        positions = layout.rows(sample)
        draft, reading_rows, segment_rows = _draft(frame, notes, cells, positions)
        for error in problems(parents.parents[parent[sample]], draft, today):
            found.add(
                *_locate(error.field, positions[0], reading_rows, segment_rows), error.message
            )


def _may_have_problems(
    cells: Cells, noted: np.ndarray, parents: RowParents, layout: Layout, today: date
) -> np.ndarray:
    """Per sample: whether services.problems() may find a problem in it, each of its rules
    (checks.check_dates, checks.check_values, the reason for a test that did not happen)
    applied to every sample at once. True when in doubt."""
    codes, first = layout.codes, layout.starts
    collected = cells.collected.of_values(ordinal, int)[first]
    reported = cells.reported.of_values(ordinal, int)[first]
    entered = np.array([*(d.toordinal() for d in parents.entered_fdac), 0])
    entered = entered[parents.of_row[first]]
    on, after = today.toordinal(), reported >= 0
    dates = (collected > on) | (collected < entered)
    dates |= after & ((reported < collected) | (reported > on))

    matrix = cells.matrix_code[first]
    taken, single = cells.taken[first], cells.single[first]
    value_none = cells.value.of_values(lambda v: v is None, bool)
    value_negative = cells.value.of_values(negative, bool)
    one_value = single & (value_none[first] | value_negative[first])
    values = taken & (one_value | cells.creatinine.of_values(negative, bool)[first])
    no_reason = ~taken & ~layout.any(noted)

    reading = (taken & ~single)[codes]
    m, s = matrix[codes], cells.substance_code
    cutoff_none = cells.cutoff.of_values(lambda v: v is None, bool)
    wrong_reading = (s < 0) | ~IN_PANEL[m, s] | value_negative
    wrong_reading |= cells.cutoff.of_values(negative, bool)
    wrong_reading |= ~value_none & cutoff_none & NEEDS_CUTOFF[m, s]
    wrong_reading |= (m == HAIR) & cells.seg_from.of_values(lambda v: v is None, bool)
    no_value = taken & ~single & ~layout.any(reading & ~value_none)

    segments, _, wrong_segment = _hair_segments(cells, layout)
    per_sample = np.bincount(segments.sample, minlength=layout.count)
    no_segments = taken & (matrix == HAIR) & (per_sample == 0)
    wrong_segments = np.bincount(segments.sample[wrong_segment], minlength=layout.count) > 0
    return (
        dates
        | values
        | no_reason
        | layout.any(reading & wrong_reading)
        | no_value
        | no_segments
        | wrong_segments
    )


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy() if name in frame else np.full(len(frame), "", dtype=object)


def _draft(frame: pd.DataFrame, notes: np.ndarray, cells: Cells, positions: list[int]):
    """One sample's Draft, as services.problems() checks it: (draft, the row of each of its
    readings, the first row of each of its hair segments)."""
    start = positions[0]
    matrix, status = cells.matrix[start], cells.status[start]
    seg_from, seg_to = cells.seg_from.values, cells.seg_to.values
    pairs, readings, reading_rows = {}, [], []
    if status is Status.RESULT and matrix not in SINGLE_VALUE:
        for p in positions:
            pair = None
            if matrix is Matrix.HAIR and seg_from[p] is not None:
                pair = (seg_from[p], seg_to[p])
                pairs.setdefault(pair, p)
            readings.append(
                (cells.substance[p], cells.value.values[p], cells.cutoff.values[p], pair)
            )
            reading_rows.append(p)
    ordered = sorted(pairs)  # position 0 nearest the scalp
    segment_of = {pair: i for i, pair in enumerate(ordered)}
    note = "; ".join(dict.fromkeys(n for p in positions if (n := notes[p])))
    draft = Draft(
        sample=Sample(
            matrix=matrix,
            collected_on=cells.collected.values[start],
            status=status,
            value=cells.value.values[start] if matrix in SINGLE_VALUE else None,
            creatinine_mg_dl=cells.creatinine.values[start],
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
        lab_name=frame["lab"].iat[start],
        lab_reference=frame["lab_reference"].iat[start],
        reported_on=cells.reported.values[start],
        import_key=cells.sample_key[cells.sample[start]],
    )
    return draft, reading_rows, [pairs[pair] for pair in ordered]


def _locate(field: str | None, first: int, reading_rows, segment_rows) -> tuple[int, str | None]:
    """Where a services.problems() field came from in the file: (position, column)."""
    parts = (field or "").split(".")
    if parts[0] == "readings":
        if len(parts) == 1:
            return first, "substance"
        return reading_rows[int(parts[1])], parts[2] if len(parts) > 2 else "segment_from_cm"
    if parts[0] == "segments":
        if len(parts) == 1:
            return first, "segment_from_cm"
        return segment_rows[int(parts[1])], "segment_from_cm"
    return first, {"status_reason": "note", "": None}.get(parts[0], parts[0])


def columns(frame: pd.DataFrame, cells: Cells, parents: RowParents, layout: Layout) -> Samples:
    """The samples of a file without problems, as columns to store."""
    first = layout.starts
    single, taken = cells.single[first], cells.taken[first]
    note = _notes(_column(frame, "note"), layout)
    segments, segment_of_row, _ = _hair_segments(cells, layout)
    reading_rows = layout.order[(taken & ~single)[layout.codes][layout.order]]
    parent = parents.of_row[first]

    def of_parents(attribute: str) -> np.ndarray:
        return np.array([getattr(p, attribute) for p in parents.parents], dtype=np.int64)[parent]

    def texts(parsed) -> np.ndarray:
        return parsed.of_values(lambda v: None if v is None else str(v))[reading_rows]

    return Samples(
        rows=len(frame),
        case_id=of_parents("case_id"),
        parent_id=of_parents("id"),
        matrix=array_of([m.value for m in MATRIX_LIST]).take(cells.matrix_code[first]),
        status=array_of([s.value for s in STATUS_LIST]).take(cells.status_code[first]),
        collected_on=cells.collected.values[first],
        reported_on=cells.reported.values[first],
        observed=cells.observed[first],
        value=np.where(single, cells.value.values[first], None),
        creatinine_mg_dl=cells.creatinine.values[first],
        status_reason=np.where(taken, "", note),
        note=np.where(taken, note, ""),
        lab_name=frame["lab"].to_numpy()[first],
        lab_reference=frame["lab_reference"].to_numpy()[first],
        import_key=cells.sample_key,
        readings=Readings(
            sample=layout.codes[reading_rows],
            substance=array_of([s.value for s in SUBSTANCE_LIST]).take(
                cells.substance_code[reading_rows]
            ),
            value=cells.value.values[reading_rows],
            cutoff=cells.cutoff.values[reading_rows],
            value_text=texts(cells.value),
            cutoff_text=texts(cells.cutoff),
            segment=segment_of_row[reading_rows],
        ),
        segments=segments,
    )
