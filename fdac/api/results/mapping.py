"""A validated API body -> the services' Draft, and the services' problems -> API field paths.

The API stores results through testing_results.services.record and amend, with the same
Draft the forms and the lab importer build: there is no second write path. No Flask here.
"""

from datetime import date, datetime

from sqlalchemy import select

from fdac.api.results import codes
from fdac.api.results.schemas import TestResultIn
from fdac.cases.models import Parent
from fdac.dates import LONDON
from fdac.extensions import db
from fdac.validation import FieldErrors
from testing_results import services
from testing_results.interpret import Reading, Sample, Segment, Status, SubstanceReading
from testing_results.models import Method, TestResult
from testing_results.panels import Matrix
from testing_results.services import Draft


def collected_on(model: TestResultIn) -> date:
    """The date collected in England and Wales (what a result stores)."""
    moment = model.collected_at
    return moment.astimezone(LONDON).date() if isinstance(moment, datetime) else moment


def method_of(model: TestResultIn) -> Method:
    """PEth and hair are always laboratory tests; breath, oral fluid and urine are laboratory
    results when the lab is named (lab or lab_reference), and point-of-care screens otherwise."""
    if model.kind in ("peth", "hair") or model.lab or model.lab_reference:
        return Method.LABORATORY
    return Method.POINT_OF_CARE


def import_key(model: TestResultIn) -> str | None:
    """The lab importer's key, "lab|lab_reference" lower-cased: a sample sent both in a file and
    through the API is stored once (the database refuses the second, even under a race)."""
    if not model.lab_reference:
        return None
    return f"{model.lab.lower()}|{model.lab_reference.lower()}"


def _reading(item, matrix: Matrix, segment: int | None) -> SubstanceReading:
    substance = codes.substance_for(item.substance, matrix)
    if item.value is not None:
        cutoff = None if codes.is_etg(matrix, substance) else item.cutoff
        return SubstanceReading(substance, value=item.value, cutoff=cutoff, segment=segment)
    screen = Reading.POSITIVE if item.positive else Reading.NEGATIVE
    return SubstanceReading(substance, screen=screen, segment=segment)


def reading_paths(model: TestResultIn) -> list[str]:
    """The API path of each of the Draft's readings, in the Draft's order."""
    if model.status != "result":
        return []
    if model.kind == "hair":
        return [
            f"segments[{i}].substances[{j}]"
            for i, seg in enumerate(model.segments or [])
            for j in range(len(seg.substances))
        ]
    return [f"substances[{i}]" for i in range(len(model.substances or []))]


def draft_for(model: TestResultIn, parent: Parent, confirms: TestResult | None) -> Draft:
    """The Draft of a validated body, as the forms and the importer build one. `parent` is the
    parent the caller may record for (the body's parent_id, already checked); `confirms` the
    screen found by confirms_for."""
    del parent  # the Draft does not carry it: services.record(parent, ...) does
    matrix = Matrix(model.kind)
    status = Status(model.status)
    taken = status is Status.RESULT
    readings, segments = [], []
    if taken and model.kind == "hair":
        for position, seg in enumerate(model.segments or []):
            segments.append(Segment(seg.from_cm, seg.to_cm))
            readings += [_reading(item, matrix, position) for item in seg.substances]
    elif taken and model.kind in codes.PANEL_KINDS:
        readings = [_reading(item, matrix, None) for item in model.substances or []]
    sample = Sample(
        matrix=matrix,
        collected_on=collected_on(model),
        status=status,
        value=model.value if taken and model.kind in codes.SINGLE_VALUE_KINDS else None,
        creatinine_mg_dl=model.creatinine_mg_dl if taken and model.kind == "urine" else None,
        readings=tuple(readings),
        segments=tuple(segments),
    )
    return Draft(
        sample,
        method_of(model),
        observed=model.observed,
        status_reason=model.status_reason,
        note=model.note,
        lab_name=model.lab,
        lab_reference=model.lab_reference,
        reported_on=model.reported_on,
        confirms=confirms,
        import_key=import_key(model),
    )


def amendment_draft(model: TestResultIn, original: TestResult, confirms: TestResult | None):
    """The Draft of an amendment: as draft_for, but without the importer's key (the original
    keeps it: it names the sample, not the version)."""
    draft = draft_for(model, original.parent, confirms)
    draft.import_key = None
    return draft


SCREEN_MESSAGE = "Choose a screen of this parent to confirm"


