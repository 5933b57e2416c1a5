"""Interpretation of test results: one sample -> a classification; a series -> trend,
streaks and evidence coverage.

Pure functions on plain values: no Flask, no database. Every threshold comes from panels.py.
Views, reports, the importer, scheduled jobs and the API all call these.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from testing_results.panels import (
    BREATH_DETECTED_ABOVE,
    BREATH_DRINK_DRIVE_LIMIT,
    DILUTE_CREATININE_MG_DL,
    HAIR_DAYS_PER_CM,
    HAIR_EMERGENCE_DAYS,
    HAIR_ETG_BANDS,
    HAIR_ETG_UNIT,
    MATRICES,
    PETH_BANDS,
    Band,
    Matrix,
    Substance,
    SubstanceGroup,
    default_cutoff,
)


class Status(StrEnum):
    """Whether a test happened. The three that did not happen count as positive."""

    RESULT = "result"
    MISSED = "missed"  # did not attend
    REFUSED = "refused"
    UNABLE_TO_PROVIDE = "unable_to_provide"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.RESULT: "Test taken",
    Status.MISSED: "Missed (did not attend)",
    Status.REFUSED: "Refused",
    Status.UNABLE_TO_PROVIDE: "Unable to provide a sample",
}


class Reading(StrEnum):
    """A point-of-care screen's answer for one substance."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NOT_TESTED = "not_tested"


