"""Errors under /api/ are JSON, always in one shape:

    {"errors": [{"field": "segments[1].to_cm", "message": "..."}]}

`field` names the bad input for a 422 (every bad field at once) and is null otherwise.
"""

from collections.abc import Iterable, Sequence

from flask import Response, current_app, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from fdac.validation import FieldError, FieldErrors

API_PREFIX = "/api/"

MESSAGES = {
    400: "The request could not be understood",
    401: "Send a valid API token as 'Authorization: Bearer <token>'",
    403: "Your role may not do this",
    404: "Not found",
    405: "This method is not allowed here",
    413: "The request is too large",
    415: "Send the body as JSON with 'Content-Type: application/json'",
    422: "The request has invalid fields",
    429: "Too many requests: wait and try again",
    500: "Something went wrong on the server; it has been logged",
}


class ApiError(Exception):
    """Raise in an endpoint to answer `status` with these errors."""

    def __init__(self, status: int, message: str | None = None, field: str | None = None):
        super().__init__(message or MESSAGES.get(status, "Error"))
        self.status = status
        self.errors = [(field, message or MESSAGES.get(status, "Error"))]


class ApiValidationError(ApiError):
    """A 422 naming every bad field."""

    def __init__(self, errors: Sequence[tuple[str | None, str]]):
        super().__init__(422)
        self.errors = list(errors)


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def error_response(
    status: int, errors: Iterable[tuple[str | None, str]], headers: dict | None = None
) -> Response:
    body = {"errors": [{"field": field, "message": message} for field, message in errors]}
    response = current_app.json.response(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_path(loc: Sequence[str | int]) -> str | None:
    """('segments', 1, 'to_cm') -> 'segments[1].to_cm'; () -> None (the whole body)."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


_PLAIN_MESSAGES = {
    "missing": "Enter a value: this field is required",
    "extra_forbidden": "Unknown field: remove it",
}


def validation_errors(error: ValidationError, prefix: tuple = ()) -> list[tuple[str | None, str]]:
    """Every problem pydantic found, as (field path, message)."""
    found = []
    for problem in error.errors(include_url=False):
        # A model_validator's ValueError has no field; its message starts "Value error, ".
        message = _PLAIN_MESSAGES.get(problem["type"], problem["msg"])
        path = field_path((*prefix, *problem["loc"]))
        found.append((path, message.removeprefix("Value error, ")))
    return found


def field_errors(error: FieldError | FieldErrors) -> list[tuple[str | None, str]]:
    """The services' FieldError(s) as (field, message), for a 422."""
    errors = error.errors if isinstance(error, FieldErrors) else [error]
    return [(e.field, e.message) for e in errors]


def http_error(error: HTTPException) -> Response:
    """Any HTTP error under /api/ as JSON, keeping the headers it carries (Retry-After...)."""
    status = error.code or 500
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    retry_after = getattr(error, "retry_after", None)
    if status == 429 and retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    description = MESSAGES.get(status) or error.description or "Error"
    return error_response(status, [(None, description)], headers)


def api_error(error: ApiError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
    return error_response(error.status, error.errors, headers)


def unexpected(error: Exception) -> Response:
    current_app.logger.exception("Unexpected error in %s %s", request.method, request.path)
    return error_response(500, [(None, MESSAGES[500])])
