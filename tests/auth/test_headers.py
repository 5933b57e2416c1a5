"""Every security header on a page, a download and the sign-in page; cookies Secure, HttpOnly
and SameSite=Lax; HSTS whenever cookies are secure."""

import pytest
from flask import url_for

from fdac import config
from tests import factories

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def _responses(app, signed_in, team):
    """The sign-in page (anonymous, and as a form post), a page and a download, signed in."""
    anonymous = app.test_client()
    yield "sign-in page", anonymous.get(url_for("auth.sign_in"))
    worker = signed_in("practitioner")
    yield "page", worker.raw.get(url_for("cases.index"))
    download = worker.raw.get(url_for("lab_imports.example"))
    assert download.headers["Content-Disposition"].startswith("attachment")
    yield "download", download


def _check_headers(name, response, nonce_expected=True):
    assert response.status_code == 200, name
    for header, value in EXPECTED.items():
        assert response.headers.get(header) == value, (name, header)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, name
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp, name
    assert ("'nonce-" in csp) is nonce_expected, name


def test_every_security_header_on_a_page_a_download_and_the_sign_in_page(app, signed_in, team):
    assert app.config["SESSION_COOKIE_SECURE"]  # the default: secure unless switched off
    for name, response in _responses(app, signed_in, team):
        _check_headers(name, response)


def _session_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_the_session_cookie_is_secure_http_only_and_same_site_lax(app, client, team):
    user = factories.make_user("practitioner", team=team)
    flags = [part.strip() for part in _session_cookie(client.sign_in(user.email)).split(";")]
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= set(flags)
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_plain_http_for_local_development_drops_secure_and_hsts(app, client, team, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", False)
    user = factories.make_user("practitioner", team=team)
    response = client.sign_in(user.email)
    assert "Secure" not in _session_cookie(response)
    assert "HttpOnly" in _session_cookie(response)
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(("setting", "secure"), [(None, True), ("1", True), ("0", False)])
def test_cookies_are_secure_unless_explicitly_switched_off(tmp_path, monkeypatch, setting, secure):
    monkeypatch.setenv("SECRET_KEY", "x")
    if setting is None:
        monkeypatch.delenv("FDAC_SECURE_COOKIES", raising=False)
    else:
        monkeypatch.setenv("FDAC_SECURE_COOKIES", setting)
    settings = config.from_environment(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is secure
    assert settings["REMEMBER_COOKIE_SECURE"] is secure
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert (settings["FDAC_IDLE_MINUTES"], settings["FDAC_SESSION_HOURS"]) == (30, 12)
