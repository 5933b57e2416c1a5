"""The whole API fuzzed by schemathesis against its own OpenAPI document, on the demo data.

Schemathesis reads GET /api/v1/openapi.json and, per endpoint, sends requests made from the
schemas (valid ones, and boundary and invalid ones), as a team manager and as the laboratory.
Every answer must be no 500, of a status the document declares, with a body that matches the
declared schema. Path parameters are drawn mostly from the demo's own cases and results, so
the requests reach past the 404 into the code that does the work.

Bounded and deterministic: hypothesis is derandomised (the same examples every run) and
each endpoint gets at most MAX_EXAMPLES generated requests per role.
"""

import contextvars
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks
from sqlalchemy import select

from fdac import demo
from fdac.api.spec import ENDPOINTS, openapi_document
from fdac.api.tokens import create_token
from fdac.auth.models import User
from fdac.cases.models import Case
from fdac.dates import london_today
from fdac.extensions import db
from testing_results.models import TestResult

MAX_EXAMPLES = 25
FUZZ_AS = ("manager@demo.fdac.example", "lab@demo.fdac.example")
TRIED: Counter = Counter()  # (role, status) -> requests, printed at the end (-s)

# Checks that do not apply to this API, each with its reason:
EXCLUDED = [
    # "Valid by the schema" is not "acceptable": a parent of another case, a date in the
    # future or a confirmation of a result that is not a screen are 422s by the rules that
    # the pages apply too; the schema cannot say them.
    checks.positive_data_acceptance,
]


@pytest.fixture(params=FUZZ_AS, ids=("manager", "lab"))
def api_schema(app, request):
    demo.load(today=london_today())
    user = db.session.scalar(select(User).where(User.email == request.param))
    secret = create_token(user, "Fuzzing").secret
    db.session.commit()
    loaded = schemathesis.openapi.from_dict(openapi_document())
    loaded.app = app
    _draw_real_identifiers(loaded)
    request.node.fuzz_headers = {"Authorization": f"Bearer {secret}"}
    request.node.fuzz_role = user.role.value
    return loaded


def _draw_real_identifiers(loaded) -> None:
    references = list(db.session.scalars(select(Case.reference).order_by(Case.reference)))
    result_ids = list(db.session.scalars(select(TestResult.id).order_by(TestResult.id)))[:200]
    parent_ids = sorted({p.id for case in db.session.scalars(select(Case)) for p in case.parents})

    @loaded.hook
    def flatmap_case(context, case):
        """Mostly the demo's own cases, results and parents; sometimes what was generated."""

        def with_real(draw_values):
            reference, result_id, parent_id = draw_values
            params = dict(case.path_parameters or {})
            if "reference" in params and reference is not None:
                params["reference"] = reference
            if "result_id" in params and result_id is not None:
                params["result_id"] = result_id
            case.path_parameters = params
            if isinstance(case.body, dict) and "parent_id" in case.body and parent_id:
                case.body = {**case.body, "parent_id": parent_id}
            return case

        maybe = lambda values: st.one_of(st.none(), st.sampled_from(values))  # noqa: E731
        return st.tuples(maybe(references), maybe(result_ids), maybe(parent_ids)).map(with_real)


def _fuzz(operation, mode, headers, role) -> None:
    @given(case=operation.as_strategy(generation_mode=mode, hooks=operation.schema.hooks))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # the same examples every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # The real token replaces a generated one; a header the negative examples leave out
        # stays out (that request must be a 401).
        if "Authorization" in (case.headers or {}):
            case.headers = {**case.headers, **headers}
        db.session.commit()
        # Each request in its own context, as in production (see tests/conftest.py).
        response = contextvars.Context().run(case.call)
        db.session.rollback()
        TRIED[(role, mode.value, response.status_code)] += 1
        case.validate_response(response, excluded_checks=EXCLUDED)

    check()


def test_the_api_answers_every_request_as_its_document_says(api_schema, app, monkeypatch, request):
    # Hundreds of requests a minute from one token: the limit has its own test.
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    headers, role = request.node.fuzz_headers, request.node.fuzz_role
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == len(ENDPOINTS)
    for mode in GenerationMode:  # data that fits the schemas, then data that does not
        for operation in operations:
            _fuzz(operation, mode, headers, role)
    tried = {key: n for key, n in TRIED.items() if key[0] == role}
    print(f"\nschemathesis as {role}: {sum(tried.values())} requests", sorted(tried.items()))
    assert not any(status == 429 for _, _, status in tried)
