"""The JSON shapes of test results in the API: pydantic v2 models that validate requests and
generate their part of the OpenAPI document (one source).

Validate a request with `validate_test_result` (or `validate_amendment`), not with
`model_validate` alone: the models check each field's type and bounds, and the rules that tie
fields together (what each kind of test needs, what a test that did not happen must leave out)
are checked beside them, so every problem in a body is reported at once with its path
(`segments[1].substances[0].value`).
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from fdac.api.fields import MAX_ID, LondonDateTime
from fdac.api.results import codes
from fdac.dates import LONDON
from testing_results.panels import MATRICES

# ------------------------------------------------------------------------------ field types

MAX_CONCENTRATION = Decimal("1000000000")  # Numeric(14, 4): below 10^10 with 4 places
MAX_HAIR_CM = Decimal("100")
MAX_SUBSTANCES = 50
MAX_SEGMENTS = 24
MAX_LAB_AND_REFERENCE = 198  # the import key "lab|lab_reference" fits in 200 characters

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
_NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
# Control characters other than tab, line feed and carriage return (PostgreSQL refuses NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decimal(places: int, maximum: Decimal):
    def parse(value: Any) -> Decimal:
        # JSON numbers only: not a string, not true/false (bool is an int in Python).
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueError("Enter a number")
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise ValueError("Enter a number") from None
        if not number.is_finite():
            raise ValueError("Enter a finite number")
        if number < 0:
            raise ValueError("Must be 0 or more")
        if number > maximum:
            raise ValueError(f"Must be {maximum:,} or less")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            rounded = number.quantize(Decimal(1).scaleb(-places))
            if rounded != number:
                raise ValueError(f"Must have {places} decimal places or fewer")
            return rounded
        return number

    return parse


def _as_number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: at most 14 significant digits, so a float gives it back
    exactly (its shortest form)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _number_type(places: int, maximum: Decimal, description: str):
    return Annotated[
        Decimal,
        BeforeValidator(_decimal(places, maximum)),
        PlainSerializer(_as_number, return_type=float),
        WithJsonSchema(
            {
                "type": "number",
                "minimum": 0,
                "maximum": float(maximum),
                "description": description,
            }
        ),
    ]


Concentration = _number_type(4, MAX_CONCENTRATION, "A concentration, up to 4 decimal places")
Centimetres = _number_type(2, MAX_HAIR_CM, "Distance from the scalp in cm, up to 2 decimal places")
NumberOut = Annotated[
    Decimal, PlainSerializer(_as_number, return_type=float), WithJsonSchema({"type": "number"})
]


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError("Enter a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("Enter a real date as YYYY-MM-DD") from None


def _in_london(moment: datetime) -> datetime:
    try:
        return moment.astimezone(LONDON)
    except (OverflowError, ValueError):
        raise ValueError("Enter a real date and time") from None


def _collected_at(value: Any) -> date | datetime:
    """A date, or a date and time WITH its offset (a time without one is ambiguous)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("Give the time with its offset, for example 2026-11-20T09:30:00Z")
        return _in_london(value)
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("Enter a real date and time") from None
        return _in_london(moment)
    if isinstance(value, str) and _NAIVE.match(value):
        raise ValueError("Give the time with its offset, for example 2026-11-20T09:30:00Z")
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        raise ValueError(
            "Enter a date as YYYY-MM-DD, or a date and time with its offset, "
            "for example 2026-11-20T09:30:00Z"
        )
    return _iso_date(value)


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
CollectedAt = Annotated[
    date | datetime,
    BeforeValidator(_collected_at),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ],
            "description": "A date (YYYY-MM-DD) or a date and time with its offset (ISO 8601); "
            "stored as the date in England and Wales",
        }
    ),
]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


def _clean_text(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("Must not contain control characters")
    return value


def _text(max_length: int, *, min_length: int = 0):
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length),
        AfterValidator(_clean_text),
    ]


# The fixed names, read from their one table (codes.py) so a schema cannot drift from it.
Kind = Literal[codes.KINDS]
StatusCode = Literal[codes.STATUSES]
SubstanceCode = Literal[tuple(codes.SUBSTANCE_CODES)]
Unit = Literal["ng/mL", "ng/mg", "pg/mg", "ug/100mL", "mg/dL"]
Overall = Literal[
    "negative",
    "positive",
    "dilute",
    "missed",
    "refused",
    "unable_to_provide",
    "consistent_with_prescription",
]
BandCode = Literal[
    "consistent_with_abstinence",
    "significant_drinking",
    "excessive_drinking",
    "repeated_drinking",
    "chronic_excessive_drinking",
]
Method = Literal["point_of_care", "laboratory"]

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ----------------------------------------------------------------------------- requests


