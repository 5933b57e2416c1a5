"""Two-factor sign-in: set up by QR code at the first sign-in, a code after every password,
single-use codes and recovery codes, an admin's reset, and a demo's switch that is never
silent (docs/decisions/0033-two-factor.md)."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import select

from fdac import config as config_module
from fdac.audit.models import AuditEvent
from fdac.auth import sessions, totp
from fdac.auth.models import RecoveryCode
from fdac.dates import utc_now
from fdac.extensions import db, limiter
from tests import factories
from tests.auth import second_step
from tests.auth.route_rows.snapshot import changes, snapshot
from tests.conftest import PageClient, error_summary

WRONG = "Enter a correct code from your authenticator app, or an unused recovery code"
LOCKED = (
    "There have been too many attempts to sign in with this email address. "
    "Wait 15 minutes, then try again."
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    limiter.reset()
    yield
    limiter.reset()


def _password(client, user, password=factories.PASSWORD):
    return client.post("auth.sign_in", {"email": user.email, "password": password})


def _code(client, code, status=302):
    return client.post("auth.two_factor_code", {"code": code}, _expected_status=status)


def _signed_in(client) -> bool:
    return client.raw.get(url_for("cases.index")).status_code == 200


def _sign_out(client):
    page = BeautifulSoup(client.raw.get(url_for("home"), follow_redirects=True).data, "html.parser")
    token = page.select_one("input[name=csrf_token]")["value"]
    client.raw.post(url_for("auth.sign_out"), data={"csrf_token": token})


def _trail(action):
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return db.session.scalars(query).all()


def _set_up(client, user) -> list[str]:
    """A first sign-in, through the set-up page: the recovery codes shown."""
    assert _password(client, user).location == url_for("auth.set_up_two_factor")
    db.session.refresh(user)
    code = totp.code_at(user.totp_secret, totp.step_at(utc_now()))
    page = client.post("auth.set_up_two_factor", {"code": code}, _expected_status=200)
    return [li.get_text(strip=True) for li in page.select("#recovery-codes li")]


def test_first_sign_in_sets_up_two_factor_by_qr_code_and_shows_recovery_codes_once(client, team):
    user = factories.make_user("practitioner", team=team)
    assert _password(client, user).location == url_for("auth.set_up_two_factor")
    db.session.refresh(user)
    assert user.totp_secret and not user.has_two_factor
    page = client.get("auth.set_up_two_factor")
    qr = page.select_one("img")["src"]
    assert qr.startswith("data:image/svg+xml")  # made on the server: no request leaves it
    assert page.select_one("#two-factor-key").get_text() == totp.grouped(user.totp_secret)
    assert not _signed_in(client)  # nobody is signed in before the code

    wrong = client.post("auth.set_up_two_factor", {"code": "000000"}, _expected_status=200)
    assert "Enter the code your authenticator app shows now" in error_summary(wrong)[0]
    db.session.refresh(user)
    assert not user.has_two_factor

    code = totp.code_at(user.totp_secret, totp.step_at(utc_now()))
    shown = client.post("auth.set_up_two_factor", {"code": code}, _expected_status=200)
    codes = [li.get_text(strip=True) for li in shown.select("#recovery-codes li")]
    assert len(codes) == len(set(codes)) == 10
    db.session.refresh(user)
    assert user.has_two_factor and _signed_in(client)
    # Stored hashed, never in clear.
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in codes for h in hashes)
    assert [e.record_id for e in _trail("2fa_setup") + _trail("2fa_on")] == [str(user.id)] * 2
    assert [f.changes["reason"][1] for f in _trail("sign_fail")] == ["wrong code at set-up"]


def test_every_sign_in_then_asks_for_the_code_and_nobody_is_signed_in_before(client, team):
    user = factories.make_user("team_manager", team=team)
    second_step.ready(user.email)
    assert _password(client, user).location == url_for("auth.two_factor_code")
    assert not _signed_in(client)
    page = _code(client, "123456" if second_step.next_code(user.email) != "123456" else "1", 200)
    assert error_summary(page) == [WRONG]
    assert not _signed_in(client)
    assert _code(client, second_step.next_code(user.email)).location == url_for("home")
    assert _signed_in(client)
    assert len(_trail("sign_in")) == 1


def test_a_code_works_once(client, team):
    user = factories.make_user("practitioner", team=team)
    second_step.ready(user.email)
    code = second_step.next_code(user.email)
    _password(client, user)
    _code(client, code)
    _sign_out(client)
    _password(client, user)
    assert error_summary(_code(client, code, 200)) == [WRONG]
    assert _code(client, second_step.next_code(user.email)).location == url_for("home")


@pytest.mark.parametrize(
    ("steps_away", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_a_code_is_accepted_one_step_either_side_of_now(steps_away, accepted):
    secret = totp.new_secret()
    now = datetime(2026, 11, 22, 12, 0, 10, tzinfo=UTC)
    step = totp.step_at(now) + steps_away
    found = totp.matching_step(secret, totp.code_at(secret, step), now, None)
    assert (found == step) is accepted
    assert totp.matching_step(secret, totp.code_at(secret, step), now, step) is None


def test_wrong_codes_count_toward_the_lock_even_between_correct_passwords(client, team):
    user = factories.make_user("practitioner", team=team)
    second_step.ready(user.email)
    for attempt in range(5):
        if attempt == 2:  # a correct password again clears nothing
            _sign_out(client)
            _password(client, user)
        elif attempt == 0:
            _password(client, user)
        page = _code(client, "99999x", 200)
    assert error_summary(page) == [LOCKED]  # the fifth: back to the sign-in page
    db.session.refresh(user)
    assert user.is_locked(utc_now())
    limiter.reset()
    page = client.post(
        "auth.sign_in",
        {"email": user.email, "password": factories.PASSWORD},
        _expected_status=200,
    )
    assert error_summary(page) == [LOCKED]
    reasons = [f.changes["reason"][1] for f in _trail("sign_fail")]
    assert reasons == ["wrong code"] * 5 + ["locked"]
    assert len(_trail("lock")) == 1


def test_the_code_step_is_rate_limited_per_account(app, client, team, monkeypatch):
    # The lock out of the way: the limiter alone must stop the sixth wrong code.
    monkeypatch.setattr("fdac.auth.two_factor.count_failure", lambda *args: None)
    user = factories.make_user("practitioner", team=team)
    second_step.ready(user.email)
    _password(client, user)
    for _ in range(6):
        response = client.raw.post(
            url_for("auth.two_factor_code"),
            data={"csrf_token": _token(client, "auth.two_factor_code"), "code": "99999x"},
        )
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert not _signed_in(client)


def _token(client, endpoint):
    page = BeautifulSoup(client.raw.get(url_for(endpoint)).data, "html.parser")
    return page.select_one("input[name=csrf_token]")["value"]


def test_half_way_expires_and_dies_with_the_users_sessions(app, client, team):
    user = factories.make_user("practitioner", team=team)
    second_step.ready(user.email)
    _password(client, user)
    with client.raw._client.session_transaction() as cookie:
        pending = dict(cookie[sessions.HALF_WAY])
        cookie[sessions.HALF_WAY] = pending | {"at": (utc_now() - timedelta(minutes=6)).timestamp()}
    response = client.raw.get(url_for("auth.two_factor_code"))
    assert response.location == url_for("auth.sign_in")

    _password(client, user)
    user.end_sessions()  # an admin's "End all sessions" in between
    db.session.commit()
    response = client.raw.get(url_for("auth.two_factor_code"))
    assert response.location == url_for("auth.sign_in")


def test_a_recovery_code_signs_in_once_instead_of_a_code(client, team):
    user = factories.make_user("practitioner", team=team)
    codes = _set_up(client, user)
    _sign_out(client)
    _password(client, user)
    response = client.post(
        "auth.two_factor_code", {"code": codes[3].upper()}, _follow=True, _expected_status=200
    )
    assert "You signed in with a recovery code. You have 9 left" in response.get_text()
    assert _signed_in(client)
    (used,) = _trail("2fa_spent")
    assert used.changes["recovery_codes_left"] == [None, 9] and used.actor_id == user.id
    _sign_out(client)
    _password(client, user)
    assert error_summary(_code(client, codes[3], 200)) == [WRONG]


def test_new_recovery_codes_replace_the_old_ones(signed_in, client, team):
    user = factories.make_user("practitioner", team=team)
    old = _set_up(client, user)
    page = client.get("auth.two_factor_account")
    assert (
        page.select_one("#recovery-codes-left").get_text() == "You have 10 unused recovery codes."
    )
    refused = client.post(
        "auth.two_factor_account", {"password": "not my password"}, _expected_status=200
    )
    assert error_summary(refused) == ["Your password is not correct"]
    page = client.post(
        "auth.two_factor_account", {"password": factories.PASSWORD}, _expected_status=200
    )
    new = [li.get_text(strip=True) for li in page.select("#recovery-codes li")]
    assert len(new) == 10 and not set(new) & set(old)
    assert len(_trail("2fa_codes")) == 1
    _sign_out(client)
    _password(client, user)
    assert error_summary(_code(client, old[0], 200)) == [WRONG]
    assert _code(client, new[0]).location == url_for("home")


def test_admin_resets_two_factor_ending_sessions_and_it_is_set_up_again(signed_in, team):
    worker = signed_in("practitioner")
    user = worker.user
    admin = signed_in("admin")
    assert "Reset two-factor" in admin.get("auth.reset_two_factor", user_id=user.id).h1.get_text()
    db.session.refresh(user)
    assert user.has_two_factor  # looking at the question changes nothing
    response = admin.post("auth.reset_two_factor", user_id=user.id)
    assert response.location == url_for("users.edit", user_id=user.id)
    db.session.refresh(user)
    assert (user.totp_secret, user.two_factor_since, user.recovery_codes) == (None, None, [])
    assert not _signed_in(worker)  # their sessions ended at once
    (reset,) = _trail("2fa_reset")
    assert (reset.record_id, reset.actor_id) == (str(user.id), admin.user.id)
    assert _password(worker, user).location == url_for("auth.set_up_two_factor")


@pytest.mark.parametrize("role", ["team_manager", "practitioner", "judge", "lab"])
def test_only_an_admin_resets_two_factor(signed_in, team, role):
    other = factories.make_user("practitioner", team=team)
    signed_in(role).get("auth.reset_two_factor", _expected_status=403, user_id=other.id)


def test_the_trail_never_holds_the_secret_or_a_code(client, team):
    user = factories.make_user("practitioner", team=team)
    codes = _set_up(client, user)
    db.session.refresh(user)
    trail = str([(e.action, e.changes) for e in db.session.scalars(select(AuditEvent))])
    assert user.totp_secret not in trail
    assert not any(c in trail or c.replace("-", "") in trail for c in codes)


def test_two_factor_is_on_unless_plainly_switched_off(monkeypatch, tmp_path):
    for value, on in [(None, True), ("off", False), ("0", False), ("of", True), ("on", True)]:
        if value is None:
            monkeypatch.delenv("FDAC_TWO_FACTOR", raising=False)
        else:
            monkeypatch.setenv("FDAC_TWO_FACTOR", value)
        assert config_module.from_environment(tmp_path)["FDAC_TWO_FACTOR"] is on, value


def test_switched_off_for_a_demo_a_password_signs_in_and_it_says_so(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "FDAC_TWO_FACTOR", False)
    user = factories.make_user("admin")
    page = client.get("auth.sign_in")
    assert "two-factor sign-in is switched off" in page.select_one("#two-factor-off").get_text()
    assert _password(client, user).location == url_for("home")
    assert client.get("users.index").select_one("#two-factor-off")  # every page, to admins


def test_switched_on_the_sign_in_page_says_a_code_follows(client):
    page = client.get("auth.sign_in")
    assert page.select_one("#two-factor-off") is None
    assert "a code from the authenticator app" in page.get_text()


def test_reading_the_code_and_set_up_pages_half_way_changes_nothing(client, team):
    """The route table's crawl cannot be half-way through signing in: proved here."""
    ready = factories.make_user("practitioner", team=team)
    second_step.ready(ready.email)
    new = factories.make_user("practitioner", team=team)
    for user, endpoint in ((ready, "auth.two_factor_code"), (new, "auth.set_up_two_factor")):
        half_way = PageClient(client.raw._client.application.test_client())
        _password(half_way, user)
        before = snapshot()
        half_way.get(endpoint)
        half_way.get(endpoint)
        assert changes(before, snapshot()) == {}
