"""The API's platform: tokens, authentication, JSON errors, the rate limit, the audit row."""

import hashlib
from datetime import timedelta

from sqlalchemy import select

from fdac.api.models import ApiToken
from fdac.api.tokens import create_token, revoke
from fdac.audit.models import AuditEvent
from fdac.dates import utc_now
from fdac.extensions import db
from tests import factories


def _error(response, status):
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["errors"] and all({"field", "message"} <= set(e) for e in body["errors"])
    return body["errors"]


def test_only_the_hash_is_stored_and_the_token_works(api_as):
    api = api_as("practitioner")
    stored = db.session.get(ApiToken, api.token.id)
    assert stored.token_hash == hashlib.sha256(api.secret.encode()).hexdigest()
    assert api.secret not in (stored.token_hash, stored.prefix)
    assert api.secret.startswith(stored.prefix)
    response = api.get("/api/v1/substances")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_missing_malformed_and_unknown_tokens_are_401(api_as, anonymous_api):
    api = api_as("practitioner")
    cases = [
        {},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer fdac_" + "A" * 43},
        {"Authorization": f"Bearer {api.secret}x"},
    ]
    for headers in cases:
        response = anonymous_api.get("/api/v1/cases", headers=headers)
        _error(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_revoked_expired_and_inactive_are_401(api_as):
    revoked = api_as("practitioner")
    revoke(db.session.get(ApiToken, revoked.token.id), by=None)
    expired = api_as("practitioner", days=1)
    db.session.get(ApiToken, expired.token.id).expires_at = utc_now() - timedelta(seconds=1)
    inactive = api_as("practitioner")
    inactive.user.active = False
    db.session.commit()
    for api in (revoked, expired, inactive):
        _error(api.get("/api/v1/substances"), 401)


def test_a_session_cookie_does_not_authenticate(signed_in):
    page_client = signed_in("team_manager")
    response = page_client.raw.get("/api/v1/cases")
    _error(response, 401)
    assert "Set-Cookie" not in response.headers


def test_csrf_does_not_apply_and_posts_without_a_body_model_are_refused_cleanly(api_as):
    api = api_as("practitioner")
    _error(api.post("/api/v1/cases", json={}), 405)


def test_unknown_paths_and_methods_are_json(api_as, anonymous_api):
    api = api_as("practitioner")
    _error(api.get("/api/v1/nothing-here"), 404)
    _error(anonymous_api.get("/api/nothing"), 404)
    response = api.post("/api/v1/substances", json={})
    _error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_a_body_over_one_megabyte_is_413(api_as):
    api = api_as("practitioner")
    response = api.post(
        "/api/v1/cases", data=b"{" + b" " * (1024 * 1024 + 1) + b"}",
        content_type="application/json",
    )  # fmt: skip
    _error(response, 413)


def test_an_unexpected_error_is_a_logged_500(api_as, app, monkeypatch, caplog):
    api = api_as("practitioner")
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr("fdac.api.substances.substance_list", broken)
    errors = _error(api.get("/api/v1/substances"), 500)
    assert "boom" not in errors[0]["message"]
    assert "boom" in caplog.text


def test_every_use_is_audited_without_bodies(api_as):
    api = api_as("practitioner")
    api.get("/api/v1/substances")
    api.get("/api/v1/cases/NOPE")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api").order_by(AuditEvent.id)
    ).all()
    assert [(e.record_id, e.changes["path"][1], e.changes["status"][1]) for e in events] == [
        (str(api.token.id), "/api/v1/substances", 200),
        (str(api.token.id), "/api/v1/cases/NOPE", 404),
    ]
    assert events[0].actor_id == api.user.id
    assert db.session.get(ApiToken, api.token.id).last_used_at is not None


def test_rate_limit_per_token_with_retry_after(api_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")
    api, other = api_as("practitioner"), api_as("practitioner")
    assert api.get("/api/v1/substances").status_code == 200
    assert api.get("/api/v1/substances").status_code == 200
    response = api.get("/api/v1/substances")
    _error(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    assert other.get("/api/v1/substances").status_code == 200  # per token, not per address


def test_token_of_a_user_acts_with_their_access_only(api_as):
    admin = api_as("admin")
    _error(admin.get("/api/v1/cases"), 403)


def test_create_token_refuses_bad_input():
    user = factories.make_user("practitioner")
    import pytest

    from fdac.validation import FieldError

    with pytest.raises(FieldError):
        create_token(user, "  ")
    with pytest.raises(FieldError):
        create_token(user, "x", days=0)
