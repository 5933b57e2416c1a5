from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.dates import utc_now
from fdac.extensions import db, limiter
from tests import factories
from tests.auth import second_step
from tests.conftest import error_summary

GENERIC = "Enter a correct email address and password"
LOCKED = (
    "There have been too many attempts to sign in with this email address. "
    "Wait 15 minutes, then try again."
)
FROM_NETWORK = (
    "There have been too many attempts to sign in from your network. "
    "Wait 15 minutes, then try again."
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The limiter's memory store lives as long as the test app: start and end each test clean.
    limiter.reset()
    yield
    limiter.reset()


def _attempt(client, email, password, status=200):
    return client.post(
        "auth.sign_in", {"email": email, "password": password}, _expected_status=status
    )


def _trail(action):
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return db.session.scalars(query).all()


def test_team_manager_signs_in_and_lands_on_the_case_list(client, team):
    manager = factories.make_user("team_manager", team=team)
    response = client.sign_in(manager.email.upper())  # email is not case-sensitive
    assert response.location == url_for("home")
    assert client.get("cases.index").h1.get_text() == "Cases"


def test_wrong_password_and_unknown_email_get_the_same_generic_error(client, team):
    user = factories.make_user("practitioner", team=team)
    wrong_password = client.post(
        "auth.sign_in", {"email": user.email, "password": "nope"}, _expected_status=200
    )
    unknown = client.post(
        "auth.sign_in", {"email": "nobody@example.org", "password": "nope"}, _expected_status=200
    )
    assert error_summary(wrong_password) == error_summary(unknown) == [GENERIC]


def test_deactivated_user_is_refused_with_the_generic_error(client, team):
    user = factories.make_user("practitioner", team=team, active=False)
    page = client.post(
        "auth.sign_in", {"email": user.email, "password": factories.PASSWORD}, _expected_status=200
    )
    assert error_summary(page) == [GENERIC]


def test_deactivation_ends_an_existing_session_at_once(signed_in):
    worker = signed_in("practitioner")
    worker.get("cases.index")
    worker.user.active = False
    db.session.commit()
    response = worker.raw.get(url_for("cases.index"))
    assert response.status_code == 302
    assert response.location.startswith(url_for("auth.sign_in"))


def _code(client, email):
    """The second step after a correct password: the code from the person's app."""
    return client.post("auth.two_factor_code", {"code": second_step.next_code(email)})


def test_sign_in_only_follows_next_within_the_site(client, team):
    user = factories.make_user("practitioner", team=team)
    second_step.ready(user.email)
    page = client.raw.get(url_for("auth.sign_in", next="https://evil.example/x"))
    token = (
        __import__("bs4")
        .BeautifulSoup(page.data, "html.parser")
        .select_one("input[name=csrf_token]")["value"]
    )
    response = client.raw.post(
        url_for("auth.sign_in", next="https://evil.example/x"),
        data={"csrf_token": token, "email": user.email, "password": factories.PASSWORD},
    )
    assert response.location == url_for("auth.two_factor_code")
    assert _code(client, user.email).location == url_for("home")


def test_anonymous_visitor_is_sent_to_sign_in_and_back_after(client, team):
    case = factories.make_case(team)
    factories.make_user("team_manager", team=team, email="m@example.org")
    second_step.ready("m@example.org")
    response = client.raw.get(url_for("cases.show", reference=case.reference))
    assert response.location.startswith(url_for("auth.sign_in"))
    back = client.raw.post(
        response.location,
        data={
            "csrf_token": __import__("bs4")
            .BeautifulSoup(client.raw.get(response.location).data, "html.parser")
            .select_one("input[name=csrf_token]")["value"],
            "email": "m@example.org",
            "password": factories.PASSWORD,
        },
    )
    assert back.location == url_for("auth.two_factor_code")
    assert _code(client, "m@example.org").location == f"/cases/{case.reference}"


def test_post_without_csrf_token_is_refused(signed_in, team):
    manager = signed_in("team_manager")
    response = manager.raw.post(url_for("cases.new"), data={"reference": "FDAC-2026-0001"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)


def test_forced_password_change_blocks_everything_else_until_done(signed_in, team):
    user = factories.make_user("practitioner", team=team, must_change_password=True)
    worker = signed_in(user)
    response = worker.raw.get(url_for("cases.index"))
    assert response.location == url_for("auth.change_password")
    short = worker.post(
        "auth.change_password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "short",
            "confirm_password": "short",
        },
        _expected_status=200,
    )
    assert error_summary(short) == ["Password must be 12 characters or more"]
    worker.post(
        "auth.change_password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "a much longer secret",
            "confirm_password": "a much longer secret",
        },
    )
    db.session.refresh(user)
    assert not user.must_change_password and user.check_password("a much longer secret")
    worker.get("cases.index")


