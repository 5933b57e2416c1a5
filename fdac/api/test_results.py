"""Test results through the API: a lab or the team posts a result, reads a case's results,
and amends a mistake. Every write goes through testing_results.services, as the pages and the
lab file import do; the schemas, the mapping and the answers are fdac/api/results/.
"""

from datetime import date

from flask_login import current_user
from pydantic import Field
from sqlalchemy.exc import IntegrityError

from fdac.api.cases import case_for_api
from fdac.api.errors import ApiError, ApiValidationError
from fdac.api.results import mapping
from fdac.api.results.present import result_for, results_out
from fdac.api.results.schemas import AmendmentIn, TestResultIn, TestResultOut, validate_amendment
from fdac.api.spec import ApiModel, api
from fdac.audit.events import record_view
from fdac.auth.access import Action
from fdac.dates import london_today
from fdac.extensions import db
from fdac.validation import FieldErrors
from testing_results import services
from testing_results.models import TestResult


class ResultQuery(ApiModel):
    from_: date | None = Field(None, alias="from", description="Collected on or after")
    to: date | None = Field(None, description="Collected on or before")


class ResultList(ApiModel):
    items: list[TestResultOut]


def _refuse(errors: list[dict]) -> None:
    if errors:
        raise ApiValidationError([(e["field"], e["message"]) for e in errors])


def _answer(result: TestResult, status: int):
    return TestResultOut.model_validate(result_for(result)), status


@api(
    "POST",
    "/cases/{reference}/test-results",
    summary="Record a test result",
    body=TestResultIn,
    answer=TestResultOut,
    status=201,
    also=((200, "A lab result with this lab_reference is already stored: it, unchanged"),),
    errors=(403, 404),
    tags=("test results",),
)
def post_result(reference: str, body: TestResultIn):
    """One result for one parent of the case, interpreted as the pages interpret it."""
    case = case_for_api(reference, Action.RECORD_RESULTS)
    parent = next((p for p in case.parents if p.id == body.parent_id), None)
    if parent is None:
        _refuse([{"field": "parent_id", "message": "Not a parent in this case"}])
    stored, errors = mapping.already_stored(body, parent)
    _refuse(errors)
    if stored is not None:
        return _answer(stored, 200)  # the same sample again: nothing new is stored
    screen, errors = mapping.confirms_for(body, parent)
    _refuse(errors)
    try:
        [result] = services.record(
            parent,
            [mapping.draft_for(body, parent, screen)],
            by=current_user,
            today=london_today(),
        )
    except FieldErrors as error:
        db.session.rollback()
        _refuse(mapping.errors_from(error, body))
    except IntegrityError:  # the same sample posted twice at once: the other one stored it
        db.session.rollback()
        stored, _ = mapping.already_stored(body, parent)
        if stored is None:
            raise
        return _answer(stored, 200)
    return _answer(result, 201)


@api(
    "GET",
    "/cases/{reference}/test-results",
    summary="A case's test results in date order, every version with its interpretation",
    query=ResultQuery,
    answer=ResultList,
    errors=(403, 404),
    tags=("test results",),
)
def list_results(reference: str, query: ResultQuery):
    case = case_for_api(reference, Action.VIEW_RESULTS)
    if query.from_ and query.to and query.to < query.from_:
        _refuse([{"field": "to", "message": "Must be the same as or after from"}])
    record_view(case, via="api")
    first = query.from_.isoformat() if query.from_ else ""  # answers carry ISO dates
    last = query.to.isoformat() if query.to else "9999-12-31"
    items = [
        item
        for parent in case.parents
        for item in results_out(parent)
        if first <= item["collected_at"] <= last
    ]
    items.sort(key=lambda item: (item["collected_at"], item["id"]))
    return ResultList.model_validate({"items": items})


@api(
    "POST",
    "/test-results/{result_id:int}/amendments",
    summary="Amend a result: a new version with a reason; the original stays",
    body=AmendmentIn,
    answer=TestResultOut,
    status=201,
    errors=(403, 404),
    tags=("test results",),
)
def amend_result(result_id: int, body: AmendmentIn):
    original = db.session.get(TestResult, result_id)
    if original is None:
        raise ApiError(404, "No test result with this id is open to you")
    try:
        case_for_api(original.case.reference, Action.RECORD_RESULTS)
    except ApiError as error:
        if error.status == 404:
            raise ApiError(404, "No test result with this id is open to you") from None
        raise
    model, reason, errors = validate_amendment(body, mapping.payload_of(original))
    _refuse(errors)
    screen, errors = mapping.confirms_for(model, original.parent)
    _refuse(errors)
    try:
        amendment = services.amend(
            original,
            mapping.amendment_draft(model, original, screen),
            reason=reason,
            by=current_user,
            today=london_today(),
        )
    except FieldErrors as error:
        db.session.rollback()
        _refuse(mapping.errors_from(error, model))
    return _answer(amendment, 201)
