from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.dates import utc_now
from fdac.extensions import db
from tests import factories
from tests.conftest import error_summary


def _user_form(team, **overrides):
    data = {
        "name": "Tom Okafor",
        "email": "Tom.Okafor@Example.org",
        "role": "practitioner",
        "team_id": str(team.id),
        "password": "temporary password 1",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user_who_must_change_the_password(signed_in, team):
    admin = signed_in("admin")
    admin.post("users.new", _user_form(team))
    user = db.session.scalar(select(User).where(User.email == "tom.okafor@example.org"))
    assert (user.role, user.team_id, user.must_change_password) == (
        Role.PRACTITIONER,
        team.id,
        True,
    )
    assert "Tom Okafor" in admin.get("users.index").select_one("table").get_text()


def test_user_form_refuses_duplicate_email_and_missing_team(signed_in, team):
    factories.make_user("practitioner", team=team, email="taken@example.org")
    admin = signed_in("admin")
    page = admin.post(
        "users.new", _user_form(team, email="TAKEN@example.org"), _expected_status=200
    )
    assert error_summary(page) == ["Another user already has this email address"]
    page = admin.post("users.new", _user_form(team, team_id=""), _expected_status=200)
    assert error_summary(page) == ["Select the team for this practitioner"]
    assert db.session.scalar(select(User).where(User.name == "Tom Okafor")) is None


def test_admin_changes_role_and_team(signed_in, team):
    other = factories.make_team()
    user = factories.make_user("practitioner", team=team)
    signed_in("admin").post(
        "users.edit",
        {"name": user.name, "email": user.email, "role": "team_manager", "team_id": str(other.id)},
        user_id=user.id,
    )
    db.session.refresh(user)
    assert (user.role, user.team_id) == (Role.TEAM_MANAGER, other.id)


def test_deactivation_asks_for_confirmation_then_blocks_sign_in(signed_in, team, client):
    user = factories.make_user("practitioner", team=team)
    admin = signed_in("admin")
    confirm = admin.get("users.set_active", user_id=user.id, change="deactivate")
    assert "Are you sure you want to deactivate" in confirm.h1.get_text()
    db.session.refresh(user)
    assert user.active  # looking at the question changes nothing
    admin.post("users.set_active", user_id=user.id, change="deactivate")
    db.session.refresh(user)
    assert not user.active
    client.post(
        "auth.sign_in", {"email": user.email, "password": factories.PASSWORD}, _expected_status=200
    )


def test_admin_cannot_deactivate_themselves(signed_in):
    admin = signed_in("admin")
    page = admin.post(
        "users.set_active", _expected_status=200, user_id=admin.user.id, change="deactivate"
    )
    assert "You cannot deactivate your own account" in page.get_text()


def test_password_reset_shows_a_temporary_password_once_and_forces_a_change(
    signed_in, team, client
):
    user = factories.make_user("practitioner", team=team)
    page = signed_in("admin").post("users.reset_password", _expected_status=200, user_id=user.id)
    temporary = page.select_one("#temporary-password").get_text()
    response = client.sign_in(user.email, temporary)
    assert response.location == url_for("home")
    assert client.raw.get(url_for("cases.index")).location == url_for("auth.change_password")


def test_password_changes_are_audited_without_the_hash(signed_in, team):
    user = factories.make_user("practitioner", team=team)
    signed_in("admin").post("users.reset_password", _expected_status=200, user_id=user.id)
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.table_name == "users",
            AuditEvent.action == "update",
            AuditEvent.record_id == str(user.id),
        )
    ).one()
    assert event.changes["password_hash"] == ["(changed)", "(changed)"]
    assert user.password_hash not in str(event.changes)


def test_admin_cannot_change_their_own_role(signed_in):
    admin = signed_in("admin")
    page = admin.post(
        "users.edit",
        {"name": "Me", "email": admin.user.email, "role": "judge", "team_id": ""},
        _expected_status=200,
        user_id=admin.user.id,
    )
    assert error_summary(page) == ["You cannot change your own role"]
    db.session.refresh(admin.user)
    assert admin.user.role is Role.ADMIN


def test_admin_sees_when_a_user_last_signed_in_and_whether_they_are_locked(signed_in, team):
    user = factories.make_user("practitioner", team=team)
    admin = signed_in("admin")
    page = admin.get("users.edit", user_id=user.id)
    rows = page.select(".govuk-summary-list__row")
    assert [r.select_one("dd").get_text(strip=True) for r in rows] == [
        "Never",
        "Not locked",
        "Not set up yet: set up at their next sign-in",
    ]
    user.locked_until = utc_now() + timedelta(minutes=10)
    db.session.commit()
    page = admin.get("users.edit", user_id=user.id)
    assert (
        "Locked after too many wrong passwords, until"
        in page.select_one(".govuk-summary-list").get_text()
    )
    index = admin.get("users.index")
    row = [tr for tr in index.select("tbody tr") if user.name in tr.get_text()][0]
    assert "Locked" in row.get_text()


def test_the_user_page_says_since_when_two_factor_is_on_and_links_its_reset(signed_in, team):
    user = factories.make_user("practitioner", team=team)
    user.totp_secret, user.two_factor_since = "MZSGCYZNORSXG5BN", utc_now()
    db.session.commit()
    page = signed_in("admin").get("users.edit", user_id=user.id)
    row = page.select(".govuk-summary-list__row")[2]
    assert row.select_one("dd").get_text(strip=True).startswith("On since ")
    assert row.select_one("a")["href"] == url_for("auth.reset_two_factor", user_id=user.id)


def test_creating_a_user_page_has_no_sign_in_section(signed_in):
    page = signed_in("admin").get("users.new")
    assert page.select_one(".govuk-summary-list") is None
    assert "End all sessions" not in page.get_text()
