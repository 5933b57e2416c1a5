"""Every new password is long enough, not common, and hashed with scrypt, wherever it is set."""

import pytest
from flask import url_for
from sqlalchemy import select

from fdac.auth.models import User
from fdac.auth.passwords import (
    COMMON_PASSWORDS_FILE,
    MIN_PASSWORD_LENGTH,
    TOO_COMMON,
    TOO_SHORT,
    common_passwords,
    password_problem,
)
from fdac.demo import DEMO_PASSWORD
from fdac.extensions import db
from tests import factories
from tests.conftest import error_summary


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("zebra-kettl", TOO_SHORT),  # 11 characters
        ("zebra-kettle", None),  # 12
        ("qwerty123456", TOO_COMMON),  # on the list
        ("QWERTY123456", TOO_COMMON),  # in any case
        ("1Q2w3E4r5T6y", TOO_COMMON),
        ("qwerty 123456", TOO_COMMON),  # spaces left out
        ("correct horse battery", None),
        (DEMO_PASSWORD, None),  # the demo's sign-ins keep working
    ],
)
def test_new_password_rules(password, problem):
    assert password_problem(password) == problem


def test_the_shipped_list_is_the_common_passwords_list():
    known = common_passwords()
    assert len(known) > 19_000
    assert {"password", "123456", "qwerty123456", "1q2w3e4r5t6y"} <= known
    assert COMMON_PASSWORDS_FILE.with_suffix(".LICENSE").exists()
    assert MIN_PASSWORD_LENGTH == 12


def test_passwords_are_hashed_with_pinned_scrypt_and_salted(team):
    user = factories.make_user("practitioner", team=team)
    user.set_password("a perfectly good passphrase")
    first = user.password_hash
    user.set_password("a perfectly good passphrase")
    assert first.startswith("scrypt:32768:8:1$")
    assert first != user.password_hash  # a fresh salt each time
    assert user.check_password("a perfectly good passphrase")


def test_change_password_page_refuses_a_common_password(signed_in):
    worker = signed_in("practitioner")
    page = worker.post(
        "auth.change_password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "Password1234",
            "confirm_password": "Password1234",
        },
        _expected_status=200,
    )
    assert error_summary(page) == [TOO_COMMON]
    db.session.refresh(worker.user)
    assert worker.user.check_password(factories.PASSWORD)


def test_admin_cannot_create_a_user_with_a_common_password(signed_in, team):
    page = signed_in("admin").post(
        "users.new",
        {
            "name": "Tom Okafor",
            "email": "tom@example.org",
            "role": "practitioner",
            "team_id": str(team.id),
            "password": "123456789123",
        },
        _expected_status=200,
    )
    assert error_summary(page) == [TOO_COMMON]
    assert db.session.scalar(select(User).where(User.email == "tom@example.org")) is None


def test_create_user_command_refuses_a_common_password(app, team):
    result = app.test_cli_runner().invoke(
        args=["fdac", "create-user", "sam@example.org", "--name", "Sam", "--role", "practitioner"]
        + ["--password", "Qwertyuiop123"],
    )
    assert result.exit_code == 2 and TOO_COMMON in result.output
    assert db.session.scalar(select(User).where(User.email == "sam@example.org")) is None


def test_a_password_set_in_code_meets_the_rules_too(team):
    user = factories.make_user("practitioner", team=team)
    with pytest.raises(ValueError, match="too common"):
        user.set_password("qwerty123456")


def test_admin_reset_forces_a_change_at_next_sign_in_and_ends_sessions(signed_in, team, client):
    worker = signed_in("practitioner")
    page = signed_in("admin").post(
        "users.reset_password", _expected_status=200, user_id=worker.user.id
    )
    temporary = page.select_one("#temporary-password").get_text()
    assert password_problem(temporary) is None
    # The session opened with the old password is over.
    assert worker.raw.get(url_for("cases.index")).location.startswith(url_for("auth.sign_in"))
    client.sign_in(worker.user.email, temporary)
    assert client.raw.get(url_for("cases.index")).location == url_for("auth.change_password")
    client.post(
        "auth.change_password",
        {
            "current_password": temporary,
            "new_password": "my own long passphrase",
            "confirm_password": "my own long passphrase",
        },
    )
    client.get("cases.index")
    db.session.refresh(worker.user)
    assert not worker.user.must_change_password