class SubstanceIn(BaseModel):
    model_config = _IN

    substance: SubstanceCode
    value: Concentration | None = None
    cutoff: Concentration | None = Field(
        None, description="The lab's or device's cut-off; panels' default when left out"
    )
    positive: StrictBool | None = Field(
        None, description="A screen's answer; with a value it must agree with the cut-off"
    )
    unit: Unit | None = Field(None, description="If given, must be the test's unit")


class SegmentIn(BaseModel):
    model_config = _IN

    from_cm: Centimetres
    to_cm: Centimetres
    substances: list[SubstanceIn] = Field(max_length=MAX_SUBSTANCES)


class _ResultFields(BaseModel):
    """The fields a result and an amendment share."""

    model_config = _IN

    collected_at: CollectedAt
    status: StatusCode = "result"
    status_reason: _text(500) = Field(
        "", description="Why the test did not happen (required unless status is result)"
    )
    observed: StrictBool | None = None
    value: Concentration | None = Field(None, description="PEth and breath: the reading")
    unit: Unit | None = Field(None, description="PEth: ng/mL; breath: ug/100mL")
    substances: list[SubstanceIn] | None = Field(None, max_length=MAX_SUBSTANCES)
    segments: list[SegmentIn] | None = Field(None, max_length=MAX_SEGMENTS)
    creatinine_mg_dl: Concentration | None = None
    lab: _text(120) = ""
    lab_reference: _text(80) = ""
    reported_on: IsoDate | None = None
    confirms: Id | None = Field(None, description="The id of the screen this lab result confirms")
    note: _text(2000) = ""


class TestResultIn(_ResultFields):
    """POST /cases/{reference}/test-results. Validating it checks every field and the rules
    between them (cross_field_errors) together: one ValidationError lists every problem."""

    __test__ = False  # not a pytest test class

    parent_id: Id
    kind: Kind

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler):
        return checked(cls.__name__, data, handler, cross_field_errors)


class AmendmentIn(BaseModel):
    """POST /test-results/{id}/amendments: the reason and the corrected fields only; every
    field left out keeps the amended version's value (`null` clears an optional one). Giving
    `status` starts the test's readings afresh: send them with it."""

    model_config = _IN

    reason: _text(2000, min_length=1)
    collected_at: CollectedAt | None = None
    status: StatusCode | None = None
    status_reason: _text(500) | None = None
    observed: StrictBool | None = None
    value: Concentration | None = None
    unit: Unit | None = None
    substances: list[SubstanceIn] | None = Field(None, max_length=MAX_SUBSTANCES)
    segments: list[SegmentIn] | None = Field(None, max_length=MAX_SEGMENTS)
    creatinine_mg_dl: Concentration | None = None
    lab: _text(120) | None = None
    lab_reference: _text(80) | None = None
    reported_on: IsoDate | None = None
    confirms: Id | None = None
    note: _text(2000) | None = None


# ---------------------------------------------------------------------------- responses


class SubstanceResultOut(BaseModel):
    substance: SubstanceCode
    value: NumberOut | None
    cutoff: NumberOut | None
    positive: bool | None = Field(description="A screen's answer (null for a concentration)")
    unit: Unit


class SegmentResultOut(BaseModel):
    from_cm: NumberOut
    to_cm: NumberOut
    period_from: date = Field(description="The first day the segment grew (approximately)")
    period_to: date
    substances: list[SubstanceResultOut]


class FindingOut(BaseModel):
    substance: SubstanceCode
    outcome: Literal["negative", "positive", "consistent_with_prescription"]
    value: NumberOut | None
    cutoff: NumberOut | None
    unit: Unit
    meaning: str
    band: BandCode | None
    segment: int | None = Field(description="Index into segments (hair)")
    period_from: date | None
    period_to: date | None


class InterpretationOut(BaseModel):
    overall: Overall
    summary: str
    band: BandCode | None = Field(description="PEth, or the worst hair EtG segment")
    flags: list[Literal["dilute", "above_drink_drive_limit"]]
    substances: list[FindingOut]