def test_pages_carry_security_headers_and_are_not_cached(signed_in):
    response = signed_in("team_manager").raw.get(url_for("cases.index"))
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'nonce-" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, team):
    user = factories.make_user("practitioner", team=team)
    for _ in range(4):
        assert error_summary(_attempt(client, user.email, "wrong password")) == [GENERIC]
    assert error_summary(_attempt(client, user.email, "wrong password")) == [GENERIC]
    db.session.refresh(user)
    assert user.is_locked(utc_now())
    assert timedelta(minutes=14) < user.locked_until - utc_now() <= timedelta(minutes=15)
    # The rate limiter (per email typed) refuses first; without it the lock still holds.
    page = _attempt(client, user.email, factories.PASSWORD, status=429)
    assert error_summary(page) == [LOCKED]
    limiter.reset()
    assert error_summary(_attempt(client, user.email, factories.PASSWORD)) == [LOCKED]


def test_a_lock_reads_the_same_whether_or_not_the_account_exists(client, team):
    user = factories.make_user("practitioner", team=team)
    for email in (user.email, "nobody@example.org"):
        for _ in range(5):
            _attempt(client, email, "wrong password")
        assert error_summary(_attempt(client, email, "wrong password", status=429)) == [LOCKED]


def test_the_lock_ends_after_its_time_and_a_sign_in_clears_the_count(client, team):
    user = factories.make_user("practitioner", team=team)
    user.locked_until = utc_now() - timedelta(seconds=1)
    user.failed_sign_ins = 3
    db.session.commit()
    assert client.sign_in(user.email).location == url_for("home")
    db.session.refresh(user)
    assert (user.failed_sign_ins, user.locked_until) == (0, None)


def test_too_many_failures_from_one_address_are_refused(app, client, team, monkeypatch):
    monkeypatch.setitem(app.config, "FDAC_SIGN_IN_FAILURES_PER_ADDRESS", 3)
    for n in range(3):
        _attempt(client, f"someone{n}@example.org", "wrong password")
    user = factories.make_user("practitioner", team=team)
    page = _attempt(client, user.email, factories.PASSWORD, status=429)
    assert error_summary(page) == [FROM_NETWORK]


def test_successful_sign_ins_do_not_count_against_the_limits(client, team):
    user = factories.make_user("practitioner", team=team)
    for _ in range(7):
        assert client.sign_in(user.email).location == url_for("home")
        client.raw.post(url_for("auth.sign_out"), data={"csrf_token": _token(client)})


def _token(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.raw.get(url_for("home"), follow_redirects=True).data, "html.parser")
    return page.select_one("input[name=csrf_token]")["value"]


def test_every_sign_in_failure_lock_and_sign_out_is_audited(client, team):
    user = factories.make_user("practitioner", team=team)
    _attempt(client, "nobody@example.org", "guess one")
    for _ in range(5):
        _attempt(client, user.email, "guess two")
    limiter.reset()
    _attempt(client, user.email, factories.PASSWORD)  # locked: refused, and recorded
    user.locked_until = None
    db.session.commit()
    client.sign_in(user.email)
    client.raw.post(url_for("auth.sign_out"), data={"csrf_token": _token(client)})

    failures = _trail("sign_fail")
    assert [f.changes["reason"][1] for f in failures] == ["unknown email"] + [
        "wrong password"
    ] * 5 + ["locked"]
    assert failures[0].changes["email"] == [None, "nobody@example.org"]
    assert failures[0].record_id == "" and failures[1].record_id == str(user.id)
    assert all(f.actor_id is None and f.changes["from"] == [None, "127.0.0.1"] for f in failures)
    assert "guess" not in str([f.changes for f in failures])  # never the password typed
    (lock,) = _trail("lock")
    assert lock.record_id == str(user.id) and "until" in lock.changes
    (signed_in,) = _trail("sign_in")
    (signed_out,) = _trail("sign_out")
    assert signed_in.actor_id == signed_out.actor_id == user.id
