"""Stored results as the API answers them (TestResultOut), with the interpretation the pages
show: testing_results.services.parent_testing (to_sample, interpret with the parent's
prescriptions, effective), never a second interpretation."""

from fdac.api.results import codes
from fdac.api.results.schemas import SubstanceListItem, TestResultOut
from fdac.cases.models import Parent
from testing_results import services
from testing_results.interpret import (
    Interpretation,
    Reading,
    Segment,
    hair_segment_period,
    interpret,
)
from testing_results.models import TestResult
from testing_results.panels import MATRICES, Matrix


def _substance(reading, matrix: Matrix) -> dict:
    screen = reading.screen if reading.screen is not Reading.NOT_TESTED else None
    return {
        "substance": codes.code_of(matrix, reading.substance),
        "value": reading.value,
        "cutoff": reading.cutoff,
        "positive": None if screen is None else screen is Reading.POSITIVE,
        "unit": codes.unit_of(matrix, reading.substance),
    }


def _segment_index(segment: Segment | None, segments: list) -> int | None:
    if segment is None:
        return None
    for i, seg in enumerate(segments):
        if (seg.from_cm, seg.to_cm) == (segment.from_cm, segment.to_cm):
            return i
    return None


def interpretation_out(result: TestResult, interpretation: Interpretation) -> dict:
    matrix = result.matrix
    segments = list(result.segments)
    return {
        "overall": interpretation.overall.value,
        "summary": interpretation.summary,
        "band": interpretation.band.key if interpretation.band else None,
        "flags": list(interpretation.flags),
        "substances": [
            {
                "substance": codes.code_of(matrix, f.substance),
                "outcome": f.outcome.value,
                "value": f.value,
                "cutoff": f.cutoff,
                "unit": codes.API_UNIT[f.unit],
                "meaning": f.meaning,
                "band": f.band.key if f.band else None,
                "segment": _segment_index(f.segment, segments),
                "period_from": f.period[0] if f.period else None,
                "period_to": f.period[1] if f.period else None,
            }
            for f in interpretation.findings
        ],
    }


def result_out(
    result: TestResult,
    interpretation: Interpretation,
    *,
    amended_by: int | None = None,
    confirmed_by: int | None = None,
    counts: bool = True,
) -> dict:
    """One stored version as TestResultOut serialises it (JSON-ready: numbers, ISO dates)."""
    matrix = result.matrix
    single = matrix in (Matrix.PETH, Matrix.BREATH)
    loose = [r for r in result.readings if r.segment_id is None]
    segments = [
        {
            "from_cm": seg.from_cm,
            "to_cm": seg.to_cm,
            "period_from": period[0],
            "period_to": period[1],
            "substances": [
                _substance(r, matrix) for r in result.readings if r.segment_id == seg.id
            ],
        }
        for seg in result.segments
        for period in [hair_segment_period(result.collected_on, Segment(seg.from_cm, seg.to_cm))]
    ]
    body = {
        "id": result.id,
        "parent_id": result.parent_id,
        "kind": matrix.value,
        "method": result.method.value,
        "collected_at": result.collected_on,
        "status": result.status.value,
        "status_reason": result.status_reason,
        "observed": result.observed,
        "value": result.value,
        "unit": codes.unit_of(matrix) if single and result.value is not None else None,
        "creatinine_mg_dl": result.creatinine_mg_dl,
        "substances": [_substance(r, matrix) for r in loose],
        "segments": segments,
        "lab": result.lab_name,
        "lab_reference": result.lab_reference,
        "reported_on": result.reported_on,
        "note": result.note,
        "confirms": result.confirms_id,
        "confirmed_by": confirmed_by,
        "amends": result.amends_id,
        "amended_by": amended_by,
        "amendment_reason": result.amendment_reason,
        "counts": counts,
        "entered_at": result.entered_at,
        "interpretation": interpretation_out(result, interpretation),
    }
    return TestResultOut.model_validate(body).model_dump(mode="json")


def results_out(parent: Parent) -> list[dict]:
    """Every version of every result of `parent`, oldest collection first, each interpreted as
    the trend page interprets it (the parent's prescriptions; a laboratory confirmation counts
    instead of its screen; an earlier version is interpreted as it read)."""
    testing = services.parent_testing(parent)
    periods = services.prescription_periods(testing.prescriptions)
    counted = {item.sample.key for item in testing.series}
    out = []
    for history in testing.results:
        versions = [*history.earlier, history.current]
        confirmed_by = history.confirmed_by.current.id if history.confirmed_by else None
        for i, version in enumerate(versions):
            current = version is history.current
            interpretation = (
                history.interpreted.interpretation
                if current
                else interpret(services.to_sample(version), periods)
            )
            out.append(
                (
                    (version.collected_on, version.id),
                    result_out(
                        version,
                        interpretation,
                        amended_by=None if current else versions[i + 1].id,
                        confirmed_by=confirmed_by if current else None,
                        counts=current and history.root_id in counted,
                    ),
                )
            )
    return [body for _, body in sorted(out, key=lambda pair: pair[0])]


def result_for(result: TestResult) -> dict:
    """One result as the API answers it (after POST, or GET of one)."""
    for body in results_out(result.parent):
        if body["id"] == result.id:
            return body
    raise LookupError(result.id)


# --------------------------------------------------------------------- GET /substances


def substance_list() -> list[dict]:
    """Every substance code with what it counts as and, for each test that measures it, the
    unit and the default cut-off (panels.py's, or null where the lab's is required)."""
    items = []
    for code, info in codes.SUBSTANCE_CODES.items():
        tests = []
        for kind in codes.KINDS:
            matrix = codes.KIND_MATRIX[kind]
            substance = codes.substance_for(code, matrix)
            if substance is None or substance not in MATRICES[matrix].substances:
                continue
            single = kind in codes.SINGLE_VALUE_KINDS
            tests.append(
                {
                    "kind": kind,
                    "unit": codes.unit_of(matrix, substance),
                    "default_cutoff": codes.default_cutoff_for(code, matrix),
                    "cutoff_required": not single and codes.needs_cutoff(code, matrix),
                }
            )
        items.append(
            {
                "code": code,
                "counts_as": info.substance.value,
                "group": info.substance.group.value,
                "label": info.substance.label,
                "tests": tests,
            }
        )
    return [SubstanceListItem.model_validate(i).model_dump(mode="json") for i in items]
