"""The API's endpoints in one registry: each declares its method, path, summary, the pydantic
models of its query, body and answer, and its error codes. The same models validate requests
and make the OpenAPI 3.1 document (`openapi_document()`, served at GET /api/v1/openapi.json),
so the document cannot drift from what the code accepts.

Registering an endpoint is one decorator:

    from fdac.api.spec import ApiModel, api

    class ResultQuery(ApiModel):          # ApiModel refuses unknown fields (extra="forbid")
        from_: date | None = Field(None, alias="from")

    @api("GET", "/cases/{reference}/test-results", summary="A case's test results",
         query=ResultQuery, answer=ResultList, errors=(403, 404))
    def list_results(reference: str, query: ResultQuery):
        case = case_for_api(reference, Action.VIEW_RESULTS)   # fdac.api.cases: 404 / 403
        return ResultList(...)                                # or (model, 201)

- Path parameters are written `{name}` (a string) or `{name:int}`; they reach the view by name.
- `query=` and `body=` models are validated before the view runs; the view receives them as
  `query` and `body`. Every problem in either answers one 422 listing each bad field as a path
  (`segments[1].to_cm`). A body must be JSON (`Content-Type: application/json`): otherwise 415;
  unparseable JSON (NaN and Infinity included) is a 400.
- The view returns an `answer` model instance (200, or `status=`), a `(model, status)` pair,
  or a ready Response. Raise fdac.api.errors.ApiError(status, message) to refuse; a
  FieldError or FieldErrors from a service is a 422 with the service's messages.
- `also=` lists other success answers as (status, description), such as the 200 of a result
  already stored; they share the answer's schema.
- `media_type=` other than JSON (a download) is documented as a binary string.
- `errors=` lists the codes the endpoint itself can answer (403, 404, 409...); 401 and 429
  are added to every endpoint, 422 to those with a query, body or int path parameter, and
  400, 413 and 415 to those with a body.
- The module that defines endpoints must be imported by fdac.api.setup (ENDPOINT_MODULES).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.json_schema import models_json_schema

from fdac.api.errors import (
    MESSAGES,
    ApiError,
    ApiValidationError,
    field_errors,
    validation_errors,
)
from fdac.api.fields import MAX_ID
from fdac.validation import FieldError, FieldErrors

API_VERSION = "1"
bp = Blueprint("api", __name__, url_prefix="/api/v1")

_PARAM = re.compile(r"\{(\w+)(?::(int))?\}")
# An id in a path: positive and within a 32-bit integer column (PostgreSQL's `integer`); a
# larger number can name nothing, and must not reach the database (an overflow there is a 500).
ID_RANGE = {"minimum": 1, "maximum": MAX_ID}
ID_MESSAGE = f"Must be a whole number from 1 to {ID_RANGE['maximum']}"
# Control characters in a path or query string: PostgreSQL cannot even compare text with a
# NUL in it (a 500), and no reference, date or flag has one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_MESSAGE = "Must not contain control characters"


class ApiModel(BaseModel):
    """The base of every API schema: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ErrorItem(ApiModel):
    field: str | None
    message: str


class ErrorList(ApiModel):
    """Every error answer under /api/."""

    errors: list[ErrorItem]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as OpenAPI writes it: /cases/{reference}
    name: str  # the view's endpoint name in the blueprint, and the operationId
    summary: str
    description: str
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    answer: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    path_params: tuple[tuple[str, str], ...]  # (name, "string" | "integer")
    media_type: str = "application/json"
    tags: tuple[str, ...] = field(default=())
    also: tuple[tuple[int, str], ...] = field(default=())


ENDPOINTS: list[Endpoint] = []


def _error_codes(query, body, path_params, errors) -> tuple[int, ...]:
    codes = {401, 429, *errors}
    if query is not None or body is not None or any(t == "integer" for _, t in path_params):
        codes.add(422)
    if body is not None:
        codes.update({400, 413, 415})
    return tuple(sorted(codes))


def api(
    method: str,
    path: str,
    *,
    summary: str,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    answer: type[BaseModel] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    description: str = "",
    media_type: str = "application/json",
    tags: tuple[str, ...] = (),
    also: tuple[tuple[int, str], ...] = (),
) -> Callable:
    """Register a view as an API endpoint (see the module docstring)."""
    method = method.upper()
    params = tuple(
        (m.group(1), "integer" if m.group(2) else "string") for m in _PARAM.finditer(path)
    )
    rule = _PARAM.sub(lambda m: f"<{'int:' if m.group(2) else ''}{m.group(1)}>", path)
    open_path = _PARAM.sub(lambda m: "{" + m.group(1) + "}", path)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(**path_values):
            kwargs = dict(path_values)
            problems = _path_and_query_problems(params, path_values)
            if query is not None:
                try:
                    kwargs["query"] = query.model_validate(request.args.to_dict())
                except ValidationError as error:
                    problems += validation_errors(error)
            if body is not None:
                data = _json_body()
                try:
                    kwargs["body"] = body.model_validate(data)
                except ValidationError as error:
                    problems += validation_errors(error)
            if problems:
                raise ApiValidationError(problems)
            try:
                answer_value = view(**kwargs)
            except (FieldError, FieldErrors) as error:
                raise ApiValidationError(field_errors(error)) from error
            return _respond(answer_value, status)

        ENDPOINTS.append(
            Endpoint(
                method=method,
                path=open_path,
                name=view.__name__,
                summary=summary,
                description=description or (view.__doc__ or "").strip(),
                query=query,
                body=body,
                answer=answer,
                status=status,
                errors=_error_codes(query, body, params, errors),
                path_params=params,
                media_type=media_type,
                tags=tags,
                also=also,
            )
        )
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        return wrapped

    return decorator


