"""Security applied to every request and response, in one place."""

import secrets

from flask import Flask, current_app, g, redirect, request, url_for
from flask_login import current_user

from fdac.auth import sessions
from fdac.dates import utc_now

# Endpoints anyone may reach without signing in. Everything else requires a session.
# calendar.feed: calendar clients cannot sign in; its secret token is checked by the view.
# auth.two_factor_code and auth.set_up_two_factor: half-way through signing in (the password
# was right, the code not yet); each view checks that state itself (fdac.auth.sessions).
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.sign_in",
        "auth.two_factor_code",
        "auth.set_up_two_factor",
        "health.healthz",
        "static",
        "calendar.feed",
    }
)
# Public endpoints that never look at the session (so never end or renew one).
SESSIONLESS_ENDPOINTS = frozenset({"health.healthz", "static", "calendar.feed"})
HSTS = "max-age=31536000; includeSubDomains"
# Reachable while a password change is being forced.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.sign_out", "static"})


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _require_sign_in():
    endpoint = request.endpoint
    if endpoint is None or endpoint in SESSIONLESS_ENDPOINTS:
        return None
    if request.blueprint == "api":  # tokens only, answered in JSON (fdac.api.setup)
        return None
    if current_user.is_authenticated:
        # A session that was ended, idle too long or too old signs its holder out, with the
        # reason flashed for the sign-in page.
        sessions.check(current_user, utc_now())
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("auth.change_password"))
    return None


def _headers(response):
    nonce = csp_nonce()
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # Served over https only: browsers must never try plain http here again for a year.
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        # Pages hold case data: never keep them in a browser or proxy cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _two_factor_off() -> dict:
    """For templates: two-factor sign-in is switched off (a demo), shown, never silent."""
    return {"two_factor_off": not current_app.config["FDAC_TWO_FACTOR"]}


def init_app(app: Flask) -> None:
    app.before_request(_require_sign_in)
    app.after_request(_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.context_processor(_two_factor_off)
    if not app.config["FDAC_TWO_FACTOR"]:
        app.logger.warning(
            "Two-factor sign-in is OFF (FDAC_TWO_FACTOR): for a demonstration only, never for "
            "real case data"
        )
