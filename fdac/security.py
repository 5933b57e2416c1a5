"""Security applied to every request and response, in one place."""

import secrets

from flask import Flask, g, redirect, request, url_for
from flask_login import current_user

# Endpoints anyone may reach without signing in. Everything else requires a session.
# calendar.feed: calendar clients cannot sign in; its secret token is checked by the view.
PUBLIC_ENDPOINTS = frozenset({"auth.sign_in", "health.healthz", "static", "calendar.feed"})
# Reachable while a password change is being forced.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.sign_out", "static"})


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _require_sign_in():
    endpoint = request.endpoint
    if endpoint in PUBLIC_ENDPOINTS or endpoint is None:
        return None
    if request.blueprint == "api":  # tokens only, answered in JSON (fdac.api.setup)
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
    if request.endpoint != "static":
        # Pages hold case data: never keep them in a browser or proxy cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.before_request(_require_sign_in)
    app.after_request(_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