class Overall(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    DILUTE = "dilute"
    MISSED = "missed"
    REFUSED = "refused"
    UNABLE_TO_PROVIDE = "unable_to_provide"
    CONSISTENT_WITH_PRESCRIPTION = "consistent_with_prescription"

    @property
    def label(self) -> str:
        return OVERALL_LABELS[self]

    @property
    def counts_as_positive(self) -> bool:
        """Treatment-court standard: a test that did not happen counts as a positive."""
        return self in COUNTS_AS_POSITIVE

    @property
    def is_negative(self) -> bool:
        """Extends a run of negative tests. Dilute is not a negative (DOMAIN.md)."""
        return self in (Overall.NEGATIVE, Overall.CONSISTENT_WITH_PRESCRIPTION)


OVERALL_LABELS = {
    Overall.NEGATIVE: "Negative",
    Overall.POSITIVE: "Positive",
    Overall.DILUTE: "Dilute (not a negative)",
    Overall.MISSED: "Missed",
    Overall.REFUSED: "Refused",
    Overall.UNABLE_TO_PROVIDE: "Unable to provide",
    Overall.CONSISTENT_WITH_PRESCRIPTION: "Consistent with prescription",
}
COUNTS_AS_POSITIVE = frozenset(
    {Overall.POSITIVE, Overall.MISSED, Overall.REFUSED, Overall.UNABLE_TO_PROVIDE}
)
_NOT_TAKEN = {
    Status.MISSED: Overall.MISSED,
    Status.REFUSED: Overall.REFUSED,
    Status.UNABLE_TO_PROVIDE: Overall.UNABLE_TO_PROVIDE,
}


@dataclass(frozen=True)
class Segment:
    """A hair segment from `from_cm` to `to_cm` measured from the scalp."""

    from_cm: Decimal
    to_cm: Decimal


@dataclass(frozen=True)
class SubstanceReading:
    substance: Substance
    value: Decimal | None = None  # a laboratory concentration
    cutoff: Decimal | None = None  # the lab's or device's cut-off; default from panels.py
    screen: Reading | None = None  # a point-of-care answer, when there is no value
    segment: int | None = None  # index into Sample.segments (hair only)


@dataclass(frozen=True)
class Sample:
    matrix: Matrix
    collected_on: date
    status: Status = Status.RESULT
    value: Decimal | None = None  # breath reading (µg/100mL) or PEth (ng/mL)
    creatinine_mg_dl: Decimal | None = None  # urine
    readings: tuple[SubstanceReading, ...] = ()
    segments: tuple[Segment, ...] = ()
    key: object = None  # the caller's identifier, passed through untouched
    confirms: object = None  # the key of the screen this laboratory result confirms


@dataclass(frozen=True)
class PrescriptionPeriod:
    substance: Substance
    starts_on: date
    ends_on: date | None  # None: still prescribed


@dataclass(frozen=True)
class Finding:
    substance: Substance
    outcome: Overall  # NEGATIVE, POSITIVE or CONSISTENT_WITH_PRESCRIPTION
    value: Decimal | None
    cutoff: Decimal | None
    unit: str
    meaning: str
    segment: Segment | None = None
    band: Band | None = None
    period: tuple[date, date] | None = None  # the days this finding speaks for


@dataclass(frozen=True)
class Interpretation:
    overall: Overall
    summary: str
    findings: tuple[Finding, ...] = ()
    band: Band | None = None  # PEth, or the worst hair EtG segment
    flags: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- one sample


def band_for(value: Decimal, bands: Sequence[Band]) -> Band:
    """The band `value` falls in; each band holds values below (or up to) its upper end."""
    for band in bands:
        if band.upper is None:
            return band
        if value < band.upper or (band.upper_inclusive and value == band.upper):
            return band
    raise ValueError("bands must end with an open band")


def hair_segment_period(collected_on: date, segment: Segment) -> tuple[date, date]:
    """The approximate days a hair segment grew (DOMAIN.md: ~1 cm a month, 14 days to emerge).

    A 0 to 3 cm sample collected on 1 November covers 20 July to 18 October.
    """
    base = collected_on - timedelta(days=HAIR_EMERGENCE_DAYS)
    start = base - timedelta(days=float(segment.to_cm * HAIR_DAYS_PER_CM))
    end = base - timedelta(days=float(segment.from_cm * HAIR_DAYS_PER_CM))
    return start, end


def detection_period(sample: Sample) -> tuple[date, date]:
    """The days a sample can speak for: its detection window before collection."""
    if sample.matrix is Matrix.HAIR and sample.segments:
        periods = [hair_segment_period(sample.collected_on, s) for s in sample.segments]
        return min(p[0] for p in periods), max(p[1] for p in periods)
    window = MATRICES[sample.matrix].window_days or 0
    return sample.collected_on - timedelta(days=window), sample.collected_on


def _reading_period(sample: Sample, reading: SubstanceReading) -> tuple[date, date]:
    if sample.matrix is Matrix.HAIR and reading.segment is not None:
        return hair_segment_period(sample.collected_on, sample.segments[reading.segment])
    return detection_period(sample)


def _prescribed(
    substance: Substance, period: tuple[date, date], prescriptions: Iterable[PrescriptionPeriod]
) -> bool:
    start, end = period
    return any(
        p.substance is substance
        and p.starts_on <= end
        and (p.ends_on is None or p.ends_on >= start)
        for p in prescriptions
    )


def _finding(
    sample: Sample, reading: SubstanceReading, prescriptions: Sequence[PrescriptionPeriod]
) -> Finding | None:
    unit = MATRICES[sample.matrix].unit
    segment = sample.segments[reading.segment] if reading.segment is not None else None
    period = _reading_period(sample, reading)
    band = None
    cutoff = reading.cutoff
    if sample.matrix is Matrix.HAIR and reading.substance is Substance.ALCOHOL:
        if reading.value is None:
            return None
        band = band_for(reading.value, HAIR_ETG_BANDS)
        positive, unit, meaning = band.positive, HAIR_ETG_UNIT, band.meaning
    elif reading.value is not None:
        cutoff = cutoff if cutoff is not None else default_cutoff(sample.matrix, reading.substance)
        if cutoff is None:
            raise ValueError(f"{reading.substance.label} needs the lab's cut-off")
        positive = reading.value >= cutoff  # positive at or above the cut-off
        meaning = (
            f"At or above the cut-off of {cutoff} {unit}"
            if positive
            else f"Below the cut-off of {cutoff} {unit}"
        )
    elif reading.screen in (Reading.POSITIVE, Reading.NEGATIVE):
        positive = reading.screen is Reading.POSITIVE
        meaning = "Screen positive" if positive else "Screen negative"
    else:
        return None  # not tested
    outcome = Overall.POSITIVE if positive else Overall.NEGATIVE
    if positive and _prescribed(reading.substance, period, prescriptions):
        outcome = Overall.CONSISTENT_WITH_PRESCRIPTION
        meaning += "; consistent with a current prescription"
    return Finding(
        reading.substance, outcome, reading.value, cutoff, unit, meaning, segment, band, period
    )


def _single_value(sample: Sample) -> Interpretation:
    """Breath and PEth: one reading of alcohol."""
    value = sample.value
    if value is None:
        raise ValueError("a breath or PEth result needs its reading")
    unit = MATRICES[sample.matrix].unit
    period = detection_period(sample)
    if sample.matrix is Matrix.PETH:
        band = band_for(value, PETH_BANDS)
        outcome = Overall.POSITIVE if band.positive else Overall.NEGATIVE
        finding = Finding(
            Substance.ALCOHOL, outcome, value, None, unit, band.meaning, band=band, period=period
        )
        return Interpretation(outcome, f"{band.label}: {band.meaning}", (finding,), band)
    positive = value > BREATH_DETECTED_ABOVE  # any reading above 0 is alcohol detected
    flags = ("above_drink_drive_limit",) if value >= BREATH_DRINK_DRIVE_LIMIT else ()
    meaning = "Alcohol detected" if positive else "No alcohol detected"
    if flags:
        meaning += " (at or above the drink-drive limit of 35 µg/100mL, for context)"
    outcome = Overall.POSITIVE if positive else Overall.NEGATIVE
    finding = Finding(Substance.ALCOHOL, outcome, value, None, unit, meaning, period=period)
    return Interpretation(outcome, meaning, (finding,), None, flags)


def interpret(sample: Sample, prescriptions: Sequence[PrescriptionPeriod] = ()) -> Interpretation:
    """Classify one sample, with a plain-English summary."""
    if sample.status is not Status.RESULT:
        overall = _NOT_TAKEN[sample.status]
        return Interpretation(overall, f"{sample.status.label}: counts as a positive")
    if sample.matrix in (Matrix.BREATH, Matrix.PETH):
        return _single_value(sample)

    findings = tuple(
        f for r in sample.readings if (f := _finding(sample, r, prescriptions)) is not None
    )
    positives = [f for f in findings if f.outcome is Overall.POSITIVE]
    explained = [f for f in findings if f.outcome is Overall.CONSISTENT_WITH_PRESCRIPTION]
    dilute = (
        sample.matrix is Matrix.URINE
        and sample.creatinine_mg_dl is not None
        and sample.creatinine_mg_dl < DILUTE_CREATININE_MG_DL
    )
    flags = ("dilute",) if dilute else ()
    etg = [f.band for f in findings if f.band is not None]
    worst_band = max(etg, key=HAIR_ETG_BANDS.index) if etg else None

    if positives:
        overall = Overall.POSITIVE
        names = ", ".join(sorted({f.substance.label for f in positives}))
        summary = f"Positive for {names}"
        if explained:
            also = ", ".join(sorted({f.substance.label for f in explained}))
            summary += f"; {also} consistent with prescription"
    elif dilute:
        # A dilute sample can hide use: it is never read as a negative.
        overall = Overall.DILUTE
        summary = (
            f"Dilute sample (creatinine below {DILUTE_CREATININE_MG_DL} mg/dL): not a negative"
        )
    elif explained:
        overall = Overall.CONSISTENT_WITH_PRESCRIPTION
        names = ", ".join(sorted({f.substance.label for f in explained}))
        summary = f"{names}: consistent with prescription; otherwise negative"
    elif findings:
        overall = Overall.NEGATIVE
        summary = "Negative for every substance tested"
    else:
        raise ValueError("no substance was tested")
    if dilute and positives:
        summary += " (dilute sample)"
    return Interpretation(overall, summary, findings, worst_band, flags)


# -------------------------------------------------------------------------- a series


@dataclass(frozen=True)
class Interpreted:
    sample: Sample
    interpretation: Interpretation

    @property
    def overall(self) -> Overall:
        return self.interpretation.overall


def effective(samples: Iterable[Sample]) -> list[Sample]:
    """The samples that count, oldest first: a laboratory confirmation replaces its screen."""
    samples = list(samples)
    confirmed = {s.confirms for s in samples if s.confirms is not None}
    kept = [s for s in samples if s.key is None or s.key not in confirmed]
    return sorted(kept, key=lambda s: (s.collected_on, str(s.key)))


def interpret_series(
    samples: Iterable[Sample], prescriptions: Sequence[PrescriptionPeriod] = ()
) -> list[Interpreted]:
    return [Interpreted(s, interpret(s, prescriptions)) for s in effective(samples)]


@dataclass(frozen=True)
class TrendSummary:
    counts: dict[Overall, int]
    total: int
    counted_as_positive: int  # positives plus tests that did not happen
    longest_negative_run: int  # tests in a row
    # The most days one unbroken run of negatives spans, its first test's day to its last's,
    # both counted (one negative test: 1 day); 0 without a negative.
    longest_negative_run_days: int
    current_negative_run: int
    last_positive_on: date | None
    days_since_last_positive: int | None


def trend_summary(series: Sequence[Interpreted], today: date) -> TrendSummary:
    """Counts, the longest run of negative tests (in tests and in days), and days since the
    last positive.

    Missed, refused and unable-to-provide count as positive; a dilute sample is not a
    negative, so it breaks a run without being a positive.
    """
    counts = Counter(i.overall for i in series)
    longest = run = longest_days = 0
    run_from = last_positive = None
    for item in series:
        day = item.sample.collected_on
        if item.overall.is_negative:
            run += 1
            run_from = run_from or day
            longest_days = max(longest_days, (day - run_from).days + 1)
        else:
            run, run_from = 0, None
        longest = max(longest, run)
        if item.overall.counts_as_positive:
            last_positive = item.sample.collected_on
    return TrendSummary(
        counts={o: counts.get(o, 0) for o in Overall},
        total=len(series),
        counted_as_positive=sum(counts[o] for o in COUNTS_AS_POSITIVE),
        longest_negative_run=longest,
        longest_negative_run_days=longest_days,
        current_negative_run=run,
        last_positive_on=last_positive,
        days_since_last_positive=(today - last_positive).days if last_positive else None,
    )


class Coverage(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NOT_TAKEN = "not_taken"  # missed, refused, unable to provide, or dilute: no evidence
    NONE = "none"

    @property
    def label(self) -> str:
        return COVERAGE_LABELS[self]


COVERAGE_LABELS = {
    Coverage.POSITIVE: "Covered by a positive result",
    Coverage.NEGATIVE: "Covered by a negative result",
    Coverage.NOT_TAKEN: "Test missed, refused, not provided or dilute",
    Coverage.NONE: "Not covered by any test",
}
# When several results speak for a day, the strongest evidence shows.
_COVERAGE_RANK = [Coverage.NONE, Coverage.NOT_TAKEN, Coverage.NEGATIVE, Coverage.POSITIVE]


def _groups_tested(sample: Sample) -> set[SubstanceGroup]:
    if sample.matrix in (Matrix.BREATH, Matrix.PETH):
        return {SubstanceGroup.ALCOHOL}
    if sample.status is not Status.RESULT or not sample.readings:
        return {s.group for s in MATRICES[sample.matrix].substances}
    return {
        r.substance.group
        for r in sample.readings
        if r.value is not None or r.screen in (Reading.POSITIVE, Reading.NEGATIVE)
    }


@dataclass
class CoverageRow:
    group: SubstanceGroup
    days: list[Coverage] = field(default_factory=list)

    def share(self, state: Coverage) -> float:
        return self.days.count(state) / len(self.days) if self.days else 0.0


def coverage(series: Sequence[Interpreted], start: date, end: date) -> list[CoverageRow]:
    """For each substance group and each day from `start` to `end`: what evidence covers it.

    A result covers the days of its detection window (each hair segment its own period);
    a test that did not happen, or a dilute one, marks only its own day.
    """
    length = (end - start).days + 1
    rows = {g: [Coverage.NONE] * length for g in SubstanceGroup}

    def mark(group, first: date, last: date, state: Coverage) -> None:
        days = rows[group]
        for offset in range(max((first - start).days, 0), min((last - start).days, length - 1) + 1):
            if _COVERAGE_RANK.index(state) > _COVERAGE_RANK.index(days[offset]):
                days[offset] = state

    for item in series:
        sample, result = item.sample, item.interpretation
        if sample.status is not Status.RESULT or result.overall is Overall.DILUTE:
            day = sample.collected_on
            for group in _groups_tested(sample):
                mark(group, day, day, Coverage.NOT_TAKEN)
            continue
        for finding in result.findings:
            state = Coverage.POSITIVE if finding.outcome is Overall.POSITIVE else Coverage.NEGATIVE
            first, last = finding.period or detection_period(sample)
            mark(finding.substance.group, first, last, state)
    return [CoverageRow(g, rows[g]) for g in SubstanceGroup]