class TestResultOut(BaseModel):
    __test__ = False

    id: int
    parent_id: int
    kind: Kind
    method: Method
    collected_at: date = Field(description="The date collected (England and Wales)")
    status: StatusCode
    status_reason: str
    observed: bool | None
    value: NumberOut | None
    unit: Unit | None
    creatinine_mg_dl: NumberOut | None
    substances: list[SubstanceResultOut]
    segments: list[SegmentResultOut]
    lab: str
    lab_reference: str
    reported_on: date | None
    note: str
    confirms: int | None
    confirmed_by: int | None = Field(description="The laboratory result confirming this screen")
    amends: int | None
    amended_by: int | None
    amendment_reason: str
    counts: bool = Field(
        description="Whether it counts in the figures: the current version, not overridden "
        "by a laboratory confirmation"
    )
    entered_at: LondonDateTime
    interpretation: InterpretationOut


class SubstanceTestOut(BaseModel):
    kind: Kind
    unit: Unit
    default_cutoff: NumberOut | None = Field(
        description="Positive at or above; null: the lab's cut-off is required, or bands apply"
    )
    cutoff_required: bool


class SubstanceListItem(BaseModel):
    """GET /substances: one code, what it counts as, and where it is tested."""

    code: SubstanceCode
    counts_as: str = Field(description="The substance it is counted and charted as")
    group: str
    label: str
    tests: list[SubstanceTestOut]


# ---------------------------------------------------------------------------- validation

MESSAGES = {
    "missing": "Required",
    "extra_forbidden": "Unknown field",
    "bool_type": "Must be true or false",
    "int_type": "Must be a whole number",
    "string_type": "Must be text",
    "list_type": "Must be a list",
    "model_type": "Must be an object",
    "model_attributes_type": "Must be an object",
    "dict_type": "Must be an object",
}


