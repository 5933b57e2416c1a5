"""Sessions that can be ended: fresh at sign-in, dead everywhere at sign-out, at an admin's
"End all sessions", at deactivation; and timed out when idle or too old."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from fdac.api import tokens as token_service
from fdac.auth import sessions
from fdac.dates import utc_now
from fdac.extensions import db, limiter
from tests import factories
from tests.conftest import PageClient


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    limiter.reset()
    yield
    limiter.reset()


def _flask_client(page_client):
    return page_client.raw._client


def _copy_of(app, page_client) -> PageClient:
    """A second browser holding a copy of `page_client`'s session cookie (a stolen one)."""
    thief = PageClient(app.test_client())
    cookie = _flask_client(page_client).get_cookie("session")
    _flask_client(thief).set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def _is_sent_to_sign_in(page_client, message: str | None = None) -> None:
    response = page_client.raw.get(url_for("cases.index"))
    assert response.status_code == 302
    assert response.location.startswith(url_for("auth.sign_in"))
    if message is not None:
        page = BeautifulSoup(page_client.raw.get(response.location).data, "html.parser")
        assert message in page.select_one(".govuk-notification-banner").get_text()


def _sign_out(page_client):
    page = page_client.get("cases.index")
    token = page.select_one("form[action$='/sign-out'] input[name=csrf_token]")["value"]
    return page_client.raw.post(url_for("auth.sign_out"), data={"csrf_token": token})


def test_sign_in_starts_a_new_session_keeping_nothing_planted_before(app, client, team):
    user = factories.make_user("practitioner", team=team)
    client.get("auth.sign_in")
    with _flask_client(client).session_transaction() as planted:
        planted["planted_by_attacker"] = "x"
        before = dict(planted)
    client.sign_in(user.email)
    with _flask_client(client).session_transaction() as fresh:
        assert "planted_by_attacker" not in fresh
        assert fresh.get("csrf_token") != before["csrf_token"]
        assert fresh[sessions.VERSION] == user.session_version


def test_sign_out_makes_every_copy_of_the_cookie_useless(app, signed_in):
    worker = signed_in("practitioner")
    thief = _copy_of(app, worker)
    thief.get("cases.index")  # the copy works while the session lives
    assert _sign_out(worker).location == url_for("auth.sign_in")
    _is_sent_to_sign_in(worker)
    _is_sent_to_sign_in(thief, sessions.ENDED)


def test_admin_ends_all_sessions_of_a_user_at_once(app, signed_in):
    worker = signed_in("practitioner")
    laptop = _copy_of(app, worker)
    admin = signed_in("admin")
    edit = admin.get("users.edit", user_id=worker.user.id)
    assert edit.select_one(f"form[action='/users/{worker.user.id}/end-sessions'] button")
    confirm = admin.get("users.end_sessions", user_id=worker.user.id)
    assert "End all sessions of" in confirm.h1.get_text()
    worker.get("cases.index")  # asking changes nothing
    response = admin.post("users.end_sessions", user_id=worker.user.id)
    assert response.location == url_for("users.edit", user_id=worker.user.id)
    _is_sent_to_sign_in(worker, sessions.ENDED)
    _is_sent_to_sign_in(laptop)
    admin.get("users.index")  # the admin's own session goes on
    signed_in(worker.user).get("cases.index")  # and the user can sign in again


def test_only_an_admin_can_end_someone_elses_sessions(signed_in, team):
    worker = signed_in("practitioner")
    other = factories.make_user("practitioner", team=team)
    worker.get("users.end_sessions", _expected_status=403, user_id=other.id)


def test_an_admin_ending_their_own_sessions_is_signed_out_too(signed_in):
    admin = signed_in("admin")
    response = admin.post("users.end_sessions", user_id=admin.user.id)
    assert response.location == url_for("auth.sign_in")
    _is_sent_to_sign_in(admin)


def test_deactivation_ends_sessions_for_good_even_after_reactivation(app, signed_in):
    worker = signed_in("practitioner")
    admin = signed_in("admin")
    admin.post("users.set_active", user_id=worker.user.id, change="deactivate")
    _is_sent_to_sign_in(worker)
    admin.post("users.set_active", user_id=worker.user.id, change="reactivate")
    _is_sent_to_sign_in(worker)


def test_changing_your_password_keeps_this_session_and_ends_the_others(app, signed_in):
    worker = signed_in("practitioner")
    other_device = _copy_of(app, worker)
    worker.post(
        "auth.change_password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    worker.get("cases.index")
    _is_sent_to_sign_in(other_device, sessions.ENDED)


@pytest.mark.parametrize(("idle_minutes", "ended"), [(29, False), (31, True)], ids=str)
def test_idle_timeout_of_30_minutes(signed_in, idle_minutes, ended):
    worker = signed_in("practitioner")
    with _flask_client(worker).session_transaction() as cookie:
        cookie[sessions.SEEN_AT] = (utc_now() - timedelta(minutes=idle_minutes)).timestamp()
    if ended:
        _is_sent_to_sign_in(worker, "had not used FDAC Manager for 30 minutes")
    else:
        worker.get("cases.index")


def test_activity_keeps_a_session_alive(signed_in):
    worker = signed_in("practitioner")
    with _flask_client(worker).session_transaction() as cookie:
        cookie[sessions.SEEN_AT] = (utc_now() - timedelta(minutes=25)).timestamp()
    worker.get("cases.index")
    with _flask_client(worker).session_transaction() as cookie:
        assert utc_now().timestamp() - cookie[sessions.SEEN_AT] < 60


@pytest.mark.parametrize(("hours", "ended"), [(11.9, False), (12.1, True)], ids=str)
def test_absolute_lifetime_of_12_hours(signed_in, hours, ended):
    worker = signed_in("practitioner")
    with _flask_client(worker).session_transaction() as cookie:
        cookie[sessions.SIGNED_IN_AT] = (utc_now() - timedelta(hours=hours)).timestamp()
    if ended:
        _is_sent_to_sign_in(worker, "had been signed in for 12 hours")
    else:
        worker.get("cases.index")


def test_timeouts_are_configurable(app, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "FDAC_IDLE_MINUTES", 5)
    worker = signed_in("practitioner")
    with _flask_client(worker).session_transaction() as cookie:
        cookie[sessions.SEEN_AT] = (utc_now() - timedelta(minutes=6)).timestamp()
    _is_sent_to_sign_in(worker, "for 5 minutes")


def test_a_cookie_from_before_session_versions_is_refused(signed_in):
    worker = signed_in("practitioner")
    with _flask_client(worker).session_transaction() as cookie:
        del cookie[sessions.VERSION]
    _is_sent_to_sign_in(worker, sessions.ENDED)


def test_api_tokens_are_not_sessions_and_keep_working(app, signed_in, team):
    worker = signed_in("practitioner")
    made = token_service.create_token(worker.user, "Feed", None, by=worker.user)
    db.session.commit()
    worker.user.end_sessions()
    db.session.commit()
    response = app.test_client().get(
        "/api/v1/substances", headers={"Authorization": f"Bearer {made.secret}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "Set-Cookie" not in response.headers