def _path_and_query_problems(params, path_values: dict) -> list[tuple[str | None, str]]:
    """Ids out of range, and control characters in the path or the query string."""
    problems: list[tuple[str | None, str]] = [
        (name, ID_MESSAGE)
        for name, kind in params
        if kind == "integer" and not ID_RANGE["minimum"] <= path_values[name] <= ID_RANGE["maximum"]
    ]
    texts = [(name, path_values[name]) for name, kind in params if kind == "string"]
    problems += [
        (name, CONTROL_MESSAGE)
        for name, value in [*texts, *request.args.items(multi=True)]
        if _CONTROL.search(value)
    ]
    return problems


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _json_body():
    if request.mimetype != "application/json":
        raise ApiError(415)
    raw = request.get_data(cache=True)  # a body over the limit raises 413 here
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise ApiError(400, "The body is not valid JSON") from error


def _respond(value, status: int) -> Response:
    if isinstance(value, Response):
        return value
    if isinstance(value, tuple):
        value, status = value
    data = value.model_dump(mode="json", by_alias=True) if isinstance(value, BaseModel) else value
    response = current_app.json.response(data)
    response.status_code = status
    return response


# ---------------------------------------------------------------------------- the document

_REF = "#/components/schemas/{model}"


def openapi_document(server_url: str = "/api/v1") -> dict:
    """The OpenAPI 3.1 document of every registered endpoint."""
    pairs = {(ErrorList, "serialization")}
    for endpoint in ENDPOINTS:
        pairs.update((m, "validation") for m in (endpoint.query, endpoint.body) if m)
        if endpoint.answer:
            pairs.add((endpoint.answer, "serialization"))
    ordered = sorted(pairs, key=lambda p: (p[0].__name__, p[1]))
    refs, top = models_json_schema(ordered, ref_template=_REF)
    schemas = top.get("$defs", {})
    error_ref = refs[(ErrorList, "serialization")]

    paths: dict[str, dict] = {}
    for endpoint in ENDPOINTS:
        operation = {
            "operationId": endpoint.name,
            "summary": endpoint.summary,
            "parameters": _parameters(endpoint, refs, schemas),
            "responses": _responses(endpoint, refs, error_ref),
        }
        if endpoint.description:
            operation["description"] = endpoint.description
        if endpoint.tags:
            operation["tags"] = list(endpoint.tags)
        if endpoint.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(endpoint.body, "validation")]}},
            }
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "FDAC Manager API",
            "version": API_VERSION,
            "description": "Cases, test results and progress for toxicology laboratories and "
            "local authority case systems. Every request sends a token: "
            "'Authorization: Bearer <token>'.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `flask fdac create-token` or the tokens page",
                }
            },
        },
    }


def _parameters(endpoint: Endpoint, refs: dict, schemas: dict) -> list[dict]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": kind, **(ID_RANGE if kind == "integer" else {})},
        }
        for name, kind in endpoint.path_params
    ]
    if endpoint.query is not None:
        ref = refs[(endpoint.query, "validation")]["$ref"]
        schema = schemas[ref.rsplit("/", 1)[-1]]
        required = set(schema.get("required", ()))
        for name, prop in schema.get("properties", {}).items():
            param = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if "description" in prop:
                param["description"] = prop["description"]
            params.append(param)
    return params


def _responses(endpoint: Endpoint, refs: dict, error_ref: dict) -> dict:
    if endpoint.answer is not None:
        schema = refs[(endpoint.answer, "serialization")]
    elif endpoint.media_type != "application/json":
        schema = {"type": "string", "format": "binary"}  # a file to download
    else:
        schema = {"type": "object"}
    successes = ((endpoint.status, endpoint.summary), *endpoint.also)
    responses = {
        str(status): {
            "description": description,
            "content": {endpoint.media_type: {"schema": schema}},
        }
        for status, description in successes
    }
    for code in endpoint.errors:
        response = {
            "description": MESSAGES.get(code, "Error"),
            "content": {"application/json": {"schema": error_ref}},
        }
        if code == 401:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        if code == 429:
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
        responses[str(code)] = response
    return responses