def path(loc: tuple) -> str | None:
    """('segments', 1, 'to_cm') -> 'segments[1].to_cm'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or None


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "invalid":
        return error["ctx"]["message"]
    if kind == "value_error":
        return str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
    if kind in ("too_long", "string_too_long") and "max_length" in error.get("ctx", {}):
        limit = error["ctx"]["max_length"]
        noun = "characters" if kind == "string_too_long" else "items"
        return f"Must be {limit:,} {noun} or fewer"
    if kind == "string_too_short":
        return "Must not be empty"
    if kind == "greater_than_equal" and "ge" in error.get("ctx", {}):
        return f"Must be {error['ctx']['ge']} or more"
    if kind == "less_than_equal" and "le" in error.get("ctx", {}):
        return f"Must be {error['ctx']['le']:,} or less"
    if kind == "literal_error":
        return f"Must be one of: {error['ctx']['expected']}"
    return MESSAGES.get(kind, error["msg"])


def pydantic_errors(error: ValidationError) -> list[dict]:
    return [{"field": path(e["loc"]), "message": _message(e)} for e in error.errors()]


def _given(data: dict, name: str) -> bool:
    return data.get(name) is not None


def _err(errors: list, field: str | None, message: str) -> None:
    errors.append({"field": field, "message": message})


def _substance_rules(
    errors: list, kind: str, item: Any, where: str, *, laboratory: bool, hair: bool
) -> None:
    """One substance of a result: its code tested in this kind, value with cut-off or positive."""
    if not isinstance(item, dict):
        return  # a type error, reported by pydantic
    matrix = codes.KIND_MATRIX[kind]
    code = item.get("substance")
    if not isinstance(code, str) or code not in codes.SUBSTANCE_CODES:
        return
    substance = codes.substance_for(code, matrix)
    if substance is None:
        _err(errors, f"{where}.substance", f"{code} is not tested in {codes.KIND_LABELS[kind]}")
        return
    etg = codes.is_etg(matrix, substance)
    value, cutoff, positive = (_given(item, n) for n in ("value", "cutoff", "positive"))
    if hair or etg:
        if not value:
            _err(errors, f"{where}.value", "Enter the concentration")
    elif laboratory and not value:
        _err(errors, f"{where}.value", "Enter the concentration: a laboratory result reports one")
    elif not value and not positive:
        _err(errors, f"{where}.value", "Enter the value and cut-off, or whether it is positive")
    if etg and cutoff:
        _err(errors, f"{where}.cutoff", "Leave out cutoff: EtG is read against its bands")
    elif value and not cutoff and codes.needs_cutoff(code, matrix):
        _err(errors, f"{where}.cutoff", f"Enter the lab's cut-off for {code}")
    unit = item.get("unit")
    if isinstance(unit, str) and unit in codes.UNITS and unit != codes.unit_of(matrix, substance):
        _err(errors, f"{where}.unit", f"Unit must be {codes.unit_of(matrix, substance)}")
    # A value with a screen answer: the answer must be what the cut-off says.
    number, limit = item.get("value"), item.get("cutoff")
    if value and positive and isinstance(item["positive"], bool) and not etg:
        try:
            number = _decimal(4, MAX_CONCENTRATION)(number)
            limit = (
                _decimal(4, MAX_CONCENTRATION)(limit)
                if cutoff
                else codes.default_cutoff_for(code, matrix)
            )
        except ValueError:
            return  # reported by pydantic
        if limit is not None and (number >= limit) is not item["positive"]:
            _err(
                errors,
                f"{where}.positive",
                f"Does not match the value: positive means at or above the cut-off of "
                f"{limit} {codes.unit_of(matrix, substance)}",
            )


def _segment_rules(errors: list, segments: list) -> None:
    bounds = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, dict):
            continue
        try:
            start = _decimal(2, MAX_HAIR_CM)(seg.get("from_cm"))
            end = _decimal(2, MAX_HAIR_CM)(seg.get("to_cm"))
        except ValueError:
            continue  # reported by pydantic
        if end <= start:
            _err(errors, f"segments[{i}].to_cm", "Must be greater than from_cm")
            continue
        bounds.append((start, end, i))
    bounds.sort()
    for (_, end_before, before), (start, _, after) in zip(bounds, bounds[1:], strict=False):
        if start < end_before:
            _err(errors, f"segments[{after}].from_cm", f"Overlaps segments[{before}]")


def cross_field_errors(data: dict) -> list[dict]:
    """What each kind of test needs, and what a test that did not happen leaves out. Works on
    the raw body, so it runs beside pydantic's own checks and every problem is found at once."""
    errors: list[dict] = []
    kind, status = data.get("kind"), data.get("status", "result")
    if kind not in codes.KINDS or status not in codes.STATUSES:
        return errors  # reported by pydantic
    matrix = codes.KIND_MATRIX[kind]
    label = codes.KIND_LABELS[kind]
    lab, reference = (
        data.get(name).strip() if isinstance(data.get(name), str) else ""
        for name in ("lab", "lab_reference")
    )
    laboratory = kind in ("peth", "hair") or bool(lab or reference)
    if reference and not lab:
        _err(errors, "lab", "Enter the lab that gave the lab reference")
    if len(lab) + len(reference) > MAX_LAB_AND_REFERENCE:
        _err(
            errors,
            "lab_reference",
            f"lab and lab_reference together must be {MAX_LAB_AND_REFERENCE} characters or fewer",
        )

    if _given(data, "confirms"):
        if kind not in codes.PANEL_KINDS:
            message = "Only a laboratory oral fluid or urine result confirms a screen"
            _err(errors, "confirms", message)
        elif not laboratory:
            _err(errors, "confirms", "Enter the lab: only a laboratory result confirms a screen")

    if status != "result":
        if not (isinstance(data.get("status_reason"), str) and data["status_reason"].strip()):
            _err(errors, "status_reason", "Enter the reason the test did not happen")
        for name in ("value", "unit", "substances", "segments", "creatinine_mg_dl"):
            if _given(data, name):
                _err(errors, name, "Leave this out: the test did not happen")
        return errors

    wanted = {
        "peth": ("value", "unit"),
        "breath": ("value", "unit"),
        "oral_fluid": ("substances",),
        "urine": ("substances", "creatinine_mg_dl"),
        "hair": ("segments",),
    }[kind]
    for name in ("value", "unit", "substances", "segments", "creatinine_mg_dl"):
        if _given(data, name) and name not in wanted:
            _err(errors, name, f"Leave this out: a {label} result has none")
    if kind in codes.SINGLE_VALUE_KINDS:
        reading = "PEth reading" if kind == "peth" else "breath reading"
        if not _given(data, "value"):
            _err(errors, "value", f"Enter the {reading}")
        expected = codes.API_UNIT[MATRICES[matrix].unit]
        if not _given(data, "unit"):
            _err(errors, "unit", f"Enter the unit: {expected}")
        elif data["unit"] in tuple(u for u in codes.UNITS if u != expected):
            _err(errors, "unit", f"Unit must be {expected} for a {label} result")
    elif kind in codes.PANEL_KINDS:
        substances = data.get("substances")
        if not substances:
            _err(errors, "substances", "Enter at least one substance's result")
        elif isinstance(substances, list):
            for i, item in enumerate(substances):
                _substance_rules(
                    errors, kind, item, f"substances[{i}]", laboratory=laboratory, hair=False
                )
    else:
        segments = data.get("segments")
        if not segments:
            _err(errors, "segments", "Enter at least one hair segment")
        elif isinstance(segments, list):
            _segment_rules(errors, segments)
            for i, seg in enumerate(segments):
                if not isinstance(seg, dict) or not isinstance(seg.get("substances"), list):
                    continue
                if not seg["substances"]:
                    _err(errors, f"segments[{i}].substances", "Enter at least one substance")
                for j, item in enumerate(seg["substances"]):
                    where = f"segments[{i}].substances[{j}]"
                    _substance_rules(errors, kind, item, where, laboratory=True, hair=True)
    return errors