def confirms_for(model: TestResultIn, parent: Parent) -> tuple[TestResult | None, list[dict]]:
    """The screen `confirms` names, or the error when it is not one of this parent's results
    (another parent's result is refused with the same words: nothing about it is revealed)."""
    if model.confirms is None:
        return None, []
    screen = db.session.get(TestResult, model.confirms)
    if screen is None or screen.parent_id != parent.id:
        return None, [{"field": "confirms", "message": SCREEN_MESSAGE}]
    return screen, []


def already_stored(model: TestResultIn, parent: Parent) -> tuple[TestResult | None, list[dict]]:
    """The result already stored for this body's lab and lab_reference (its current version),
    so POST answers 200 with it and stores nothing; an error when that sample belongs to
    another parent."""
    key = import_key(model)
    if key is None:
        return None, []
    stored = db.session.scalar(select(TestResult).where(TestResult.import_key == key))
    if stored is None:
        return None, []
    if stored.parent_id != parent.id:
        message = "This lab and lab reference are already recorded for another result"
        return None, [{"field": "lab_reference", "message": message}]
    return services.current_version(stored), []


# The services' field names (testing_results/checks.py, services.py) -> the API's.
FIELDS = {
    "collected_on": "collected_at",
    "reported_on": "reported_on",
    "value": "value",
    "creatinine_mg_dl": "creatinine_mg_dl",
    "status_reason": "status_reason",
    "amendment_reason": "reason",
    "confirms": "confirms",
}


def field_path(field: str | None, model: TestResultIn) -> str | None:
    """'readings-2-value' or 'readings.2.value' -> 'segments[1].substances[0].value'."""
    if field is None:
        return None
    parts = field.replace("-", ".").split(".")
    if parts[0] in FIELDS and len(parts) == 1:
        return FIELDS[parts[0]]
    if parts[0] == "readings":
        paths = reading_paths(model)
        if len(parts) == 1:
            return "segments" if model.kind == "hair" else "substances"
        if parts[1].isdigit() and int(parts[1]) < len(paths):
            where = paths[int(parts[1])]
            return f"{where}.{parts[2]}" if len(parts) > 2 else where
        return "segments" if model.kind == "hair" else "substances"
    if parts[0] == "segments":
        return f"segments[{parts[1]}]" if len(parts) > 1 and parts[1].isdigit() else "segments"
    return None


def errors_from(error: FieldErrors, model: TestResultIn) -> list[dict]:
    """The services' FieldErrors as the API's error list."""
    return [{"field": field_path(e.field, model), "message": e.message} for e in error.errors]


# ------------------------------------------------------------------- stored -> body


def _substance(reading, matrix: Matrix) -> dict:
    item = {"substance": codes.code_of(matrix, reading.substance)}
    if reading.value is not None:
        item["value"] = reading.value
        if reading.cutoff is not None:
            item["cutoff"] = reading.cutoff
    elif reading.screen is not None and reading.screen is not Reading.NOT_TESTED:
        item["positive"] = reading.screen is Reading.POSITIVE
    return item


def payload_of(result: TestResult) -> dict:
    """A stored version as the TestResultIn body that would store it again: the base an
    amendment's corrected fields are laid over (schemas.validate_amendment)."""
    body = {
        "parent_id": result.parent_id,
        "kind": result.matrix.value,
        "collected_at": result.collected_on.isoformat(),
        "status": result.status.value,
        "status_reason": result.status_reason,
        "observed": result.observed,
        "lab": result.lab_name,
        "lab_reference": result.lab_reference,
        "reported_on": result.reported_on.isoformat() if result.reported_on else None,
        "confirms": result.confirms_id,
        "note": result.note,
    }
    if result.status is not Status.RESULT:
        return body
    kind, matrix = result.matrix.value, result.matrix
    if kind in codes.SINGLE_VALUE_KINDS:
        body["value"] = result.value
        body["unit"] = codes.unit_of(matrix)
    elif kind in codes.PANEL_KINDS:
        body["substances"] = [_substance(r, matrix) for r in result.readings]
        if kind == "urine":
            body["creatinine_mg_dl"] = result.creatinine_mg_dl
    else:
        body["segments"] = [
            {
                "from_cm": seg.from_cm,
                "to_cm": seg.to_cm,
                "substances": [
                    _substance(r, matrix) for r in result.readings if r.segment_id == seg.id
                ],
            }
            for seg in result.segments
        ]
    return body
