"""Wiring the API into the app: its blueprint, token authentication, JSON errors, the rate
limit, request size, the audit row of every use, and sessions kept out of it.

Token requests never read or write the session: a session cookie does not authenticate the
API (so a page cannot be tricked into calling it), CSRF does not apply, and no API response
sets a cookie.
"""

import hashlib
import re
from importlib import import_module

from flask import Flask, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException, default_exceptions

from fdac.api import errors
from fdac.api.spec import bp
from fdac.api.tokens import find_active, mark_used
from fdac.audit.models import AuditEvent
from fdac.audit.recorder import current_actor
from fdac.dates import utc_now
from fdac.extensions import csrf, db, limiter, login_manager

# Every module that registers endpoints with fdac.api.spec.api; importing one registers them.
ENDPOINT_MODULES = (
    "fdac.api.docs",
    "fdac.api.cases",
    "fdac.api.substances",
    "fdac.api.test_results",
    "fdac.api.progress",
    "fdac.api.reports",
    "fdac.api.hearings",
    "fdac.api.contacts",
)

API_DEFAULTS = {
    "API_RATE_LIMIT": "120 per minute",  # per token
    "API_MAX_CONTENT_LENGTH": 1024 * 1024,  # 1 MB: a day's batch of results is far smaller
    "API_PAGE_SIZE": 50,
    "RATELIMIT_STORAGE_URI": "memory://",  # one process; several servers need a shared store
}
# The error statuses answered as JSON under /api/ (others keep the service's pages).
JSON_STATUSES = (400, 401, 403, 404, 405, 413, 415, 422, 429, 500)
_WELL_FORMED = re.compile(r"fdac_[A-Za-z0-9_-]{43}")
AUDIT_ACTION = "api"


def blueprint():
    """The API blueprint with every endpoint module imported (so registered)."""
    for module in ENDPOINT_MODULES:
        import_module(module)
    return bp


class _SessionInterface(SecureCookieSessionInterface):
    """The usual signed-cookie session, except that API requests get none: an empty session
    in, nothing saved out."""

    def open_session(self, app, request):
        if errors.is_api_request():
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if errors.is_api_request():
            return None
        return super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Call after the page error handlers are registered and before security's hooks."""
    for key, value in API_DEFAULTS.items():
        app.config.setdefault(key, value)
    app.session_interface = _SessionInterface()
    csrf.exempt(bp)
    limiter.limit(_rate_limit, key_func=_rate_key)(bp)
    limiter.init_app(app)
    app.before_request(_authenticate)
    app.after_request(_audit_use)
    _json_errors(app)


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _rate_key() -> str:
    """Per token (the hash of what was sent): clients behind one address do not share."""
    sent = request.headers.get("Authorization", "")
    return "token:" + hashlib.sha256(sent.encode()).hexdigest()


def _authenticate():
    if not errors.is_api_request():
        return None
    limit = current_app.config["API_MAX_CONTENT_LENGTH"]
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        return errors.error_response(413, [(None, errors.MESSAGES[413])])
    # Nobody yet: Flask-Login must not look for a session user (there is none to find).
    g._login_user = login_manager.anonymous_user()
    if request.url_rule is None:
        return None  # an unknown path or method: the JSON 404 or 405, token or not
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not _WELL_FORMED.fullmatch(secret):
        return _unauthorised("Send a valid API token as 'Authorization: Bearer <token>'")
    token = find_active(secret, utc_now())
    if token is None:
        return _unauthorised("The token is unknown, expired or revoked, or its account is off")
    g._login_user = token.user
    g.api_token_id = token.id
    return None


def _unauthorised(message: str):
    return errors.error_response(401, [(None, message)], {"WWW-Authenticate": "Bearer"})


def _audit_use(response):
    """One audit row per token request: which token, method, path and status (no bodies)."""
    token_id = g.pop("api_token_id", None)
    if token_id is None:
        return response
    try:
        db.session.rollback()  # whatever the request left unsaved stays unsaved
        now = utc_now()
        mark_used(token_id, now)
        actor_id, actor_label = current_actor()
        db.session.add(
            AuditEvent(
                at=now,
                actor_id=actor_id,
                actor_label=actor_label,
                action=AUDIT_ACTION,
                table_name="api_tokens",
                record_id=str(token_id),
                case_id=None,
                changes={
                    "method": [None, request.method],
                    "path": [None, request.path],
                    "status": [None, response.status_code],
                },
            )
        )
        db.session.commit()
    except Exception:  # the answer stands; the failure is logged for the operator
        db.session.rollback()
        current_app.logger.exception("Could not audit the API request %s", request.path)
    return response


def _json_errors(app: Flask) -> None:
    """Under /api/ every error is JSON; elsewhere the pages' own handlers answer as before."""
    app.register_error_handler(errors.ApiError, errors.api_error)
    for status in JSON_STATUSES:
        if status not in default_exceptions:
            continue
        page_handlers = app.error_handler_spec[None].get(status, {})
        page_handler = page_handlers.get(default_exceptions[status])
        app.register_error_handler(status, _dispatcher(status, page_handler))


def _dispatcher(status: int, page_handler):
    def handle(error: HTTPException):
        if errors.is_api_request():
            if status == 500:
                return errors.unexpected(getattr(error, "original_exception", None) or error)
            return errors.http_error(error)
        return page_handler(error) if page_handler else error

    return handle