def _unique(errors: list[dict]) -> list[dict]:
    seen, out = set(), []
    for e in errors:
        key = (e["field"], e["message"])
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _loc(field: str | None) -> tuple:
    """'segments[1].to_cm' -> ('segments', 1, 'to_cm')."""
    if not field:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field))


def checked(title: str, data: Any, handler, rules) -> Any:
    """Run pydantic's checks (`handler`) and the cross-field `rules` on the raw body, and raise
    ONE ValidationError listing every problem of both, each at its path, in our words."""
    errors: list[dict] = []
    model = None
    try:
        model = handler(data)
    except ValidationError as error:
        errors += pydantic_errors(error)
    if isinstance(data, dict):
        errors += rules(data)
    if not errors:
        return model
    raise ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError("invalid", "{message}", {"message": e["message"]}),
                loc=_loc(e["field"]),
                input=None,
            )
            for e in _unique(errors)
        ],
    )


def validate_test_result(payload: Any) -> tuple[TestResultIn | None, list[dict]]:
    """The body of POST /test-results as a TestResultIn, or every problem with it at once:
    (model, []) or (None, [{"field": "segments[1].to_cm", "message": "..."}, ...]).
    TestResultIn.model_validate raises the same problems as one ValidationError."""
    if not isinstance(payload, dict):
        return None, [{"field": None, "message": "The body must be a JSON object"}]
    try:
        return TestResultIn.model_validate(payload), []
    except ValidationError as error:
        return None, pydantic_errors(error)


# The fields an amendment may correct, and those that go with the readings of a test.
AMENDABLE = tuple(name for name in AmendmentIn.model_fields if name != "reason")
READINGS = ("value", "unit", "substances", "segments", "creatinine_mg_dl", "status_reason")


def validate_amendment(
    payload: Any, original: dict
) -> tuple[TestResultIn | None, str | None, list[dict]]:
    """An amendment (its raw body, or the AmendmentIn the API's registry validated) applied to
    `original`, the amended version as a TestResultIn body (mapping.payload_of):
    (the corrected result, the reason, []) or (None, None, every problem)."""
    if isinstance(payload, AmendmentIn):
        payload = payload.model_dump(exclude_unset=True)
    if not isinstance(payload, dict):
        return None, None, [{"field": None, "message": "The body must be a JSON object"}]
    try:
        amendment = AmendmentIn.model_validate(payload)
    except ValidationError as error:
        return None, None, _unique(pydantic_errors(error))
    merged = dict(original)
    if "status" in amendment.model_fields_set:
        for name in READINGS:
            merged.pop(name, None)
    for name in AMENDABLE:
        if name in payload:  # as sent: the rules read the raw body
            merged[name] = payload[name]
    for name in ("status", "status_reason", "lab", "lab_reference", "note"):
        if merged.get(name) is None:
            merged.pop(name, None)
    model, errors = validate_test_result(merged)
    return model, amendment.reason, errors
