"""Use cases for test results: record, confirm, amend, prescribe, and read a parent's series.

Evidence is append-only: nothing here updates or deletes a TestResult.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from fdac.auth.models import User
from fdac.cases.models import Parent
from fdac.extensions import db
from fdac.validation import FieldError, FieldErrors
from testing_results.checks import check_dates, check_values
from testing_results.interpret import (
    Interpreted,
    PrescriptionPeriod,
    Sample,
    Segment,
    Status,
    SubstanceReading,
    effective,
    interpret,
)
from testing_results.models import HairSegment, Method, Prescription, SubstanceResult, TestResult
from testing_results.panels import Matrix


@dataclass
class Draft:
    """A result as entered, before it is stored: the pure Sample plus its record-keeping."""

    sample: Sample
    method: Method
    observed: bool | None = None
    status_reason: str = ""
    note: str = ""
    lab_name: str = ""
    lab_reference: str = ""
    reported_on: date | None = None
    sample_length_cm: Decimal | None = None
    confirms: TestResult | None = None
    import_key: str | None = None
    contact_id: int | None = None  # the contact the sample was taken at, if entered from one
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ stored <-> pure


def to_sample(result: TestResult, key=None, confirms=None, readings=None, segments=None) -> Sample:
    """The pure Sample of a stored result. `readings` and `segments` may be passed in as rows
    already fetched (see _details), so a page of hundreds of results loads no ORM children."""
    readings = result.readings if readings is None else readings
    segments = result.segments if segments is None else segments
    positions = {s.id: i for i, s in enumerate(segments)}
    return Sample(
        matrix=result.matrix,
        collected_on=result.collected_on,
        status=result.status,
        value=result.value,
        creatinine_mg_dl=result.creatinine_mg_dl,
        readings=tuple(
            SubstanceReading(
                r.substance,
                value=r.value,
                cutoff=r.cutoff,
                screen=r.screen,
                segment=positions.get(r.segment_id) if r.segment_id else None,
            )
            for r in readings
        ),
        segments=tuple(Segment(s.from_cm, s.to_cm) for s in segments),
        key=result.id if key is None else key,
        confirms=confirms,
    )


def prescription_periods(prescriptions) -> list[PrescriptionPeriod]:
    return [PrescriptionPeriod(p.substance, p.starts_on, p.ends_on) for p in prescriptions]


def _store(parent: Parent, draft: Draft, by: User | None, amends: TestResult | None = None):
    sample = draft.sample
    result = TestResult(
        case_id=parent.case_id,
        parent_id=parent.id,
        matrix=sample.matrix,
        method=draft.method,
        collected_on=sample.collected_on,
        status=sample.status,
        status_reason=draft.status_reason,
        observed=draft.observed,
        value=sample.value,
        creatinine_mg_dl=sample.creatinine_mg_dl,
        sample_length_cm=draft.sample_length_cm,
        lab_name=draft.lab_name,
        lab_reference=draft.lab_reference,
        reported_on=draft.reported_on,
        confirms_id=draft.confirms.id if draft.confirms else None,
        amends_id=amends.id if amends else None,
        note=draft.note,
        import_key=draft.import_key,
        contact_id=draft.contact_id,
        entered_by_id=by.id if by else None,
    )
    segments = [
        HairSegment(position=i, from_cm=s.from_cm, to_cm=s.to_cm)
        for i, s in enumerate(sample.segments)
    ]
    result.segments = segments
    result.readings = [
        SubstanceResult(
            substance=r.substance,
            screen=r.screen,
            value=r.value,
            cutoff=r.cutoff,
            segment=segments[r.segment] if r.segment is not None else None,
        )
        for r in sample.readings
    ]
    db.session.add(result)
    return result


def problems(parent: Parent, draft: Draft, today: date) -> list[FieldError]:
    """Every reason `draft` cannot be stored for `parent` (empty when it can)."""
    errors = check_dates(
        draft.sample.collected_on,
        reported_on=draft.reported_on,
        entered_fdac_on=parent.case.entered_on,
        today=today,
    )
    errors += check_values(draft.sample)
    if draft.sample.status is not Status.RESULT and not draft.status_reason.strip():
        errors.append(FieldError("Enter the reason the test did not happen", "status_reason"))
    if draft.confirms is not None:
        screen = draft.confirms
        if screen.parent_id != parent.id or screen.method is not Method.POINT_OF_CARE:
            errors.append(FieldError("Choose a screen of this parent to confirm", "confirms"))
        elif screen.matrix is not draft.sample.matrix:
            errors.append(FieldError("A confirmation must be of the same kind of test", "confirms"))
        elif draft.sample.collected_on != screen.collected_on:
            errors.append(
                FieldError(
                    "Date collected must be the date of the screen it confirms", "collected_on"
                )
            )
    return errors


def record(
    parent: Parent, drafts: list[Draft], *, by: User | None, today: date
) -> list[TestResult]:
    """Store one or more results together: all of them, or none when any has a problem."""
    errors = [e for d in drafts for e in problems(parent, d, today)]
    if errors:
        raise FieldErrors(errors)
    stored = [_store(parent, d, by) for d in drafts]
    db.session.commit()
    return stored


def amend(
    original: TestResult, draft: Draft, *, reason: str, by: User | None, today: date
) -> TestResult:
    """Correct a result: a new version pointing at the one it replaces; the original stays."""
    errors = problems(original.parent, draft, today)
    if not reason.strip():
        errors.append(FieldError("Enter the reason for the amendment", "amendment_reason"))
    if current_version(original).id != original.id:
        errors.append(FieldError("This result has already been amended: amend the latest version"))
    if draft.sample.matrix is not original.matrix:
        errors.append(FieldError("An amendment must be of the same kind of test"))
    if errors:
        raise FieldErrors(errors)
    draft.confirms = draft.confirms or original.confirms
    draft.contact_id = draft.contact_id or original.contact_id  # taken at the same contact
    amendment = _store(original.parent, draft, by, amends=original)
    amendment.amendment_reason = reason.strip()
    db.session.commit()
    return amendment


# ------------------------------------------------------------------------- reading


def parent_results(parent_id: int) -> list[TestResult]:
    """Every version of every result of one parent, oldest collection first (no children)."""
    return list(
        db.session.scalars(
            select(TestResult)
            .where(TestResult.parent_id == parent_id)
            .order_by(TestResult.collected_on, TestResult.id)
        )
    )


def result_details(parent_ids: Sequence[int]) -> tuple[dict, dict]:
    """Readings and hair segments of the parents' results as plain rows, by result id.

    Two Core queries instead of ORM objects: the trend page reads a thousand readings or more,
    the outcomes page those of every parent of the closed cases.
    """
    mine = select(TestResult.id).where(TestResult.parent_id.in_(parent_ids))
    readings, segments = defaultdict(list), defaultdict(list)
    for row in db.session.execute(
        select(
            SubstanceResult.result_id,
            SubstanceResult.substance,
            SubstanceResult.value,
            SubstanceResult.cutoff,
            SubstanceResult.screen,
            SubstanceResult.segment_id,
        )
        .where(SubstanceResult.result_id.in_(mine))
        .order_by(SubstanceResult.id)
    ):
        readings[row.result_id].append(row)
    for row in db.session.execute(
        select(HairSegment.result_id, HairSegment.id, HairSegment.from_cm, HairSegment.to_cm)
        .where(HairSegment.result_id.in_(mine))
        .order_by(HairSegment.position)
    ):
        segments[row.result_id].append(row)
    return readings, segments


def current_version(result: TestResult) -> TestResult:
    newer = db.session.scalar(select(TestResult).where(TestResult.amends_id == result.id))
    return result if newer is None else current_version(newer)


@dataclass
class ResultHistory:
    """One result as it stands now, with the versions it replaced (oldest first)."""

    current: TestResult
    earlier: list[TestResult]
    interpreted: Interpreted | None = None
    confirmed_by: "ResultHistory | None" = None

    @property
    def root_id(self) -> int:
        return (self.earlier[0] if self.earlier else self.current).id


def histories(results: list[TestResult]) -> list[ResultHistory]:
    """Group every version into chains: original -> amendment -> amendment ..."""
    replaced_by = {r.amends_id: r for r in results if r.amends_id is not None}
    chains = []
    for result in results:
        if result.amends_id is not None:
            continue  # not an original
        chain = [result]
        while chain[-1].id in replaced_by:
            chain.append(replaced_by[chain[-1].id])
        chains.append(ResultHistory(current=chain[-1], earlier=chain[:-1]))
    return chains


@dataclass
class ParentTesting:
    results: list[ResultHistory]  # every result with its versions, oldest first
    series: list[Interpreted]  # what counts: current versions, confirmations over screens
    prescriptions: list[Prescription]


def chain_samples(chains: list[ResultHistory], readings: dict, segments: dict) -> list[Sample]:
    """Each chain's current version as a Sample keyed by its original, its confirmation pointing
    at the original of the screen it confirms: how every reader turns results into samples."""
    root_of = {r.id: h.root_id for h in chains for r in [h.current, *h.earlier]}
    return [
        to_sample(
            h.current,
            key=h.root_id,
            confirms=root_of.get(h.current.confirms_id) if h.current.confirms_id else None,
            readings=readings.get(h.current.id, []),
            segments=segments.get(h.current.id, []),
        )
        for h in chains
    ]


def parent_testing(parent: Parent) -> ParentTesting:
    """A parent's results interpreted, ready for the trend page, reports and the API."""
    results = parent_results(parent.id)
    chains = histories(results)
    root_of = {r.id: h.root_id for h in chains for r in [h.current, *h.earlier]}
    prescriptions = list(
        db.session.scalars(
            select(Prescription)
            .where(Prescription.parent_id == parent.id)
            .order_by(Prescription.starts_on)
        )
    )
    periods = prescription_periods(prescriptions)
    samples = chain_samples(chains, *result_details([parent.id]))
    by_root = {h.root_id: h for h in chains}
    for h, sample in zip(chains, samples, strict=True):
        h.interpreted = Interpreted(sample, interpret(sample, periods))
    for h in chains:
        if h.current.confirms_id:
            screen = by_root.get(root_of.get(h.current.confirms_id))
            if screen is not None:
                screen.confirmed_by = h
    # The series that counts: each sample interpreted once, above; confirmations over screens.
    series = [by_root[s.key].interpreted for s in effective(samples)]
    return ParentTesting(chains, series, prescriptions)


# --------------------------------------------------------------------- prescriptions


def save_prescription(prescription: Prescription, data: dict, *, by: User | None) -> Prescription:
    starts, ends = data["starts_on"], data.get("ends_on")
    if ends is not None and ends < starts:
        raise FieldErrors([FieldError("End date must be on or after the start date", "ends_on")])
    for key, value in data.items():
        setattr(prescription, key, value)
    if prescription.id is None:
        prescription.entered_by_id = by.id if by else None
        db.session.add(prescription)
    db.session.commit()
    return prescription


def screen_choices(parent_id: int, matrix: Matrix) -> list[TestResult]:
    """Current point-of-care screens of this kind that a lab result could confirm."""
    chains = histories(parent_results(parent_id))
    return [
        h.current
        for h in chains
        if h.current.matrix is matrix
        and h.current.method is Method.POINT_OF_CARE
        and h.current.status is Status.RESULT
    ]
